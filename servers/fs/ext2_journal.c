// The ext2 library's journal (an image made with `mkfs.ext2 -j`): the
// JBD2 journal in the journal inode, used in ordered mode. The cache
// (ext2_cache.c) marks the metadata blocks a changing call dirties; at the
// end of the call it writes the call's file data in place, then hands the
// metadata blocks here: one transaction (descriptor, copies, revoke
// records, commit block) at the journal's head. The metadata reaches its
// place later, when the cache evicts it or at a checkpoint: when the
// journal has less room than a transaction may need, every dirty block is
// written in place and the journal superblock's start moves to the head.
// A mount replays the committed transactions (jbd2_recover) instead of a
// repair pass over the whole file system.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"
#include "jbd2.h"

#define TX_MAX      64           // metadata blocks per transaction (then it is committed early)
#define JNL_MIN     1024         // smaller journals are not used (mkfs makes none)
#define LIVE_MAX    256          // journal blocks in use that make a checkpoint
#define JNL_MAX     (1u << 20)
#define JNL_REQ_SECTORS 128      // the most a device request carries (disk_proto.h)

struct ext2_jnl {
    uint32_t nblocks;            // blocks of the journal inode
    uint32_t *map;               // journal block -> file system block
    uint8_t *jsb;                // the journal superblock as on the disk
    struct jbd2_sb sb;
    uint32_t head, tail;         // next block to write; start of the oldest live transaction
    uint32_t seq;                // the running transaction
    int live;                    // the superblock on the disk has start = tail (0: empty)
    uint32_t reserve;            // journal blocks one transaction may take
    uint8_t *stage;              // a transaction being written (reserve blocks)
    uint8_t *logged;             // bit per fs block: in the journal since it was last emptied
    uint32_t *logged_list, nlogged;
    uint32_t *revokes, nrev, rev_max;
    uint32_t *blks;              // the running transaction's blocks (TX_MAX), for the cache
    uint8_t **data;
};

static uint32_t ring(struct ext2_jnl *j) { return j->sb.maxlen - j->sb.first; }

static uint32_t advance(struct ext2_jnl *j, uint32_t pos, uint32_t n)
{
    return j->sb.first + (uint32_t)(((uint64_t)pos - j->sb.first + n) % ring(j));
}

// Blocks free between the head and the tail (one is always left).
static uint32_t jnl_free(struct ext2_jnl *j)
{
    uint32_t used = j->live ? (j->head + ring(j) - j->tail) % ring(j) : 0;
    return ring(j) - used - 1;
}

// Writes k blocks from buf to the journal from block pos: runs that are
// contiguous on the disk go out as one request. 0 or -EIO.
static int jnl_write(struct ext2 *fs, uint32_t pos, const uint8_t *buf, uint32_t k)
{
    struct ext2_jnl *j = fs->jnl;
    uint32_t done = 0;
    while (done < k) {
        uint32_t p = advance(j, pos, done), n = 1;
        while (done + n < k && p + n < j->sb.maxlen && j->map[p + n] == j->map[p] + n &&
               (n + 1) * fs->sec_per_block <= JNL_REQ_SECTORS)
            n++;
        uint64_t sector = (uint64_t)j->map[p] * fs->sec_per_block;
        if (fs->dev.write(fs->dev.ctx, sector, n * fs->sec_per_block,
                          buf + (size_t)done * fs->block_size) < 0)
            return ext2_fail(fs, -EIO, "device write error (journal)");
        done += n;
    }
    return 0;
}

// Writes the journal superblock: start (0: empty) and the sequence.
static int jsb_put(struct ext2 *fs, uint32_t start)
{
    struct ext2_jnl *j = fs->jnl;
    j->sb.start = start;
    j->sb.sequence = j->seq;
    j->sb.incompat |= JBD2_INCOMPAT_REVOKE;
    jbd2_sb_encode(j->jsb, &j->sb);
    uint64_t sector = (uint64_t)j->map[0] * fs->sec_per_block;
    if (fs->dev.write(fs->dev.ctx, sector, fs->sec_per_block, j->jsb) < 0)
        return ext2_fail(fs, -EIO, "device write error (journal superblock)");
    j->live = start != 0;
    return 0;
}

