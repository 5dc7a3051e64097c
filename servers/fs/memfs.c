// In-memory file tree (see memfs.h). Errors are negative errno values.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "memfs.h"

#define FILE_MAX (64ul << 20)

static struct node nodes[MEMFS_NODES];
static int64_t clock_now;

void memfs_set_time(int64_t now) { clock_now = now; }

void memfs_init(void)
{
    memset(nodes, 0, sizeof(nodes));
    nodes[0] = (struct node){ .used = 1, .type = FS_TYPE_DIR, .parent = 0, .name = "/" };
}

static struct node *node_get(uint64_t ino)
{
    return ino >= 1 && ino <= MEMFS_NODES && nodes[ino - 1].used ? &nodes[ino - 1] : NULL;
}

static int child(int dir, const char *name, size_t len)
{
    for (int i = 1; i < MEMFS_NODES; i++)
        if (nodes[i].used && nodes[i].parent == dir && strlen(nodes[i].name) == len &&
            !memcmp(nodes[i].name, name, len))
            return i;
    return -1;
}

// Walks an absolute path; returns the node index and, in *last, where
// the final component starts (for creating it).
static int walk(const char *path, int want_parent, const char **last)
{
    if (path[0] != '/')
        return -EINVAL;
    int cur = 0;
    const char *p = path;
    while (*p == '/')
        p++;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > FS_NAME_MAX)
            return -ENAMETOOLONG;
        const char *rest = p + len;
        while (*rest == '/')
            rest++;
        if (want_parent && !*rest) {
            *last = p;
            return cur;
        }
        if (nodes[cur].type != FS_TYPE_DIR)
            return -ENOTDIR;
        int next = child(cur, p, len);
        if (next < 0)
            return -ENOENT;
        cur = next;
        p = rest;
    }
    return want_parent ? -EEXIST : cur;          // want_parent on "/"
}

long memfs_lookup(const char *path)
{
    int i = walk(path, 0, NULL);
    return i < 0 ? i : i + 1;
}

static int node_new(int parent, const char *name, size_t len, int type)
{
    for (int i = 1; i < MEMFS_NODES; i++) {
        if (nodes[i].used)
            continue;
        nodes[i] = (struct node){ .used = 1, .type = type, .parent = parent, .mtime = clock_now };
        memcpy(nodes[i].name, name, len);
        nodes[i].name[len] = 0;
        return i;
    }
    return -ENOSPC;
}

long memfs_create(const char *path, int type, int excl)
{
    const char *name;
    int dir = walk(path, 1, &name);
    if (dir < 0)
        return dir;
    if (nodes[dir].type != FS_TYPE_DIR)
        return -ENOTDIR;
    size_t len = strcspn(name, "/");
    if (len == 0 || len > FS_NAME_MAX || (len <= 2 && !strncmp(name, "..", len)))
        return -EINVAL;
    int existing = child(dir, name, len);
    if (existing >= 0) {
        if (excl || nodes[existing].type != type)
            return -EEXIST;
        return existing + 1;
    }
    int i = node_new(dir, name, len, type);
    return i < 0 ? i : i + 1;
}

int memfs_add_boot_file(const char *path, const void *data, uint64_t size)
{
    char dir[FS_PATH_MAX + 1] = "/";
    for (const char *p = path; (p = strchr(p, '/')); p++) {      // make parents
        size_t n = (size_t)(p - path);
        if (n + 2 > sizeof(dir))
            return -ENAMETOOLONG;
        memcpy(dir + 1, path, n);
        dir[n + 1] = 0;
        long e = memfs_create(dir, FS_TYPE_DIR, 0);
        if (e < 0)
            return (int)e;
    }
    if (strlen(path) + 2 > sizeof(dir))
        return -ENAMETOOLONG;
    strcpy(dir + 1, path);
    long ino = memfs_create(dir, FS_TYPE_FILE, 1);
    if (ino < 0)
        return (int)ino;
    struct node *n = node_get((uint64_t)ino);
    n->data = (uint8_t *)data;
    n->size = size;
    n->readonly = 1;
    return 0;
}

long memfs_read(uint64_t ino, uint64_t off, void *buf, uint64_t len)
{
    struct node *n = node_get(ino);
    if (!n)
        return -ESTALE;
    if (n->type != FS_TYPE_FILE)
        return -EISDIR;
    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = n->size - off;
    memcpy(buf, n->data + off, len);
    return (long)len;
}

// Makes room for size bytes, zero-filling new space.
static long reserve(struct node *n, uint64_t size)
{
    if (size > FILE_MAX)
        return -EFBIG;
    if (size > n->cap) {
        uint64_t cap = n->cap ? n->cap : 4096;
        while (cap < size)
            cap *= 2;
        uint8_t *d = realloc(n->data, cap);
        if (!d)
            return -ENOSPC;
        memset(d + n->cap, 0, cap - n->cap);
        n->data = d;
        n->cap = cap;
    }
    return 0;
}

