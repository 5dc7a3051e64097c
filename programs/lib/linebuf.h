// Reading lines of any length (newlib here has no getline).
#ifndef LINEBUF_H
#define LINEBUF_H
#include <stdio.h>
#include <sys/types.h>

// Reads one line of f, with its newline if it has one, into *buf (grown
// with realloc as needed; *cap is its size; start with NULL and 0; the
// caller frees it). The line is NUL-terminated but may hold NUL bytes:
// use the returned length. Returns -1 at the end of input, on a read
// error (ferror(f) then tells) or when memory runs out (errno ENOMEM).
ssize_t linebuf_read(FILE *f, char **buf, size_t *cap);

#endif
