// Running simple commands and pipelines: expanding words, redirecting the
// shell's own descriptors (saved and put back afterwards), spawning
// programs (there is no fork: os_spawn gets the child's descriptors 0..2),
// calling functions and builtins, and waiting.
//
// A pipeline stage that is an external program is spawned directly. A
// builtin that only writes (echo, printf, test, ...) runs in the shell
// after the programs have started. Anything else (functions, other
// builtins, compound commands) runs in a subshell (subshell.c).
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "osapi.h"
#include "shell.h"

int last_status;
int subst_status;
pid_t last_bg_pid;
const char *self_path = "/bin/sh";
static int job_control;        // interactive: a process group per job
static pid_t shell_pgid;       // without job control: the shell's group

#define NFD 10
#define UNTOUCHED (-2)

void exec_init(int jc)
{
    job_control = jc;
    if (jc)
        return;
    static struct os_procinfo procs[256];
    int n = os_proc_list(procs, 256);
    for (int i = 0; i < n; i++)
        if (procs[i].pid == getpid())
            shell_pgid = procs[i].pgid;
}

pid_t exec_pgid(void) { return job_control ? 0 : shell_pgid; }

// Moves fd to descriptor to, saving what was there first.
static void install(int fd, int to, int *saved)
{
    if (saved[to] == UNTOUCHED) {
        int d = dup(to);
        saved[to] = d;                   // -1: it was closed
    }
    if (fd != to) {
        dup2(fd, to);
        close(fd);
    }
}

