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
    PIPE_OPS
};

#define PIPE_BUF_SIZE 8192

#endif
