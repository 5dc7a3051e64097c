// ext2 mount: superblock and group descriptor checks, the helpers that
// keep the in-memory copies of both in step with the disk, and the clean
// flag: a read-write mount clears EXT2_VALID_FS in s_state on the disk
// (after a repair if it was not set), ext2_sync() sets it, and the first
// device write after a sync clears it again before it goes out. With a
// journal the mount replays it instead of repairing, and the flag that
// goes with "not clean" is needs_recovery (INCOMPAT_RECOVER), as for the
// host's e2fsck.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

int ext2_fail(struct ext2 *fs, int err, const char *why)
{
    fs->err = why;
    return err;
}

int ext2_corrupt(struct ext2 *fs, const char *why) { return ext2_fail(fs, -EIO, why); }

const char *ext2_error(struct ext2 *fs) { return fs->err ? fs->err : "no error"; }

void ext2_set_time(struct ext2 *fs, uint32_t now) { fs->now = now; }

// Ends a changing operation: writes what it changed. ret, or a write error.
long ext2_done(struct ext2 *fs, long ret)
{
    int e = ext2_flush(fs);
    return ret < 0 || e == 0 ? ret : e;
}

uint8_t *ext2_gd(struct ext2 *fs, uint32_t g) { return fs->gd + (size_t)g * GD_SIZE; }

// Stores descriptor g (as changed in fs->gd) in its block.
int ext2_gd_put(struct ext2 *fs, uint32_t g)
{
    uint64_t off = (uint64_t)g * GD_SIZE;
    uint32_t blk = fs->first_data_block + 1 + (uint32_t)(off / fs->block_size);
    return ext2_bwrite(fs, blk, (uint32_t)(off % fs->block_size), GD_SIZE, ext2_gd(fs, g));
}

// Stores the superblock (as changed in fs->sb) at byte 1024 of the disk.
int ext2_sb_put(struct ext2 *fs)
{
    return ext2_bwrite(fs, 1024 / fs->block_size, 1024 % fs->block_size, 1024, fs->sb);
}

// The library's device: the caller's (fs->disk) behind dev_read/dev_write.
static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct ext2 *fs = ctx;
    return fs->disk.read(fs->disk.ctx, sector, count, buf);
}

// Writes the superblock (sectors 2 and 3) from fs->sb to the disk now.
static int sb_write_now(struct ext2 *fs)
{
    if (fs->disk.write(fs->disk.ctx, 2, 2, fs->sb) < 0)
        return ext2_fail(fs, -EIO, "device write error");
    return 0;
}

// Sets and clears bits of s_state, on the disk at once.
static int state_set(struct ext2 *fs, uint32_t set, uint32_t clear)
{
    put16(fs->sb + SB_STATE, (le16(fs->sb + SB_STATE) | set) & ~clear);
    return sb_write_now(fs);
}

// Clears EXT2_VALID_FS on the disk, changing nothing else there: the
// superblock in memory may be ahead of the disk during an operation.
static int mark_unclean(struct ext2 *fs)
{
    uint8_t sec[512];
    put16(fs->sb + SB_STATE, le16(fs->sb + SB_STATE) & ~(uint32_t)EXT2_VALID_FS);
    if (fs->jnl)
        put32(fs->sb + SB_INCOMPAT, le32(fs->sb + SB_INCOMPAT) | INCOMPAT_RECOVER);
    if (fs->disk.read(fs->disk.ctx, 2, 1, sec) < 0)
        return -EIO;
    put16(sec + SB_STATE, le16(fs->sb + SB_STATE));
    put32(sec + SB_INCOMPAT, le32(fs->sb + SB_INCOMPAT));
    return fs->disk.write(fs->disk.ctx, 2, 1, sec) < 0 ? -EIO : 0;
}

// Every device write: the first one after a sync marks the file system
// not clean first. The superblock sectors always go out from fs->sb (a
// cached copy of them may hold an older state). 0 or -EIO.
static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct ext2 *fs = ctx;
    const uint8_t *b = buf;
    void *dc = fs->disk.ctx;
    if (!fs->unclean && mark_unclean(fs) < 0)
        return -EIO;
    fs->unclean = 1;
    uint64_t end = sector + count, lo = sector > 2 ? sector : 2, hi = end < 4 ? end : 4;
    if (sector >= 4 || end <= 2)
        return fs->disk.write(dc, sector, count, buf);
    int e = sector < 2 ? fs->disk.write(dc, sector, (uint32_t)(2 - sector), b) : 0;
    if (e == 0)
        e = fs->disk.write(dc, lo, (uint32_t)(hi - lo), fs->sb + (lo - 2) * 512);
    if (e == 0 && end > 4)
        e = fs->disk.write(dc, 4, (uint32_t)(end - 4), b + (4 - sector) * 512);
    return e;
}

