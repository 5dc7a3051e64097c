// Pipe protocol (servers/pipe). The badge is the caller's pid; each pid
// holds references to pipe ends, dropped by close or when it dies.
// Replies: r0 = result (>= 0) or a negative errno (newlib values).
#ifndef PIPE_PROTO_H
#define PIPE_PROTO_H
#include <stdint.h>

enum pipe_op {
    PIPE_CREATE = 1,   // -> r0 = pipe id; the caller holds both ends
    PIPE_READ,         // w0 = id, w1 = max -> payload: bytes, r0 = count (0: end of
                       //    file, all writers gone). Blocks while empty.
    PIPE_WRITE,        // w0 = id, payload: bytes -> r0 = count; -EPIPE when no reader.
                       //    Blocks while full.
    PIPE_CLOSE,        // w0 = id, w1 = end (0 read, 1 write)
    PIPE_ADDREF,       // w0 = id, w1 = end, w2 = pid: give pid a reference (proc, at spawn)
    PIPE_PROC_GONE,    // w0 = pid: drop every reference it held (proc, at death)
    PIPE_POLL,         // w0 = id, w1 = PIPE_POLL_IN (read end) or _OUT (write end)
                       //    -> r0 = PIPE_POLL_* ready now. With TAG_HANDLE, w2 is a
                       //    notification handle: if nothing is ready, the server
                       //    signals it (bit 1) once something is, then closes it.
                       //    A newer handle from the same pid for the same pipe
                       //    replaces an older one.
    PIPE_OPS
};

#define PIPE_POLL_IN   1         // bytes to read
#define PIPE_POLL_OUT  4         // room to write
#define PIPE_POLL_ERR  8         // write end: no reader left
#define PIPE_POLL_HUP  16        // read end: no writer left

#define PIPE_BUF_SIZE 8192

#endif
