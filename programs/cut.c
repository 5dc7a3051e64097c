// cut: prints selected parts of each line.
// usage: cut -b LIST [-n] [file...]
//        cut -c LIST [file...]
//        cut -f LIST [-d C] [-s] [file...]
// LIST is comma-separated numbers and ranges N, N-M, N-, -M (from 1).
// -b and -c select bytes (this system has single-byte characters); -f
// selects fields separated by C (default tab) and joins them with C;
// lines without C are printed whole unless -s. --complement selects the
// rest; --output-delimiter=S joins fields with S. Every output line ends
// with a newline.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linebuf.h"
#include "prog.h"

#define USAGE "-b LIST | -c LIST | -f LIST [-d C] [-s] [--complement] [file...]"

struct range {
    unsigned long lo, hi;           // hi == 0: to the end of the line
};

static struct range *ranges;
static size_t nranges;
static int by_fields, only_delimited, complement;
static char delim = '\t';
static const char *out_delim;

// Reports msg (a format taking arg) and exits with status 1.
static void fail(const char *msg, const char *arg)
{
    prog_warn(msg, arg);
    exit(1);
}

// One number of a list; *s advances past it. Returns 0 when none.
static unsigned long list_number(const char **s)
{
    char *end;
    if (**s < '0' || **s > '9')
        return 0;
    unsigned long n = strtoul(*s, &end, 10);
    if (n == 0)
        fail("%s are numbered from 1", by_fields ? "fields" : "byte/character positions");
    *s = end;
    return n;
}

// Parses LIST into ranges.
static void parse_list(const char *list)
{
    const char *s = list;
    if (*s == '\0')
        fail("invalid list: '%s'", list);
    for (;;) {
        struct range r;
        r.lo = list_number(&s);
        r.hi = r.lo;
        if (*s == '-') {
            s++;
            r.hi = list_number(&s);
            if (r.lo == 0 && r.hi == 0)
                fail("invalid range with no endpoint: '%s'", list);
            if (r.lo == 0)
                r.lo = 1;
            if (r.hi && r.hi < r.lo)
                fail("invalid decreasing range: '%s'", list);
        } else if (r.lo == 0) {
            fail("invalid list: '%s'", list);
        }
        ranges = realloc(ranges, (nranges + 1) * sizeof *ranges);
        if (!ranges)
            fail("out of memory%s", "");
        ranges[nranges++] = r;
        if (*s == '\0')
            return;
        if (*s != ',' && *s != ' ')
            fail("invalid list: '%s'", list);
        s++;
    }
}

// Whether position n (from 1) is selected.
static int selected(unsigned long n)
{
    for (size_t i = 0; i < nranges; i++)
        if (n >= ranges[i].lo && (ranges[i].hi == 0 || n <= ranges[i].hi))
            return !complement;
    return complement;
}

// Prints the selected bytes of one line (without its newline).
static void cut_bytes(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (selected(i + 1))
            putchar(line[i]);
    putchar('\n');
}

// Prints the selected fields of one line (without its newline).
static void cut_fields(const char *line, size_t len)
{
    if (!memchr(line, delim, len)) {
        if (!only_delimited) {
            fwrite(line, 1, len, stdout);
            putchar('\n');
        }
        return;
    }
    unsigned long field = 1;
    int printed = 0;
    for (size_t start = 0; start <= len; field++) {
        const char *end = memchr(line + start, delim, len - start);
        size_t stop = end ? (size_t)(end - line) : len;
        if (selected(field)) {
            if (printed++) {
                if (out_delim)
                    fputs(out_delim, stdout);
                else
                    putchar(delim);
            }
            fwrite(line + start, 1, stop - start, stdout);
        }
        start = stop + 1;
    }
    putchar('\n');
}

// Prints the selected parts of every line of f.
static void cut_file(FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = linebuf_read(f, &line, &cap)) > 0) {
        size_t len = (size_t)n - (line[n - 1] == '\n');
        if (by_fields)
            cut_fields(line, len);
        else
            cut_bytes(line, len);
    }
    free(line);
}

// Parses the options; returns the index of the first file operand.
static int parse_options(int argc, char **argv)
{
    const char *list = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return i + 1;
        if (strcmp(a, "--complement") == 0) {
            complement = 1;
            continue;
        }
        if (strncmp(a, "--output-delimiter=", 19) == 0) {
            out_delim = a + 19;
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            if (*p == 's' || *p == 'n') {
                only_delimited |= *p == 's';
                continue;
            }
            if (!strchr("bcfd", *p)) {
                prog_warn("invalid option -- '%c'", *p);
                prog_usage(USAGE, 1);
            }
            const char *v = p[1] ? p + 1 : argv[++i];
            if (!v)
                prog_usage(USAGE, 1);
            if (*p == 'd') {
                if (strlen(v) != 1)
                    fail("the delimiter must be a single character%s", "");
                delim = v[0];
            } else {
                if (list)
                    fail("only one type of list may be specified%s", "");
                list = v;
                by_fields = *p == 'f';
            }
            break;
        }
    }
    if (!list)
        fail("you must specify a list of bytes, characters, or fields%s", "");
    parse_list(list);
    return i;
}

int main(int argc, char **argv)
{
    static char *dash[] = { "-", NULL };
    prog_init(argv[0]);
    int first = parse_options(argc, argv), status = 0;
    char **files = first < argc ? argv + first : dash;
    int nfiles = first < argc ? argc - first : 1;
    for (int i = 0; i < nfiles; i++) {
        FILE *f = prog_open(files[i]);
        if (!f) {
            status = 1;
            continue;
        }
        cut_file(f);
        prog_close(f);
    }
    return fflush(stdout) == 0 ? status : 1;
}