// Block size, counts and group geometry; NULL or what is wrong.
static const char *super_geometry(struct ext2 *fs)
{
    const uint8_t *s = fs->sb;
    uint32_t log = le32(s + SB_LOG_BLOCK);
    if (log > 2)
        return "unsupported block size";
    fs->block_size = 1024u << log;
    fs->sec_per_block = fs->block_size / 512;
    fs->ptrs_per_block = fs->block_size / 4;
    fs->blocks_count = le32(s + SB_BLOCKS_COUNT);
    fs->first_data_block = le32(s + SB_FIRST_DATA);
    fs->blocks_per_group = le32(s + SB_BLOCKS_PER_G);
    if (fs->first_data_block != (log == 0 ? 1u : 0u))
        return "bad first data block";
    if (fs->blocks_count <= fs->first_data_block + 2)
        return "bad block count";
    if ((uint64_t)fs->blocks_count * fs->sec_per_block > fs->dev.sectors)
        return "file system larger than the device";
    uint32_t bpg = fs->blocks_per_group;
    if (bpg < 8 || bpg > 8 * fs->block_size || bpg % 8)
        return "bad blocks per group";
    fs->groups = (fs->blocks_count - fs->first_data_block + bpg - 1) / bpg;
    uint64_t gd_bytes = (uint64_t)fs->groups * GD_SIZE;
    fs->gd_blocks = (uint32_t)((gd_bytes + fs->block_size - 1) / fs->block_size);
    if (fs->first_data_block + 1 + fs->gd_blocks >= fs->blocks_count || fs->gd_blocks >= bpg)
        return "group descriptors do not fit";
    return NULL;
}

// Inode size, counts and per-group numbers; NULL or what is wrong.
static const char *super_inodes(struct ext2 *fs)
{
    const uint8_t *s = fs->sb;
    fs->inodes_count = le32(s + SB_INODES_COUNT);
    fs->inodes_per_group = le32(s + SB_INODES_PER_G);
    fs->inode_size = fs->rev ? le16(s + SB_INODE_SIZE) : 128;
    fs->first_ino = fs->rev ? le32(s + SB_FIRST_INO) : 11;
    uint32_t isz = fs->inode_size, ipg = fs->inodes_per_group;
    if (isz < 128 || isz > fs->block_size || (isz & (isz - 1)))
        return "bad inode size";
    if (ipg == 0 || ipg > 8 * fs->block_size)
        return "bad inodes per group";
    if ((uint64_t)ipg * fs->groups != fs->inodes_count)
        return "inode count does not match the groups";
    fs->itable_blocks = (uint32_t)(((uint64_t)ipg * isz + fs->block_size - 1) / fs->block_size);
    if (fs->itable_blocks + 3 > fs->blocks_per_group)
        return "inode table larger than a group";
    if (fs->first_ino < 11 || fs->first_ino > fs->inodes_count)
        return "bad first inode";
    if (le32(s + SB_FREE_BLOCKS) > fs->blocks_count || le32(s + SB_FREE_INODES) > fs->inodes_count)
        return "bad free counts";
    uint32_t want = le16(s + SB_WANT_EXTRA), room = isz - 128;
    fs->extra_isize = room >= 4 && want >= 4 && want <= room && want % 4 == 0 ? want
                    : room < 32 ? 0 : 32;
    return NULL;
}

// Feature flags; NULL or what is wrong (-EINVAL), sets fs->readonly.
static const char *super_features(struct ext2 *fs)
{
    const uint8_t *s = fs->sb;
    if (!fs->rev)
        return NULL;
    if (le32(s + SB_INCOMPAT) & ~(uint32_t)(INCOMPAT_FILETYPE | INCOMPAT_RECOVER))
        return "unsupported incompatible features";
    if ((le32(s + SB_INCOMPAT) & INCOMPAT_RECOVER) && !(le32(s + SB_COMPAT) & COMPAT_HAS_JOURNAL))
        return "incompatible features: needs journal recovery, has no journal";
    fs->filetype = (le32(s + SB_INCOMPAT) & INCOMPAT_FILETYPE) != 0;
    fs->sparse_super = (le32(s + SB_RO_COMPAT) & RO_COMPAT_SPARSE) != 0;
    if (le32(s + SB_RO_COMPAT) & ~(uint32_t)(RO_COMPAT_SPARSE | RO_COMPAT_LARGE_FILE))
        fs->readonly = 1;
    if (le32(s + SB_COMPAT) & COMPAT_RESIZE_INODE)
        fs->reserved_gdt = le16(s + SB_RESERVED_GDT);
    if (fs->reserved_gdt > fs->blocks_per_group / 2)
        return "bad reserved descriptor blocks";
    return NULL;
}

