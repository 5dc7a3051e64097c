// The shell's parser: a recursive descent over the lexer's tokens, pure
// (no I/O). It reads one complete command (up to a newline) at a time:
//
//   list      := andor ((';' | '&' | newline) andor)*
//   andor     := pipeline (('&&' | '||') linebreak pipeline)*
//   pipeline  := ['!'] command ('|' linebreak command)*
//   command   := simple | compound redirection* | NAME '(' ')' compound
//   compound  := '{' list '}' | '(' list ')' | if | while | until | for | case
//   redirection := [digit] op word     (op: < > >> >| <> <& >& << <<-)
//
// Words stay raw (quotes and $ included); expand.c expands them when the
// command runs. Here-document bodies are read after the newline that
// ends the line with the << on it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"

static int parse_list(struct parser *ps, struct node **out, int top);
static int parse_command(struct parser *ps, struct node **out);

static const char *const keywords[] = {
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while",
    "until", "for", "in", "{", "}", "!", NULL,
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = strndup(s, n);
    if (!d)
        abort();
    return d;
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

static int tok_is(const struct token *t, const char *word)
{
    return t->type == T_WORD && t->len == strlen(word) && !strncmp(t->start, word, t->len);
}

static int is_kw(struct parser *ps, const char *word) { return tok_is(&ps->tok, word); }

static int is_keyword_tok(const struct token *t)
{
    for (int i = 0; keywords[i]; i++)
        if (tok_is(t, keywords[i]))
            return 1;
    return 0;
}

// Reads the bodies of the pending here-documents from the text after the
// newline just passed. Returns -1 if the text ends before a delimiter.
static int read_heredocs(struct parser *ps)
{
    const char *s = ps->lx.line;
    size_t p = ps->lx.pos;
    for (int i = 0; i < ps->npending; i++) {
        struct redir *r = &ps->pending[i].n->redirs[ps->pending[i].i];
        size_t cap = 64, len = 0;
        char *body = xcalloc(cap, 1);
        for (;;) {
            if (!s[p]) {
                free(body);
                if (!ps->at_eof)
                    return -1;
                body = xstrndup("", 0);
                break;
            }
            size_t e = p;
            while (s[e] && s[e] != '\n')
                e++;
            size_t b = p;
            if (r->strip_tabs)
                while (b < e && s[b] == '\t')
                    b++;
            p = s[e] ? e + 1 : e;
            if (e - b == strlen(r->word) && !strncmp(s + b, r->word, e - b))
                break;
            if (len + (e - b) + 2 > cap) {
                cap = (len + (e - b) + 2) * 2;
                if (!(body = realloc(body, cap)))
                    abort();
            }
            memcpy(body + len, s + b, e - b);
            len += e - b;
            body[len++] = '\n';
            body[len] = 0;
        }
        r->body = body;
    }
    ps->npending = 0;
    ps->lx.pos = p;
    return 0;
}

static int advance(struct parser *ps)
{
    ps->prev_end = ps->tok.start + ps->tok.len;
    if (ps->tok.type == T_NEWLINE && ps->npending && read_heredocs(ps)) {
        ps->tok.type = T_ERROR;
        ps->lx.err = "here-document not ended";
        ps->lx.incomplete = 1;
        return -1;
    }
    ps->tok = lex_next(&ps->lx);
    return 0;
}

// Records a syntax error about the current token; returns -1. what names
// what was expected (NULL: just "unexpected ...").
static int syntax(struct parser *ps, const char *what)
{
    if (ps->tok.type == T_ERROR)
        snprintf(ps->err, ps->errlen, "%s", ps->lx.err);
    else if (what)
        snprintf(ps->err, ps->errlen, "expected %s", what);
    else if (ps->tok.type == T_WORD)
        snprintf(ps->err, ps->errlen, "unexpected '%.*s'", (int)ps->tok.len, ps->tok.start);
    else
        snprintf(ps->err, ps->errlen, "unexpected %s%s%s", ps->tok.type == T_END ? "" : "'",
                 tok_name(ps->tok.type), ps->tok.type == T_END ? "" : "'");
    return -1;
}

// Expects a keyword (or operator, if op >= 0) and steps over it.
static int expect(struct parser *ps, const char *kw, int op)
{
    int ok = op >= 0 ? ps->tok.type == (enum tok_type)op : is_kw(ps, kw);
    if (!ok) {
        char what[32];
        snprintf(what, sizeof what, "'%s'", kw);
        return syntax(ps, what);
    }
    return advance(ps);
}

static int skip_newlines(struct parser *ps)
{
    while (ps->tok.type == T_NEWLINE)
        if (advance(ps))
            return -1;
    return 0;
}

static struct node *new_node(struct parser *ps, enum node_type type)
{
    struct node *n = xcalloc(1, sizeof *n);
    n->type = type;
    n->line = parser_line(ps);
    return n;
}

static struct node *binary(struct parser *ps, enum node_type type, struct node *a, struct node *b)
{
    struct node *n = new_node(ps, type);
    n->a = a;
    n->b = b;
    return n;
}

static int is_redir(enum tok_type t)
{
    return t >= T_LESS && t <= T_DLESSDASH;
}

// Does a raw word have any quoting in it?
static int has_quotes(const char *w)
{
    return strpbrk(w, "'\"\\") != NULL;
}

// Removes quotes from a here-document delimiter.
static char *unquote_delim(const char *w)
{
    char *d = xcalloc(strlen(w) + 1, 1), *o = d;
    for (; *w; w++)
        if (*w == '\\' && w[1])
            *o++ = *++w;
        else if (*w != '\'' && *w != '"')
            *o++ = *w;
    return d;
}

// redirection := [digit] op word
static int parse_redir(struct parser *ps, struct node *c)
{
    static const enum redir_kind kinds[] = {
        [T_LESS] = R_IN, [T_GREAT] = R_OUT, [T_DGREAT] = R_APPEND, [T_GREATAND] = R_DUPOUT,
        [T_LESSAND] = R_DUPIN, [T_CLOBBER] = R_CLOBBER, [T_LESSGREAT] = R_RW,
        [T_DLESS] = R_HEREDOC, [T_DLESSDASH] = R_HEREDOC,
    };
    struct redir *r = push(&c->redirs, &c->nredirs, sizeof *r);
    enum tok_type op = ps->tok.type;
    r->kind = kinds[op];
    int input = op == T_LESS || op == T_LESSAND || op == T_LESSGREAT || op >= T_DLESS;
    r->fd = ps->tok.fd >= 0 ? ps->tok.fd : input ? 0 : 1;
    r->strip_tabs = op == T_DLESSDASH;
    if (advance(ps))
        return syntax(ps, NULL);
    if (ps->tok.type != T_WORD) {
        char what[48];
        snprintf(what, sizeof what, "a file name after '%s'", tok_name(op));
        return syntax(ps, what);
    }
    r->word = xstrndup(ps->tok.start, ps->tok.len);
    if (r->kind == R_HEREDOC) {
        r->quoted = has_quotes(r->word);
        char *d = unquote_delim(r->word);
        free(r->word);
        r->word = d;
        struct pending *pd = push(&ps->pending, &ps->npending, sizeof *pd);
        pd->n = c;
        pd->i = c->nredirs - 1;
    }
    return advance(ps);
}

// The words after a simple command's first: words, assignments, redirections.
static int parse_simple(struct parser *ps, struct node *c)
{
    while (ps->tok.type == T_WORD || is_redir(ps->tok.type)) {
        if (is_redir(ps->tok.type)) {
            if (parse_redir(ps, c))
                return -1;
            continue;
        }
        char *w = xstrndup(ps->tok.start, ps->tok.len);
        if (c->nassign == c->nwords && assignment_name_len(w))
            c->nassign++;
        *(char **)push(&c->words, &c->nwords, sizeof(char *)) = w;
        if (advance(ps))
            return -1;
    }
    *(char **)push(&c->words, &c->nwords, sizeof(char *)) = NULL;
    c->nwords--;
    return 0;
}

// Redirections after a compound command.
static int parse_trailing_redirs(struct parser *ps, struct node *n)
{
    while (is_redir(ps->tok.type))
        if (parse_redir(ps, n))
            return -1;
    return 0;
}

// A list inside a compound command, ended by one of the given keywords.
static int parse_body(struct parser *ps, struct node **out, const char *end_what)
{
    if (parse_list(ps, out, 0))
        return -1;
    if (!*out)
        return syntax(ps, ps->tok.type == T_END ? end_what : "a command");
    return 0;
}

// if list then list (elif list then list)* [else list] fi
static int parse_if(struct parser *ps, struct node *n)
{
    if (advance(ps) || parse_body(ps, &n->a, "'then'") || expect(ps, "then", -1) ||
        parse_body(ps, &n->b, "'fi'"))
        return -1;
    if (is_kw(ps, "elif")) {
        n->c = new_node(ps, N_IF);
        return parse_if(ps, n->c);
    }
    if (is_kw(ps, "else") && (advance(ps) || parse_body(ps, &n->c, "'fi'")))
        return -1;
    return expect(ps, "fi", -1);
}

// while|until list do list done
static int parse_loop(struct parser *ps, struct node *n)
{
    if (advance(ps) || parse_body(ps, &n->a, "'do'") || expect(ps, "do", -1) ||
        parse_body(ps, &n->b, "'done'"))
        return -1;
    return expect(ps, "done", -1);
}

// for NAME [in word...] ; do list done
static int parse_for(struct parser *ps, struct node *n)
{
    if (advance(ps))
        return -1;
    if (ps->tok.type != T_WORD || !valid_name(ps->tok.start, ps->tok.len))
        return syntax(ps, "a variable name after 'for'");
    n->name = xstrndup(ps->tok.start, ps->tok.len);
    if (advance(ps) || skip_newlines(ps))
        return -1;
    if (is_kw(ps, "in")) {
        n->has_in = 1;
        if (advance(ps))
            return -1;
        while (ps->tok.type == T_WORD) {
            *(char **)push(&n->words, &n->nwords, sizeof(char *)) =
                xstrndup(ps->tok.start, ps->tok.len);
            if (advance(ps))
                return -1;
        }
        if (ps->tok.type != T_SEMI && ps->tok.type != T_NEWLINE)
            return syntax(ps, "';' or newline after the word list");
    }
    if ((ps->tok.type == T_SEMI && advance(ps)) || skip_newlines(ps))
        return -1;
    if (expect(ps, "do", -1) || parse_body(ps, &n->a, "'done'"))
        return -1;
    return expect(ps, "done", -1);
}

// One `pattern | pattern ) list ;;` of a case.
static int parse_case_item(struct parser *ps, struct node *n)
{
    struct case_item *it = push(&n->items, &n->nitems, sizeof *it);
    if (ps->tok.type == T_LPAREN && advance(ps))
        return -1;
    for (;;) {
        if (ps->tok.type != T_WORD)
            return syntax(ps, "a pattern");
        *(char **)push(&it->pats, &it->npats, sizeof(char *)) = xstrndup(ps->tok.start, ps->tok.len);
        if (advance(ps))
            return -1;
        if (ps->tok.type != T_PIPE)
            break;
        if (advance(ps))
            return -1;
    }
    if (expect(ps, ")", T_RPAREN) || parse_list(ps, &it->body, 0))
        return -1;
    if (ps->tok.type == T_DSEMI)
        return advance(ps) || skip_newlines(ps) ? -1 : 0;
    if (!is_kw(ps, "esac"))
        return syntax(ps, "';;' or 'esac'");
    return 0;
}

// case word in [pattern) list ;;]... esac
static int parse_case(struct parser *ps, struct node *n)
{
    if (advance(ps))
        return -1;
    if (ps->tok.type != T_WORD)
        return syntax(ps, "a word after 'case'");
    n->name = xstrndup(ps->tok.start, ps->tok.len);
    if (advance(ps) || skip_newlines(ps) || expect(ps, "in", -1) || skip_newlines(ps))
        return -1;
    while (!is_kw(ps, "esac"))
        if (ps->tok.type == T_END || ps->tok.type == T_ERROR ? syntax(ps, "'esac'")
                                                             : parse_case_item(ps, n))
            return -1;
    return advance(ps);
}

// { list } and ( list ); text keeps the inside of a ( ).
static int parse_group(struct parser *ps, struct node *n, int paren)
{
    const char *start = ps->tok.start + 1;
    if (advance(ps) || parse_body(ps, &n->a, paren ? "')'" : "'}'"))
        return -1;
    if (paren && ps->tok.type == T_RPAREN)
        n->name = xstrndup(start, (size_t)(ps->tok.start - start));
    return paren ? expect(ps, ")", T_RPAREN) : expect(ps, "}", -1);
}

// A compound command at the current token, or 1 if it is not one.
static int parse_compound(struct parser *ps, struct node **out)
{
    static const struct { const char *kw; enum node_type type; } kinds[] = {
        { "if", N_IF }, { "while", N_WHILE }, { "until", N_UNTIL }, { "for", N_FOR },
        { "case", N_CASE }, { "{", N_GROUP },
    };
    struct node *n = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !n; i++)
        if (is_kw(ps, kinds[i].kw))
            n = new_node(ps, kinds[i].type);
    if (!n && ps->tok.type == T_LPAREN)
        n = new_node(ps, N_SUBSHELL);
    if (!n)
        return 1;
    *out = n;
    int r;
    switch (n->type) {
    case N_IF: r = parse_if(ps, n); break;
    case N_WHILE: case N_UNTIL: r = parse_loop(ps, n); break;
    case N_FOR: r = parse_for(ps, n); break;
    case N_CASE: r = parse_case(ps, n); break;
    default: r = parse_group(ps, n, n->type == N_SUBSHELL); break;
    }
    return r ? -1 : parse_trailing_redirs(ps, n);
}

