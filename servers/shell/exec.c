// Running parsed lines: expanding words, opening redirections, spawning
// the stages of pipelines (there is no fork: os_spawn gets the child's
// descriptors 0..2), waiting for them, and the && / || / ; / & logic.
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
pid_t last_bg_pid;
const char *self_path = "/bin/sh";
static int job_control;        // interactive: a process group per job
static pid_t shell_pgid;       // without job control: the shell's group

// One command of a pipeline, expanded and with its descriptors.
struct stage {
    char **argv;            // expanded words, NULL-terminated
    int argc;
    char **assign;          // expanded NAME=value prefixes
    int nassign;
    int fds[3];             // its 0, 1, 2 (the shell's descriptors)
    int opened[8];          // descriptors opened for redirections
    int nopened;
    int pipe_in, pipe_out;  // the shell's pipe ends it uses, or -1
    int deferred;           // a builtin, to run after the programs start
    pid_t pid;              // 0 when not spawned
    int status;             // when not spawned: the builtin's or error's
    int wstatus;            // when spawned: its wait status
};

// Sets up the process groups: with job control (an interactive shell)
// each pipeline gets a group of its own and becomes the console's
// foreground while it runs; without (sh -c, scripts, background and-or
// lists) the programs join the shell's own group, found in the process
// list, and the foreground is left alone.
void exec_init(int interactive)
{
    job_control = interactive;
    if (interactive)
        return;
    static struct os_procinfo procs[256];
    int n = os_proc_list(procs, 256);
    for (int i = 0; i < n; i++)
        if (procs[i].pid == getpid())
            shell_pgid = procs[i].pgid;
}

static char *expand(const char *raw, int *quoted)
{
    int q;
    return expand_word(raw, var_lookup, NULL, quoted ? quoted : &q);
}

// Expands the words of a command into s->assign and s->argv.
static void expand_words(const struct command *c, struct stage *s)
{
    s->argv = calloc((size_t)c->nwords + 1, sizeof(char *));
    s->assign = calloc((size_t)c->nassign + 1, sizeof(char *));
    if (!s->argv || !s->assign)
        abort();
    for (int i = 0; i < c->nwords; i++) {
        int quoted;
        char *w = expand(c->words[i], &quoted);
        if (i < c->nassign)
            s->assign[s->nassign++] = w;
        else if (!w[0] && !quoted)
            free(w);                 // an unquoted expansion to nothing vanishes
        else
            s->argv[s->argc++] = w;
    }
}

// Opens one redirection into s->fds; returns -1 (after a message) if it
// cannot be done.
static int open_redir(const struct redir *r, struct stage *s)
{
    char *target = expand(r->word, NULL);
    int fd = -1;
    if (r->fd > 2 || (r->kind != R_DUP && s->nopened == (int)(sizeof s->opened / sizeof s->opened[0]))) {
        fdprintf(2, "sh: %s: redirection not supported\n", target);
    } else if (r->kind == R_DUP) {
        if (target[0] >= '0' && target[0] <= '2' && !target[1])
            fd = s->fds[r->fd] = s->fds[target[0] - '0'];
        else
            fdprintf(2, "sh: %s: bad file descriptor\n", target);
    } else {
        int flags = r->kind == R_IN ? O_RDONLY
                  : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY | O_CREAT | O_APPEND;
        if ((fd = open(target, flags, 0666)) < 0)
            fdprintf(2, "sh: %s: %s\n", target, strerror(errno));
        else
            s->fds[r->fd] = s->opened[s->nopened++] = fd;
    }
    free(target);
    return fd < 0 ? -1 : 0;
}

// Expands a command and opens its redirections, with in and out as its
// default 0 and 1. Returns -1 if a redirection failed.
static int prepare_stage(const struct command *c, int in, int out, struct stage *s)
{
    s->fds[0] = in;
    s->fds[1] = out;
    s->fds[2] = 2;
    expand_words(c, s);
    for (int i = 0; i < c->nredirs; i++)
        if (open_redir(&c->redirs[i], s))
            return -1;
    return 0;
}

// Finds the program to run for a command name: the name itself if it has
// a '/', else the first $PATH directory that holds it. Returns a malloc'd
// path, or NULL.
static char *find_program(const char *name)
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

