// Reading a whole input into memory, for programs that must see its end
// before they print (tail, head -n -N).
#ifndef READALL_H
#define READALL_H
#include <stddef.h>
#include <stdio.h>

// Reads f to its end into a malloc'd buffer (*buf, *len; the caller frees
// it). Returns 0, or -1 with errno set on a read error or when memory
// runs out (then *buf is NULL).
int read_all(FILE *f, char **buf, size_t *len);

// Offset in buf[0..len) where the last n lines begin; a final line without
// a newline counts as a line.
size_t last_lines_start(const char *buf, size_t len, unsigned long long n);

#endif
