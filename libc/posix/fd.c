// File descriptors: read, write, close, lseek, dup, dup2, pipe, isatty,
// fstat, over the console, files, pipes, sockets and the kernel log.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "libc.h"
#include "console_proto.h"
#include "fs_proto.h"
#include "pipe_proto.h"

static struct ofile files[OPEN_MAX];
static uint64_t pipe_seq;                // numbers this process's pipe requests

// A new number for a pipe request that changes the pipe: the pipe server
// applies a request sent again after its crash (rpc_call) only once.
static uint64_t pipe_next_seq(void) { return __atomic_add_fetch(&pipe_seq, 1, __ATOMIC_RELAXED); }
static struct ofile *fds[OPEN_MAX];
static int fd_flags[OPEN_MAX];           // FD_CLOEXEC, per descriptor (fcntl)

int *fd_flags_of(int fd) { return fd >= 0 && fd < OPEN_MAX && fds[fd] ? &fd_flags[fd] : NULL; }

struct ofile *fd_get(int fd)
{
    return fd >= 0 && fd < OPEN_MAX ? fds[fd] : NULL;
}

static int fd_lowest_free(int from)
{
    for (int fd = from; fd < OPEN_MAX; fd++)
        if (!fds[fd])
            return fd;
    return -EMFILE;
}

static struct ofile *ofile_new(void)
{
    for (int i = 0; i < OPEN_MAX; i++)
        if (!files[i].refs) {
            memset(&files[i], 0, sizeof(files[i]));
            files[i].refs = 1;
            return &files[i];
        }
    return NULL;
}

// Gives the description in d the lowest free descriptor.
int fd_install(const struct fd_desc *d) { return fd_install_at(fd_lowest_free(0), d); }

// Gives the description in d descriptor fd, which must be free.
int fd_install_at(int fd, const struct fd_desc *d)
{
    struct ofile *f = fd < 0 || fd >= OPEN_MAX || fds[fd] ? NULL : ofile_new();
    if (!f)
        return -EMFILE;
    f->type = (int)d->type;
    f->flags = (int)d->flags;
    f->id = d->id;
    f->off = d->off;
    fds[fd] = f;
    fd_flags[fd] = 0;
    return fd;
}

void ofile_release(struct ofile *f)
{
    if (--f->refs > 0)
        return;
    if (f->type == FD_PIPE_R || f->type == FD_PIPE_W) {
        struct rpc r = { .op = PIPE_CLOSE, .w0 = f->id, .w1 = f->type == FD_PIPE_W,
                         .w2 = pipe_next_seq() };
        rpc_call(H_PIPE, &r);
    }
    if (f->type == FD_SOCKET)
        sock_release(f);
    f->type = FD_NONE;
}

int close(int fd)
{
    struct ofile *f = fd_get(fd);
    if (!f)
        return (int)rpc_result(-EBADF);
    fds[fd] = NULL;
    ofile_release(f);
    return 0;
}

static long file_size(uint64_t ino)
{
    struct fs_stat st;
    struct rpc r = { .op = FS_STAT, .w0 = ino, .rbuf = &st, .rmax = sizeof(st) };
    long e = rpc_call(H_FS, &r);
    return e < 0 ? e : (long)st.size;
}

