// Crash simulation for the ext2 repair tests: a memory disk whose writes
// stop after the N-th (dropped: a power cut; or failing: a dead disk), and
// helpers to check files and run e2fsck on a memory image.
#ifndef EXT2_CRASH_H
#define EXT2_CRASH_H
#include <limits.h>
#include "harness.h"

#define KIB 1024u

// A memory disk whose writes stop after `cut` of them (-1: never).
struct cdev {
    uint8_t *mem;
    uint64_t sectors;
    long writes, cut;              // writes seen; writes allowed
    int fail;                      // past the cut: -EIO (else dropped silently)
    long violations;
    struct ext2 fs;
};

static int c_bad(struct cdev *c, uint64_t sector, uint32_t count)
{
    if (count == 0 || count > 128 || sector > c->sectors || count > c->sectors - sector) {
        c->violations++;
        return 1;
    }
    return 0;
}

static int c_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct cdev *c = ctx;
    if (c_bad(c, sector, count))
        return -EIO;
    memcpy(buf, c->mem + sector * 512, (size_t)count * 512);
    return 0;
}

static int c_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct cdev *c = ctx;
    if (c_bad(c, sector, count))
        return -EIO;
    if (c->cut >= 0 && c->writes++ >= c->cut)
        return c->fail ? -EIO : 0;
    memcpy(c->mem + sector * 512, buf, (size_t)count * 512);
    return 0;
}

// Mounts the memory image (len bytes, not copied); the ext2_mount result.
static int c_mount(struct cdev *c, uint8_t *mem, uint64_t len)
{
    memset(c, 0, sizeof(*c));
    c->mem = mem;
    c->sectors = len / 512;
    c->cut = -1;
    struct ext2_dev dev = { c, c_read, c_write, c->sectors };
    int e = ext2_mount(&c->fs, &dev);
    ext2_set_time(&c->fs, 1700000000);
    return e;
}

// Unmounts; 1 when no request left the device.
static int c_unmount(struct cdev *c)
{
    ext2_unmount(&c->fs);
    return c->violations == 0;
}

static int stats_zero(const struct ext2_repair_stats *st)
{
    struct ext2_repair_stats z;
    memset(&z, 0, sizeof(z));
    z.ran = st->ran;
    if (memcmp(&z, st, sizeof(z))) {
        char b[300];
        ext2_repair_summary(st, b, sizeof(b));
        fprintf(stderr, "repair: %s (error %d)\n", b, st->error);
        return 0;
    }
    return 1;
}

static UNUSED uint32_t img_state(const uint8_t *mem) { return le16(mem + 1024 + SB_STATE); }

// Writes a memory image to the temporary file `name` (only the 4 KiB
// pieces that changed since the last image of that name and size, which
// is kept); e2fsck -fn clean?
static int mem_fsck(const uint8_t *mem, uint64_t len, const char *name)
{
    static uint8_t *shadow;
    static uint64_t shadow_len;
    static char shadow_img[256];
    char img[256];
    h_path(img, name);
    if (shadow_len != len || strcmp(shadow_img, img)) {
        free(shadow);
        shadow = calloc(1, len);
        shadow_len = len;
        snprintf(shadow_img, sizeof(shadow_img), "%s", img);
        h_sh("rm -f %s && truncate -s %llu %s", img, (unsigned long long)len, img);
    }
    int fd = open(img, O_WRONLY);
    for (uint64_t off = 0; fd >= 0 && off < len; off += 4096) {
        size_t n = len - off < 4096 ? (size_t)(len - off) : 4096;
        if (!memcmp(shadow + off, mem + off, n))
            continue;
        if (pwrite(fd, mem + off, n, (off_t)off) != (ssize_t)n)
            exit(2);
        memcpy(shadow + off, mem + off, n);
    }
    if (fd < 0)
        exit(2);
    close(fd);
    return h_fsck(img);
}

// The pattern h_fill makes for (size, seed), made once and kept.
static const uint8_t *pattern(uint64_t size, uint32_t seed)
{
    static struct { uint64_t size; uint32_t seed; uint8_t *b; } memo[256];
    static unsigned n;
    for (unsigned i = 0; i < n; i++)
        if (memo[i].size == size && memo[i].seed == seed)
            return memo[i].b;
    if (n == 256)
        exit(2);
    memo[n].size = size;
    memo[n].seed = seed;
    memo[n].b = h_pattern(size, seed);                     // (kept until exit)
    return memo[n++].b;
}

// A file of the library's fs holds exactly `size` bytes of pattern seed
// (prefix: only its first `size` bytes are checked).
static int file_is(struct ext2 *fs, const char *path, uint64_t size, uint32_t seed, int prefix)
{
    uint64_t len = 0;
    uint8_t *b = h_read_all(fs, path, &len);
    int ok = b && (prefix ? len >= size : len == size) && !memcmp(b, pattern(size, seed), size);
    free(b);
    return ok;
}

static long put_file(struct ext2 *fs, const char *path, uint64_t size, uint32_t seed)
{
    long ino = ext2_create(fs, path, 1);
    long n = ino > 0 && size ? ext2_write(fs, (uint64_t)ino, 0, pattern(size, seed), size) : 0;
    return ino < 0 ? ino : n < 0 ? n : (uint64_t)n == size ? ino : -EIO;
}

static int is_dir(struct ext2 *fs, const char *path)
{
    struct fs_stat st;
    long ino = ext2_lookup(fs, path);
    return ino > 0 && ext2_stat(fs, (uint64_t)ino, &st) == 0 && st.type == FS_TYPE_DIR;
}

#endif
