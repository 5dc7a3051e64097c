// Reading and running input: whole strings (sh -c, scripts, eval, .) and
// line by line from a descriptor (the console or a pipe), where a command
// that is not finished at the end of a line (an open if, quote or
// here-document) makes the shell read more, prompting "> ".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "osapi.h"
#include "shell.h"

const char *script_name;

static void syntax_error(const char *err, int line)
{
    if (script_name)
        fdprintf(2, "%s: line %d: syntax error: %s\n", script_name, line, err);
    else
        fdprintf(2, "sh: syntax error: %s\n", err);
}

int run_string(const char *text, const char *name)
{
    size_t n = strlen(text);
    char *t = malloc(n + 2), err[160];
    if (!t)
        abort();
    memcpy(t, text, n);
    strcpy(t + n, n && text[n - 1] == '\n' ? "" : "\n");
    const char *old_name = script_name;
    if (name)
        script_name = name;
    struct parser ps;
    parser_init(&ps, t, 1, err, sizeof err);
    for (;;) {
        struct node *node;
        enum parse_result r = parse_next(&ps, &node);
        if (r == P_EOF)
            break;
        if (r != P_OK) {
            syntax_error(err, parser_line(&ps));
            last_status = 2;
            if (!interactive) {
                fflush(stdout);
                sh_exit(2);
            }
            break;
        }
        run_node(node);
        free_node(node);
        if (break_n || continue_n || returning)
            break;
    }
    free(ps.pending);
    script_name = old_name;
    free(t);
    return last_status;
}

char *read_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    size_t len = 0, cap = 4096;
    char *s = malloc(cap);
    ssize_t n;
    while (s && (n = read(fd, s + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (len + 1 == cap && !(s = realloc(s, cap *= 2)))
            break;
    }
    close(fd);
    if (s)
        s[len] = 0;
    return s;
}

struct reader {
    int fd;
    int bytewise;           // a pipe: read a byte at a time
    int seekable;           // a file: give back what was read past the line
    char buf[4096];
    size_t start, end;      // unconsumed bytes in buf
};

static void reader_init(struct reader *r, int fd)
{
    struct stat st;
    r->fd = fd;
    r->start = r->end = 0;
    r->bytewise = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
    r->seekable = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static void append(char **line, size_t *len, const char *s, size_t n)
{
    char *nl = realloc(*line, *len + n + 1);
    if (!nl)
        abort();
    memcpy(nl + *len, s, n);
    *len += n;
    nl[*len] = 0;
    *line = nl;
}

// Reads one line, with its '\n', into a malloc'd string; NULL at the end
// of the input. Programs the shell starts share its input, so it does not
// keep more than the line: from a pipe it reads byte by byte, in a file
// it seeks back (the console gives a line per read anyway).
static char *read_line(struct reader *r)
{
    char *line = NULL;
    size_t len = 0;
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        size_t n = nl ? (size_t)(nl - r->buf) - r->start + 1 : r->end - r->start;
        append(&line, &len, r->buf + r->start, n);
        r->start += n;
        if (nl) {
            if (r->seekable && r->start < r->end)
                lseek(r->fd, -(off_t)(r->end - r->start), SEEK_CUR);
            if (r->seekable)
                r->start = r->end = 0;
            return line;
        }
        ssize_t got = read(r->fd, r->buf, r->bytewise ? 1 : sizeof r->buf);
        if (got < 0 && errno == EINTR)
            got = 0, r->start = r->end = 0;
        else if (got <= 0)
            return len ? line : (free(line), NULL);
        else
            r->start = 0, r->end = (size_t)got;
    }
}

// Records the instructions executed when the first prompt is out, as the
// exported variable SH_FIRST_PROMPT_TSC (make bench's boot_to_prompt).
static void note_first_prompt(void)
{
    static int done;
    char buf[32];
    if (done++)
        return;
    snprintf(buf, sizeof buf, "%lu", os_busy_count());
    var_set("SH_FIRST_PROMPT_TSC", buf);
    var_export("SH_FIRST_PROMPT_TSC");
}

int term_read_line(const char *prompt, char **line);

// Parses and runs what is complete in text; returns 1 if the text ends
// inside a command (more input is needed), 0 when it has all been used.
static int run_complete(char *text, int at_eof)
{
    char err[160];
    struct parser ps;
    parser_init(&ps, text, at_eof, err, sizeof err);
    int more = 0;
    for (;;) {
        struct node *node;
        enum parse_result r = parse_next(&ps, &node);
        if (r == P_EOF)
            break;
        if (r == P_MORE) {
            more = 1;
            break;
        }
        if (r == P_ERR) {
            syntax_error(err, parser_line(&ps));
            last_status = 2;
            if (!interactive)            // commands piped into sh: as a script
                sh_exit(2);
            break;
        }
        run_node(node);
        free_node(node);
        line_aborted = 0;
    }
    free(ps.pending);
    return more;
}

int run_fd(int fd, int prompting)
{
    struct reader *r = malloc(sizeof *r);
    char *text = NULL, *line;
    size_t len = 0;
    if (!r)
        abort();
    reader_init(r, fd);
    for (;;) {
        int got = -1;
        line = NULL;
        if (prompting) {
            if (!len)
                jobs_reap(2);
            fflush(stdout);
            note_first_prompt();
            got = term_read_line(len ? "> " : "$ ", &line);
        }
        if (got == 2) {                  // ^C: drop what was typed
            free(text);
            text = NULL;
            len = 0;
            continue;
        }
        if (got < 0)
            line = read_line(r);
        if (!line) {
            if (len)
                run_complete(text, 1);
            break;
        }
        append(&text, &len, line, strlen(line));
        free(line);
        if (!run_complete(text, 0)) {
            free(text);
            text = NULL;
            len = 0;
        }
    }
    free(text);
    free(r);
    return last_status;
}
