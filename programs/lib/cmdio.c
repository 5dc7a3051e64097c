// Output to file descriptors for printf, test, echo and the shell (see cmdio.h).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmdio.h"

void cmd_out_init(struct cmd_out *o, const char *argv0, int out_fd, int err_fd)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    o->name = slash ? slash + 1 : argv0 ? argv0 : "?";
    o->fd = out_fd;
    o->err_fd = err_fd;
    o->failed = 0;
    o->len = 0;
}

// Writes all n bytes of s to fd. Returns 0, or -1 on an error.
static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0 || errno == 0)
                errno = EIO;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int cmd_flush(struct cmd_out *o)
{
    if (o->len > 0 && !o->failed && write_all(o->fd, o->buf, o->len) < 0)
        o->failed = errno;
    o->len = 0;
    return o->failed ? -1 : 0;
}

void cmd_put(struct cmd_out *o, const char *s, size_t n)
{
    if (o->len + n > sizeof o->buf)
        cmd_flush(o);
    if (n >= sizeof o->buf) {
        if (!o->failed && write_all(o->fd, s, n) < 0)
            o->failed = errno;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void cmd_putc(struct cmd_out *o, int c)
{
    char ch = (char)c;
    cmd_put(o, &ch, 1);
}

// Formats fmt with ap into small (size bytes) or, when the text does not
// fit, into a malloc'd buffer. Returns the text and its length in *len,
// or NULL (*len < 0 when formatting failed, else memory ran out).
static char *vformat(char *small, size_t size, int *len, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char *s = small;
    int n = vsnprintf(small, size, fmt, ap);
    if (n >= 0 && (size_t)n >= size && (s = malloc((size_t)n + 1)))
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    *len = n;
    return n < 0 ? NULL : s;
}

void cmd_printf(struct cmd_out *o, const char *fmt, ...)
{
    char small[256];
    int n;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(small, sizeof small, &n, fmt, ap);
    va_end(ap);
    if (!s) {
        if (n >= 0)
            o->failed = ENOMEM;
        return;
    }
    cmd_put(o, s, (size_t)n);
    if (s != small)
        free(s);
}

void fdprintf(int fd, const char *fmt, ...)
{
    char small[512];
    int n;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(small, sizeof small, &n, fmt, ap);
    va_end(ap);
    if (!s)
        return;
    write_all(fd, s, (size_t)n);
    if (s != small)
        free(s);
}

// Flushes the output, then writes prefix, the formatted message and a
// newline to err_fd in one write.
static void message(struct cmd_out *o, const char *prefix, const char *fmt, va_list ap)
{
    char msg[512];
    cmd_flush(o);
    int n = snprintf(msg, sizeof msg, "%s", prefix);
    if (n < 0 || (size_t)n > sizeof msg - 2)
        n = (int)sizeof msg - 2;
    vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
    strcat(msg, "\n");
    write_all(o->err_fd, msg, strlen(msg));
}

void cmd_warn(struct cmd_out *o, const char *fmt, ...)
{
    char prefix[128];
    va_list ap;
    snprintf(prefix, sizeof prefix, "%s: ", o->name);
    va_start(ap, fmt);
    message(o, prefix, fmt, ap);
    va_end(ap);
}

void cmd_note(struct cmd_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(o, "", fmt, ap);
    va_end(ap);
}
