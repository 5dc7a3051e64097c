// sed: edits a stream of lines by a script.
// usage: sed [-n] [-E] [-s] [-i] [-e SCRIPT]... [SCRIPT] [file...]
// Commands, each after an optional address or range and an optional '!':
//   s/RE/TEXT/[g][p][N][I]  replace (& the match, \1..\9 groups, \n newline;
//                           any delimiter after s)
//   y/ABC/XYZ/  map characters   p print   d delete   q quit   = line number
//   a TEXT / i TEXT / c TEXT   append after, insert before, change to TEXT
//   n / N       print and read the next line / append the next line
//   h H g G x   copy / append to the hold space, back, swap them
//   P / D       print / delete the pattern space's first line (D: again)
//   :LABEL  b [LABEL]  t [LABEL]  T [LABEL]   branch always / if s replaced
//               since the last line was read or the last t (T: if not)
//   { ... }     a group of commands
// Addresses: N (line number), $ (the last line), /RE/ or \cREc, and
// A1,A2 ranges. Commands are separated by ';' or newlines. -n prints only
// what p asks for; -E uses extended regular expressions. The files are
// one stream: line numbers and $ run across them (-s: each file is a
// stream of its own; -i: the same, and each file is replaced by what sed
// writes for it). The regular expressions
// are POSIX's (newlib's regcomp in the system): GNU's \| \+ \? in basic
// ones are not there; use -E.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "lines.h"
#include "optscan.h"
#include "prog.h"
#include "sed/sed.h"

#define USAGE "[-n] [-E] [-s] [-i] [-e SCRIPT]... [SCRIPT] [file...]"

static int opt_n, opt_s, opt_i, status;
static regex_t *last_re;

// ---- input: the files as one stream, read one line ahead ----------------

struct input {
    char **files;
    int nfiles, next;
    FILE *f;
    char *ahead;            // the next line, if have_ahead
    size_t ahead_cap;
    ssize_t ahead_len;
    int ahead_nl, have_ahead;
};

// Reads the line after the current one into in->ahead, opening the next
// files as needed (reporting those that cannot be opened).
static void input_fill(struct input *in)
{
    in->have_ahead = 0;
    for (;;) {
        if (!in->f) {
            if (in->next >= in->nfiles)
                return;
            const char *name = in->files[in->next++];
            in->f = prog_open(name);
            if (!in->f) {
                status = 2;
                continue;
            }
        }
        in->ahead_len = line_read(in->f, &in->ahead, &in->ahead_cap, &in->ahead_nl);
        if (in->ahead_len >= 0) {
            in->have_ahead = 1;
            return;
        }
        if (ferror(in->f)) {
            prog_warn_errno("read error");
            status = 2;
        }
        prog_close(in->f);
        in->f = NULL;
    }
}

// ---- running the script -------------------------------------------------

static char *ps;            // the pattern space
static size_t ps_len, ps_cap;
static int ps_nl, missing_nl, is_last;
static unsigned long lineno;
static int replaced;        // s replaced since the last line read or t

static void ps_reserve(size_t n)
{
    if (n + 1 > ps_cap) {
        ps_cap = (n + 1) * 2;
        ps = realloc(ps, ps_cap);
        if (!ps) {
            prog_warn("out of memory");
            exit(4);
        }
    }
}

// Writes text; a newline follows unless it is the input's last line and
// that had none (then one is put before any later output, as GNU sed).
static void output(const char *s, size_t len, int nl)
{
    if (missing_nl)
        putchar('\n');
    fwrite(s, 1, len, stdout);
    missing_nl = !nl;
    if (nl)
        putchar('\n');
}

// Runs regex re (NULL: the last used) on s; fills m (10 entries).
static int run_re(regex_t *re, const char *s, regmatch_t *m, int flags)
{
    if (re)
        last_re = re;
    if (!last_re) {
        prog_warn("no previous regular expression");
        exit(1);
    }
    return regexec(last_re, s, m ? 10 : 0, m, flags) == 0;
}

static int addr_match(const struct addr *a)
{
    if (a->type == A_LINE)
        return lineno == a->n;
    if (a->type == A_LAST)
        return is_last;
    return run_re(a->re, ps, NULL, 0);
}

