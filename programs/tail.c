// tail: prints the last lines (or bytes) of files.
// usage: tail [-n [+]N] [-c [+]N] [-q] [-v] [-f] [-N] [file...]
// -n N: the last N lines (default 10); -n +N: from line N on. -c N: the
// last N bytes; -c +N: from byte N on. N may carry a suffix (b, K, M, G,
// kB, MB). Several files get "==> name <==" headers as in head. -f: after
// printing, keeps printing what is appended to the (last) file, checking
// once a second, until interrupted.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "numarg.h"
#include "prog.h"
#include "readall.h"

#define USAGE "[-n [+]N] [-c [+]N] [-q] [-v] [-f] [file...]"

static unsigned long long count = 10;
static int by_bytes, from_start, headers = -1, follow;

// Takes "N", "-N" or "+N" for -n or -c.
static void set_count(const char *arg, int bytes)
{
    by_bytes = bytes;
    from_start = arg[0] == '+';
    if (numarg_count(arg + (arg[0] == '+' || arg[0] == '-'), &count) < 0) {
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
            } else if (*p == 'f') {
                follow = 1;
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

// Offset in buf where the output begins for -n/-c [+]count.
static size_t start_offset(const char *buf, size_t len)
{
    if (!from_start && by_bytes)
        return count < len ? len - count : 0;
    if (!from_start)
        return last_lines_start(buf, len, count);
    if (count <= 1)
        return 0;
    if (by_bytes)
        return count - 1 < len ? count - 1 : len;
    unsigned long long line = 1;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n' && ++line == count)
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

int main(int argc, char **argv)
{
    static char *dash[] = { "-", NULL };
    prog_init(argv[0]);
    int first = parse_options(argc, argv);
    char **files = first < argc ? argv + first : dash;
    int nfiles = first < argc ? argc - first : 1, status = 0, shown = 0;
    FILE *last = NULL;
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
        if (tail_file(f) < 0) {
            prog_warn_errno("error reading '%s'", files[i]);
            status = 1;
        }
        if (follow && i == nfiles - 1 && f != stdin) {
            last = f;
            break;
        }
        prog_close(f);
    }
    fflush(stdout);
    if (last)
        follow_file(last);
    return status;
}
