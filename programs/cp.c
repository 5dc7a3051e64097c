// cp: copies files.
// usage: cp [-r] src dst
//        cp [-r] src... dir
// When the last operand is an existing directory, each src is copied into
// it under its own last name; otherwise there must be exactly one src.
// Contents go in 64 KiB chunks; a new file gets src's permission bits (less
// the umask) and an existing one is overwritten in place. A directory src
// needs -r (or -R): its tree is copied, merging into directories that
// already exist. Symbolic links are followed (this system cannot make
// them); a directory that would be copied into itself, or around a cycle
// of links, is reported and skipped.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "optscan.h"

// The directories of the copy in progress, innermost first: each source
// directory and the directory made for it. A source found here again is a
// cycle or the copy itself.
struct chain {
    dev_t dev;
    ino_t ino;
    const struct chain *up;
};

static int opt_r;
static int status;
static char buf[65536];

static void report(const char *path, int err)
{
    fprintf(stderr, "cp: %s: %s\n", path, strerror(err));
    status = 1;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "cp: out of memory\n");
        exit(1);
    }
    return p;
}

// "dir/name", newly allocated.
static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    char *path = xmalloc(len + strlen(name) + 2);
    sprintf(path, "%s%s%s", dir, sep, name);
    return path;
}

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
    char *name = xmalloc(len - start + 1);
    memcpy(name, path + start, len - start);
    name[len - start] = '\0';
    return name;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

// Copies the contents of src (described by st) to dst.
static void copy_file(const char *src, const struct stat *st, const char *dst)
{
    struct stat dst_st;

    if (stat(dst, &dst_st) == 0 && dst_st.st_dev == st->st_dev && dst_st.st_ino == st->st_ino) {
        fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
        status = 1;
        return;
    }
    int in = open(src, O_RDONLY);
    if (in < 0) {
        report(src, errno);
        return;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
    if (out < 0) {
        report(dst, errno);
        close(in);
        return;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            report(src, errno);
            break;
        }
        if (write_all(out, buf, (size_t)n) < 0) {
            report(dst, errno);
            break;
        }
    }
    close(in);
    if (close(out) < 0)
        report(dst, errno);
}

// The entries of dir except "." and "..", as a NULL-terminated array, read
// in full before anything is copied (the copy may land inside dir).
static char **read_names(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t n = 0, cap = 16;
    char **names = xmalloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n + 1 == cap) {
            cap *= 2;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                fprintf(stderr, "cp: out of memory\n");
                exit(1);
            }
            names = bigger;
        }
        names[n] = xmalloc(strlen(e->d_name) + 1);
        strcpy(names[n++], e->d_name);
    }
    closedir(d);
    names[n] = NULL;
    return names;
}

static void copy_path(const char *src, const char *dst, const struct chain *up);

// Makes dst (or uses it if it is already a directory), then copies what
// is in src into it.
static void copy_dir(const char *src, const struct stat *st, const char *dst,
                     const struct chain *up)
{
    struct stat dst_st;

    for (const struct chain *c = up; c; c = c->up) {
        if (c->dev == st->st_dev && c->ino == st->st_ino) {
            fprintf(stderr, "cp: %s: cannot copy a directory into itself\n", src);
            status = 1;
            return;
        }
    }
    if (mkdir(dst, (st->st_mode & 0777) | 0700) < 0 && errno != EEXIST) {
        report(dst, errno);
        return;
    }
    if (stat(dst, &dst_st) < 0) {
        report(dst, errno);
        return;
    }
    if (!S_ISDIR(dst_st.st_mode)) {
        report(dst, ENOTDIR);
        return;
    }
    if (dst_st.st_dev == st->st_dev && dst_st.st_ino == st->st_ino) {
        fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
        status = 1;
        return;
    }
    char **names = read_names(src);
    if (!names) {
        report(src, errno);
        return;
    }
    struct chain self = { st->st_dev, st->st_ino, up };
    struct chain made = { dst_st.st_dev, dst_st.st_ino, &self };
    for (char **p = names; *p; p++) {
        char *child_src = join(src, *p);
        char *child_dst = join(dst, *p);
        copy_path(child_src, child_dst, &made);
        free(child_src);
        free(child_dst);
        free(*p);
    }
    free(names);
}

static void copy_path(const char *src, const char *dst, const struct chain *up)
{
    struct stat st;

    if (stat(src, &st) < 0) {
        report(src, errno);
    } else if (!S_ISDIR(st.st_mode)) {
        copy_file(src, &st, dst);
    } else if (!opt_r) {
        fprintf(stderr, "cp: omitting directory '%s'\n", src);
        status = 1;
    } else {
        copy_dir(src, &st, dst, up);
    }
}

int main(int argc, char **argv)
{
    int i = 1;

    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'r' || c == 'R') {
            opt_r = 1;
        } else {
            fprintf(stderr, "cp: unknown option -%c\nusage: cp [-r] src dst | cp [-r] src... dir\n", c);
            return 1;
        }
    }
    i = s.i;
    if (argc - i < 2) {
        fprintf(stderr, "usage: cp [-r] src dst | cp [-r] src... dir\n");
        return 1;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    int err = stat(target, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (err == 0) {
        for (; i < argc - 1; i++) {
            char *name = last_part(argv[i]);
            char *dst = join(target, name);
            copy_path(argv[i], dst, NULL);
            free(dst);
            free(name);
        }
    } else if (argc - i > 2) {
        report(target, err);
    } else {
        copy_path(argv[i], target, NULL);
    }
    return status;
}