// A pipe holding a here-document's text. A body too big for the pipe is
// written by a helper shell.
static int heredoc_fd(const struct redir *r)
{
    const char *body = r->body ? r->body : "";     // the text ended before the body
    char *text = r->quoted ? strdup(body) : expand_heredoc(body);
    int p[2];
    if (!text || pipe(p) < 0) {
        free(text);
        return -1;
    }
    size_t n = strlen(text);
    if (n < 8000) {
        for (size_t off = 0; off < n;) {
            ssize_t w = write(p[1], text + off, n - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
    } else {
        char *argv[] = { (char *)self_path, "-c", "printf %s \"$1\"", "sh", text, NULL };
        char *envp[] = { NULL };
        const int fds[3] = { 0, p[1], 2 };
        os_spawn(self_path, argv, envp, fds, 0, exec_pgid());
    }
    close(p[1]);
    free(text);
    return p[0];
}

// Opens the file or descriptor of one redirection; -1 after a message.
// *close_it is set for `n>&-`.
static int redir_source(const struct redir *r, int *close_it)
{
    *close_it = 0;
    if (r->kind == R_HEREDOC)
        return heredoc_fd(r);
    char *t = expand_str(r->word);
    int fd = -1;
    if (r->kind == R_DUPIN || r->kind == R_DUPOUT) {
        if (!strcmp(t, "-"))
            *close_it = 1;
        else if (t[0] >= '0' && t[0] <= '9' && !t[1] && (fd = dup(t[0] - '0')) >= 0)
            ;
        else {
            err_prefix();
            fdprintf(2, "%s: bad file descriptor\n", t);
        }
    } else {
        static const int flags[] = {
            [R_IN] = O_RDONLY, [R_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
            [R_CLOBBER] = O_WRONLY | O_CREAT | O_TRUNC, [R_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
            [R_RW] = O_RDWR | O_CREAT,
        };
        if ((fd = open(t, flags[r->kind], 0666)) < 0) {
            err_prefix();
            fdprintf(2, "%s: %s\n", t, strerror(errno));
        }
    }
    free(t);
    return *close_it ? 0 : fd;
}

int redirs_apply(const struct redir *r, int n, int *saved)
{
    for (int i = 0; i < NFD; i++)
        saved[i] = UNTOUCHED;
    for (int i = 0; i < n; i++) {
        int close_it, fd = redir_source(&r[i], &close_it);
        if (fd < 0)
            return -1;
        if (close_it) {
            install(r[i].fd, r[i].fd, saved);
            close(r[i].fd);
        } else {
            install(fd, r[i].fd, saved);
        }
    }
    return 0;
}

void redirs_restore(int *saved)
{
    for (int i = NFD - 1; i >= 0; i--) {
        if (saved[i] == UNTOUCHED)
            continue;
        if (saved[i] >= 0) {
            dup2(saved[i], i);
            close(saved[i]);
        } else {
            close(i);
        }
        saved[i] = UNTOUCHED;
    }
}

// Finds the program to run for a command name: the name itself if it has
// a '/', else the first $PATH directory that holds it. Malloc'd or NULL.
char *find_program(const char *name)
{
    if (strchr(name, '/'))
        return strdup(name);
    const char *path = var_get("PATH");
    if (!path)
        path = "/bin";
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *full = malloc(n + strlen(name) + 3);
        struct stat st;
        if (!full)
            abort();
        sprintf(full, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", name);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
            return full;
        free(full);
        if (!end)
            return NULL;
        p = end;
    }
}

// Spawns a program with the shell's 0..2; returns its pid, or -status.
static pid_t spawn_program(char **argv, char **assign, int nassign, pid_t pgid)
{
    char *path = find_program(argv[0]);
    if (!path) {
        err_prefix();
        fdprintf(2, "%s: command not found\n", argv[0]);
        return -127;
    }
    char **envp = build_envp(assign, nassign);
    const int fds[3] = { 0, 1, 2 };
    pid_t pid = os_spawn(path, argv, envp, fds, 0, pgid);
    int e = errno;
    free_envp(envp);
    free(path);
    if (pid < 0) {
        err_prefix();
        fdprintf(2, "%s: %s\n", argv[0], strerror(e));
        return e == ENOENT ? -127 : -126;
    }
    return pid;
}

// Waits for the processes of a foreground job; returns the last one's
// status (a signal that killed it is reported).
int wait_pids(const pid_t *pids, int n, pid_t pgid)
{
    int ws = 0, status = 0;
    if (job_control && pgid)
        os_set_foreground(pgid);
    for (int i = 0; i < n; i++) {
        if (pids[i] <= 0)
            continue;
        while (waitpid(pids[i], &ws, 0) < 0 && errno == EINTR)
            ;
        if (i == n - 1)
            status = status_code(ws);
    }
    if (job_control && pgid)
        os_set_foreground(0);
    if (n && pids[n - 1] > 0 && WIFSIGNALED(ws) && WTERMSIG(ws) != SIGPIPE)
        fdprintf(2, "%s\n", signal_text(WTERMSIG(ws)));
    if (job_control && n && pids[n - 1] > 0 && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGINT)
        line_aborted = 1;            // ^C at the prompt's job: leave loops, skip the rest
    return status;
}

// Expands the NAME=value words of a command into strings.
static void expand_assignments(struct node *n, struct strv *out)
{
    for (int i = 0; i < n->nassign; i++) {
        size_t k = assignment_name_len(n->words[i]);
        char *v = expand_str(n->words[i] + k + 1);
        char *s = malloc(k + strlen(v) + 2);
        if (!s)
            abort();
        sprintf(s, "%.*s=%s", (int)k, n->words[i], v);
        free(v);
        strv_push(out, s);
    }
}

// Sets NAME=value; if saved is given, the old value (NULL: unset) is
// pushed there after the name, for restore_assignments.
static void set_assignment(const char *a, struct strv *saved)
{
    const char *eq = strchr(a, '=');
    char *name = strndup(a, (size_t)(eq - a));
    if (saved) {
        const char *old = var_get(name);
        strv_push(saved, name);
        strv_push(saved, old ? strdup(old) : NULL);
        saved->n -= !old;            // keep NULL as a value
        if (!old)
            saved->v[saved->n++] = NULL;
    }
    if (var_set(name, eq + 1) < 0) {
        err_prefix();
        fdprintf(2, "%s: read-only or bad name\n", name);
    }
    if (!saved)
        free(name);
}

// Puts back what set_assignment saved, last first.
static void restore_assignments(struct strv *saved)
{
    for (int i = saved->n - 2; i >= 0; i -= 2) {
        if (saved->v[i + 1])
            var_set(saved->v[i], saved->v[i + 1]);
        else
            var_unset(saved->v[i]);
    }
    strv_free(saved);
}

// set -x: the expanded command on stderr, after "+".
static void trace(char **argv, int argc, struct strv *assign)
{
    if (!opt_x)
        return;
    fdprintf(2, "+");
    for (int i = 0; i < assign->n; i++)
        fdprintf(2, " %s", assign->v[i]);
    for (int i = 0; i < argc; i++)
        fdprintf(2, " %s", argv[i]);
    fdprintf(2, "\n");
}

// Calls a shell function with argv as its positional parameters.
static int call_function(struct node *body, char **argv, int argc)
{
    char **v = strv_copy(argv + 1, argc - 1);
    int c = argc - 1;
    pos_swap(&v, &c);            // v, c: the caller's set
    func_depth++;
    vars_push_frame();
    int status = run_node(body);
    if (returning) {
        returning = 0;
        status = last_status;
    }
    vars_pop_frame();
    func_depth--;
    pos_swap(&v, &c);
    for (int i = 0; i < c; i++)
        free(v[i]);
    free(v);
    return status;
}

// Runs an expanded command in the shell or as a program: argv/argc with
// the assignments; redirections are already in place.
static int run_expanded(struct node *n, struct strv *args, struct strv *assign)
{
    char **argv = args->v;
    int skip_funcs = 0;
    if (!strcmp(argv[0], "command") && args->n > 1 && strcmp(argv[1], "-v")) {
        argv++;                      // command name args: no function lookup
        skip_funcs = 1;
    }
    struct node *fn = skip_funcs ? NULL : func_find(argv[0]);
    builtin_fn bi = fn ? NULL : find_builtin(argv[0]);
    if (fn || bi) {
        struct strv saved = { 0 };
        int keep = bi && is_special_builtin(argv[0]);
        for (int i = 0; i < assign->n; i++)
            set_assignment(assign->v[i], keep ? NULL : &saved);
        int st = fn ? call_function(fn, argv, args->n) : bi(args->n - skip_funcs, argv, 1, 2);
        if (!keep)
            restore_assignments(&saved);
        return st;
    }
    (void)n;
    pid_t pgid = exec_pgid();
    pid_t pid = spawn_program(argv, assign->v, assign->n, pgid);
    if (pid < 0)
        return -pid;
    return wait_pids(&pid, 1, pgid ? pgid : pid);
}

// exec: without a command its redirections stay for the rest of the
// shell; with one, the shell runs it and ends with its status (there is
// no exec system call to replace the shell).
static int run_exec(struct strv *args, struct strv *assign, int *saved)
{
    if (args->n == 1) {
        for (int i = 0; i < NFD; i++) {
            if (saved[i] >= 0)
                close(saved[i]);
            saved[i] = UNTOUCHED;
        }
        return 0;
    }
    pid_t pgid = exec_pgid();
    pid_t pid = spawn_program(args->v + 1, assign->v, assign->n, pgid);
    int st = pid < 0 ? -pid : wait_pids(&pid, 1, pgid ? pgid : pid);
    fflush(stdout);
    sh_exit(st);
}

int run_simple(struct node *n)
{
    struct strv args = { 0 }, assign = { 0 };
    int saved[NFD], st;
    subst_status = 0;                    // $(...) in the words sets it
    if (expand_fields(n->words + n->nassign, n->nwords - n->nassign, &args)) {
        strv_free(&args);
        if (!interactive)            // as POSIX has it: an expansion error ends a script
            sh_exit(2);
        line_aborted = 1;            // and the rest of the command line at the prompt
        return 2;
    }
    expand_assignments(n, &assign);
    trace(args.v, args.n, &assign);
    if (redirs_apply(n->redirs, n->nredirs, saved)) {
        st = 1;
    } else if (args.n == 0) {
        for (int i = 0; i < assign.n; i++)
            set_assignment(assign.v[i], NULL);
        st = subst_status;
    } else if (!strcmp(args.v[0], "exec")) {
        st = run_exec(&args, &assign, saved);
    } else {
        st = run_expanded(n, &args, &assign);
    }
    redirs_restore(saved);
    strv_free(&args);
    strv_free(&assign);
    return st;
}

// Flattens a tree of N_PIPE nodes into its stages, left to right.
static void flatten(struct node *n, struct node **st, int *k, int max)
{
    if (n->type == N_PIPE) {
        flatten(n->a, st, k, max);
        flatten(n->b, st, k, max);
    } else if (*k < max) {
        st[(*k)++] = n;
    }
}

// How a pipeline stage runs: 0 a program, 1 a builtin in the shell,
// 2 a subshell.
static int stage_kind(struct node *n)
{
    if (n->type != N_CMD || n->nwords == n->nassign)
        return n->type == N_CMD ? 1 : 2;
    const char *w = n->words[n->nassign];
    if (strpbrk(w, "$`'\"\\*?["))
        return 0;
    if (func_find(w))
        return 2;
    if (find_builtin(w))
        return builtin_is_pure(w) ? 1 : 2;
    return 0;
}

// Starts one stage with in/out as its 0/1; a pure builtin is left for
// later (*deferred). Returns the pid, or -status.
static pid_t start_stage(struct node *n, int in, int out, pid_t pgid, int *deferred)
{
    int kind = stage_kind(n), saved[NFD];
    pid_t pid = -1;
    *deferred = 0;
    if (kind == 1) {
        *deferred = 1;
        return 0;
    }
    for (int i = 0; i < NFD; i++)
        saved[i] = UNTOUCHED;
    install(dup(in), 0, saved);
    install(dup(out), 1, saved);
    if (kind == 2) {
        const int fds[3] = { 0, 1, 2 };
        pid = subshell_spawn(n->text, fds, pgid);
        pid = pid < 0 ? -126 : pid;
    } else {
        struct strv args = { 0 }, assign = { 0 };
        int rs[NFD];
        if (expand_fields(n->words + n->nassign, n->nwords - n->nassign, &args) == 0 &&
            redirs_apply(n->redirs, n->nredirs, rs) == 0 && args.n) {
            expand_assignments(n, &assign);
            trace(args.v, args.n, &assign);
            pid = spawn_program(args.v, assign.v, assign.n, pgid);
        } else {
            pid = -1;
        }
        redirs_restore(rs);
        strv_free(&args);
        strv_free(&assign);
    }
    redirs_restore(saved);
    return pid;
}

// Runs a deferred builtin stage with in/out as its 0/1.
static int run_deferred(struct node *n, int in, int out)
{
    int saved[NFD];
    for (int i = 0; i < NFD; i++)
        saved[i] = UNTOUCHED;
    install(dup(in), 0, saved);
    install(dup(out), 1, saved);
    int st = run_simple(n);
    redirs_restore(saved);
    return st;
}

#define MAX_STAGES 64

// Runs a pipeline: programs spawned with pipes between them, pure
// builtins run in the shell afterwards, the rest in subshells. In the
// background (bg) the processes become a job and the status is 0.
int run_pipeline_bg(struct node *p, int bg)
{
    struct node *st[MAX_STAGES];
    pid_t pids[MAX_STAGES];
    int ins[MAX_STAGES], outs[MAX_STAGES], deferred[MAX_STAGES], n = 0, in = 0;
    flatten(p, st, &n, MAX_STAGES);
    pid_t pgid = exec_pgid();
    for (int i = 0; i < n; i++) {
        int pf[2] = { -1, 1 };
        if (i < n - 1 && pipe(pf) < 0) {
            err_prefix();
            fdprintf(2, "pipe: %s\n", strerror(errno));
            pf[0] = pf[1] = -1;
        }
        ins[i] = in;
        outs[i] = pf[1];
        pids[i] = start_stage(st[i], in, pf[1], pgid, &deferred[i]);
        if (pids[i] > 0 && !pgid && job_control)
            pgid = pids[i];
        if (!deferred[i]) {
            if (in != 0)
                close(in);
            if (pf[1] != 1)
                close(pf[1]);
        }
        in = pf[0];
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        if (!deferred[i])
            continue;
        status = run_deferred(st[i], ins[i], outs[i]);
        pids[i] = -status;
        if (ins[i] != 0)
            close(ins[i]);
        if (outs[i] != 1)
            close(outs[i]);
    }
    if (bg) {
        pid_t live[MAX_STAGES];
        int k = 0;
        for (int i = 0; i < n; i++)
            if (pids[i] > 0)
                live[k++] = pids[i];
        if (k) {
            int id = job_add(live, k, p->text ? p->text : "");
            last_bg_pid = live[k - 1];
            if (id < 0)
                fdprintf(2, "sh: too many jobs\n");
            else if (interactive)
                fdprintf(2, "[%d] %d\n", id, (int)last_bg_pid);
        }
        return 0;
    }
    status = wait_pids(pids, n, pgid);
    return pids[n - 1] > 0 ? status : -pids[n - 1];
}

int run_pipeline(struct node *p) { return run_pipeline_bg(p, 0); }
