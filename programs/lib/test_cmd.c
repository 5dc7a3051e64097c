// test, [: evaluates a condition; exit status 0 if true, 1 if false, 2 on
// an error (see cmds.h).
// usage: test EXPRESSION     [ EXPRESSION ]
// Strings: STR, -n STR, -z STR, S1 = S2, S1 != S2, S1 < S2, S1 > S2.
// Integers: N1 -eq -ne -lt -le -gt -ge N2. Files: -b -c -d -e -f -g -h -L
// -k -p -r -s -S -u -w -x -O -G FILE, -t FD, F1 -nt -ot -ef F2.
// Combining: ! EXPR, ( EXPR ), EXPR -a EXPR, EXPR -o EXPR (-a binds
// tighter). One to four arguments follow POSIX's rules by their number.
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmdio.h"
#include "cmds.h"
#include "numarg.h"

// newlib declares lstat only for a few targets; the POSIX layer has it.
int lstat(const char *path, struct stat *st);

struct tst {
    struct cmd_out out;     // only its messages are used
    char **av;              // the expression's arguments
    int pos, end;           // the next one; one past the last
    int failed;             // an error was reported: the status is 2
};

// Reports fmt (taking arg) unless an error was reported already; the
// evaluation goes on (harmlessly) and test_cmd returns 2. Returns 0.
static int fail(struct tst *t, const char *fmt, const char *arg)
{
    if (!t->failed)
        cmd_warn(&t->out, fmt, arg);
    t->failed = 1;
    return 0;
}

static int is_unary(const char *s)
{
    return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghkLnprsStuwxzOG", s[1]);
}

static int is_binary(const char *s)
{
    static const char *ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le",
                                 "-gt", "-ge", "-nt", "-ot", "-ef" };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(s, ops[i]) == 0)
            return 1;
    return 0;
}

// The integer operand s, or an error (status 2) when it is not one.
static long long integer(struct tst *t, const char *s)
{
    long long v;
    if (numarg_integer(s, &v) < 0)
        return fail(t, "invalid integer '%s'", s);
    return v;
}

// The file test -OP on path.
static int file_test(char op, const char *path)
{
    struct stat st;
    if ((op == 'h' || op == 'L') ? lstat(path, &st) < 0 : stat(path, &st) < 0)
        return 0;
    switch (op) {
    case 'b': return S_ISBLK(st.st_mode);
    case 'c': return S_ISCHR(st.st_mode);
    case 'd': return S_ISDIR(st.st_mode);
    case 'e': return 1;
    case 'f': return S_ISREG(st.st_mode);
    case 'g': return (st.st_mode & S_ISGID) != 0;
    case 'h': case 'L': return S_ISLNK(st.st_mode);
    case 'k': return (st.st_mode & S_ISVTX) != 0;
    case 'p': return S_ISFIFO(st.st_mode);
    case 'r': return access(path, R_OK) == 0;
    case 's': return st.st_size > 0;
    case 'S': return S_ISSOCK(st.st_mode);
    case 'u': return (st.st_mode & S_ISUID) != 0;
    case 'w': return access(path, W_OK) == 0;
    case 'x': return access(path, X_OK) == 0;
    case 'O': return st.st_uid == geteuid();
    case 'G': return st.st_gid == getegid();
    }
    return 0;
}

// The unary test op (-n, -z, -t or a file test) on arg.
static int unary(struct tst *t, const char *op, const char *arg)
{
    if (op[1] == 'n')
        return arg[0] != '\0';
    if (op[1] == 'z')
        return arg[0] == '\0';
    if (op[1] == 't') {
        long long fd = integer(t, arg);
        return !t->failed && fd >= 0 && fd <= 0x7fffffff && isatty((int)fd);
    }
    return file_test(op[1], arg);
}

// Compares two files' modification times (-nt, -ot) or identity (-ef).
static int file_compare(const char *a, const char *op, const char *b)
{
    struct stat sa, sb;
    int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
    if (op[1] == 'e')
        return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (op[1] == 'o') {
        struct stat tmp = sa;
        int h = ha;
        sa = sb, ha = hb, sb = tmp, hb = h;
    }
    return ha && (!hb || sa.st_mtime > sb.st_mtime);
}

