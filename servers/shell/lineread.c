// Reading a line at the terminal with the line editor (edit.c): the
// console goes into raw mode (no echo, no line editing, no ^C signal)
// while the line is typed, and back to its own mode before the line runs.
// The prompt is written once the console is raw, so that a key typed the
// moment it shows is not echoed by the console as well as by the editor.
// Input that is already waiting when the prompt is shown was typed ahead
// while a program ran, and the console has echoed it already: that is
// read as it stands. When fd 0 is no terminal, the caller reads plainly.
// Also here: tab completion of command names ($PATH, builtins, functions)
// and file names.
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "shell.h"
#include "edit.h"

static struct history history;

struct cands {
    char **v;
    int n, cap;
    const char *prefix;
};

static void cand_add(struct cands *c, const char *s)
{
    if (strncmp(s, c->prefix, strlen(c->prefix)))
        return;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->v[i], s))
            return;
    if (c->n == c->cap && !(c->v = realloc(c->v, (size_t)(c->cap = c->cap * 2 + 16) * sizeof(char *))))
        abort();
    if ((c->v[c->n] = strdup(s)))
        c->n++;
}

static void add_name(const char *name, void *ctx) { cand_add(ctx, name); }
static void add_func(const char *name, const char *text, void *ctx)
{
    (void)text;
    cand_add(ctx, name);
}

// Adds the entries of folder dir (shown as shown/) that start with prefix.
static void add_dir(struct cands *c, const char *dir, const char *shown, int only_exec)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        const char *name = de->d_name;
        const char *base = c->prefix + strlen(shown);
        if (strncmp(name, base, strlen(base)) || (name[0] == '.' && base[0] != '.'))
            continue;
        char path[1024], full[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (only_exec && is_dir)
            continue;
        snprintf(full, sizeof full, "%s%s%s", shown, name, is_dir ? "/" : "");
        cand_add(c, full);
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// The completion function for the editor.
static char **complete(const char *word, int command, int *n, void *ctx)
{
    struct cands c = { NULL, 0, 0, word };
    (void)ctx;
    const char *slash = strrchr(word, '/');
    if (command && !slash) {
        builtins_each(add_name, &c);
        funcs_each(add_func, &c);
        const char *path = var_get("PATH");
        char *copy = strdup(path ? path : "/bin");
        for (char *save, *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
            add_dir(&c, d, "", 1);
        free(copy);
    } else {
        char dir[1024], shown[1024];
        size_t k = slash ? (size_t)(slash - word) + 1 : 0;
        snprintf(shown, sizeof shown, "%.*s", (int)k, word);
        snprintf(dir, sizeof dir, "%s", k ? shown : ".");
        add_dir(&c, dir, shown, 0);
    }
    qsort(c.v, (size_t)c.n, sizeof(char *), by_name);
    *n = c.n;
    return c.v;
}

// Is input waiting on fd 0 already?
static int input_waiting(void)
{
    struct pollfd p = { 0, POLLIN, 0 };
    return poll(&p, 1, 0) > 0;
}

static void write_all(const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(1, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

// Reads a line with the editor after writing prompt. Returns 1 with the
// line (with its '\n') in *line, 0 at the end of the input, -1 if the
// editor cannot be used (fd 0 is no terminal, or input is waiting): then
// the prompt has been written and the caller reads plainly; 2 when ^C
// cancelled the line.
int term_read_line(const char *prompt, char **line)
{
    struct termios saved, raw;
    if (!isatty(0) || input_waiting() || tcgetattr(0, &saved) < 0) {
        write_all(prompt, strlen(prompt));
        return -1;
    }
    raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    int is_raw = tcsetattr(0, TCSANOW, &raw) == 0;
    write_all(prompt, strlen(prompt));       // after: a key typed at the prompt is echoed once
    if (!is_raw)
        return -1;
    static struct editor e;
    edit_begin(&e, prompt, &history, complete, NULL);
    enum edit_result r = ED_MORE;
    while (r == ED_MORE) {
        unsigned char c;
        ssize_t got = read(0, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            r = ED_EOF;
            break;
        }
        r = edit_key(&e, c);
        write_all(e.out, e.out_len);
        e.out_len = 0;
    }
    tcsetattr(0, TCSANOW, &saved);
    if (r == ED_EOF)
        return 0;
    if (r == ED_CANCEL) {
        last_status = 130;
        return 2;
    }
    history_add(&history, e.buf);
    size_t n = strlen(e.buf);
    *line = malloc(n + 2);
    if (!*line)
        abort();
    memcpy(*line, e.buf, n);
    strcpy(*line + n, "\n");
    return 1;
}
