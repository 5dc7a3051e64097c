// ext2 repair, allocation maps: the block and inode bitmaps are rebuilt
// from what the repair found in use (the bits past the end of a group
// stay set, as mke2fs leaves them), every free count is recomputed, in
// the group descriptors and the superblock, and the orphan list is emptied.
#include <string.h>
#include "ext2_impl.h"

static uint32_t rm_first(struct ext2 *fs, uint32_t g)
{
    return fs->first_data_block + g * fs->blocks_per_group;
}

// Blocks in group g (the last group may be short).
static uint32_t rm_blocks(struct ext2 *fs, uint32_t g)
{
    uint32_t left = fs->blocks_count - rm_first(fs, g);
    return left < fs->blocks_per_group ? left : fs->blocks_per_group;
}

// Builds group g's block bitmap in r->buf; the blocks in use.
static uint32_t build_blocks(struct ext2_rp *r, uint32_t g)
{
    uint32_t first = rm_first(r->fs, g), n = rm_blocks(r->fs, g), used = 0;
    memset(r->buf, 0xff, r->fs->block_size);
    for (uint32_t i = 0; i < n; i++) {
        if (rp_bit(r->claimed, first + i))
            used++;
        else
            rp_clr(r->buf, i);
    }
    return used;
}

// Builds group g's inode bitmap in r->buf (reserved inodes stay in use);
// the inodes in use, and the directories among them in *dirs.
static uint32_t build_inodes(struct ext2_rp *r, uint32_t g, uint32_t *dirs)
{
    uint32_t ipg = r->fs->inodes_per_group, used = 0;
    memset(r->buf, 0xff, r->fs->block_size);
    *dirs = 0;
    for (uint32_t i = 0; i < ipg; i++) {
        uint32_t ino = g * ipg + i + 1;
        uint16_t f = r->flags[ino];
        if (ino >= r->fs->first_ino && !(f & RP_USED)) {
            rp_clr(r->buf, i);
            continue;
        }
        used++;
        *dirs += (f & (RP_USED | RP_DIR)) == (RP_USED | RP_DIR);
    }
    return used;
}

// Stores the bitmap built in r->buf in block bm if the disk has another
// one; counts the bits that changed among the first n (inodes: numbers
// from base; freed inodes are counted elsewhere).
static int map_store(struct ext2_rp *r, uint32_t bm, uint32_t n, uint32_t base, int inodes)
{
    struct ext2 *fs = r->fs;
    int e = ext2_bread(fs, bm, 0, fs->block_size, r->buf2);
    if (e < 0 || !memcmp(r->buf, r->buf2, fs->block_size))
        return e;
    for (uint32_t i = 0; i < n; i++) {
        int was = rp_bit(r->buf2, i);
        if (was == rp_bit(r->buf, i))
            continue;
        if (!inodes)
            *(was ? &r->st->blocks_reclaimed : &r->st->blocks_marked) += 1;
        else if (!was || !(r->flags[base + i] & RP_FREED))
            r->st->inode_bits_fixed++;
    }
    return ext2_bwrite(fs, bm, 0, fs->block_size, r->buf);
}

// Sets the 16-bit count at p to v; 1 if it changed.
static int count_set16(uint8_t *p, uint32_t v)
{
    if (le16(p) == v)
        return 0;
    put16(p, v);
    return 1;
}

static int count_set32(uint8_t *p, uint32_t v)
{
    if (le32(p) == v)
        return 0;
    put32(p, v);
    return 1;
}

// Rebuilds group g's bitmaps and counts; adds its free blocks and inodes.
static int map_group(struct ext2_rp *r, uint32_t g, uint64_t *free_blocks, uint64_t *free_inodes)
{
    struct ext2 *fs = r->fs;
    uint8_t *d = ext2_gd(fs, g);
    uint32_t dirs, nb = rm_blocks(fs, g), ipg = fs->inodes_per_group;
    uint32_t fb = nb - build_blocks(r, g);
    int e = map_store(r, le32(d + GD_BLOCK_BITMAP), nb, 0, 0);
    if (e < 0)
        return e;
    uint32_t fi = ipg - build_inodes(r, g, &dirs);
    if ((e = map_store(r, le32(d + GD_INODE_BITMAP), ipg, g * ipg + 1, 1)) < 0)
        return e;
    *free_blocks += fb;
    *free_inodes += fi;
    int changed = count_set16(d + GD_FREE_BLOCKS, fb) + count_set16(d + GD_FREE_INODES, fi) +
                  count_set16(d + GD_USED_DIRS, dirs);
    r->st->counts_fixed += (uint32_t)changed;
    return changed ? ext2_gd_put(fs, g) : 0;
}

// Rebuilds every bitmap and count (see the top of the file).
int rp_maps(struct ext2_rp *r)
{
    struct ext2 *fs = r->fs;
    uint64_t fb = 0, fi = 0;
    for (uint32_t g = 0; g < fs->groups; g++) {
        int e = map_group(r, g, &fb, &fi);
        if (e < 0)
            return e;
    }
    int changed = count_set32(fs->sb + SB_FREE_BLOCKS, (uint32_t)fb) +
                  count_set32(fs->sb + SB_FREE_INODES, (uint32_t)fi) +
                  count_set32(fs->sb + SB_LAST_ORPHAN, 0);
    r->st->counts_fixed += (uint32_t)changed;
    return changed ? ext2_sb_put(fs) : 0;
}
