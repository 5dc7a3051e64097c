// Links, modes, owners and times: symlink, link, lstat (which does not
// follow a final symbolic link), chmod, fchmod, umask, the chown family
// and the utime family, over the fs server. There is one user, root, who
// may give a file any owner and group (newlib's ids are 16 bits: 0-65534). Times are whole seconds from 1970 to 2106 (ext2's).
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "libc.h"
#include "fs_proto.h"

void stat_from_fs(struct stat *st, const struct fs_stat *fs);

// Sends op with the payload "a NUL b NUL"; a is resolved to an absolute
// path, and b too when both_paths (a symlink's target is kept as written).
static long two_path_op(unsigned op, const char *a, const char *b, int both_paths)
{
    char buf[2 * FS_PATH_MAX];
    int e = path_resolve(a, buf);
    size_t n = e ? 0 : strlen(buf) + 1;
    if (e)
        return e;
    if (both_paths) {
        e = path_resolve(b, buf + n);
        if (e)
            return e;
    } else {
        if (!b || !*b)
            return -ENOENT;
        if (strlen(b) >= FS_PATH_MAX)
            return -ENAMETOOLONG;
        strcpy(buf + n, b);
    }
    struct rpc r = { .op = op, .data = buf, .len = n + strlen(buf + n) + 1 };
    return rpc_call(H_FS, &r);
}

int symlink(const char *target, const char *path)
{
    long e = two_path_op(FS_SYMLINK, path, target, 0);
    return (int)rpc_result(e < 0 ? e : 0);
}

int link(const char *existing, const char *path)
{
    long e = two_path_op(FS_LINK, existing, path, 1);
    return (int)rpc_result(e < 0 ? e : 0);
}

// The inode of path (a final symbolic link itself when nofollow).
static long inode_of(const char *path, int nofollow)
{
    char abs[FS_PATH_MAX];
    int e = path_resolve(path, abs);
    if (e)
        return e;
    struct rpc r = { .op = FS_LOOKUP, .w0 = (uint64_t)nofollow, .data = abs, .len = strlen(abs) + 1 };
    return rpc_call(H_FS, &r);
}

static int stat_inode(long ino, struct stat *st)
{
    struct fs_stat fs;
    struct rpc r = { .op = FS_STAT, .w0 = (uint64_t)ino, .rbuf = &fs, .rmax = sizeof(fs) };
    long e = ino < 0 ? ino : rpc_call(H_FS, &r);
    if (e < 0)
        return (int)rpc_result(e);
    stat_from_fs(st, &fs);
    return 0;
}

int lstat(const char *path, struct stat *st) { return stat_inode(inode_of(path, 1), st); }

static int chmod_inode(long ino, mode_t mode)
{
    struct rpc r = { .op = FS_CHMOD, .w0 = (uint64_t)ino, .w1 = mode & 07777 };
    return (int)rpc_result(ino < 0 ? ino : rpc_call(H_FS, &r));
}

// New files and directories get the mode open and mkdir are given less
// these bits (022 at the start, as a login shell would set it).
mode_t libc_umask = 022;

mode_t umask(mode_t mask)
{
    mode_t old = libc_umask;
    libc_umask = mask & 0777;
    return old;
}

int chmod(const char *path, mode_t mode) { return chmod_inode(inode_of(path, 0), mode); }

int fchmod(int fd, mode_t mode)
{
    struct ofile *f = fd_get(fd);
    if (!f || (f->type != FD_FILE && f->type != FD_DIR))
        return (int)rpc_result(f ? -EINVAL : -EBADF);
    return chmod_inode((long)f->id, mode);
}

// One time for FS_UTIMES from a timespec (UTIME_NOW, UTIME_OMIT), or -1.
static int64_t time_word(const struct timespec *t, uint64_t *out)
{
    if (!t || t->tv_nsec == UTIME_NOW) {
        *out = (uint64_t)time(NULL);
        return 0;
    }
    if (t->tv_nsec == UTIME_OMIT) {
        *out = FS_TIME_KEEP;
        return 0;
    }
    if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000 || t->tv_sec < 0 || t->tv_sec > 0xffffffffl)
        return -1;
    *out = (uint64_t)t->tv_sec;
    return 0;
}

// Sets inode ino's times from ts[2] (NULL: both now).
static int times_set(long ino, const struct timespec ts[2])
{
    struct rpc r = { .op = FS_UTIMES, .w0 = (uint64_t)ino };
    if (ino >= 0 && (time_word(ts ? &ts[0] : NULL, &r.w1) < 0 || time_word(ts ? &ts[1] : NULL, &r.w2) < 0))
        ino = -EINVAL;
    return (int)rpc_result(ino < 0 ? ino : rpc_call(H_FS, &r));
}

int utimensat(int dirfd, const char *path, const struct timespec *ts, int flags)
{
    if (dirfd != AT_FDCWD && path[0] != '/')
        return (int)rpc_result(-EINVAL);     // only paths from the working directory
    return times_set(inode_of(path, (flags & AT_SYMLINK_NOFOLLOW) != 0), ts);
}

int futimens(int fd, const struct timespec *ts)
{
    struct ofile *f = fd_get(fd);
    if (!f || (f->type != FD_FILE && f->type != FD_DIR))
        return (int)rpc_result(f ? -EINVAL : -EBADF);
    return times_set((long)f->id, ts);
}

// timespec pair from a timeval pair (NULL stays NULL).
static const struct timespec *from_timeval(const struct timeval *tv, struct timespec ts[2])
{
    if (!tv)
        return NULL;
    for (int i = 0; i < 2; i++) {
        ts[i].tv_sec = tv[i].tv_sec;
        ts[i].tv_nsec = tv[i].tv_usec >= 0 && tv[i].tv_usec < 1000000 ? tv[i].tv_usec * 1000 : -3;
    }
    return ts;
}

int utimes(const char *path, const struct timeval *tv)
{
    struct timespec ts[2];
    return times_set(inode_of(path, 0), from_timeval(tv, ts));
}

int lutimes(const char *path, const struct timeval *tv)
{
    struct timespec ts[2];
    return times_set(inode_of(path, 1), from_timeval(tv, ts));
}

int futimes(int fd, const struct timeval *tv)
{
    struct timespec ts[2];
    return futimens(fd, from_timeval(tv, ts));
}

int utime(const char *path, const struct utimbuf *t)
{
    struct timespec ts[2] = { { t ? t->actime : 0, 0 }, { t ? t->modtime : 0, 0 } };
    return times_set(inode_of(path, 0), t ? ts : NULL);
}

static int chown_inode(long ino, uid_t uid, gid_t gid)
{
    struct rpc r = { .op = FS_CHOWN, .w0 = (uint64_t)ino, .w1 = (uint32_t)uid, .w2 = (uint32_t)gid };
    if (ino >= 0 && uid == (uid_t)-1)
        r.w1 = 0xffffffffu;
    if (ino >= 0 && gid == (gid_t)-1)
        r.w2 = 0xffffffffu;
    return (int)rpc_result(ino < 0 ? ino : rpc_call(H_FS, &r));
}

int chown(const char *path, uid_t uid, gid_t gid) { return chown_inode(inode_of(path, 0), uid, gid); }
int lchown(const char *path, uid_t uid, gid_t gid) { return chown_inode(inode_of(path, 1), uid, gid); }

int fchown(int fd, uid_t uid, gid_t gid)
{
    struct ofile *f = fd_get(fd);
    if (!f || (f->type != FD_FILE && f->type != FD_DIR))
        return (int)rpc_result(f ? -EINVAL : -EBADF);
    return chown_inode((long)f->id, uid, gid);
}