// Spawns an external command into the pipeline's process group (a new one
// if *pgid is 0). On failure reports it and sets s->status.
static void spawn_stage(struct stage *s, pid_t *pgid)
{
    char *path = find_program(s->argv[0]);
    if (!path) {
        fdprintf(2, "sh: %s: command not found\n", s->argv[0]);
        s->status = 127;
        return;
    }
    char **envp = build_envp(s->assign, s->nassign);
    pid_t pid = os_spawn(path, s->argv, envp, s->fds, 0, *pgid);
    if (pid < 0) {
        int e = errno;
        fdprintf(2, "sh: %s: %s\n", s->argv[0], strerror(e));
        s->status = e == ENOENT ? 127 : 126;
    } else {
        s->pid = pid;
        if (!*pgid)
            *pgid = pid;
    }
    free_envp(envp);
    free(path);
}

// Sets the NAME=value assignments of a stage as shell variables; if saved
// is not NULL, the old values (NULL: unset) go there.
static void set_assignments(struct stage *s, char **saved)
{
    for (int i = 0; i < s->nassign; i++) {
        char *eq = strchr(s->assign[i], '=');
        *eq = 0;
        if (saved) {
            const char *old = var_get(s->assign[i]);
            saved[i] = old ? strdup(old) : NULL;
        }
        var_set(s->assign[i], eq + 1);
        *eq = '=';
    }
}

// Puts back the variables set_assignments changed, last first.
static void restore_assignments(struct stage *s, char **saved)
{
    for (int i = s->nassign - 1; i >= 0; i--) {
        char *eq = strchr(s->assign[i], '=');
        *eq = 0;
        if (saved[i])
            var_set(s->assign[i], saved[i]);
        else
            var_unset(s->assign[i]);
        *eq = '=';
        free(saved[i]);
    }
}

// Runs a builtin or an assignment-only command in the shell itself.
// Assignments alone set shell variables; before a builtin they hold only
// while it runs (`HOME=/x cd`).
static void run_in_shell(struct stage *s)
{
    if (!s->argc) {
        set_assignments(s, NULL);
        s->status = 0;
        return;
    }
    char **saved = calloc((size_t)s->nassign + 1, sizeof(char *));
    if (!saved)
        abort();
    set_assignments(s, saved);
    s->status = find_builtin(s->argv[0])(s->argc, s->argv, s->fds[1], s->fds[2]);
    restore_assignments(s, saved);
    free(saved);
}

static int runs_in_shell(const struct stage *s)
{
    return s->argc == 0 || find_builtin(s->argv[0]);
}

// Closes the descriptors the shell holds for a stage.
static void finish_stage(struct stage *s)
{
    for (int i = 0; i < s->nopened; i++)
        close(s->opened[i]);
    if (s->pipe_in >= 0)
        close(s->pipe_in);
    if (s->pipe_out >= 0)
        close(s->pipe_out);
    s->nopened = 0;
    s->pipe_in = s->pipe_out = -1;
}

static void free_stage(struct stage *s)
{
    for (int i = 0; i < s->argc; i++)
        free(s->argv[i]);
    for (int i = 0; i < s->nassign; i++)
        free(s->assign[i]);
    free(s->argv);
    free(s->assign);
}

// Sets up and spawns stage i of a pipeline, reading from *in; makes the
// pipe to the next stage and leaves its read end in *in. Builtins are left
// for later (their pipe ends stay open): they run after all programs have
// been started, so that a full pipe cannot block the shell.
static void start_stage(const struct pipeline *p, int i, struct stage *st, int *in, pid_t *pgid)
{
    struct stage *s = &st[i];
    int pfd[2] = { -1, 1 };
    s->pipe_in = i ? *in : -1;
    s->pipe_out = -1;
    *in = -1;
    if (i < p->ncmds - 1) {
        if (pipe(pfd) < 0) {
            fdprintf(2, "sh: pipe: %s\n", strerror(errno));
            pfd[0] = pfd[1] = -1;
        }
        s->pipe_out = pfd[1];
        *in = pfd[0];
    }
    if (prepare_stage(&p->cmds[i], i ? s->pipe_in : 0, pfd[1], s) < 0 || s->fds[0] < 0 || s->fds[1] < 0)
        s->status = 1;
    else if (runs_in_shell(s))
        s->deferred = 1;
    else
        spawn_stage(s, pgid);
    if (!s->deferred)
        finish_stage(s);
}

