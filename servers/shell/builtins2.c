// The builtins of the POSIX shell language: echo, true, false, :, set,
// shift, eval, . (source), local, return, break, continue, exec, type,
// command; read is in read.c, printf in printf.c, test in test.c.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

int set_option(char c, int on);

static int b_true(int argc, char **argv, int out, int err)
{
    (void)argc, (void)argv, (void)out, (void)err;
    return 0;
}

static int b_false(int argc, char **argv, int out, int err)
{
    (void)argc, (void)argv, (void)out, (void)err;
    return 1;
}

// echo [-n] args: as dash's echo, without backslash escapes.
static int b_echo(int argc, char **argv, int out, int err)
{
    int i = 1, nl = 1;
    (void)err;
    if (argc > 1 && !strcmp(argv[1], "-n"))
        nl = 0, i++;
    size_t len = 1;
    for (int k = i; k < argc; k++)
        len += strlen(argv[k]) + 1;
    char *s = malloc(len), *o = s;
    if (!s)
        abort();
    for (int k = i; k < argc; k++) {
        size_t n = strlen(argv[k]);
        memcpy(o, argv[k], n);
        o += n;
        if (k < argc - 1)
            *o++ = ' ';
    }
    if (nl)
        *o++ = '\n';
    for (size_t off = 0, total = (size_t)(o - s); off < total;) {
        ssize_t w = write(out, s + off, total - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    free(s);
    return 0;
}

// set [-eux] [+eux] [--] [args]: options and positional parameters.
static int b_set(int argc, char **argv, int out, int err)
{
    int i = 1;
    if (argc == 1) {
        extern void vars_print_all(int fd);
        vars_print_all(out);
        return 0;
    }
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            pos_set(argv + i, argc - i);
            return 0;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            if (set_option(*o, argv[i][0] == '-')) {
                fdprintf(err, "sh: set: -%c: unknown option\n", *o);
                return 2;
            }
        }
    }
    if (i < argc)
        pos_set(argv + i, argc - i);
    return 0;
}

static int parse_count(const char *what, const char *s, int err, long *n)
{
    char *end;
    *n = strtol(s, &end, 10);
    if (!*s || *end || *n < 0) {
        fdprintf(err, "sh: %s: %s: bad number\n", what, s);
        return -1;
    }
    return 0;
}

// shift [n]: drops the first n positional parameters.
static int b_shift(int argc, char **argv, int out, int err)
{
    long n = 1;
    (void)out;
    if (argc > 1 && parse_count("shift", argv[1], err, &n))
        return 2;
    if (n > posc) {
        fdprintf(err, "sh: shift: can't shift that many\n");
        return 2;
    }
    pos_set(posv + n, posc - (int)n);
    return 0;
}

