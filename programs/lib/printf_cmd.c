// printf: prints its arguments under control of a format (see cmds.h).
// usage: printf FORMAT [ARGUMENT...]
// FORMAT holds text, backslash escapes (\n \t \\ \NNN \xHH \c ...) and
// conversions %[flags][width][.precision]C with C one of d i o u x X
// (integers; 'c gives the code of c; 0x.. hex, 0.. octal), f F e E g G a A
// (floating point), c, s, b (the argument's escapes decoded, \c ends all
// output) and %%. Width and precision may be * (taken from an argument).
// Missing arguments count as 0 or "". The format is used again while
// arguments are left. A bad number is reported and exit status is 1; a bad
// conversion or field width ends the output with status 1.
// Floating point is in double precision (GNU's printf uses long double:
// the two agree to about 15 significant digits).
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmdio.h"
#include "cmds.h"
#include "escape.h"

struct pf {
    struct cmd_out out;
    char **args;            // the arguments after the format
    int nargs, used;
    int status;             // 1 once a bad argument was seen
    int stop;               // output must end (\c or a fatal error)
};

// The next argument, or "" when none is left.
static const char *next_arg(struct pf *p)
{
    if (p->used < p->nargs)
        return p->args[p->used++];
    p->used++;
    return "";
}

// Reports a bad numeric argument as GNU printf does ("" counts as 0).
static void check_number(struct pf *p, const char *arg, const char *end)
{
    if (errno == ERANGE) {
        cmd_warn(&p->out, "'%s': %s", arg, strerror(ERANGE));
        p->status = 1;
    } else if (*end) {
        cmd_warn(&p->out, end == arg ? "'%s': expected a numeric value" : "'%s': value not completely converted",
                 arg);
        p->status = 1;
    }
}

// A character constant 'c or "c: the code of c (a lone quote is an error).
static long long char_code(struct pf *p, const char *arg)
{
    if (arg[1] == '\0') {
        errno = 0;
        check_number(p, arg, arg);
    }
    return (unsigned char)arg[1];
}

// The integer value of an argument (signed or not).
static long long int_arg(struct pf *p, const char *arg, int is_signed)
{
    char *end;
    if (arg[0] == '\'' || arg[0] == '"')
        return char_code(p, arg);
    errno = 0;
    long long v = is_signed ? strtoll(arg, &end, 0) : (long long)strtoull(arg, &end, 0);
    check_number(p, arg, end);
    return v;
}

// The floating-point value of an argument ('c gives the code of c).
static double float_arg(struct pf *p, const char *arg)
{
    char *end;
    if (arg[0] == '\'' || arg[0] == '"')
        return char_code(p, arg);
    errno = 0;
    double v = strtod(arg, &end);
    check_number(p, arg, end);
    return v;
}

// Prints s with its escapes decoded (%b); sets p->stop after \c.
static void print_b(struct pf *p, const char *s)
{
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            cmd_putc(&p->out, *s);
            continue;
        }
        size_t n;
        int v;
        if (esc_decode(s + 1, 1, &n, &v) == ESC_STOP) {
            p->stop = 1;
            return;
        }
        cmd_putc(&p->out, v);
        s += n;
    }
}

// Formats one argument under spec (a full "%...C" with numbers for *).
static void convert(struct pf *p, const char *spec, char conv)
{
    const char *arg = next_arg(p);
    if (strchr("diouxX", conv)) {
        char s[160];
        snprintf(s, sizeof s, "%.*sll%c", (int)strlen(spec) - 1, spec, conv);
        cmd_printf(&p->out, s, int_arg(p, arg, strchr("di", conv) != NULL));
    } else if (strchr("fFeEgGaA", conv)) {
        double v = float_arg(p, arg);
        cmd_printf(&p->out, spec, v);
    } else if (conv == 'c') {
        cmd_printf(&p->out, spec, arg[0]);
    } else if (conv == 's') {
        cmd_printf(&p->out, spec, arg);
    } else if (conv == 'b') {
        print_b(p, arg);
    }
}

