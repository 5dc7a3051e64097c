// find: lists the files below folders that pass some tests.
// usage: find [path...] [expression]
// The expression is made of these, joined by -a / -and (also implied
// between two of them), -o / -or, '!' / -not and ( ... ):
//   -name PATTERN   the last part of the name matches (fnmatch: * ? [..])
//   -iname PATTERN  the same, ignoring case
//   -type f|d|l     a regular file, a folder, a symbolic link
//   -print          print the path; true
//   -exec CMD ARG... ;   run CMD with {} in the arguments replaced by the path;
//                   true when it exits with 0
//   -exec CMD ARG... {} +   run CMD with as many paths at the end as fit; true
//   -maxdepth N / -mindepth N   only that deep / at least that deep
// Without -print or -exec the paths for which the expression is true are
// printed. No path means ".". Exit status 1 if a path could not be read
// (or a command of -exec ... + failed).
#define _GNU_SOURCE 1               // FNM_CASEFOLD
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "lines.h"
#include "prog.h"
#include "run.h"
#include "walk.h"

#define USAGE "[path...] [-name PATTERN] [-iname PATTERN] [-type f|d|l] [-maxdepth N] " \
              "[-mindepth N] [-print] [-exec CMD ARG... ;|+] [! -a -o ( )]"
#define EXEC_BATCH 256          // paths per command of -exec ... +

enum { T_NAME, T_INAME, T_TYPE, T_PRINT, T_EXEC, T_TRUE, T_AND, T_OR, T_NOT };

struct test {
    int kind;
    const char *arg;
    struct test *l, *r;     // T_AND, T_OR: both; T_NOT: l
    char **argv;            // -exec: the command and its arguments
    int argc, plus;         // plus: "{} +", paths gathered in batch
    char **batch;
    int nbatch;
};

static struct test *tests;  // all nodes, parents after children
static int ntests, have_action, mindepth, status;
static struct test *root;

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
        return 0;                   // false, but find's status stays 0 (as GNU's)
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

// Evaluates the expression t for one path (a and o stop early).
static int eval(struct test *t, const char *path, const struct stat *st)
{
    char buf[256];
    switch (t->kind) {
    case T_AND: return eval(t->l, path, st) && eval(t->r, path, st);
    case T_OR: return eval(t->l, path, st) || eval(t->r, path, st);
    case T_NOT: return !eval(t->l, path, st);
    case T_TRUE: return 1;
    case T_TYPE: return type_is(st, t->arg[0]);
    case T_EXEC: return exec_test(t, path);
    case T_PRINT:
        puts(path);
        return 1;
    default:
        return fnmatch(t->arg, base_name(path, buf, sizeof buf),
                       t->kind == T_INAME ? FNM_CASEFOLD : 0) == 0;
    }
}

// Evaluates the expression for one path found at depth.
static int find_visit(struct walk *w, const char *path, const struct stat *st, int depth)
{
    (void)w;
    if (depth >= mindepth && eval(root, path, st) && !have_action)
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
    have_action = 1;
    *i = end;
}

// The parser's state: the arguments, the next one, the walk's limits.
struct parser {
    int argc, i;
    char **argv;
    struct walk *w;
};

static struct test *node(int kind, struct test *l, struct test *r)
{
    struct test *t = &tests[ntests++];
    memset(t, 0, sizeof(*t));
    t->kind = kind, t->l = l, t->r = r;
    return t;
}

static int is(const struct parser *p, const char *a, const char *b)
{
    return p->i < p->argc && (strcmp(p->argv[p->i], a) == 0 || (b && strcmp(p->argv[p->i], b) == 0));
}

static struct test *parse_or(struct parser *p);

// A test or an action (or an option such as -maxdepth, which is true).
static struct test *parse_primary(struct parser *p)
{
    const char *a = p->argv[p->i];
    struct test *t = node(T_TRUE, NULL, NULL);
    if (strcmp(a, "-name") == 0 || strcmp(a, "-iname") == 0) {
        t->kind = a[1] == 'n' ? T_NAME : T_INAME;
        t->arg = option_arg(p->argc, p->argv, &p->i);
    } else if (strcmp(a, "-type") == 0) {
        t->kind = T_TYPE;
        t->arg = option_arg(p->argc, p->argv, &p->i);
        if (strlen(t->arg) != 1 || !strchr("fdl", t->arg[0])) {
            prog_warn("unknown argument to -type: %s", t->arg);
            exit(1);
        }
    } else if (strcmp(a, "-exec") == 0) {
        parse_exec(p->argc, p->argv, &p->i, t);
    } else if (strcmp(a, "-print") == 0) {
        t->kind = T_PRINT;
        have_action = 1;
    } else if (strcmp(a, "-maxdepth") == 0 || strcmp(a, "-mindepth") == 0) {
        unsigned long n = num_arg_ulong(option_arg(p->argc, p->argv, &p->i), a + 1, 1);
        *(a[2] == 'a' ? &p->w->maxdepth : &mindepth) = (int)(n > 1000000 ? 1000000 : n);
    } else {
        prog_warn("unknown predicate '%s'", a);
        prog_usage(USAGE, 1);
    }
    p->i++;
    return t;
}

// '!' unary, ( expression ), or a primary.
static struct test *parse_unary(struct parser *p)
{
    if (p->i >= p->argc || is(p, "-o", "-or") || is(p, "-a", "-and") || is(p, ")", NULL)) {
        if (p->i < p->argc)
            prog_warn("expected an expression before '%s'", p->argv[p->i]);
        else
            prog_warn("expected an expression at the end");
        exit(1);
    }
    if (is(p, "!", "-not")) {
        p->i++;
        return node(T_NOT, parse_unary(p), NULL);
    }
    if (is(p, "(", NULL)) {
        p->i++;
        struct test *t = parse_or(p);
        if (!is(p, ")", NULL)) {
            prog_warn("expected ')'");
            exit(1);
        }
        p->i++;
        return t;
    }
    return parse_primary(p);
}

// Unaries joined by -a or by nothing.
static struct test *parse_and(struct parser *p)
{
    struct test *t = parse_unary(p);
    while (p->i < p->argc && !is(p, "-o", "-or") && !is(p, ")", NULL)) {
        if (is(p, "-a", "-and"))
            p->i++;
        t = node(T_AND, t, parse_unary(p));
    }
    return t;
}

static struct test *parse_or(struct parser *p)
{
    struct test *t = parse_and(p);
    while (is(p, "-o", "-or")) {
        p->i++;
        t = node(T_OR, t, parse_and(p));
    }
    return t;
}

// Parses the expression argv[i..argc) into root (true when empty).
static void parse_tests(int argc, char **argv, int i, struct walk *w)
{
    struct parser p = { argc, i, argv, w };
    tests = calloc((size_t)(2 * argc + 1), sizeof(*tests));
    if (!tests) {
        prog_warn("out of memory");
        exit(1);
    }
    root = i < argc ? parse_or(&p) : node(T_TRUE, NULL, NULL);
    if (p.i < argc) {
        prog_warn("unexpected '%s'", argv[p.i]);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    struct walk w = { find_visit, NULL, -1, 0, 0, NULL };
    prog_init(argv[0]);
    int i = 1;
    while (i < argc && (argv[i][0] != '-' || !argv[i][1]) && strcmp(argv[i], "!") != 0 &&
           strcmp(argv[i], "(") != 0)
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
