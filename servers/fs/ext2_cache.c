// ext2 block cache: EXT2_CACHE_BLOCKS blocks, least recently used one
// replaced. Writes change the cached copy and record the dirty byte range;
// ext2_flush() (called at the end of every changing operation) writes the
// dirty sectors, so that the cache is write-through per library call.
// With a journal (fs->journaling) a flush writes the call's file data in
// place and its metadata blocks (marked txn by ext2_bwrite) to the journal
// as one transaction; they stay dirty here and go in place when evicted
// or at a checkpoint. A txn block is never evicted before its commit.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

#define HASH_SIZE 512                // a power of two

struct ext2_cbuf {
    uint32_t blk, valid;
    uint32_t dirty_lo, dirty_hi;     // bytes to write back; none when equal
    int32_t hnext;                   // next buffer in the same hash chain
    int32_t newer, older;            // the LRU list, most recent first
    uint8_t txn, file;               // journal: in the running transaction / dirty file data
    uint8_t *data;
};

struct ext2_cache {
    struct ext2_cbuf buf[EXT2_CACHE_BLOCKS];
    int32_t hash[HASH_SIZE];         // first buffer of each chain, -1: none
    int32_t newest, oldest;
    int32_t dirty[EXT2_CACHE_BLOCKS];// buffers with bytes to write back
    int ndirty;
    uint32_t ntxn;                   // buffers with txn set
    uint64_t hits, misses;
    uint8_t *mem;
};

static void lru_unlink(struct ext2_cache *c, int i)
{
    struct ext2_cbuf *b = &c->buf[i];
    if (b->newer >= 0)
        c->buf[b->newer].older = b->older;
    else
        c->newest = b->older;
    if (b->older >= 0)
        c->buf[b->older].newer = b->newer;
    else
        c->oldest = b->newer;
}

// Makes buffer i the most recently used.
static void lru_touch(struct ext2_cache *c, int i)
{
    if (c->newest == i)
        return;                              // already
    lru_unlink(c, i);
    c->buf[i].newer = -1;
    c->buf[i].older = c->newest;
    if (c->newest >= 0)
        c->buf[c->newest].newer = i;
    c->newest = i;
    if (c->oldest < 0)
        c->oldest = i;
}

static void hash_remove(struct ext2_cache *c, int i)
{
    int32_t *p = &c->hash[c->buf[i].blk & (HASH_SIZE - 1)];
    while (*p >= 0 && *p != i)
        p = &c->buf[*p].hnext;
    if (*p == i)
        *p = c->buf[i].hnext;
}

// Allocates the cache for fs->block_size blocks; 0 or -ENOMEM.
int ext2_cache_init(struct ext2 *fs)
{
    struct ext2_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->mem = malloc((size_t)EXT2_CACHE_BLOCKS * fs->block_size);
    if (!c->mem) {
        free(c);
        return -ENOMEM;
    }
    for (int i = 0; i < HASH_SIZE; i++)
        c->hash[i] = -1;
    for (int i = 0; i < EXT2_CACHE_BLOCKS; i++) {      // LRU list 0 (newest) .. n-1
        c->buf[i] = (struct ext2_cbuf){ .hnext = -1, .newer = i - 1,
                                        .older = i + 1 < EXT2_CACHE_BLOCKS ? i + 1 : -1,
                                        .data = c->mem + (size_t)i * fs->block_size };
    }
    c->newest = 0;
    c->oldest = EXT2_CACHE_BLOCKS - 1;
    fs->cache = c;
    return 0;
}

void ext2_cache_free(struct ext2 *fs)
{
    if (!fs->cache)
        return;
    free(fs->cache->mem);
    free(fs->cache);
    fs->cache = NULL;
}

void ext2_cache_stats(struct ext2 *fs, uint64_t *hits, uint64_t *misses)
{
    *hits = fs->cache ? fs->cache->hits : 0;
    *misses = fs->cache ? fs->cache->misses : 0;
}

// Writes the dirty sectors of b to the device; 0 or -EIO.
static int cbuf_clean(struct ext2 *fs, struct ext2_cbuf *b)
{
    uint32_t lo = b->dirty_lo / 512, hi = (b->dirty_hi + 511) / 512;
    if (b->dirty_lo == b->dirty_hi)
        return 0;
    uint64_t sector = (uint64_t)b->blk * fs->sec_per_block + lo;
    if (fs->dev.write(fs->dev.ctx, sector, hi - lo, b->data + (size_t)lo * 512) < 0)
        return ext2_fail(fs, -EIO, "device write error");
    b->dirty_lo = b->dirty_hi = 0;
    b->file = 0;
    return 0;
}

