// od: dumps files in octal, hexadecimal, decimal or as characters.
// usage: od [-A d|o|x|n] [-t TYPE]... [-a -b -c -d -i -l -o -s -x] [-v]
//           [-j SKIP] [-N COUNT] [-w WIDTH] [file...]
// The files are read as one stream, WIDTH (16) bytes a line, each line
// once per TYPE: a (named characters), c (characters and escapes), or
// d, o, u, x followed by a size 1, 2, 4, 8 or C, S, I, L (default o2).
// Lines start with the offset in the -A radix (default octal); a run of
// lines equal to the one before is shown as "*" unless -v. The last line
// is the offset of the end.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "numarg.h"
#include "prog.h"

#define USAGE "[-A d|o|x|n] [-t TYPE]... [-abcdilosx] [-v] [-j SKIP] [-N COUNT] [-w WIDTH] [file...]"
#define MAX_SPECS 16

struct spec {
    char kind;              // a c d o u x
    int size;               // bytes per field
    int width;              // field width
    int pad;                // extra blanks spread over a line's fields
};

static struct spec specs[MAX_SPECS];
static int nspecs, verbose, addr_radix = 'o';
static size_t per_line = 16;
static unsigned long long skip, limit = ~0ULL;

// Reports fmt (taking arg) and exits with status 1.
static void fail(const char *fmt, const char *arg) __attribute__((noreturn));
static void fail(const char *fmt, const char *arg)
{
    prog_warn(fmt, arg);
    exit(1);
}

// The width of a field of this kind and size.
static int field_width(char kind, int size)
{
    static const int o[] = { 3, 6, 0, 11, 0, 0, 0, 22 }, x[] = { 2, 4, 0, 8, 0, 0, 0, 16 };
    static const int u[] = { 3, 5, 0, 10, 0, 0, 0, 20 }, d[] = { 4, 6, 0, 11, 0, 0, 0, 20 };
    switch (kind) {
    case 'o': return o[size - 1];
    case 'x': return x[size - 1];
    case 'u': return u[size - 1];
    case 'd': return d[size - 1];
    }
    return 3;
}

// Adds an output type (kind a c d o u x, size in bytes).
static void add_spec(char kind, int size)
{
    if (nspecs == MAX_SPECS)
        fail("too many types%s", "");
    specs[nspecs].kind = kind;
    specs[nspecs].size = size;
    specs[nspecs++].width = field_width(kind, size);
}

// Adds the types of a -t argument such as "x1", "d", "c", "o2u4".
static void parse_type(const char *t)
{
    if (!*t)
        fail("invalid type string '%s'", t);
    while (*t) {
        char kind = *t++;
        int size = 1;
        if (!strchr("acdoux", kind))
            fail("invalid type string '%s'", t - 1);
        if (kind != 'a' && kind != 'c') {
            size = 4;
            if (*t && strchr("CSIL", *t))
                size = *t == 'C' ? 1 : *t == 'S' ? 2 : *t == 'I' ? 4 : 8, t++;
            else if (*t >= '1' && *t <= '9')
                size = (int)strtol(t, (char **)&t, 10);
            if (size != 1 && size != 2 && size != 4 && size != 8)
                fail("invalid type size in '%s'", t);
        }
        add_spec(kind, size);
    }
}

// Computes each type's padding so that all lines have the same width.
static void layout(void)
{
    int line_width = 0;
    for (int i = 0; i < nspecs; i++) {
        int w = (specs[i].width + 1) * (int)(per_line / specs[i].size);
        if (w > line_width)
            line_width = w;
    }
    for (int i = 0; i < nspecs; i++)
        specs[i].pad = line_width - specs[i].width * (int)(per_line / specs[i].size);
}

// One field's text: a byte as c or a shows it, or a number.
static void field_text(const struct spec *s, const unsigned char *p, char *out, size_t size)
{
    static const char *names[] = {
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
        "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub",
        "esc", "fs", "gs", "rs", "us", "sp" };
    static const char esc_from[] = "\a\b\f\n\r\t\v", *esc_to = "abfnrtv";
    uint64_t v = 0;
    memcpy(&v, p, s->size);                 // little-endian, as the CPU
    if (s->kind == 'a') {
        int c = p[0] & 0x7f;
        snprintf(out, size, "%s", c <= ' ' ? names[c] : c == 0x7f ? "del" : (char[]){ (char)c, 0 });
    } else if (s->kind == 'c') {
        const char *e = p[0] ? memchr(esc_from, p[0], 7) : NULL;
        if (p[0] == 0 || e)
            snprintf(out, size, "\\%c", p[0] ? esc_to[e - esc_from] : '0');
        else if (p[0] >= ' ' && p[0] < 0x7f)
            snprintf(out, size, "%c", p[0]);
        else
            snprintf(out, size, "%03o", p[0]);
    } else if (s->kind == 'd') {
        int shift = 64 - 8 * s->size;
        snprintf(out, size, "%*lld", s->width, (long long)(int64_t)(v << shift) >> shift);
    } else {
        const char *f = s->kind == 'o' ? "%0*llo" : s->kind == 'x' ? "%0*llx" : "%*llu";
        snprintf(out, size, f, s->width, (unsigned long long)v);
    }
}

