// Reading text of any line length, and parsing numbers in arguments:
// what grep, sed, sort, uniq, diff and xargs share (see prog.h for the rest).
#ifndef LINES_H
#define LINES_H
#include <stdio.h>
#include <sys/types.h>

struct line {
    char *s;            // the bytes, NUL-terminated, without the '\n'
    size_t len;
};

struct lines {
    struct line *v;
    size_t n, cap;
    int last_nl;        // the last line read ended with '\n' (or none read)
};

// linebuf_read without the '\n': reads one line of any length into *buf
// (grown as needed). Returns its length, or -1 at end of input, on a read
// error (ferror tells) or when memory runs out. *had_nl is set to whether
// a '\n' ended it.
ssize_t line_read(FILE *f, char **buf, size_t *cap, int *had_nl);

// Appends every line of f to ls. Returns 0, or -1 on a read error or when
// memory runs out (errno set).
int lines_read_all(FILE *f, struct lines *ls);

// Frees what lines_read_all stored and empties ls.
void lines_free(struct lines *ls);

// Writes s (len bytes) and a '\n' to standard output.
void line_put(const char *s, size_t len);

// Parses a whole decimal number >= 0 (no sign, no trailing text).
// Returns 0 and sets *out, or -1 if s is not such a number or too large.
int num_parse_ulong(const char *s, unsigned long *out);

// Parses a whole decimal number with an optional sign. Returns 0 or -1.
int num_parse_long(const char *s, long *out);

// num_parse_ulong for an argument: on bad input reports
// "NAME: invalid WHAT: 's'" and exits with status (the program's
// status for bad usage).
unsigned long num_arg_ulong(const char *s, const char *what, int status);

#endif
