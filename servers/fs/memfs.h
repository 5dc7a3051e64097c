// The in-memory file tree the fs server serves until the disk exists:
// the boot file set (read-only files) plus files and directories created
// at run time (kept in RAM). Pure logic (malloc only), host-tested.
#ifndef MEMFS_H
#define MEMFS_H
#include <stdint.h>
#include "fs_proto.h"

#define MEMFS_NODES 1024

struct node {
    int used, type, parent;      // parent: index of the directory
    int readonly;                // from the boot file set
    char name[FS_NAME_MAX + 1];
    uint8_t *data;
    uint64_t size, cap;
    int64_t mtime;
};

// Inode numbers are node index + 1; the root is inode 1.
void memfs_init(void);
int memfs_add_boot_file(const char *path, const void *data, uint64_t size);
long memfs_lookup(const char *path);
long memfs_create(const char *path, int type, int excl);
long memfs_read(uint64_t ino, uint64_t off, void *buf, uint64_t len);
long memfs_write(uint64_t ino, uint64_t off, const void *buf, uint64_t len);
long memfs_truncate(uint64_t ino, uint64_t size);
long memfs_stat(uint64_t ino, struct fs_stat *st);
long memfs_readdir(uint64_t ino, uint64_t pos, struct fs_dirent *de, uint64_t *next);
long memfs_unlink(const char *path);
void memfs_set_time(int64_t now);
long memfs_rename(const char *from, const char *to);
long memfs_statfs(struct fs_statfs *s);

#endif