// Writes buffer i back and takes it off the dirty list.
static int cache_clean_one(struct ext2 *fs, int i)
{
    struct ext2_cache *c = fs->cache;
    int e = cbuf_clean(fs, &c->buf[i]);
    if (e < 0)
        return e;
    for (int k = 0; k < c->ndirty; k++)
        if (c->dirty[k] == i) {
            c->dirty[k] = c->dirty[--c->ndirty];
            break;
        }
    return 0;
}

// The buffer to reuse: the least recently used clean one, else the least
// recently used one not in the running transaction (not in place before
// its commit). With a journal, committed metadata stays dirty until a
// checkpoint: a read should not pay for writing it. -1: none.
static int victim_pick(struct ext2_cache *c)
{
    int any = -1;
    for (int v = c->oldest; v >= 0; v = c->buf[v].newer) {
        if (c->buf[v].txn)
            continue;
        if (c->buf[v].dirty_lo == c->buf[v].dirty_hi)
            return v;
        if (any < 0)
            any = v;
    }
    return any;
}

// The buffer holding blk: found through the hash, or the least recently
// used one, cleaned and (fill) loaded from the device. 0 or -EIO.
static int cache_get(struct ext2 *fs, uint32_t blk, int fill, struct ext2_cbuf **out)
{
    struct ext2_cache *c = fs->cache;
    if (blk >= fs->blocks_count)
        return ext2_corrupt(fs, "block number outside the file system");
    for (int i = c->hash[blk & (HASH_SIZE - 1)]; i >= 0; i = c->buf[i].hnext) {
        if (c->buf[i].blk == blk) {
            c->hits++;
            lru_touch(c, i);
            *out = &c->buf[i];
            return 0;
        }
    }
    int v = victim_pick(c);
    if (v < 0)
        return ext2_corrupt(fs, "cache full of uncommitted blocks");
    struct ext2_cbuf *victim = &c->buf[v];
    int e = cache_clean_one(fs, v);
    if (e < 0)
        return e;
    if (victim->valid)
        hash_remove(c, v);
    victim->valid = 0;
    if (fill) {
        c->misses++;
        uint64_t sector = (uint64_t)blk * fs->sec_per_block;
        if (fs->dev.read(fs->dev.ctx, sector, fs->sec_per_block, victim->data) < 0)
            return ext2_fail(fs, -EIO, "device read error");
    }
    victim->blk = blk;
    victim->valid = 1;
    victim->hnext = c->hash[blk & (HASH_SIZE - 1)];
    c->hash[blk & (HASH_SIZE - 1)] = v;
    lru_touch(c, v);
    *out = victim;
    return 0;
}

// Copies len bytes at off of block blk to out; 0 or -EIO.
// memcpy for block data: whole aligned words move with one string
// instruction (a quarter of the instructions of the generic copy).
static void block_copy(void *d, const void *s, size_t n)
{
#if defined(__x86_64__)
    if (!(((uintptr_t)d | (uintptr_t)s | n) & 7)) {
        n /= 8;
        __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
        return;
    }
#endif
    memcpy(d, s, n);
}

// Where len bytes at off of block blk are in the cache (read from the
// disk if need be): valid until the next cache call.
int ext2_bref(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void **out)
{
    struct ext2_cbuf *b;
    if (off > fs->block_size || len > fs->block_size - off)
        return ext2_corrupt(fs, "read past the end of a block");
    int e = cache_get(fs, blk, 1, &b);
    if (e < 0)
        return e;
    *out = b->data + off;
    return 0;
}

// Copies len bytes at off of block blk into out.
int ext2_bread(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, void *out)
{
    const void *at = NULL;
    int e = ext2_bref(fs, blk, off, len, &at);
    if (e < 0)
        return e;
    block_copy(out, at, len);
    return 0;
}

// Marks b as changed by the running transaction (metadata) or as file
// data: a block freed and used again in one transaction changes kind.
static void journal_mark(struct ext2_cache *c, struct ext2_cbuf *b, int file)
{
    if (file && b->txn) {
        b->txn = 0;
        c->ntxn--;
    } else if (!file && !b->txn) {
        b->txn = 1;
        c->ntxn++;
    }
    b->file = (uint8_t)file;
}

