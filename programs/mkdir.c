// mkdir: creates directories.
// usage: mkdir [-p] dir...
// Each directory is made with mode 0777 less the umask. With -p, missing
// parent directories are made first and a directory that already exists
// is not an error (any other file in the way still is).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "optscan.h"

static int opt_p;

static void report(const char *path, int err)
{
    fprintf(stderr, "mkdir: %s: %s\n", path, strerror(err));
}

// Makes one directory; with -p an existing directory counts as made.
static int make_one(const char *path)
{
    struct stat st;

    if (mkdir(path, 0777) == 0)
        return 0;
    int err = errno;
    if (opt_p && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    report(path, err);
    return -1;
}

// Makes every prefix of path that ends before a '/', then path itself.
static int make_parents(const char *path)
{
    char *buf = strdup(path);
    if (!buf) {
        report(path, errno);
        return -1;
    }
    int r = 0;
    for (char *p = buf + 1; *p && r == 0; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        r = make_one(buf);
        *p = '/';
    }
    if (r == 0)
        r = make_one(buf);
    free(buf);
    return r;
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;

    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'p') {
            opt_p = 1;
        } else {
            fprintf(stderr, "mkdir: unknown option -%c\nusage: mkdir [-p] dir...\n", c);
            return 1;
        }
    }
    i = s.i;
    if (i == argc) {
        fprintf(stderr, "usage: mkdir [-p] dir...\n");
        return 1;
    }
    for (; i < argc; i++)
        if ((opt_p ? make_parents(argv[i]) : make_one(argv[i])) < 0)
            status = 1;
    return status;
}