// One request's worth of reading (at most one IPC payload).
static long read_some(struct ofile *f, void *buf, size_t n)
{
    if (n > IPC_MAX_PAYLOAD)
        n = IPC_MAX_PAYLOAD;
    struct rpc r = { .rbuf = buf, .rmax = n, .w1 = n };
    long h;
    switch (f->type) {
    case FD_CONSOLE: r.op = CON_READ; r.w0 = n; h = H_CONSOLE; break;
    case FD_PIPE_R:  r.op = PIPE_READ; r.w0 = f->id; r.w2 = pipe_next_seq(); h = H_PIPE; break;
    case FD_FILE:    r.op = FS_READ; r.w0 = f->id; r.w1 = f->off; r.w2 = n; h = H_FS; break;
    case FD_KLOG:    return 0;
    case FD_SOCKET:  return sock_read(f, buf, n);
    default:         return -EBADF;
    }
    long got = rpc_call(h, &r);
    if (got > (long)n)
        return -EIO;                             // a server claiming more than was asked
    if (got > 0 && f->type == FD_FILE)
        f->off += (uint64_t)got;
    return got;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
    struct ofile *f = fd_get(fd);
    if (!f)
        return rpc_result(-EBADF);
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return rpc_result(-EBADF);
    return rpc_result(read_some(f, buf, n));
}

// One request's worth of writing; returns bytes taken (0: try again).
static long write_some(struct ofile *f, const void *buf, size_t n)
{
    struct rpc r = { .data = buf };
    long h;
    switch (f->type) {
    case FD_KLOG:
        n = n > 256 ? 256 : n;
        return sys_log((long)buf, (long)n) < 0 ? -EIO : (long)n;
    case FD_CONSOLE:
        r.op = CON_WRITE; h = H_CONSOLE; n = n > CON_MAX_WRITE ? CON_MAX_WRITE : n;
        break;
    case FD_PIPE_W:
        r.op = PIPE_WRITE; r.w0 = f->id; r.w1 = pipe_next_seq(); h = H_PIPE;
        n = n > PIPE_BUF_SIZE ? PIPE_BUF_SIZE : n;
        break;
    case FD_FILE:
        if (f->flags & O_APPEND) {
            long size = file_size(f->id);
            if (size < 0)
                return size;
            f->off = (uint64_t)size;
        }
        r.op = FS_WRITE; r.w0 = f->id; r.w1 = f->off; h = H_FS; n = n > FS_IO_MAX ? FS_IO_MAX : n;
        break;
    case FD_SOCKET:
        return sock_write(f, buf, n);
    default:
        return -EBADF;
    }
    r.len = n;
    long put = rpc_call(h, &r);
    if (put > (long)n)
        return -EIO;                             // a server claiming more than it was given
    if (put > 0 && f->type == FD_FILE)
        f->off += (uint64_t)put;
    return put;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
    struct ofile *f = fd_get(fd);
    if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
        return rpc_result(-EBADF);
    size_t done = 0;
    while (done < n) {
        long put = write_some(f, (const char *)buf + done, n - done);
        if (put < 0)
            return done ? (_READ_WRITE_RETURN_TYPE)done : (_READ_WRITE_RETURN_TYPE)rpc_result(put);
        if (put == 0 && f->type == FD_FILE)
            break;                               // fs wrote nothing: a short write, not a loop
        done += (size_t)put;
    }
    return (_READ_WRITE_RETURN_TYPE)done;
}

off_t lseek(int fd, off_t off, int whence)
{
    struct ofile *f = fd_get(fd);
    if (!f)
        return rpc_result(-EBADF);
    if (f->type != FD_FILE)
        return rpc_result(-ESPIPE);
    long base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (long)f->off : file_size(f->id);
    if (base < 0 || (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END))
        return rpc_result(base < 0 ? base : -EINVAL);
    if (base + off < 0)
        return rpc_result(-EINVAL);
    f->off = (uint64_t)(base + off);
    return (off_t)f->off;
}

int dup2(int old, int new)
{
    struct ofile *f = fd_get(old);
    if (!f || new < 0 || new >= OPEN_MAX)
        return (int)rpc_result(-EBADF);
    if (old == new)
        return new;
    if (fds[new])
        close(new);
    f->refs++;
    fds[new] = f;
    fd_flags[new] = 0;
    return new;
}

int dup(int old)
{
    int fd = fd_lowest_free(0);
    return fd < 0 ? (int)rpc_result(fd) : dup2(old, fd);
}

