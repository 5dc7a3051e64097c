// Shared helpers of the programs in /bin (see prog.h).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prog.h"

const char *prog_name = "?";

void prog_init(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    prog_name = slash ? slash + 1 : argv0 ? argv0 : "?";
}

void prog_warn(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void prog_warn_errno(const char *fmt, ...)
{
    int err = errno;
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", strerror(err));
}

void prog_usage(const char *usage, int status)
{
    fprintf(stderr, "usage: %s %s\n", prog_name, usage);
    exit(status);
}

FILE *prog_open(const char *path)
{
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "r");
    if (!f)
        prog_warn_errno("%s", path);
    return f;
}

void prog_close(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
}
