// The console's line discipline: a pure state machine (no I/O) that turns
// input bytes into edited, completed lines plus the bytes to echo.
//
// Editing: printable bytes (and tab, and bytes >= 0x80) are appended and
// echoed; backspace/DEL erase the last character ("\b \b"); ^U erases the
// whole line; '\r' or '\n' completes it (stored with '\n', echoed "\r\n";
// "\r\n" counts as one line end); ^C discards the line, echoes "^C\r\n" and
// reports LINE_EV_INTR; ^D on an empty line queues an end-of-input mark,
// on a non-empty line it completes the line without a '\n' (as POSIX does).
// ANSI escape sequences (arrow keys from a terminal) are swallowed; other
// control bytes are ignored. A line reaching LINE_MAX - 1 bytes is queued
// as it stands (no '\n') and editing goes on in a fresh one: nothing is lost.
//
// Completed lines wait in a queue of records until read; a read returns at
// most one record, and what it does not take stays for the next read.
//
// Modes (termios, console_proto.h): without CON_ECHO nothing is echoed;
// without CON_ISIG ^C is an ordinary byte. Without CON_ICANON there is no
// editing: each byte (after CON_ICRNL/INLCR/IGNCR) is queued at once,
// consecutive bytes growing one open record, and line_ready says when a
// read wanting VMIN bytes can be answered.
#ifndef CONSOLE_LINE_H
#define CONSOLE_LINE_H
#include <stdint.h>

#define LINE_MAX      1024       // longest record, '\n' included
#define LINE_QUEUE    8192       // bytes of completed lines held
#define LINE_RECORDS  256        // completed lines (and end marks) held
#define LINE_ECHO_MAX (3 * LINE_MAX + 8)

#define LINE_EV_LINE  1          // a record (line or end of input) was queued
#define LINE_EV_INTR  2          // ^C: interrupt the foreground

#define LINE_NONE     (-1)       // line_read/line_peek: nothing queued

struct line_echo {
    unsigned len;
    char buf[LINE_ECHO_MAX];
};

struct line {
    char cur[LINE_MAX];          // the line being edited
    unsigned cur_len;
    char q[LINE_QUEUE];          // completed bytes, a ring
    unsigned q_head, q_len;
    uint16_t rec[LINE_RECORDS];  // byte count of each queued record (0: end of input)
    unsigned rec_head, rec_count;
    uint8_t last_cr;             // the previous byte was '\r'
    uint8_t esc;                 // escape-sequence state
    uint8_t raw_open;            // the last record takes more raw bytes
    uint32_t iflag, lflag;       // CON_* mode bits
};

// Resets l to empty, in the default mode (ICANON, ECHO, ISIG, ICRNL).
void line_init(struct line *l);
// Changes the mode. Leaving canonical mode queues the partly edited line
// as it stands; flush drops all pending input.
void line_set_mode(struct line *l, uint32_t iflag, uint32_t lflag, int flush);
// Whether a read wanting at least vmin bytes (non-canonical) or a line
// (canonical) can be answered now.
int line_ready(const struct line *l, unsigned vmin);
// Feeds one input byte. Fills e with the bytes to echo (e->len may be 0)
// and returns LINE_EV_* bits. The caller must have checked line_accepting.
int line_input(struct line *l, unsigned char c, struct line_echo *e);
// True when any one byte can be taken without losing data; when false,
// the caller leaves input in the device until a read makes room.
int line_accepting(const struct line *l);
// Copies up to max bytes of the first queued record into buf without
// consuming them. Returns the count, 0 for an end-of-input mark (or max 0),
// or LINE_NONE when nothing is queued.
long line_peek(const struct line *l, char *buf, unsigned max);
// Drops the first n bytes of the first record (n as line_peek returned);
// the record goes when it is used up, an end mark when n is 0.
void line_consume(struct line *l, unsigned n);
// line_peek then line_consume.
long line_read(struct line *l, char *buf, unsigned max);

#endif
