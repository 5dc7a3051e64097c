// File system protocol (servers/fs). Stateless: every request names an
// inode (or a path) and an offset, so open files survive a server restart.
// Paths are absolute and already normalised by the client ("/bin/ls").
// Replies: r0 = result (>= 0) or a negative errno (newlib values).
#ifndef FS_PROTO_H
#define FS_PROTO_H
#include <stdint.h>

enum fs_op {
    FS_LOOKUP = 1,     // payload: path, w0 = flags (FS_LOOKUP_NOFOLLOW,
                       //    FS_LOOKUP_STAMP) -> r0 = inode, r1 = type, r2 = size
    FS_READ,           // w0 = inode, w1 = offset, w2 = max -> payload: bytes, r0 = count
    FS_WRITE,          // w0 = inode, w1 = offset, payload: bytes -> r0 = count
    FS_CREATE,         // w0 = O_EXCL/O_TRUNC flags, payload: path -> r0 = inode
    FS_TRUNCATE,       // w0 = inode, w1 = size
    FS_STAT,           // w0 = inode -> payload: struct fs_stat
    FS_READDIR,        // w0 = directory inode, w1 = position (0 first) -> payload:
                       //    struct fs_dirent, r0 = 1, r1 = next position; r0 = 0 at the end
    FS_UNLINK,         // payload: path
    FS_MKDIR,          // payload: path
    FS_RMDIR,          // payload: path (the directory must be empty)
    FS_RENAME,         // payload: old path NUL new path NUL
    FS_READLINK,       // w0 = inode -> payload: the link's target, r0 = length
    FS_STATFS,         // -> payload: struct fs_statfs
    FS_SYNC,           // -> r0 = 0 once everything written is on the disk
    FS_SYMLINK,        // payload: link path NUL target NUL -> r0 = inode of the link
    FS_LINK,           // payload: existing path NUL new path NUL -> r0 = inode
                       //    (a final symlink in the existing path is not followed)
    FS_CHMOD,          // w0 = inode, w1 = permission bits (07777)
    FS_UTIMES,         // w0 = inode, w1 = access time, w2 = modification time
                       //    (seconds since 1970; FS_TIME_KEEP leaves one as it is)
    FS_CHOWN,          // w0 = inode, w1 = owner, w2 = group (0xffffffff: keep)
    FS_OPS
};

// FS_LOOKUP flags. NOFOLLOW: do not follow a final symlink. STAMP: the
// reply's payload is the file's change stamp (uint64_t), a number that
// grows whenever its contents may have changed (write, truncate, create),
// also across a restart of fs: a cached copy with the same stamp is current.
#define FS_LOOKUP_NOFOLLOW 1
#define FS_LOOKUP_STAMP    2

#define FS_TYPE_FILE 1
#define FS_TYPE_DIR  2
#define FS_TYPE_LINK 3
#define FS_PATH_MAX  256
#define FS_NAME_MAX  255
#define FS_IO_MAX    65536
#define FS_TIME_KEEP ((uint64_t)-1)

struct fs_stat {
    uint64_t ino, size, blocks;
    uint32_t type, mode, nlink, uid, gid, pad;
    int64_t atime, mtime, ctime;
};
_Static_assert(sizeof(struct fs_stat) == 72, "fs_stat layout");

struct fs_dirent {
    uint64_t ino;
    uint32_t type, namelen;
    char name[FS_NAME_MAX + 1];
};
_Static_assert(sizeof(struct fs_dirent) == 272, "fs_dirent layout");

struct fs_statfs {
    uint64_t block_size, blocks, free_blocks, inodes, free_inodes;
    char type[8];                // "ext2", "memfs"
};
_Static_assert(sizeof(struct fs_statfs) == 48, "fs_statfs layout");

#endif
