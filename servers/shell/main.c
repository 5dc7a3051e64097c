// sh: the command shell. Reads commands from its input (the console),
// runs them, and exits with the last status at the end of the input.
//
//   sh [-eux]                 read commands from standard input ("$ " prompt on a terminal)
//   sh [-eux] -c 'cmds' [name [args...]]   run a string
//   sh [-eux] file [args...]  run a script
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

extern char **environ;
int interactive;
pid_t shell_pid;

// The shell's own program, for subshells: argv[0] made absolute, or
// found in $PATH.
static void find_self(const char *argv0)
{
    static char path[PATH_MAX];
    if (argv0[0] == '/') {
        self_path = argv0;
    } else if (strchr(argv0, '/')) {
        if (getcwd(path, sizeof path) && strlen(path) + strlen(argv0) + 2 <= sizeof path) {
            strcat(path, "/");
            strcat(path, argv0);
            self_path = path;
        }
    } else {
        char *found = find_program(argv0);       // as $PATH finds it
        if (found && strlen(found) < sizeof path && access(found, X_OK) == 0) {
            strcpy(path, found);
            self_path = path;
        }
        free(found);
    }
}

static char *exit_trap;

// trap [action condition...]: only the EXIT (0) condition: its action
// runs when the shell ends. `trap - EXIT` removes it; `trap` lists it.
int b_trap(int argc, char **argv, int out, int err)
{
    if (argc == 1) {
        if (exit_trap)
            fdprintf(out, "trap -- '%s' EXIT\n", exit_trap);
        return 0;
    }
    int st = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "EXIT") && strcmp(argv[i], "0")) {
            fdprintf(err, "sh: trap: %s: only EXIT can be trapped here\n", argv[i]);
            st = 1;
            continue;
        }
        free(exit_trap);
        exit_trap = strcmp(argv[1], "-") ? strdup(argv[1]) : NULL;
    }
    if (argc == 2)
        fdprintf(err, "sh: trap: a condition is needed after the action\n"), st = 2;
    return st;
}

_Noreturn void sh_exit(int status)
{
    char *t = exit_trap;
    if (t) {
        exit_trap = NULL;
        last_status = status;
        run_string(t, NULL);
        free(t);
    }
    fflush(stdout);
    exit(status);
}

// Sets or clears one option letter (-e, -u, -x, -f); -1 if unknown.
int set_option(char c, int on)
{
    switch (c) {
    case 'e': opt_e = on; return 0;
    case 'u': opt_u = on; return 0;
    case 'x': opt_x = on; return 0;
    case 'f': opt_f = on; return 0;
    }
    return -1;
}

int main(int argc, char **argv)
{
    int i = 1, cmd = 0;
    vars_init(environ);
    shell_pid = getpid();
    arg0 = strdup(argc > 0 ? argv[0] : "sh");
    if (argc > 0)
        find_self(argv[0]);           // after vars_init: it needs $PATH
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'c')
                cmd = 1;
            else if (*o != 's' && *o != 'i' && set_option(*o, 1)) {
                fdprintf(2, "sh: -%c: unknown option\n", *o);
                return 2;
            }
        }
    }
    if (cmd && i >= argc) {
        fdprintf(2, "sh: -c: option requires an argument\n");
        return 2;
    }
    interactive = !cmd && i >= argc && isatty(0);   // sh < file is a script
    exec_init(interactive);
    subshell_load();
    if (cmd) {
        const char *text = argv[i++];
        if (i < argc) {
            free(arg0);
            arg0 = strdup(argv[i++]);
        }
        if (i < argc || !getenv("SH_STATE"))
            pos_set(argv + i, argc - i);
        run_string(text, NULL);
    } else if (i < argc) {
        char *text = read_file(argv[i]);
        if (!text) {
            fdprintf(2, "sh: %s: %s\n", argv[i], strerror(errno));
            return 127;
        }
        free(arg0);
        arg0 = strdup(argv[i]);
        pos_set(argv + i + 1, argc - i - 1);
        run_string(text, argv[i]);
        free(text);
    } else {
        run_fd(0, isatty(0));
    }
    sh_exit(last_status);
}