// Whether command c applies to the current line (updating its range).
static int selected(struct cmd *c)
{
    int r;
    if (c->a1.type == A_NONE) {
        r = 1;
    } else if (c->a2.type == A_NONE) {
        r = addr_match(&c->a1);
    } else if (c->active) {
        r = 1;
        if (c->a2.type == A_LINE ? lineno >= c->a2.n : addr_match(&c->a2))
            c->active = 0;
    } else {
        r = addr_match(&c->a1);
        if (r)
            c->active = !(c->a2.type == A_LINE && c->a2.n <= lineno) &&
                        !(c->a2.type == A_LAST && is_last);
    }
    return r != c->neg;
}

// Appends the replacement for match m of src to out.
static void append_repl(char **out, size_t *len, size_t *cap, const char *repl,
                        const char *src, const regmatch_t *m)
{
    for (const char *r = repl; *r; r++) {
        const char *piece = r;
        size_t n = 1;
        if (*r == '&' || (*r == '\\' && r[1] >= '0' && r[1] <= '9')) {
            int g = *r == '&' ? 0 : *++r - '0';
            piece = src + m[g].rm_so;
            n = m[g].rm_so < 0 ? 0 : (size_t)(m[g].rm_eo - m[g].rm_so);
        } else if (*r == '\\' && r[1]) {
            piece = ++r;
        }
        if (*len + n + 1 > *cap) {
            *cap = (*len + n + 1) * 2;
            *out = realloc(*out, *cap);
            if (!*out) {
                prog_warn("out of memory");
                exit(4);
            }
        }
        memcpy(*out + *len, piece, n);
        *len += n;
    }
}

// Copies n bytes of s to the output buffer.
static void append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *out = realloc(*out, *cap);
        if (!*out) {
            prog_warn("out of memory");
            exit(4);
        }
    }
    memcpy(*out + *len, s, n);
    *len += n;
}

// The s command on the pattern space; returns whether it replaced.
static int substitute(struct cmd *c)
{
    char *out = NULL;
    size_t len = 0, cap = 0, pos = 0, count = 0, prev_end = (size_t)-1;
    regmatch_t m[10];
    int done = 0;
    while (pos <= ps_len && run_re(c->re, ps + pos, m, pos ? REG_NOTBOL : 0)) {
        size_t ms = pos + (size_t)m[0].rm_so, me = pos + (size_t)m[0].rm_eo;
        append(&out, &len, &cap, ps + pos, ms - pos);
        if (ms == me && ms == prev_end) {           // empty, right after a match
            if (ms < ps_len)
                append(&out, &len, &cap, ps + ms, 1);
            pos = ms + 1;
            continue;
        }
        if (++count >= c->nth) {
            for (int g = 0; g < 10; g++) {          // offsets from ps, not ps + pos
                if (m[g].rm_so >= 0)
                    m[g].rm_so += (regoff_t)pos, m[g].rm_eo += (regoff_t)pos;
            }
            append_repl(&out, &len, &cap, c->repl, ps, m);
            done = 1;
        } else {
            append(&out, &len, &cap, ps + ms, me - ms);
        }
        prev_end = me;
        pos = me;
        if (ms == me) {
            if (ms < ps_len)
                append(&out, &len, &cap, ps + ms, 1);
            pos = ms + 1;
        }
        if (done && !c->global)
            break;
    }
    if (done) {
        if (pos < ps_len)
            append(&out, &len, &cap, ps + pos, ps_len - pos);
        ps_reserve(len);
        memcpy(ps, out, len);
        ps_len = len;
        ps[len] = 0;
    }
    free(out);
    return done;
}

static struct input *input;         // what n and N read from
static const char **appends;        // a's texts for the end of this cycle
static size_t nappends;

// Writes the texts that a queued, and forgets them.
static void flush_appends(void)
{
    for (size_t i = 0; i < nappends; i++)
        output(appends[i], strlen(appends[i]), 1);
    nappends = 0;
}

// Puts the next input line in the pattern space (after a newline when
// append). Returns 0, or -1 when there is none.
static int next_line(int append)
{
    if (!input->have_ahead)
        return -1;
    flush_appends();
    size_t at = append ? ps_len + 1 : 0;
    ps_reserve(at + (size_t)input->ahead_len);
    if (append)
        ps[ps_len] = '\n';
    memcpy(ps + at, input->ahead, (size_t)input->ahead_len + 1);
    ps_len = at + (size_t)input->ahead_len;
    ps_nl = input->ahead_nl;
    lineno++;
    replaced = 0;
    input_fill(input);
    is_last = !input->have_ahead;
    return 0;
}