// NAME ( ) compound: the current token is the '('.
static int parse_function(struct parser *ps, struct node *n, char *name)
{
    n->type = N_FUNC;
    n->name = name;
    if (advance(ps) || expect(ps, ")", T_RPAREN) || skip_newlines(ps))
        return -1;
    const char *start = ps->tok.start;
    int r = parse_compound(ps, &n->a);
    if (r)
        return r < 0 ? -1 : syntax(ps, "a function body");
    n->text = xstrndup(start, (size_t)(ps->prev_end - start));
    return 0;
}

static int parse_command(struct parser *ps, struct node **out)
{
    const char *start = ps->tok.start;
    int r = parse_compound(ps, out);
    if (r <= 0) {
        if (!r)
            (*out)->text = xstrndup(start, (size_t)(ps->prev_end - start));
        return r;
    }
    if (is_keyword_tok(&ps->tok) || (ps->tok.type != T_WORD && !is_redir(ps->tok.type)))
        return syntax(ps, ps->tok.type == T_END ? "a command" : NULL);
    struct node *n = *out = new_node(ps, N_CMD);
    if (ps->tok.type == T_WORD && valid_name(ps->tok.start, ps->tok.len)) {
        char *name = xstrndup(ps->tok.start, ps->tok.len);
        struct lexer save = ps->lx;
        struct token tok = ps->tok;
        const char *prev = ps->prev_end;
        if (advance(ps))
            return free(name), -1;
        if (ps->tok.type == T_LPAREN)
            return parse_function(ps, n, name);
        free(name);
        ps->lx = save;                     // not a function: read the word again
        ps->tok = tok;
        ps->prev_end = prev;
    }
    if (parse_simple(ps, n))
        return -1;
    n->text = xstrndup(start, (size_t)(ps->prev_end - start));
    return 0;
}

