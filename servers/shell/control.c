// Running the tree: lists, and-or lists, `!`, compound commands (if,
// while, until, for, case, { }, ( )), function definitions and the
// break / continue / return jumps, which are flags that unwind the
// recursion: each loop and each list checks them after every command.
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

int opt_e, opt_x, opt_u, opt_f;
int loop_depth, break_n, continue_n, returning, func_depth, errexit_off, exit_requested;
int line_aborted;
int cur_line;

struct func {
    char *name, *text;
    struct node *body;
};
static struct func *funcs;
static int nfuncs;

// Defines (or redefines) a function from the text of its body. An old
// body is kept: it may be running right now.
int func_define(const char *name, const char *text)
{
    struct node *body;
    char err[128];
    if (parse_line(text, &body, err, sizeof err) || !body) {
        err_prefix();
        fdprintf(2, "%s: bad function body: %s\n", name, err);
        return 1;
    }
    for (int i = 0; i < nfuncs; i++) {
        if (!strcmp(funcs[i].name, name)) {
            free(funcs[i].text);
            funcs[i].text = strdup(text);
            funcs[i].body = body;
            return 0;
        }
    }
    if (!(funcs = realloc(funcs, (size_t)(nfuncs + 1) * sizeof *funcs)))
        abort();
    funcs[nfuncs++] = (struct func){ strdup(name), strdup(text), body };
    return 0;
}

struct node *func_find(const char *name)
{
    for (int i = 0; i < nfuncs; i++)
        if (!strcmp(funcs[i].name, name))
            return funcs[i].body;
    return NULL;
}

void func_unset(const char *name)
{
    for (int i = 0; i < nfuncs; i++) {
        if (!strcmp(funcs[i].name, name)) {
            free(funcs[i].name);
            free(funcs[i].text);
            funcs[i] = funcs[--nfuncs];
            return;
        }
    }
}

void funcs_each(void (*fn)(const char *name, const char *text, void *ctx), void *ctx)
{
    for (int i = 0; i < nfuncs; i++)
        fn(funcs[i].name, funcs[i].text, ctx);
}

void err_prefix(void)
{
    if (script_name)
        fdprintf(2, "%s: line %d: ", script_name, cur_line);
    else
        fdprintf(2, "sh: ");
}

void check_errexit(int status)
{
    if (opt_e && status && !errexit_off) {
        fflush(stdout);
        sh_exit(status);
    }
}

static int jumping(void)
{
    return break_n || continue_n || returning || exit_requested || line_aborted;
}

// After a loop body: handles break and continue. Returns 1 to leave the loop.
static int loop_jump(void)
{
    if (break_n) {
        break_n--;
        return 1;
    }
    if (continue_n)
        return --continue_n > 0;
    return returning || exit_requested || line_aborted;
}

// Runs the condition of if/while/until or the left of && || !: set -e
// does not apply there.
static int run_cond(struct node *n)
{
    errexit_off++;
    int st = run_node(n);
    errexit_off--;
    return st;
}

// while / until: the status is the last body's, or 0.
static int run_loop(struct node *n)
{
    int st = 0;
    loop_depth++;
    for (;;) {
        int c = run_cond(n->a);
        if (jumping()) {
            if (loop_jump())
                break;
            continue;
        }
        if ((c == 0) != (n->type == N_WHILE))
            break;
        st = run_node(n->b);
        if (jumping() && loop_jump())
            break;
    }
    loop_depth--;
    return st;
}

// for NAME [in words]: the words are expanded once, before the first pass.
static int run_for(struct node *n)
{
    struct strv list = { 0 };
    int st = 0;
    if (n->has_in) {
        if (expand_fields(n->words, n->nwords, &list))
            return 1;
    } else {
        for (int i = 0; i < posc; i++)
            strv_push(&list, strdup(posv[i]));
    }
    loop_depth++;
    for (int i = 0; i < list.n; i++) {
        var_set(n->name, list.v[i]);
        st = run_node(n->a);
        if (jumping() && loop_jump())
            break;
    }
    loop_depth--;
    strv_free(&list);
    return st;
}

// case: the first item with a matching pattern runs; status 0 if none.
static int run_case(struct node *n)
{
    char *word = expand_str(n->name);
    int st = 0;
    for (int i = 0; i < n->nitems; i++) {
        struct case_item *it = &n->items[i];
        int hit = 0;
        for (int k = 0; k < it->npats && !hit; k++) {
            char *pat = expand_pattern(it->pats[k]);
            hit = fnmatch(pat, word, 0) == 0;
            free(pat);
        }
        if (hit) {
            st = it->body ? run_node(it->body) : 0;
            break;
        }
    }
    free(word);
    return st;
}

// if / elif / else: the status of the branch run, or 0.
static int run_if(struct node *n)
{
    int c = run_cond(n->a);
    if (jumping())
        return c;
    if (c == 0)
        return run_node(n->b);
    return n->c ? run_node(n->c) : 0;
}

// & : a pipeline or simple command becomes a job; anything else runs in
// a subshell in the background.
static int run_bg(struct node *n)
{
    if (n->type == N_PIPE || n->type == N_CMD)
        return run_pipeline_bg(n, 1);
    const int fds[3] = { 0, 1, 2 };
    pid_t pid = subshell_spawn(n->text, fds, exec_pgid());
    if (pid < 0)
        return 126;
    int id = job_add(&pid, 1, n->text);
    last_bg_pid = pid;
    if (id >= 0 && interactive)
        fdprintf(2, "[%d] %d\n", id, (int)pid);
    return 0;
}

// A compound command with its redirections.
int run_compound(struct node *n)
{
    int saved[10], st;
    if (redirs_apply(n->redirs, n->nredirs, saved)) {
        redirs_restore(saved);
        return 1;
    }
    switch (n->type) {
    case N_IF: st = run_if(n); break;
    case N_WHILE: case N_UNTIL: st = run_loop(n); break;
    case N_FOR: st = run_for(n); break;
    case N_CASE: st = run_case(n); break;
    case N_GROUP: st = run_node(n->a); break;
    default: st = subshell_run(n->name ? n->name : ""); break;
    }
    redirs_restore(saved);
    return st;
}

// a && b, a || b.
static int run_andor(struct node *n)
{
    errexit_off++;
    int st = run_node(n->a);
    errexit_off--;
    if (jumping())
        return st;
    if ((st == 0) == (n->type == N_AND))
        st = run_node(n->b);
    return st;
}

// Runs any node; sets and returns $?. set -e acts after simple
// commands, pipelines and ( ).
int run_node(struct node *n)
{
    int st = 0;
    if (!n)
        return 0;
    cur_line = n->line;
    switch (n->type) {
    case N_CMD: st = run_simple(n); break;
    case N_PIPE: st = run_pipeline(n); break;
    case N_AND: case N_OR: st = run_andor(n); break;
    case N_NOT: st = !run_cond(n->a); break;
    case N_SEQ:
        run_node(n->a);
        if (jumping())
            return last_status;
        st = run_node(n->b);
        break;
    case N_BG: st = run_bg(n->a); break;
    case N_FUNC: st = func_define(n->name, n->text); break;
    default: st = run_compound(n); break;
    }
    last_status = st;
    if (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUBSHELL)
        check_errexit(st);
    return st;
}
