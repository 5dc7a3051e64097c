// realpath (symbolic links followed component by component) and truncate.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "libc.h"
#include "fs_proto.h"

#define LINKS_MAX 16                     // as the fs server's path walk (ELOOP)

struct rp {
    char out[PATH_MAX];                  // resolved so far ("" is the root)
    char rest[PATH_MAX];                 // still to walk
    int links;
};

// Puts target, then "/" and what was left after the link, into r->rest.
static int rp_splice(struct rp *r, const char *target, const char *after)
{
    char tmp[PATH_MAX];
    if (strlen(target) + strlen(after) + 2 > sizeof(tmp))
        return -ENAMETOOLONG;
    strcpy(tmp, target);
    strcat(strcat(tmp, "/"), after);
    strcpy(r->rest, tmp);
    if (target[0] == '/')
        r->out[0] = 0;
    return 0;
}

// Walks one component [p, p + n) of r->rest; after is what follows it.
// 1 when it was a symbolic link (r->rest then starts with its target),
// 0 when it was walked, or -errno.
static int rp_step(struct rp *r, const char *p, size_t n, const char *after)
{
    struct stat st;
    size_t len = strlen(r->out);
    if (n == 1 && p[0] == '.')
        return 0;
    if (n == 2 && p[0] == '.' && p[1] == '.') {
        while (len > 0 && r->out[--len] != '/')
            ;
        r->out[len] = 0;
        return 0;
    }
    if (len + n + 2 > sizeof(r->out))
        return -ENAMETOOLONG;
    r->out[len] = '/';
    memcpy(r->out + len + 1, p, n);
    r->out[len + 1 + n] = 0;
    if (lstat(r->out, &st) < 0)
        return -errno;
    if (S_ISLNK(st.st_mode)) {
        char target[FS_PATH_MAX + 1];
        ssize_t t = readlink(r->out, target, sizeof(target) - 1);
        if (t < 0)
            return -errno;
        target[t] = 0;
        r->out[len] = 0;
        if (++r->links > LINKS_MAX)
            return -ELOOP;
        int e = rp_splice(r, target, after);
        return e < 0 ? e : 1;
    }
    return *after && !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
}

static int rp_walk(struct rp *r)
{
    for (;;) {
        const char *p = r->rest;
        while (*p == '/')
            p++;
        if (!*p)
            return 0;
        size_t n = strcspn(p, "/");
        char after[PATH_MAX];
        const char *a = p + n;
        while (*a == '/')
            a++;
        strcpy(after, a);
        int e = rp_step(r, p, n, after);
        if (e < 0)
            return e;
        if (e == 0)
            strcpy(r->rest, after);
    }
}

char *realpath(const char *__restrict path, char *__restrict resolved)
{
    struct rp *r = calloc(1, sizeof(*r));
    if (!r) {
        errno = ENOMEM;
        return NULL;
    }
    int e = path_resolve(path, r->rest);
    if (!e)
        e = rp_walk(r);
    if (!e && !r->out[0])
        strcpy(r->out, "/");
    char *out = e ? NULL : resolved ? resolved : malloc(PATH_MAX);
    if (out)
        strcpy(out, r->out);
    free(r);
    errno = e ? -e : out ? errno : ENOMEM;
    return out;
}

int truncate(const char *path, off_t len)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    int e = ftruncate(fd, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return e;
}
