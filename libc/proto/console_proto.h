// Console protocol (drivers/console). Requests carry the caller's pid as
// the badge. Replies: r0 = result (>= 0) or a negative errno.
#ifndef CONSOLE_PROTO_H
#define CONSOLE_PROTO_H
#include <stdint.h>

enum console_op {
    CON_WRITE = 1,     // payload: bytes -> r0 = bytes accepted (all of them)
    CON_READ,          // w0 = max bytes -> payload: input, r0 = length.
                       //    Canonical mode: one line (with '\n'), 0 at end of
                       //    input (^D on an empty line); blocks until a line
                       //    is complete. Non-canonical: as VMIN/VTIME say.
    CON_SET_FG,        // w0 = process group that ^C ends (0: none). Taking the
                       //    foreground from a group (to 0 or another group) also
                       //    puts the terminal back in its default (cooked) mode.
    CON_GET_MODE,      // -> payload: struct con_mode
    CON_SET_MODE,      // payload: struct con_mode, w0 = 1: drop pending input
    CON_WINSIZE,       // -> r0 = rows, r1 = columns (of the screen in use)
    CON_SET_WINSIZE,   // w0 = rows, w1 = columns: of the serial terminal
    CON_POLL,          // w0 = CON_POLL_* wanted -> r0 = those ready now. With
                       //    TAG_HANDLE, w2 is a notification handle: if none
                       //    is ready, the console signals it with bit w1 once
                       //    input arrives (once; then it closes the handle).
    CON_OPS
};

#define CON_MAX_WRITE 4096

#define CON_POLL_IN   1
#define CON_POLL_OUT  4

// The terminal mode, as termios: the flag values are those of
// <termios.h> (Linux's numbering), the cc indices too.
#define CON_NCCS      20
struct con_mode {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t cc[CON_NCCS];
};
_Static_assert(sizeof(struct con_mode) == 36, "con_mode is part of the protocol");

// The flags the console acts on.
#define CON_ICRNL     0000400u   // iflag: input '\r' becomes '\n'
#define CON_INLCR     0000100u   // iflag: input '\n' becomes '\r'
#define CON_IGNCR     0000200u   // iflag: input '\r' is dropped
#define CON_OPOST     0000001u   // oflag: output processing ...
#define CON_ONLCR     0000004u   // oflag: ... '\n' goes out as "\r\n"
#define CON_ISIG      0000001u   // lflag: ^C interrupts the foreground
#define CON_ICANON    0000002u   // lflag: line editing, reads return lines
#define CON_ECHO      0000010u   // lflag: echo input
#define CON_ECHOE     0000020u   // lflag: kept only (erasing always echoes "\b \b")
#define CON_ECHOK     0000040u   // lflag: kept only
#define CON_CS8       0000060u   // cflag: kept only (8 bits)
#define CON_CREAD     0000200u   // cflag: kept only
#define CON_VINTR     0
#define CON_VTIME     5
#define CON_VMIN      6

#endif
