// ls: lists directory contents.
// usage: ls [-a] [-l] [path...]      (no path means ".")
// Names are sorted in byte order, one per line; names starting with '.'
// are left out unless -a is given. A directory operand lists its entries,
// any other operand prints just its own name; files come first, then each
// directory under a "path:" heading when there are several operands.
// -l prints "MODE LINKS SIZE NAME", MODE as in "-rwxr-xr-x"; a symbolic
// link shows as "lrwxrwxrwx ... NAME -> TARGET" (it is not followed, and a
// link operand under -l is shown itself, as GNU ls does).
#include <unistd.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fileinfo.h"
#include "optscan.h"

static int opt_long, opt_all;
static int status;

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "ls: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    return strcpy(xmalloc(strlen(s) + 1), s);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// "-rwxr-xr-x" from st_mode. A file system that keeps no permission bits
// gets "r--r--r--" (directories "r-xr-xr-x") so the column still reads well.
static void mode_string(mode_t m, char out[11])
{
    if ((m & 07777) == 0)
        m |= S_ISDIR(m) ? 0555 : 0444;
    fileinfo_mode_string(m, out);
}

// Prints one entry: `name` as shown, `path` to stat it by.
static void show(const char *path, const char *name)
{
    struct stat st;
    char mode[11];

    if (!opt_long) {
        printf("%s\n", name);
        return;
    }
    if (lstat(path, &st) < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        status = 1;
        return;
    }
    mode_string(st.st_mode, mode);
    printf("%s %3lu %8lld %s", mode, (unsigned long)st.st_nlink,
           (long long)st.st_size, name);
    if (S_ISLNK(st.st_mode))
        fileinfo_print_link(path);
    putchar('\n');
}

static void list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        status = 1;
        return;
    }
    size_t n = 0, cap = 16;
    char **names = xmalloc(cap * sizeof *names);
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !opt_all)
            continue;
        if (n == cap) {
            cap *= 2;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                fprintf(stderr, "ls: out of memory\n");
                exit(1);
            }
            names = bigger;
        }
        names[n++] = xstrdup(e->d_name);
        errno = 0;
    }
    if (errno) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        status = 1;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);

    size_t dirlen = strlen(dir);
    const char *sep = dirlen > 0 && dir[dirlen - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < n; i++) {
        char *path = xmalloc(dirlen + strlen(names[i]) + 2);
        sprintf(path, "%s%s%s", dir, sep, names[i]);
        show(path, names[i]);
        free(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int i = 1;

    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'l') {
            opt_long = 1;
        } else if (c == 'a') {
            opt_all = 1;
        } else {
            fprintf(stderr, "ls: unknown option -%c\nusage: ls [-a] [-l] [path...]\n", c);
            return 1;
        }
    }
    i = s.i;
    if (i == argc) {
        list_dir(".");
        return status;
    }

    // Sort the operands into files and directories.
    int noperands = argc - i;
    char **files = xmalloc(noperands * sizeof *files);
    char **dirs = xmalloc(noperands * sizeof *dirs);
    int nfiles = 0, ndirs = 0;
    for (; i < argc; i++) {
        struct stat st;
        if ((opt_long ? lstat(argv[i], &st) : stat(argv[i], &st)) < 0) {
            fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        } else if (S_ISDIR(st.st_mode)) {
            dirs[ndirs++] = argv[i];
        } else {
            files[nfiles++] = argv[i];
        }
    }
    qsort(files, nfiles, sizeof *files, by_name);
    qsort(dirs, ndirs, sizeof *dirs, by_name);

    for (int k = 0; k < nfiles; k++)
        show(files[k], files[k]);
    for (int k = 0; k < ndirs; k++) {
        if (nfiles > 0 || k > 0)
            putchar('\n');
        if (noperands > 1)
            printf("%s:\n", dirs[k]);
        list_dir(dirs[k]);
    }
    free(files);
    free(dirs);
    return status;
}
