// head: prints the first lines (or bytes) of files.
// usage: head [-n [-]N] [-c [-]N] [-q] [-v] [-N] [file...]
// -n N: the first N lines (default 10); -n -N: all but the last N lines.
// -c N: the first N bytes; -c -N: all but the last N bytes. N may carry a
// suffix (b, K, M, G, kB, MB). With several files each is preceded by
// "==> name <==" (and a blank line between them) unless -q; -v always.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "numarg.h"
#include "prog.h"
#include "readall.h"

#define USAGE "[-n [-]N] [-c [-]N] [-q] [-v] [file...]"

static unsigned long long count = 10;
static int by_bytes, all_but_last, headers = -1;

// Takes "N" or "-N" for -n or -c.
static void set_count(const char *arg, int bytes)
{
    by_bytes = bytes;
    all_but_last = arg[0] == '-';
    if (numarg_count(arg + all_but_last, &count) < 0) {
        prog_warn("invalid number of %s: '%s'", bytes ? "bytes" : "lines", arg);
        exit(1);
    }
}

// Parses the options; returns the index of the first file operand.
static int parse_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return i + 1;
        if (a[1] >= '0' && a[1] <= '9') {               // the old form -N
            set_count(a + 1, 0);
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'q' || *p == 'v') {
                headers = *p == 'v';
            } else if (*p == 'n' || *p == 'c') {
                const char *v = p[1] ? p + 1 : argv[++i];
                if (!v)
                    prog_usage(USAGE, 1);
                set_count(v, *p == 'c');
                break;
            } else {
                prog_warn("invalid option -- '%c'", *p);
                prog_usage(USAGE, 1);
            }
        }
    }
    return i;
}

// Copies the first `count` lines or bytes of f to standard output.
static int head_first(FILE *f)
{
    unsigned long long left = count;
    int c;
    while (left > 0 && (c = getc(f)) != EOF) {
        putchar(c);
        if (by_bytes || c == '\n')
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
    if (by_bytes)
        end = count < len ? len - count : 0;
    else
        end = last_lines_start(buf, len, count);
    fwrite(buf, 1, end, stdout);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    static char *dash[] = { "-", NULL };
    prog_init(argv[0]);
    int first = parse_options(argc, argv);
    char **files = first < argc ? argv + first : dash;
    int nfiles = first < argc ? argc - first : 1, status = 0, shown = 0;
    if (headers < 0)
        headers = nfiles > 1;

    for (int i = 0; i < nfiles; i++) {
        FILE *f = prog_open(files[i]);
        if (!f) {
            status = 1;
            continue;
        }
        if (headers)
            printf("%s==> %s <==\n", shown++ ? "\n" : "",
                   strcmp(files[i], "-") == 0 ? "standard input" : files[i]);
        if ((all_but_last ? head_all_but_last(f) : head_first(f)) < 0) {
            prog_warn_errno("error reading '%s'", files[i]);
            status = 1;
        }
        prog_close(f);
    }
    if (fflush(stdout) != 0) {
        prog_warn_errno("write error");
        status = 1;
    }
    return status;
}
