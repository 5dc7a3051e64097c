// grep: prints the lines that match a pattern.
// usage: grep [-iEFvnclqrhHowxa] [-A N] [-B N] [-C N] [-m N] [-e PATTERN]... [PATTERN] [file...]
//   -E  extended regular expressions  -F  fixed strings  -i  ignore case
//   -v  lines that do not match  -n  line numbers  -c  counts only
//   -l  names of files with a match  -q  no output, status only
//   -r  search folders recursively (none given: ".")
//   -o  print only the matched parts, each on a line  -x  match whole lines
//   -w  match whole words (no letter, digit or _ just before or after)
//   -A N / -B N / -C N   N lines after / before / around each selected
//   line (with '-' after the name and number; "--" between groups)
//   -m N  stop after N selected lines
// From the first line holding a NUL byte a file is binary: instead of a
// selected line, "grep: NAME: binary file matches" goes to standard error
// and the file ends there (-a: treat it as text anyway).
//   -h / -H  leave out / put the file name before each line (the default
//   is to name files when there are several or with -r)
// A pattern holding newlines is several patterns. Exit status: 0 a line
// was selected, 1 none, 2 an error (0 with -q if a line was selected).
// The regular expressions are POSIX's (newlib's regcomp in the system):
// GNU's \| \+ \? \< \> \b \w in basic ones are not there; use -E.
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lines.h"
#include "optscan.h"
#include "prog.h"
#include "walk.h"

#define USAGE "[-iEFvnclqrhHowxa] [-A N] [-B N] [-C N] [-m N] [-e PATTERN]... [PATTERN] [file...]"

static int opt_i, opt_E, opt_F, opt_v, opt_n, opt_c, opt_l, opt_q, opt_r, opt_o, opt_x, opt_w;
static int opt_a;
static int show_names = -1;         // -1: decided by the number of files
static unsigned long opt_A, opt_B, max_count = (unsigned long)-1;   // -A, -B, -m
static char **pats;                 // the patterns, one per line
static regex_t *res;
static int npats, status = 1;

// Splits text at newlines and adds each piece as a pattern.
static void add_patterns(const char *text)
{
    for (;;) {
        size_t n = strcspn(text, "\n");
        char **np = realloc(pats, (size_t)(npats + 1) * sizeof(*np));
        char *p = strndup(text, n);
        if (!np || !p) {
            prog_warn("out of memory");
            exit(2);
        }
        pats = np;
        pats[npats++] = p;
        if (!text[n])
            return;
        text += n + 1;
    }
}

// Compiles the patterns (not with -F); exits 2 on a bad one.
static void compile_patterns(void)
{
    if (opt_F)
        return;
    res = calloc((size_t)npats, sizeof(*res));
    int flags = (opt_E ? REG_EXTENDED : 0) | (opt_i ? REG_ICASE : 0);
    for (int i = 0; res && i < npats; i++) {
        int e = regcomp(&res[i], pats[i], flags);
        if (e) {
            char msg[128];
            regerror(e, &res[i], msg, sizeof msg);
            prog_warn("%s: %s", pats[i], msg);
            exit(2);
        }
    }
    if (!res) {
        prog_warn("out of memory");
        exit(2);
    }
}

// Finds pattern i's first match in s[from..len): sets [*ms, *me).
// Returns 0 when there is none.
static int match_one(int i, const char *s, size_t len, size_t from, size_t *ms, size_t *me)
{
    if (opt_F) {
        size_t pl = strlen(pats[i]);
        for (size_t p = from; p + pl <= len; p++) {
            if ((opt_i ? strncasecmp(s + p, pats[i], pl) : memcmp(s + p, pats[i], pl)) == 0) {
                *ms = p, *me = p + pl;
                return 1;
            }
        }
        return 0;
    }
    regmatch_t m = { (regoff_t)from, (regoff_t)len };     // NUL bytes are characters
    if (regexec(&res[i], s, 1, &m, REG_STARTEND | (from ? REG_NOTBOL : 0)) != 0)
        return 0;
    *ms = (size_t)m.rm_so, *me = (size_t)m.rm_eo;
    return 1;
}

// The leftmost (then longest) match of any pattern in s[from..len).
static int first_match(const char *s, size_t len, size_t from, size_t *ms, size_t *me)
{
    int found = 0;
    for (int i = 0; i < npats; i++) {
        size_t a, b;
        if (match_one(i, s, len, from, &a, &b) && (!found || a < *ms || (a == *ms && b > *me))) {
            *ms = a, *me = b;
            found = 1;
        }
    }
    return found;
}

static int is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

