// find: lists the files below folders that pass some tests.
// usage: find [path...] [test...]
// Tests (all must pass; '!' or -not before one negates it):
//   -name PATTERN   the last part of the name matches (fnmatch: * ? [..])
//   -iname PATTERN  the same, ignoring case
//   -type f|d|l     a regular file, a folder, a symbolic link
//   -maxdepth N / -mindepth N   only that deep / at least that deep
//   -print          print the path (the default when no -print is given)
// No path means ".". Exit status 1 if a path could not be read.
#define _GNU_SOURCE 1               // FNM_CASEFOLD
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "lines.h"
#include "prog.h"
#include "walk.h"

#define USAGE "[path...] [-name PATTERN] [-iname PATTERN] [-type f|d|l] " \
              "[-maxdepth N] [-mindepth N] [!] [-print]"

enum { T_NAME, T_INAME, T_TYPE, T_PRINT };

struct test {
    int kind, neg;
    const char *arg;
};

static struct test *tests;
static int ntests, have_print, mindepth;

// The last part of path ("a/b/" gives "b/"'s "b"; "/" stays "/").
static const char *base_name(const char *path, char *buf, size_t max)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && path[s - 1] != '/')
        s--;
    if (n - s >= max)
        n = s + max - 1;
    memcpy(buf, path + s, n - s);
    buf[n - s] = 0;
    return n == 0 ? path : buf;
}

static int type_is(const struct stat *st, char t)
{
    return (t == 'f' && S_ISREG(st->st_mode)) || (t == 'd' && S_ISDIR(st->st_mode)) ||
           (t == 'l' && S_ISLNK(st->st_mode));
}

// Evaluates the tests for one path, printing where -print says so.
static int find_visit(struct walk *w, const char *path, const struct stat *st, int depth)
{
    char buf[256];
    (void)w;
    if (depth < mindepth)
        return 0;
    for (int i = 0; i < ntests; i++) {
        const struct test *t = &tests[i];
        int r = 1;
        if (t->kind == T_NAME || t->kind == T_INAME)
            r = fnmatch(t->arg, base_name(path, buf, sizeof buf),
                        t->kind == T_INAME ? FNM_CASEFOLD : 0) == 0;
        else if (t->kind == T_TYPE)
            r = type_is(st, t->arg[0]);
        else
            puts(path);
        if (r == t->neg)
            return 0;
    }
    if (!have_print)
        puts(path);
    return 0;
}

// Reads the argument of option argv[*i]; exits if there is none.
static const char *option_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        prog_warn("missing argument to '%s'", argv[*i]);
        exit(1);
    }
    return argv[++*i];
}

// Parses the expression argv[i..argc) into tests and the walk's limits.
static void parse_tests(int argc, char **argv, int i, struct walk *w)
{
    int neg = 0;
    tests = calloc((size_t)argc, sizeof(*tests));
    for (; tests && i < argc; i++) {
        const char *a = argv[i];
        struct test t = { -1, neg, NULL };
        if (strcmp(a, "!") == 0 || strcmp(a, "-not") == 0) {
            neg = !neg;
            continue;
        }
        if (strcmp(a, "-name") == 0 || strcmp(a, "-iname") == 0) {
            t.kind = a[1] == 'n' ? T_NAME : T_INAME;
            t.arg = option_arg(argc, argv, &i);
        } else if (strcmp(a, "-type") == 0) {
            t.kind = T_TYPE;
            t.arg = option_arg(argc, argv, &i);
            if (strlen(t.arg) != 1 || !strchr("fdl", t.arg[0])) {
                prog_warn("unknown argument to -type: %s", t.arg);
                exit(1);
            }
        } else if (strcmp(a, "-print") == 0) {
            t.kind = T_PRINT;
            have_print = 1;
        } else if (strcmp(a, "-maxdepth") == 0 || strcmp(a, "-mindepth") == 0) {
            unsigned long n = num_arg_ulong(option_arg(argc, argv, &i), a + 1);
            *(a[2] == 'a' ? &w->maxdepth : &mindepth) = (int)(n > 1000000 ? 1000000 : n);
            continue;
        } else {
            prog_warn("unknown predicate '%s'", a);
            prog_usage(USAGE, 1);
        }
        tests[ntests++] = t;
        neg = 0;
    }
    if (!tests) {
        prog_warn("out of memory");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    struct walk w = { find_visit, NULL, -1, 0, 0, NULL };
    prog_init(argv[0]);
    int i = 1;
    while (i < argc && (argv[i][0] != '-' || !argv[i][1]) && strcmp(argv[i], "!") != 0)
        i++;
    int npaths = i - 1;
    parse_tests(argc, argv, i, &w);
    if (npaths == 0)
        walk_tree(&w, ".");
    for (int p = 1; p <= npaths; p++)
        walk_tree(&w, argv[p]);
    fflush(stdout);
    return w.errors ? 1 : 0;
}
