// Path names: resolving against the working directory, open, stat,
// unlink, mkdir, chdir, getcwd and directory reading.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "libc.h"
#include "fs_proto.h"
#include "osapi.h"

void stat_from_fs(struct stat *st, const struct fs_stat *fs);

// Makes path absolute and removes ".", ".." and repeated slashes.
int path_resolve(const char *path, char *out)
{
    char tmp[FS_PATH_MAX * 2];
    if (!path || !*path)
        return -ENOENT;
    size_t cwd_len = path[0] == '/' ? 0 : strlen(os_start.cwd);
    if (cwd_len + strlen(path) + 2 > sizeof(tmp))
        return -ENAMETOOLONG;
    strcpy(tmp, path[0] == '/' ? "" : os_start.cwd);
    strcat(tmp, "/");
    strcat(tmp, path);
    size_t n = 0;
    for (char *p = tmp; *p;) {
        while (*p == '/')
            p++;
        char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = (size_t)(end - p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && out[--n] != '/')
                ;
        } else {
            if (n + len + 2 > FS_PATH_MAX)
                return -ENAMETOOLONG;
            out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p = end;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = 0;
    return 0;
}

// Looks a path up; returns the inode, with type and size.
static long lookup(const char *path, uint64_t *type, uint64_t *size)
{
    char abs[FS_PATH_MAX];
    int e = path_resolve(path, abs);
    if (e)
        return e;
    struct rpc r = { .op = FS_LOOKUP, .data = abs, .len = strlen(abs) + 1 };
    long ino = rpc_call(H_FS, &r);
    if (type)
        *type = r.r1;
    if (size)
        *size = r.r2;
    return ino;
}

static long path_op(unsigned op, const char *path, uint64_t w0)
{
    char abs[FS_PATH_MAX];
    int e = path_resolve(path, abs);
    if (e)
        return e;
    struct rpc r = { .op = op, .w0 = w0, .data = abs, .len = strlen(abs) + 1 };
    return rpc_call(H_FS, &r);
}

// Gives a new inode the permission bits mode less the umask, when they
// differ from the ones the file system gave it (dflt).
static long mode_set(long ino, mode_t mode, mode_t dflt)
{
    mode = mode & ~libc_umask & 07777;
    struct rpc r = { .op = FS_CHMOD, .w0 = (uint64_t)ino, .w1 = mode };
    if (ino < 0 || mode == dflt)
        return ino;
    long e = rpc_call(H_FS, &r);
    return e < 0 ? e : ino;
}

int open(const char *path, int flags, ...)
{
    int tty = tty_open(path, flags);
    if (tty != -ENOENT)
        return (int)rpc_result(tty);
    uint64_t type = 0;
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    long ino = lookup(path, &type, NULL);
    if (ino == -ENOENT && (flags & O_CREAT))
        ino = mode_set(path_op(FS_CREATE, path, (uint64_t)flags), mode, 0644), type = FS_TYPE_FILE;
    else if (ino >= 0 && (flags & O_CREAT) && (flags & O_EXCL))
        return (int)rpc_result(-EEXIST);
    if (ino < 0)
        return (int)rpc_result(ino);
    if (type == FS_TYPE_DIR && (flags & O_ACCMODE) != O_RDONLY)
        return (int)rpc_result(-EISDIR);
    if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
        struct rpc r = { .op = FS_TRUNCATE, .w0 = (uint64_t)ino, .w1 = 0 };
        long e = rpc_call(H_FS, &r);
        if (e < 0)
            return (int)rpc_result(e);
    }
    struct fd_desc d = { type == FS_TYPE_DIR ? FD_DIR : FD_FILE, (uint32_t)flags, (uint64_t)ino, 0 };
    return (int)rpc_result(fd_install(&d));
}

int stat(const char *path, struct stat *st)
{
    long ino = lookup(path, NULL, NULL);
    if (ino < 0)
        return (int)rpc_result(ino);
    struct fs_stat fs;
    struct rpc r = { .op = FS_STAT, .w0 = (uint64_t)ino, .rbuf = &fs, .rmax = sizeof(fs) };
    long e = rpc_call(H_FS, &r);
    if (e < 0)
        return (int)rpc_result(e);
    stat_from_fs(st, &fs);
    return 0;
}

int unlink(const char *path) { return (int)rpc_result(path_op(FS_UNLINK, path, 0)); }
int mkdir(const char *path, mode_t mode)
{
    long e = path_op(FS_MKDIR, path, 0);
    if (e >= 0 && (mode & ~libc_umask & 07777) != 0755)
        e = mode_set(lookup(path, NULL, NULL), mode, 0755);
    return (int)rpc_result(e < 0 ? e : 0);
}