// pipeline := ['!'] command ('|' linebreak command)*
static int parse_pipeline(struct parser *ps, struct node **out)
{
    int bang = 0;
    const char *start = ps->tok.start;
    if (is_kw(ps, "!")) {
        bang = 1;
        if (advance(ps))
            return -1;
    }
    if (parse_command(ps, out))
        return -1;
    while (ps->tok.type == T_PIPE) {
        struct node *rhs = NULL;
        if (advance(ps) || skip_newlines(ps) || parse_command(ps, &rhs)) {
            free_node(rhs);
            return -1;
        }
        *out = binary(ps, N_PIPE, *out, rhs);
    }
    if (bang) {
        *out = binary(ps, N_NOT, *out, NULL);
        (*out)->text = xstrndup(start, (size_t)(ps->prev_end - start));
    }
    return 0;
}

// andor := pipeline (('&&' | '||') linebreak pipeline)*
static int parse_andor(struct parser *ps, struct node **out)
{
    const char *start = ps->tok.start;
    if (parse_pipeline(ps, out))
        return -1;
    while (ps->tok.type == T_AND || ps->tok.type == T_OR) {
        enum node_type t = ps->tok.type == T_AND ? N_AND : N_OR;
        struct node *rhs = NULL;
        if (advance(ps) || skip_newlines(ps) || parse_pipeline(ps, &rhs)) {
            free_node(rhs);
            return -1;
        }
        *out = binary(ps, t, *out, rhs);
    }
    if ((*out)->type == N_AND || (*out)->type == N_OR || (*out)->type == N_PIPE)
        (*out)->text = xstrndup(start, (size_t)(ps->prev_end - start));
    return 0;
}

