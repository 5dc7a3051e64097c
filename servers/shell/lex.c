// The shell's tokenizer and word expansion. Both are pure (no I/O, no
// globals): the lexer splits a line into operators and raw words, checking
// that quotes and ${...} are closed; expand_word later turns a raw word
// into its final text, looking variables up through a callback.
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"

#define WORD_END " \t\r\n|&;<>"      // what ends an unquoted word

static const struct { const char *s; enum tok_type t; } ops[] = {
    { "&&", T_AND }, { "||", T_OR }, { ">>", T_DGREAT }, { ">&", T_GREATAND },
    { "|", T_PIPE }, { "&", T_AMP }, { ";", T_SEMI }, { "<", T_LESS }, { ">", T_GREAT },
};

void lex_init(struct lexer *lx, const char *line)
{
    lx->line = line;
    lx->pos = 0;
    lx->err = NULL;
}

// How a token is named in syntax errors.
const char *tok_name(enum tok_type t)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].t == t)
            return ops[i].s;
    return t == T_END ? "end of line" : "word";
}

static int is_name_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static int is_name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }
static int is_special_param(char c) { return c && strchr("?$!#0123456789", c) != NULL; }

// Skips a $ expression starting at s[*p] == '$'. Only ${...} can be
// malformed; returns an error message or NULL.
static const char *scan_dollar(const char *s, size_t *p)
{
    size_t q = *p + 1;
    if (s[q] != '{') {
        *p = q;                       // a $NAME is made of ordinary word characters
        return NULL;
    }
    size_t name = ++q;
    if (is_special_param(s[q]))
        q++;
    else if (is_name_start(s[q]))
        while (is_name_char(s[q]))
            q++;
    if (s[q] != '}' || q == name)
        return strchr(s + q, '}') ? "bad substitution" : "missing '}'";
    *p = q + 1;
    return NULL;
}

// Skips a "..." string starting at s[*p] == '"'.
static const char *scan_dquote(const char *s, size_t *p)
{
    size_t q = *p + 1;
    while (s[q] && s[q] != '"') {
        if (s[q] == '\\' && s[q + 1]) {
            q += 2;
        } else if (s[q] == '$') {
            const char *err = scan_dollar(s, &q);
            if (err)
                return err;
        } else {
            q++;
        }
    }
    if (!s[q])
        return "unterminated \"";
    *p = q + 1;
    return NULL;
}

// Finds the end of the word starting at s[p]; returns an error or NULL.
static const char *scan_word(const char *s, size_t p, size_t *end)
{
    while (s[p] && !strchr(WORD_END, s[p])) {
        const char *err = NULL, *q;
        switch (s[p]) {
        case '\'':
            if (!(q = strchr(s + p + 1, '\'')))
                return "unterminated '";
            p = (size_t)(q - s) + 1;
            break;
        case '"':
            err = scan_dquote(s, &p);
            break;
        case '\\':
            p += s[p + 1] ? 2 : 1;
            break;
        case '$':
            err = scan_dollar(s, &p);
            break;
        default:
            p++;
        }
        if (err)
            return err;
    }
    *end = p;
    return NULL;
}

// Returns the next token of the line. After T_END or T_ERROR it keeps
// returning the same.
struct token lex_next(struct lexer *lx)
{
    const char *s = lx->line;
    size_t p = lx->pos;
    while (s[p] && strchr(" \t\r\n", s[p]))
        p++;
    struct token t = { T_END, s + p, 0, -1 };
    lx->pos = p;
    if (lx->err) {
        t.type = T_ERROR;
        return t;
    }
    if (!s[p] || s[p] == '#')             // a comment runs to the end of the line
        return t;
    if (isdigit((unsigned char)s[p]) && (s[p + 1] == '<' || s[p + 1] == '>'))
        t.fd = s[p++] - '0';              // 2>file: the digit belongs to the operator
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].s);
        if (!strncmp(s + p, ops[i].s, n)) {
            t.type = ops[i].t;
            t.len = (size_t)(s + p + n - t.start);
            lx->pos = p + n;
            return t;
        }
    }
    size_t end;
    if ((lx->err = scan_word(s, p, &end))) {
        t.type = T_ERROR;
        return t;
    }
    t.type = T_WORD;
    t.len = end - p;
    lx->pos = end;
    return t;
}

