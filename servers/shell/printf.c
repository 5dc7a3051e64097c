// printf FORMAT [args...]: the POSIX formats (%d %i %o %u %x %X %c %s %b
// %%, with flags, width and precision, * not supported) and backslash
// escapes; the format is reused while arguments remain.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

struct out {
    char *s;
    size_t len, cap;
};

static void oput(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        if (!(o->s = realloc(o->s, o->cap)))
            abort();
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
}

// One backslash escape at s (after the '\'); returns how many characters
// it used. *stop is set by \c (only in %b).
static size_t escape(const char *s, struct out *o, int in_b, int *stop)
{
    static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
    const char *k = *s ? strchr(from, *s) : NULL;
    if (k) {
        oput(o, to + (k - from), 1);
        return 1;
    }
    if (*s == 'c' && in_b) {
        *stop = 1;
        return 1;
    }
    if (*s >= '0' && *s <= '7') {
        size_t n = 0, max = in_b && *s == '0' ? 4 : 3;
        int v = 0;
        while (n < max && s[n] >= '0' && s[n] <= '7')
            v = v * 8 + (s[n++] - '0');
        char c = (char)v;
        oput(o, &c, 1);
        return n;
    }
    oput(o, "\\", 1);
    return 0;
}

// A numeric argument: 'c' gives the character's code.
static long num_arg(const char *a, int err, int *status)
{
    if (a[0] == '\'' || a[0] == '"')
        return (unsigned char)a[1];
    char *end;
    errno = 0;
    long v = strtol(a, &end, 0);
    if (*end || errno || !*a) {
        if (*a) {
            fdprintf(err, "sh: printf: %s: invalid number\n", a);
            *status = 1;
        }
    }
    return v;
}

// Appends a with %b's escapes; returns 1 if \c stopped the output.
static int put_b(struct out *o, const char *a)
{
    int stop = 0;
    for (const char *p = a; *p && !stop; p++) {
        if (*p == '\\' && p[1])
            p += escape(p + 1, o, 1, &stop);
        else
            oput(o, p, 1);
    }
    return stop;
}

// Formats one conversion (spec is "%...", without the conversion letter
// conv) of argument a. Returns 1 if \c stopped the output.
static int convert(struct out *o, char *spec, char conv, const char *a, int err, int *status)
{
    char buf[512];
    size_t l = strlen(spec);
    int n;
    if (conv == 'b') {
        struct out t = { 0 };
        int stop = put_b(&t, a);
        oput(&t, "", 1);

        convert(o, spec, 's', t.s, err, status);
        free(t.s);
        return stop;
    }
    if (conv == 's') {
        spec[l] = 's', spec[l + 1] = 0;
        n = snprintf(buf, sizeof buf, spec, a);
        if (n < (int)sizeof buf) {
            oput(o, buf, (size_t)(n > 0 ? n : 0));
            return 0;
        }
        char *s = malloc((size_t)n + 1);
        if (!s)
            abort();
        snprintf(s, (size_t)n + 1, spec, a);
        oput(o, s, (size_t)n);
        free(s);
        return 0;
    }
    if (conv == 'c') {
        spec[l] = 'c', spec[l + 1] = 0;
        n = snprintf(buf, sizeof buf, spec, a[0]);
    } else {
        spec[l] = 'l', spec[l + 1] = conv, spec[l + 2] = 0;
        long v = num_arg(a, err, status);
        if (conv == 'd' || conv == 'i')
            n = snprintf(buf, sizeof buf, spec, v);
        else
            n = snprintf(buf, sizeof buf, spec, (unsigned long)v);
    }
    oput(o, buf, (size_t)(n < (int)sizeof buf ? n : (int)sizeof buf - 1));
    return 0;
}

// One pass over the format; uses arguments from *ai. Returns 1 to stop.
static int one_pass(struct out *o, const char *f, char **argv, int argc, int *ai, int err, int *status)
{
    for (const char *p = f; *p; p++) {
        int stop = 0;
        if (*p == '\\') {
            p += escape(p + 1, o, 0, &stop);
            continue;
        }
        if (*p != '%') {
            oput(o, p, 1);
            continue;
        }
        if (p[1] == '%') {
            oput(o, "%", 1);
            p++;
            continue;
        }
        char spec[48];
        size_t n = 0;
        spec[n++] = *p++;
        while (*p && strchr("-+ #0123456789.", *p) && n < sizeof spec - 4)
            spec[n++] = *p++;
        spec[n] = 0;
        if (!*p || !strchr("diouxXcsb", *p)) {
            fdprintf(err, "sh: printf: %%%c: invalid directive\n", *p ? *p : ' ');
            *status = 1;
            return 1;
        }
        const char *a = *ai < argc ? argv[(*ai)++] : "";
        if (convert(o, spec, *p, a, err, status))
            return 1;
    }
    return 0;
}

int b_printf(int argc, char **argv, int out, int err)
{
    struct out o = { 0 };
    int status = 0, ai = 2;
    if (argc < 2) {
        fdprintf(err, "sh: printf: usage: printf format [arguments]\n");
        return 2;
    }
    oput(&o, "", 0);
    while (!one_pass(&o, argv[1], argv, argc, &ai, err, &status) && ai < argc && ai > 2)
        ;
    for (size_t off = 0; off < o.len;) {
        ssize_t w = write(out, o.s + off, o.len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    free(o.s);
    return status;
}
