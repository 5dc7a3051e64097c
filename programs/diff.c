// diff: compares two text files line by line.
// usage: diff [-q] [-u | -U N] FILE1 FILE2        "-" is standard input
// -q says only "Files FILE1 and FILE2 differ". Otherwise, without -u, the
// output is diff's normal format ("2c2", "< old", "---",
// "> new"); -u gives unified output with 3 lines of context (-U N: N), as
// GNU diff -u prints it. The unified header is "--- FILE1\tTIME" and
// "+++ FILE2\tTIME", TIME being the file's modification time in UTC as
// "YYYY-MM-DD HH:MM:SS.000000000 +0000" (this system keeps whole seconds),
// or the current time for standard input. A last line without '\n' is
// followed by "\ No newline at end of file".
// The changes are always a shortest edit script (Myers); where several
// exist, the one chosen may differ from GNU diff's, which also uses
// heuristics and slides changes along equal lines.
// Exit status: 0 no differences, 1 differences, 2 trouble.
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "lines.h"
#include "prog.h"

#define USAGE "[-q] [-u | -U N] FILE1 FILE2"

struct file {
    const char *name;
    struct lines l;
    unsigned long *hash;    // per line; the last line without '\n' differs
    char *changed;          // per line: deleted (file 0) or inserted (file 1)
    time_t mtime;
};

static struct file fa, fb;
static long *vf, *vb;       // Myers' furthest-reaching diagonals, both ways
static long context = -1;   // -1: normal format
static int opt_q;           // only say whether they differ

static unsigned long line_hash(const struct line *l, int nl)
{
    unsigned long h = 5381 + (unsigned long)nl;
    for (size_t i = 0; i < l->len; i++)
        h = h * 33 + (unsigned char)l->s[i];
    return h;
}

static int same(long i, long j)
{
    if (fa.hash[i] != fb.hash[j] || fa.l.v[i].len != fb.l.v[j].len)
        return 0;
    int nla = (size_t)i + 1 < fa.l.n || fa.l.last_nl;
    int nlb = (size_t)j + 1 < fb.l.n || fb.l.last_nl;
    return nla == nlb && memcmp(fa.l.v[i].s, fb.l.v[j].s, fa.l.v[i].len) == 0;
}

// Finds the middle snake of a[a0..a1) against b[b0..b1) (both non-empty,
// no common first or last line): sets [*x0,*x1) x [*y0,*y1).
static void middle_snake(long a0, long a1, long b0, long b1,
                         long *x0, long *y0, long *x1, long *y1)
{
    long n = a1 - a0, m = b1 - b0, delta = n - m, off = (n + m + 1) / 2 + 1;
    int odd = delta & 1;
    vf[off + 1] = 0;
    vb[off + 1] = 0;
    for (long d = 0; d <= (n + m + 1) / 2; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && vf[off + k - 1] < vf[off + k + 1]))
                     ? vf[off + k + 1] : vf[off + k - 1] + 1;
            long y = x - k, sx = x, sy = y;
            while (x < n && y < m && same(a0 + x, b0 + y))
                x++, y++;
            vf[off + k] = x;
            long rk = delta - k;
            if (odd && rk >= -(d - 1) && rk <= d - 1 && x + vb[off + rk] >= n) {
                *x0 = a0 + sx, *y0 = b0 + sy, *x1 = a0 + x, *y1 = b0 + y;
                return;
            }
        }
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && vb[off + k - 1] < vb[off + k + 1]))
                     ? vb[off + k + 1] : vb[off + k - 1] + 1;
            long y = x - k, sx = x, sy = y;
            while (x < n && y < m && same(a1 - 1 - x, b1 - 1 - y))
                x++, y++;
            vb[off + k] = x;
            long fk = delta - k;
            if (!odd && fk >= -d && fk <= d && x + vf[off + fk] >= n) {
                *x0 = a1 - x, *y0 = b1 - y, *x1 = a1 - sx, *y1 = b1 - sy;
                return;
            }
        }
    }
}

