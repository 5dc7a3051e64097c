// The ext2 file system on the disk as an fs backend: the disk is reached
// through the disk driver (disk_proto.h); a request cut by a restart of
// the driver is sent again.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "os.h"
#include "osapi.h"
#include "backend.h"
#include "disk_proto.h"
#include "ext2.h"

static struct ext2 fs;
static long disk;

// The disk driver's service name, for reporting it to init (svc restart).
#define DISK_SERVICE "ata"
#define DEV_TRIES    3
#define REPORT_MS    2000
// A request the driver has not answered after this long is taken for a
// driver that stopped serving while it still answers init's pings (a code
// fault in its loop): the driver is reported and the request sent again.
// Below init's 3 s hang verdict, so fs, blocked in the call, is not the
// one judged hung in its place.
#define DISK_TIMEOUT_MS 2000

// A driver whose answers keep failing (an injected bug, or a device left
// mid-command by a driver that died) is reported to init, which restarts
// it: at most once every REPORT_MS, so a really bad sector costs one
// restart, not a loop of them. 1 if it was reported now.
static int report_driver(void)
{
    static uint64_t last_ms;
    uint64_t now = (uint64_t)sys_time() / 1000000;
    if (last_ms && now - last_ms < REPORT_MS)
        return 0;
    last_ms = now;
    printf("fs: the disk driver keeps failing: asking init to restart it\n");
    return os_svc_restart(DISK_SERVICE) == 0;
}

// One disk request; sent again while the driver is being restarted
// (for up to about a minute), up to DEV_TRIES times (and DEV_TRIES
// more after reporting the driver) if the device reports an error, and
// after reporting the driver if it does not answer in DISK_TIMEOUT_MS.
static long disk_call(unsigned op, uint64_t sector, uint32_t count, const void *out, void *in)
{
    for (int attempt = 0, dev_errors = 0, reported = 0;; attempt++) {
        struct msg m = { TAG(op, 0), sector, count, 0, 0, 0 };
        uint64_t bytes = (uint64_t)count * DISK_SECTOR;
        struct ipc_bufs b = { out, out ? bytes : 0, in, in ? bytes : 0 };
        long e = ipc_call_timeout(disk, &m, &b, DISK_TIMEOUT_MS);
        if (e == -E_TIMEOUT && attempt < 6000) {
            report_driver();
            continue;
        }
        if (e == 0 && (long)m.w0 < 0 && op != DISK_INFO && ++dev_errors < DEV_TRIES) {
            sys_sleep(10);
            continue;
        }
        if (e == 0 && (long)m.w0 < 0 && op != DISK_INFO && !reported && report_driver()) {
            reported = 1;                        // the call is cut, or reaches the new driver
            dev_errors = 0;
            continue;
        }
        if (e == 0)
            return (long)m.w0;
        if (e != -E_DEAD || attempt == 6000)
            return -EIO;
        sys_sleep(10);
    }
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    (void)ctx;
    long r = disk_call(DISK_READ, sector, count, NULL, buf);
    return r < 0 ? (int)r : 0;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    (void)ctx;
    long r = disk_call(DISK_WRITE, sector, count, buf, NULL);
    return r < 0 ? (int)r : 0;
}

static void e_set_time(int64_t now) { ext2_set_time(&fs, (uint32_t)now); }

static long e_lookup(const char *path, int nofollow)
{
    return nofollow ? ext2_lookup_nofollow(&fs, path) : ext2_lookup(&fs, path);
}

static long e_read(uint64_t ino, uint64_t off, void *buf, uint64_t len) { return ext2_read(&fs, ino, off, buf, len); }
static long e_read_ref(uint64_t ino, uint64_t off, uint64_t len, const void **out) { return ext2_read_ref(&fs, ino, off, len, out); }
static long e_write(uint64_t ino, uint64_t off, const void *buf, uint64_t len) { return ext2_write(&fs, ino, off, buf, len); }
static long e_create(const char *path, int excl) { return ext2_create(&fs, path, excl); }
static long e_mkdir(const char *path) { return ext2_mkdir(&fs, path); }
static long e_truncate(uint64_t ino, uint64_t size) { return ext2_truncate(&fs, ino, size); }
static long e_stat(uint64_t ino, struct fs_stat *st) { return ext2_stat(&fs, ino, st); }
static long e_readdir(uint64_t ino, uint64_t pos, struct fs_dirent *de, uint64_t *next) { return ext2_readdir(&fs, ino, pos, de, next); }
static long e_unlink(const char *path) { return ext2_unlink(&fs, path); }
static long e_rmdir(const char *path) { return ext2_rmdir(&fs, path); }
static long e_rename(const char *from, const char *to) { return ext2_rename(&fs, from, to); }
static long e_readlink(uint64_t ino, char *buf, uint64_t max) { return ext2_readlink(&fs, ino, buf, max); }
static long e_statfs(struct fs_statfs *s) { return ext2_statfs(&fs, s); }
static long e_sync(void) { return ext2_sync(&fs); }
static long e_symlink(const char *path, const char *target) { return ext2_symlink(&fs, path, target); }
static long e_link(const char *existing, const char *path) { return ext2_link(&fs, existing, path); }
static long e_chmod(uint64_t ino, uint32_t mode) { return ext2_chmod(&fs, ino, mode); }
static long e_utimes(uint64_t ino, int64_t a, int64_t m) { return ext2_utimes(&fs, ino, a, m); }
static long e_chown(uint64_t ino, uint32_t u, uint32_t g) { return ext2_chown(&fs, ino, u, g); }

