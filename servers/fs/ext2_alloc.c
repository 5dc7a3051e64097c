// ext2 block and inode allocation: bitmaps, and the free counts in the
// group descriptors and the superblock, kept exact.
#include <errno.h>
#include <stdlib.h>
#include "ext2_impl.h"

static int is_power_of(uint32_t g, uint32_t base)
{
    while (g % base == 0)
        g /= base;
    return g == 1;
}

// Does group g hold a copy of the superblock and descriptors?
int ext2_has_super(struct ext2 *fs, uint32_t g)
{
    if (!fs->sparse_super || g <= 1)
        return 1;
    return is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

static uint32_t group_first(struct ext2 *fs, uint32_t g)
{
    return fs->first_data_block + g * fs->blocks_per_group;
}

// Blocks in group g (the last group may be short).
static uint32_t group_blocks(struct ext2 *fs, uint32_t g)
{
    uint32_t left = fs->blocks_count - group_first(fs, g);
    return left < fs->blocks_per_group ? left : fs->blocks_per_group;
}

// Is blk a superblock, descriptor, bitmap or inode table block?
static int blk_is_meta(struct ext2 *fs, uint32_t blk)
{
    uint32_t g = (blk - fs->first_data_block) / fs->blocks_per_group;
    uint32_t first = group_first(fs, g);
    const uint8_t *d = ext2_gd(fs, g);
    uint32_t it = le32(d + GD_INODE_TABLE);
    if (ext2_has_super(fs, g) && blk - first < 1 + fs->gd_blocks + fs->reserved_gdt)
        return 1;
    return blk == le32(d + GD_BLOCK_BITMAP) || blk == le32(d + GD_INODE_BITMAP) ||
           (blk >= it && blk - it < fs->itable_blocks);
}

int ext2_blk_ok(struct ext2 *fs, uint32_t blk)
{
    return blk > fs->first_data_block && blk < fs->blocks_count && !blk_is_meta(fs, blk);
}

// Adds the deltas to group g's and the superblock's counts; -EIO when a
// count would leave its range (the counts disagree with the bitmaps).
static int counts_add(struct ext2 *fs, uint32_t g, int dblocks, int dinodes, int ddirs)
{
    uint8_t *d = ext2_gd(fs, g), *s = fs->sb;
    int64_t gb = (int64_t)le16(d + GD_FREE_BLOCKS) + dblocks;
    int64_t gi = (int64_t)le16(d + GD_FREE_INODES) + dinodes;
    int64_t gu = (int64_t)le16(d + GD_USED_DIRS) + ddirs;
    int64_t sb = (int64_t)le32(s + SB_FREE_BLOCKS) + dblocks;
    int64_t si = (int64_t)le32(s + SB_FREE_INODES) + dinodes;
    if (gb < 0 || gb > group_blocks(fs, g) || gi < 0 || gi > fs->inodes_per_group ||
        gu < 0 || gu > fs->inodes_per_group || sb < 0 || sb > fs->blocks_count ||
        si < 0 || si > fs->inodes_count)
        return ext2_corrupt(fs, "free counts disagree with the bitmaps");
    put16(d + GD_FREE_BLOCKS, (uint32_t)gb);
    put16(d + GD_FREE_INODES, (uint32_t)gi);
    put16(d + GD_USED_DIRS, (uint32_t)gu);
    put32(s + SB_FREE_BLOCKS, (uint32_t)sb);
    put32(s + SB_FREE_INODES, (uint32_t)si);
    int e = ext2_gd_put(fs, g);
    if (e < 0 || fs->journaling)
        return e;          // journaled: the mount sums the descriptors' counts (ext2_sb_counts)
    return ext2_sb_put(fs);
}

// The superblock's free counts as the sum of the group descriptors' (in
// memory: they reach the disk with the superblock's next write).
void ext2_sb_counts(struct ext2 *fs)
{
    uint64_t blocks = 0, inodes = 0;
    for (uint32_t g = 0; g < fs->groups; g++) {
        blocks += le16(ext2_gd(fs, g) + GD_FREE_BLOCKS);
        inodes += le16(ext2_gd(fs, g) + GD_FREE_INODES);
    }
    put32(fs->sb + SB_FREE_BLOCKS, (uint32_t)blocks);
    put32(fs->sb + SB_FREE_INODES, (uint32_t)inodes);
}

// Index of the first clear bit below n in bitmap block bm (from bit
// `from`), -ENOSPC if none, or -EIO.
static long bitmap_find(struct ext2 *fs, uint32_t bm, uint32_t n, uint32_t from)
{
    uint8_t *buf = malloc(fs->block_size);
    long found = -ENOSPC;
    if (!buf)
        return -ENOMEM;
    int e = ext2_bread(fs, bm, 0, fs->block_size, buf);
    for (uint32_t i = from; e == 0 && i < n; i++) {
        if (buf[i / 8] == 0xff && i % 8 == 0) {
            i += 7;
            continue;
        }
        if (!(buf[i / 8] & (1u << (i % 8)))) {
            found = i;
            break;
        }
    }
    free(buf);
    return e < 0 ? e : found;
}

// Sets (set) or clears bit i of bitmap block bm; -EIO if it already was.
static int bitmap_flip(struct ext2 *fs, uint32_t bm, uint32_t i, int set)
{
    uint8_t byte;
    int e = ext2_bread(fs, bm, i / 8, 1, &byte);
    if (e < 0)
        return e;
    if (!!(byte & (1u << (i % 8))) == !!set)
        return ext2_corrupt(fs, set ? "bitmap bit already set" : "freeing a free block or inode");
    byte ^= (uint8_t)(1u << (i % 8));
    return ext2_bwrite(fs, bm, i / 8, 1, &byte);
}

// Takes a free block in group g; the block number, -ENOSPC or -EIO.
static long group_block_alloc(struct ext2 *fs, uint32_t g)
{
    const uint8_t *d = ext2_gd(fs, g);
    if (le16(d + GD_FREE_BLOCKS) == 0)
        return -ENOSPC;
    uint32_t bm = le32(d + GD_BLOCK_BITMAP);
    long i = bitmap_find(fs, bm, group_blocks(fs, g), 0);
    if (i == -ENOSPC)
        return ext2_corrupt(fs, "block bitmap disagrees with the free count");
    if (i < 0)
        return i;
    uint32_t blk = group_first(fs, g) + (uint32_t)i;
    if (!ext2_blk_ok(fs, blk))
        return ext2_corrupt(fs, "block bitmap: metadata block marked free");
    int e = bitmap_flip(fs, bm, (uint32_t)i, 1);
    if (e == 0)
        e = counts_add(fs, g, -1, 0, 0);
    return e < 0 ? (long)e : (long)blk;
}

// Allocates a block, preferring group `group`; the block, -ENOSPC or -EIO.
long ext2_block_alloc(struct ext2 *fs, uint32_t group)
{
    if (le32(fs->sb + SB_FREE_BLOCKS) == 0)
        return -ENOSPC;
    for (uint32_t k = 0; k < fs->groups; k++) {
        long b = group_block_alloc(fs, (group + k) % fs->groups);
        if (b != -ENOSPC)
            return b;
    }
    return -ENOSPC;
}

// Returns block blk to the free pool; -EIO for a bad or free block.
int ext2_block_free(struct ext2 *fs, uint32_t blk)
{
    if (!ext2_blk_ok(fs, blk))
        return ext2_corrupt(fs, "freeing a bad block number");
    uint32_t g = (blk - fs->first_data_block) / fs->blocks_per_group;
    int e = ext2_jnl_revoke(fs, blk);        // its journal copy must not come back
    if (e == 0)
        e = bitmap_flip(fs, le32(ext2_gd(fs, g) + GD_BLOCK_BITMAP), blk - group_first(fs, g), 0);
    return e < 0 ? e : counts_add(fs, g, 1, 0, 0);
}

// Takes a free inode in group g; the inode number, -ENOSPC or -EIO.
static long group_ialloc(struct ext2 *fs, uint32_t g, int dir)
{
    const uint8_t *d = ext2_gd(fs, g);
    if (le16(d + GD_FREE_INODES) == 0)
        return -ENOSPC;
    uint32_t bm = le32(d + GD_INODE_BITMAP), base = g * fs->inodes_per_group;
    uint32_t from = base + 1 < fs->first_ino ? fs->first_ino - 1 - base : 0;
    long i = from < fs->inodes_per_group ? bitmap_find(fs, bm, fs->inodes_per_group, from) : -ENOSPC;
    if (i == -ENOSPC)
        return ext2_corrupt(fs, "inode bitmap disagrees with the free count");
    if (i < 0)
        return i;
    int e = bitmap_flip(fs, bm, (uint32_t)i, 1);
    if (e == 0)
        e = counts_add(fs, g, 0, -1, dir ? 1 : 0);
    return e < 0 ? e : (long)(base + (uint32_t)i + 1);
}

// Allocates an inode number, preferring group `group`.
long ext2_ialloc(struct ext2 *fs, uint32_t group, int dir)
{
    if (le32(fs->sb + SB_FREE_INODES) == 0)
        return -ENOSPC;
    for (uint32_t k = 0; k < fs->groups; k++) {
        long ino = group_ialloc(fs, (group + k) % fs->groups, dir);
        if (ino != -ENOSPC)
            return ino;
    }
    return -ENOSPC;
}

// Returns inode ino (a directory if dir) to the free pool.
int ext2_ifree(struct ext2 *fs, uint32_t ino, int dir)
{
    if (ino < fs->first_ino || ino > fs->inodes_count)
        return ext2_corrupt(fs, "freeing a reserved inode");
    uint32_t g = (ino - 1) / fs->inodes_per_group, i = (ino - 1) % fs->inodes_per_group;
    int e = bitmap_flip(fs, le32(ext2_gd(fs, g) + GD_INODE_BITMAP), i, 0);
    return e < 0 ? e : counts_add(fs, g, 0, 1, dir ? -1 : 0);
}
