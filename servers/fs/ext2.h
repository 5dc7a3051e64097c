// ext2 file system library: serves an ext2 image (revision 0 or 1, 1, 2 or 4
// KiB blocks) on a block device given as callbacks. Pure C11 (malloc, string
// functions, errno values): built for the fs server and for the host tests.
//
// Conventions:
// - Errors are negative errno values. A corrupt on-disk structure gives -EIO
//   for the operation that met it (never a crash, never a write outside the
//   file system); ext2_error() then tells why. ext2_mount() gives -EINVAL
//   for a superblock or group descriptor it cannot accept, -EIO when the
//   device fails. Changes on a read-only mount (unknown ro_compat
//   features) give -EROFS. A device error gives -EIO.
// - Inode numbers are ext2 inode numbers (the root is EXT2_ROOT_INO). An inode
//   number that is out of range, reserved or no longer in use gives -ESTALE.
// - Paths are absolute and normalised ("/a/b"); symbolic links are followed
//   in every component (at most EXT2_SYMLOOP_MAX, then -ELOOP).
// - Write-through: every call that changes the file system has put all its
//   changes on the device when it returns (blocks are gathered in the cache
//   during the call and written once at its end).
// - Crash safety: a mount marks the file system "not clean" on the disk
//   (s_state without EXT2_VALID_FS) and ext2_sync() marks it clean again;
//   the first change after a sync marks it "not clean" before it writes.
//   A read-write mount of a file system that was not cleanly stopped runs
//   ext2_repair() before it returns (see struct ext2_repair_stats).
// - With a journal (has_journal, made by mkfs.ext2 -j; JBD2 format without
//   checksums): each changing call is one transaction in ordered mode (its
//   file data in place, then its metadata blocks and a commit block in the
//   journal, before it returns); the metadata goes in place later (cache
//   eviction, checkpoint when the journal runs low, ext2_sync). "Not
//   clean" also sets needs_recovery; a mount replays the committed
//   transactions instead of the repair, which runs only for a journal it
//   refuses or an image marked with errors (struct ext2_journal_stats).
//   A call that dirties more than 64 metadata blocks is committed in parts.
// - Not thread-safe: one caller at a time. Access times are not updated.
// - Limits: names of 255 bytes, symlink targets shorter than a block,
//   directories up to 128 MiB, 1 GiB per read or write call.
#ifndef EXT2_H
#define EXT2_H
#include <stdint.h>
#include "fs_proto.h"

#define EXT2_ROOT_INO     2
#define EXT2_CACHE_BLOCKS 256      // blocks kept in the cache (LRU)
#define EXT2_SYMLOOP_MAX  16

struct ext2_dev {
    void *ctx;
    int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);        // 512-byte sectors; 0 or -errno
    int (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);  // returns once on the disk
    uint64_t sectors;                                                         // size of the device
};

struct ext2_cache;
struct ext2_jnl;

// What ext2_repair() found and fixed (counts of each kind).
struct ext2_repair_stats {
    uint32_t ran;                  // 1 when the repair ran (0: the fs was clean)
    int32_t error;                 // 0, or -errno when it had to stop (ext2_error says why)
    uint32_t inodes_freed;         // allocated but garbage, or empty and without a name
    uint32_t inodes_relinked;      // holding data but without a name: "#ino" in lost+found
    uint32_t inodes_fixed;         // in-use inodes corrected (links, dtime, size, blocks)
    uint32_t free_inodes_cleaned;  // free inodes whose record looked alive or had a bad dtime
    uint32_t pointers_cleared;     // block pointers that were bad, shared or past the end
    uint32_t entries_removed;      // names of free inodes, second names of directories, bad names
    uint32_t entries_fixed;        // ".", ".." and file types corrected
    uint32_t dir_blocks_reset;     // unreadable directory blocks emptied (or rebuilt: "." "..")
    uint32_t blocks_reclaimed;     // marked in use but owned by nothing: now free
    uint32_t blocks_marked;        // owned but marked free: now in use
    uint32_t inode_bits_fixed;     // inode bitmap bits corrected
    uint32_t counts_fixed;         // group and superblock counters corrected
};

