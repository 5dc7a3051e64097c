// Lines of any length and number arguments (see lines.h).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linebuf.h"
#include "lines.h"
#include "prog.h"

ssize_t line_read(FILE *f, char **buf, size_t *cap, int *had_nl)
{
    ssize_t n = linebuf_read(f, buf, cap);
    *had_nl = n > 0 && (*buf)[n - 1] == '\n';
    if (*had_nl)
        (*buf)[--n] = 0;
    return n;
}

// Adds one line (a copy of s) at the end of ls. Returns 0 or -1.
static int lines_push(struct lines *ls, const char *s, size_t len)
{
    if (ls->n == ls->cap) {
        size_t ncap = ls->cap ? ls->cap * 2 : 64;
        struct line *nv = realloc(ls->v, ncap * sizeof(*nv));
        if (!nv)
            return -1;
        ls->v = nv;
        ls->cap = ncap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len + 1);
    ls->v[ls->n].s = copy;
    ls->v[ls->n].len = len;
    ls->n++;
    return 0;
}

int lines_read_all(FILE *f, struct lines *ls)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int nl = 1, r = 0;

    ls->last_nl = 1;
    while ((len = line_read(f, &buf, &cap, &nl)) >= 0) {
        if (lines_push(ls, buf, (size_t)len) < 0) {
            errno = ENOMEM;
            r = -1;
            break;
        }
        ls->last_nl = nl;
    }
    free(buf);
    if (ferror(f))
        r = -1;
    return r;
}

void lines_free(struct lines *ls)
{
    for (size_t i = 0; i < ls->n; i++)
        free(ls->v[i].s);
    free(ls->v);
    ls->v = NULL;
    ls->n = ls->cap = 0;
}

void line_put(const char *s, size_t len)
{
    fwrite(s, 1, len, stdout);
    putchar('\n');
}

int num_parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int num_parse_long(const char *s, long *out)
{
    char *end;
    const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
    if (*d < '0' || *d > '9')
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

unsigned long num_arg_ulong(const char *s, const char *what, int status)
{
    unsigned long v;
    if (num_parse_ulong(s, &v) < 0) {
        prog_warn("invalid %s: '%s'", what, s);
        exit(status);
    }
    return v;
}
