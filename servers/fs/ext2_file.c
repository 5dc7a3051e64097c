// ext2 file contents: read, write, truncate, and symbolic link targets.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

#define READ_MAX (1ull << 30)      // largest single read or write

// Checks that a file may grow to size bytes; sets the large_file feature
// when it passes 2 GiB. 0, -EFBIG or a write error.
int ext2_grow_limit(struct ext2 *fs, uint64_t size)
{
    if (size > fs->max_file)
        return -EFBIG;
    uint32_t ro = le32(fs->sb + SB_RO_COMPAT);
    if (size <= 0x7fffffff || (ro & RO_COMPAT_LARGE_FILE))
        return 0;
    put32(fs->sb + SB_RO_COMPAT, ro | RO_COMPAT_LARGE_FILE);
    return ext2_sb_put(fs);
}

// Loads a regular file for read or write: -EISDIR, -EINVAL for other types.
static int file_get(struct ext2 *fs, uint64_t ino, struct ext2_inode *ind)
{
    int e = ext2_inode_live(fs, ino, ind);
    if (e < 0)
        return e;
    return ext2_is_dir(ind) ? -EISDIR : !ext2_is_reg(ind) ? -EINVAL : 0;
}

// The part of a read at off that lies in file ino: *len cut at the end
// of the file (0 past it) and at READ_MAX; the inode in *ind.
static int read_span(struct ext2 *fs, uint64_t ino, uint64_t off, uint64_t *len,
                     struct ext2_inode *ind)
{
    int e = file_get(fs, ino, ind);
    if (e < 0)
        return e;
    uint64_t left = off < ind->size ? ind->size - off : 0;
    *len = *len < left ? *len : left;
    *len = *len < READ_MAX ? *len : READ_MAX;
    return 0;
}

// Reads up to len bytes at off of file ino into buf: the count, 0 at
// the end of the file, or a negative errno.
long ext2_read(struct ext2 *fs, uint64_t ino, uint64_t off, void *buf, uint64_t len)
{
    struct ext2_inode ind;
    uint64_t done = 0, bs = fs->block_size;
    int e = read_span(fs, ino, off, &len, &ind);
    if (e < 0)
        return e;
    while (done < len) {
        uint64_t pos = off + done;
        uint32_t boff = (uint32_t)(pos % bs), n = (uint32_t)(bs - boff);
        n = n < len - done ? n : (uint32_t)(len - done);
        long b = ext2_bmap(fs, &ind, pos / bs, 0, NULL);
        if (b < 0)
            return b;
        if (b == 0)
            memset((uint8_t *)buf + done, 0, n);
        else if ((e = ext2_bread(fs, (uint32_t)b, boff, n, (uint8_t *)buf + done)) < 0)
            return e;
        done += n;
    }
    return (long)done;
}

// A read that lies in one allocated block, answered from the block cache
// without a copy: *out points at the bytes (until the next cache call).
// Anything else leaves *out NULL and returns 0: the caller uses ext2_read.
// The file's size and the block's place on the disk are remembered from
// the last call (fs->read_memo) until a block is written: reading a file
// again and again in pieces does not look up its inode and block map
// every time.
long ext2_read_ref(struct ext2 *fs, uint64_t ino, uint64_t off, uint64_t len, const void **out)
{
    struct ext2_read_memo *m = &fs->read_memo;
    uint64_t bs = fs->block_size, lblk = off / bs;
    *out = NULL;
    if (m->writes != fs->writes || m->ino != ino || m->lblk != lblk || !m->ino) {
        struct ext2_inode ind;
        int e = file_get(fs, ino, &ind);
        if (e < 0)
            return e;
        long b = off < ind.size ? ext2_bmap(fs, &ind, lblk, 0, NULL) : 0;
        if (b < 0)
            return b;
        *m = (struct ext2_read_memo){ fs->writes, ino, ind.size, lblk, (uint32_t)b };
    }
    uint64_t left = off < m->size ? m->size - off : 0;
    len = len < left ? len : left;
    if (!len || off % bs + len > bs || !m->pblk)
        return 0;
    int e = ext2_bref(fs, m->pblk, (uint32_t)(off % bs), (uint32_t)len, out);
    return e < 0 ? e : (long)len;
}

// Writes n bytes at boff of logical block lblk of ind, allocating it;
// a new block gets zeros around the data.
static int write_block(struct ext2 *fs, struct ext2_inode *ind, uint64_t lblk, uint32_t boff,
                       uint32_t n, const uint8_t *src)
{
    int fresh;
    long b = ext2_bmap(fs, ind, lblk, 1, &fresh);
    if (b < 0)
        return (int)b;
    if (!fresh || n == fs->block_size)
        return ext2_bwrite_data(fs, (uint32_t)b, boff, n, src);
    int e = ext2_bzero_data(fs, (uint32_t)b);
    return e < 0 ? e : ext2_bwrite_data(fs, (uint32_t)b, boff, n, src);
}

