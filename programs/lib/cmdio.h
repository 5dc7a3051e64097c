// Output of the commands that are both a program in /bin and a builtin of
// the shell (printf, test and [, echo: programs/lib/cmds.h). They write
// to the file descriptors they are given rather than to stdio's streams,
// so that the shell can run them in its own process with its
// redirections, and they report errors instead of exiting.
#ifndef CMDIO_H
#define CMDIO_H
#include <stddef.h>

struct cmd_out {
    int fd;                 // where the output goes
    int err_fd;             // where messages go
    const char *name;       // the command's name in messages
    int failed;             // errno of a failed write to fd, or 0
    size_t len;             // bytes waiting in buf
    char buf[1024];
};

// Starts output to out_fd, messages to err_fd as "NAME: ..." where NAME is
// argv0 without its folders.
void cmd_out_init(struct cmd_out *o, const char *argv0, int out_fd, int err_fd);

// Appends n bytes (written out when the buffer fills).
void cmd_put(struct cmd_out *o, const char *s, size_t n);

// Appends one byte.
void cmd_putc(struct cmd_out *o, int c);

// Appends text formatted as by printf (any length; NUL bytes from %c kept).
void cmd_printf(struct cmd_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Writes what is buffered. Returns 0, or -1 if any write has failed
// (o->failed holds its errno).
int cmd_flush(struct cmd_out *o);

// Flushes the output, then writes "NAME: message\n" to err_fd in one write.
void cmd_warn(struct cmd_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// As cmd_warn, without the "NAME: " (a usage line).
void cmd_note(struct cmd_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// printf straight to a file descriptor, all of the text (any length),
// bypassing stdio: the shell's own output and messages, so that builtins
// write to pipes and files without touching stdout. Nothing is written
// when formatting fails or memory runs out.
void fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