long memfs_write(uint64_t ino, uint64_t off, const void *buf, uint64_t len)
{
    struct node *n = node_get(ino);
    if (!n)
        return -ESTALE;
    if (n->type != FS_TYPE_FILE)
        return -EISDIR;
    if (n->readonly)
        return -EROFS;
    if (off > FILE_MAX || len > FILE_MAX - off)
        return -EFBIG;
    long e = reserve(n, off + len);
    if (e)
        return e;
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = off + len;
    n->mtime = clock_now;
    return (long)len;
}

long memfs_truncate(uint64_t ino, uint64_t size)
{
    struct node *n = node_get(ino);
    if (!n)
        return -ESTALE;
    if (n->type != FS_TYPE_FILE)
        return -EISDIR;
    if (n->readonly)
        return -EROFS;
    long e = reserve(n, size);
    if (e)
        return e;
    if (size < n->size)
        memset(n->data + size, 0, n->size - size);
    n->size = size;
    n->mtime = clock_now;
    return 0;
}

long memfs_stat(uint64_t ino, struct fs_stat *st)
{
    struct node *n = node_get(ino);
    if (!n)
        return -ESTALE;
    int is_dir = n->type == FS_TYPE_DIR;
    int exec = is_dir || (n->readonly && nodes[n->parent].parent == 0 && !strcmp(nodes[n->parent].name, "bin"));
    *st = (struct fs_stat){ .ino = ino, .size = n->size, .blocks = (n->size + 511) / 512,
                            .type = (uint32_t)n->type, .nlink = is_dir ? 2 : 1,
                            .mode = exec ? 0755 : n->readonly ? 0444 : 0644,
                            .atime = n->mtime, .mtime = n->mtime, .ctime = n->mtime };
    return 0;
}

long memfs_readdir(uint64_t ino, uint64_t pos, struct fs_dirent *de, uint64_t *next)
{
    struct node *d = node_get(ino);
    if (!d)
        return -ESTALE;
    if (d->type != FS_TYPE_DIR)
        return -ENOTDIR;
    int dir = (int)ino - 1;
    for (uint64_t i = pos + 1; i < MEMFS_NODES; i++) {
        if (!nodes[i].used || nodes[i].parent != dir)
            continue;
        de->ino = i + 1;
        de->type = (uint32_t)nodes[i].type;
        de->namelen = (uint32_t)strlen(nodes[i].name);
        memcpy(de->name, nodes[i].name, de->namelen + 1);
        *next = i;
        return 1;
    }
    return 0;
}

long memfs_unlink(const char *path)
{
    int i = walk(path, 0, NULL);
    if (i < 0)
        return i;
    if (i == 0)
        return -EBUSY;
    struct node *n = &nodes[i];
    if (n->readonly)
        return -EROFS;
    if (n->type == FS_TYPE_DIR) {
        for (int k = 1; k < MEMFS_NODES; k++)
            if (nodes[k].used && nodes[k].parent == i)
                return -ENOTEMPTY;
    } else {
        free(n->data);
    }
    memset(n, 0, sizeof(*n));
    return 0;
}

long memfs_rename(const char *from, const char *to)
{
    int i = walk(from, 0, NULL);
    const char *name;
    if (i <= 0)
        return i < 0 ? i : -EBUSY;
    if (nodes[i].readonly)
        return -EROFS;
    int dir = walk(to, 1, &name);
    if (dir < 0)
        return dir;
    size_t len = strcspn(name, "/");
    if (len == 0 || len > FS_NAME_MAX || nodes[dir].type != FS_TYPE_DIR)
        return -EINVAL;
    for (int d = dir; d; d = nodes[d].parent)       // not into itself
        if (d == i)
            return -EINVAL;
    int old = child(dir, name, len);
    if (old >= 0 && old != i) {
        if (nodes[old].type == FS_TYPE_DIR || nodes[i].type == FS_TYPE_DIR)
            return -EEXIST;
        long e = memfs_unlink(to);
        if (e)
            return e;
    }
    nodes[i].parent = dir;
    memcpy(nodes[i].name, name, len);
    nodes[i].name[len] = 0;
    return 0;
}

static long count_used(void)
{
    long n = 0;
    for (int i = 0; i < MEMFS_NODES; i++)
        n += nodes[i].used;
    return n;
}

long memfs_statfs(struct fs_statfs *s)
{
    uint64_t bytes = 0;
    for (int i = 0; i < MEMFS_NODES; i++)
        if (nodes[i].used)
            bytes += nodes[i].size;
    *s = (struct fs_statfs){ 4096, (bytes + 4095) / 4096, 0, MEMFS_NODES,
                             (uint64_t)(MEMFS_NODES - count_used()), "memfs" };
    return 0;
}