static void logged_clear(struct ext2_jnl *j)
{
    for (uint32_t i = 0; i < j->nlogged; i++)
        rp_clr(j->logged, j->logged_list[i]);
    j->nlogged = 0;
}

static void logged_add(struct ext2_jnl *j, uint32_t blk)
{
    if (rp_bit(j->logged, blk) || j->nlogged >= j->nblocks)
        return;
    rp_set(j->logged, blk);
    j->logged_list[j->nlogged++] = blk;
}

// Copies block i of the transaction into the stage at out: the
// superblock's bytes come from fs->sb (the cache may hold an older state
// of them); escaped if it begins with the journal's magic.
static int stage_copy(struct ext2 *fs, uint8_t *out, uint32_t blk, const uint8_t *data)
{
    memcpy(out, data, fs->block_size);
    if (blk == 1024 / fs->block_size)
        memcpy(out + 1024 % fs->block_size, fs->sb, 1024);
    if (jbd2_be32(out) != JBD2_MAGIC)
        return 0;
    memset(out, 0, 4);
    return 1;
}

// Lays out the transaction in the stage; the number of blocks.
static uint32_t stage_tx(struct ext2 *fs, uint32_t n, const uint32_t *blks, uint8_t *const *data)
{
    struct ext2_jnl *j = fs->jnl;
    uint32_t bs = fs->block_size, tpb = jbd2_tags_per_block(bs), k = 0;
    uint32_t rpb = jbd2_revokes_per_block(bs);
    for (uint32_t i = 0; i < n; i += tpb) {
        uint8_t *desc = j->stage + (size_t)k++ * bs;
        uint32_t m = n - i < tpb ? n - i : tpb;
        jbd2_block_init(desc, bs, JBD2_DESCRIPTOR, j->seq);
        for (uint32_t t = 0; t < m; t++) {
            int esc = stage_copy(fs, j->stage + (size_t)k++ * bs, blks[i + t], data[i + t]);
            jbd2_tag_put(desc, t, blks[i + t], esc, t == m - 1);
        }
    }
    for (uint32_t i = 0; i < j->nrev; i += rpb) {
        uint8_t *b = j->stage + (size_t)k++ * bs;
        uint32_t m = j->nrev - i < rpb ? j->nrev - i : rpb;
        jbd2_block_init(b, bs, JBD2_REVOKE, j->seq);
        for (uint32_t t = 0; t < m; t++)
            jbd2_revoke_put(b, t, j->revokes[i + t]);
        jbd2_revoke_count(b, m);
    }
    jbd2_commit_init(j->stage + (size_t)k++ * bs, bs, j->seq, fs->now);
    return k;
}

int ext2_jnl_commit(struct ext2 *fs, uint32_t n, const uint32_t *blks, uint8_t *const *data)
{
    struct ext2_jnl *j = fs->jnl;
    if (!n && !j->nrev)
        return 0;
    if (n > TX_MAX)
        return ext2_fail(fs, -EIO, "journal: transaction too large");
    if (!j->live)
        j->tail = j->head;                   // an empty journal starts where it is
    int e = j->live ? 0 : jsb_put(fs, j->head);
    if (e < 0)
        return e;
    uint32_t k = stage_tx(fs, n, blks, data);
    if (k > jnl_free(j))
        return ext2_fail(fs, -EIO, "journal full");
    if ((e = jnl_write(fs, j->head, j->stage, k)) < 0)
        return e;
    for (uint32_t i = 0; i < n; i++)
        logged_add(j, blks[i]);
    j->head = advance(j, j->head, k);
    j->seq++;
    j->nrev = 0;
    fs->journal.commits++;
    return 0;
}

int ext2_jnl_tx_full(struct ext2 *fs, uint32_t ntxn)
{
    return fs->jnl && (ntxn >= TX_MAX || fs->jnl->nrev >= fs->jnl->rev_max);
}

// After a commit: when the journal has less room than a transaction may
// need, or holds more than LIVE_MAX blocks (what a replay may have to
// read: the cost of a restart stays small and the same on every disk).
int ext2_jnl_needs_checkpoint(struct ext2 *fs)
{
    struct ext2_jnl *j = fs->jnl;
    return jnl_free(j) < j->reserve || ring(j) - 1 - jnl_free(j) > LIVE_MAX;
}