size_t assignment_name_len(const char *raw)
{
    size_t n = 0;
    if (!is_name_start(raw[0]))
        return 0;
    while (is_name_char(raw[n]))
        n++;
    return raw[n] == '=' ? n : 0;
}

// ---- expansion ----

struct buf { char *s; size_t len, cap; };

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        char *ns = realloc(b->s, b->cap);
        if (!ns)
            abort();
        b->s = ns;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void put_var(struct buf *b, const char *name, size_t n, lookup_fn lookup, void *ctx)
{
    char tmp[128];
    if (n >= sizeof tmp)
        return;                       // no variable has such a long name
    memcpy(tmp, name, n);
    tmp[n] = 0;
    const char *v = lookup(tmp, ctx);
    if (v)
        put(b, v, strlen(v));
}

// Expands the $ expression at raw[p]; returns the index after it.
static size_t expand_dollar(const char *raw, size_t p, struct buf *b, lookup_fn lookup, void *ctx)
{
    size_t q = p + 1;
    if (raw[q] == '{') {
        const char *close = strchr(raw + q, '}');
        if (!close)                    // cannot happen after the lexer; be safe
            return strlen(raw);
        put_var(b, raw + q + 1, (size_t)(close - raw) - q - 1, lookup, ctx);
        return (size_t)(close - raw) + 1;
    }
    if (is_special_param(raw[q])) {
        put_var(b, raw + q, 1, lookup, ctx);
        return q + 1;
    }
    if (!is_name_start(raw[q])) {
        put(b, "$", 1);                // a lone $ is literal
        return q;
    }
    while (is_name_char(raw[q]))
        q++;
    put_var(b, raw + p + 1, q - p - 1, lookup, ctx);
    return q;
}

// Expands the "..." at raw[p]; returns the index after it.
static size_t expand_dquote(const char *raw, size_t p, struct buf *b, lookup_fn lookup, void *ctx)
{
    p++;
    while (raw[p] && raw[p] != '"') {
        if (raw[p] == '\\' && raw[p + 1] && strchr("$`\"\\", raw[p + 1])) {
            put(b, raw + p + 1, 1);
            p += 2;
        } else if (raw[p] == '$') {
            p = expand_dollar(raw, p, b, lookup, ctx);
        } else {
            put(b, raw + p++, 1);
        }
    }
    return raw[p] ? p + 1 : p;
}

char *expand_word(const char *raw, lookup_fn lookup, void *ctx, int *quoted)
{
    struct buf b = { NULL, 0, 0 };
    size_t p = 0;
    put(&b, "", 0);
    *quoted = 0;
    if (raw[0] == '~' && (raw[1] == '/' || !raw[1])) {
        const char *home = lookup("HOME", ctx);
        if (home) {
            put(&b, home, strlen(home));
            p = 1;
        }
    }
    while (raw[p]) {
        const char *q;
        if (raw[p] == '\'') {
            q = strchr(raw + p + 1, '\'');
            size_t n = q ? (size_t)(q - raw) - p - 1 : strlen(raw + p + 1);
            put(&b, raw + p + 1, n);
            p += n + (q ? 2 : 1);
            *quoted = 1;
        } else if (raw[p] == '"') {
            p = expand_dquote(raw, p, &b, lookup, ctx);
            *quoted = 1;
        } else if (raw[p] == '\\' && raw[p + 1]) {
            put(&b, raw + p + 1, 1);
            p += 2;
            *quoted = 1;
        } else if (raw[p] == '$') {
            p = expand_dollar(raw, p, &b, lookup, ctx);
        } else {
            put(&b, raw + p++, 1);
        }
    }
    return b.s;
}