// -w: the first match in s[from..len) with no word character just before
// or after it (a shorter match at the same start is not tried).
static int word_match(const char *s, size_t len, size_t from, size_t *ms, size_t *me)
{
    while (from <= len && first_match(s, len, from, ms, me)) {
        if ((*ms == 0 || !is_word(s[*ms - 1])) && (*me == len || !is_word(s[*me])))
            return 1;
        from = *ms + 1;
    }
    return 0;
}

// The next match as the options ask (-w or not).
static int next_match(const char *s, size_t len, size_t from, size_t *ms, size_t *me)
{
    return opt_w ? word_match(s, len, from, ms, me) : first_match(s, len, from, ms, me);
}

// Whether the line matches (before -v); with -x a pattern must match all of it.
static int line_matches(const char *s, size_t len)
{
    size_t ms, me;
    if (!opt_x)
        return next_match(s, len, 0, &ms, &me);
    for (int i = 0; i < npats; i++)
        if (match_one(i, s, len, 0, &ms, &me) && ms == 0 && me == len)
            return 1;
    return 0;
}

// The prefix of an output line: "NAME:" and "N:" as asked (sep is '-'
// on context lines).
static void print_prefix(const char *name, unsigned long lineno, char sep)
{
    if (show_names)
        printf("%s%c", name, sep);
    if (opt_n)
        printf("%lu%c", lineno, sep);
}

// -o: prints each non-empty match of the line on a line of its own.
static void print_matches(const char *s, size_t len, const char *name, unsigned long lineno)
{
    size_t pos = 0, ms, me;
    while (pos <= len && next_match(s, len, pos, &ms, &me)) {
        if (me == ms) {
            pos = ms + 1;
            continue;
        }
        print_prefix(name, lineno, ':');
        line_put(s + ms, me - ms);
        pos = me;
    }
}

// -A, -B, -C: lines around the selected ones, within one file.
struct held {
    char *s;
    size_t len, cap;
    unsigned long no;
};
static struct held *held;           // the last opt_B lines, by number % opt_B
static unsigned long ctx_last;      // the last line printed in this file (0: none)
static unsigned long ctx_after;     // after-context lines still to print
static int ctx_any;                 // some group was printed (for "--")
static int ctx_on;                  // -A, -B or -C was given (even 0)

// Keeps a line that was not printed, for a later before-context.
static void context_hold(const char *s, size_t len, unsigned long no)
{
    struct held *h = &held[no % opt_B];
    if (len + 1 > h->cap) {
        h->cap = len + 1;
        free(h->s);
        if (!(h->s = malloc(h->cap))) {
            prog_warn("out of memory");
            exit(2);
        }
    }
    memcpy(h->s, s, len);
    h->len = len;
    h->no = no;
}

// A line that was not selected: after-context, or held for before-context.
static void context_other(const char *s, size_t len, const char *name, unsigned long no)
{
    if (ctx_after) {
        print_prefix(name, no, '-');
        line_put(s, len);
        ctx_last = no;
        ctx_after--;
    } else if (opt_B) {
        context_hold(s, len, no);
    }
}

// Before selected line no: "--" after a gap, then the held lines.
static void context_before(const char *name, unsigned long no)
{
    unsigned long first = no - (opt_B < no - 1 ? opt_B : no - 1);
    if (ctx_last && first <= ctx_last)
        first = ctx_last + 1;
    if (ctx_any && (ctx_last == 0 || first > ctx_last + 1))
        puts("--");
    for (unsigned long n = first; n < no; n++) {
        print_prefix(name, n, '-');
        line_put(held[n % opt_B].s, held[n % opt_B].len);
    }
    ctx_any = 1;
}

// Prints a selected line (with its context when asked).
static void print_selected(const char *s, size_t len, const char *name, unsigned long no)
{
    int context = ctx_on && !opt_o;
    if (context)
        context_before(name, no);
    if (opt_o && !opt_v) {
        print_matches(s, len, name, no);
    } else if (!opt_o) {
        print_prefix(name, no, ':');
        line_put(s, len);
    }
    ctx_last = no;
    ctx_after = opt_A;
}

// Searches one open stream; name is what to print for it. Returns the
// number of selected lines.
static unsigned long grep_stream(FILE *f, const char *name)
{
    char *buf = NULL;
    size_t cap = 0;
    unsigned long lineno = 0, count = 0;
    ssize_t len;
    int nl, quiet = opt_q || opt_l || opt_c, binary = 0;

    ctx_last = ctx_after = 0;
    while ((len = line_read(f, &buf, &cap, &nl)) >= 0) {
        lineno++;
        binary |= !opt_a && memchr(buf, 0, (size_t)len) != NULL;
        if (count >= max_count || line_matches(buf, (size_t)len) == opt_v) {
            if (!quiet && !opt_o)
                context_other(buf, (size_t)len, name, lineno);
            if (count >= max_count && !ctx_after)
                break;
            continue;
        }
        count++;
        if (opt_q || opt_l)
            break;
        if (!opt_c && binary) {
            fflush(stdout);
            fprintf(stderr, "%s: %s: binary file matches\n", prog_name, name);
            break;
        }
        if (!opt_c)
            print_selected(buf, (size_t)len, name, lineno);
    }
    free(buf);
    if (ferror(f)) {
        prog_warn_errno("%s", name);
        status = 2;
    }
    return count;
}