// Everything in the journal is in place now (the cache wrote it back):
// empty = 0 leaves the journal live but empty at its head (the next
// transaction needs no superblock write), empty = 1 marks it empty.
int ext2_jnl_checkpoint(struct ext2 *fs, int empty)
{
    struct ext2_jnl *j = fs->jnl;
    if (!empty && !j->live)
        return 0;
    int e = jsb_put(fs, empty ? 0 : j->head);
    if (e < 0)
        return e;
    j->tail = j->head;
    logged_clear(j);
    fs->journal.checkpoints++;
    return 0;
}

// A block freed by the running transaction: if the journal holds a copy
// of it, the copy must not be replayed over what the block holds next.
int ext2_jnl_revoke(struct ext2 *fs, uint32_t blk)
{
    struct ext2_jnl *j = fs->jnl;
    if (!j || !fs->journaling || !rp_bit(j->logged, blk))
        return 0;
    int e = j->nrev >= j->rev_max ? ext2_flush(fs) : 0;   // a very large call: in parts
    if (e < 0)
        return e;
    j->revokes[j->nrev++] = blk;
    return 0;
}

uint32_t *ext2_jnl_blks(struct ext2 *fs) { return fs->jnl->blks; }
uint8_t **ext2_jnl_data(struct ext2 *fs) { return fs->jnl->data; }

void ext2_jnl_free(struct ext2 *fs)
{
    struct ext2_jnl *j = fs->jnl;
    if (!j)
        return;
    free(j->map);
    free(j->jsb);
    free(j->stage);
    free(j->logged);
    free(j->logged_list);
    free(j->revokes);
    free(j->blks);
    free(j->data);
    free(j);
    fs->jnl = NULL;
    fs->journaling = 0;
}

// ---- mount ----

// Maps the journal inode's blocks; NULL or what is wrong.
static const char *jnl_map(struct ext2 *fs, struct ext2_jnl *j)
{
    struct ext2_inode ind;
    uint32_t ino = le32(fs->sb + SB_JOURNAL_INUM);
    if (le32(fs->sb + SB_JOURNAL_DEV))
        return "external journal";
    if (ino == 0 || ino > fs->inodes_count || ext2_inode_get(fs, ino, &ind) < 0)
        return "bad journal inode number";
    if (!ext2_is_reg(&ind) || ind.size % fs->block_size)
        return "journal inode is not a regular file of whole blocks";
    uint64_t n = ind.size / fs->block_size;
    if (n < JNL_MIN || n > JNL_MAX || n >= fs->blocks_count)
        return "journal size out of range";
    j->nblocks = (uint32_t)n;
    j->map = malloc(n * sizeof(uint32_t));
    if (!j->map)
        return "out of memory";
    for (uint32_t i = 0; i < n; i++) {
        long b = ext2_bmap(fs, &ind, i, 0, NULL);
        if (b <= 0 || !ext2_blk_ok(fs, (uint32_t)b))
            return "journal inode has a hole or a bad block";
        j->map[i] = (uint32_t)b;
    }
    return NULL;
}

static int jnl_alloc(struct ext2 *fs, struct ext2_jnl *j)
{
    uint32_t bs = fs->block_size, tpb = jbd2_tags_per_block(bs);
    j->rev_max = 2 * jbd2_revokes_per_block(bs);
    j->reserve = (TX_MAX + tpb - 1) / tpb + TX_MAX + 2 + 1;
    j->jsb = malloc(bs);
    j->stage = malloc((size_t)j->reserve * bs);
    j->logged = calloc(fs->blocks_count / 8 + 1, 1);
    j->logged_list = malloc((size_t)j->nblocks * 4);
    j->revokes = malloc((size_t)j->rev_max * 4);
    j->blks = malloc(TX_MAX * sizeof(uint32_t));
    j->data = malloc(TX_MAX * sizeof(uint8_t *));
    if (!j->jsb || !j->stage || !j->logged || !j->logged_list || !j->revokes || !j->blks || !j->data)
        return -ENOMEM;
    return 0;
}