// Marks the lines of a[a0..a1) and b[b0..b1) that a shortest edit
// script deletes and inserts (Myers' linear-space divide and conquer).
static void compare(long a0, long a1, long b0, long b1)
{
    while (a0 < a1 && b0 < b1 && same(a0, b0))
        a0++, b0++;
    while (a0 < a1 && b0 < b1 && same(a1 - 1, b1 - 1))
        a1--, b1--;
    if (a0 == a1 || b0 == b1) {
        memset(fa.changed + a0, 1, (size_t)(a1 - a0));
        memset(fb.changed + b0, 1, (size_t)(b1 - b0));
        return;
    }
    long x0 = -1, y0 = 0, x1 = 0, y1 = 0;
    middle_snake(a0, a1, b0, b1, &x0, &y0, &x1, &y1);
    if (x0 < 0) {                   // cannot happen: the snake always exists
        memset(fa.changed + a0, 1, (size_t)(a1 - a0));
        memset(fb.changed + b0, 1, (size_t)(b1 - b0));
        return;
    }
    compare(a0, x0, b0, y0);
    compare(x1, a1, y1, b1);
}

// Reads one file; returns 0 or -1 after reporting.
static int load(struct file *f, const char *name)
{
    struct stat st;
    f->name = name;
    FILE *in = prog_open(name);
    if (!in)
        return -1;
    f->mtime = in == stdin || fstat(fileno(in), &st) < 0 ? time(NULL) : st.st_mtime;
    if (in != stdin && S_ISDIR(st.st_mode)) {
        prog_warn("%s: Is a directory", name);
        prog_close(in);
        return -1;
    }
    f->l.last_nl = 1;
    int r = lines_read_all(in, &f->l);
    if (r < 0)
        prog_warn_errno("%s", name);
    prog_close(in);
    f->hash = malloc((f->l.n + 1) * sizeof(*f->hash));
    f->changed = calloc(f->l.n + 1, 1);
    if (r == 0 && (!f->hash || !f->changed)) {
        prog_warn("%s: out of memory", name);
        r = -1;
    }
    for (size_t i = 0; r == 0 && i < f->l.n; i++)
        f->hash[i] = line_hash(&f->l.v[i], i + 1 < f->l.n || f->l.last_nl);
    return r;
}

// Prints one line with its prefix, and the no-newline note after a
// last line that lacks '\n'.
static void print_line(const struct file *f, long i, const char *prefix)
{
    fputs(prefix, stdout);
    line_put(f->l.v[i].s, f->l.v[i].len);
    if ((size_t)i + 1 == f->l.n && !f->l.last_nl)
        puts("\\ No newline at end of file");
}

// The next change at or after *i, *j: sets its end *ie, *je. Returns 0
// when there are no more changes.
static int next_change(long *i, long *j, long *ie, long *je)
{
    long na = (long)fa.l.n, nb = (long)fb.l.n;
    while (*i < na && *j < nb && !fa.changed[*i] && !fb.changed[*j])
        (*i)++, (*j)++;
    if (*i >= na && *j >= nb)
        return 0;
    *ie = *i, *je = *j;
    while (*ie < na && fa.changed[*ie])
        (*ie)++;
    while (*je < nb && fb.changed[*je])
        (*je)++;
    return 1;
}

// "N" or "N,M" for lines [s, e) (1-based on output); an empty range
// names the line before it.
static void print_range(long s, long e)
{
    if (e - s <= 1)
        printf("%ld", e - s == 1 ? s + 1 : s);
    else
        printf("%ld,%ld", s + 1, e);
}

static void normal_format(void)
{
    long i = 0, j = 0, ie, je;
    while (next_change(&i, &j, &ie, &je)) {
        print_range(i, ie);
        putchar(ie == i ? 'a' : je == j ? 'd' : 'c');
        print_range(j, je);
        putchar('\n');
        for (long k = i; k < ie; k++)
            print_line(&fa, k, "< ");
        if (ie > i && je > j)
            puts("---");
        for (long k = j; k < je; k++)
            print_line(&fb, k, "> ");
        i = ie, j = je;
    }
}

