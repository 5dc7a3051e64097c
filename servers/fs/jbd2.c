// The JBD2 journal format: block encoding and the recovery: one pass
// finds the committed transactions and checks them, a second collects
// their revoke records and where each block's newest copy is, then those
// copies are written in place. See jbd2.h.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "jbd2.h"

// Journal superblock fields (byte offsets).
#define JSB_BLOCKSIZE  0x0C
#define JSB_MAXLEN     0x10
#define JSB_FIRST      0x14
#define JSB_SEQUENCE   0x18
#define JSB_START      0x1C
#define JSB_ERRNO      0x20
#define JSB_INCOMPAT   0x28
#define JSB_NR_USERS   0x40
#define COMMIT_SEC     0x30

uint32_t jbd2_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void jbd2_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t jbe16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

const char *jbd2_sb_decode(const uint8_t *b, uint32_t bs, uint32_t nblocks, struct jbd2_sb *sb)
{
    uint32_t type = jbd2_be32(b + 4);
    if (jbd2_be32(b) != JBD2_MAGIC || (type != JBD2_SB_V1 && type != JBD2_SB_V2))
        return "journal superblock: bad magic";
    sb->blocksize = jbd2_be32(b + JSB_BLOCKSIZE);
    sb->maxlen = jbd2_be32(b + JSB_MAXLEN);
    sb->first = jbd2_be32(b + JSB_FIRST);
    sb->sequence = jbd2_be32(b + JSB_SEQUENCE);
    sb->start = jbd2_be32(b + JSB_START);
    sb->incompat = type == JBD2_SB_V2 ? jbd2_be32(b + JSB_INCOMPAT) : 0;
    if (sb->blocksize != bs)
        return "journal superblock: block size differs from the file system's";
    if (sb->maxlen > nblocks || sb->maxlen < 4)
        return "journal superblock: length does not match the journal inode";
    if (sb->first == 0 || sb->first + 2 > sb->maxlen)
        return "journal superblock: bad first block";
    if (sb->start && (sb->start < sb->first || sb->start >= sb->maxlen))
        return "journal superblock: start outside the journal";
    if (sb->incompat & ~(uint32_t)JBD2_INCOMPAT_REVOKE)
        return "journal superblock: unsupported features (checksums, 64-bit, ...)";
    if (type == JBD2_SB_V2 && jbd2_be32(b + JSB_NR_USERS) > 1)
        return "journal superblock: shared journal";
    if (jbd2_be32(b + JSB_ERRNO))
        return "journal superblock: the journal recorded an error";
    return NULL;
}

void jbd2_sb_encode(uint8_t *b, const struct jbd2_sb *sb)
{
    jbd2_put_be32(b + JSB_SEQUENCE, sb->sequence);
    jbd2_put_be32(b + JSB_START, sb->start);
    if (jbd2_be32(b + 4) == JBD2_SB_V2)
        jbd2_put_be32(b + JSB_INCOMPAT, sb->incompat);
}

void jbd2_sb_format(uint8_t *b, uint32_t bs, uint32_t nblocks, uint32_t sequence)
{
    jbd2_block_init(b, bs, JBD2_SB_V2, 0);
    jbd2_put_be32(b + JSB_BLOCKSIZE, bs);
    jbd2_put_be32(b + JSB_MAXLEN, nblocks);
    jbd2_put_be32(b + JSB_FIRST, 1);
    jbd2_put_be32(b + JSB_SEQUENCE, sequence);
    jbd2_put_be32(b + JSB_NR_USERS, 1);
}

void jbd2_block_init(uint8_t *b, uint32_t bs, uint32_t type, uint32_t sequence)
{
    memset(b, 0, bs);
    jbd2_put_be32(b, JBD2_MAGIC);
    jbd2_put_be32(b + 4, type);
    jbd2_put_be32(b + 8, sequence);
}

void jbd2_commit_init(uint8_t *b, uint32_t bs, uint32_t sequence, uint64_t sec)
{
    jbd2_block_init(b, bs, JBD2_COMMIT, sequence);
    jbd2_put_be32(b + COMMIT_SEC, (uint32_t)(sec >> 32));
    jbd2_put_be32(b + COMMIT_SEC + 4, (uint32_t)sec);
}

// The first tag is followed by the journal's UUID (zeros here, as mkfs
// leaves it for an internal journal), the others say SAME_UUID.
uint32_t jbd2_tags_per_block(uint32_t bs) { return (bs - JBD2_HDR - JBD2_UUID) / JBD2_TAG; }

void jbd2_tag_put(uint8_t *desc, uint32_t i, uint32_t blk, int escape, int last)
{
    uint8_t *t = desc + JBD2_HDR + (i ? JBD2_UUID + i * JBD2_TAG : 0);
    uint32_t flags = (i ? JBD2_FLAG_SAME_UUID : 0) | (escape ? JBD2_FLAG_ESCAPE : 0) |
                     (last ? JBD2_FLAG_LAST_TAG : 0);
    jbd2_put_be32(t, blk);
    t[4] = t[5] = 0;
    t[6] = (uint8_t)(flags >> 8);
    t[7] = (uint8_t)flags;
}

