// getopts optstring name [args...] and command [-v] name: the builtins
// scripts use to read their options and to ask what a command is.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

static int opt_pos;          // the next character within the current argument
static int opt_last_ind;     // OPTIND as getopts last left it

static void set_ind(int ind)
{
    char num[24];
    snprintf(num, sizeof num, "%d", ind);
    var_set("OPTIND", num);
    opt_last_ind = ind;
}

static void set_char(const char *name, char c)
{
    char s[2] = { c, 0 };
    var_set(name, s);
}

// The end of the options: name becomes "?", status 1.
static int opts_done(const char *name, int ind)
{
    set_char(name, '?');
    set_ind(ind);
    opt_pos = 0;
    return 1;
}

// An option that needs an argument and has none; or one not in spec.
static int opt_error(const char *spec, const char *name, char c, int missing, int err)
{
    if (spec[0] == ':') {
        set_char(name, missing ? ':' : '?');
        set_char("OPTARG", c);
    } else {
        set_char(name, '?');
        var_unset("OPTARG");
        if (missing)
            fdprintf(err, "sh: option requires an argument -- %c\n", c);
        else
            fdprintf(err, "sh: illegal option -- %c\n", c);
    }
    return 0;
}

// Reads the next option of args (the positional parameters if none are
// given), as dash does: while inside a group like -abc, OPTIND already
// names the next argument.
int b_getopts(int argc, char **argv, int out, int err)
{
    (void)out;
    if (argc < 3) {
        fdprintf(err, "sh: getopts: usage: getopts optstring name [arg...]\n");
        return 2;
    }
    const char *spec = argv[1], *name = argv[2];
    char **args = argc > 3 ? argv + 3 : posv;
    int nargs = argc > 3 ? argc - 3 : posc;
    const char *oi = var_get("OPTIND");
    int ind = oi ? atoi(oi) : 1;
    if (ind < 1)
        ind = 1;
    if (ind != opt_last_ind)
        opt_pos = 0;                       // OPTIND was reset: start afresh
    int cur = opt_pos ? ind - 1 : ind;     // the argument being read (from 1)
    if (cur > nargs)
        return opts_done(name, cur);
    const char *arg = args[cur - 1];
    if (opt_pos == 0) {
        if (arg[0] != '-' || !arg[1])
            return opts_done(name, cur);
        if (!strcmp(arg, "--"))
            return opts_done(name, cur + 1);
        opt_pos = 1;
    }
    char c = arg[opt_pos++];
    const char *p = c != ':' ? strchr(spec, c) : NULL;
    int next = cur + 1, r = 0;
    if (p && p[1] == ':') {
        if (arg[opt_pos]) {
            var_set("OPTARG", arg + opt_pos);
            set_char(name, c);
        } else if (cur < nargs) {
            var_set("OPTARG", args[cur]);
            set_char(name, c);
            next = cur + 2;
        } else {
            r = opt_error(spec, name, c, 1, err);
        }
        opt_pos = 0;
    } else {
        if (p) {
            set_char(name, c);
            var_set("OPTARG", "");
        } else {
            r = opt_error(spec, name, c, 0, err);
        }
        if (!arg[opt_pos])
            opt_pos = 0;
    }
    set_ind(next);
    return r;
}

// command -v name...: how each name would be run (a path, or the name of
// a builtin or function); status 127 if one is not found. Plain
// `command name args` is run by exec.c (it skips functions).
int b_command(int argc, char **argv, int out, int err)
{
    (void)err;
    if (argc < 3 || strcmp(argv[1], "-v"))
        return 0;
    int st = 0;
    for (int i = 2; i < argc; i++) {
        char *path = NULL;
        if (func_find(argv[i]) || find_builtin(argv[i]))
            fdprintf(out, "%s\n", argv[i]);
        else if ((path = find_program(argv[i])) && access(path, X_OK) == 0)
            fdprintf(out, "%s\n", path);
        else
            st = 127;
        free(path);
    }
    return st;
}
