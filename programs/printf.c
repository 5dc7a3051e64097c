// printf: prints its arguments under control of a format.
// usage: printf FORMAT [ARGUMENT...]
// FORMAT holds text, backslash escapes (\n \t \\ \NNN \xHH \c ...) and
// conversions %[flags][width][.precision]C with C one of d i o u x X
// (integers; 'c gives the code of c; 0x.. hex, 0.. octal), f F e E g G a A
// (floating point), c, s, b (the argument's escapes decoded, \c ends all
// output) and %%. Width and precision may be * (taken from an argument).
// Missing arguments count as 0 or "". The format is used again while
// arguments are left. A bad number is reported and exit status is 1.
// Floating point is in double precision (GNU's printf uses long double:
// the two agree to about 15 significant digits).
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "prog.h"

static char **args;
static int nargs, used, status;

// The next argument, or "" when none is left.
static const char *next_arg(void)
{
    if (used < nargs)
        return args[used++];
    used++;
    return "";
}

// Reports a bad numeric argument as GNU printf does ("" counts as 0).
static void check_number(const char *arg, const char *end)
{
    if (errno == ERANGE) {
        prog_warn("'%s': %s", arg, strerror(ERANGE));
        status = 1;
    } else if (*end) {
        prog_warn(end == arg ? "'%s': expected a numeric value" : "'%s': value not completely converted", arg);
        status = 1;
    }
}

// A character constant 'c or "c: the code of c (a lone quote is an error).
static long long char_code(const char *arg)
{
    if (arg[1] == '\0')
        check_number(arg, arg);
    return (unsigned char)arg[1];
}

// The integer value of an argument (signed or not).
static long long int_arg(const char *arg, int is_signed)
{
    char *end;
    if (arg[0] == '\'' || arg[0] == '"')
        return char_code(arg);
    errno = 0;
    long long v = is_signed ? strtoll(arg, &end, 0) : (long long)strtoull(arg, &end, 0);
    check_number(arg, end);
    return v;
}

// The floating-point value of an argument ('c gives the code of c).
static double float_arg(const char *arg)
{
    char *end;
    if (arg[0] == '\'' || arg[0] == '"')
        return char_code(arg);
    errno = 0;
    double v = strtod(arg, &end);
    check_number(arg, end);
    return v;
}

// Prints s with its escapes decoded (%b). Returns 1 after \c.
static int print_b(const char *s)
{
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            putchar(*s);
            continue;
        }
        size_t n;
        int v;
        enum esc_kind k = esc_decode(s + 1, 1, &n, &v);
        if (k == ESC_STOP)
            return 1;
        putchar(v);
        s += n;
    }
    return 0;
}

// Formats one argument under spec (a full "%...C" with numbers for *).
// Returns 1 when output must stop (\c in %b).
static int convert(const char *spec, char conv)
{
    const char *arg = next_arg();
    if (strchr("di", conv) || strchr("ouxX", conv)) {
        char s[64];
        snprintf(s, sizeof s, "%.*sll%c", (int)strlen(spec) - 1, spec, conv);
        printf(s, int_arg(arg, strchr("di", conv) != NULL));
    } else if (strchr("fFeEgGaA", conv)) {
        printf(spec, float_arg(arg));
    } else if (conv == 'c') {
        printf(spec, arg[0]);
    } else if (conv == 's') {
        printf(spec, arg);
    } else if (conv == 'b') {
        return print_b(arg);
    }
    return 0;
}

// Reads a conversion at f (just after '%') into spec with any * replaced
// by its argument's value; returns the conversion letter and advances *f.
static char read_spec(const char **f, char *spec, size_t size)
{
    const char *p = *f;
    size_t n = 1;
    spec[0] = '%';
    while (*p && strchr("-+ #0", *p) && n < size - 24)
        spec[n++] = *p++;
    for (int part = 0; part < 2; part++) {
        if (part == 1) {
            if (*p != '.')
                break;
            spec[n++] = *p++;
        }
        if (*p == '*') {
            long long v = int_arg(next_arg(), 1);
            if (v < -INT_MAX || v > INT_MAX) {
                prog_warn("invalid field %s", part ? "precision" : "width");
                exit(1);
            }
            if (part == 1 && v < 0)
                n--;                        // a negative precision: none
            else
                n += snprintf(spec + n, size - n, "%d", (int)v);
            p++;
        } else {
            while (isdigit((unsigned char)*p) && n < size - 24)
                spec[n++] = *p++;
        }
    }
    p += strspn(p, "hlLqjzt");
    spec[n++] = *p;
    spec[n] = '\0';
    *f = *p ? p + 1 : p;
    return *p;
}

// Prints the format once. Returns 1 when output must stop.
static int run_format(const char *f)
{
    char spec[128];
    while (*f) {
        if (*f == '\\') {
            size_t n;
            int v;
            enum esc_kind k = esc_decode(f + 1, 0, &n, &v);
            if (k == ESC_STOP)
                return 1;
            putchar(v);
            f += 1 + n;
        } else if (f[0] == '%' && f[1] == '%') {
            putchar('%');
            f += 2;
        } else if (*f == '%') {
            f++;
            char conv = read_spec(&f, spec, sizeof spec);
            if (!conv || !strchr("diouxXfFeEgGaAcsb", conv) || (conv == 'b' && strlen(spec) > 2)) {
                prog_warn("%s: invalid conversion specification", spec);
                exit(1);
            }
            if (convert(spec, conv))
                return 1;
        } else {
            putchar(*f++);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        prog_warn("missing operand");
        prog_usage("FORMAT [ARGUMENT...]", 1);
    }
    const char *format = argv[i];
    args = argv + i + 1;
    nargs = argc - i - 1;
    do {
        int before = used;
        if (run_format(format) || used == before)
            break;
    } while (used < nargs);
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
