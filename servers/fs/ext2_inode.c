// ext2 inodes: reading and writing them in the inode tables, creating and
// releasing them, and stat.
#include <errno.h>
#include <string.h>
#include "ext2_impl.h"

// Where inode ino lives: inode table block and byte offset. -EIO if out of range.
static int inode_locate(struct ext2 *fs, uint32_t ino, uint32_t *blk, uint32_t *off)
{
    if (ino < 1 || ino > fs->inodes_count)
        return ext2_corrupt(fs, "inode number out of range");
    uint32_t g = (ino - 1) / fs->inodes_per_group;
    uint64_t byte = (uint64_t)((ino - 1) % fs->inodes_per_group) * fs->inode_size;
    *blk = le32(ext2_gd(fs, g) + GD_INODE_TABLE) + (uint32_t)(byte / fs->block_size);
    *off = (uint32_t)(byte % fs->block_size);
    return 0;
}

static uint32_t raw_len(struct ext2 *fs)
{
    return fs->inode_size < EXT2_INODE_RAW ? fs->inode_size : EXT2_INODE_RAW;
}

static void inode_decode(struct ext2_inode *ind)
{
    const uint8_t *r = ind->raw;
    ind->mode = le16(r + 0x00);
    ind->uid = le16(r + 0x02) | le16(r + 0x78) << 16;
    ind->size = le32(r + 0x04);
    if (ext2_is_reg(ind))
        ind->size |= (uint64_t)le32(r + 0x6C) << 32;
    ind->atime = le32(r + 0x08);
    ind->ctime = le32(r + 0x0C);
    ind->mtime = le32(r + 0x10);
    ind->dtime = le32(r + 0x14);
    ind->gid = le16(r + 0x18) | le16(r + 0x7A) << 16;
    ind->links = le16(r + 0x1A);
    ind->blocks = le32(r + 0x1C);
    ind->flags = le32(r + 0x20);
    for (int i = 0; i < 15; i++)
        ind->block[i] = le32(r + 0x28 + 4 * i);
    ind->file_acl = le32(r + 0x68);
}

static void inode_encode(struct ext2_inode *ind)
{
    uint8_t *r = ind->raw;
    put16(r + 0x00, ind->mode);
    put16(r + 0x02, ind->uid);
    put16(r + 0x78, ind->uid >> 16);
    put32(r + 0x04, (uint32_t)ind->size);
    if (ext2_is_reg(ind))
        put32(r + 0x6C, (uint32_t)(ind->size >> 32));
    put32(r + 0x08, ind->atime);
    put32(r + 0x0C, ind->ctime);
    put32(r + 0x10, ind->mtime);
    put32(r + 0x14, ind->dtime);
    put16(r + 0x18, ind->gid);
    put16(r + 0x7A, ind->gid >> 16);
    put16(r + 0x1A, ind->links);
    put32(r + 0x1C, ind->blocks);
    put32(r + 0x20, ind->flags);
    for (int i = 0; i < 15; i++)
        put32(r + 0x28 + 4 * i, ind->block[i]);
    put32(r + 0x68, ind->file_acl);
}

// Reads inode ino (any number in range, in use or not).
int ext2_inode_get(struct ext2 *fs, uint32_t ino, struct ext2_inode *ind)
{
    uint32_t blk, off;
    int e = inode_locate(fs, ino, &blk, &off);
    if (e < 0)
        return e;
    memset(ind, 0, sizeof(*ind));
    ind->ino = ino;
    e = ext2_bread(fs, blk, off, raw_len(fs), ind->raw);
    if (e == 0)
        inode_decode(ind);
    return e;
}

// Writes ind back to the inode table.
int ext2_inode_put(struct ext2 *fs, struct ext2_inode *ind)
{
    uint32_t blk, off;
    int e = inode_locate(fs, ind->ino, &blk, &off);
    if (e < 0)
        return e;
    inode_encode(ind);
    return ext2_bwrite(fs, blk, off, raw_len(fs), ind->raw);
}

// Reads an inode named by a caller: -ESTALE unless it is the root or a
// non-reserved inode in use.
int ext2_inode_live(struct ext2 *fs, uint64_t ino, struct ext2_inode *ind)
{
    if (ino != EXT2_ROOT_INO && (ino < fs->first_ino || ino > fs->inodes_count))
        return -ESTALE;
    int e = ext2_inode_get(fs, (uint32_t)ino, ind);
    if (e < 0)
        return e;
    return ind->links == 0 || (ind->mode & S_FMT) == 0 ? -ESTALE : 0;
}

