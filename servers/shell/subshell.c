// Subshells without fork. ( ... ), $(...), and functions, builtins or
// compound commands in a pipeline or in the background run in a new
// process of this same program (self_path), started as `sh -c TEXT`.
// The parent's state travels in the environment variable SH_STATE:
//
//   line 1   the parent's $? and $$ (a subshell's $$ is its parent's)
//   line 2   the parent's $0
//   the rest shell source that rebuilds the state when run:
//            set -- 'arg1' 'arg2' ...      the positional parameters
//            NAME='value' / export NAME    every variable, exported or not
//            name() { ...; }              every function, as written
//            set -e / -u / -x / -f         the options
//            cd -- '/dir'                  (the cwd is also passed by os_spawn)
//
// The child reads it first (subshell_load), unsets SH_STATE, and then
// runs TEXT. Values are single-quoted, so nothing in them is expanded.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "osapi.h"
#include "shell.h"

struct sbuf {
    char *s;
    size_t len, cap;
};

static void sput(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        if (!(b->s = realloc(b->s, b->cap)))
            abort();
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

// Appends s in single quotes ('\'' for a quote inside).
static void squote(struct sbuf *b, const char *s)
{
    sput(b, "'");
    for (const char *q; (q = strchr(s, '\'')); s = q + 1) {
        char part[q - s + 1];
        memcpy(part, s, (size_t)(q - s));
        part[q - s] = 0;
        sput(b, part);
        sput(b, "'\\''");
    }
    sput(b, s);
    sput(b, "'");
}

static void put_var(const char *name, const char *value, int exported, void *ctx)
{
    struct sbuf *b = ctx;
    if (!strcmp(name, "SH_STATE"))
        return;
    if (value) {
        sput(b, name);
        sput(b, "=");
        squote(b, value);
        sput(b, "\n");
    }
    if (exported) {
        sput(b, "export ");
        sput(b, name);
        sput(b, "\n");
    }
}

static void put_func(const char *name, const char *text, void *ctx)
{
    struct sbuf *b = ctx;
    sput(b, name);
    sput(b, "() ");
    sput(b, text);
    sput(b, "\n");
}

// The state as described above; malloc'd.
static char *state_text(void)
{
    struct sbuf b = { 0 };
    char num[24];
    snprintf(num, sizeof num, "%d %d\n", last_status, (int)shell_pid);
    sput(&b, num);
    sput(&b, arg0 ? arg0 : "sh");
    sput(&b, "\nset --");
    for (int i = 0; i < posc; i++) {
        sput(&b, " ");
        squote(&b, posv[i]);
    }
    sput(&b, "\n");
    vars_each(put_var, &b);
    funcs_each(put_func, &b);
    if (opt_e || opt_u || opt_x || opt_f) {
        snprintf(num, sizeof num, "set -%s%s%s%s\n", opt_e ? "e" : "", opt_u ? "u" : "",
                 opt_x ? "x" : "", opt_f ? "f" : "");
        sput(&b, num);
    }
    return b.s;
}

pid_t subshell_spawn(const char *text, const int fds[3], pid_t pgid)
{
    char *state = state_text();
    char *extra = malloc(strlen(state) + 10);
    if (!extra)
        abort();
    sprintf(extra, "SH_STATE=%s", state);
    free(state);
    char **envp = build_envp(&extra, 1);
    char *argv[] = { (char *)self_path, "-c", (char *)text, NULL };
    pid_t pid = os_spawn(self_path, argv, envp, fds, 0, pgid);
    int e = errno;
    free_envp(envp);
    free(extra);
    if (pid < 0) {
        err_prefix();
        fdprintf(2, "cannot start a subshell: %s\n", strerror(e));
        return -1;
    }
    return pid;
}

int subshell_run(const char *text)
{
    const int fds[3] = { 0, 1, 2 };
    pid_t pgid = exec_pgid();
    pid_t pid = subshell_spawn(text, fds, pgid);
    if (pid < 0)
        return 126;
    return wait_pids(&pid, 1, pgid ? pgid : pid);
}

char *command_output(const char *text)
{
    int p[2];
    struct sbuf b = { 0 };
    sput(&b, "");
    if (pipe(p) < 0) {
        err_prefix();
        fdprintf(2, "pipe: %s\n", strerror(errno));
        return b.s;
    }
    const int fds[3] = { 0, p[1], 2 };
    pid_t pid = subshell_spawn(text, fds, exec_pgid());
    close(p[1]);
    char chunk[1024];
    ssize_t n;
    while ((n = read(p[0], chunk, sizeof chunk - 1)) > 0 || (n < 0 && errno == EINTR)) {
        if (n < 0)
            continue;
        chunk[n] = 0;
        sput(&b, chunk);       // a NUL byte in the output ends that chunk
    }
    close(p[0]);
    int ws = 0;
    if (pid > 0) {
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        subst_status = status_code(ws);
    } else {
        subst_status = 126;
    }
    while (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = 0;
    return b.s;
}

void subshell_load(void)
{
    const char *st = var_get("SH_STATE");
    if (!st)
        return;
    char *copy = strdup(st);
    var_unset("SH_STATE");
    char *nl1 = strchr(copy, '\n'), *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL;
    if (nl2) {
        *nl1 = *nl2 = 0;
        free(arg0);
        arg0 = strdup(nl1 + 1);
        run_string(nl2 + 1, NULL);
        char *sp = strchr(copy, ' ');
        last_status = atoi(copy);
        if (sp && atoi(sp + 1) > 0)
            shell_pid = atoi(sp + 1);
    }
    free(copy);
}