// Prints one line of type s for the n bytes at p (the line is zero-padded).
static void print_fields(const struct spec *s, const unsigned char *p, size_t n)
{
    int fields = (int)(per_line / s->size), blank = (int)((per_line - n) / s->size);
    int pad_left = s->pad;
    char text[32];
    for (int i = fields; i > blank; i--) {
        int next_pad = s->pad * (i - 1) / fields;
        field_text(s, p, text, sizeof text);
        printf("%*s", pad_left - next_pad + s->width, text);
        pad_left = next_pad;
        p += s->size;
    }
    putchar('\n');
}

// Prints offset a in the -A radix (nothing for -A n).
static void print_address(unsigned long long a)
{
    if (addr_radix == 'o')
        printf("%07llo", a);
    else if (addr_radix == 'd')
        printf("%07llu", a);
    else if (addr_radix == 'x')
        printf("%06llx", a);
}

// Prints one block of n bytes at offset a (all types).
static void print_block(unsigned long long a, const unsigned char *p, size_t n)
{
    int addr_width = addr_radix == 'n' ? 0 : addr_radix == 'x' ? 6 : 7;
    for (int i = 0; i < nspecs; i++) {
        if (i == 0)
            print_address(a);
        else
            printf("%*s", addr_width, "");
        print_fields(&specs[i], p, n);
    }
}

static char **files;
static int nfiles, cur_file = -1, status;
static FILE *in;

// Reads up to n bytes of the files taken as one stream; 0 at the end.
static size_t read_stream(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (!in) {
            if (++cur_file >= nfiles)
                break;
            if (!(in = prog_open(files[cur_file]))) {
                status = 1;
                continue;
            }
        }
        got += fread(buf + got, 1, n - got, in);
        if (got < n) {
            if (ferror(in)) {
                prog_warn_errno("%s", files[cur_file]);
                status = 1;
            }
            prog_close(in);
            in = NULL;
        }
    }
    return got;
}

// Dumps the stream after skip bytes, at most limit bytes.
static void dump(void)
{
    unsigned char *cur = malloc(per_line), *prev = malloc(per_line);
    unsigned long long addr = 0, left = limit;
    int have_prev = 0, starred = 0;
    if (!cur || !prev)
        fail("out of memory%s", "");
    for (size_t n; addr < skip && (n = read_stream(cur, skip - addr < per_line ? skip - addr : per_line)) > 0;)
        addr += n;
    if (addr < skip)
        fail("cannot skip past end of combined input%s", "");
    for (size_t n; left > 0 && (n = read_stream(cur, left < per_line ? left : per_line)) > 0;) {
        if (!verbose && have_prev && n == per_line && memcmp(cur, prev, n) == 0) {
            if (!starred)
                puts("*");
            starred = 1;
        } else {
            memset(cur + n, 0, per_line - n);
            print_block(addr, cur, n);
            starred = 0;
        }
        memcpy(prev, cur, per_line);
        have_prev = n == per_line;
        addr += n;
        left -= n;
    }
    if (addr_radix != 'n') {
        print_address(addr);
        putchar('\n');
    }
    free(cur);
    free(prev);
}

// The value of an option that takes one (-A, -t, -j, -N, -w).
static void option_value(char opt, const char *v)
{
    unsigned long long n;
    if (opt == 'A') {
        if (strlen(v) != 1 || !strchr("doxn", v[0]))
            fail("invalid output address radix '%s'; it must be one character from [doxn]", v);
        addr_radix = v[0];
    } else if (opt == 't') {
        parse_type(v);
    } else if (numarg_count(v, &n) < 0 || (opt == 'w' && (n == 0 || n > 4096))) {
        fail("invalid number '%s'", v);
    } else {
        *(opt == 'j' ? &skip : opt == 'N' ? &limit : &n) = n;
        if (opt == 'w')
            per_line = (size_t)n;
    }
}

// Parses the options; returns the index of the first file.
static int parse_options(int argc, char **argv)
{
    static const char *shorthands[] = { "aa", "bo1", "cc", "du2", "id4", "ld8", "oo2", "sd2", "xx2" };
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        for (const char *p = argv[i] + 1; *p; p++) {
            const char *v;
            if (*p == 'v') {
                verbose = 1;
            } else if (*p == 'w' && !p[1] && (i + 1 >= argc || argv[i + 1][0] < '0' || argv[i + 1][0] > '9')) {
                per_line = 32;
            } else if (strchr("AtjNw", *p)) {
                if (!(v = p[1] ? p + 1 : argv[++i]))
                    prog_usage(USAGE, 1);
                option_value(*p, v);
                break;
            } else {
                size_t k = 0;
                while (k < sizeof shorthands / sizeof shorthands[0] && shorthands[k][0] != *p)
                    k++;
                if (k == sizeof shorthands / sizeof shorthands[0]) {
                    prog_warn("invalid option -- '%c'", *p);
                    prog_usage(USAGE, 1);
                }
                parse_type(shorthands[k] + 1);
            }
        }
    }
    return i;
}

int main(int argc, char **argv)
{
    static char *dash[] = { "-", NULL };
    prog_init(argv[0]);
    int first = parse_options(argc, argv);
    files = first < argc ? argv + first : dash;
    nfiles = first < argc ? argc - first : 1;
    if (nspecs == 0)
        add_spec('o', 2);
    for (int i = 0; i < nspecs; i++)
        if (per_line % (size_t)specs[i].size != 0)
            fail("invalid width %s for the types given", "");
    layout();
    dump();
    return fflush(stdout) == 0 ? status : 1;
}