// The journal (an image made with mkfs.ext2 -j): what the mount found.
struct ext2_journal_stats {
    uint32_t present;              // the library journals its changes
    uint32_t replayed;             // the mount replayed committed transactions
    uint32_t transactions, blocks, revoked, scanned;   // of that replay
    const char *bad;               // why the journal was refused (the mount repaired instead)
    uint64_t commits, checkpoints; // since the mount
};

#define EXT2_VALID_FS 1            // s_state: cleanly stopped
#define EXT2_ERROR_FS 2            // s_state: errors found (a repair failed)

// A mounted file system. Filled by ext2_mount(); read-only for the caller.
// What ext2_read_ref last looked up: a file's size and the disk block of
// one of its logical blocks. Valid while no block was written since
// (writes equal to the file system's count).
struct ext2_read_memo {
    uint64_t writes, ino, size, lblk;
    uint32_t pblk;                           // 0: a hole, or past the end
};

struct ext2 {
    struct ext2_dev dev;
    uint32_t block_size, sec_per_block, ptrs_per_block;
    uint32_t blocks_count, inodes_count, first_data_block;
    uint32_t blocks_per_group, inodes_per_group, groups;
    uint32_t gd_blocks, reserved_gdt, itable_blocks;
    uint32_t rev, inode_size, first_ino, extra_isize;
    int filetype, sparse_super, readonly;    // readonly: unknown ro_compat features
    uint32_t now;                            // time stamp for changes (ext2_set_time)
    uint64_t max_file;                       // largest file size
    uint8_t sb[1024];                        // the superblock as on the disk
    uint8_t *gd;                             // the group descriptors as on the disk
    struct ext2_cache *cache;
    const char *err;                         // why the last call failed, if known
    struct ext2_dev disk;                    // the caller's device (dev wraps it)
    int unclean;                             // s_state on the disk has VALID cleared
    struct ext2_repair_stats repair;         // what the mount's repair did (ran 0: skipped)
    uint64_t writes;                         // block writes so far (every change is one)
    struct ext2_read_memo read_memo;
    struct ext2_jnl *jnl;                    // the journal, NULL without one
    int journaling;                          // changes go through the journal now
    int check;                               // repair even if the journal is enough
    struct ext2_journal_stats journal;
};

// Reads and checks the superblock and group descriptors; 0 or -errno (see
// ext2_error). The device must stay valid until ext2_unmount().
int ext2_mount(struct ext2 *fs, const struct ext2_dev *dev);
// The same, then the repair pass (ext2_repair) even after a clean stop or
// a journal replay: for a disk that a faulty program (a file system or
// disk driver whose code or memory went wrong) may have written wrong
// data to, which a journal replays as faithfully as right data.
int ext2_mount_check(struct ext2 *fs, const struct ext2_dev *dev, int check);
// Frees the cache and descriptors (everything is already on the device).
void ext2_unmount(struct ext2 *fs);
// A short message about the last failure ("bad superblock magic").
const char *ext2_error(struct ext2 *fs);
// Sets the time stamp (seconds since 1970) written by later changes.
void ext2_set_time(struct ext2 *fs, uint32_t now);
// Cache counters: lookups found in the cache, and blocks read from the device.
void ext2_cache_stats(struct ext2 *fs, uint64_t *hits, uint64_t *misses);
// Nothing is ever pending (write-through; with a journal: writes every
// block in place and empties the journal); marks the file system clean on
// the disk (until the next change). 0 or a write error.
int ext2_sync(struct ext2 *fs);
// Light fsck of a mounted read-write file system (ext2_mount runs it after
// an unclean stop): frees garbage inodes and empty ones without a name,
// gives those holding data a name in /lost+found (a rename cut between its
// two directory writes leaves the file without a name), clears bad block
// pointers, fixes directory entries, "." and "..", link counts, and rebuilds
// the bitmaps and free counts. Fills *st; 0 or -errno (-EIO: damage it
// cannot fix, such as an unusable root directory, or a device error).
int ext2_repair(struct ext2 *fs, struct ext2_repair_stats *st);
// One line for a log: "3 inodes freed, 12 blocks reclaimed, 1 entry
// removed" ("nothing to fix" when all counts are 0), cut to fit len bytes.
void ext2_repair_summary(const struct ext2_repair_stats *st, char *buf, uint32_t len);