int chdir(const char *path)
{
    char abs[FS_PATH_MAX];
    uint64_t type = 0;
    int e = path_resolve(path, abs);
    long ino = e ? e : lookup(abs, &type, NULL);
    if (ino < 0)
        return (int)rpc_result(ino);
    if (type != FS_TYPE_DIR)
        return (int)rpc_result(-ENOTDIR);
    strcpy(os_start.cwd, abs);
    return 0;
}

char *getcwd(char *buf, size_t size)
{
    size_t n = strlen(os_start.cwd) + 1;
    if (!buf && !(buf = malloc(size = n > size ? n : size)))
        return NULL;
    if (n > size) {
        errno = ERANGE;
        return NULL;
    }
    return memcpy(buf, os_start.cwd, n);
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    if (fd_get(fd)->type != FD_DIR) {
        close(fd);
        errno = ENOTDIR;
        return NULL;
    }
    DIR *d = calloc(1, sizeof(*d));
    if (!d) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    d->fd = fd;
    return d;
}

struct dirent *readdir(DIR *d)
{
    struct ofile *f = fd_get(d->fd);
    struct fs_dirent de;
    struct rpc r = { .op = FS_READDIR, .w0 = f->id, .w1 = f->off, .rbuf = &de, .rmax = sizeof(de) };
    long e = rpc_call(H_FS, &r);
    if (e <= 0) {
        if (e < 0)
            errno = (int)-e;
        return NULL;
    }
    f->off = r.r1;                           // the server's next position
    d->ent.d_ino = (ino_t)de.ino;
    d->ent.d_type = de.type == FS_TYPE_DIR ? DT_DIR : de.type == FS_TYPE_LINK ? DT_LNK : DT_REG;
    d->ent.d_reclen = sizeof d->ent;
    size_t n = de.namelen < sizeof(d->ent.d_name) ? de.namelen : sizeof(d->ent.d_name) - 1;
    memcpy(d->ent.d_name, de.name, n);
    d->ent.d_name[n] = 0;
    return &d->ent;
}

void rewinddir(DIR *d) { fd_get(d->fd)->off = 0; }

int closedir(DIR *d)
{
    int e = close(d->fd);
    free(d);
    return e;
}

// Existence and permission check from the mode bits (no users here).
int access(const char *path, int mode)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    if ((mode & X_OK) && !(st.st_mode & 0111))
        return (int)rpc_result(-EACCES);
    if ((mode & W_OK) && !(st.st_mode & 0222))
        return (int)rpc_result(-EROFS);
    return 0;
}

int rmdir(const char *path) { return (int)rpc_result(path_op(FS_RMDIR, path, 0)); }

int rename(const char *from, const char *to)
{
    char buf[2 * FS_PATH_MAX];
    int e = path_resolve(from, buf);
    size_t n = e ? 0 : strlen(buf) + 1;
    if (!e)
        e = path_resolve(to, buf + n);
    if (e)
        return (int)rpc_result(e);
    struct rpc r = { .op = FS_RENAME, .data = buf, .len = n + strlen(buf + n) + 1 };
    return (int)rpc_result(rpc_call(H_FS, &r));
}

ssize_t readlink(const char *path, char *buf, size_t max)
{
    char abs[FS_PATH_MAX];
    int e = path_resolve(path, abs);
    struct rpc r = { .op = FS_LOOKUP, .w0 = 1 /* do not follow */, .data = abs, .len = strlen(abs) + 1 };
    long ino = e ? e : rpc_call(H_FS, &r);
    if (ino >= 0 && r.r1 != FS_TYPE_LINK)
        ino = -EINVAL;
    if (ino < 0)
        return rpc_result(ino);
    struct rpc l = { .op = FS_READLINK, .w0 = (uint64_t)ino, .rbuf = buf, .rmax = max };
    return rpc_result(rpc_call(H_FS, &l));
}

void sync(void)
{
    struct rpc r = { .op = FS_SYNC };
    rpc_call(H_FS, &r);
}

int os_statfs(const char *path, struct os_statfs *out)
{
    (void)path;                              // one file system for now
    struct fs_statfs s;
    struct rpc r = { .op = FS_STATFS, .rbuf = &s, .rmax = sizeof(s) };
    long e = rpc_call(H_FS, &r);
    if (e < 0)
        return (int)rpc_result(e);
    *out = (struct os_statfs){ s.block_size, s.blocks, s.free_blocks, s.inodes, s.free_inodes, "" };
    memcpy(out->type, s.type, sizeof(out->type));
    out->type[sizeof(out->type) - 1] = 0;
    return 0;
}
