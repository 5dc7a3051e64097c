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

// "NAME: message" and then tail ("\n", or ": reason\n") on standard error.
static void warn_with(const char *tail, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputs(tail, stderr);
}

void prog_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_with("\n", fmt, ap);
    va_end(ap);
}

void prog_warn_errno(const char *fmt, ...)
{
    char tail[128];
    snprintf(tail, sizeof tail, ": %s\n", strerror(errno));
    va_list ap;
    va_start(ap, fmt);
    warn_with(tail, fmt, ap);
    va_end(ap);
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
