// xargs: runs a command with arguments read from standard input.
// usage: xargs [-0] [-n N] [-I STR] [-r] [command [arg...]]
// Items are separated by blanks and newlines; '...', "..." and a
// backslash quote. -0: items end with a NUL byte instead (no quoting).
// -n N: at most N items per command. -I STR: one command per input line,
// with STR in the arguments replaced by the line. -r: do not run the
// command when there are no items. The command defaults to echo.
// Exit status: 0; 123 if a command ended with 1..125; 124 if one ended
// with 255; 125 if one was killed; 126 cannot run; 127 not found.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "lines.h"
#include "prog.h"
#include "run.h"

#define USAGE "[-0] [-n N] [-I STR] [-r] [command [arg...]]"
#define MAX_BYTES 32768         // the arguments' size per command

static int opt_0, opt_r;
static unsigned long max_items;
static const char *repl;        // -I's string
static char **cmd;              // the command and its fixed arguments
static int ncmd, status;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        prog_warn("out of memory");
        exit(1);
    }
    return p;
}

// Reads the next item into *buf; returns 0, or -1 at the end of input.
// Reports an unmatched quote and ends the input there.
static int next_item(char **buf, size_t *cap)
{
    size_t n = 0;
    int c, quote = 0, any = 0;
    while ((c = getchar()) != EOF) {
        if (opt_0 ? c == 0 : !quote && (c == ' ' || c == '\t' || c == '\n')) {
            if (any || opt_0)
                break;
            continue;
        }
        any = 1;
        if (!opt_0 && !quote && (c == '\'' || c == '"')) {
            quote = c;
            continue;
        }
        if (!opt_0 && quote && c == quote) {
            quote = 0;
            continue;
        }
        if (!opt_0 && !quote && c == '\\' && (c = getchar()) == EOF)
            break;
        if (n + 2 > *cap)
            *buf = xrealloc(*buf, *cap = *cap * 2 + 64);
        (*buf)[n++] = (char)c;
    }
    if (quote) {
        prog_warn("unmatched %s quote", quote == '"' ? "double" : "single");
        status = 1;
        return -1;
    }
    if (!any && c == EOF)
        return -1;
    if (!*buf)
        *buf = xrealloc(NULL, *cap = 64);
    (*buf)[n] = 0;
    return 0;
}

// Runs argv; records the status as xargs reports it. Returns -1 when
// xargs must stop (255, killed, cannot run).
static int run_one(char **argv)
{
    int st = prog_run(argv);
    if (st < 0) {
        prog_warn_errno("%s", argv[0]);
        status = errno == ENOENT ? 127 : 126;
        return -1;
    }
    if (WIFSIGNALED(st)) {
        prog_warn("%s: terminated by signal %d", argv[0], WTERMSIG(st));
        status = 125;
        return -1;
    }
    int code = WEXITSTATUS(st);
    if (code == 255) {
        prog_warn("%s: exited with status 255; aborting", argv[0]);
        status = 124;
        return -1;
    }
    if (code)
        status = 123;
    return 0;
}

