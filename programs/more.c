// more: shows files (or standard input) a screen at a time.
// usage: more [file...]
// At the "--More--" prompt: space shows the next screen, Enter (or j) the
// next line, q quits. Keys come from the terminal even when standard
// input is a pipe (cmd | more). When standard output is not a terminal,
// more copies its input as cat does. Long lines take as many screen rows
// as they fill; the screen size comes from TIOCGWINSZ.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "prog.h"
#include "term.h"

struct pager {
    int kbd;                     // where keys come from
    int rows, cols;
    int left;                    // screen rows still to fill before the prompt
};

// Screen rows a line of len bytes (without its '\n') takes.
static int line_rows(size_t len, int cols)
{
    return len == 0 ? 1 : (int)((len + (size_t)cols - 1) / (size_t)cols);
}

// Shows the prompt and waits for a key; returns the rows to show next,
// or 0 to quit. pct < 0: the position is not known.
static int prompt(struct pager *p, int pct)
{
    if (pct >= 0)
        printf("\x1b[7m--More--(%d%%)\x1b[0m", pct);
    else
        printf("\x1b[7m--More--\x1b[0m");
    fflush(stdout);
    for (;;) {
        int k = term_key(p->kbd);
        printf("\r\x1b[K");
        fflush(stdout);
        if (k == ' ' || k == 'f' || k == KEY_PGDN)
            return p->rows - 1;
        if (k == '\r' || k == '\n' || k == 'j' || k == KEY_DOWN)
            return 1;
        if (k == 'q' || k == 'Q' || k == KEY_EOF || k == 3)
            return 0;
        printf("\x1b[7m[space: next page, Enter: next line, q: quit]\x1b[0m");
        fflush(stdout);
    }
}

// Pages one open file; returns 0 when the user quit.
static int page(struct pager *p, FILE *f, long size)
{
    char line[4096];
    long done = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        int nl = len && line[len - 1] == '\n';
        int need = line_rows(len - (size_t)nl, p->cols);
        if (p->left < need && p->left < p->rows - 1) {
            p->left = prompt(p, size > 0 ? (int)(done * 100 / size) : -1);
            if (!p->left)
                return 0;
        }
        fputs(line, stdout);
        p->left -= need;
        done += (long)len;
    }
    fflush(stdout);
    return 1;
}

// Copies f to standard output (not a terminal: nothing to page).
static void copy(FILE *f)
{
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
}

static long file_size(FILE *f)
{
    struct stat st;
    return fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (long)st.st_size : -1;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int paging = isatty(1), status = 0, nfiles = argc > 1 ? argc - 1 : 1;
    struct pager p = { -1, 24, 80, 0 };
    if (paging && (p.kbd = term_keyboard()) < 0)
        paging = 0;
    if (paging) {
        term_size(1, &p.rows, &p.cols);
        p.left = p.rows - 1;
        term_raw(p.kbd, 1, 1);
    }
    for (int i = 0; i < nfiles; i++) {
        const char *name = argc > 1 ? argv[i + 1] : "-";
        FILE *f = prog_open(name);
        if (!f) {
            status = 1;
            continue;
        }
        if (nfiles > 1) {
            printf("::::::::::::::\n%s\n::::::::::::::\n", name);
            p.left -= 3;
        }
        int go_on = paging ? page(&p, f, file_size(f)) : (copy(f), 1);
        prog_close(f);
        if (!go_on)
            break;
    }
    fflush(stdout);
    if (paging)
        term_restore();
    return status;
}
