// What head and tail share: their options (-n N, -c N, -q, -v, the old
// form -N, and -f for tail), the "==> name <==" headers between files,
// and the loop over the file operands.
#ifndef HEADTAIL_H
#define HEADTAIL_H
#include <stdio.h>

struct headtail {
    unsigned long long count;  // N of -n or -c (10 when not given)
    int by_bytes;              // -c rather than -n
    char sign;                 // the sign written before N ('-' or '+'), or 0
    int headers;               // -1 not given, 0 by -q, 1 by -v
    int follow;                // -f
};

// Parses the options into *o. `signs` lists the signs N may carry ("-"
// for head, "+-" for tail); `allow_follow` accepts -f. A bad option or a
// missing N prints the usage and exits 1; a bad N prints "invalid number
// of lines/bytes" and exits 1. Returns the index of the first file operand.
int headtail_parse(int argc, char **argv, const char *usage, const char *signs,
                   int allow_follow, struct headtail *o);

// Runs fn on each file operand from argv[first] on (standard input when
// there are none), each preceded by a header when o->headers asks for it
// (or, when not given, when there are several files). fn returns -1 on a
// read error, which is reported; is_last tells fn the file is the last one.
// Returns the exit status: 1 when a file could not be opened or read or
// standard output could not be written, else 0.
int headtail_run(const struct headtail *o, int argc, char **argv, int first,
                 int (*fn)(FILE *f, int is_last));

#endif