// Does the current token end a list?
static int list_end(struct parser *ps, int top)
{
    static const char *const enders[] = { "then", "else", "elif", "fi", "do", "done", "esac", "}", NULL };
    if (ps->tok.type == T_END || ps->tok.type == T_ERROR)
        return 1;
    if (top)                      // a stray ) ;; or fi is an error there
        return ps->tok.type == T_NEWLINE;
    if (ps->tok.type == T_RPAREN || ps->tok.type == T_DSEMI)
        return 1;
    for (int i = 0; enders[i]; i++)
        if (is_kw(ps, enders[i]))
            return 1;
    return 0;
}

// list := andor ((';' | '&' | newline) andor)*. At the top level it ends
// at a newline (which is consumed); inside compound commands newlines
// separate commands. *out is NULL for an empty list.
static int parse_list(struct parser *ps, struct node **out, int top)
{
    *out = NULL;
    for (;;) {
        if (!top && skip_newlines(ps))
            return -1;
        if (list_end(ps, top))
            break;
        struct node *a = NULL;
        if (parse_andor(ps, &a)) {
            free_node(a);
            return -1;
        }
        if (ps->tok.type == T_AMP)
            a = binary(ps, N_BG, a, NULL), a->text = strdup(a->a->text ? a->a->text : "");
        *out = *out ? binary(ps, N_SEQ, *out, a) : a;
        if (ps->tok.type == T_SEMI || ps->tok.type == T_AMP) {
            if (advance(ps))
                return -1;
        } else if (ps->tok.type == T_NEWLINE) {
            if (top)
                break;
        } else if (!list_end(ps, top)) {
            return syntax(ps, NULL);
        }
    }
    if (top && ps->tok.type == T_NEWLINE)
        return advance(ps);
    return ps->tok.type == T_ERROR ? syntax(ps, NULL) : 0;
}

