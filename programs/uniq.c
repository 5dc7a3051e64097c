// uniq: writes each run of equal adjacent lines once.
// usage: uniq [-c] [-d] [-u] [-i] [input [output]]
//   -c  put the run's length before each line ("%7lu " as GNU uniq)
//   -d  only lines that are repeated     -u  only lines that are not
//   -i  lines that differ only in case are equal
// Input "-" or none is standard input. Lines of any length.
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lines.h"
#include "prog.h"
#include "optscan.h"

#define USAGE "[-c] [-d] [-u] [-i] [input [output]]"

static int opt_c, opt_d, opt_u, opt_i;

// Whether two lines of the same length are equal (ignoring case with -i).
static int same_line(const char *a, const char *b, size_t len)
{
    if (!opt_i)
        return memcmp(a, b, len) == 0;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

// Writes one finished run of count equal lines, if the options want it.
static void uniq_emit(const char *s, size_t len, unsigned long count)
{
    if ((opt_d && count < 2) || (opt_u && count > 1))
        return;
    if (opt_c)
        printf("%7lu ", count);
    line_put(s, len);
}

// Reads f to its end, writing one line per run. Returns 0 or -1 (read error).
static int uniq_stream(FILE *f)
{
    char *cur = NULL, *prev = NULL;
    size_t cur_cap = 0, prev_cap = 0, prev_len = 0;
    unsigned long count = 0;
    ssize_t len;
    int nl;

    while ((len = line_read(f, &cur, &cur_cap, &nl)) >= 0) {
        if (count && (size_t)len == prev_len && same_line(cur, prev, prev_len)) {
            count++;
            continue;
        }
        if (count)
            uniq_emit(prev, prev_len, count);
        char *t = prev; prev = cur; cur = t;           // keep the new line
        size_t tc = prev_cap; prev_cap = cur_cap; cur_cap = tc;
        prev_len = (size_t)len;
        count = 1;
    }
    if (count)
        uniq_emit(prev, prev_len, count);
    free(cur);
    free(prev);
    return ferror(f) ? -1 : 0;
}

// Parses the options; returns the index of the first operand.
static int uniq_options(int argc, char **argv)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'c')
            opt_c = 1;
        else if (c == 'd')
            opt_d = 1;
        else if (c == 'u')
            opt_u = 1;
        else if (c == 'i')
            opt_i = 1;
        else {
            prog_warn("unknown option -%c", c);
            prog_usage(USAGE, 1);
        }
    }
    return s.i;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int i = uniq_options(argc, argv);
    if (argc - i > 2) {
        prog_warn("extra operand '%s'", argv[i + 2]);
        prog_usage(USAGE, 1);
    }
    FILE *in = prog_open(i < argc ? argv[i] : "-");
    if (!in)
        return 1;
    if (i + 1 < argc && strcmp(argv[i + 1], "-") != 0 && !freopen(argv[i + 1], "w", stdout)) {
        prog_warn_errno("%s", argv[i + 1]);
        return 1;
    }
    int r = uniq_stream(in);
    if (r < 0)
        prog_warn_errno("%s", i < argc ? argv[i] : "standard input");
    prog_close(in);
    if (fflush(stdout) != 0) {
        prog_warn_errno("write error");
        return 1;
    }
    return r < 0 ? 1 : 0;
}
