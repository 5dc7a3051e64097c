// mv: moves (renames) files.
// usage: mv src dst
//        mv src... dir
// When the last operand is an existing directory, each src is moved into
// it under its own last name; otherwise there must be exactly one src,
// and an existing dst is replaced. Moving is rename(), so it stays within
// one file system (EXDEV is reported, not copied around). -f is accepted
// and changes nothing: mv never asks.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "optscan.h"

// newlib declares lstat only for a few targets; the POSIX layer has it.
int lstat(const char *path, struct stat *st);

static int status;

// The last part of path without trailing slashes, newly allocated.
static char *last_part(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (start == len)                      // "/" itself
        start = 0;
    char *name = malloc(len - start + 1);
    if (!name) {
        fprintf(stderr, "mv: out of memory\n");
        exit(1);
    }
    memcpy(name, path + start, len - start);
    name[len - start] = '\0';
    return name;
}

static void move(const char *src, const char *dst)
{
    struct stat st;

    if (lstat(src, &st) < 0) {
        fprintf(stderr, "mv: %s: %s\n", src, strerror(errno));
        status = 1;
    } else if (rename(src, dst) < 0) {
        fprintf(stderr, "mv: %s -> %s: %s\n", src, dst, strerror(errno));
        status = 1;
    }
}

int main(int argc, char **argv)
{
    int i = 1;

    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c != 'f') {
            fprintf(stderr, "mv: unknown option -%c\nusage: mv src dst | mv src... dir\n", c);
            return 1;
        }
    }
    i = s.i;
    if (argc - i < 2) {
        fprintf(stderr, "usage: mv src dst | mv src... dir\n");
        return 1;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    int err = stat(target, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (err == 0) {
        for (; i < argc - 1; i++) {
            char *name = last_part(argv[i]);
            size_t len = strlen(target);
            char *dst = malloc(len + strlen(name) + 2);
            if (!dst) {
                fprintf(stderr, "mv: out of memory\n");
                return 1;
            }
            sprintf(dst, "%s%s%s", target, len > 0 && target[len - 1] == '/' ? "" : "/", name);
            move(argv[i], dst);
            free(dst);
            free(name);
        }
    } else if (argc - i > 2) {
        fprintf(stderr, "mv: %s: %s\n", target, strerror(err));
        status = 1;
    } else {
        move(argv[i], target);
    }
    return status;
}
