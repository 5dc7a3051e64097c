// sh: the command shell. Reads lines from its input (the console), runs
// them, and exits with the last status at the end of the input.
//
//   sh              read commands from standard input, with a "$ " prompt
//   sh -c 'line'    run one line
//   sh file         run the lines of a file (no prompt)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "osapi.h"
#include "shell.h"

extern char **environ;

// printf to a descriptor (the shell's own output goes through write, so
// that builtins can write to pipes and files without touching stdout).
void fdprintf(int fd, const char *fmt, ...)
{
    char small[512], *s = small;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof small && (s = malloc((size_t)n + 1))) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (!s)
        return;
    for (int off = 0, w; off < n; off += w)
        if ((w = (int)write(fd, s + off, (size_t)(n - off))) <= 0)
            break;
    if (s != small)
        free(s);
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

// Reads one line, without its '\n', into a malloc'd string; NULL at the
// end of the input. Programs the shell starts share its input, so it does
// not keep more than the line: from a pipe it reads byte by byte, in a
// file it seeks back (the console gives a line per read anyway).
static char *read_line(struct reader *r)
{
    char *line = NULL;
    size_t len = 0;
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        size_t n = nl ? (size_t)(nl - r->buf) - r->start : r->end - r->start;
        append(&line, &len, r->buf + r->start, n);
        r->start += n + (nl != NULL);
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

// The shell's own program, for `sh -c` subshells: argv[0] made absolute,
// or found in $PATH.
static void find_self(const char *argv0)
{
    static char path[PATH_MAX];
    if (argv0[0] == '/') {
        self_path = argv0;
    } else if (strchr(argv0, '/')) {
        if (getcwd(path, sizeof path) && strlen(path) + strlen(argv0) + 2 <= sizeof path) {
            strcat(path, "/");
            strcat(path, argv0);
            self_path = path;
        }
    } else if (strlen(argv0) + 6 <= sizeof path) {
        snprintf(path, sizeof path, "/bin/%s", argv0);
        if (access(path, X_OK) == 0)
            self_path = path;
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

// The read-run loop over a descriptor; prompts when asked to.
static void run_input(int fd, int prompt)
{
    struct reader *r = malloc(sizeof *r);
    char *line;
    if (!r)
        abort();
    reader_init(r, fd);
    for (;;) {
        jobs_reap(2);
        if (prompt) {
            fputs("$ ", stdout);
            fflush(stdout);
            note_first_prompt();
        }
        if (!(line = read_line(r)))
            break;
        run_line(line);
        free(line);
    }
    free(r);
}

int main(int argc, char **argv)
{
    vars_init(environ);
    if (argc > 0)
        find_self(argv[0]);
    exec_init(argc == 1);
    if (argc > 2 && !strcmp(argv[1], "-c")) {
        run_line(argv[2]);
    } else if (argc > 1) {
        int fd = open(argv[1], O_RDONLY);
        if (fd < 0) {
            fdprintf(2, "sh: %s: %s\n", argv[1], strerror(errno));
            return 127;
        }
        run_input(fd, 0);
        close(fd);
    } else {
        run_input(0, 1);
    }
    fflush(stdout);
    return last_status;
}