// Zeros the bytes of pos's block from pos on (if the block exists), so
// that a later extension reads zeros there.
static int zero_tail(struct ext2 *fs, struct ext2_inode *ind, uint64_t pos)
{
    static const uint8_t zero[4096];
    uint32_t boff = (uint32_t)(pos % fs->block_size);
    if (boff == 0)
        return 0;
    long b = ext2_bmap(fs, ind, pos / fs->block_size, 0, NULL);
    if (b <= 0)
        return (int)b;
    return ext2_bwrite_data(fs, (uint32_t)b, boff, fs->block_size - boff, zero);
}

// Writes len bytes at off; the count written. Stops early only when the
// disk is full (or corrupt) after some bytes went out.
static long file_write(struct ext2 *fs, struct ext2_inode *ind, uint64_t off,
                       const uint8_t *buf, uint64_t len)
{
    uint64_t done = 0, bs = fs->block_size;
    int e = off > ind->size ? zero_tail(fs, ind, ind->size) : 0;
    while (done < len && e == 0) {
        uint64_t pos = off + done;
        uint32_t boff = (uint32_t)(pos % bs), n = (uint32_t)(bs - boff);
        n = n < len - done ? n : (uint32_t)(len - done);
        e = write_block(fs, ind, pos / bs, boff, n, buf + done);
        if (e == 0)
            done += n;
    }
    if (done && off + done > ind->size)
        ind->size = off + done;
    if (done)
        ext2_touch(fs, ind);
    if (e == -ENOSPC)                      // indirect blocks taken before the disk filled
        ext2_bmap_trim(fs, ind, (ind->size + bs - 1) / bs);
    int pe = ext2_inode_put(fs, ind);      // also when failing: blocks were linked
    if (e < 0 && !done)
        return e;
    return pe < 0 ? pe : (long)done;
}

long ext2_write(struct ext2 *fs, uint64_t ino, uint64_t off, const void *buf, uint64_t len)
{
    struct ext2_inode ind;
    if (fs->readonly)
        return -EROFS;
    int e = file_get(fs, ino, &ind);
    if (e < 0 || len == 0)
        return e;
    if (off >= fs->max_file)
        return -EFBIG;
    len = len < READ_MAX ? len : READ_MAX;
    len = len < fs->max_file - off ? len : fs->max_file - off;
    if ((e = ext2_grow_limit(fs, off + len)) < 0)
        return ext2_done(fs, e);
    return ext2_done(fs, file_write(fs, &ind, off, buf, len));
}

// Sets the size of ind, freeing blocks past it.
static int file_resize(struct ext2 *fs, struct ext2_inode *ind, uint64_t size)
{
    uint64_t bs = fs->block_size;
    int e = ext2_grow_limit(fs, size);
    if (e == 0)
        e = zero_tail(fs, ind, size < ind->size ? size : ind->size);
    if (e == 0 && size < ind->size)
        e = ext2_bmap_trim(fs, ind, (size + bs - 1) / bs);
    if (e == 0) {
        ind->size = size;
        ext2_touch(fs, ind);
    }
    int pe = ext2_inode_put(fs, ind);
    return e < 0 ? e : pe;
}

long ext2_truncate(struct ext2 *fs, uint64_t ino, uint64_t size)
{
    struct ext2_inode ind;
    if (fs->readonly)
        return -EROFS;
    int e = file_get(fs, ino, &ind);
    if (e < 0)
        return e;
    return ext2_done(fs, file_resize(fs, &ind, size));
}

// Copies the target of symlink ind to out (block_size bytes), NUL-terminated;
// its length or -EIO.
long ext2_link_target(struct ext2 *fs, struct ext2_inode *ind, char *out)
{
    uint64_t len = ind->size;
    if (len == 0 || len >= fs->block_size)
        return ext2_corrupt(fs, "bad symbolic link length");
    if (ext2_link_is_fast(fs, ind)) {
        uint8_t raw[EXT2_FAST_LINK];
        if (len >= EXT2_FAST_LINK)
            return ext2_corrupt(fs, "bad symbolic link length");
        for (int i = 0; i < 15; i++)
            put32(raw + 4 * i, ind->block[i]);
        memcpy(out, raw, len);
    } else {
        long b = ext2_bmap(fs, ind, 0, 0, NULL);
        if (b <= 0)
            return b < 0 ? b : ext2_corrupt(fs, "symbolic link without its block");
        int e = ext2_bread(fs, (uint32_t)b, 0, (uint32_t)len, out);
        if (e < 0)
            return e;
    }
    if (memchr(out, 0, len))
        return ext2_corrupt(fs, "NUL in a symbolic link");
    out[len] = 0;
    return (long)len;
}

long ext2_readlink(struct ext2 *fs, uint64_t ino, char *buf, uint64_t max)
{
    struct ext2_inode ind;
    int e = ext2_inode_live(fs, ino, &ind);
    if (e < 0)
        return e;
    if (!ext2_is_lnk(&ind))
        return -EINVAL;
    char *t = malloc(fs->block_size);
    if (!t)
        return -ENOMEM;
    long len = ext2_link_target(fs, &ind, t);
    if (len >= 0) {
        uint64_t n = (uint64_t)len < max ? (uint64_t)len : max;
        memcpy(buf, t, n);
        if (n < max)
            buf[n] = 0;
        len = (long)n;
    }
    free(t);
    return len;
}
