// Parameter expansion: $name, $1, $@, the special parameters and the
// ${...} forms (- = ? + with or without ':', #, ##, %, %%, ${#x}).
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"
#include "expand.h"

// The value of a parameter other than @ and *, or NULL when unset.
static const char *param_value(const char *name)
{
    static char num[24];
    if (name[0] >= '0' && name[0] <= '9') {
        int i = atoi(name);
        if (i == 0)
            return arg0;
        return i <= posc ? posv[i - 1] : NULL;
    }
    if (!name[1]) {
        switch (name[0]) {
        case '?': snprintf(num, sizeof num, "%d", last_status); return num;
        case '$': snprintf(num, sizeof num, "%d", (int)shell_pid); return num;
        case '#': snprintf(num, sizeof num, "%d", posc); return num;
        case '!':
            if (!last_bg_pid)
                return NULL;
            snprintf(num, sizeof num, "%d", (int)last_bg_pid);
            return num;
        case '-':
            snprintf(num, sizeof num, "%s%s%s%s", opt_e ? "e" : "", opt_u ? "u" : "",
                     opt_x ? "x" : "", opt_f ? "f" : "");
            return num;
        }
    }
    const char *sv = var_get(name);
    if (!strcmp(name, "SH_STATE"))
        return NULL;
    return sv;
}

// $@ and $*: the positional parameters, as separate fields (or joined by
// the first IFS character for "$*").
static void put_all(struct xbuf *b, int star, int in_dq)
{
    const char *ifs = var_get("IFS");
    char sep = ifs ? ifs[0] : ' ';
    if (in_dq && !star && posc == 0)
        b->at_empty = 1;
    for (int i = 0; i < posc; i++) {
        if (i && in_dq && star && sep)
            xput(b, &sep, 1, Q_QUOTED);
        else if (i)
            xbreak(b, !in_dq);
        xput(b, posv[i], strlen(posv[i]), in_dq ? Q_QUOTED : Q_EXP);
    }
}

// Reads the name at raw[*p] ({...} form if braced): a NAME, digits (only
// one unless braced), or one special character. Returns it malloc'd.
static char *read_name(const char *raw, size_t *p, int braced)
{
    size_t s = *p, e = s;
    if (is_name_start(raw[e]))
        while (is_name_char(raw[e]))
            e++;
    else if (raw[e] >= '0' && raw[e] <= '9')
        while (raw[++e] >= '0' && raw[e] <= '9' && braced)
            ;
    else if (raw[e] && strchr("@*#?-$!", raw[e]))
        e++;
    *p = e;
    return strndup(raw + s, e - s);
}

static void put_value(struct xbuf *b, const char *v, int in_dq)
{
    if (v)
        xput(b, v, strlen(v), in_dq ? Q_QUOTED : Q_EXP);
}

static int unset_error(const char *name, const char *msg)
{
    err_prefix();
    fdprintf(2, "%s: %s\n", name, msg && *msg ? msg : "parameter not set");
    return -1;
}

// Expands the word of ${x-word}; inside "..." all of it counts as quoted
// (quotes in the word are still removed).
static int expand_word_in(const char *word, struct xbuf *b, int in_dq)
{
    if (!in_dq)
        return expand_into(word, b, 0);
    struct xbuf t = { 0 };
    xput(&t, "", 0, 0);
    int r = expand_into(word, &t, 0);
    xput(b, t.s, t.len, Q_QUOTED);
    xfree(&t);
    return r;
}

// Applies the operator of ${name OP word} to the value v.
static int apply_op(struct xbuf *b, const char *name, const char *v, const char *op,
                    const char *word, int in_dq)
{
    int colon = op[0] == ':';
    char o = op[colon];
    int empty = !v || (colon && !*v);
    if (o == '-' || o == '+') {
        if ((o == '-') == empty)
            return expand_word_in(word, b, in_dq);
        put_value(b, v, in_dq);
        return 0;
    }
    if (o == '=' || o == '?') {
        if (!empty) {
            put_value(b, v, in_dq);
            return 0;
        }
        char *w = expand_str(word);
        if (o == '?') {
            unset_error(name, w);
            free(w);
            return -1;
        }
        if (var_set(name, w) < 0) {
            free(w);
            return unset_error(name, "cannot assign in this way");
        }
        put_value(b, w, in_dq);
        free(w);
        return 0;
    }
    // # ## % %%
    char *pat = expand_pattern(word);
    char *r = remove_affix(v ? v : "", pat, o == '%', op[1] == o);
    put_value(b, r, in_dq);
    free(r);
    free(pat);
    return 0;
}

