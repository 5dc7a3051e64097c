// tee: copies standard input to standard output and to files.
// usage: tee [-a] [-i] [file...]
// -a appends to the files instead of replacing them; -i ignores SIGINT.
// A file that cannot be opened or written is reported (status 1) and the
// copy goes on to the others.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "optscan.h"
#include "prog.h"

#define USAGE "[-a] [-i] [file...]"

// Writes all of buf to fd; returns -1 on an error.
static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

// Copies standard input to the n descriptors fds (named names for
// messages); one that fails is reported and dropped. Returns the status.
static int copy(int *fds, const char **names, int n)
{
    char buf[8192];
    ssize_t got;
    int status = 0;
    while ((got = read(0, buf, sizeof buf)) > 0) {
        for (int k = 0; k < n; k++) {
            if (fds[k] >= 0 && write_all(fds[k], buf, (size_t)got) < 0) {
                prog_warn_errno("%s", names[k]);
                fds[k] = -1;
                status = 1;
            }
        }
    }
    if (got < 0) {
        prog_warn_errno("read error");
        status = 1;
    }
    return status;
}

int main(int argc, char **argv)
{
    int append = 0, status = 0;
    struct optscan s;
    prog_init(argv[0]);
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'a') {
            append = 1;
        } else if (c == 'i') {
            signal(SIGINT, SIG_IGN);
        } else {
            prog_warn("invalid option -- '%c'", c);
            prog_usage(USAGE, 1);
        }
    }
    int i = s.i, nout = argc - i + 1;
    int *fds = malloc(nout * sizeof *fds);
    const char **names = malloc(nout * sizeof *names);
    if (!fds || !names) {
        prog_warn("out of memory");
        return 1;
    }
    fds[0] = 1;
    names[0] = "standard output";
    for (int k = 1; k < nout; k++) {
        names[k] = argv[i + k - 1];
        fds[k] = open(names[k], O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
        if (fds[k] < 0) {
            prog_warn_errno("%s", names[k]);
            status = 1;
        }
    }
    return copy(fds, names, nout) | status;
}
