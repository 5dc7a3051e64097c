// The in-memory tree as an fs backend.
#include <errno.h>
#include "backend.h"
#include "memfs.h"

static long m_lookup(const char *path, int nofollow) { (void)nofollow; return memfs_lookup(path); }
static long m_create(const char *path, int excl) { return memfs_create(path, FS_TYPE_FILE, excl); }

static long m_mkdir(const char *path)
{
    long e = memfs_create(path, FS_TYPE_DIR, 1);
    return e < 0 ? e : 0;
}

static long m_unlink(const char *path)
{
    long ino = memfs_lookup(path);
    struct fs_stat st;
    if (ino > 0 && memfs_stat((uint64_t)ino, &st) == 0 && st.type == FS_TYPE_DIR)
        return -EISDIR;
    return memfs_unlink(path);
}

static long m_rmdir(const char *path)
{
    long ino = memfs_lookup(path);
    struct fs_stat st;
    if (ino > 0 && memfs_stat((uint64_t)ino, &st) == 0 && st.type != FS_TYPE_DIR)
        return -ENOTDIR;
    return memfs_unlink(path);
}

static long m_readlink(uint64_t ino, char *buf, uint64_t max)
{
    (void)ino; (void)buf; (void)max;
    return -EINVAL;
}

static long m_sync(void) { return 0; }

// The in-memory tree has neither links nor permission bits nor owners
// (nor times but the modification time its writes set).
static long m_symlink(const char *path, const char *target) { (void)path; (void)target; return -EPERM; }
static long m_link(const char *existing, const char *path) { (void)existing; (void)path; return -EPERM; }
static long m_chmod(uint64_t ino, uint32_t mode) { (void)ino; (void)mode; return -EPERM; }
static long m_utimes(uint64_t ino, int64_t a, int64_t m) { (void)ino; (void)a; (void)m; return -EPERM; }
static long m_chown(uint64_t ino, uint32_t u, uint32_t g) { (void)ino; (void)u; (void)g; return -EPERM; }

const struct fs_backend memfs_backend = {
    .type = "memfs", .set_time = memfs_set_time, .lookup = m_lookup, .read = memfs_read,
    .write = memfs_write, .create = m_create, .mkdir = m_mkdir, .truncate = memfs_truncate,
    .stat = memfs_stat, .readdir = memfs_readdir, .unlink = m_unlink, .rmdir = m_rmdir,
    .rename = memfs_rename, .readlink = m_readlink, .statfs = memfs_statfs, .sync = m_sync,
    .symlink = m_symlink, .link = m_link, .chmod = m_chmod, .utimes = m_utimes,
    .chown = m_chown,
};
