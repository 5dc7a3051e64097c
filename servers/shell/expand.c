// Word expansion, in the order POSIX gives: tilde, parameters, command
// substitution and arithmetic (left to right), then field splitting on
// IFS, then pathname expansion (newlib's glob), then quote removal.
// Each character of the expanded text carries a mark (expand.h) saying
// whether it was quoted, so that splitting and globbing touch only what
// they should.
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "expand.h"

void xput(struct xbuf *b, const char *s, size_t n, char q)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2 + 16;
        if (!(b->s = realloc(b->s, b->cap)) || !(b->q = realloc(b->q, b->cap)))
            abort();
    }
    memcpy(b->s + b->len, s, n);
    memset(b->q + b->len, q, n);
    b->len += n;
    b->s[b->len] = 0;
}

void xbreak(struct xbuf *b, int soft)
{
    if (!(b->breaks = realloc(b->breaks, (size_t)(b->nbreaks + 1) * sizeof *b->breaks)))
        abort();
    b->breaks[b->nbreaks++] = b->len * 2 + (size_t)soft;
}

void xfree(struct xbuf *b)
{
    free(b->s);
    free(b->q);
    free(b->breaks);
    memset(b, 0, sizeof *b);
}

void strv_push(struct strv *sv, char *s)
{
    if (sv->n + 2 > sv->cap) {
        sv->cap = sv->cap * 2 + 8;
        if (!(sv->v = realloc(sv->v, (size_t)sv->cap * sizeof(char *))))
            abort();
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void strv_free(struct strv *sv)
{
    for (int i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}

int glob_meta(char c) { return c == '*' || c == '?' || c == '['; }

// The text of `...` with its \$ \` \\ escapes undone.
static char *unbackquote(const char *s, size_t n)
{
    char *d = malloc(n + 1), *o = d;
    if (!d)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && strchr("$`\\", s[i + 1]))
            i++;
        *o++ = s[i];
    }
    *o = 0;
    return d;
}

static void put_output(struct xbuf *b, const char *text, int in_dq)
{
    char *out = command_output(text);
    xput(b, out, strlen(out), in_dq ? Q_QUOTED : Q_EXP);
    free(out);
}

// $((expr)): the inside is expanded, then evaluated.
static int put_arith(struct xbuf *b, const char *inner, int in_dq)
{
    char *e = expand_str(inner), err[96];
    long v;
    int r = arith_eval(e, &v, err, sizeof err);
    if (r) {
        err_prefix();
        fdprintf(2, "arithmetic expression: %s: \"%s\"\n", err, e);
    } else {
        char num[24];
        snprintf(num, sizeof num, "%ld", v);
        xput(b, num, strlen(num), in_dq ? Q_QUOTED : Q_EXP);
    }
    free(e);
    return r;
}

// The $ or ` at raw[*p]: a parameter, $(...), $((...)) or `...`.
static int expand_dollar(const char *raw, size_t *p, struct xbuf *b, int in_dq)
{
    size_t s = *p, e = s;
    int inc = 0;
    if (raw[s] == '$' && raw[s + 1] != '(')
        return expand_param(raw, p, b, in_dq);
    lex_skip(raw, &e, &inc);
    *p = e;
    if (raw[s] == '`') {
        char *t = unbackquote(raw + s + 1, e - s - 2);
        put_output(b, t, in_dq);
        free(t);
        return 0;
    }
    if (raw[s + 2] == '(' && e - s >= 5 && raw[e - 2] == ')') {
        char *inner = strndup(raw + s + 3, e - s - 5);
        int r = put_arith(b, inner, in_dq);
        free(inner);
        return r;
    }
    char *t = strndup(raw + s + 2, e - s - 3);
    put_output(b, t, in_dq);
    free(t);
    return 0;
}

// The "..." at raw[*p].
static int expand_dq(const char *raw, size_t *p, struct xbuf *b)
{
    size_t q = *p + 1;
    b->any_quoted = 1;
    while (raw[q] && raw[q] != '"') {
        if (raw[q] == '\\' && raw[q + 1] && strchr("$`\"\\\n", raw[q + 1])) {
            if (raw[q + 1] != '\n')
                xput(b, raw + q + 1, 1, Q_QUOTED);
            q += 2;
        } else if (raw[q] == '$' || raw[q] == '`') {
            if (expand_dollar(raw, &q, b, 1))
                return -1;
        } else {
            xput(b, raw + q++, 1, Q_QUOTED);
        }
    }
    *p = raw[q] ? q + 1 : q;
    return 0;
}

int expand_into(const char *raw, struct xbuf *b, int in_dq)
{
    size_t p = 0;
    if (raw[0] == '~' && !in_dq && (raw[1] == '/' || !raw[1])) {
        const char *home = var_get("HOME");
        if (home) {
            xput(b, home, strlen(home), Q_QUOTED);
            p = 1;
        }
    }
    while (raw[p]) {
        char c = raw[p];
        if (c == '\'' && !in_dq) {
            const char *e = strchr(raw + p + 1, '\'');
            size_t n = e ? (size_t)(e - raw) - p - 1 : strlen(raw + p + 1);
            xput(b, raw + p + 1, n, Q_QUOTED);
            b->any_quoted = 1;
            p += n + (e ? 2 : 1);
        } else if (c == '"' && !in_dq) {
            if (expand_dq(raw, &p, b))
                return -1;
        } else if (c == '\\' && raw[p + 1]) {
            if (raw[p + 1] != '\n') {
                if (in_dq && !strchr("$`\"\\", raw[p + 1]))
                    xput(b, "\\", 1, Q_QUOTED);
                xput(b, raw + p + 1, 1, Q_QUOTED);
            }
            b->any_quoted |= !in_dq;
            p += 2;
        } else if (c == '$' || c == '`') {
            if (expand_dollar(raw, &p, b, in_dq))
                return -1;
        } else {
            xput(b, raw + p++, 1, in_dq ? Q_QUOTED : Q_LIT);
        }
    }
    return 0;
}

// One string: where $@ would make several fields, a space joins them.
char *expand_str(const char *raw)
{
    struct xbuf b = { 0 }, j = { 0 };
    xput(&b, "", 0, 0);
    expand_into(raw, &b, 0);
    if (!b.nbreaks) {
        free(b.q);
        free(b.breaks);
        return b.s;
    }
    xput(&j, "", 0, 0);
    for (size_t i = 0, k = 0; i <= b.len; i++) {
        for (; k < (size_t)b.nbreaks && b.breaks[k] / 2 == i; k++)
            xput(&j, " ", 1, Q_QUOTED);
        if (i < b.len)
            xput(&j, b.s + i, 1, b.q[i]);
    }
    xfree(&b);
    free(j.q);
    free(j.breaks);
    return j.s;
}

// The text of b[from, to) as a glob pattern: quoted characters escaped.
static char *as_pattern(const struct xbuf *b, size_t from, size_t to)
{
    char *d = malloc((to - from) * 2 + 1), *o = d;
    if (!d)
        abort();
    for (size_t i = from; i < to; i++) {
        if (b->q[i] == Q_QUOTED && (glob_meta(b->s[i]) || strchr("\\]!", b->s[i])))
            *o++ = '\\';
        *o++ = b->s[i];
    }
    *o = 0;
    return d;
}

char *expand_pattern(const char *raw)
{
    struct xbuf b = { 0 };
    xput(&b, "", 0, 0);
    expand_into(raw, &b, 0);
    char *s = as_pattern(&b, 0, b.len);
    xfree(&b);
    return s;
}

char *expand_heredoc(const char *body)
{
    struct xbuf b = { 0 };
    size_t p = 0;
    xput(&b, "", 0, 0);
    while (body[p]) {
        if (body[p] == '\\' && body[p + 1] && strchr("$`\\\n", body[p + 1])) {
            if (body[p + 1] != '\n')
                xput(&b, body + p + 1, 1, Q_QUOTED);
            p += 2;
        } else if (body[p] == '$' || body[p] == '`') {
            expand_dollar(body, &p, &b, 1);
        } else {
            xput(&b, body + p++, 1, Q_QUOTED);
        }
    }
    free(b.q);
    free(b.breaks);
    return b.s;
}

// Adds one field, b[from, to), to out: globbed if it has unquoted
// pattern characters and matches something.
static void add_field(const struct xbuf *b, size_t from, size_t to, struct strv *out)
{
    int meta = 0;
    for (size_t i = from; i < to && !opt_f; i++)
        meta |= b->q[i] != Q_QUOTED && glob_meta(b->s[i]);
    if (meta) {
        char *pat = as_pattern(b, from, to);
        glob_t g;
        int r = glob(pat, 0, NULL, &g);
        free(pat);
        int found = r == 0 && g.gl_pathc > 0;
        for (int i = 0; found && i < (int)g.gl_pathc; i++)
            strv_push(out, strdup(g.gl_pathv[i]));
        globfree(&g);
        if (found)
            return;
    }
    strv_push(out, strndup(b->s + from, to - from));
}

// Is there a field break before b[i]? 1: a hard one ("$@": the next
// field exists even if empty), 2: a soft one (unquoted $@), 0: none.
static int is_break(const struct xbuf *b, size_t i)
{
    for (int k = 0; k < b->nbreaks; k++)
        if (b->breaks[k] / 2 == i)
            return b->breaks[k] % 2 ? 2 : 1;
    return 0;
}

// Splits b into fields on the IFS characters that came from unquoted
// expansions, then globs each.
static void split_fields(struct xbuf *b, struct strv *out)
{
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    int started = b->any_quoted && !(b->at_empty && b->len == 0);
    size_t from = 0, i = 0;
    // fields are built in place: chars of the current field are moved down
    struct xbuf f = { 0 };
    xput(&f, "", 0, 0);
    for (i = 0; i <= b->len; i++) {
        int brk = i > 0 ? is_break(b, i) : 0;
        if (brk && (brk == 1 || started || f.len))
            add_field(&f, 0, f.len, out);
        if (brk) {
            f.len = 0;
            started = brk == 1;
        }
        if (i == b->len)
            break;
        char c = b->s[i];
        if (b->q[i] == Q_EXP && c && strchr(ifs, c)) {
            int white = strchr(" \t\n", c) != NULL;
            if (started || !white)
                add_field(&f, 0, f.len, out);
            f.len = 0;
            started = 0;
            while (white && i + 1 < b->len && b->q[i + 1] == Q_EXP && strchr(ifs, b->s[i + 1]) &&
                   strchr(" \t\n", b->s[i + 1]) && !is_break(b, i + 1))
                i++;
            continue;
        }
        xput(&f, b->s + i, 1, b->q[i]);
        started = 1;
    }
    if (started || f.len)
        add_field(&f, 0, f.len, out);
    (void)from;
    xfree(&f);
}

int expand_fields(char **raw, int n, struct strv *out)
{
    for (int i = 0; i < n; i++) {
        struct xbuf b = { 0 };
        xput(&b, "", 0, 0);
        if (expand_into(raw[i], &b, 0)) {
            xfree(&b);
            return -1;
        }
        split_fields(&b, out);
        xfree(&b);
    }
    if (!out->v)
        strv_push(out, NULL), out->n = 0;
    return 0;
}
