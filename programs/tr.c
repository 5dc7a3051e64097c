// tr: translates, deletes or squeezes bytes from standard input.
// usage: tr [-c] [-d] [-s] SET1 [SET2]
// SET2 is padded with its last byte to the length of SET1. Sets hold
// bytes, backslash escapes (\n \t \\ \NNN ...), ranges a-z, classes
// [:alpha:] [:digit:] [:upper:] ..., [=c=], and in SET2 [c*N] (N copies,
// octal with a leading 0) and [c*] (as many as fill SET1). -c uses the
// complement of SET1 (all other bytes, in order); -d deletes SET1's bytes;
// -s squeezes runs of a byte of the last set given into one.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "prog.h"
#include "optscan.h"

#define USAGE "[-c] [-d] [-s] SET1 [SET2]"

struct set {
    int bytes[4096];
    size_t n;
    long fill_at;           // index of [c*] in SET2, or -1
    int fill_byte;
};

static const struct { const char *name; int (*is)(int); } classes[] = {
    { "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank }, { "cntrl", iscntrl },
    { "digit", isdigit }, { "graph", isgraph }, { "lower", islower }, { "print", isprint },
    { "punct", ispunct }, { "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

// Reports msg (and arg when given) and exits with status 1.
static void fail(const char *msg, const char *arg)
{
    prog_warn("%s%s%s", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

// Appends byte b to the set (an error past 4096 bytes).
static void add(struct set *s, int b)
{
    if (s->n == sizeof s->bytes / sizeof s->bytes[0])
        fail("set too long", NULL);
    s->bytes[s->n++] = b;
}

// Reads one byte of a set at *p (an escape or a plain byte); advances *p.
static int next_byte(const char **p)
{
    const char *s = *p;
    if (s[0] != '\\') {
        *p = s + 1;
        return (unsigned char)s[0];
    }
    if (s[1] == '\0') {
        *p = s + 1;
        return '\\';
    }
    size_t used;
    int v;
    if (esc_decode(s + 1, 0, &used, &v) != ESC_BYTE) {
        v = (unsigned char)s[1];            // \c, \q...: the letter itself
        used = 1;
    }
    *p = s + 1 + used;
    return v;
}

// [:name:] at s: adds the class and returns the length, or 0.
static size_t parse_class(const char *s, struct set *set)
{
    const char *end = strstr(s + 2, ":]");
    if (s[1] != ':' || !end)
        return 0;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strlen(classes[i].name) == (size_t)(end - s - 2) &&
            strncmp(s + 2, classes[i].name, end - s - 2) == 0) {
            for (int b = 0; b < 256; b++)
                if (classes[i].is(b))
                    add(set, b);
            return end + 2 - s;
        }
    }
    fail("invalid character class", s);
    return 0;
}

// [c*N], [c*] or [=c=] at s: adds it and returns the length, or 0.
static size_t parse_bracket(const char *s, struct set *set, int is_set2)
{
    const char *p = s + 1;
    if (*p == '\0')
        return 0;
    if (*p == '=' && p[1] && p[2] == '=' && p[3] == ']') {
        add(set, (unsigned char)p[1]);
        return 5;
    }
    int b = next_byte(&p);
    if (*p != '*' || !is_set2)
        return 0;
    char *end;
    unsigned long n = strtoul(p + 1, &end, p[1] == '0' ? 8 : 10);
    if (*end != ']')
        return 0;
    if (end == p + 1 || n == 0) {
        if (set->fill_at >= 0)
            fail("only one [c*] repeat construct may appear in string2", NULL);
        set->fill_at = (long)set->n;
        set->fill_byte = b;
    }
    while (n-- > 0)
        add(set, b);
    return end + 1 - s;
}

// Expands a set argument into its list of bytes.
static void parse_set(const char *s, struct set *set, int is_set2)
{
    set->n = 0;
    set->fill_at = -1;
    while (*s) {
        size_t len = 0;
        if (*s == '[' && (len = parse_class(s, set)) == 0)
            len = parse_bracket(s, set, is_set2);
        if (len) {
            s += len;
            continue;
        }
        int lo = next_byte(&s);
        if (s[0] == '-' && s[1]) {
            s++;
            int hi = next_byte(&s);
            if (hi < lo)
                fail("range-endpoints are in reverse collating sequence order", NULL);
            for (int b = lo; b <= hi; b++)
                add(set, b);
        } else {
            add(set, lo);
        }
    }
}

// The bytes not in set, in increasing order.
static void complement(struct set *set)
{
    char in[256] = { 0 };
    for (size_t i = 0; i < set->n; i++)
        in[set->bytes[i]] = 1;
    set->n = 0;
    for (int b = 0; b < 256; b++)
        if (!in[b])
            add(set, b);
}

// Fills SET2's [c*] and pads it with its last byte to SET1's length.
static void fit_set2(struct set *s2, size_t len1)
{
    if (s2->fill_at >= 0 && s2->n < len1) {
        size_t extra = len1 - s2->n;
        memmove(s2->bytes + s2->fill_at + extra, s2->bytes + s2->fill_at,
                (s2->n - s2->fill_at) * sizeof s2->bytes[0]);
        for (size_t i = 0; i < extra; i++)
            s2->bytes[s2->fill_at + i] = s2->fill_byte;
        s2->n = len1;
    }
    if (s2->n == 0)
        fail("when not truncating set1, string2 must be non-empty", NULL);
    while (s2->n < len1)
        add(s2, s2->bytes[s2->n - 1]);
}

static struct set set1, set2;

// Copies standard input to standard output: map, delete, squeeze.
static void filter(const int map[256], const char del[256], const char squeeze[256])
{
    int c, last = -1;
    while ((c = getchar()) != EOF) {
        if (del[c])
            continue;
        c = map[c];
        if (squeeze[c] && c == last)
            continue;
        last = c;
        putchar(c);
    }
}

// Parses the options into *c, *d, *s; returns the index of SET1.
static int parse_options(int argc, char **argv, int *opt_c, int *opt_d, int *opt_s)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'c' || c == 'C')
            *opt_c = 1;
        else if (c == 'd')
            *opt_d = 1;
        else if (c == 's')
            *opt_s = 1;
        else {
            prog_warn("invalid option -- '%c'", c);
            prog_usage(USAGE, 1);
        }
    }
    return s.i;
}