// eval args: runs its arguments, joined by spaces, as shell text.
static int b_eval(int argc, char **argv, int out, int err)
{
    (void)out, (void)err;
    size_t len = 1;
    for (int i = 1; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = calloc(len, 1);
    if (!s)
        abort();
    for (int i = 1; i < argc; i++) {
        strcat(s, argv[i]);
        if (i < argc - 1)
            strcat(s, " ");
    }
    last_status = 0;
    int st = run_string(s, NULL);
    free(s);
    return st;
}

// . file [args]: runs a file in this shell ($PATH is searched for a name
// without a '/').
static int b_dot(int argc, char **argv, int out, int err)
{
    (void)out;
    if (argc < 2) {
        fdprintf(err, "sh: .: a file name is needed\n");
        return 2;
    }
    char *path = find_program(argv[1]);
    char *text = path ? read_file(path) : NULL;
    if (!text) {
        fdprintf(err, "sh: .: %s: %s\n", argv[1], path ? strerror(errno) : "not found");
        free(path);
        return 127;
    }
    char **v = NULL;
    int c = 0;
    if (argc > 2) {
        v = strv_copy(argv + 2, argc - 2);
        c = argc - 2;
        pos_swap(&v, &c);
    }
    last_status = 0;
    func_depth++;
    int st = run_string(text, argv[1]);
    func_depth--;
    if (returning)
        returning = 0, st = last_status;
    if (argc > 2) {
        pos_swap(&v, &c);
        for (int i = 0; i < c; i++)
            free(v[i]);
        free(v);
    }
    free(text);
    free(path);
    return st;
}

// local NAME[=value]...: the variables get their old values back when
// the function returns.
static int b_local(int argc, char **argv, int out, int err)
{
    (void)out;
    if (!func_depth) {
        fdprintf(err, "sh: local: not in a function\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq)
            *eq = 0;
        var_local(argv[i]);
        if (eq) {
            var_set(argv[i], eq + 1);
            *eq = '=';
        }
    }
    return 0;
}

// return [n]: leaves the function (or . file) with status n.
static int b_return(int argc, char **argv, int out, int err)
{
    long n = last_status;
    (void)out;
    if (argc > 1 && parse_count("return", argv[1], err, &n))
        n = 2;
    if (!func_depth) {
        fdprintf(err, "sh: return: not in a function\n");
        return 2;
    }
    returning = 1;
    return (int)(n & 255);
}

// break [n] and continue [n].
static int b_loop_jump(int argc, char **argv, int out, int err)
{
    long n = 1;
    (void)out;
    if (argc > 1 && (parse_count(argv[0], argv[1], err, &n) || n < 1))
        return 2;
    if (!loop_depth)
        return 0;
    if (n > loop_depth)
        n = loop_depth;
    if (argv[0][0] == 'b')
        break_n = (int)n;
    else
        continue_n = (int)n;
    return 0;
}

// type name...: says what a command name is.
static int b_type(int argc, char **argv, int out, int err)
{
    int st = 0;
    for (int i = 1; i < argc; i++) {
        char *path = NULL;
        if (func_find(argv[i]))
            fdprintf(out, "%s is a shell function\n", argv[i]);
        else if (find_builtin(argv[i]))
            fdprintf(out, "%s is a shell builtin\n", argv[i]);
        else if ((path = find_program(argv[i])) && access(path, X_OK) == 0)
            fdprintf(out, "%s is %s\n", argv[i], path);
        else
            fdprintf(err, "%s: not found\n", argv[i]), st = 127;
        free(path);
    }
    return st;
}

static const struct {
    const char *name;
    builtin_fn fn;
    int special;            // a POSIX special builtin: assignments before it stay
    int pure;               // may run in the shell as a pipeline stage
} table[] = {
    { ":", b_true, 1, 1 }, { "true", b_true, 0, 1 }, { "false", b_false, 0, 1 },
    { "echo", b_echo, 0, 1 }, { "printf", b_printf, 0, 1 }, { "test", b_test, 0, 1 },
    { "[", b_test, 0, 1 }, { "set", b_set, 1, 0 }, { "shift", b_shift, 1, 0 },
    { "eval", b_eval, 1, 0 }, { ".", b_dot, 1, 0 }, { "source", b_dot, 1, 0 },
    { "local", b_local, 0, 0 }, { "return", b_return, 1, 0 }, { "break", b_loop_jump, 1, 0 },
    { "continue", b_loop_jump, 1, 0 }, { "read", b_read, 0, 0 }, { "type", b_type, 0, 1 },
    { "trap", b_trap, 1, 0 }, { "exec", b_true, 1, 0 }, { "getopts", b_getopts, 0, 0 },
    { "command", b_command, 0, 0 },           // exec.c runs it (it needs the redirections)
};

static int index_of(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].name, name))
            return (int)i;
    return -1;
}

builtin_fn find_builtin2(const char *name)
{
    int i = index_of(name);
    return i < 0 ? NULL : table[i].fn;
}

int is_special_builtin(const char *name)
{
    int i = index_of(name);
    return (i >= 0 && table[i].special) || !strcmp(name, "export") || !strcmp(name, "exit") ||
           !strcmp(name, "unset");
}

int builtin_is_pure(const char *name)
{
    int i = index_of(name);
    return (i >= 0 && table[i].pure) || !strcmp(name, "pwd") || !strcmp(name, "help") ||
           !strcmp(name, "jobs");
}

void builtins2_each(void (*fn)(const char *name, void *ctx), void *ctx)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        fn(table[i].name, ctx);
}