static const struct fs_backend ext2_backend = {
    .type = "ext2", .set_time = e_set_time, .lookup = e_lookup, .read = e_read,
    .read_ref = e_read_ref,
    .write = e_write, .create = e_create, .mkdir = e_mkdir, .truncate = e_truncate,
    .stat = e_stat, .readdir = e_readdir, .unlink = e_unlink, .rmdir = e_rmdir,
    .rename = e_rename, .readlink = e_readlink, .statfs = e_statfs, .sync = e_sync,
    .symlink = e_symlink, .link = e_link, .chmod = e_chmod, .utimes = e_utimes,
    .chown = e_chown,
};

// A disk that answers but cannot be read is tried again for this many
// tenths of a second before fs gives up on it and serves the boot files,
// at boot. A restarted fs never gives up, nor takes the driver's word
// that there is no disk (restarted without its disk it would answer for
// every file that it is not there): the driver is restarting too, or is
// reported to init (by disk_call, or here) and restarted.
#define MOUNT_TRIES 200

// One try: the disk's size from the driver, then the file system on it.
// 0, -ENODEV if the driver says there is no disk, or ext2_mount's error.
static int mount_once(struct ext2_dev *dev, long *sectors, int check)
{
    *sectors = disk_call(DISK_INFO, 0, 0, NULL, NULL);
    if (*sectors <= 0)
        return -ENODEV;
    dev->sectors = (uint64_t)*sectors;
    ext2_set_time(&fs, (uint32_t)(sys_wallclock() / 1000000000));
    return ext2_mount_check(&fs, dev, check);
}

const struct fs_backend *ext2_backend_mount(long disk_handle, int restarted, int check)
{
    static struct ext2_dev dev = { NULL, dev_read, dev_write, 0 };
    long sectors;
    disk = disk_handle;
    int e = mount_once(&dev, &sectors, check);
    for (int tries = 1; restarted ? e == -EIO || e == -ENODEV : e == -EIO && tries < MOUNT_TRIES;
         tries++) {
        if (e == -ENODEV && tries % 10 == 0)
            report_driver();                 // its disk info keeps failing
        if (tries % 50 == 0)
            printf("fs: still cannot read the disk (error %d), trying again\n", e);
        sys_sleep(100);                      // the driver is restarting or resetting
        e = mount_once(&dev, &sectors, check);
    }
    if (e == -ENODEV) {
        printf("fs: no disk (%ld), serving the boot files\n", sectors);
        return NULL;
    }
    if (e) {
        printf("fs: cannot mount the disk: %s (error %d); serving the boot files\n", ext2_error(&fs), e);
        return NULL;
    }
    if (fs.journal.bad)
        printf("fs: journal refused: %s\n", fs.journal.bad);
    if (fs.journal.present && !fs.journal.bad && !fs.journal.replayed && restarted)
        printf("fs: journal empty: nothing to replay%s\n", fs.repair.ran ? "" : " (no repair pass)");
    if (fs.journal.replayed)
        printf("fs: journal replayed: %u transactions, %u blocks written, %u revoked, %u journal "
               "blocks read%s\n", fs.journal.transactions, fs.journal.blocks,
               fs.journal.revoked, fs.journal.scanned, fs.repair.ran ? "" : " (no repair pass)");
    if (fs.repair.ran) {
        char line[200];
        ext2_repair_summary(&fs.repair, line, sizeof(line));
        printf("fs: %s: %s\n", check ? "checked the disk as init asked" : "repaired after an unclean stop",
               line);
    }
    return &ext2_backend;
}