// Checks the number of sets: -d takes one, -d -s two, -s one or two,
// translating two.
static void check_operands(int nsets, int opt_d, int opt_s, char **sets)
{
    int want = (opt_d == opt_s) ? 2 : 1;
    if (nsets < want) {
        if (nsets)
            prog_warn("missing operand after '%s'", sets[0]);
        else
            prog_warn("missing operand");
        prog_usage(USAGE, 1);
    }
    if (nsets > 2 || (opt_d && !opt_s && nsets > 1)) {
        prog_warn("extra operand '%s'", sets[want]);
        prog_usage(USAGE, 1);
    }
}

int main(int argc, char **argv)
{
    int opt_c = 0, opt_d = 0, opt_s = 0, map[256];
    char del[256] = { 0 }, squeeze[256] = { 0 };
    prog_init(argv[0]);
    int i = parse_options(argc, argv, &opt_c, &opt_d, &opt_s), nsets = argc - i;
    check_operands(nsets, opt_d, opt_s, argv + i);
    parse_set(argv[i], &set1, 0);
    if (opt_c)
        complement(&set1);
    for (int b = 0; b < 256; b++)
        map[b] = b;
    if (nsets == 2)
        parse_set(argv[i + 1], &set2, 1);
    if (opt_d) {
        for (size_t k = 0; k < set1.n; k++)
            del[set1.bytes[k]] = 1;
    } else if (nsets == 2) {
        fit_set2(&set2, set1.n);
        for (size_t k = 0; k < set1.n; k++)
            map[set1.bytes[k]] = set2.bytes[k];
    }
    if (opt_s) {
        const struct set *sq = nsets == 2 ? &set2 : &set1;
        for (size_t k = 0; k < sq->n; k++)
            squeeze[sq->bytes[k]] = 1;
    }
    filter(map, del, squeeze);
    return fflush(stdout) == 0 ? 0 : 1;
}
