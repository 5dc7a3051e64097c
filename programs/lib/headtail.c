// Options, headers and the file loop of head and tail (see headtail.h).
#include <stdlib.h>
#include <string.h>
#include "headtail.h"
#include "numarg.h"
#include "prog.h"

// Takes "N" or "<sign>N" for -n or -c; exits 1 when it is not a count.
static void set_count(struct headtail *o, const char *arg, const char *signs, int bytes)
{
    o->by_bytes = bytes;
    o->sign = arg[0] && strchr(signs, arg[0]) ? arg[0] : 0;
    if (numarg_count(arg + (o->sign != 0), &o->count) < 0) {
        prog_warn("invalid number of %s: '%s'", bytes ? "bytes" : "lines", arg);
        exit(1);
    }
}

int headtail_parse(int argc, char **argv, const char *usage, const char *signs,
                   int allow_follow, struct headtail *o)
{
    *o = (struct headtail){ .count = 10, .headers = -1 };
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return i + 1;
        if (a[1] >= '0' && a[1] <= '9') {               // the old form -N
            set_count(o, a + 1, signs, 0);
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'q' || *p == 'v') {
                o->headers = *p == 'v';
            } else if (*p == 'f' && allow_follow) {
                o->follow = 1;
            } else if (*p == 'n' || *p == 'c') {
                const char *v = p[1] ? p + 1 : argv[++i];
                if (!v)
                    prog_usage(usage, 1);
                set_count(o, v, signs, *p == 'c');
                break;
            } else {
                prog_warn("invalid option -- '%c'", *p);
                prog_usage(usage, 1);
            }
        }
    }
    return i;
}

int headtail_run(const struct headtail *o, int argc, char **argv, int first,
                 int (*fn)(FILE *f, int is_last))
{
    static char *dash[] = { "-", NULL };
    char **files = first < argc ? argv + first : dash;
    int nfiles = first < argc ? argc - first : 1, status = 0, shown = 0;
    int headers = o->headers < 0 ? nfiles > 1 : o->headers;

    for (int i = 0; i < nfiles; i++) {
        FILE *f = prog_open(files[i]);
        if (!f) {
            status = 1;
            continue;
        }
        if (headers)
            printf("%s==> %s <==\n", shown++ ? "\n" : "",
                   strcmp(files[i], "-") == 0 ? "standard input" : files[i]);
        if (fn(f, i == nfiles - 1) < 0) {
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
