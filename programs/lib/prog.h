// What the programs in /bin share: their name in messages, error
// reporting, and opening an input that may be "-" (standard input).
// Linked into every newlib program (build/libprog.a); the host builds of
// the programs compile programs/lib/*.c beside them.
#ifndef PROG_H
#define PROG_H
#include <stdio.h>

extern const char *prog_name;      // argv[0] without its folders

// Sets prog_name from argv[0]; call first in main.
void prog_init(const char *argv0);

// "NAME: message\n" on standard error (printf-style).
void prog_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// "NAME: message: strerror(errno)\n" on standard error.
void prog_warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// prog_warn, then "usage: NAME USAGE" and exit status 2 when status is 2
// (bad usage) or the status given.
void prog_usage(const char *usage, int status) __attribute__((noreturn));

// Opens path for reading ("-" is standard input). On failure reports
// "NAME: path: reason" and returns NULL.
FILE *prog_open(const char *path);

// Closes what prog_open returned (leaves standard input open).
void prog_close(FILE *f);

#endif
