// seq: prints a sequence of numbers.
// usage: seq [-w] [-s SEP] [-f FORMAT] [FIRST [INCREMENT]] LAST
// FIRST and INCREMENT default to 1. Integers are printed as integers;
// otherwise with as many decimals as FIRST or INCREMENT has (1.5e1 has
// none, 1e-2 has two). -w pads with leading zeros to equal width; -s puts SEP
// between the numbers (default a newline); -f prints each with the printf
// floating-point FORMAT (one %e, %f, %g ... conversion). Non-integers are
// computed as FIRST + i * INCREMENT in double precision.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prog.h"

#define USAGE "[-w] [-s SEP] [-f FORMAT] [FIRST [INCREMENT]] LAST"

static int opt_w;
static const char *sep = "\n", *user_format;

struct num {
    double value;
    int is_int;             // decimal digits only, fits a long long
    long long ivalue;
    int decimals;           // digits after the point, less the exponent
};

// Parses a number argument or exits with a message.
static struct num parse_num(const char *s)
{
    struct num n = { 0, 0, 0, 0 };
    char *end;
    errno = 0;
    n.value = strtod(s, &end);
    if (end == s || *end != '\0' || n.value != n.value) {
        prog_warn("invalid floating point argument: '%s'", s);
        prog_usage(USAGE, 1);
    }
    const char *dot = strchr(s, '.'), *e = strpbrk(s, "eE");
    if (dot)
        n.decimals = (int)((e ? e : dot + strlen(dot)) - dot - 1);
    if (e)
        n.decimals -= (int)strtol(e + 1, NULL, 10);
    if (n.decimals < 0)
        n.decimals = 0;
    errno = 0;
    n.ivalue = strtoll(s, &end, 10);
    n.is_int = *end == '\0' && errno == 0;
    return n;
}

// Prints integers first, first+incr, ... up to last.
static void seq_int(long long first, long long incr, long long last, int width)
{
    const char *between = NULL;
    for (long long v = first; incr > 0 ? v <= last : v >= last; v += incr) {
        printf("%s%0*lld", between ? between : "", width, v);
        between = sep;
        if ((incr > 0 && v > __LONG_LONG_MAX__ - incr) || (incr < 0 && v < -__LONG_LONG_MAX__ - 1 - incr))
            break;
    }
    if (between)
        putchar('\n');
}

// Formats v into buf as the output would show it.
static void format(char *buf, size_t size, double v, int decimals, int width)
{
    if (user_format)
        snprintf(buf, size, user_format, v);
    else
        snprintf(buf, size, "%0*.*f", width, decimals, v);
}

// Prints first + i*incr for i = 0, 1, ... while not past last. A value a
// rounding error puts past last is still printed if it prints as last.
static void seq_float(double first, double incr, double last, int decimals, int width)
{
    char buf[512], lastbuf[512];
    const char *between = NULL;
    format(lastbuf, sizeof lastbuf, last, decimals, width);
    for (unsigned long long i = 0;; i++) {
        double v = first + (double)i * incr;
        format(buf, sizeof buf, v, decimals, width);
        if (incr > 0 ? v > last : v < last) {
            if (i == 0 || strcmp(buf, lastbuf) != 0)
                break;
        }
        printf("%s%s", between ? between : "", buf);
        between = sep;
        if (strcmp(buf, lastbuf) == 0)
            break;
    }
    if (between)
        putchar('\n');
}

// Checks that a -f format has exactly one floating-point conversion.
static void check_format(const char *f)
{
    int convs = 0;
    for (const char *p = f; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        p += 1 + strspn(p + 1, "-+ #0'123456789.");
        if (!*p || !strchr("aAeEfFgG", *p)) {
            prog_warn("format '%s' has an unknown %%%c directive", f, *p ? *p : ' ');
            exit(1);
        }
        convs++;
    }
    if (convs != 1) {
        prog_warn("format '%s' has %s %% directive", f, convs ? "more than one" : "no");
        exit(1);
    }
}

// Parses options; returns the index of the first number.
static int parse_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && isalpha((unsigned char)argv[i][1]); i++) {
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'w') {
                opt_w = 1;
                continue;
            }
            if (*p != 's' && *p != 'f') {
                prog_warn("invalid option -- '%c'", *p);
                prog_usage(USAGE, 1);
            }
            const char *v = p[1] ? p + 1 : argv[++i];
            if (!v)
                prog_usage(USAGE, 1);
            if (*p == 's')
                sep = v;
            else
                user_format = v;
            break;
        }
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    return i;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int i = parse_options(argc, argv), n = argc - i;
    if (n < 1 || n > 3) {
        prog_warn(n < 1 ? "missing operand" : "extra operand '%s'", n < 1 ? "" : argv[i + 3]);
        prog_usage(USAGE, 1);
    }
    struct num first = { 1, 1, 1, 0 }, incr = { 1, 1, 1, 0 };
    struct num last = parse_num(argv[argc - 1]);
    if (n >= 2)
        first = parse_num(argv[i]);
    if (n == 3)
        incr = parse_num(argv[i + 1]);
    if (incr.value == 0) {
        prog_warn("invalid Zero increment value: '%s'", argv[i + 1]);
        prog_usage(USAGE, 1);
    }
    if (user_format) {
        if (opt_w) {
            prog_warn("format string may not be specified when printing equal width strings");
            prog_usage(USAGE, 1);
        }
        check_format(user_format);
    }
    int decimals = first.decimals > incr.decimals ? first.decimals : incr.decimals;
    int width = 0;
    if (opt_w) {
        char a[512], b[512];
        format(a, sizeof a, first.value, decimals, 0);
        format(b, sizeof b, last.value, decimals, 0);
        width = (int)(strlen(a) > strlen(b) ? strlen(a) : strlen(b));
    }
    if (first.is_int && incr.is_int && last.is_int && !user_format)
        seq_int(first.ivalue, incr.ivalue, last.ivalue, width);
    else
        seq_float(first.value, incr.value, last.value, decimals, width);
    return fflush(stdout) == 0 ? 0 : 1;
}
