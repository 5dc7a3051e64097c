// A file system the fs server can serve: the ext2 disk or the in-memory
// boot files. Paths are relative to the backend's root ("/" first);
// results are negative errno on failure.
#ifndef FS_BACKEND_H
#define FS_BACKEND_H
#include <stdint.h>
#include "fs_proto.h"

struct fs_backend {
    const char *type;
    void (*set_time)(int64_t now);
    long (*lookup)(const char *path, int nofollow);
    long (*read)(uint64_t ino, uint64_t off, void *buf, uint64_t len);
    // Optional: a read within one cached block, without a copy (*out
    // NULL and 0 returned: use read).
    long (*read_ref)(uint64_t ino, uint64_t off, uint64_t len, const void **out);
    long (*write)(uint64_t ino, uint64_t off, const void *buf, uint64_t len);
    long (*create)(const char *path, int excl);
    long (*mkdir)(const char *path);
    long (*truncate)(uint64_t ino, uint64_t size);
    long (*stat)(uint64_t ino, struct fs_stat *st);
    long (*readdir)(uint64_t ino, uint64_t pos, struct fs_dirent *de, uint64_t *next);
    long (*unlink)(const char *path);
    long (*rmdir)(const char *path);
    long (*rename)(const char *from, const char *to);
    long (*readlink)(uint64_t ino, char *buf, uint64_t max);
    long (*statfs)(struct fs_statfs *s);
    long (*sync)(void);
    long (*symlink)(const char *path, const char *target);
    long (*link)(const char *existing, const char *path);
    long (*chmod)(uint64_t ino, uint32_t mode);
    long (*utimes)(uint64_t ino, int64_t atime, int64_t mtime);   // < 0: keep
    long (*chown)(uint64_t ino, uint32_t uid, uint32_t gid);      // 0xffffffff: keep
};

extern const struct fs_backend memfs_backend;
// Mounts the ext2 file system on the disk; NULL (with a message printed)
// when there is no disk or it is not a valid ext2 image. A restarted fs
// waits for a disk that cannot be read (until it can) instead. check: run
// the repair pass even when the journal would do (init asks for it after
// a code fault or an unexplained death of fs or the disk driver).
const struct fs_backend *ext2_backend_mount(long disk_handle, int restarted, int check);

#endif
