// fs: the file system server. The root is the ext2 file system on the
// disk (through the disk driver); the boot files are also served,
// read-only, under /boot (and at the root when there is no usable disk).
// The protocol is stateless (fs_proto.h): requests name inodes and
// offsets, so open files survive a restart of this server.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "core/bootfs.h"
#include "backend.h"
#include "memfs.h"
#include "change.h"

#define H_MY_ENDPOINT 6
#define H_DISK        7
#define MOUNT_SHIFT   48
#define INO_MASK      ((1ull << MOUNT_SHIFT) - 1)

// mounts[0] is the root, mounts[1] the boot files at /boot.
static const struct fs_backend *mounts[2];
static uint8_t io_buf[FS_IO_MAX];

// Picks the backend for an absolute path; *rel is the path inside it.
static int route(const char *path, const char **rel)
{
    if (!strncmp(path, "/boot", 5) && (path[5] == 0 || path[5] == '/')) {
        *rel = path[5] ? path + 5 : "/";
        return 1;
    }
    *rel = path;
    return 0;
}

static const struct fs_backend *backend_of(uint64_t ino, uint64_t *raw)
{
    *raw = ino & INO_MASK;
    return mounts[(ino >> MOUNT_SHIFT) & 1];
}

static uint64_t ino_make(int m, long raw) { return ((uint64_t)m << MOUNT_SHIFT) | (uint64_t)raw; }

// The request payload as a NUL-terminated absolute path, or NULL.
static const char *req_path(struct request *rq)
{
    const char *p = rq->data;
    if (rq->len < 2 || rq->len > FS_PATH_MAX || p[rq->len - 1] || p[0] != '/')
        return NULL;
    return p;
}

static void clock_update(void)
{
    for (int i = 0; i < 2; i++)
        mounts[i]->set_time(sys_wallclock() / 1000000000);
}

static int op_lookup(struct request *rq)
{
    const char *path = req_path(rq), *rel;
    if (!path) {
        rq->r0 = (uint64_t)-EINVAL;
        return 0;
    }
    int m = route(path, &rel);
    long ino = mounts[m]->lookup(rel, (rq->w0 & FS_LOOKUP_NOFOLLOW) != 0);
    struct fs_stat st;
    static uint64_t stamp;
    if (ino > 0 && mounts[m]->stat((uint64_t)ino, &st) == 0) {
        rq->r1 = st.type;
        rq->r2 = st.size;
    }
    rq->r0 = ino < 0 ? (uint64_t)ino : ino_make(m, ino);
    if (ino > 0 && (rq->w0 & FS_LOOKUP_STAMP)) {
        stamp = change_stamp(rq->r0);
        rq->reply_data = &stamp;
        rq->reply_len = sizeof(stamp);
    }
    return 0;
}

// A read that lies in one cached block is answered straight from the
// cache (one copy: the kernel's, into the reader); others through io_buf.
static int op_read(struct request *rq)
{
    uint64_t raw, len = rq->w2 > sizeof(io_buf) ? sizeof(io_buf) : rq->w2;
    const struct fs_backend *be = backend_of(rq->w0, &raw);
    const void *at = NULL;
    long n = be->read_ref ? be->read_ref(raw, rq->w1, len, &at) : 0;
    if (n >= 0 && !at) {
        n = be->read(raw, rq->w1, io_buf, len);
        at = io_buf;
    }
    rq->r0 = (uint64_t)n;
    if (n > 0) {
        rq->reply_data = at;
        rq->reply_len = (uint64_t)n;
    }
    return 0;
}

static int op_write(struct request *rq)
{
    uint64_t raw;
    clock_update();
    change_note(rq->w0);
    rq->r0 = (uint64_t)backend_of(rq->w0, &raw)->write(raw, rq->w1, rq->data, rq->len);
    return 0;
}

static int op_truncate(struct request *rq)
{
    uint64_t raw;
    clock_update();
    change_note(rq->w0);
    rq->r0 = (uint64_t)backend_of(rq->w0, &raw)->truncate(raw, rq->w1);
    return 0;
}