// The commands that print text or read lines; returns as run_script.
static int run_text_command(struct cmd *c)
{
    switch (c->name) {
    case 'a':
        appends[nappends++] = c->text;
        return 0;
    case 'i':
        output(c->text, strlen(c->text), 1);
        return 0;
    case 'c':
        if (c->a2.type == A_NONE || c->neg || !c->active)
            output(c->text, strlen(c->text), 1);
        return 1;
    case 'n':
        if (!input->have_ahead)
            return 2;
        if (!opt_n)
            output(ps, ps_len, ps_nl);
        return next_line(0) < 0 ? 2 : 0;
    default:                        // N
        return next_line(1) < 0 ? 2 : 0;
    }
}

static char *hs;            // the hold space
static size_t hs_len, hs_cap;

// Sets *dst to src (after a newline when append), growing it as needed.
static void space_set(char **dst, size_t *len, size_t *cap, const char *src, size_t n,
                      int append)
{
    size_t at = append ? *len + 1 : 0;
    if (at + n + 1 > *cap) {
        *cap = (at + n + 1) * 2;
        if (!(*dst = realloc(*dst, *cap))) {
            prog_warn("out of memory");
            exit(4);
        }
    }
    if (append)
        (*dst)[*len] = '\n';
    memmove(*dst + at, src, n);
    *len = at + n;
    (*dst)[*len] = 0;
}

// h H g G x (the hold space) and P D (the first line of the pattern
// space). Returns as run_script.
static int run_hold_command(char name)
{
    char *nl = memchr(ps, '\n', ps_len);
    switch (name) {
    case 'h': case 'H':
        space_set(&hs, &hs_len, &hs_cap, ps, ps_len, name == 'H');
        return 0;
    case 'g': case 'G':
        space_set(&ps, &ps_len, &ps_cap, hs ? hs : "", hs_len, name == 'G');
        return 0;
    case 'x': {
        char *t = ps; ps = hs ? hs : sed_alloc(1); hs = t;
        size_t l = ps_len; ps_len = hs_len; hs_len = l;
        size_t c = ps_cap; ps_cap = hs_cap ? hs_cap : 1; hs_cap = c;
        ps[ps_len] = 0;
        return 0;
    }
    case 'P':
        output(ps, nl ? (size_t)(nl - ps) : ps_len, 1);
        return 0;
    default:                        // D
        if (!nl)
            return 1;
        space_set(&ps, &ps_len, &ps_cap, nl + 1, ps_len - (size_t)(nl + 1 - ps), 0);
        return 3;
    }
}

// Runs the script on the pattern space. Returns 0 to go on, 1 when the
// line is deleted (no auto-print), 2 to quit after printing, 3 to start
// again on what is left (D).
static int run_script(void)
{
    for (size_t pc = 0; pc < ncmds; pc++) {
        struct cmd *c = &cmds[pc];
        if (!selected(c)) {
            if (c->name == '{')
                pc = c->end;
            continue;
        }
        switch (c->name) {
        case 'p': output(ps, ps_len, ps_nl); break;
        case 'd': return 1;
        case 'q': return 2;
        case '=': {
            char num[32];
            int n = snprintf(num, sizeof num, "%lu", lineno);
            output(num, (size_t)n, 1);
            break;
        }
        case 's':
            if (!substitute(c))
                break;
            replaced = 1;
            if (c->print)
                output(ps, ps_len, ps_nl);
            break;
        case 'y':
            for (size_t i = 0; i < ps_len; i++)
                ps[i] = (char)c->map[(unsigned char)ps[i]];
            break;
        case 'a': case 'i': case 'c': case 'n': case 'N': {
            int r = run_text_command(c);
            if (r)
                return r;
            break;
        }
        case 'b': case 't': case 'T':
            if (c->name == 'b' || replaced == (c->name == 't'))
                pc = c->end - 1;            // the loop's ++ lands on the label
            replaced = c->name == 'b' && replaced;
            break;
        case 'h': case 'H': case 'g': case 'G': case 'x': case 'P': case 'D': {
            int r = run_hold_command(c->name);
            if (r)
                return r;
            break;
        }
        }
    }
    return 0;
}

