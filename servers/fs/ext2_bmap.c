// ext2 block maps: logical block -> disk block through the 12 direct and
// the single, double and triple indirect pointers; allocation of missing
// blocks and freeing of a file's tail. Every pointer read is checked.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

// Splits lblk into the i_block slot and the index at each indirect level;
// the depth (0 for a direct block) or -EFBIG.
static int bmap_path(struct ext2 *fs, uint64_t lblk, uint32_t idx[4])
{
    uint64_t p = fs->ptrs_per_block;
    if (lblk < EXT2_NDIR) {
        idx[0] = (uint32_t)lblk;
        return 0;
    }
    lblk -= EXT2_NDIR;
    uint64_t span = p;
    for (int depth = 1; depth <= 3; depth++, span *= p) {
        if (lblk < span) {
            idx[0] = EXT2_NDIR + depth - 1;
            for (int l = depth; l >= 1; l--, lblk /= p)
                idx[l] = (uint32_t)(lblk % p);
            return depth;
        }
        lblk -= span;
    }
    return -EFBIG;
}

// A new block for ind (counted in i_blocks), zeroed when zero is set.
static long bmap_new(struct ext2 *fs, struct ext2_inode *ind, int zero)
{
    long b = ext2_block_alloc(fs, ext2_inode_group(fs, ind));
    if (b < 0)
        return b;
    ind->blocks += fs->sec_per_block;
    int e = zero ? ext2_bzero(fs, (uint32_t)b) : 0;
    return e < 0 ? e : b;
}

// Entry i of indirect block blk; *ptr = 0 for a hole. -EIO if bad.
static int bmap_entry(struct ext2 *fs, uint32_t blk, uint32_t i, uint32_t *ptr)
{
    uint8_t v[4];
    int e = ext2_bread(fs, blk, i * 4, 4, v);
    if (e < 0)
        return e;
    *ptr = le32(v);
    if (*ptr && !ext2_blk_ok(fs, *ptr))
        return ext2_corrupt(fs, "bad indirect block pointer");
    return 0;
}

// Maps logical block lblk of ind to a disk block: 0 for a hole, unless
// alloc, which allocates the missing indirect (zeroed) and data blocks;
// *fresh tells a new data block (its content is undefined). The caller
// writes ind back.
long ext2_bmap(struct ext2 *fs, struct ext2_inode *ind, uint64_t lblk, int alloc, int *fresh)
{
    uint32_t idx[4];
    int depth = bmap_path(fs, lblk, idx);
    if (fresh)
        *fresh = 0;
    if (depth < 0)
        return depth;
    uint32_t b = ind->block[idx[0]];
    if (b && !ext2_blk_ok(fs, b))
        return ext2_corrupt(fs, "bad block pointer in an inode");
    if (!b && alloc) {
        long nb = bmap_new(fs, ind, depth > 0);
        if (nb < 0)
            return nb;
        b = ind->block[idx[0]] = (uint32_t)nb;
        if (fresh && depth == 0)
            *fresh = 1;
    }
    for (int l = 1; l <= depth && b; l++) {
        uint32_t next;
        uint8_t v[4];
        int e = bmap_entry(fs, b, idx[l], &next);
        if (e < 0)
            return e;
        if (!next && alloc) {
            long nb = bmap_new(fs, ind, l < depth);
            if (nb < 0)
                return nb;
            put32(v, next = (uint32_t)nb);
            if ((e = ext2_bwrite(fs, b, idx[l] * 4, 4, v)) < 0)
                return e;
            if (fresh && l == depth)
                *fresh = 1;
        }
        b = next;
    }
    return b;
}

static int all_zero(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

// Frees the blocks under indirect block blk (level 1: it points to data)
// from relative logical block cut on. Returns 1 when blk is left with no
// pointers (the caller frees it), 0 when it stays, or -errno.
static int trim_tree(struct ext2 *fs, struct ext2_inode *ind, uint32_t blk, int level, uint64_t cut)
{
    uint64_t p = fs->ptrs_per_block, child = 1;
    for (int l = 1; l < level; l++)
        child *= p;
    uint8_t *buf = malloc(fs->block_size);
    if (!buf)
        return -ENOMEM;
    int e = ext2_bread(fs, blk, 0, fs->block_size, buf), changed = 0;
    for (uint64_t i = cut / child; e == 0 && i < p; i++) {
        uint32_t ptr = le32(buf + 4 * i);
        uint64_t ccut = i * child >= cut ? 0 : cut - i * child;
        if (!ptr)
            continue;
        if (!ext2_blk_ok(fs, ptr)) {
            e = ext2_corrupt(fs, "bad indirect block pointer");
            break;
        }
        int empty = level > 1 ? trim_tree(fs, ind, ptr, level - 1, ccut) : 1;
        if (empty < 0)
            e = empty;
        else if (empty && (e = ext2_block_free(fs, ptr)) == 0) {
            ind->blocks -= ind->blocks >= fs->sec_per_block ? fs->sec_per_block : ind->blocks;
            put32(buf + 4 * i, 0);
            changed = 1;
        }
    }
    int empty = e == 0 && all_zero(buf, fs->block_size);
    if (e == 0 && changed && !empty)
        e = ext2_bwrite(fs, blk, 0, fs->block_size, buf);
    free(buf);
    return e < 0 ? e : empty;
}

// Frees i_block slot s of ind (and what it points to at depth level).
static int trim_slot(struct ext2 *fs, struct ext2_inode *ind, int s, int level, uint64_t cut)
{
    uint32_t b = ind->block[s];
    if (!b)
        return 0;
    if (!ext2_blk_ok(fs, b))
        return ext2_corrupt(fs, "bad block pointer in an inode");
    int empty = level ? trim_tree(fs, ind, b, level, cut) : 1;
    if (empty <= 0)
        return empty;
    int e = ext2_block_free(fs, b);
    if (e < 0)
        return e;
    ind->blocks -= ind->blocks >= fs->sec_per_block ? fs->sec_per_block : ind->blocks;
    ind->block[s] = 0;
    return 0;
}

// Frees every block of ind from logical block `from` on, with the indirect
// blocks left empty. The caller writes ind back.
int ext2_bmap_trim(struct ext2 *fs, struct ext2_inode *ind, uint64_t from)
{
    uint64_t p = fs->ptrs_per_block, base = EXT2_NDIR, span = p;
    for (int s = (int)(from < EXT2_NDIR ? from : EXT2_NDIR); s < EXT2_NDIR; s++) {
        int e = trim_slot(fs, ind, s, 0, 0);
        if (e < 0)
            return e;
    }
    for (int level = 1; level <= 3; level++, base += span, span *= p) {
        if (from >= base + span)
            continue;
        int e = trim_slot(fs, ind, EXT2_NDIR + level - 1, level, from > base ? from - base : 0);
        if (e < 0)
            return e;
    }
    return 0;
}
