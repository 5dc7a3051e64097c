// ext2 name space changes: create, mkdir, symlink, unlink, rmdir, rename.
// Each reloads an inode before changing it when another step may have
// written it, and ends with ext2_done() so that it is on the disk.
#include <errno.h>
#include <string.h>
#include "ext2_impl.h"

#define RENAME_DEPTH_MAX 4096

// The directory holding path's final component (in *dir) and that name.
static long parent_get(struct ext2 *fs, const char *path, struct ext2_inode *dir,
                       struct ext2_last *last)
{
    long d = ext2_walk(fs, path, 0, last);
    if (d < 0)
        return d;
    int e = ext2_inode_get(fs, (uint32_t)d, dir);
    return e < 0 ? e : d;
}

// Makes an inode of the given mode near dir; links stays 0 until linked.
static long node_make(struct ext2 *fs, struct ext2_inode *dir, uint32_t mode, struct ext2_inode *ind)
{
    return ext2_inode_new(fs, ext2_inode_group(fs, dir), mode, ind);
}

// Links the new inode ind (links set by the caller) into dir as name, or
// releases it when that fails.
static long node_link(struct ext2 *fs, struct ext2_inode *dir, struct ext2_last *l,
                      struct ext2_inode *ind, int err)
{
    if (err == 0)
        err = ext2_inode_put(fs, ind);
    if (err == 0)
        err = ext2_dir_add(fs, dir, l->name, l->len, ind->ino, ind->mode);
    if (err == 0)
        return ind->ino;
    ind->links = 0;
    ext2_inode_release(fs, ind);
    return err;
}

// An existing entry met by create: its inode (following a symlink).
static long create_existing(struct ext2 *fs, const char *path, int excl)
{
    struct ext2_inode ind;
    if (excl)
        return -EEXIST;
    long ino = ext2_lookup(fs, path);
    if (ino < 0)
        return ino;
    int e = ext2_inode_get(fs, (uint32_t)ino, &ind);
    return e < 0 ? e : ext2_is_dir(&ind) ? -EISDIR : ino;
}

long ext2_create(struct ext2 *fs, const char *path, int excl)
{
    struct ext2_inode dir, ind;
    struct ext2_last l;
    if (fs->readonly)
        return -EROFS;
    long d = parent_get(fs, path, &dir, &l);
    if (d == -EEXIST)
        return excl ? -EEXIST : -EISDIR;
    if (d < 0)
        return d;
    long ino = ext2_dir_find(fs, &dir, l.name, l.len);
    if (ino > 0)
        return create_existing(fs, path, excl);
    if (ino != -ENOENT)
        return ino;
    ino = node_make(fs, &dir, S_REG | 0644, &ind);
    if (ino < 0)
        return ext2_done(fs, ino);
    ind.links = 1;
    return ext2_done(fs, node_link(fs, &dir, &l, &ind, 0));
}

// A new, unlinked name in the parent of path: 0, -EEXIST or -errno.
static long fresh_name(struct ext2 *fs, const char *path, struct ext2_inode *dir, struct ext2_last *l)
{
    if (fs->readonly)
        return -EROFS;
    long d = parent_get(fs, path, dir, l);
    if (d < 0)
        return d;
    long ino = ext2_dir_find(fs, dir, l->name, l->len);
    return ino > 0 ? -EEXIST : ino == -ENOENT ? 0 : ino;
}

static int links_add(struct ext2 *fs, uint32_t ino, int delta)
{
    struct ext2_inode ind;
    int e = ext2_inode_get(fs, ino, &ind);
    if (e < 0)
        return e;
    if ((delta < 0 && ind.links <= 1) || (delta > 0 && ind.links >= EXT2_LINK_MAX))
        return ext2_corrupt(fs, "bad directory link count");
    ind.links = (uint32_t)((int)ind.links + delta);
    ext2_touch(fs, &ind);
    return ext2_inode_put(fs, &ind);
}

long ext2_mkdir(struct ext2 *fs, const char *path)
{
    struct ext2_inode dir, ind;
    struct ext2_last l;
    long e = fresh_name(fs, path, &dir, &l);
    if (e < 0)
        return e;
    if (dir.links >= EXT2_LINK_MAX)
        return -EMLINK;
    long ino = node_make(fs, &dir, S_DIR | 0755, &ind);
    if (ino < 0)
        return ext2_done(fs, ino);
    ind.links = 2;
    e = node_link(fs, &dir, &l, &ind, ext2_dir_init(fs, &ind, dir.ino));
    if (e >= 0) {
        int le = links_add(fs, dir.ino, 1);
        e = le < 0 ? le : e;
    }
    return ext2_done(fs, e);
}

