// find: lists the files below folders that pass some tests.
// usage: find [path...] [test...]
// Tests (all must pass; '!' or -not before one negates it):
//   -name PATTERN   the last part of the name matches (fnmatch: * ? [..])
//   -iname PATTERN  the same, ignoring case
//   -type f|d|l     a regular file, a folder, a symbolic link
//   -maxdepth N / -mindepth N   only that deep / at least that deep
//   -print          print the path (the default when no -print or -exec is given)
//   -exec CMD ARG... ;   run CMD with {} in the arguments replaced by the path;
//                   passes when it exits with 0
//   -exec CMD ARG... {} +   run CMD with as many paths at the end as fit
// No path means ".". Exit status 1 if a path could not be read.
#define _GNU_SOURCE 1               // FNM_CASEFOLD
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "lines.h"
#include "prog.h"
#include "run.h"
#include "walk.h"

#define USAGE "[path...] [-name PATTERN] [-iname PATTERN] [-type f|d|l] " \
              "[-maxdepth N] [-mindepth N] [!] [-print] [-exec CMD ARG... ;|+]"
#define EXEC_BATCH 256          // paths per command of -exec ... +

enum { T_NAME, T_INAME, T_TYPE, T_PRINT, T_EXEC };

struct test {
    int kind, neg;
    const char *arg;
    char **argv;            // -exec: the command and its arguments
    int argc, plus;         // plus: "{} +", paths gathered in batch
    char **batch;
    int nbatch;
};

static struct test *tests;
static int ntests, have_print, mindepth, status;

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

// A copy of arg with each "{}" replaced by path.
static char *replace_braces(const char *arg, const char *path)
{
    size_t n = strlen(arg) + 1;
    for (const char *p = strstr(arg, "{}"); p; p = strstr(p + 2, "{}"))
        n += strlen(path);
    char *out = malloc(n), *o = out;
    if (!out) {
        prog_warn("out of memory");
        exit(1);
    }
    for (const char *p = arg; *p;) {
        if (p[0] == '{' && p[1] == '}') {
            o = stpcpy(o, path);
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

// Runs argv; returns whether it exited with 0 (reports what kept it from running).
static int exec_ok(char **argv)
{
    int st = prog_run(argv);
    if (st < 0) {
        prog_warn_errno("%s", argv[0]);
        return 0;
    }
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

// -exec ... {} +: runs the command with the gathered paths.
static void exec_flush(struct test *t)
{
    if (!t->nbatch)
        return;
    char **argv = malloc((size_t)(t->argc + t->nbatch + 1) * sizeof(*argv));
    if (!argv) {
        prog_warn("out of memory");
        exit(1);
    }
    memcpy(argv, t->argv, (size_t)t->argc * sizeof(*argv));
    memcpy(argv + t->argc, t->batch, (size_t)t->nbatch * sizeof(*argv));
    argv[t->argc + t->nbatch] = NULL;
    if (!exec_ok(argv))
        status = 1;
    for (int i = 0; i < t->nbatch; i++)
        free(t->batch[i]);
    t->nbatch = 0;
    free(argv);
}

// -exec: runs (";") or gathers ("+") the command for path.
static int exec_test(struct test *t, const char *path)
{
    if (t->plus) {
        if (!(t->batch[t->nbatch++] = strdup(path))) {
            prog_warn("out of memory");
            exit(1);
        }
        if (t->nbatch == EXEC_BATCH)
            exec_flush(t);
        return 1;
    }
    char **argv = malloc((size_t)(t->argc + 1) * sizeof(*argv));
    if (!argv) {
        prog_warn("out of memory");
        exit(1);
    }
    for (int i = 0; i < t->argc; i++)
        argv[i] = replace_braces(t->argv[i], path);
    argv[t->argc] = NULL;
    int r = exec_ok(argv);
    for (int i = 0; i < t->argc; i++)
        free(argv[i]);
    free(argv);
    return r;
}

// Evaluates the tests for one path, printing where -print says so.
static int find_visit(struct walk *w, const char *path, const struct stat *st, int depth)
{
    char buf[256];
    (void)w;
    if (depth < mindepth)
        return 0;
    for (int i = 0; i < ntests; i++) {
        struct test *t = &tests[i];
        int r = 1;
        if (t->kind == T_NAME || t->kind == T_INAME)
            r = fnmatch(t->arg, base_name(path, buf, sizeof buf),
                        t->kind == T_INAME ? FNM_CASEFOLD : 0) == 0;
        else if (t->kind == T_TYPE)
            r = type_is(st, t->arg[0]);
        else if (t->kind == T_EXEC)
            r = exec_test(t, path);
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

// Parses -exec's command at argv[*i + 1] up to ";" or "{} +".
static void parse_exec(int argc, char **argv, int *i, struct test *t)
{
    int start = *i + 1, end = start;
    while (end < argc && strcmp(argv[end], ";") != 0 &&
           !(strcmp(argv[end], "+") == 0 && end > start && strcmp(argv[end - 1], "{}") == 0))
        end++;
    if (end >= argc || end == start) {
        prog_warn("missing argument to '-exec'");
        exit(1);
    }
    t->kind = T_EXEC;
    t->argv = argv + start;
    t->plus = argv[end][0] == '+';
    t->argc = end - start - t->plus;        // "+" form: without its "{}"
    t->batch = t->plus ? malloc(EXEC_BATCH * sizeof(*t->batch)) : NULL;
    if (t->plus && !t->batch) {
        prog_warn("out of memory");
        exit(1);
    }
    have_print = 1;
    *i = end;
}

// Parses the expression argv[i..argc) into tests and the walk's limits.
static void parse_tests(int argc, char **argv, int i, struct walk *w)
{
    int neg = 0;
    tests = calloc((size_t)argc, sizeof(*tests));
    for (; tests && i < argc; i++) {
        const char *a = argv[i];
        struct test t = { -1, neg, NULL, NULL, 0, 0, NULL, 0 };
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
        } else if (strcmp(a, "-exec") == 0) {
            parse_exec(argc, argv, &i, &t);
        } else if (strcmp(a, "-print") == 0) {
            t.kind = T_PRINT;
            have_print = 1;
        } else if (strcmp(a, "-maxdepth") == 0 || strcmp(a, "-mindepth") == 0) {
            unsigned long n = num_arg_ulong(option_arg(argc, argv, &i), a + 1, 1);
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
    for (int t = 0; t < ntests; t++)
        if (tests[t].kind == T_EXEC && tests[t].plus)
            exec_flush(&tests[t]);
    fflush(stdout);
    return w.errors ? 1 : status;
}