uint32_t jbd2_revokes_per_block(uint32_t bs) { return (bs - JBD2_REVOKE_HDR) / 4; }

void jbd2_revoke_put(uint8_t *b, uint32_t i, uint32_t blk)
{
    jbd2_put_be32(b + JBD2_REVOKE_HDR + 4 * i, blk);
}

void jbd2_revoke_count(uint8_t *b, uint32_t n) { jbd2_put_be32(b + JBD2_HDR, JBD2_REVOKE_HDR + 4 * n); }

int jbd2_escape(uint8_t *out, const uint8_t *in, uint32_t bs)
{
    memcpy(out, in, bs);
    if (jbd2_be32(in) != JBD2_MAGIC)
        return 0;
    memset(out, 0, 4);
    return 1;
}

// ---- recovery ----

// Per fs block: the newest sequence that revoked it (revoke records), or
// where its newest copy is (the blocks to replay). Open addressing; key
// blk + 1, 0: an empty slot.
struct bent { uint32_t key, seq, pos, flags; };
struct blkmap {
    struct bent *e;
    uint32_t cap, n;                 // cap: a power of two
};

static struct bent *bm_slot(struct blkmap *m, uint32_t blk)
{
    uint32_t i = (blk * 2654435761u) & (m->cap - 1);
    while (m->e[i].key && m->e[i].key != blk + 1)
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

static int bm_grow(struct blkmap *m)
{
    struct blkmap g = { calloc(m->cap * 2, sizeof(struct bent)), m->cap * 2, m->n };
    if (!g.e)
        return -ENOMEM;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->e[i].key)
            *bm_slot(&g, m->e[i].key - 1) = m->e[i];
    free(m->e);
    *m = g;
    return 0;
}

// The entry of blk (all zero but its key if it is new); NULL: no memory.
static struct bent *bm_get(struct blkmap *m, uint32_t blk, int *fresh)
{
    if (2 * (m->n + 1) > m->cap && bm_grow(m) < 0)
        return NULL;
    struct bent *b = bm_slot(m, blk);
    *fresh = !b->key;
    if (*fresh) {
        *b = (struct bent){ blk + 1, 0, 0, 0 };
        m->n++;
    }
    return b;
}

static int rev_add(struct blkmap *r, uint32_t blk, uint32_t seq)
{
    int fresh;
    struct bent *b = bm_get(r, blk, &fresh);
    if (!b)
        return -ENOMEM;
    if (fresh || (int32_t)(seq - b->seq) > 0)
        b->seq = seq;
    return 0;
}

// Was blk, logged by transaction seq, revoked by it or a later one?
static int rev_test(struct blkmap *r, uint32_t blk, uint32_t seq)
{
    struct bent *b = bm_slot(r, blk);
    return b->key && (int32_t)(b->seq - seq) >= 0;
}

enum { PASS_SCAN, PASS_COLLECT };   // check and find the end; note revokes and copies

struct jwalk {
    const struct jbd2_sb *sb;
    const struct jbd2_io *io;
    struct jbd2_result *res;
    struct blkmap rv, last;          // revoke records; the newest copy of each block
    uint8_t *desc, *copy;
    uint32_t bs;
    const char *txn_bad;             // what is wrong with the transaction being scanned
};

static uint32_t ring_advance(const struct jbd2_sb *sb, uint32_t pos, uint32_t n)
{
    uint32_t ring = sb->maxlen - sb->first;
    return sb->first + (uint32_t)(((uint64_t)pos - sb->first + n) % ring);
}

// Notes the copy of blk found n blocks after its descriptor at pos (a
// later transaction's copy replaces it).
static int note_copy(struct jwalk *w, uint32_t pos, uint32_t n, uint32_t blk, uint32_t flags,
                     uint32_t seq)
{
    int fresh;
    struct bent *b = bm_get(&w->last, blk, &fresh);
    if (!b)
        return -ENOMEM;
    b->seq = seq;
    b->pos = ring_advance(w->sb, pos, n);
    b->flags = flags;
    return 0;
}

// Writes the newest copy of every block in place, unless revoked: the
// same result as replaying every copy in order, one write per block.
static int replay(struct jwalk *w)
{
    for (uint32_t i = 0; i < w->last.cap; i++) {
        struct bent *b = &w->last.e[i];
        if (!b->key)
            continue;
        if (rev_test(&w->rv, b->key - 1, b->seq)) {
            w->res->revoked++;
            continue;
        }
        int e = w->io->read(w->io->ctx, b->pos, w->copy);
        if (e < 0)
            return e;
        if (b->flags & JBD2_FLAG_ESCAPE)
            jbd2_put_be32(w->copy, JBD2_MAGIC);
        if ((e = w->io->write(w->io->ctx, b->key - 1, w->copy)) < 0)
            return e;
        w->res->replayed++;
    }
    return 0;
}