// Stores target in the new symlink ind: in i_block when short, else in a block.
static int link_store(struct ext2 *fs, struct ext2_inode *ind, const char *target, size_t len)
{
    uint8_t raw[EXT2_FAST_LINK] = { 0 };
    ind->size = len;
    if (len < EXT2_FAST_LINK) {
        memcpy(raw, target, len);
        for (int i = 0; i < 15; i++)
            ind->block[i] = le32(raw + 4 * i);
        return 0;
    }
    int fresh;
    long b = ext2_bmap(fs, ind, 0, 1, &fresh);
    int e = b < 0 ? (int)b : ext2_bzero(fs, (uint32_t)b);
    return e < 0 ? e : ext2_bwrite(fs, (uint32_t)b, 0, (uint32_t)len, target);
}

long ext2_symlink(struct ext2 *fs, const char *path, const char *target)
{
    struct ext2_inode dir, ind;
    struct ext2_last l;
    size_t len = strlen(target);
    if (len == 0)
        return -ENOENT;
    if (len >= fs->block_size)
        return -ENAMETOOLONG;
    long e = fresh_name(fs, path, &dir, &l);
    if (e < 0)
        return e;
    long ino = node_make(fs, &dir, S_LNK | 0777, &ind);
    if (ino < 0)
        return ext2_done(fs, ino);
    ind.links = 1;
    return ext2_done(fs, node_link(fs, &dir, &l, &ind, link_store(fs, &ind, target, len)));
}

// Drops one link of ind, releasing it at zero.
static int links_drop(struct ext2 *fs, struct ext2_inode *ind)
{
    if (ind->links > 0)
        ind->links--;
    ind->ctime = fs->now;
    return ind->links ? ext2_inode_put(fs, ind) : ext2_inode_release(fs, ind);
}

long ext2_unlink(struct ext2 *fs, const char *path)
{
    struct ext2_inode dir, ind;
    struct ext2_last l;
    if (fs->readonly)
        return -EROFS;
    long d = parent_get(fs, path, &dir, &l);
    if (d < 0)
        return d == -EEXIST ? -EISDIR : d;
    long ino = ext2_child(fs, &dir, l.name, l.len, &ind);
    if (ino < 0)
        return ino;
    if (ext2_is_dir(&ind))
        return -EISDIR;
    int e = ext2_dir_remove(fs, &dir, l.name, l.len);
    if (e == 0)
        e = links_drop(fs, &ind);
    return ext2_done(fs, e);
}

// Removes the empty directory ind from its parent dir (entry name l).
static int dir_drop(struct ext2 *fs, struct ext2_inode *dir, struct ext2_inode *ind)
{
    int e = ext2_dir_empty(fs, ind);
    if (e <= 0)
        return e < 0 ? e : -ENOTEMPTY;
    ind->links = 0;
    e = ext2_inode_release(fs, ind);
    return e < 0 ? e : links_add(fs, dir->ino, -1);
}

long ext2_rmdir(struct ext2 *fs, const char *path)
{
    struct ext2_inode dir, ind;
    struct ext2_last l;
    if (fs->readonly)
        return -EROFS;
    long d = parent_get(fs, path, &dir, &l);
    if (d < 0)
        return d == -EEXIST ? -EBUSY : d;
    long ino = ext2_child(fs, &dir, l.name, l.len, &ind);
    if (ino < 0)
        return ino;
    if (!ext2_is_dir(&ind))
        return -ENOTDIR;
    if (ino == EXT2_ROOT_INO)
        return -EBUSY;
    int e = ext2_dir_empty(fs, &ind);
    if (e <= 0)
        return e < 0 ? e : -ENOTEMPTY;
    e = ext2_dir_remove(fs, &dir, l.name, l.len);
    if (e == 0)
        e = dir_drop(fs, &dir, &ind);
    return ext2_done(fs, e);
}