// ${...}: raw[*p] is the '{'; end is the index of the closing '}'.
static int braced(const char *raw, size_t *p, size_t end, struct xbuf *b, int in_dq)
{
    size_t q = *p + 1;
    int length = raw[q] == '#' && q + 1 < end;
    q += length;
    char *name = read_name(raw, &q, 1);
    int r = 0;
    if (!name[0] || (length && q != end)) {
        err_prefix();
        fdprintf(2, "%.*s: bad substitution\n", (int)(end - *p + 2), raw + *p - 1);
        free(name);
        return -1;
    }
    if ((!strcmp(name, "@") || !strcmp(name, "*")) && q == end && !length) {
        put_all(b, name[0] == '*', in_dq);
    } else {
        const char *v = param_value(name);
        static const char *const ops[] = { ":-", ":=", ":?", ":+", "-", "=", "?", "+", "##", "#", "%%", "%", NULL };
        size_t oplen = 0;
        for (int i = 0; ops[i] && q < end && !oplen; i++)
            if (!strncmp(raw + q, ops[i], strlen(ops[i])))
                oplen = strlen(ops[i]);
        if (q != end && !oplen) {
            err_prefix();
            fdprintf(2, "${%.*s}: bad substitution\n", (int)(end - *p - 1), raw + *p + 1);
            r = -1;
        } else if (!v && opt_u && (!oplen || raw[q + (raw[q] == ':')] == '#' || raw[q] == '%') &&
                   strcmp(name, "@") && strcmp(name, "*")) {
            r = unset_error(name, NULL);
        } else if (length) {
            char num[24];
            snprintf(num, sizeof num, "%zu", v ? strlen(v) : (size_t)0);
            put_value(b, num, in_dq);
        } else if (!oplen) {
            put_value(b, v, in_dq);
        } else {
            char op[3] = { 0 };
            memcpy(op, raw + q, oplen);
            char *word = strndup(raw + q + oplen, end - q - oplen);
            r = apply_op(b, name, v, op, word, in_dq);
            free(word);
        }
    }
    free(name);
    *p = end + 1;
    return r;
}

int expand_param(const char *raw, size_t *p, struct xbuf *b, int in_dq)
{
    size_t q = *p + 1;
    if (raw[q] == '{') {
        size_t end = *p;
        int inc = 0;
        lex_skip(raw, &end, &inc);
        *p = q;
        return braced(raw, p, end - 1, b, in_dq);
    }
    char *name = read_name(raw, &q, 0);
    int r = 0;
    if (!name[0]) {
        xput(b, "$", 1, in_dq ? Q_QUOTED : Q_LIT);     // a lone $ is literal
    } else if (!strcmp(name, "@") || !strcmp(name, "*")) {
        put_all(b, name[0] == '*', in_dq);
    } else {
        const char *v = param_value(name);
        if (!v && opt_u)
            r = unset_error(name, NULL);
        put_value(b, v, in_dq);
    }
    free(name);
    *p = q;
    return r;
}

char *remove_affix(const char *s, const char *pat, int suffix, int longest)
{
    size_t n = strlen(s);
    char *tmp = malloc(n + 1);
    if (!tmp)
        abort();
    for (size_t k = 0; k <= n; k++) {
        size_t i = longest ? (suffix ? k : n - k) : (suffix ? n - k : k);
        if (suffix) {
            if (!fnmatch(pat, s + i, 0)) {
                memcpy(tmp, s, i);
                tmp[i] = 0;
                return tmp;
            }
        } else {
            memcpy(tmp, s, i);
            tmp[i] = 0;
            if (!fnmatch(pat, tmp, 0)) {
                memmove(tmp, s + i, n - i + 1);
                return tmp;
            }
        }
    }
    memcpy(tmp, s, n + 1);
    return tmp;
}
