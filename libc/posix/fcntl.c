// fcntl, fsync and fdatasync.
// fcntl: F_DUPFD and F_DUPFD_CLOEXEC (lowest free descriptor >= arg),
// F_GETFD/F_SETFD (FD_CLOEXEC, kept per descriptor; there is no exec, and
// posix_spawn passes only descriptors 0-2, so it has nothing to close),
// F_GETFL (access mode and status flags) and F_SETFL (O_APPEND can be
// changed, and O_NONBLOCK on sockets; the other status flags are ignored,
// as POSIX allows: reads and writes of files, pipes and the console
// always block). Anything else gives EINVAL.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include "libc.h"

// Duplicates fd onto the lowest free descriptor at or above from.
static int dup_from(int fd, int from)
{
    if (from < 0 || from >= OPEN_MAX)
        return (int)rpc_result(-EINVAL);
    for (int n = from; n < OPEN_MAX; n++)
        if (!fd_get(n))
            return dup2(fd, n);
    return (int)rpc_result(-EMFILE);
}

int fcntl(int fd, int cmd, ...)
{
    struct ofile *f = fd_get(fd);
    va_list ap;
    va_start(ap, cmd);
    int arg = cmd == F_GETFD || cmd == F_GETFL ? 0 : va_arg(ap, int);
    va_end(ap);
    if (!f)
        return (int)rpc_result(-EBADF);
    switch (cmd) {
    case F_DUPFD:
        return dup_from(fd, arg);
    case F_DUPFD_CLOEXEC: {
        int n = dup_from(fd, arg);
        if (n >= 0)
            *fd_flags_of(n) = FD_CLOEXEC;
        return n;
    }
    case F_GETFD:
        return *fd_flags_of(fd);
    case F_SETFD:
        *fd_flags_of(fd) = arg & FD_CLOEXEC;
        return 0;
    case F_GETFL:
        return f->flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
    case F_SETFL:
        f->flags = (f->flags & ~O_APPEND) | (arg & O_APPEND);
        if (f->type == FD_SOCKET)
            f->flags = (f->flags & ~O_NONBLOCK) | (arg & O_NONBLOCK);
        return 0;
    default:
        return (int)rpc_result(-EINVAL);
    }
}

// Every write is on the disk when it returns (the fs server writes
// through), so there is nothing left to flush: only the descriptor is checked.
int fsync(int fd) { return fd_get(fd) ? 0 : (int)rpc_result(-EBADF); }
int fdatasync(int fd) { return fsync(fd); }