// All superblock checks; NULL or what is wrong.
static const char *super_parse(struct ext2 *fs)
{
    const char *why;
    if (le16(fs->sb + SB_MAGIC) != EXT2_MAGIC)
        return "bad superblock magic";
    fs->rev = le32(fs->sb + SB_REV);
    if (fs->rev > 1)
        return "unsupported revision";
    if ((why = super_geometry(fs)) || (why = super_inodes(fs)) || (why = super_features(fs)))
        return why;
    uint64_t p = fs->ptrs_per_block;
    uint64_t blocks = EXT2_NDIR + p + p * p + p * p * p;
    fs->max_file = blocks * fs->block_size;
    if (fs->max_file > (1ull << 40))
        fs->max_file = 1ull << 40;             // i_blocks (512-byte units) is 32 bits
    if (!fs->rev)
        fs->max_file = 0x7fffffff;
    return NULL;
}

// Is [b, b + n) inside group g, after its superblock and descriptor copies?
static int gd_range_ok(struct ext2 *fs, uint32_t g, uint32_t b, uint32_t n)
{
    uint64_t first = fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
    uint64_t end = first + fs->blocks_per_group;
    if (end > fs->blocks_count)
        end = fs->blocks_count;
    if (ext2_has_super(fs, g))
        first += 1 + fs->gd_blocks;
    return b >= first && (uint64_t)b + n <= end;
}

// Checks descriptor g; NULL or what is wrong.
static const char *gd_check(struct ext2 *fs, uint32_t g)
{
    const uint8_t *d = ext2_gd(fs, g);
    uint32_t bb = le32(d + GD_BLOCK_BITMAP), ib = le32(d + GD_INODE_BITMAP);
    uint32_t it = le32(d + GD_INODE_TABLE);
    if (!gd_range_ok(fs, g, bb, 1) || !gd_range_ok(fs, g, ib, 1))
        return "group descriptor: bitmap outside its group";
    if (!gd_range_ok(fs, g, it, fs->itable_blocks))
        return "group descriptor: inode table outside its group";
    if (bb == ib || (bb >= it && bb < it + fs->itable_blocks) ||
        (ib >= it && ib < it + fs->itable_blocks))
        return "group descriptor: overlapping bitmaps and inode table";
    if (le16(d + GD_FREE_BLOCKS) > fs->blocks_per_group ||
        le16(d + GD_FREE_INODES) > fs->inodes_per_group ||
        le16(d + GD_USED_DIRS) > fs->inodes_per_group)
        return "group descriptor: bad counts";
    return NULL;
}

// Reads and checks the group descriptors; 0 or -errno.
static int gd_load(struct ext2 *fs)
{
    fs->gd = malloc((size_t)fs->gd_blocks * fs->block_size);
    if (!fs->gd)
        return -ENOMEM;
    for (uint32_t i = 0; i < fs->gd_blocks; i++) {
        int e = ext2_bread(fs, fs->first_data_block + 1 + i, 0, fs->block_size,
                           fs->gd + (size_t)i * fs->block_size);
        if (e < 0)
            return e;
    }
    for (uint32_t g = 0; g < fs->groups; g++) {
        const char *why = gd_check(fs, g);
        if (why)
            return ext2_fail(fs, -EINVAL, why);
    }
    return 0;
}

// Last mount step: the root must be a directory in use.
static int root_check(struct ext2 *fs)
{
    struct ext2_inode root;
    int e = ext2_inode_get(fs, EXT2_ROOT_INO, &root);
    if (e < 0)
        return e;
    if (!ext2_is_dir(&root) || root.links == 0)
        return ext2_fail(fs, -EINVAL, "root inode is not a directory");
    return 0;
}

// With a journal (replayed by ext2_jnl_mount): the repair runs only for
// a journal that was refused, an image marked with errors or a mount
// asked to check (ext2_mount_check), writing in
// place, with EXT2_ERROR_FS on the disk while it runs (a crash in it
// repairs again). Then changes go through the journal.
static int journal_state(struct ext2 *fs, uint32_t state)
{
    int repair = fs->journal.bad || (state & EXT2_ERROR_FS) || fs->check;
    ext2_sb_counts(fs);                      // not journaled (as ext4 does)
    put32(fs->sb + SB_INCOMPAT, le32(fs->sb + SB_INCOMPAT) | INCOMPAT_RECOVER);
    int e = state_set(fs, repair ? EXT2_ERROR_FS : 0, EXT2_VALID_FS);
    fs->unclean = 1;
    if (e == 0 && repair && ext2_repair(fs, &fs->repair) == 0)
        e = state_set(fs, 0, EXT2_ERROR_FS);
    fs->journaling = 1;
    return e;
}