uint32_t ext2_inode_group(struct ext2 *fs, const struct ext2_inode *ind)
{
    return (ind->ino - 1) / fs->inodes_per_group;
}

// Sets the change and modification times to now.
void ext2_touch(struct ext2 *fs, struct ext2_inode *ind)
{
    ind->ctime = ind->mtime = fs->now;
    if (fs->inode_size > 128 && le16(ind->raw + I_EXTRA_ISIZE) >= 12)
        memset(ind->raw + 0x84, 0, 8);       // ctime and mtime extra bits
}

// Allocates and initialises an inode (links 0, no blocks) near group.
long ext2_inode_new(struct ext2 *fs, uint32_t group, uint32_t mode, struct ext2_inode *ind)
{
    static const uint8_t zero[4096];
    uint32_t blk, off;
    long ino = ext2_ialloc(fs, group, (mode & S_FMT) == S_DIR);
    if (ino < 0)
        return ino;
    int e = inode_locate(fs, (uint32_t)ino, &blk, &off);
    if (e == 0)
        e = ext2_bwrite(fs, blk, off, fs->inode_size, zero);
    if (e < 0)
        return e;
    memset(ind, 0, sizeof(*ind));
    ind->ino = (uint32_t)ino;
    ind->mode = mode;
    ind->atime = ind->ctime = ind->mtime = fs->now;
    if (fs->inode_size > 128)
        put16(ind->raw + I_EXTRA_ISIZE, fs->extra_isize);
    return ino;
}

// Is symlink ind stored in i_block (no data block besides an xattr block)?
int ext2_link_is_fast(struct ext2 *fs, const struct ext2_inode *ind)
{
    uint32_t ea = ind->file_acl ? fs->sec_per_block : 0;
    return ind->blocks <= ea;
}

// Drops the extended attribute block of ind (shared ones lose a reference).
static int inode_drop_xattr(struct ext2 *fs, struct ext2_inode *ind)
{
    uint8_t hdr[8];
    uint32_t b = ind->file_acl;
    if (!ext2_blk_ok(fs, b))
        return ext2_corrupt(fs, "bad extended attribute block");
    int e = ext2_bread(fs, b, 0, sizeof(hdr), hdr);
    if (e < 0)
        return e;
    if (le32(hdr) != 0xEA020000)
        return ext2_corrupt(fs, "bad extended attribute block");
    uint32_t refs = le32(hdr + 4);
    if (refs > 1) {
        put32(hdr + 4, refs - 1);
        e = ext2_bwrite(fs, b, 4, 4, hdr + 4);
    } else {
        e = ext2_block_free(fs, b);
    }
    if (e == 0) {
        ind->file_acl = 0;
        ind->blocks -= ind->blocks >= fs->sec_per_block ? fs->sec_per_block : ind->blocks;
    }
    return e;
}

// Frees an inode whose link count dropped to 0: its blocks, then the inode.
int ext2_inode_release(struct ext2 *fs, struct ext2_inode *ind)
{
    int e = 0;
    if (ext2_is_reg(ind) || ext2_is_dir(ind) || (ext2_is_lnk(ind) && !ext2_link_is_fast(fs, ind)))
        e = ext2_bmap_trim(fs, ind, 0);
    if (e == 0 && ind->file_acl)
        e = inode_drop_xattr(fs, ind);
    if (e < 0)
        return e;
    ind->links = 0;
    ind->size = 0;
    ind->dtime = fs->now ? fs->now : 1;
    ind->ctime = fs->now;
    e = ext2_inode_put(fs, ind);
    return e < 0 ? e : ext2_ifree(fs, ind->ino, ext2_is_dir(ind));
}

static uint32_t inode_type(const struct ext2_inode *ind)
{
    return ext2_is_dir(ind) ? FS_TYPE_DIR : ext2_is_lnk(ind) ? FS_TYPE_LINK : FS_TYPE_FILE;
}

long ext2_stat(struct ext2 *fs, uint64_t ino, struct fs_stat *st)
{
    struct ext2_inode ind;
    int e = ext2_inode_live(fs, ino, &ind);
    if (e < 0)
        return e;
    *st = (struct fs_stat){ .ino = ino, .size = ind.size, .blocks = ind.blocks,
                            .type = inode_type(&ind), .mode = ind.mode & 07777,
                            .nlink = ind.links, .uid = ind.uid, .gid = ind.gid,
                            .atime = ind.atime, .mtime = ind.mtime, .ctime = ind.ctime };
    return 0;
}