// -I: a copy of arg with every occurrence of repl replaced by item.
static char *replace_all(const char *arg, const char *item)
{
    size_t rl = strlen(repl), il = strlen(item), n = 0;
    char *out = xrealloc(NULL, strlen(arg) + 1);
    for (const char *p = arg; *p;) {
        if (rl && strncmp(p, repl, rl) == 0) {
            out = xrealloc(out, n + il + strlen(p) + 1);
            memcpy(out + n, item, il);
            n += il;
            p += rl;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = 0;
    return out;
}

// -I: removes the quotes and backslashes of line in place (as items).
// Returns -1 (reported) on an unmatched quote.
static int unquote(char *line)
{
    char *o = line;
    int quote = 0;
    for (char *p = line; *p; p++) {
        if (quote ? *p == quote : (*p == '\'' || *p == '"')) {
            quote = quote ? 0 : *p;
            continue;
        }
        if (!quote && *p == '\\' && p[1])
            p++;
        *o++ = *p;
    }
    *o = 0;
    if (quote) {
        prog_warn("unmatched %s quote", quote == '"' ? "double" : "single");
        status = 1;
        return -1;
    }
    return 0;
}

// -I: the next input line without its leading blanks and quotes (with
// -0 the next NUL-ended item) into *buf. Returns the item, or NULL at the end.
static char *next_line(char **buf, size_t *cap)
{
    int nl;
    if (opt_0)
        return next_item(buf, cap) == 0 ? *buf : NULL;
    while (line_read(stdin, buf, cap, &nl) >= 0) {
        char *item = *buf + strspn(*buf, " \t");
        if (!*item)
            continue;
        return unquote(item) < 0 ? NULL : item;
    }
    return NULL;
}

// -I: one command per input line.
static void run_per_line(void)
{
    char *line = NULL, *item, **argv = xrealloc(NULL, (size_t)(ncmd + 1) * sizeof(*argv));
    size_t cap = 0;
    while ((item = next_line(&line, &cap)) != NULL) {
        for (int i = 0; i < ncmd; i++)
            argv[i] = replace_all(cmd[i], item);
        argv[ncmd] = NULL;
        int r = run_one(argv);
        for (int i = 0; i < ncmd; i++)
            free(argv[i]);
        if (r < 0)
            break;
    }
    free(line);
    free(argv);
}

// Collects items into commands of at most max_items / MAX_BYTES and runs them.
static void run_batches(void)
{
    size_t cap = (size_t)ncmd + 16, n = (size_t)ncmd, bytes = 0, icap = 0;
    char **argv = xrealloc(NULL, cap * sizeof(*argv)), *item = NULL;
    int ran = 0, more = 1;
    memcpy(argv, cmd, (size_t)ncmd * sizeof(*argv));
    while (more) {
        more = next_item(&item, &icap) == 0;
        if (more) {
            if (n + 2 > cap)
                argv = xrealloc(argv, (cap *= 2) * sizeof(*argv));
            argv[n++] = strdup(item);
            bytes += strlen(item) + 1;
        }
        size_t items = n - (size_t)ncmd;
        int full = (max_items && items >= max_items) || bytes >= MAX_BYTES;
        if ((full || !more) && (items || (!ran && !opt_r))) {
            argv[n] = NULL;
            ran = 1;
            int r = run_one(argv);
            for (size_t i = (size_t)ncmd; i < n; i++)
                free(argv[i]);
            n = (size_t)ncmd, bytes = 0;
            if (r < 0)
                break;
        }
    }
    free(item);
    free(argv);
}

// Parses the options; returns the index of the command.
static int xargs_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        const char *p = argv[i] + 1;
        if (*p == '0' || *p == 'r') {
            *(*p == '0' ? &opt_0 : &opt_r) = 1;
            if (p[1]) {
                prog_warn("unknown option %s", argv[i]);
                prog_usage(USAGE, 1);
            }
            continue;
        }
        if (*p != 'n' && *p != 'I') {
            prog_warn("unknown option -%c", *p);
            prog_usage(USAGE, 1);
        }
        const char *arg = p[1] ? p + 1 : argv[++i];
        if (!arg) {
            prog_warn("option -%c needs an argument", *p);
            prog_usage(USAGE, 1);
        }
        if (*p == 'n' && (max_items = num_arg_ulong(arg, "number of items", 1)) == 0) {
            prog_warn("value for -n must be at least 1");
            exit(1);
        }
        if (*p == 'I')
            repl = arg;
    }
    return i;
}

int main(int argc, char **argv)
{
    static char *echo[] = { "echo", NULL };
    prog_init(argv[0]);
    int i = xargs_options(argc, argv);
    cmd = i < argc ? argv + i : echo;
    ncmd = i < argc ? argc - i : 1;
    if (repl)
        run_per_line();
    else
        run_batches();
    return status;
}