// create, mkdir, unlink, rmdir: one path, one backend call.
static int path_call(struct request *rq, int which)
{
    const char *path = req_path(rq), *rel;
    if (!path) {
        rq->r0 = (uint64_t)-EINVAL;
        return 0;
    }
    clock_update();
    int m = route(path, &rel);
    const struct fs_backend *b = mounts[m];
    long r = which == FS_CREATE ? b->create(rel, (rq->w0 & 0x0800) != 0)
           : which == FS_MKDIR ? b->mkdir(rel)
           : which == FS_UNLINK ? b->unlink(rel) : b->rmdir(rel);
    rq->r0 = r < 0 ? (uint64_t)r : which == FS_CREATE ? ino_make(m, r) : 0;
    if (r >= 0 && which == FS_CREATE)
        change_note(rq->r0);            // new, or truncated (O_TRUNC)
    return 0;
}

static int op_create(struct request *rq) { return path_call(rq, FS_CREATE); }
static int op_mkdir(struct request *rq) { return path_call(rq, FS_MKDIR); }
static int op_unlink(struct request *rq) { return path_call(rq, FS_UNLINK); }
static int op_rmdir(struct request *rq) { return path_call(rq, FS_RMDIR); }

// The payload's two NUL-terminated strings; the first must be an absolute
// path. 0, or -EINVAL when the payload is not that.
static int two_strings(struct request *rq, const char **a, const char **b)
{
    const char *p = rq->data;
    size_t n = rq->len ? strnlen(p, rq->len) : rq->len;
    if (n + 2 >= rq->len || p[0] != '/' || p[rq->len - 1])
        return -EINVAL;
    *a = p;
    *b = p + n + 1;
    return 0;
}

// The two absolute paths of a rename or link request, routed: the mount
// index with the paths inside it in *rf and *rt, or -EINVAL for a bad
// payload, -EXDEV when the paths lie on different mounts.
static int two_paths_one_mount(struct request *rq, const char **rf, const char **rt)
{
    const char *from, *to;
    if (two_strings(rq, &from, &to) < 0 || to[0] != '/')
        return -EINVAL;
    int m = route(from, rf);
    return m == route(to, rt) ? m : -EXDEV;
}

static int op_rename(struct request *rq)
{
    const char *rf, *rt;
    int m = two_paths_one_mount(rq, &rf, &rt);
    clock_update();
    rq->r0 = m < 0 ? (uint64_t)m : (uint64_t)mounts[m]->rename(rf, rt);
    return 0;
}

// A symbolic link at the first path holding the second string as written.
static int op_symlink(struct request *rq)
{
    const char *path, *target, *rel;
    if (two_strings(rq, &path, &target) < 0 || strlen(target) >= FS_PATH_MAX) {
        rq->r0 = (uint64_t)-EINVAL;
        return 0;
    }
    int m = route(path, &rel);
    clock_update();
    long ino = mounts[m]->symlink(rel, target);
    rq->r0 = ino < 0 ? (uint64_t)ino : ino_make(m, ino);
    return 0;
}

static int op_link(struct request *rq)
{
    const char *rf, *rt;
    int m = two_paths_one_mount(rq, &rf, &rt);
    clock_update();
    long ino = m < 0 ? m : mounts[m]->link(rf, rt);
    rq->r0 = ino < 0 ? (uint64_t)ino : ino_make(m, ino);
    return 0;
}

static int op_utimes(struct request *rq)
{
    uint64_t raw;
    int64_t a = rq->w1 == FS_TIME_KEEP ? -1 : (int64_t)(rq->w1 & 0xffffffffu);
    int64_t m = rq->w2 == FS_TIME_KEEP ? -1 : (int64_t)(rq->w2 & 0xffffffffu);
    clock_update();
    rq->r0 = (uint64_t)backend_of(rq->w0, &raw)->utimes(raw, a, m);
    return 0;
}

static int op_chown(struct request *rq)
{
    uint64_t raw;
    clock_update();
    rq->r0 = (uint64_t)backend_of(rq->w0, &raw)->chown(raw, (uint32_t)rq->w1, (uint32_t)rq->w2);
    return 0;
}

static int op_chmod(struct request *rq)
{
    uint64_t raw;
    clock_update();
    rq->r0 = (uint64_t)backend_of(rq->w0, &raw)->chmod(raw, (uint32_t)(rq->w1 & 07777));
    return 0;
}

