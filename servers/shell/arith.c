// $((...)) arithmetic: the C operators POSIX lists, on longs, by
// precedence climbing. Variables are read (and assigned with = += ...)
// through the shell's variables; an unset or empty one is 0.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"

struct arith {
    const char *s;
    size_t p;
    int noeval;          // inside the untaken side of && || ?:
    const char *err;
};

static void ar_skip_ws(struct arith *a)
{
    while (isspace((unsigned char)a->s[a->p]))
        a->p++;
}

static int ar_peek(struct arith *a, const char *op)
{
    ar_skip_ws(a);
    return !strncmp(a->s + a->p, op, strlen(op));
}

static long expr_assign(struct arith *a);

// The value of a variable as a number.
static long ar_var_number(struct arith *a, const char *name)
{
    const char *v = var_get(name);
    if (!v || !*v)
        return 0;
    char *end;
    long n = strtol(v, &end, 0);
    if (*end && !a->err)
        a->err = "variable is not a number";
    return n;
}

// A number, a variable, or a parenthesised expression.
static long ar_primary(struct arith *a)
{
    ar_skip_ws(a);
    const char *s = a->s + a->p;
    if (*s == '(') {
        a->p++;
        long v = expr_assign(a);
        if (!ar_peek(a, ")"))
            a->err = a->err ? a->err : "expected ')'";
        else
            a->p++;
        return v;
    }
    if (isdigit((unsigned char)*s)) {
        char *end;
        long v = strtol(s, &end, 0);
        if (is_name_char(*end))
            a->err = "bad number";
        a->p += (size_t)(end - s);
        return v;
    }
    if (is_name_start(*s)) {
        size_t n = 0;
        while (is_name_char(s[n]))
            n++;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)n, s);
        a->p += n;
        return ar_var_number(a, name);
    }
    a->err = a->err ? a->err : *s ? "unexpected character" : "expected a number";
    return 0;
}

// Prefix + - ! ~ applied to a primary.
static long ar_unary(struct arith *a)
{
    ar_skip_ws(a);
    char c = a->s[a->p];
    if (c == '+' || c == '-' || c == '!' || c == '~') {
        a->p++;
        long v = ar_unary(a);
        return c == '+' ? v : c == '-' ? -v : c == '!' ? !v : ~v;
    }
    return ar_primary(a);
}

// Binary operators by precedence level (higher binds tighter).
static const struct { const char *op; int prec; } ar_binops[] = {
    { "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 }, { ">=", 7 },
    { "<<", 8 }, { ">>", 8 }, { "|", 3 }, { "^", 4 }, { "&", 5 }, { "<", 7 }, { ">", 7 },
    { "+", 9 }, { "-", 9 }, { "*", 10 }, { "/", 10 }, { "%", 10 },
};

// The binary operator at the cursor (not an assignment like += or <<=),
// or -1. Longer operators come first in the table.
static int ar_find_binop(struct arith *a)
{
    ar_skip_ws(a);
    const char *s = a->s + a->p;
    for (size_t i = 0; i < sizeof ar_binops / sizeof ar_binops[0]; i++) {
        const char *op = ar_binops[i].op;
        size_t n = strlen(op);
        if (strncmp(s, op, n))
            continue;
        int cmp = !strcmp(op, "==") || !strcmp(op, "!=") || !strcmp(op, "<=") || !strcmp(op, ">=");
        if (s[n] == '=' && !cmp)
            return -1;           // an assignment operator
        return (int)i;
    }
    return -1;
}

// l op r, wrapping like C on two's complement; a zero divisor is an
// error unless inside an untaken branch.
static long ar_apply(struct arith *a, const char *op, long l, long r)
{
    switch (op[0]) {
    case '|': return op[1] ? (l || r) : (l | r);
    case '&': return op[1] ? (l && r) : (l & r);
    case '^': return l ^ r;
    case '=': return l == r;
    case '!': return l != r;
    case '<': return op[1] == '<' ? (long)((unsigned long)l << (r & 63)) : op[1] ? l <= r : l < r;
    case '>': return op[1] == '>' ? l >> (r & 63) : op[1] ? l >= r : l > r;
    case '+': return (long)((unsigned long)l + (unsigned long)r);
    case '-': return (long)((unsigned long)l - (unsigned long)r);
    case '*': return (long)((unsigned long)l * (unsigned long)r);
    }
    if (r == 0) {
        if (!a->noeval && !a->err)
            a->err = "division by zero";
        return 0;
    }
    if (r == -1)
        return op[0] == '/' ? -l : 0;
    return op[0] == '/' ? l / r : l % r;
}

// Binary operators of precedence min_prec and above, left to right;
// && and || do not evaluate (assign, divide) their untaken side.
static long ar_binary(struct arith *a, int min_prec)
{
    long l = ar_unary(a);
    for (;;) {
        int i = ar_find_binop(a);
        if (i < 0 || ar_binops[i].prec < min_prec || a->err)
            return l;
        const char *op = ar_binops[i].op;
        a->p += strlen(op);
        int skip = (!strcmp(op, "&&") && !l) || (!strcmp(op, "||") && l);
        a->noeval += skip;
        long r = ar_binary(a, ar_binops[i].prec + 1);
        a->noeval -= skip;
        l = skip ? !!l : ar_apply(a, op, l, r);
    }
}

// c ? x : y, right-associative.
static long ar_ternary(struct arith *a)
{
    long c = ar_binary(a, 1);
    if (!ar_peek(a, "?"))
        return c;
    a->p++;
    a->noeval += !c;
    long x = expr_assign(a);
    a->noeval -= !c;
    if (!ar_peek(a, ":")) {
        a->err = a->err ? a->err : "expected ':'";
        return 0;
    }
    a->p++;
    a->noeval += !!c;
    long y = ar_ternary(a);
    a->noeval -= !!c;
    return c ? x : y;
}

// NAME op= expr, or a conditional expression.
static long expr_assign(struct arith *a)
{
    static const char *const aops[] = { "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "=", NULL };
    ar_skip_ws(a);
    size_t save = a->p, n = 0;
    const char *s = a->s + a->p;
    while (is_name_start(s[0]) && is_name_char(s[n]))
        n++;
    if (n) {
        a->p += n;
        ar_skip_ws(a);
        for (int i = 0; aops[i]; i++) {
            size_t k = strlen(aops[i]);
            if (strncmp(a->s + a->p, aops[i], k) || (k == 1 && a->s[a->p + 1] == '='))
                continue;
            a->p += k;
            char name[128], num[24];
            snprintf(name, sizeof name, "%.*s", (int)n, s);
            long r = expr_assign(a), v = r;
            if (k > 1) {
                char op[4] = { 0 };
                memcpy(op, aops[i], k - 1);
                v = ar_apply(a, op, ar_var_number(a, name), r);
            }
            snprintf(num, sizeof num, "%ld", v);
            if (!a->noeval && !a->err)
                var_set(name, num);
            return v;
        }
        a->p = save;
    }
    return ar_ternary(a);
}

int arith_eval(const char *expr, long *value, char *err, size_t errlen)
{
    struct arith a = { expr, 0, 0, NULL };
    ar_skip_ws(&a);
    *value = a.s[a.p] ? expr_assign(&a) : 0;
    ar_skip_ws(&a);
    if (!a.err && a.s[a.p])
        a.err = "unexpected character";
    if (a.err) {
        snprintf(err, errlen, "%s", a.err);
        return -1;
    }
    return 0;
}