int pipe(int p[2])
{
    struct rpc r = { .op = PIPE_CREATE, .w0 = pipe_next_seq() };
    long id = rpc_call(H_PIPE, &r);
    if (id < 0)
        return (int)rpc_result(id);
    struct fd_desc rd = { FD_PIPE_R, O_RDONLY, (uint64_t)id, 0 };
    struct fd_desc wr = { FD_PIPE_W, O_WRONLY, (uint64_t)id, 0 };
    p[0] = fd_install(&rd);
    p[1] = p[0] < 0 ? -EMFILE : fd_install(&wr);
    if (p[1] < 0) {
        if (p[0] >= 0)
            close(p[0]);
        return (int)rpc_result(-EMFILE);
    }
    return 0;
}

int isatty(int fd)
{
    struct ofile *f = fd_get(fd);
    if (f && f->type == FD_CONSOLE)
        return 1;
    errno = f ? ENOTTY : EBADF;
    return 0;
}

// Fills a struct stat from the fs server's record.
void stat_from_fs(struct stat *st, const struct fs_stat *fs)
{
    memset(st, 0, sizeof(*st));
    st->st_ino = (ino_t)fs->ino;
    st->st_mode = (fs->type == FS_TYPE_DIR ? S_IFDIR : fs->type == FS_TYPE_LINK ? S_IFLNK : S_IFREG)
                  | (fs->mode & 07777);
    st->st_nlink = (nlink_t)fs->nlink;
    st->st_uid = (uid_t)fs->uid;
    st->st_gid = (gid_t)fs->gid;
    st->st_size = (off_t)fs->size;
    st->st_blocks = (long)fs->blocks;
    st->st_blksize = 4096;
    st->st_atime = fs->atime;
    st->st_mtime = fs->mtime;
    st->st_ctime = fs->ctime;
}

int fstat(int fd, struct stat *st)
{
    struct ofile *f = fd_get(fd);
    if (!f)
        return (int)rpc_result(-EBADF);
    if (f->type != FD_FILE && f->type != FD_DIR) {
        memset(st, 0, sizeof(*st));
        st->st_mode = f->type == FD_CONSOLE ? S_IFCHR | 0620
                    : f->type == FD_SOCKET ? S_IFSOCK | 0600 : S_IFIFO | 0600;
        return 0;
    }
    struct fs_stat fs;
    struct rpc r = { .op = FS_STAT, .w0 = f->id, .rbuf = &fs, .rmax = sizeof(fs) };
    long e = rpc_call(H_FS, &r);
    if (e < 0)
        return (int)rpc_result(e);
    stat_from_fs(st, &fs);
    return 0;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    struct ofile *f = fd_get(fd);
    if (!f || f->type != FD_FILE)
        return rpc_result(f ? -ESPIPE : -EBADF);
    uint64_t saved = f->off;
    f->off = (uint64_t)off;
    long r = read_some(f, buf, n);
    f->off = saved;
    return rpc_result(r);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    struct ofile *f = fd_get(fd);
    if (!f || f->type != FD_FILE || (f->flags & O_APPEND))
        return rpc_result(f ? -ESPIPE : -EBADF);
    uint64_t saved = f->off;
    f->off = (uint64_t)off;
    long r = write_some(f, buf, n);
    f->off = saved;
    return rpc_result(r);
}

// Sets a file's size (and its modification time, even to the same size).
int ftruncate(int fd, off_t len)
{
    struct ofile *f = fd_get(fd);
    if (!f || f->type != FD_FILE || (f->flags & O_ACCMODE) == O_RDONLY)
        return (int)rpc_result(f && f->type != FD_FILE ? -EINVAL : -EBADF);
    if (len < 0)
        return (int)rpc_result(-EINVAL);
    struct rpc r = { .op = FS_TRUNCATE, .w0 = f->id, .w1 = (uint64_t)len };
    return (int)rpc_result(rpc_call(H_FS, &r));
}