static int op_stat(struct request *rq)
{
    static struct fs_stat st;
    uint64_t raw;
    long e = backend_of(rq->w0, &raw)->stat(raw, &st);
    st.ino = rq->w0;
    rq->r0 = (uint64_t)e;
    if (!e) {
        rq->reply_data = &st;
        rq->reply_len = sizeof(st);
    }
    return 0;
}

static int op_readdir(struct request *rq)
{
    static struct fs_dirent de;
    uint64_t raw, next = 0;
    long e = backend_of(rq->w0, &raw)->readdir(raw, rq->w1, &de, &next);
    rq->r0 = (uint64_t)e;
    rq->r1 = next;
    if (e == 1) {
        de.ino = ino_make((int)(rq->w0 >> MOUNT_SHIFT) & 1, (long)de.ino);
        rq->reply_data = &de;
        rq->reply_len = sizeof(de);
    }
    return 0;
}

static int op_readlink(struct request *rq)
{
    uint64_t raw;
    long n = backend_of(rq->w0, &raw)->readlink(raw, (char *)io_buf, FS_PATH_MAX);
    rq->r0 = (uint64_t)n;
    if (n > 0) {
        rq->reply_data = io_buf;
        rq->reply_len = (uint64_t)n;
    }
    return 0;
}

static int op_statfs(struct request *rq)
{
    static struct fs_statfs s;
    long e = mounts[0]->statfs(&s);
    rq->r0 = (uint64_t)e;
    rq->reply_data = e ? NULL : &s;
    rq->reply_len = sizeof(s);
    return 0;
}

static int op_sync(struct request *rq)
{
    rq->r0 = (uint64_t)mounts[0]->sync();
    return 0;
}

static const server_op ops[FS_OPS] = {
    [FS_LOOKUP] = op_lookup, [FS_READ] = op_read, [FS_WRITE] = op_write,
    [FS_CREATE] = op_create, [FS_TRUNCATE] = op_truncate, [FS_STAT] = op_stat,
    [FS_READDIR] = op_readdir, [FS_UNLINK] = op_unlink, [FS_MKDIR] = op_mkdir,
    [FS_RMDIR] = op_rmdir, [FS_RENAME] = op_rename, [FS_READLINK] = op_readlink,
    [FS_STATFS] = op_statfs, [FS_SYNC] = op_sync, [FS_SYMLINK] = op_symlink,
    [FS_LINK] = op_link, [FS_CHMOD] = op_chmod, [FS_UTIMES] = op_utimes,
    [FS_CHOWN] = op_chown,
};

// Loads the boot files (copied by init to BOOTFS_VADDR) into memfs.
static void boot_files_load(uint64_t len)
{
    const void *img = (const void *)BOOTFS_VADDR;
    int n = bootfs_check(img, len);
    memfs_init();
    for (int i = 0; i < n; i++) {
        const struct bootfs_entry *e = bootfs_entry(img, len, i);
        if (memfs_add_boot_file(e->name, (const uint8_t *)img + e->offset, e->size))
            printf("fs: cannot add %s\n", e->name);
    }
}

// The time stamp counter: it counts up from boot faster than any
// server can change files (one a cycle at most), so change stamps that
// start from it are above those of a previous fs (change.c).
static uint64_t tsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

// argv[1]: size of the boot file set; argv[2] "nodisk" to skip the disk.
// From init on a restart: "restart=N", and "check" to repair the disk.
int main(int argc, char **argv)
{
    change_start(tsc_now());
    boot_files_load(argc > 1 ? strtoull(argv[1], NULL, 10) : 0);
    mounts[1] = &memfs_backend;
    int restarted = 0, check = 0;
    for (int i = 1; i < argc; i++) {
        restarted |= !strncmp(argv[i], "restart=", 8);
        check |= !strcmp(argv[i], "check");
    }
    mounts[0] = argc > 2 && !strcmp(argv[2], "nodisk") ? NULL
              : ext2_backend_mount(H_DISK, restarted, check);
    if (!mounts[0])
        mounts[0] = &memfs_backend;
    printf("fs: root is %s\n", mounts[0]->type);
    server_announce("fs", argc, argv);
    struct server s = { H_MY_ENDPOINT, ops, FS_OPS, -1, NULL, NULL };
    server_run(&s);
}