// Waits for the spawned stages; reports a signal that killed the last one.
static void wait_stages(struct stage *st, int n)
{
    for (int i = 0; i < n; i++) {
        if (!st[i].pid)
            continue;
        while (waitpid(st[i].pid, &st[i].wstatus, 0) < 0 && errno == EINTR)
            ;
        st[i].status = status_code(st[i].wstatus);
    }
    struct stage *last = &st[n - 1];
    if (last->pid && WIFSIGNALED(last->wstatus) && WTERMSIG(last->wstatus) != SIGPIPE)
        fdprintf(2, "%s\n", signal_text(WTERMSIG(last->wstatus)));
}

// Makes the spawned processes of a background pipeline a job.
static void add_job(struct stage *st, int n, const char *text)
{
    pid_t pids[n];
    int np = 0;
    for (int i = 0; i < n; i++)
        if (st[i].pid)
            pids[np++] = st[i].pid;
    if (!np)
        return;
    int id = job_add(pids, np, text);
    last_bg_pid = pids[np - 1];
    if (id < 0)
        fdprintf(2, "sh: too many jobs\n");
    else
        fdprintf(2, "[%d] %d\n", id, (int)last_bg_pid);
}

// Runs a pipeline; in the background (bg) it becomes a job and its status
// is 0, else the shell waits for it and returns the last stage's status.
static int run_pipeline(const struct pipeline *p, int bg, const char *text)
{
    int n = p->ncmds, in = -1, status;
    pid_t pgid = job_control ? 0 : shell_pgid;
    struct stage *st = calloc((size_t)n, sizeof *st);
    if (!st)
        abort();
    for (int i = 0; i < n; i++)
        start_stage(p, i, st, &in, &pgid);
    for (int i = 0; i < n; i++) {
        if (st[i].deferred) {
            run_in_shell(&st[i]);
            finish_stage(&st[i]);
        }
    }
    if (bg) {
        add_job(st, n, text);
        status = 0;
    } else {
        if (job_control && pgid)
            os_set_foreground(pgid);
        wait_stages(st, n);
        if (job_control && pgid)
            os_set_foreground(0);
        status = st[n - 1].status;
    }
    for (int i = 0; i < n; i++)
        free_stage(&st[i]);
    free(st);
    return status;
}

// `a && b &`: a background and-or list needs a shell of its own, so it
// runs as `sh -c 'a && b'`.
static int run_bg_shell(const struct andor *a)
{
    char *argv[] = { "sh", "-c", a->text, NULL };
    const int fds[3] = { 0, 1, 2 };
    char **envp = build_envp(NULL, 0);
    pid_t pid = os_spawn(self_path, argv, envp, fds, 0, 0);
    free_envp(envp);
    if (pid < 0) {
        fdprintf(2, "sh: %s: %s\n", self_path, strerror(errno));
        return 126;
    }
    struct stage st = { .pid = pid };
    add_job(&st, 1, a->text);
    return 0;
}

// Runs an and-or list: each pipeline after && runs if the status so far
// is 0, after || if it is not.
static void run_andor(const struct andor *a)
{
    if (a->bg && a->npipes > 1) {
        last_status = run_bg_shell(a);
        return;
    }
    last_status = run_pipeline(&a->pipes[0], a->bg, a->text);
    for (int i = 1; i < a->npipes; i++)
        if ((a->ops[i - 1] == T_AND) == (last_status == 0))
            last_status = run_pipeline(&a->pipes[i], a->bg, a->text);
}

int run_list(const struct cmdlist *l)
{
    for (int i = 0; i < l->n; i++)
        run_andor(&l->items[i]);
    return last_status;
}

// Parses and runs one line; a syntax error sets the status to 2.
int run_line(const char *line)
{
    struct cmdlist l;
    char err[128];
    if (parse_line(line, &l, err, sizeof err)) {
        fdprintf(2, "sh: syntax error: %s\n", err);
        return last_status = 2;
    }
    run_list(&l);
    free_cmdlist(&l);
    return last_status;
}
