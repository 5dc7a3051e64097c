// ext2 hard links, permission bits, owners and time stamps: link() gives
// an existing inode a second name, chmod() stores new mode bits, chown()
// a new owner and group, utimes() the access and modification times. Each ends with ext2_done() so
// that the change is on the disk when it returns.
#include <errno.h>
#include <string.h>
#include "ext2_impl.h"

// Sets ind's change time to now (and clears its sub-second part).
static void ctime_now(struct ext2 *fs, struct ext2_inode *ind)
{
    ind->ctime = fs->now;
    if (fs->inode_size > 128 && le16(ind->raw + I_EXTRA_ISIZE) >= 8)
        memset(ind->raw + 0x84, 0, 4);
}

// The directory to hold the new name of path (in *dir, name in *l), which
// must not exist yet: the directory's inode number or -errno.
static long new_name(struct ext2 *fs, const char *path, struct ext2_inode *dir, struct ext2_last *l)
{
    long d = ext2_walk(fs, path, 0, l);
    if (d < 0)
        return d;
    int e = ext2_inode_get(fs, (uint32_t)d, dir);
    if (e < 0)
        return e;
    long c = ext2_dir_find(fs, dir, l->name, l->len);
    return c > 0 ? -EEXIST : c == -ENOENT ? d : c;
}

long ext2_link(struct ext2 *fs, const char *existing, const char *path)
{
    struct ext2_inode dir, ind;
    struct ext2_last l;
    if (fs->readonly)
        return -EROFS;
    long ino = ext2_lookup_nofollow(fs, existing);
    int e = ino < 0 ? (int)ino : ext2_inode_get(fs, (uint32_t)ino, &ind);
    if (e < 0)
        return e;
    if (ext2_is_dir(&ind))
        return -EPERM;
    if (ind.links >= EXT2_LINK_MAX)
        return -EMLINK;
    long d = new_name(fs, path, &dir, &l);
    if (d < 0)
        return d == -EEXIST || d == -EINVAL ? -EEXIST : d;
    // The count goes up before the name is written: a stop between the two
    // leaves a count one too high, which the repair lowers, never too low.
    ind.links++;
    ctime_now(fs, &ind);
    e = ext2_inode_put(fs, &ind);
    if (e == 0)
        e = ext2_dir_add(fs, &dir, l.name, l.len, ind.ino, ind.mode);
    return ext2_done(fs, e < 0 ? e : (long)ino);
}

// Loads inode ino for a change of its attributes: 0, -EROFS on a
// read-only file system, or the error of ext2_inode_live.
static int attr_load(struct ext2 *fs, uint64_t ino, struct ext2_inode *ind)
{
    if (fs->readonly)
        return -EROFS;
    return ext2_inode_live(fs, ino, ind);
}

// Stamps the change time, writes the inode back and flushes (ext2_done).
static long attr_store(struct ext2 *fs, struct ext2_inode *ind)
{
    ctime_now(fs, ind);
    return ext2_done(fs, ext2_inode_put(fs, ind));
}

long ext2_chmod(struct ext2 *fs, uint64_t ino, uint32_t mode)
{
    struct ext2_inode ind;
    int e = attr_load(fs, ino, &ind);
    if (e < 0)
        return e;
    ind.mode = (ind.mode & S_FMT) | (mode & 07777);
    return attr_store(fs, &ind);
}

long ext2_utimes(struct ext2 *fs, uint64_t ino, int64_t atime, int64_t mtime)
{
    struct ext2_inode ind;
    int e = attr_load(fs, ino, &ind);
    if (e < 0)
        return e;
    if (atime >= 0)
        ind.atime = (uint32_t)atime;
    if (mtime >= 0)
        ind.mtime = (uint32_t)mtime;
    if (fs->inode_size > 128 && le16(ind.raw + I_EXTRA_ISIZE) >= 16)
        memset(ind.raw + 0x88, 0, 8);        // mtime and atime sub-second parts
    return attr_store(fs, &ind);
}

long ext2_chown(struct ext2 *fs, uint64_t ino, uint32_t uid, uint32_t gid)
{
    struct ext2_inode ind;
    int e = attr_load(fs, ino, &ind);
    if (e < 0)
        return e;
    if (uid != EXT2_ID_KEEP)
        ind.uid = uid;
    if (gid != EXT2_ID_KEEP)
        ind.gid = gid;
    if (ext2_is_reg(&ind))                   // as Linux: the set-id bits do not survive
        ind.mode &= ~(0x800u | ((ind.mode & 0010) ? 0x400u : 0));
    return attr_store(fs, &ind);
}
