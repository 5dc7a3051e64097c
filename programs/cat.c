// cat: copies files (or standard input) to standard output.
// usage: cat [file...]      no file, or "-", means standard input
// A file that cannot be read is reported and skipped; the exit status is
// then 1.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { COPY_OK, COPY_READ_ERROR, COPY_WRITE_ERROR };

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

// Copies fd to standard output in 4 KiB chunks.
static int copy(int fd)
{
    char buf[4096];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return COPY_OK;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return COPY_READ_ERROR;
        }
        if (write_all(1, buf, (size_t)n) < 0)
            return COPY_WRITE_ERROR;
    }
}

int main(int argc, char **argv)
{
    int status = 0;
    int nfiles = argc > 1 ? argc - 1 : 1;

    for (int i = 0; i < nfiles; i++) {
        const char *name = argc > 1 ? argv[i + 1] : "-";
        int fd = 0;

        if (strcmp(name, "-") != 0) {
            fd = open(name, O_RDONLY);
            if (fd < 0) {
                fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
                status = 1;
                continue;
            }
        }
        int r = copy(fd);
        int err = errno;
        if (fd != 0)
            close(fd);
        if (r == COPY_WRITE_ERROR) {
            fprintf(stderr, "cat: write error: %s\n", strerror(err));
            return 1;
        }
        if (r == COPY_READ_ERROR) {
            fprintf(stderr, "cat: %s: %s\n", name, strerror(err));
            status = 1;
        }
    }
    return status;
}
