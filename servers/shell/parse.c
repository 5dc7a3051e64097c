// The shell's parser: a recursive descent over the lexer's tokens, pure
// (no I/O). The grammar:
//
//   list     := andor ((';' | '&') andor)* [';' | '&']
//   andor    := pipeline (('&&' | '||') pipeline)*
//   pipeline := command ('|' command)*
//   command  := (word | redirection)+
//   redirection := [digit] ('<' | '>' | '>>' | '>&') word
//
// Words stay raw (quotes and $ included); exec.c expands them when the
// command runs, so that `false; echo $?` sees the new status.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"

struct parser {
    struct lexer lx;
    struct token tok;        // the current token
    const char *prev_end;    // where the previous token ended
    char *err;
    size_t errlen;
};

static void advance(struct parser *ps)
{
    ps->prev_end = ps->tok.start + ps->tok.len;
    ps->tok = lex_next(&ps->lx);
}

// Records a syntax error about the current token; returns -1.
static int syntax(struct parser *ps, const char *what)
{
    if (ps->tok.type == T_ERROR)
        snprintf(ps->err, ps->errlen, "%s", ps->lx.err);
    else if (what)
        snprintf(ps->err, ps->errlen, "%s", what);
    else if (ps->tok.type == T_END)
        snprintf(ps->err, ps->errlen, "unexpected end of line");
    else
        snprintf(ps->err, ps->errlen, "unexpected '%s'", tok_name(ps->tok.type));
    return -1;
}

// Appends a zeroed element to a dynamic array; returns a pointer to it.
static void *push(void *arrp, int *n, size_t size)
{
    void **arr = arrp;
    char *na = realloc(*arr, (size_t)(*n + 1) * size);
    if (!na)
        abort();
    *arr = na;
    memset(na + (size_t)*n * size, 0, size);
    return na + (size_t)(*n)++ * size;
}

static char *tok_text(const struct token *t)
{
    char *s = strndup(t->start, t->len);
    if (!s)
        abort();
    return s;
}

static int is_redir(enum tok_type t)
{
    return t == T_LESS || t == T_GREAT || t == T_DGREAT || t == T_GREATAND;
}

// redirection := [digit] ('<' | '>' | '>>' | '>&') word
static int parse_redir(struct parser *ps, struct command *c)
{
    static const enum redir_kind kinds[] = {
        [T_LESS] = R_IN, [T_GREAT] = R_OUT, [T_DGREAT] = R_APPEND, [T_GREATAND] = R_DUP,
    };
    struct redir *r = push(&c->redirs, &c->nredirs, sizeof *r);
    enum tok_type op = ps->tok.type;
    r->kind = kinds[op];
    r->fd = ps->tok.fd >= 0 ? ps->tok.fd : op == T_LESS ? 0 : 1;
    advance(ps);
    if (ps->tok.type != T_WORD) {
        char what[64];
        snprintf(what, sizeof what, "missing file name after '%s'", tok_name(op));
        return syntax(ps, ps->tok.type == T_END ? what : NULL);
    }
    r->word = tok_text(&ps->tok);
    advance(ps);
    return 0;
}

// command := (word | redirection)+; leading NAME=value words are counted
// as assignments.
static int parse_command(struct parser *ps, struct command *c)
{
    for (;;) {
        if (ps->tok.type == T_WORD) {
            char *w = tok_text(&ps->tok);
            if (c->nassign == c->nwords && assignment_name_len(w))
                c->nassign++;
            *(char **)push(&c->words, &c->nwords, sizeof(char *)) = w;
            advance(ps);
        } else if (is_redir(ps->tok.type)) {
            if (parse_redir(ps, c))
                return -1;
        } else {
            break;
        }
    }
    if (c->nwords + c->nredirs == 0)
        return syntax(ps, NULL);
    // NULL-terminate the words, for the convenience of exec.c
    *(char **)push(&c->words, &c->nwords, sizeof(char *)) = NULL;
    c->nwords--;
    return 0;
}

// pipeline := command ('|' command)*
static int parse_pipeline(struct parser *ps, struct pipeline *p)
{
    for (;;) {
        struct command *c = push(&p->cmds, &p->ncmds, sizeof *c);
        if (parse_command(ps, c))
            return -1;
        if (ps->tok.type != T_PIPE)
            return 0;
        advance(ps);
    }
}

// andor := pipeline (('&&' | '||') pipeline)*
static int parse_andor(struct parser *ps, struct andor *a)
{
    const char *start = ps->tok.start;
    for (;;) {
        struct pipeline *p = push(&a->pipes, &a->npipes, sizeof *p);
        if (parse_pipeline(ps, p))
            return -1;
        if (ps->tok.type != T_AND && ps->tok.type != T_OR)
            break;
        int nops = a->npipes - 1;
        *(enum tok_type *)push(&a->ops, &nops, sizeof(enum tok_type)) = ps->tok.type;
        advance(ps);
    }
    a->text = strndup(start, (size_t)(ps->prev_end - start));
    if (!a->text)
        abort();
    return 0;
}

// list := andor ((';' | '&') andor)* [';' | '&']
static int parse_list(struct parser *ps, struct cmdlist *l)
{
    while (ps->tok.type != T_END) {
        struct andor *a = push(&l->items, &l->n, sizeof *a);
        if (parse_andor(ps, a))
            return -1;
        if (ps->tok.type == T_SEMI || ps->tok.type == T_AMP) {
            a->bg = ps->tok.type == T_AMP;
            advance(ps);
        } else if (ps->tok.type != T_END) {
            return syntax(ps, NULL);
        }
    }
    return 0;
}

int parse_line(const char *line, struct cmdlist *out, char *err, size_t errlen)
{
    struct parser ps = { .err = err, .errlen = errlen };
    lex_init(&ps.lx, line);
    ps.tok.start = line;
    advance(&ps);
    out->items = NULL;
    out->n = 0;
    if (errlen)
        err[0] = 0;
    if (parse_list(&ps, out) == 0)
        return 0;
    free_cmdlist(out);
    return -1;
}

static void free_command(struct command *c)
{
    for (int i = 0; i < c->nwords; i++)
        free(c->words[i]);
    free(c->words);
    for (int i = 0; i < c->nredirs; i++)
        free(c->redirs[i].word);
    free(c->redirs);
}

void free_cmdlist(struct cmdlist *l)
{
    for (int i = 0; i < l->n; i++) {
        struct andor *a = &l->items[i];
        for (int j = 0; j < a->npipes; j++) {
            for (int k = 0; k < a->pipes[j].ncmds; k++)
                free_command(&a->pipes[j].cmds[k]);
            free(a->pipes[j].cmds);
        }
        free(a->pipes);
        free(a->ops);
        free(a->text);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