// -EINVAL if directory dir is src or inside it (walking up through "..").
static int rename_loop_check(struct ext2 *fs, uint32_t src, uint32_t dir)
{
    for (int i = 0; i < RENAME_DEPTH_MAX; i++) {
        struct ext2_inode ind;
        if (dir == src)
            return -EINVAL;
        if (dir == EXT2_ROOT_INO)
            return 0;
        int e = ext2_inode_get(fs, dir, &ind);
        long up = e < 0 ? e : ext2_dir_find(fs, &ind, "..", 2);
        if (up < 0)
            return up == -ENOENT ? ext2_corrupt(fs, "directory without ..") : (int)up;
        dir = (uint32_t)up;
    }
    return ext2_corrupt(fs, "directory tree too deep or looping");
}

// Points the existing entry l of tdir at src (inode s), dropping the
// inode it named (dst).
static int rename_replace(struct ext2 *fs, struct ext2_inode *tdir, struct ext2_last *l,
                          struct ext2_inode *s)
{
    struct ext2_inode t;
    long dst = ext2_child(fs, tdir, l->name, l->len, &t);
    int e;
    if (dst < 0)
        return (int)dst;
    if (ext2_is_dir(&t) && !ext2_is_dir(s))
        return -EISDIR;
    if (!ext2_is_dir(&t) && ext2_is_dir(s))
        return -ENOTDIR;
    if (dst == EXT2_ROOT_INO)
        return -EBUSY;
    if (ext2_is_dir(&t) && (e = ext2_dir_empty(fs, &t)) <= 0)
        return e < 0 ? e : -ENOTEMPTY;
    e = ext2_dir_retarget(fs, tdir, l->name, l->len, s->ino, s->mode);
    if (e < 0)
        return e;
    return ext2_is_dir(&t) ? dir_drop(fs, tdir, &t) : links_drop(fs, &t);
}

// Second half of rename: drop the old name, fix ".." and parent links.
static int rename_finish(struct ext2 *fs, uint32_t from_dir, struct ext2_last *a,
                         uint32_t to_dir, uint32_t src)
{
    struct ext2_inode dir, s;
    int e = ext2_inode_get(fs, from_dir, &dir);
    if (e == 0)
        e = ext2_dir_remove(fs, &dir, a->name, a->len);
    if (e == 0)
        e = ext2_inode_get(fs, src, &s);
    if (e < 0)
        return e;
    s.ctime = fs->now;
    if ((e = ext2_inode_put(fs, &s)) < 0 || !ext2_is_dir(&s) || from_dir == to_dir)
        return e;
    if ((e = ext2_dir_set_parent(fs, &s, to_dir)) == 0 && (e = links_add(fs, from_dir, -1)) == 0)
        e = links_add(fs, to_dir, 1);
    return e;
}

// Looks up both names and checks the move; the source inode number.
static long rename_prepare(struct ext2 *fs, const char *from, const char *to, uint32_t dirs[2],
                           struct ext2_last *a, struct ext2_last *b, struct ext2_inode *s)
{
    struct ext2_inode dir;
    long da = parent_get(fs, from, &dir, a);
    long src = da < 0 ? da : ext2_child(fs, &dir, a->name, a->len, s);
    long db = src < 0 ? src : ext2_walk(fs, to, 0, b);
    if (db < 0)
        return db == -EEXIST ? -EBUSY : db;
    int e = src == EXT2_ROOT_INO ? -EBUSY : 0;
    if (e == 0 && ext2_is_dir(s))
        e = rename_loop_check(fs, (uint32_t)src, (uint32_t)db);
    dirs[0] = (uint32_t)da;
    dirs[1] = (uint32_t)db;
    return e < 0 ? e : src;
}

long ext2_rename(struct ext2 *fs, const char *from, const char *to)
{
    struct ext2_inode tdir, s;
    struct ext2_last a, b;
    uint32_t dirs[2];
    if (fs->readonly)
        return -EROFS;
    long src = rename_prepare(fs, from, to, dirs, &a, &b, &s);
    if (src < 0)
        return src;
    int e = ext2_inode_get(fs, dirs[1], &tdir);
    long dst = e < 0 ? e : ext2_dir_find(fs, &tdir, b.name, b.len);
    if (dst == src)
        return 0;
    if (e == 0 && ext2_is_dir(&s) && dirs[0] != dirs[1] && tdir.links >= EXT2_LINK_MAX)
        return -EMLINK;
    if (dst > 0)
        e = rename_replace(fs, &tdir, &b, &s);
    else if (dst == -ENOENT)
        e = ext2_dir_add(fs, &tdir, b.name, b.len, s.ino, s.mode);
    else
        return dst;
    if (e == 0)
        e = rename_finish(fs, dirs[0], &a, dirs[1], (uint32_t)src);
    return ext2_done(fs, e);
}
