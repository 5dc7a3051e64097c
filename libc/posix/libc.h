// Internals of this system's POSIX layer under newlib: the descriptor
// table, calls to the servers, and the start block.
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H
#include <stdint.h>
#include <sys/types.h>
#include "os.h"
#include "services.h"

#define OPEN_MAX 64

// An open file description, shared by descriptors made with dup.
struct ofile {
    int type;                    // enum fd_type
    int flags;                   // open flags (O_APPEND ...)
    int refs;                    // descriptors pointing here
    uint64_t id;                 // inode or pipe id
    uint64_t off;                // file offset, or directory position
};

// One request to a server: op and words out; reply words and payload in.
struct rpc {
    unsigned op;
    uint64_t w0, w1, w2;
    const void *data;
    uint64_t len;
    void *rbuf;
    uint64_t rmax;
    uint64_t r1, r2, rlen;       // filled in by rpc_call
    long xfer;                   // > 0: a handle passed along (TAG_HANDLE, in w2's place)
    unsigned timeout_ms;         // a call the server answers at once: give up after this
                                 // (-ETIMEDOUT), as a server that does not is faulty; 0: none
};

// Calls a server; returns its r0 (>= 0) or a negative errno.
long rpc_call(long handle, struct rpc *r);
// Sets errno from a negative result and returns -1; passes others through.
long rpc_result(long r);

extern struct startinfo os_start;
struct ofile *fd_get(int fd);
int fd_install(const struct fd_desc *d);
int fd_install_at(int fd, const struct fd_desc *d);
int *fd_flags_of(int fd);                        // its FD_CLOEXEC word, NULL if closed
void ofile_release(struct ofile *f);
int path_resolve(const char *path, char *out);   // absolute, normalised; -errno
extern mode_t libc_umask;                        // umask(): bits cleared from new files' modes
int tty_open(const char *path, int flags);       // /dev/tty: the console; else -ENOENT

// Sockets (socket.c): read, write and close on an FD_SOCKET descriptor.
long sock_read(struct ofile *f, void *buf, size_t n);
long sock_write(struct ofile *f, const void *buf, size_t n);
void sock_release(struct ofile *f);
// NET_POLL on a socket (events and the result in NET_POLL_* bits); with
// copy >= 0 that notification handle is passed along. Negative: errno.
long sock_poll(struct ofile *f, uint64_t events, long copy);

// #! scripts (shebang.c): the interpreter's argv for a script, or 0.
int shebang_argv(const char *path, char *const argv[], char ***new_argv);
void shebang_free(char **new_argv);

#endif