// Read-write mount, last step: repairs a file system that was not
// cleanly stopped (or has errors), then leaves it marked not clean on the
// disk. A failed repair sets EXT2_ERROR_FS (the next mount repairs again)
// but the mount goes on. 0 or -EIO if the superblock cannot be written.
static int mount_state(struct ext2 *fs)
{
    uint32_t state = le16(fs->sb + SB_STATE);
    if (fs->jnl)
        return journal_state(fs, state);
    int e = state & EXT2_VALID_FS ? state_set(fs, 0, EXT2_VALID_FS) : 0;
    fs->unclean = 1;
    if (e < 0 || ((state & EXT2_VALID_FS) && !(state & EXT2_ERROR_FS) && !fs->check))
        return e;
    if (ext2_repair(fs, &fs->repair) < 0)
        state_set(fs, EXT2_ERROR_FS, 0);
    else if (state & EXT2_ERROR_FS)
        return state_set(fs, 0, EXT2_ERROR_FS);
    return 0;
}

// The superblock, the cache and the group descriptors, from the disk
// (again after a journal replay); 0 or -errno.
static int mount_read(struct ext2 *fs)
{
    if (fs->disk.read(fs->disk.ctx, 2, 2, fs->sb) < 0)
        return ext2_fail(fs, -EIO, "cannot read the superblock");
    const char *why = super_parse(fs);
    if (why)
        return ext2_fail(fs, -EINVAL, why);
    int e = fs->cache ? 0 : ext2_cache_init(fs);
    free(fs->gd);
    fs->gd = NULL;
    return e < 0 ? e : gd_load(fs);
}

int ext2_mount(struct ext2 *fs, const struct ext2_dev *dev) { return ext2_mount_check(fs, dev, 0); }

int ext2_mount_check(struct ext2 *fs, const struct ext2_dev *dev, int check)
{
    memset(fs, 0, sizeof(*fs));
    fs->check = check;
    fs->disk = *dev;
    fs->dev = (struct ext2_dev){ fs, dev_read, dev_write, dev->sectors };
    fs->unclean = 1;                         // nothing to mark before mount_state
    if (!dev->read || !dev->write || dev->sectors < 8)
        return ext2_fail(fs, -EINVAL, "device too small");
    int e = mount_read(fs);
    if (e == 0 && !fs->readonly && (le32(fs->sb + SB_COMPAT) & COMPAT_HAS_JOURNAL)) {
        e = ext2_jnl_mount(fs);
        if (e == 1) {                        // replayed under the cache
            ext2_cache_drop(fs);
            e = mount_read(fs);
        }
    }
    if (e == 0)
        e = root_check(fs);
    if (e == 0 && !fs->readonly)
        e = mount_state(fs);
    if (e < 0) {
        const char *msg = fs->err ? fs->err : "out of memory";
        ext2_unmount(fs);
        fs->err = msg;
    }
    return e;
}

void ext2_unmount(struct ext2 *fs)
{
    ext2_flush(fs);
    ext2_jnl_free(fs);
    ext2_cache_free(fs);
    free(fs->gd);
    fs->gd = NULL;
}

// Also stamps s_wtime with the clock the library uses: e2fsck takes a
// small dtime (seconds since boot, or 1 without a clock) for a link of the
// orphan list unless s_wtime shows such a clock.
int ext2_sync(struct ext2 *fs)
{
    int e = ext2_flush(fs);
    if (e < 0 || fs->readonly || !fs->cache || !fs->unclean)
        return e;
    if (fs->journaling) {                    // everything in place: the journal empty
        e = ext2_writeback(fs);
        if (e == 0)
            e = ext2_jnl_checkpoint(fs, 1);
        if (e < 0)
            return e;
        put32(fs->sb + SB_INCOMPAT, le32(fs->sb + SB_INCOMPAT) & ~(uint32_t)INCOMPAT_RECOVER);
    }
    put32(fs->sb + SB_WTIME, fs->now ? fs->now : 1);
    e = state_set(fs, EXT2_VALID_FS, 0);
    if (e == 0)
        fs->unclean = 0;
    return e;
}

long ext2_statfs(struct ext2 *fs, struct fs_statfs *s)
{
    *s = (struct fs_statfs){ fs->block_size, fs->blocks_count, le32(fs->sb + SB_FREE_BLOCKS),
                             fs->inodes_count, le32(fs->sb + SB_FREE_INODES), "ext2" };
    return 0;
}
