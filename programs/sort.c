// sort: sorts lines of text files, byte by byte (as GNU sort with LC_ALL=C).
// usage: sort [-f] [-n] [-r] [-u] [-o FILE] [-t C] [-k N[.C][,M[.C]][bfnr]]... [file...]
//   -n  compare as numbers   -r  reverse   -u  one line of each equal run
//   -f  fold lower case to upper case      -o FILE  write to FILE (may be an input)
//   -t C  fields end at C (default: a field is blanks then non-blanks)
//   -k  sort by the key from field N to field M (default to the line end)
// Lines whose keys are equal are ordered by the whole line (not with -u).
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "lines.h"
#include "optscan.h"
#include "prog.h"

#define USAGE "[-f] [-n] [-r] [-u] [-o FILE] [-t C] [-k N[,M]]... [file...]"
#define MAX_KEYS 16

struct key {
    unsigned long f1, c1, f2, c2;   // fields and characters from 1; f2 0: line end
    int numeric, reverse, blanks;   // blanks: skip leading blanks
    int fold;
};

static struct key keys[MAX_KEYS];
static int nkeys, opt_n, opt_r, opt_u, opt_f;
static const char *out_path;        // -o
static int tab = -1;                // -t's character, or -1

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

// From i to the end of the field there: with -t, up to the next
// separator; else past blanks, then past non-blanks.
static size_t field_skip(const char *s, size_t len, size_t i)
{
    if (tab >= 0) {
        while (i < len && s[i] != (char)tab)
            i++;
    } else {
        while (i < len && is_blank(s[i]))
            i++;
        while (i < len && !is_blank(s[i]))
            i++;
    }
    return i;
}

// Start of field f (from 1) in s[0..len): with -t after f-1 separators,
// else after f-1 runs of blanks-then-non-blanks.
static size_t field_start(const char *s, size_t len, unsigned long f)
{
    size_t i = 0;
    for (unsigned long n = 1; n < f && i < len; n++) {
        i = field_skip(s, len, i);
        if (tab >= 0 && i < len)
            i++;                                // the separator
    }
    return i;
}

// End of field f: the next separator, or the end of its non-blanks.
static size_t field_end(const char *s, size_t len, unsigned long f)
{
    return field_skip(s, len, field_start(s, len, f));
}

// The part of line l that key k covers: [*b, *e).
static void key_span(const struct key *k, const struct line *l, size_t *b, size_t *e)
{
    size_t s = field_start(l->s, l->len, k->f1);
    if (k->blanks)
        while (s < l->len && is_blank(l->s[s]))
            s++;
    s = k->c1 > 1 ? s + k->c1 - 1 : s;
    size_t end = l->len;
    if (k->f2) {
        if (k->c2) {
            end = field_start(l->s, l->len, k->f2) + k->c2;
        } else {
            end = field_end(l->s, l->len, k->f2);
        }
    }
    end = end > l->len ? l->len : end;
    *b = s > end ? end : s;
    *e = end;
}

// Splits a number at s[0..len) into sign, integer digits (no leading
// zeros) and fraction digits (no trailing zeros).
struct num {
    int neg;
    const char *ip, *fp;
    size_t il, fl;
};

static void num_split(const char *s, size_t len, struct num *n)
{
    size_t i = 0;
    while (i < len && is_blank(s[i]))
        i++;
    n->neg = i < len && s[i] == '-';
    i += n->neg;
    while (i < len && s[i] == '0')
        i++;
    n->ip = s + i;
    n->il = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, n->il++;
    n->fp = s + i;
    n->fl = 0;
    if (i < len && s[i] == '.') {
        n->fp = s + i + 1;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            n->fl++;
        while (n->fl && n->fp[n->fl - 1] == '0')
            n->fl--;
    }
    if (n->il == 0 && n->fl == 0)
        n->neg = 0;                 // -0 is 0
}

// Compares two numbers' magnitudes.
static int num_mag_cmp(const struct num *a, const struct num *b)
{
    if (a->il != b->il)
        return a->il < b->il ? -1 : 1;
    int c = memcmp(a->ip, b->ip, a->il);
    if (c)
        return c;
    size_t m = a->fl < b->fl ? a->fl : b->fl;
    c = memcmp(a->fp, b->fp, m);
    if (c)
        return c;
    return a->fl == b->fl ? 0 : a->fl < b->fl ? -1 : 1;
}

// Compares the leading numbers of two strings (non-numbers are 0).
static int num_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    struct num x, y;
    num_split(a, al, &x);
    num_split(b, bl, &y);
    if (x.neg != y.neg)
        return x.neg ? -1 : 1;
    int c = num_mag_cmp(&x, &y);
    return x.neg ? -c : c;
}

// Compares bytes with lower case letters taken as upper case.
static int folded_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    for (size_t i = 0; i < al && i < bl; i++) {
        int x = toupper((unsigned char)a[i]), y = toupper((unsigned char)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return al == bl ? 0 : al < bl ? -1 : 1;
}

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c)
        return c < 0 ? -1 : 1;
    return al == bl ? 0 : al < bl ? -1 : 1;
}

// Compares two lines by the keys only.
static int keys_cmp(const struct line *a, const struct line *b)
{
    for (int i = 0; i < nkeys; i++) {
        size_t ab, ae, bb, be;
        key_span(&keys[i], a, &ab, &ae);
        key_span(&keys[i], b, &bb, &be);
        int (*cmp)(const char *, size_t, const char *, size_t) =
            keys[i].numeric ? num_cmp : keys[i].fold ? folded_cmp : bytes_cmp;
        int c = cmp(a->s + ab, ae - ab, b->s + bb, be - bb);
        if (c)
            return keys[i].reverse ? -c : c;
    }
    return 0;
}