// Searches one file (or "-") and prints what -c and -l ask for.
static void grep_file(const char *path, const char *name)
{
    FILE *f = prog_open(path);
    if (!f) {
        status = 2;
        return;
    }
    unsigned long count = grep_stream(f, name);
    prog_close(f);
    if (count && status == 1)
        status = 0;
    if (opt_q && count)
        exit(0);
    if (opt_c) {
        if (show_names)
            printf("%s:", name);
        printf("%lu\n", count);
    } else if (opt_l && count) {
        puts(name);
    }
}

// walk_tree's visitor for -r: searches each regular file.
static int grep_visit(struct walk *w, const char *path, const struct stat *st, int depth)
{
    (void)w;
    (void)depth;
    if (S_ISREG(st->st_mode)) {
        const char *name = path;
        if (w->ctx && strncmp(name, "./", 2) == 0)     // grep -r with no operand
            name += 2;
        grep_file(path, name);
    }
    return 0;
}

// Searches an operand of -r: folders recursively, files directly.
static void grep_tree(const char *path, int implicit)
{
    struct walk w = { grep_visit, NULL, -1, 1, 0, implicit ? (void *)1 : NULL };
    if (strcmp(path, "-") == 0) {
        grep_file(path, "(standard input)");
        return;
    }
    walk_tree(&w, path);
    if (w.errors)
        status = 2;
}

// Sets the flag of option letter c; returns 0 if there is no such option.
static int grep_flag(char c)
{
    static const char letters[] = "iEFvnclqrRoxwa";
    int *flags[] = { &opt_i, &opt_E, &opt_F, &opt_v, &opt_n, &opt_c, &opt_l, &opt_q,
                     &opt_r, &opt_r, &opt_o, &opt_x, &opt_w, &opt_a };
    const char *at = strchr(letters, c);
    if (c == 'h' || c == 'H') {
        show_names = c == 'H';
        return 1;
    }
    if (!c || !at)
        return 0;
    *flags[at - letters] = 1;
    return 1;
}

// Parses options up to the first operand; returns its index.
static int grep_options(int argc, char **argv, int *have_e)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (strchr("eABCm", c)) {
            const char *arg = optscan_value(&s);
            if (!arg) {
                prog_warn("option -%c needs an argument", c);
                prog_usage(USAGE, 2);
            }
            if (c == 'e') {
                add_patterns(arg);
                *have_e = 1;
            } else {
                unsigned long n = num_arg_ulong(arg, c == 'm' ? "max count" :
                                                "context length argument", 2);
                *(c == 'A' ? &opt_A : c == 'B' ? &opt_B : c == 'm' ? &max_count : &opt_A) = n;
                if (c == 'C')
                    opt_B = n;
                ctx_on |= c != 'm';
            }
        } else if (!grep_flag(c)) {
            prog_warn("unknown option -%c", c);
            prog_usage(USAGE, 2);
        }
    }
    return s.i;
}

int main(int argc, char **argv)
{
    int have_e = 0;
    prog_init(argv[0]);
    int i = grep_options(argc, argv, &have_e);
    if (!have_e) {
        if (i >= argc) {
            prog_warn("no pattern given");
            prog_usage(USAGE, 2);
        }
        add_patterns(argv[i++]);
    }
    compile_patterns();
    held = opt_B ? calloc(opt_B, sizeof(*held)) : NULL;
    if (opt_B && !held) {
        prog_warn("out of memory");
        return 2;
    }
    int nfiles = argc - i;
    if (show_names < 0)
        show_names = nfiles > 1 || (opt_r && !(nfiles == 1 && strcmp(argv[i], "-") == 0));
    if (nfiles == 0 && opt_r)
        grep_tree(".", 1);
    else if (nfiles == 0)
        grep_file("-", "(standard input)");
    for (; i < argc; i++) {
        if (opt_r)
            grep_tree(argv[i], 0);
        else
            grep_file(argv[i], strcmp(argv[i], "-") == 0 ? "(standard input)" : argv[i]);
    }
    if (fflush(stdout) != 0) {
        prog_warn_errno("write error");
        return 2;
    }
    return status;
}