// The tags of the descriptor in w->desc (at pos): checked (scan) or
// their copies noted. The number of blocks that follow it, or -errno.
static long desc_tags(struct jwalk *w, int pass, uint32_t pos, uint32_t seq)
{
    uint32_t off = JBD2_HDR, n = 0;
    while (off + JBD2_TAG <= w->bs) {
        const uint8_t *t = w->desc + off;
        uint32_t blk = jbd2_be32(t), flags = jbe16(t + 6);
        n++;
        if (pass == PASS_SCAN && blk >= w->io->fs_blocks)
            w->txn_bad = "journal descriptor: block number outside the file system";
        if (pass == PASS_COLLECT) {
            int e = note_copy(w, pos, n, blk, flags, seq);
            if (e < 0)
                return e;
        }
        off += JBD2_TAG + (flags & JBD2_FLAG_SAME_UUID ? 0 : JBD2_UUID);
        if (flags & JBD2_FLAG_LAST_TAG)
            break;
    }
    return n;
}

// A revoke block in w->desc: checked (scan) or recorded.
static int revoke_block(struct jwalk *w, int pass, uint32_t seq)
{
    uint32_t count = jbd2_be32(w->desc + JBD2_HDR);
    if (count < JBD2_REVOKE_HDR || count > w->bs || (count - JBD2_REVOKE_HDR) % 4) {
        w->txn_bad = "journal revoke block: bad count";
        return 0;
    }
    for (uint32_t off = JBD2_REVOKE_HDR; off < count; off += 4) {
        uint32_t blk = jbd2_be32(w->desc + off);
        if (pass == PASS_SCAN && blk >= w->io->fs_blocks)
            w->txn_bad = "journal revoke block: block number outside the file system";
        if (pass == PASS_COLLECT && rev_add(&w->rv, blk, seq) < 0)
            return -ENOMEM;
    }
    return 0;
}

// One walk over the journal from its start. The scan stops at the first
// block that is not the next one of the current transaction and sets
// res->end; the later passes stop at res->end. 0 or -errno.
static int jwalk(struct jwalk *w, int pass)
{
    const struct jbd2_sb *sb = w->sb;
    uint32_t pos = sb->start, seq = sb->sequence, ring = sb->maxlen - sb->first;
    uint64_t steps = 0;
    while (steps < ring && (pass == PASS_SCAN || seq != w->res->end)) {
        int e = w->io->read(w->io->ctx, pos, w->desc);
        if (e < 0)
            return e;
        if (jbd2_be32(w->desc) != JBD2_MAGIC || jbd2_be32(w->desc + 8) != seq)
            break;
        uint32_t type = jbd2_be32(w->desc + 4), n = 0;
        if (type == JBD2_DESCRIPTOR) {
            long r = desc_tags(w, pass, pos, seq);
            if (r < 0)
                return (int)r;
            n = (uint32_t)r;
        } else if (type == JBD2_REVOKE) {
            if ((e = revoke_block(w, pass, seq)) < 0)
                return e;
        } else if (type == JBD2_COMMIT) {
            if (pass == PASS_SCAN && w->txn_bad) {
                w->res->bad = w->txn_bad;
                return -EINVAL;
            }
            if (pass == PASS_SCAN)
                w->res->transactions++;
            seq++;
        } else {
            break;
        }
        steps += 1 + n;
        pos = ring_advance(sb, pos, 1 + n);
    }
    if (pass == PASS_SCAN) {
        w->res->end = seq;
        w->res->blocks = (uint32_t)(steps < ring ? steps : ring);
    }
    return 0;
}

int jbd2_recover(const struct jbd2_sb *sb, const struct jbd2_io *io, struct jbd2_result *res)
{
    struct jwalk w = { sb, io, res, { NULL, 64, 0 }, { NULL, 64, 0 }, NULL, NULL, sb->blocksize, NULL };
    memset(res, 0, sizeof(*res));
    if (!sb->start)
        return -EINVAL;
    w.rv.e = calloc(w.rv.cap, sizeof(struct bent));
    w.last.e = calloc(w.last.cap, sizeof(struct bent));
    w.desc = malloc(2 * (size_t)w.bs);
    int e = w.rv.e && w.last.e && w.desc ? 0 : -ENOMEM;
    w.copy = w.desc + w.bs;
    if (e == 0)
        e = jwalk(&w, PASS_SCAN);
    if (e == 0 && res->transactions)
        e = jwalk(&w, PASS_COLLECT);
    if (e == 0)
        e = replay(&w);
    free(w.rv.e);
    free(w.last.e);
    free(w.desc);
    return e;
}