// A field width or precision taken from the next argument (*) into spec at
// *n; a negative precision means none. Returns -1 when it does not fit.
static int star_value(struct pf *p, int precision, char *spec, size_t *n, size_t size)
{
    long long v = int_arg(p, next_arg(p), 1);
    if (v < -INT_MAX || v > INT_MAX) {
        cmd_warn(&p->out, "invalid field %s", precision ? "precision" : "width");
        return -1;
    }
    if (precision && v < 0)
        (*n)--;                             // drop the '.'
    else
        *n += (size_t)snprintf(spec + *n, size - *n, "%d", (int)v);
    return 0;
}

// Reads a conversion at f (just after '%') into spec with any * replaced
// by its argument's value; returns the conversion letter (0 at the end of
// the format, -1 after a bad * value) and advances *f.
static int read_spec(struct pf *p, const char **f, char *spec, size_t size)
{
    const char *s = *f;
    size_t n = 1;
    spec[0] = '%';
    while (*s && strchr("-+ #0", *s) && n < size - 24)
        spec[n++] = *s++;
    for (int part = 0; part < 2; part++) {
        if (part == 1) {
            if (*s != '.')
                break;
            spec[n++] = *s++;
        }
        if (*s == '*') {
            if (star_value(p, part, spec, &n, size) < 0)
                return -1;
            s++;
        } else {
            while (isdigit((unsigned char)*s) && n < size - 24)
                spec[n++] = *s++;
        }
    }
    s += strspn(s, "hlLjzt");
    spec[n++] = *s;
    spec[n] = '\0';
    *f = *s ? s + 1 : s;
    return (unsigned char)*s;
}

// Whether a directive of len characters ('%' to its conversion letter
// conv, 0 at the end of the format) is one printf knows; %b takes no
// flags, width, precision or length modifier.
static int valid_conversion(size_t len, int conv)
{
    return conv && strchr("diouxXfFeEgGaAcsb", conv) && !(conv == 'b' && len > 2);
}

// Prints the format once, until its end or p->stop.
static void run_format(struct pf *p, const char *f)
{
    char spec[128];
    while (*f && !p->stop) {
        if (*f == '\\') {
            size_t n;
            int v;
            if (esc_decode(f + 1, 0, &n, &v) == ESC_STOP) {
                p->stop = 1;
                return;
            }
            cmd_putc(&p->out, v);
            f += 1 + n;
        } else if (f[0] == '%' && f[1] == '%') {
            cmd_putc(&p->out, '%');
            f += 2;
        } else if (*f == '%') {
            const char *text = f++;
            int conv = read_spec(p, &f, spec, sizeof spec);
            int valid = conv > 0 && valid_conversion((size_t)(f - text), conv);
            if (conv >= 0 && !valid)
                cmd_warn(&p->out, "%.*s: invalid conversion specification", (int)(f - text), text);
            if (!valid) {
                p->status = p->stop = 1;
                return;
            }
            convert(p, spec, (char)conv);
        } else {
            cmd_putc(&p->out, *f++);
        }
    }
}

int printf_cmd(int argc, char **argv, int out_fd, int err_fd)
{
    struct pf p = { .status = 0 };
    cmd_out_init(&p.out, argc > 0 ? argv[0] : "printf", out_fd, err_fd);
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        cmd_warn(&p.out, "missing operand");
        cmd_note(&p.out, "usage: %s FORMAT [ARGUMENT...]", p.out.name);
        return 1;
    }
    const char *format = argv[i];
    p.args = argv + i + 1;
    p.nargs = argc - i - 1;
    do {
        int before = p.used;
        run_format(&p, format);
        if (p.stop || p.used == before)
            break;
    } while (p.used < p.nargs);
    if (cmd_flush(&p.out) < 0) {
        cmd_warn(&p.out, "write error: %s", strerror(p.out.failed));
        p.status = 1;
    }
    return p.status;
}
