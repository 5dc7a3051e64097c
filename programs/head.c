// head: prints the first lines (or bytes) of files.
// usage: head [-n [-]N] [-c [-]N] [-q] [-v] [-N] [file...]
// -n N: the first N lines (default 10); -n -N: all but the last N lines.
// -c N: the first N bytes; -c -N: all but the last N bytes. N may carry a
// suffix (b, K, M, G, kB, MB). With several files each is preceded by
// "==> name <==" (and a blank line between them) unless -q; -v always.
#include <stdio.h>
#include <stdlib.h>
#include "headtail.h"
#include "prog.h"
#include "readall.h"

#define USAGE "[-n [-]N] [-c [-]N] [-q] [-v] [file...]"

static struct headtail opt;

// Copies the first `count` lines or bytes of f to standard output.
static int head_first(FILE *f)
{
    unsigned long long left = opt.count;
    int c;
    while (left > 0 && (c = getc(f)) != EOF) {
        putchar(c);
        if (opt.by_bytes || c == '\n')
            left--;
    }
    return ferror(f) ? -1 : 0;
}

// Copies all but the last `count` lines or bytes of f.
static int head_all_but_last(FILE *f)
{
    char *buf;
    size_t len, end;
    if (read_all(f, &buf, &len) < 0)
        return -1;
    if (opt.by_bytes)
        end = opt.count < len ? len - opt.count : 0;
    else
        end = last_lines_start(buf, len, opt.count);
    fwrite(buf, 1, end, stdout);
    free(buf);
    return 0;
}

// The lines or bytes of one file that the options ask for.
static int head_file(FILE *f, int is_last)
{
    (void)is_last;
    return opt.sign == '-' ? head_all_but_last(f) : head_first(f);
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int first = headtail_parse(argc, argv, USAGE, "-", 0, &opt);
    return headtail_run(&opt, argc, argv, first, head_file);
}