void parser_init(struct parser *ps, const char *text, int at_eof, char *err, size_t errlen)
{
    memset(ps, 0, sizeof *ps);
    ps->err = err;
    ps->errlen = errlen;
    ps->at_eof = at_eof;
    ps->line_base = 1;
    lex_init(&ps->lx, text);
    ps->tok.start = text;
    ps->tok.type = T_SEMI;        // a harmless token to advance from
    advance(ps);
}

size_t parser_pos(const struct parser *ps)
{
    return (size_t)(ps->tok.start - ps->lx.line);
}

int parser_line(const struct parser *ps)
{
    int line = ps->line_base;
    for (const char *s = ps->lx.line; s < ps->tok.start; s++)
        line += *s == '\n';
    return line;
}

enum parse_result parse_next(struct parser *ps, struct node **out)
{
    *out = NULL;
    if (ps->err && ps->errlen)
        ps->err[0] = 0;
    while (ps->tok.type == T_NEWLINE)
        if (advance(ps))
            break;
    if (ps->tok.type == T_END)
        return P_EOF;
    if (parse_list(ps, out, 1) == 0 && ps->tok.type != T_ERROR) {
        if (!(ps->npending && ps->tok.type == T_END && !ps->at_eof))
            return P_OK;
        ps->npending = 0;            // the here-document's body is still to come
        free_node(*out);
        *out = NULL;
        return P_MORE;
    }
    free_node(*out);
    *out = NULL;
    int more = (ps->tok.type == T_END || (ps->tok.type == T_ERROR && ps->lx.incomplete));
    return more && !ps->at_eof ? P_MORE : P_ERR;
}

int parse_line(const char *line, struct node **out, char *err, size_t errlen)
{
    struct parser ps;
    parser_init(&ps, line, 1, err, errlen);
    *out = NULL;
    for (;;) {
        struct node *n;
        enum parse_result r = parse_next(&ps, &n);
        if (r == P_EOF) {
            free(ps.pending);
            return 0;
        }
        if (r != P_OK) {
            free_node(*out);
            free(ps.pending);
            *out = NULL;
            return -1;
        }
        *out = *out ? binary(&ps, N_SEQ, *out, n) : n;
    }
}

static void free_strs(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void free_node(struct node *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    free_node(n->c);
    free_strs(n->words, n->nwords);
    for (int i = 0; i < n->nredirs; i++) {
        free(n->redirs[i].word);
        free(n->redirs[i].body);
    }
    free(n->redirs);
    for (int i = 0; i < n->nitems; i++) {
        free_strs(n->items[i].pats, n->items[i].npats);
        free_node(n->items[i].body);
    }
    free(n->items);
    free(n->name);
    free(n->text);
    free(n);
}