// Reads and edits every line of the inputs.
// Returns 1 when q ended it, else 0.
static int run(struct input *in)
{
    input = in;
    if (!appends)
        appends = sed_alloc((ncmds + 1) * sizeof(*appends));
    input_fill(in);
    for (int r = 0; r == 3 || in->have_ahead;) {
        if (r != 3) {               // D starts again without reading
            ps_reserve((size_t)in->ahead_len);
            memcpy(ps, in->ahead, (size_t)in->ahead_len + 1);
            ps_len = (size_t)in->ahead_len;
            ps_nl = in->ahead_nl;
            lineno++;
            replaced = 0;
            input_fill(in);
            is_last = !in->have_ahead;
        }
        r = run_script();
        if (r != 1 && r != 3 && !opt_n)
            output(ps, ps_len, ps_nl);
        flush_appends();
        if (r == 2)
            return 1;
    }
    return 0;
}

// -s and -i: runs the script on one file as a stream of its own.
static int run_one_file(char *path)
{
    struct input in = { &path, 1, 0, NULL, NULL, 0, 0, 0, 0 };
    lineno = 0;
    int q = run(&in);
    free(in.ahead);
    if (in.f)
        prog_close(in.f);
    return q;
}

// -i: edits path in place (through "path.sedPID" in the same folder).
// Returns 1 when q ended it.
static int edit_in_place(char *path)
{
    char tmp[PATH_MAX];
    struct stat st;
    if (stat(path, &st) < 0) {
        prog_warn_errno("can't read %s", path);
        status = 2;
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        prog_warn("couldn't edit %s: not a regular file", path);
        status = 4;
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%s.sed%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777);
    int saved = fd < 0 ? -1 : dup(1);
    if (fd < 0 || saved < 0 || fflush(stdout) != 0 || dup2(fd, 1) < 0) {
        prog_warn_errno("couldn't open temporary file %s", tmp);
        status = 4;
        return 0;
    }
    close(fd);
    missing_nl = 0;
    int q = run_one_file(path);
    int bad = fflush(stdout) != 0;
    dup2(saved, 1);
    close(saved);
    if (bad || rename(tmp, path) < 0) {
        prog_warn_errno("couldn't write %s", path);
        unlink(tmp);
        status = 4;
    }
    return q;
}

// Adds one -e piece to the script (pieces are joined by newlines).
static void add_script(char **all, const char *piece)
{
    size_t old = *all ? strlen(*all) : 0;
    char *s = sed_alloc(old + strlen(piece) + 2);
    if (*all) {
        memcpy(s, *all, old);
        s[old++] = '\n';
        free(*all);
    }
    strcpy(s + old, piece);
    *all = s;
}

// Parses the options; returns the index of the first operand.
static int sed_options(int argc, char **argv, char **all)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'n' || c == 's' || c == 'i') {
            *(c == 'n' ? &opt_n : c == 's' ? &opt_s : &opt_i) = 1;
        } else if (c == 'E' || c == 'r') {
            opt_E = 1;
        } else if (c == 'e') {
            const char *arg = optscan_value(&s);
            if (!arg) {
                prog_warn("option -e needs an argument");
                prog_usage(USAGE, 1);
            }
            add_script(all, arg);
        } else {
            prog_warn("unknown option -%c", c);
            prog_usage(USAGE, 1);
        }
    }
    return s.i;
}

int main(int argc, char **argv)
{
    char *all = NULL, *dash[] = { "-" };
    prog_init(argv[0]);
    int i = sed_options(argc, argv, &all);
    if (!all) {
        if (i >= argc) {
            prog_warn("no script given");
            prog_usage(USAGE, 1);
        }
        add_script(&all, argv[i++]);
    }
    sed_parse(all);
    struct input in = { argv + i, argc - i, 0, NULL, NULL, 0, 0, 0, 0 };
    if (i == argc && opt_i) {
        prog_warn("no input files");
        return 4;
    }
    if (i == argc)
        in.files = dash, in.nfiles = 1;
    if (opt_i || opt_s) {
        for (int q = 0; i < argc && !q; i++)
            q = opt_i ? edit_in_place(argv[i]) : run_one_file(argv[i]);
    } else {
        run(&in);
    }
    if (fflush(stdout) != 0) {
        prog_warn_errno("write error");
        return 4;
    }
    return status;
}