// "@@ -s,n +s,n @@": ",1" left out, an empty range names the line before.
static void hunk_range(char sign, long s, long n)
{
    if (n == 1)
        printf(" %c%ld", sign, s + 1);
    else
        printf(" %c%ld,%ld", sign, n ? s + 1 : s, n);
}

// Prints one hunk: changes from (i, j) up to the first gap of unchanged
// lines longer than 2 * context; returns the positions after it.
static void unified_hunk(long *pi, long *pj)
{
    long i = *pi, j = *pj, ie, je, na = (long)fa.l.n, nb = (long)fb.l.n;
    long ei, ej;
    next_change(&i, &j, &ie, &je);
    long si = i - *pi > context ? i - context : *pi, sj = j - (i - si);
    for (;;) {
        ei = ie, ej = je;
        long ni = ie, nj = je, nie, nje;
        if (!next_change(&ni, &nj, &nie, &nje) || ni - ie > 2 * context)
            break;
        ie = nie, je = nje;
    }
    long tail = na - ei < context ? na - ei : context;
    tail = nb - ej < tail ? nb - ej : tail;
    printf("@@");
    hunk_range('-', si, ei + tail - si);
    hunk_range('+', sj, ej + tail - sj);
    printf(" @@\n");
    for (i = si, j = sj; i < ei + tail || j < ej + tail;) {
        if ((i < na && fa.changed[i]) || (j < nb && fb.changed[j])) {
            while (i < na && fa.changed[i])
                print_line(&fa, i++, "-");
            while (j < nb && fb.changed[j])
                print_line(&fb, j++, "+");
        } else {
            print_line(&fa, i++, " ");
            j++;
        }
    }
    *pi = i, *pj = j;
}

static void print_header(const char *mark, const struct file *f)
{
    char when[64];
    struct tm *t = gmtime(&f->mtime);
    if (!t || !strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S.000000000 +0000", t))
        strcpy(when, "1970-01-01 00:00:00.000000000 +0000");
    printf("%s %s\t%s\n", mark, f->name, when);
}

static void unified_format(void)
{
    long i = 0, j = 0, ie, je;
    print_header("---", &fa);
    print_header("+++", &fb);
    for (;;) {
        long ci = i, cj = j;
        if (!next_change(&ci, &cj, &ie, &je))
            break;
        unified_hunk(&i, &j);
    }
}

// Parses the options; returns the index of the first file.
static int diff_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        if (strcmp(argv[i], "-q") == 0) {
            opt_q = 1;
        } else if (strcmp(argv[i], "-u") == 0) {
            context = 3;
        } else if (strncmp(argv[i], "-U", 2) == 0) {
            const char *n = argv[i][2] ? argv[i] + 2 : argv[++i];
            if (!n)
                prog_usage(USAGE, 2);
            context = (long)num_arg_ulong(n, "context length", 2);
        } else {
            prog_warn("unknown option %s", argv[i]);
            prog_usage(USAGE, 2);
        }
    }
    return i;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int i = diff_options(argc, argv);
    if (argc - i != 2) {
        prog_warn(argc - i < 2 ? "missing operand" : "extra operand '%s'", argv[argc - 1]);
        prog_usage(USAGE, 2);
    }
    if (load(&fa, argv[i]) < 0 || load(&fb, argv[i + 1]) < 0)
        return 2;
    long size = 2 * (long)(fa.l.n + fb.l.n) + 4;
    vf = malloc((size_t)size * sizeof(*vf));
    vb = malloc((size_t)size * sizeof(*vb));
    if (!vf || !vb) {
        prog_warn("out of memory");
        return 2;
    }
    compare(0, (long)fa.l.n, 0, (long)fb.l.n);
    long ci = 0, cj = 0, ie, je;
    if (!next_change(&ci, &cj, &ie, &je))
        return 0;
    if (opt_q)
        printf("Files %s and %s differ\n", fa.name, fb.name);
    else if (context < 0)
        normal_format();
    else
        unified_format();
    fflush(stdout);
    return 1;
}
