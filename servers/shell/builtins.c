// The builtin commands. They run inside the shell and write to the
// descriptors they are given (out, err), which may be pipes or files.
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shell.h"

static int b_help(int argc, char **argv, int out, int err);

// Parses a decimal integer; returns -1 if s is not one.
static int parse_int(const char *s, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return *s && !*end && !errno ? 0 : -1;
}

// cd [dir]: to $HOME (or /) without dir; `cd -` goes back to $OLDPWD.
static int b_cd(int argc, char **argv, int out, int err)
{
    const char *dir = argc > 1 ? argv[1] : var_get("HOME");
    char old[PATH_MAX];
    if (!dir || !*dir)
        dir = "/";
    if (!strcmp(dir, "-")) {
        if (!(dir = var_get("OLDPWD"))) {
            fdprintf(err, "sh: cd: OLDPWD not set\n");
            return 1;
        }
        fdprintf(out, "%s\n", dir);
    }
    if (!getcwd(old, sizeof old))
        old[0] = 0;
    if (chdir(dir) < 0) {
        fdprintf(err, "sh: cd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char now[PATH_MAX];
    if (old[0])
        var_set("OLDPWD", old);
    if (getcwd(now, sizeof now))
        var_set("PWD", now);
    return 0;
}

static int b_pwd(int argc, char **argv, int out, int err)
{
    char dir[PATH_MAX];
    (void)argc, (void)argv;
    if (!getcwd(dir, sizeof dir)) {
        fdprintf(err, "sh: pwd: %s\n", strerror(errno));
        return 1;
    }
    fdprintf(out, "%s\n", dir);
    return 0;
}

// exit [n]: ends the shell with n, or with the last command's status.
static int b_exit(int argc, char **argv, int out, int err)
{
    long n = last_status;
    (void)out;
    if (argc > 1 && parse_int(argv[1], &n)) {
        fdprintf(err, "sh: exit: %s: numeric argument required\n", argv[1]);
        n = 2;
    }
    fflush(stdout);
    sh_exit((int)(n & 255));
}

// wait [pid...]: waits for the given background processes (status: the
// last one's), or for all background jobs (status 0).
static int b_wait(int argc, char **argv, int out, int err)
{
    int status = 0;
    (void)out;
    if (argc == 1)
        return jobs_wait_all();
    for (int i = 1; i < argc; i++) {
        long pid;
        int ws;
        if (parse_int(argv[i], &pid) || pid <= 0) {
            fdprintf(err, "sh: wait: %s: not a pid\n", argv[i]);
            status = 2;
        } else if (jobs_wait_pid((pid_t)pid, &ws)) {
            fdprintf(err, "sh: wait: pid %ld is not a child of this shell\n", pid);
            status = 127;
        } else {
            status = status_code(ws);
        }
    }
    return status;
}

static int b_jobs(int argc, char **argv, int out, int err)
{
    (void)argc, (void)argv, (void)err;
    jobs_list(out);
    return 0;
}

// export [NAME[=value]...]: marks variables for the environment of the
// programs the shell starts; without arguments lists them.
static int b_export(int argc, char **argv, int out, int err)
{
    int status = 0;
    if (argc == 1)
        vars_print_exported(out);
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!valid_name(argv[i], n)) {
            fdprintf(err, "sh: export: '%s': not a valid name\n", argv[i]);
            status = 1;
            continue;
        }
        if (eq) {
            *eq = 0;
            var_set(argv[i], eq + 1);
        }
        var_export(argv[i]);
        if (eq)
            *eq = '=';
    }
    return status;
}

// unset NAME...: removes variables (and so takes them out of the
// environment of programs).
static int b_unset(int argc, char **argv, int out, int err)
{
    int i = 1, funcs = 0;
    (void)out, (void)err;
    for (; i < argc && argv[i][0] == '-'; i++)
        funcs |= !strcmp(argv[i], "-f");
    for (; i < argc; i++)
        if (funcs)
            func_unset(argv[i]);
        else
            var_unset(argv[i]);
    return 0;
}

static const struct builtin {
    const char *name;
    builtin_fn fn;
    const char *usage;
} builtins[] = {
    { "cd", b_cd, "cd [dir]         change directory (default $HOME; - for $OLDPWD)" },
    { "pwd", b_pwd, "pwd              print the working directory" },
    { "exit", b_exit, "exit [n]         leave the shell with status n (default $?)" },
    { "export", b_export, "export [NAME[=value]]...  put variables in programs' environment" },
    { "unset", b_unset, "unset NAME...    remove variables" },
    { "jobs", b_jobs, "jobs             list background jobs" },
    { "wait", b_wait, "wait [pid...]    wait for background jobs (all by default)" },
    { "help", b_help, "help             this text" },
    { "echo", NULL, "echo [-n] args   printf fmt args   test expr / [ expr ]   read [-r] names" },
    { "set", NULL, "set [-eux] [-- args]   shift [n]   eval args   . file   local   type" },
    { "return", NULL, "return [n]   break [n]   continue [n]   true   false   :" },
    { "getopts", NULL, "getopts spec name [args]   command [-v] name   parse options; run or find" },
    { "trap", NULL, "trap 'cmds' EXIT  run cmds when the shell ends" },
    { "exec", NULL, "exec [cmd]       run cmd and end the shell; without cmd: keep the redirections" },
};

static int b_help(int argc, char **argv, int out, int err)
{
    (void)argc, (void)argv, (void)err;
    fdprintf(out, "Builtins:\n");
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        fdprintf(out, "  %s\n", builtins[i].usage);
    fdprintf(out,
             "Syntax:\n"
             "  cmd args...      run cmd from $PATH (default /bin), or a path with '/'\n"
             "  a | b | c        pipeline          a && b, a || b   and, or\n"
             "  a ; b            sequence          a &              in the background\n"
             "  < f, > f, >> f   redirections (also 2> f, 2>&1)\n"
             "  'lit' \"$VAR\" \\c  quoting           NAME=value       set a variable\n"
             "  $NAME ${NAME} $? $$ $!  expansions  # comment\n"
             "  if/then/elif/else/fi, while/until/do/done, for x in ..., case ... esac,\n"
             "  f() { ...; }, ( ... ), $(cmd), $((1+2)), *.c, <<EOF here-documents\n");
    return 0;
}

builtin_fn find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (!strcmp(builtins[i].name, name) && builtins[i].fn)
            return builtins[i].fn;
    return find_builtin2(name);
}

void builtins_each(void (*fn)(const char *name, void *ctx), void *ctx)
{
    extern void builtins2_each(void (*fn)(const char *name, void *ctx), void *ctx);
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (builtins[i].fn)
            fn(builtins[i].name, ctx);
    builtins2_each(fn, ctx);
}