static int rec_read(void *ctx, uint32_t jblk, uint8_t *buf)
{
    struct ext2 *fs = ctx;
    uint64_t sector = (uint64_t)fs->jnl->map[jblk] * fs->sec_per_block;
    return fs->disk.read(fs->disk.ctx, sector, fs->sec_per_block, buf) < 0 ? -EIO : 0;
}

// Replay writes go to the disk as they are (the superblock's sectors too).
static int rec_write(void *ctx, uint32_t fsblk, const uint8_t *buf)
{
    struct ext2 *fs = ctx;
    uint64_t sector = (uint64_t)fsblk * fs->sec_per_block;
    return fs->disk.write(fs->disk.ctx, sector, fs->sec_per_block, buf) < 0 ? -EIO : 0;
}

// Replays the journal if it is not empty; 1 if blocks were written in
// place (the caller reads the superblock and descriptors again), 0, or
// -EIO (device). A journal refused leaves fs->journal.bad set.
static int jnl_replay(struct ext2 *fs, struct ext2_jnl *j)
{
    struct jbd2_result res;
    struct jbd2_io io = { fs, rec_read, rec_write, fs->blocks_count };
    int e = jbd2_recover(&j->sb, &io, &res);
    fs->journal.transactions = res.transactions;
    fs->journal.blocks = res.replayed;
    fs->journal.revoked = res.revoked;
    fs->journal.scanned = res.blocks;
    if (e == -EINVAL) {
        fs->journal.bad = res.bad;
        j->seq = j->sb.sequence + ring(j);   // past anything the ring can hold
        return 0;
    }
    if (e < 0)
        return ext2_fail(fs, e == -ENOMEM ? -ENOMEM : -EIO, "journal replay failed");
    fs->journal.replayed = 1;
    j->seq = res.end + 1;
    return res.replayed ? 1 : 0;
}

// One past the highest sequence number the journal's blocks carry: a
// fresh journal must not run into a stale block that continues it.
static uint32_t jnl_next_seq(struct ext2 *fs, struct ext2_jnl *j)
{
    uint32_t max = 0;
    for (uint32_t i = 1; i < j->nblocks; i++)
        if (rec_read(fs, i, j->stage) == 0 && jbd2_be32(j->stage) == JBD2_MAGIC &&
            jbd2_be32(j->stage + 8) > max)
            max = jbd2_be32(j->stage + 8);
    return max + 1;
}

// Reads the journal superblock; a bad one is replaced by a fresh empty
// journal (fs->journal.bad says why: the mount repairs instead).
static int jnl_super(struct ext2 *fs, struct ext2_jnl *j)
{
    uint64_t sector = (uint64_t)j->map[0] * fs->sec_per_block;
    if (fs->disk.read(fs->disk.ctx, sector, fs->sec_per_block, j->jsb) < 0)
        return ext2_fail(fs, -EIO, "cannot read the journal superblock");
    const char *why = jbd2_sb_decode(j->jsb, fs->block_size, j->nblocks, &j->sb);
    if (!why)
        return 0;
    fs->journal.bad = why;
    jbd2_sb_format(j->jsb, fs->block_size, j->nblocks, jnl_next_seq(fs, j));
    jbd2_sb_decode(j->jsb, fs->block_size, j->nblocks, &j->sb);
    return 0;
}

int ext2_jnl_mount(struct ext2 *fs)
{
    struct ext2_jnl *j = calloc(1, sizeof(*j));
    if (!j)
        return -ENOMEM;
    fs->jnl = j;
    const char *why = jnl_map(fs, j);
    int e = why ? 0 : jnl_alloc(fs, j);
    if (why || e < 0) {
        fs->journal.bad = why;
        ext2_jnl_free(fs);
        return e;
    }
    fs->journal.present = 1;
    if ((e = jnl_super(fs, j)) < 0)
        return e;
    j->seq = j->sb.sequence;
    int replayed = j->sb.start && !fs->journal.bad ? jnl_replay(fs, j) : 0;
    if (replayed < 0)
        return replayed;
    j->head = j->tail = j->sb.first;
    e = fs->journal.bad || j->sb.start ? jsb_put(fs, 0) : 0;   // empty from now on
    return e < 0 ? e : replayed;
}