// Keys, then (without -u) the whole line as the last resort.
static int line_cmp(const struct line *a, const struct line *b)
{
    int c = keys_cmp(a, b);
    if (c || opt_u)
        return c;
    c = bytes_cmp(a->s, a->len, b->s, b->len);
    return opt_r ? -c : c;
}

// Parses "N[.C]" at *p into *f and *c; returns 0 or -1.
static int parse_pos(const char **p, unsigned long *f, unsigned long *c)
{
    char *end;
    if (**p < '0' || **p > '9')
        return -1;
    *f = strtoul(*p, &end, 10);
    *c = 0;
    if (*end == '.') {
        if (end[1] < '0' || end[1] > '9')
            return -1;
        *c = strtoul(end + 1, &end, 10);
    }
    *p = end;
    return 0;
}

// Parses the option letters after a key position.
static int parse_key_opts(const char **p, struct key *k)
{
    for (; **p && **p != ','; (*p)++) {
        if (**p == 'n')
            k->numeric = 1;
        else if (**p == 'r')
            k->reverse = 1;
        else if (**p == 'b')
            k->blanks = 1;
        else if (**p == 'f')
            k->fold = 1;
        else
            return -1;
    }
    return 0;
}

// Adds the key described by -k's argument; exits on a bad one.
static void add_key(const char *arg)
{
    struct key k = { 0, 0, 0, 0, 0, 0, 0, 0 };
    const char *p = arg;
    int bad = nkeys == MAX_KEYS || parse_pos(&p, &k.f1, &k.c1) < 0 || k.f1 == 0 ||
              parse_key_opts(&p, &k) < 0;
    if (!bad && *p == ',') {
        p++;
        bad = parse_pos(&p, &k.f2, &k.c2) < 0 || k.f2 == 0 || parse_key_opts(&p, &k) < 0 || *p;
    }
    if (bad) {
        prog_warn("invalid key '%s'", arg);
        prog_usage(USAGE, 2);
    }
    if (!k.numeric && !k.reverse && !k.blanks && !k.fold)
        k.numeric = -1;             // takes the global options
    keys[nkeys++] = k;
}

// Parses options; returns the index of the first file.
static int sort_options(int argc, char **argv)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'n' || c == 'r' || c == 'u' || c == 'f') {
            *(c == 'n' ? &opt_n : c == 'r' ? &opt_r : c == 'u' ? &opt_u : &opt_f) = 1;
            continue;
        }
        if (c != 'k' && c != 't' && c != 'o') {
            prog_warn("unknown option -%c", c);
            prog_usage(USAGE, 2);
        }
        const char *arg = optscan_value(&s);
        if (!arg) {
            prog_warn("option -%c needs an argument", c);
            prog_usage(USAGE, 2);
        }
        if (c == 'o') {
            out_path = arg;
        } else if (c == 'k') {
            add_key(arg);
        } else if (strlen(arg) != 1) {
            prog_warn("the separator must be one character: '%s'", arg);
            prog_usage(USAGE, 2);
        } else {
            tab = (unsigned char)arg[0];
        }
    }
    return s.i;
}

// Gives keys without their own options the global -n and -r; with no
// -k, the whole line is the one key.
static void keys_finish(void)
{
    if (nkeys == 0)
        keys[nkeys++] = (struct key){ 1, 0, 0, 0, -1, 0, 0, 0 };
    for (int i = 0; i < nkeys; i++) {
        if (keys[i].numeric == -1) {
            keys[i].numeric = opt_n;
            keys[i].reverse = opt_r;
            keys[i].fold = opt_f;
        }
    }
}

// Reads every input into ls. Returns 0, or 2 after reporting a problem.
static int sort_read(int nfiles, char **files, struct lines *ls)
{
    char *dash[] = { "-" };
    if (nfiles == 0) {
        nfiles = 1;
        files = dash;
    }
    for (int i = 0; i < nfiles; i++) {
        FILE *f = prog_open(files[i]);
        if (!f)
            return 2;
        int r = lines_read_all(f, ls);
        if (r < 0)
            prog_warn_errno("%s", files[i]);
        prog_close(f);
        if (r < 0)
            return 2;
    }
    return 0;
}

// Sorts v[0..n) stably (merge sort; tmp holds n lines), so that among
// lines -u finds equal the first one read comes first.
static void merge_sort(struct line *v, struct line *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2, i = 0, j = h, k = 0;
    merge_sort(v, tmp, h);
    merge_sort(v + h, tmp, n - h);
    while (i < h && j < n)
        tmp[k++] = line_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    memcpy(v, tmp, k * sizeof(*v));
}

int main(int argc, char **argv)
{
    struct lines ls = { NULL, 0, 0, 1 };
    prog_init(argv[0]);
    int i = sort_options(argc, argv);
    keys_finish();
    if (sort_read(argc - i, argv + i, &ls))
        return 2;
    struct line *tmp = malloc((ls.n ? ls.n : 1) * sizeof(*tmp));
    if (!tmp) {
        prog_warn("out of memory");
        return 2;
    }
    merge_sort(ls.v, tmp, ls.n);
    free(tmp);
    if (out_path && !freopen(out_path, "w", stdout)) {   // after reading: -o may be an input
        prog_warn_errno("%s", out_path);
        return 2;
    }
    for (size_t j = 0; j < ls.n; j++) {
        if (opt_u && j > 0 && keys_cmp(&ls.v[j - 1], &ls.v[j]) == 0)
            continue;
        line_put(ls.v[j].s, ls.v[j].len);
    }
    lines_free(&ls);
    if (fflush(stdout) != 0) {
        prog_warn_errno("write error");
        return 2;
    }
    return 0;
}