// The binary test a op b: strings, integers or files.
static int binary(struct tst *t, const char *a, const char *op, const char *b)
{
    if (op[0] != '-') {
        int c = strcmp(a, b);
        return op[0] == '!' ? c != 0 : op[0] == '<' ? c < 0 : op[0] == '>' ? c > 0 : c == 0;
    }
    if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef"))
        return file_compare(a, op, b);
    long long x = integer(t, a), y = integer(t, b);
    if (op[1] == 'e') return x == y;
    if (op[1] == 'n') return x != y;
    if (op[2] == 't') return op[1] == 'l' ? x < y : x > y;
    return op[1] == 'l' ? x <= y : x >= y;
}

static int expr(struct tst *t);

// A primary: ! term, ( expr ), a binary or unary test, or a string.
static int term(struct tst *t)
{
    char **av = t->av;
    if (t->pos >= t->end)
        return fail(t, "argument expected%s", "");
    if (strcmp(av[t->pos], "!") == 0) {
        t->pos++;
        return !term(t);
    }
    if (strcmp(av[t->pos], "(") == 0) {
        t->pos++;
        int v = expr(t);
        if (t->pos >= t->end || strcmp(av[t->pos], ")") != 0)
            return fail(t, "')' expected%s", "");
        t->pos++;
        return v;
    }
    if (t->pos + 2 < t->end && is_binary(av[t->pos + 1])) {
        t->pos += 3;
        return binary(t, av[t->pos - 3], av[t->pos - 2], av[t->pos - 1]);
    }
    if (is_unary(av[t->pos]) && t->pos + 1 < t->end) {
        t->pos += 2;
        return unary(t, av[t->pos - 2], av[t->pos - 1]);
    }
    return av[t->pos++][0] != '\0';
}

// term [-a term]...
static int and_expr(struct tst *t)
{
    int v = term(t);
    while (!t->failed && t->pos < t->end && strcmp(t->av[t->pos], "-a") == 0) {
        t->pos++;
        v = term(t) && v;
    }
    return v;
}

// and_expr [-o and_expr]...
static int expr(struct tst *t)
{
    int v = and_expr(t);
    while (!t->failed && t->pos < t->end && strcmp(t->av[t->pos], "-o") == 0) {
        t->pos++;
        v = and_expr(t) || v;
    }
    return v;
}

// The rules of POSIX for two, three and four arguments at t->pos.
static int posix_test(struct tst *t, int n)
{
    char **a = t->av + t->pos;
    if (n == 1)
        return t->pos = t->end, a[0][0] != '\0';
    if (n == 2 && strcmp(a[0], "!") == 0)
        return t->pos++, !posix_test(t, 1);
    if (n == 2 && is_unary(a[0]))
        return t->pos = t->end, unary(t, a[0], a[1]);
    if (n == 2)
        return fail(t, "'%s': unary operator expected", a[0]);
    if (n == 3 && (is_binary(a[1]) || !strcmp(a[1], "-a") || !strcmp(a[1], "-o"))) {
        t->pos = t->end;
        if (a[1][0] == '-' && (a[1][1] == 'a' || a[1][1] == 'o') && !a[1][2])
            return a[1][1] == 'a' ? a[0][0] && a[2][0] : a[0][0] || a[2][0];
        return binary(t, a[0], a[1], a[2]);
    }
    if (strcmp(a[0], "!") == 0)
        return t->pos++, !posix_test(t, n - 1);
    if (strcmp(a[0], "(") == 0 && strcmp(a[n - 1], ")") == 0) {
        t->pos++;
        t->end--;
        int v = posix_test(t, n - 2);
        t->end++, t->pos++;
        return v;
    }
    if (n == 3)
        return fail(t, "'%s': binary operator expected", a[1]);
    return expr(t);
}

int test_cmd(int argc, char **argv, int out_fd, int err_fd)
{
    struct tst t = { .pos = 0 };
    cmd_out_init(&t.out, argc > 0 ? argv[0] : "test", out_fd, err_fd);
    if (strcmp(t.out.name, "[") == 0) {
        if (argc < 2 || strcmp(argv[argc - 1], "]") != 0)
            return fail(&t, "missing '%s'", "]"), 2;
        argc--;
    }
    t.av = argv + 1;
    t.end = argc - 1;
    if (t.end <= 0)
        return 1;
    int v = t.end <= 4 ? posix_test(&t, t.end) : expr(&t);
    if (!t.failed && t.pos < t.end)
        fail(&t, "extra argument '%s'", t.av[t.pos]);
    return t.failed ? 2 : v ? 0 : 1;
}