static int cache_write(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len,
                       const void *in, int file)
{
    struct ext2_cbuf *b;
    if (fs->readonly)
        return -EROFS;
    if (off > fs->block_size || len > fs->block_size - off)
        return ext2_corrupt(fs, "write past the end of a block");
    if (!len)
        return 0;
    fs->writes++;                            // what ext2_read_ref remembers may change
    int e = cache_get(fs, blk, off != 0 || len != fs->block_size, &b);
    if (e < 0)
        return e;
    if (fs->journaling && !file && !b->txn && ext2_jnl_tx_full(fs, fs->cache->ntxn) &&
        (e = ext2_flush(fs)) < 0)
        return e;                            // a very large call: committed in parts
    block_copy(b->data + off, in, len);
    if (b->dirty_lo == b->dirty_hi) {
        fs->cache->dirty[fs->cache->ndirty++] = (int32_t)(b - fs->cache->buf);
        b->dirty_lo = off;
        b->dirty_hi = off + len;
    } else {
        b->dirty_lo = off < b->dirty_lo ? off : b->dirty_lo;
        b->dirty_hi = off + len > b->dirty_hi ? off + len : b->dirty_hi;
    }
    if (fs->journaling)
        journal_mark(fs->cache, b, file);
    return 0;
}

// Stores len bytes at off of metadata block blk (on the device at the
// next flush, or in the journal).
int ext2_bwrite(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void *in)
{
    return cache_write(fs, blk, off, len, in, 0);
}

// The same for a block of a regular file's data (never journaled).
int ext2_bwrite_data(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void *in)
{
    return cache_write(fs, blk, off, len, in, 1);
}

// Fills block blk with zeros.
int ext2_bzero(struct ext2 *fs, uint32_t blk)
{
    static const uint8_t zero[4096];
    return ext2_bwrite(fs, blk, 0, fs->block_size, zero);
}

int ext2_bzero_data(struct ext2 *fs, uint32_t blk)
{
    static const uint8_t zero[4096];
    return ext2_bwrite_data(fs, blk, 0, fs->block_size, zero);
}

// Writes the dirty blocks that pass the filter (all: every one) to the
// device and takes them off the dirty list; 0 or -EIO (those stay dirty).
static int write_dirty(struct ext2 *fs, int all)
{
    struct ext2_cache *c = fs->cache;
    int ret = 0, kept = 0;
    for (int k = 0; k < c->ndirty; k++) {
        struct ext2_cbuf *b = &c->buf[c->dirty[k]];
        int e = all || b->file ? cbuf_clean(fs, b) : 1;
        if (e < 0)
            ret = e;
        if (e != 0)
            c->dirty[kept++] = c->dirty[k];
    }
    c->ndirty = kept;
    return ret;
}

// Writes every dirty block in place; 0 or -EIO. Not with a transaction
// running (its blocks must reach the journal first).
int ext2_writeback(struct ext2 *fs)
{
    if (!fs->cache)
        return 0;
    if (fs->cache->ntxn)
        return ext2_corrupt(fs, "write-back with a transaction running");
    return write_dirty(fs, 1);
}

// The transaction: file data in place first (ordered), then its metadata
// to the journal; a checkpoint when the journal is low on room.
static int commit(struct ext2 *fs)
{
    struct ext2_cache *c = fs->cache;
    uint32_t *blks = ext2_jnl_blks(fs), n = 0;
    uint8_t **data = ext2_jnl_data(fs);
    int e = write_dirty(fs, 0);
    if (e < 0)
        return e;
    for (int k = 0; k < c->ndirty; k++) {
        struct ext2_cbuf *b = &c->buf[c->dirty[k]];
        if (b->txn) {
            blks[n] = b->blk;
            data[n++] = b->data;
        }
    }
    if ((e = ext2_jnl_commit(fs, n, blks, data)) < 0)
        return e;
    for (int k = 0; k < c->ndirty; k++)
        c->buf[c->dirty[k]].txn = 0;
    c->ntxn = 0;
    if (!ext2_jnl_needs_checkpoint(fs))
        return 0;
    e = write_dirty(fs, 1);
    return e < 0 ? e : ext2_jnl_checkpoint(fs, 0);
}

// Ends a changing call: writes every dirty block (or, journaling, commits
// the call's transaction); 0 or -EIO (those stay dirty).
int ext2_flush(struct ext2 *fs)
{
    if (!fs->cache)
        return 0;
    return fs->journaling ? commit(fs) : write_dirty(fs, 1);
}

// Forgets every block (after a journal replay wrote under the cache).
void ext2_cache_drop(struct ext2 *fs)
{
    struct ext2_cache *c = fs->cache;
    for (int i = 0; i < HASH_SIZE; i++)
        c->hash[i] = -1;
    for (int i = 0; i < EXT2_CACHE_BLOCKS; i++) {
        c->buf[i].valid = c->buf[i].txn = c->buf[i].file = 0;
        c->buf[i].dirty_lo = c->buf[i].dirty_hi = 0;
        c->buf[i].hnext = -1;
    }
    c->ndirty = 0;
    c->ntxn = 0;
}
