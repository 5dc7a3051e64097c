// A small printf-style formatter shared by the kernel and the boot-time
// user library: %d %i %u %x %lx %lu %ld %p %s %c %%, width and '0' flag.
#ifndef FMT_H
#define FMT_H
#include <stdarg.h>
#include <stddef.h>

// Formats into buf (always NUL-terminated when size > 0); returns the
// length the full output would have.
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
