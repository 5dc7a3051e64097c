// ext2 block cache: EXT2_CACHE_BLOCKS blocks, least recently used one
// replaced. Writes change the cached copy and record the dirty byte range;
// ext2_flush() (called at the end of every changing operation) writes the
// dirty sectors, so that the cache is write-through per library call.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

struct ext2_cbuf {
    uint32_t blk, valid;
    uint32_t dirty_lo, dirty_hi;     // bytes to write back; none when equal
    uint64_t stamp;                  // last use, for LRU
    uint8_t *data;
};

struct ext2_cache {
    struct ext2_cbuf buf[EXT2_CACHE_BLOCKS];
    uint64_t tick, hits, misses;
    uint8_t *mem;
};

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
    for (int i = 0; i < EXT2_CACHE_BLOCKS; i++)
        c->buf[i].data = c->mem + (size_t)i * fs->block_size;
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
    return 0;
}

// The buffer holding blk: found in the cache, or the least recently used
// one, cleaned and (fill) loaded from the device. 0 or -EIO.
static int cache_get(struct ext2 *fs, uint32_t blk, int fill, struct ext2_cbuf **out)
{
    struct ext2_cache *c = fs->cache;
    struct ext2_cbuf *victim = NULL;
    if (blk >= fs->blocks_count)
        return ext2_corrupt(fs, "block number outside the file system");
    for (int i = 0; i < EXT2_CACHE_BLOCKS; i++) {
        struct ext2_cbuf *b = &c->buf[i];
        if (b->valid && b->blk == blk) {
            c->hits++;
            b->stamp = ++c->tick;
            *out = b;
            return 0;
        }
        if (!victim || (victim->valid && (!b->valid || b->stamp < victim->stamp)))
            victim = b;
    }
    int e = cbuf_clean(fs, victim);
    if (e < 0)
        return e;
    victim->valid = 0;
    if (fill) {
        c->misses++;
        uint64_t sector = (uint64_t)blk * fs->sec_per_block;
        if (fs->dev.read(fs->dev.ctx, sector, fs->sec_per_block, victim->data) < 0)
            return ext2_fail(fs, -EIO, "device read error");
    }
    victim->blk = blk;
    victim->valid = 1;
    victim->stamp = ++c->tick;
    *out = victim;
    return 0;
}

// Copies len bytes at off of block blk to out; 0 or -EIO.
int ext2_bread(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, void *out)
{
    struct ext2_cbuf *b;
    if (off > fs->block_size || len > fs->block_size - off)
        return ext2_corrupt(fs, "read past the end of a block");
    int e = cache_get(fs, blk, 1, &b);
    if (e < 0)
        return e;
    memcpy(out, b->data + off, len);
    return 0;
}

// Stores len bytes at off of block blk (on the device at the next flush).
int ext2_bwrite(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void *in)
{
    struct ext2_cbuf *b;
    if (fs->readonly)
        return -EROFS;
    if (off > fs->block_size || len > fs->block_size - off)
        return ext2_corrupt(fs, "write past the end of a block");
    if (!len)
        return 0;
    int e = cache_get(fs, blk, off != 0 || len != fs->block_size, &b);
    if (e < 0)
        return e;
    memcpy(b->data + off, in, len);
    if (b->dirty_lo == b->dirty_hi) {
        b->dirty_lo = off;
        b->dirty_hi = off + len;
    } else {
        b->dirty_lo = off < b->dirty_lo ? off : b->dirty_lo;
        b->dirty_hi = off + len > b->dirty_hi ? off + len : b->dirty_hi;
    }
    return 0;
}

// Fills block blk with zeros.
int ext2_bzero(struct ext2 *fs, uint32_t blk)
{
    static const uint8_t zero[4096];
    return ext2_bwrite(fs, blk, 0, fs->block_size, zero);
}

// Writes every dirty block to the device; 0 or -EIO (those stay dirty).
int ext2_flush(struct ext2 *fs)
{
    int ret = 0;
    if (!fs->cache)
        return 0;
    for (int i = 0; i < EXT2_CACHE_BLOCKS; i++) {
        struct ext2_cbuf *b = &fs->cache->buf[i];
        int e = b->valid ? cbuf_clean(fs, b) : 0;
        if (e < 0)
            ret = e;
    }
    return ret;
}
