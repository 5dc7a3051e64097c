// test, [: evaluates a condition; exit status 0 if true, 1 if false, 2 on
// an error.
// usage: test EXPRESSION     [ EXPRESSION ]
// Strings: STR, -n STR, -z STR, S1 = S2, S1 != S2, S1 < S2, S1 > S2.
// Integers: N1 -eq -ne -lt -le -gt -ge N2. Files: -b -c -d -e -f -g -h -L
// -k -p -r -s -S -u -w -x -O -G FILE, -t FD, F1 -nt -ot -ef F2.
// Combining: ! EXPR, ( EXPR ), EXPR -a EXPR, EXPR -o EXPR (-a binds
// tighter). One to four arguments follow POSIX's rules by their number.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "numarg.h"
#include "prog.h"

// newlib declares lstat only for a few targets; the POSIX layer has it.
int lstat(const char *path, struct stat *st);

static char **av;
static int pos, end;

// Reports fmt (taking arg) and exits with status 2.
static void fail(const char *fmt, const char *arg) __attribute__((noreturn));
static void fail(const char *fmt, const char *arg)
{
    prog_warn(fmt, arg);
    exit(2);
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
static long long integer(const char *s)
{
    long long v;
    if (numarg_integer(s, &v) < 0)
        fail("invalid integer '%s'", s);
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
static int unary(const char *op, const char *arg)
{
    if (op[1] == 'n')
        return arg[0] != '\0';
    if (op[1] == 'z')
        return arg[0] == '\0';
    if (op[1] == 't')
        return isatty((int)integer(arg));
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
        struct stat t = sa;
        int h = ha;
        sa = sb, ha = hb, sb = t, hb = h;
    }
    return ha && (!hb || sa.st_mtime > sb.st_mtime);
}

// The binary test a op b: strings, integers or files.
static int binary(const char *a, const char *op, const char *b)
{
    if (op[0] != '-') {
        int c = strcmp(a, b);
        return op[0] == '!' ? c != 0 : op[0] == '<' ? c < 0 : op[0] == '>' ? c > 0 : c == 0;
    }
    if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef"))
        return file_compare(a, op, b);
    long long x = integer(a), y = integer(b);
    if (op[1] == 'e') return x == y;
    if (op[1] == 'n') return x != y;
    if (op[2] == 't') return op[1] == 'l' ? x < y : x > y;
    return op[1] == 'l' ? x <= y : x >= y;
}

static int expr(void);

// A primary: ! term, ( expr ), a binary or unary test, or a string.
static int term(void)
{
    if (pos >= end)
        fail("argument expected%s", "");
    if (strcmp(av[pos], "!") == 0) {
        pos++;
        return !term();
    }
    if (strcmp(av[pos], "(") == 0) {
        pos++;
        int v = expr();
        if (pos >= end || strcmp(av[pos], ")") != 0)
            fail("')' expected%s", "");
        pos++;
        return v;
    }
    if (pos + 2 < end && is_binary(av[pos + 1])) {
        pos += 3;
        return binary(av[pos - 3], av[pos - 2], av[pos - 1]);
    }
    if (is_unary(av[pos]) && pos + 1 < end) {
        pos += 2;
        return unary(av[pos - 2], av[pos - 1]);
    }
    return av[pos++][0] != '\0';
}

// term [-a term]...
static int and_expr(void)
{
    int v = term();
    while (pos < end && strcmp(av[pos], "-a") == 0) {
        pos++;
        v = term() && v;
    }
    return v;
}

// and_expr [-o and_expr]...
static int expr(void)
{
    int v = and_expr();
    while (pos < end && strcmp(av[pos], "-o") == 0) {
        pos++;
        v = and_expr() || v;
    }
    return v;
}

// The rules of POSIX for two, three and four arguments at av[pos].
static int posix_test(int n)
{
    char **a = av + pos;
    if (n == 1)
        return pos = end, a[0][0] != '\0';
    if (n == 2 && strcmp(a[0], "!") == 0)
        return pos++, !posix_test(1);
    if (n == 2 && is_unary(a[0]))
        return pos = end, unary(a[0], a[1]);
    if (n == 2)
        fail("'%s': unary operator expected", a[0]);
    if (n == 3 && (is_binary(a[1]) || !strcmp(a[1], "-a") || !strcmp(a[1], "-o"))) {
        pos = end;
        if (a[1][0] == '-' && (a[1][1] == 'a' || a[1][1] == 'o') && !a[1][2])
            return a[1][1] == 'a' ? a[0][0] && a[2][0] : a[0][0] || a[2][0];
        return binary(a[0], a[1], a[2]);
    }
    if (strcmp(a[0], "!") == 0)
        return pos++, !posix_test(n - 1);
    if (strcmp(a[0], "(") == 0 && strcmp(a[n - 1], ")") == 0) {
        pos++;
        end--;
        int v = posix_test(n - 2);
        end++, pos++;
        return v;
    }
    if (n == 3)
        fail("'%s': binary operator expected", a[1]);
    return expr();
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    if (strcmp(prog_name, "[") == 0) {
        if (argc < 2 || strcmp(argv[argc - 1], "]") != 0)
            fail("missing '%s'", "]");
        argc--;
    }
    av = argv + 1;
    end = argc - 1;
    if (end == 0)
        return 1;
    int v = end <= 4 ? posix_test(end) : expr();
    if (pos < end)
        fail("extra argument '%s'", av[pos]);
    return v ? 0 : 1;
}
