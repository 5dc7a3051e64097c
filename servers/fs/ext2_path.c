// ext2 path walk: components looked up from the root, symbolic links
// expanded in place (at most EXT2_SYMLOOP_MAX of them).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

#define PATH_BUF 8192

struct walk {
    char *path, *tmp;              // PATH_BUF bytes each
    const char *p;                 // the next component in path
    uint32_t dir;                  // the directory p is relative to
    int links;
};

// Entry name of directory dir, loaded into *child; its inode number,
// -ENOENT, or -EIO for an entry naming a reserved or free inode.
long ext2_child(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len,
                struct ext2_inode *child)
{
    long c = ext2_dir_find(fs, dir, name, len);
    if (c < 0)
        return c;
    if (c != EXT2_ROOT_INO && c < fs->first_ino)
        return ext2_corrupt(fs, "directory entry for a reserved inode");
    int e = ext2_inode_get(fs, (uint32_t)c, child);
    if (e < 0)
        return e;
    if (child->links == 0 || (child->mode & S_FMT) == 0)
        return ext2_corrupt(fs, "directory entry for a free inode");
    return c;
}

// The child named [name, name + len) of directory ino.
static long walk_child(struct ext2 *fs, uint32_t ino, const char *name, size_t len,
                       struct ext2_inode *child)
{
    struct ext2_inode dir;
    int e = ext2_inode_get(fs, ino, &dir);
    return e < 0 ? e : ext2_child(fs, &dir, name, (uint32_t)len, child);
}

// Replaces the walked part of the path by link's target: the target, then
// the rest of the path (from rest).
static int walk_expand(struct ext2 *fs, struct walk *w, struct ext2_inode *link, const char *rest)
{
    char *t = malloc(fs->block_size);
    if (!t)
        return -ENOMEM;
    long n = ext2_link_target(fs, link, t);
    size_t rlen = strlen(rest);
    if (n >= 0 && (size_t)n + 1 + rlen + 1 > PATH_BUF)
        n = -ENAMETOOLONG;
    if (n >= 0) {
        memcpy(w->tmp, t, (size_t)n);
        w->tmp[n] = '/';
        memcpy(w->tmp + n + 1, rest, rlen + 1);
        memcpy(w->path, w->tmp, (size_t)n + 2 + rlen);
        if (t[0] == '/')
            w->dir = EXT2_ROOT_INO;
        w->p = w->path;
    }
    free(t);
    return n < 0 ? (int)n : 0;
}

// One step: looks up the component [w->p, end) and moves into it, or
// expands it when it is a symbolic link to follow. 0 or -errno.
static int walk_step(struct ext2 *fs, struct walk *w, const char *end, int follow)
{
    struct ext2_inode child;
    const char *rest = end;
    while (*rest == '/')
        rest++;
    long c = walk_child(fs, w->dir, w->p, (size_t)(end - w->p), &child);
    if (c < 0)
        return (int)c;
    if (ext2_is_lnk(&child) && (*rest || follow)) {
        if (++w->links > EXT2_SYMLOOP_MAX)
            return -ELOOP;
        return walk_expand(fs, w, &child, rest);
    }
    w->dir = (uint32_t)c;
    w->p = rest;
    return 0;
}

// Records the final component in *last; the directory holding it.
static long walk_last(struct ext2 *fs, struct walk *w, const char *end, struct ext2_last *last)
{
    struct ext2_inode dir;
    size_t n = (size_t)(end - w->p);
    if ((n == 1 && w->p[0] == '.') || (n == 2 && w->p[0] == '.' && w->p[1] == '.'))
        return -EINVAL;
    int e = ext2_inode_get(fs, w->dir, &dir);
    if (e < 0)
        return e;
    if (!ext2_is_dir(&dir))
        return -ENOTDIR;
    memcpy(last->name, w->p, n);
    last->name[n] = 0;
    last->len = (uint32_t)n;
    return w->dir;
}

// Walks the components of w->path.
static long walk_run(struct ext2 *fs, struct walk *w, int follow, struct ext2_last *last)
{
    for (;;) {
        while (*w->p == '/')
            w->p++;
        if (!*w->p)
            return last ? -EEXIST : (long)w->dir;
        const char *end = strchr(w->p, '/');
        end = end ? end : w->p + strlen(w->p);
        if (end - w->p > FS_NAME_MAX)
            return -ENAMETOOLONG;
        const char *rest = end;
        while (*rest == '/')
            rest++;
        if (last && !*rest)
            return walk_last(fs, w, end, last);
        int e = walk_step(fs, w, end, follow);
        if (e < 0)
            return e;
    }
}

// Resolves an absolute path to an inode (following a final symbolic link
// if follow). With last, stops at the final component instead: returns the
// directory holding it and its name in *last (-EEXIST for "/", -EINVAL
// for "." or "..").
long ext2_walk(struct ext2 *fs, const char *path, int follow, struct ext2_last *last)
{
    struct walk w = { .dir = EXT2_ROOT_INO };
    size_t len = strlen(path);
    if (path[0] != '/')
        return -EINVAL;
    if (len >= PATH_BUF)
        return -ENAMETOOLONG;
    w.path = malloc(PATH_BUF);
    w.tmp = malloc(PATH_BUF);
    long r = -ENOMEM;
    if (w.path && w.tmp) {
        memcpy(w.path, path, len + 1);
        w.p = w.path;
        r = walk_run(fs, &w, follow, last);
    }
    free(w.path);
    free(w.tmp);
    return r;
}

long ext2_lookup(struct ext2 *fs, const char *path) { return ext2_walk(fs, path, 1, NULL); }

long ext2_lookup_nofollow(struct ext2 *fs, const char *path) { return ext2_walk(fs, path, 0, NULL); }
