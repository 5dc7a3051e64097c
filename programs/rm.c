// rm: removes files.
// usage: rm [-r] [-f] file...
// -r (or -R) removes directories and everything in them; without it a
// directory operand is an error. -f says nothing about files that do not
// exist (and no operand at all is then fine). Symbolic links are removed,
// never followed. Operands whose last part is "." or "..", and "/", are
// refused. Nothing is ever asked: there are no prompts.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "optscan.h"

// newlib declares lstat only for a few targets; the POSIX layer has it.
int lstat(const char *path, struct stat *st);

static int opt_r, opt_f;
static int status;

static void report(const char *path, int err)
{
    if (opt_f && err == ENOENT)
        return;
    fprintf(stderr, "rm: %s: %s\n", path, strerror(err));
    status = 1;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "rm: out of memory\n");
        exit(1);
    }
    return p;
}

// "dir/name", newly allocated.
static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    char *path = xrealloc(NULL, len + strlen(name) + 2);
    sprintf(path, "%s%s%s", dir, sep, name);
    return path;
}

// The entries of dir except "." and "..", as a NULL-terminated array, so
// that the directory is not changed while it is being read.
static char **read_names(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t n = 0, cap = 16;
    char **names = xrealloc(NULL, cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n + 1 == cap) {
            cap *= 2;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n] = xrealloc(NULL, strlen(e->d_name) + 1);
        strcpy(names[n++], e->d_name);
    }
    closedir(d);
    names[n] = NULL;
    return names;
}

static int remove_path(const char *path);

// Removes what is in dir, then dir itself. Returns 0 if all went.
static int remove_tree(const char *dir)
{
    char **names = read_names(dir);
    if (!names) {
        report(dir, errno);
        return -1;
    }
    int r = 0;
    for (char **p = names; *p; p++) {
        char *child = join(dir, *p);
        if (remove_path(child) < 0)
            r = -1;
        free(child);
        free(*p);
    }
    free(names);
    if (r == 0 && rmdir(dir) < 0) {       // a failed child was reported
        report(dir, errno);
        r = -1;
    }
    return r;
}

static int remove_path(const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0) {
        report(path, errno);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!opt_r) {
            report(path, EISDIR);
            return -1;
        }
        return remove_tree(path);
    }
    if (unlink(path) < 0) {
        report(path, errno);
        return -1;
    }
    return 0;
}

// "/", or a path whose last part is "." or "..".
static int refused(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len == 1 && path[0] == '/')
        return 1;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t n = len - start;
    return (n == 1 || n == 2) && strncmp(path + start, "..", n) == 0;
}

int main(int argc, char **argv)
{
    int i = 1;

    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'r' || c == 'R') {
            opt_r = 1;
        } else if (c == 'f') {
            opt_f = 1;
        } else {
            fprintf(stderr, "rm: unknown option -%c\nusage: rm [-r] [-f] file...\n", c);
            return 1;
        }
    }
    i = s.i;
    if (i == argc && !opt_f) {
        fprintf(stderr, "usage: rm [-r] [-f] file...\n");
        return 1;
    }
    for (; i < argc; i++) {
        if (refused(argv[i])) {
            fprintf(stderr, "rm: %s: refusing to remove '/', '.' or '..'\n", argv[i]);
            status = 1;
        } else {
            remove_path(argv[i]);
        }
    }
    return status;
}
