// Console protocol (drivers/console). Requests carry the caller's pid as
// the badge. Replies: r0 = result (>= 0) or a negative errno.
#ifndef CONSOLE_PROTO_H
#define CONSOLE_PROTO_H
#include <stdint.h>

enum console_op {
    CON_WRITE = 1,     // payload: bytes -> r0 = bytes accepted (all of them)
    CON_READ,          // w0 = max bytes -> payload: one input line (with '\n'),
                       //    r0 = length; 0 at end of input (^D on an empty line).
                       //    Blocks until a line is complete.
    CON_SET_FG,        // w0 = process group that ^C ends (0: none)
    CON_OPS
};

#define CON_MAX_WRITE 4096

#endif
