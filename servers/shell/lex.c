// The shell's tokenizer. Pure (no I/O, no globals): it splits a text into
// operators, newlines and raw words, checking that quotes, $(...), ${...}
// and `...` are closed. When the text ends inside one of them the error
// is marked incomplete, so an interactive shell can read another line.
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"

#define WORD_END " \t\r\n|&;<>()"     // what ends an unquoted word

static const struct { const char *s; enum tok_type t; } ops[] = {
    { "<<-", T_DLESSDASH }, { "&&", T_AND }, { "||", T_OR }, { ";;", T_DSEMI },
    { ">>", T_DGREAT }, { ">&", T_GREATAND }, { "<&", T_LESSAND }, { ">|", T_CLOBBER },
    { "<>", T_LESSGREAT }, { "<<", T_DLESS }, { "|", T_PIPE }, { "&", T_AMP },
    { ";", T_SEMI }, { "<", T_LESS }, { ">", T_GREAT }, { "(", T_LPAREN }, { ")", T_RPAREN },
    { "\n", T_NEWLINE },
};

void lex_init(struct lexer *lx, const char *line)
{
    lx->line = line;
    lx->pos = 0;
    lx->err = NULL;
    lx->incomplete = 0;
}

// How a token is named in syntax errors.
const char *tok_name(enum tok_type t)
{
    if (t == T_NEWLINE)
        return "newline";
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].t == t)
            return ops[i].s;
    return t == T_END ? "end of file" : "word";
}

int is_name_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
int is_name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static const char *skip_until(const char *s, size_t *p, char close, int *inc);

// Skips a ( ... ) group starting at s[*p] == '(' (for $( and $(( ).
static const char *skip_parens(const char *s, size_t *p, int *inc)
{
    int depth = 0;
    size_t q = *p;
    do {
        char c = s[q];
        if (!c) {
            *inc = 1;
            return "expected ')'";
        }
        if (c == '(' || c == ')') {
            depth += c == '(' ? 1 : -1;
            q++;
        } else if (c == '\\') {
            q += s[q + 1] ? 2 : 1;
        } else if (strchr("'\"`$", c)) {
            const char *err = lex_skip(s, &q, inc);
            if (err)
                return err;
        } else {
            q++;
        }
    } while (depth > 0);
    *p = q;
    return NULL;
}

// Skips up to and including close (for "..." `...` ${...}), stepping over
// nested quotes and $ expressions.
static const char *skip_until(const char *s, size_t *p, char close, int *inc)
{
    size_t q = *p + 1;
    while (s[q] != close) {
        if (!s[q]) {
            *inc = close != '}';         // ${ does not go on to the next line
            return close == '}' ? "expected '}'" : close == '`' ? "unterminated `" : "unterminated \"";
        }
        if (s[q] == '\\') {
            q += s[q + 1] ? 2 : 1;
        } else if ((s[q] == '$' || (s[q] == '`' && close != '`') ||
                    ((s[q] == '"' || s[q] == '\'') && close == '}'))) {
            const char *err = lex_skip(s, &q, inc);
            if (err)
                return err;
        } else {
            q++;
        }
    }
    *p = q + 1;
    return NULL;
}

const char *lex_skip(const char *s, size_t *p, int *inc)
{
    size_t q = *p;
    switch (s[q]) {
    case '\'': {
        const char *e = strchr(s + q + 1, '\'');
        if (!e) {
            *inc = 1;
            return "unterminated '";
        }
        *p = (size_t)(e - s) + 1;
        return NULL;
    }
    case '"':
        return skip_until(s, p, '"', inc);
    case '`':
        return skip_until(s, p, '`', inc);
    }
    // a '$'
    if (s[q + 1] == '(') {
        *p = q + 1;
        return skip_parens(s, p, inc);
    }
    if (s[q + 1] == '{') {
        *p = q + 1;
        return skip_until(s, p, '}', inc);
    }
    *p = q + 1;
    return NULL;
}

// Finds the end of the word starting at s[p]; returns an error or NULL.
static const char *scan_word(const char *s, size_t p, size_t *end, int *inc)
{
    while (s[p] && !strchr(WORD_END, s[p])) {
        if (s[p] == '\\') {
            p += s[p + 1] ? 2 : 1;
        } else if (strchr("'\"`$", s[p])) {
            const char *err = lex_skip(s, &p, inc);
            if (err)
                return err;
        } else {
            p++;
        }
    }
    *end = p;
    return NULL;
}

// Skips blanks, backslash-newlines and a comment.
static size_t skip_blanks(const char *s, size_t p)
{
    for (;;) {
        if (s[p] == ' ' || s[p] == '\t' || s[p] == '\r')
            p++;
        else if (s[p] == '\\' && s[p + 1] == '\n')
            p += 2;
        else if (s[p] == '#')
            while (s[p] && s[p] != '\n')
                p++;
        else
            return p;
    }
}

// Returns the next token of the text. After T_END or T_ERROR it keeps
// returning the same.
struct token lex_next(struct lexer *lx)
{
    const char *s = lx->line;
    size_t p = skip_blanks(s, lx->pos);
    struct token t = { T_END, s + p, 0, -1 };
    lx->pos = p;
    if (lx->err) {
        t.type = T_ERROR;
        return t;
    }
    if (!s[p])
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
    if ((lx->err = scan_word(s, p, &end, &lx->incomplete))) {
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
