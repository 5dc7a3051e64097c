// tail: prints the last lines (or bytes) of files.
// usage: tail [-n [+]N] [-c [+]N] [-q] [-v] [-f] [-N] [file...]
// -n N: the last N lines (default 10); -n +N: from line N on. -c N: the
// last N bytes; -c +N: from byte N on. N may carry a suffix (b, K, M, G,
// kB, MB). Several files get "==> name <==" headers as in head. -f: after
// printing, keeps printing what is appended to the (last) file, checking
// once a second, until interrupted.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "headtail.h"
#include "prog.h"
#include "readall.h"

#define USAGE "[-n [+]N] [-c [+]N] [-q] [-v] [-f] [file...]"

static struct headtail opt;

// Offset in buf where the output begins for -n/-c [+]N.
static size_t start_offset(const char *buf, size_t len)
{
    int from_start = opt.sign == '+';
    if (!from_start && opt.by_bytes)
        return opt.count < len ? len - opt.count : 0;
    if (!from_start)
        return last_lines_start(buf, len, opt.count);
    if (opt.count <= 1)
        return 0;
    if (opt.by_bytes)
        return opt.count - 1 < len ? opt.count - 1 : len;
    unsigned long long line = 1;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n' && ++line == opt.count)
            return i + 1;
    return len;
}

// Prints the wanted tail of f.
static int tail_file(FILE *f)
{
    char *buf;
    size_t len;
    if (read_all(f, &buf, &len) < 0)
        return -1;
    size_t start = start_offset(buf, len);
    fwrite(buf + start, 1, len - start, stdout);
    free(buf);
    return 0;
}

// -f: prints what is appended to f, forever (until killed).
static void follow_file(FILE *f)
{
    char buf[4096];
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, f);
        if (n > 0) {
            fwrite(buf, 1, n, stdout);
            fflush(stdout);
            continue;
        }
        clearerr(f);
        sleep(1);
    }
}

// The wanted tail of one file; with -f, then follows the last file
// (unless it is standard input) and never returns.
static int tail_one(FILE *f, int is_last)
{
    if (tail_file(f) < 0)
        return -1;
    if (opt.follow && is_last && f != stdin) {
        fflush(stdout);
        follow_file(f);
    }
    return 0;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int first = headtail_parse(argc, argv, USAGE, "+-", 1, &opt);
    return headtail_run(&opt, argc, argv, first, tail_one);
}
