// test EXPR and [ EXPR ]: file tests (-e -f -d -r -w -x -s -L -h -p),
// string tests (-n -z = != < >), integer comparisons (-eq -ne -lt -le
// -gt -ge), ! ( ) -a -o, by recursive descent over the arguments.
// read [-r] [name...] is here too.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shell.h"

struct targs {
    char **v;
    int n, i;
    int err;                // the error stream
    int bad;                // a syntax error was found
};

static const char *next(struct targs *t) { return t->i < t->n ? t->v[t->i] : NULL; }

static int bad(struct targs *t, const char *what, const char *arg)
{
    if (!t->bad)
        fdprintf(t->err, "sh: test: %s%s%s\n", arg ? arg : "", arg ? ": " : "", what);
    t->bad = 1;
    return 0;
}

static int to_int(struct targs *t, const char *s, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (!*s || *end || errno)
        return bad(t, "bad number", s), -1;
    return 0;
}

static int file_test(char op, const char *path)
{
    struct stat st;
    if (op == 'L' || op == 'h')
        return stat(path, &st) == 0 && S_ISLNK(st.st_mode);
    if (stat(path, &st) != 0)
        return 0;
    switch (op) {
    case 'e': return 1;
    case 'f': return S_ISREG(st.st_mode);
    case 'd': return S_ISDIR(st.st_mode);
    case 'p': return S_ISFIFO(st.st_mode);
    case 'c': return S_ISCHR(st.st_mode);
    case 'b': return S_ISBLK(st.st_mode);
    case 's': return st.st_size > 0;
    case 'r': return access(path, R_OK) == 0;
    case 'w': return access(path, W_OK) == 0;
    case 'x': return access(path, X_OK) == 0;
    }
    return 0;
}

static int binary_op(struct targs *t, const char *l, const char *op, const char *r)
{
    static const char *const ints[] = { "-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL };
    if (!strcmp(op, "=") || !strcmp(op, "=="))
        return !strcmp(l, r);
    if (!strcmp(op, "!="))
        return strcmp(l, r) != 0;
    if (!strcmp(op, "<"))
        return strcmp(l, r) < 0;
    if (!strcmp(op, ">"))
        return strcmp(l, r) > 0;
    for (int k = 0; ints[k]; k++) {
        if (strcmp(op, ints[k]))
            continue;
        long a, b;
        if (to_int(t, l, &a) || to_int(t, r, &b))
            return 0;
        switch (k) {
        case 0: return a == b;
        case 1: return a != b;
        case 2: return a < b;
        case 3: return a <= b;
        case 4: return a > b;
        default: return a >= b;
        }
    }
    return bad(t, "unknown operator", op);
}

static int is_binary(const char *s)
{
    static const char *const ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL };
    for (int i = 0; s && ops[i]; i++)
        if (!strcmp(s, ops[i]))
            return 1;
    return 0;
}

static int expr_or(struct targs *t);

static int primary(struct targs *t)
{
    const char *a = next(t);
    if (!a)
        return bad(t, "argument expected", NULL);
    if (t->i + 2 < t->n + 1 && is_binary(t->i + 1 < t->n ? t->v[t->i + 1] : NULL) && t->i + 2 < t->n) {
        t->i += 3;
        return binary_op(t, a, t->v[t->i - 2], t->v[t->i - 1]);
    }
    if (!strcmp(a, "!")) {
        t->i++;
        return !primary(t);
    }
    if (!strcmp(a, "(")) {
        t->i++;
        int v = expr_or(t);
        if (!next(t) || strcmp(next(t), ")"))
            return bad(t, "')' expected", NULL);
        t->i++;
        return v;
    }
    if (a[0] == '-' && a[1] && !a[2] && strchr("efdpcbsrwxLhnz", a[1]) && t->i + 1 < t->n) {
        const char *arg = t->v[t->i + 1];
        t->i += 2;
        if (a[1] == 'n')
            return arg[0] != 0;
        if (a[1] == 'z')
            return arg[0] == 0;
        return file_test(a[1], arg);
    }
    t->i++;
    return a[0] != 0;
}

static int expr_and(struct targs *t)
{
    int v = primary(t);
    while (next(t) && !strcmp(next(t), "-a")) {
        t->i++;
        v = primary(t) && v;
    }
    return v;
}

static int expr_or(struct targs *t)
{
    int v = expr_and(t);
    while (next(t) && !strcmp(next(t), "-o")) {
        t->i++;
        v = expr_and(t) || v;
    }
    return v;
}

int b_test(int argc, char **argv, int out, int err)
{
    (void)out;
    struct targs t = { argv + 1, argc - 1, 0, err, 0 };
    if (!strcmp(argv[0], "[")) {
        if (argc < 2 || strcmp(argv[argc - 1], "]")) {
            fdprintf(err, "sh: [: missing ]\n");
            return 2;
        }
        t.n--;
    }
    if (t.n == 0)
        return 1;
    int v;
    if (t.n == 1)
        v = t.v[0][0] != 0;
    else if (t.n == 2 && !strcmp(t.v[0], "!"))
        v = t.v[1][0] == 0;
    else
        v = expr_or(&t);
    if (!t.bad && t.i < t.n)
        bad(&t, "unexpected argument", t.v[t.i]);
    return t.bad ? 2 : !v;
}

// Reads one line from fd 0 a byte at a time (so that nothing after it is
// taken from a shared input). -r: backslashes are kept. Returns -1 at the
// end of the input with nothing read.
static int read_line0(char **line, int raw)
{
    size_t len = 0, cap = 64;
    char *s = malloc(cap), c;
    int got_any = 0;
    if (!s)
        abort();
    for (;;) {
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got_any = 1;
        if (c == '\\' && !raw) {
            if (read(0, &c, 1) != 1)
                break;
            if (c == '\n')
                continue;
            if (len + 3 > cap && !(s = realloc(s, cap *= 2)))
                abort();
            s[len++] = '\\';          // kept to mark the next character as literal
        } else if (c == '\n') {
            s[len] = 0;
            *line = s;
            return 0;
        }
        if (len + 3 > cap && !(s = realloc(s, cap *= 2)))
            abort();
        s[len++] = c;
    }
    s[len] = 0;
    *line = s;
    return got_any ? 1 : -1;
}

// Takes the next field off *p by IFS; the last name gets the rest.
static char *take_field(char **p, const char *ifs, int last, int raw)
{
    char *s = *p, *o, *start;
    while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
        s++;
    start = o = s;
    while (*s) {
        if (!raw && *s == '\\' && s[1]) {
            *o++ = s[1];
            s += 2;
            continue;
        }
        if (!last && strchr(ifs, *s))
            break;
        *o++ = *s++;
    }
    char *end = o;
    if (*s)
        s++;
    while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
        s++;
    if (last)
        while (end > start && strchr(ifs, end[-1]) && strchr(" \t\n", end[-1]))
            end--;
    *end = 0;
    *p = s;
    return start;
}

int b_read(int argc, char **argv, int out, int err)
{
    int i = 1, raw = 0;
    (void)out;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-r")) {
            fdprintf(err, "sh: read: %s: unknown option\n", argv[i]);
            return 2;
        }
        raw = 1;
    }
    char *line, *p;
    int r = read_line0(&line, raw);
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    p = line;
    if (i == argc) {
        var_set("REPLY", take_field(&p, "", 1, raw));
    }
    for (; i < argc; i++) {
        char *f = take_field(&p, ifs, i == argc - 1, raw);
        if (var_set(argv[i], f) < 0)
            fdprintf(err, "sh: read: %s: bad variable name\n", argv[i]);
    }
    free(line);
    return r != 0;
}