// Path -> inode number, following symbolic links (also a final one).
long ext2_lookup(struct ext2 *fs, const char *path);
// Same, but a final symbolic link is returned itself.
long ext2_lookup_nofollow(struct ext2 *fs, const char *path);

// Regular files only (-EISDIR for a directory, -EINVAL for other types).
// Bytes read (0 at or after the end; holes read as zeros).
long ext2_read(struct ext2 *fs, uint64_t ino, uint64_t off, void *buf, uint64_t len);
long ext2_read_ref(struct ext2 *fs, uint64_t ino, uint64_t off, uint64_t len, const void **out);
// Bytes written (short only when the disk fills up); -ENOSPC, -EFBIG.
long ext2_write(struct ext2 *fs, uint64_t ino, uint64_t off, const void *buf, uint64_t len);
// Sets the size: grows sparsely or frees the blocks past the new end.
long ext2_truncate(struct ext2 *fs, uint64_t ino, uint64_t size);

// Creates a regular file (mode 0644) -> inode. An existing file gives its
// inode (-EEXIST with excl); an existing directory gives -EISDIR.
long ext2_create(struct ext2 *fs, const char *path, int excl);
// Creates a directory (mode 0755) -> inode.
long ext2_mkdir(struct ext2 *fs, const char *path);
// Creates a symbolic link to target (mode 0777) -> inode.
long ext2_symlink(struct ext2 *fs, const char *path, const char *target);
// Gives the inode at existing (a final symbolic link is not followed) the
// new name path as well -> its inode. -EPERM for a directory, -EEXIST when
// path exists, -EMLINK at EXT2_LINK_MAX names.
long ext2_link(struct ext2 *fs, const char *existing, const char *path);
// Sets the permission bits (07777) of inode ino; the type is kept.
long ext2_chmod(struct ext2 *fs, uint64_t ino, uint32_t mode);
// Sets the owner and group of inode ino (EXT2_ID_KEEP leaves one as it
// is); a regular file loses its set-user-ID bit, and its set-group-ID bit
// when it is group-executable, as on Linux.
#define EXT2_ID_KEEP 0xffffffffu
long ext2_chown(struct ext2 *fs, uint64_t ino, uint32_t uid, uint32_t gid);
// Sets the access and modification times (seconds since 1970; a negative
// one is left as it is); the change time becomes now.
long ext2_utimes(struct ext2 *fs, uint64_t ino, int64_t atime, int64_t mtime);
// Removes a file or symbolic link (-EISDIR for a directory).
long ext2_unlink(struct ext2 *fs, const char *path);
// Removes an empty directory (-ENOTEMPTY, -ENOTDIR, -EBUSY for "/").
long ext2_rmdir(struct ext2 *fs, const char *path);
// Moves a file or directory, replacing an existing file (or empty
// directory, for a directory). -EINVAL moving a directory into itself.
long ext2_rename(struct ext2 *fs, const char *from, const char *to);

// mode: the permission bits (07777); blocks: 512-byte units (i_blocks).
long ext2_stat(struct ext2 *fs, uint64_t ino, struct fs_stat *st);
// One entry from position pos (0: the start; "." and ".." are skipped) ->
// 1 and *next (pass it back for the following entry), 0 at the end.
long ext2_readdir(struct ext2 *fs, uint64_t dir, uint64_t pos, struct fs_dirent *de, uint64_t *next);
// Copies the target of a symbolic link (at most max bytes; a NUL is added
// when there is room) -> the number of bytes copied.
long ext2_readlink(struct ext2 *fs, uint64_t ino, char *buf, uint64_t max);
long ext2_statfs(struct ext2 *fs, struct fs_statfs *s);

#endif
