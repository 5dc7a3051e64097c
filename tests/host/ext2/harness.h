// Helpers for the ext2 host tests: images made by mkfs.ext2 in a temporary
// directory, a file-backed and a memory-backed ext2_dev that count requests
// and flag any outside the device, and e2fsck / debugfs wrappers.
#ifndef EXT2_HARNESS_H
#define EXT2_HARNESS_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ext2_all.h"
#include "check.h"

#define UNUSED __attribute__((unused))

static char h_tmp[64];

static void h_cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", h_tmp);
    if (h_tmp[0] && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", h_tmp);
}

// The temporary directory of this test binary (made on first use).
static UNUSED const char *h_dir(void)
{
    if (!h_tmp[0]) {
        strcpy(h_tmp, "/tmp/ext2test.XXXXXX");
        if (!mkdtemp(h_tmp)) {
            perror("mkdtemp");
            exit(2);
        }
        atexit(h_cleanup);
    }
    return h_tmp;
}

// Runs a shell command (printf-style); its exit status.
static UNUSED int __attribute__((format(printf, 1, 2))) h_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

// A path in the temporary directory.
static UNUSED const char *h_path(char *buf, const char *name)
{
    snprintf(buf, 256, "%s/%s", h_dir(), name);
    return buf;
}

// Writes a host file (for mkfs -d source trees), making parent directories.
static UNUSED void h_put_file(const char *path, const void *data, size_t len)
{
    h_sh("mkdir -p \"$(dirname %s)\"", path);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

// Deterministic bytes for file contents.
static UNUSED void h_fill(uint8_t *buf, size_t len, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (uint8_t)(x >> 7);
    }
}

static UNUSED uint8_t *h_pattern(size_t len, uint32_t seed)
{
    uint8_t *b = malloc(len ? len : 1);
    h_fill(b, len, seed);
    return b;
}

// Reads a whole host file; malloc'd, length in *len (NULL if missing).
static UNUSED uint8_t *h_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    uint8_t *b = malloc(cap);
    while ((r = fread(b + n, 1, cap - n, f)) > 0)
        if ((n += r) == cap)
            b = realloc(b, cap *= 2);
    fclose(f);
    *len = n;
    return b;
}

// mkfs.ext2 -q -F <opts> [-d src] img size; 0 when made.
static UNUSED int h_mkfs(const char *img, const char *opts, const char *size, const char *src)
{
    char d[300] = "";
    if (src)
        snprintf(d, sizeof(d), "-d %s", src);
    return h_sh("mkfs.ext2 -q -F %s %s %s %s >/dev/null 2>&1", opts, d, img, size);
}

static int h_fsck_quiet;

// e2fsck -fn: 1 when it exits 0 without any complaint (else prints its log).
static UNUSED int h_fsck(const char *img)
{
    char log[300];
    size_t n;
    snprintf(log, sizeof(log), "%s.fsck", img);
    int st = h_sh("e2fsck -fn %s >%s 2>&1", img, log);
    uint8_t *text = h_slurp(log, &n);
    int ok = st == 0 && text;
    if (text) {
        text = realloc(text, n + 1);
        text[n] = 0;
        ok = ok && !strstr((char *)text, "? no") && !strstr((char *)text, "wrong");
        if (!ok && !h_fsck_quiet)
            fprintf(stderr, "e2fsck %s: status %d\n%s\n", img, st, (char *)text);
        free(text);
    }
    return ok;
}

// debugfs -R 'cat path' img: the file's bytes (malloc'd) and length.
static UNUSED uint8_t *h_cat(const char *img, const char *path, size_t *len)
{
    char out[300];
    snprintf(out, sizeof(out), "%s.cat", img);
    if (h_sh("debugfs -R 'cat %s' %s >%s 2>/dev/null", path, img, out) != 0)
        return NULL;
    return h_slurp(out, len);
}

// The output of a shell command, NUL-terminated and malloc'd.
static UNUSED char *h_run(const char *cmd)
{
    char out[300];
    size_t n = 0;
    snprintf(out, sizeof(out), "%s/cmd.out", h_dir());
    h_sh("%s >%s 2>/dev/null", cmd, out);
    uint8_t *t = h_slurp(out, &n);
    t = realloc(t, n + 1);
    t[n] = 0;
    return (char *)t;
}

// A number printed by debugfs/dumpe2fs after `key` in cmd's output, or -1.
static UNUSED long long h_field(const char *cmd, const char *key)
{
    char *t = h_run(cmd), *p = strstr(t, key);
    long long v = p ? strtoll(p + strlen(key), NULL, 10) : -1;
    free(t);
    return v;
}

// Patches len bytes at byte off of a host file.
static UNUSED void h_patch(const char *img, uint64_t off, const void *data, size_t len)
{
    int fd = open(img, O_WRONLY);
    if (fd < 0 || pwrite(fd, data, len, (off_t)off) != (ssize_t)len) {
        perror(img);
        exit(2);
    }
    close(fd);
}

static UNUSED void h_patch32(const char *img, uint64_t off, uint32_t v)
{
    uint8_t b[4];
    put32(b, v);
    h_patch(img, off, b, 4);
}

// A block device over an image file or a memory buffer. Requests over 128
// sectors or past `limit` (the file system's end) count as violations.
struct hdev {
    int fd;                        // or -1 for mem
    uint8_t *mem;
    uint64_t sectors, limit;
    uint64_t reads, writes, violations;
    struct ext2_dev dev;
    struct ext2 fs;
    char img[256];
};

static int hdev_bad(struct hdev *h, uint64_t sector, uint32_t count, uint64_t end)
{
    if (count == 0 || count > 128 || sector > end || count > end - sector) {
        h->violations++;
        return 1;
    }
    return 0;
}

static int hdev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct hdev *h = ctx;
    h->reads++;
    if (hdev_bad(h, sector, count, h->sectors))
        return -EIO;
    if (h->fd < 0) {
        memcpy(buf, h->mem + sector * 512, (size_t)count * 512);
        return 0;
    }
    ssize_t n = pread(h->fd, buf, (size_t)count * 512, (off_t)(sector * 512));
    return n == (ssize_t)count * 512 ? 0 : -EIO;
}

static int hdev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct hdev *h = ctx;
    h->writes++;
    if (hdev_bad(h, sector, count, h->limit))
        return -EIO;
    if (h->fd < 0) {
        memcpy(h->mem + sector * 512, buf, (size_t)count * 512);
        return 0;
    }
    ssize_t n = pwrite(h->fd, buf, (size_t)count * 512, (off_t)(sector * 512));
    return n == (ssize_t)count * 512 ? 0 : -EIO;
}

static void hdev_init(struct hdev *h, uint64_t sectors)
{
    h->sectors = h->limit = sectors;
    h->dev = (struct ext2_dev){ h, hdev_read, hdev_write, sectors };
}

// Opens image file img and mounts it; the ext2_mount result.
static UNUSED int h_open(struct hdev *h, const char *img)
{
    struct stat st;
    memset(h, 0, sizeof(*h));
    snprintf(h->img, sizeof(h->img), "%s", img);
    h->fd = open(img, O_RDWR);
    if (h->fd < 0 || fstat(h->fd, &st) < 0) {
        perror(img);
        exit(2);
    }
    hdev_init(h, (uint64_t)st.st_size / 512);
    int e = ext2_mount(&h->fs, &h->dev);
    ext2_set_time(&h->fs, 1700000000);
    return e;
}

// Mounts a memory image of len bytes (not copied).
static UNUSED int h_open_mem(struct hdev *h, uint8_t *mem, uint64_t len)
{
    memset(h, 0, sizeof(*h));
    h->fd = -1;
    h->mem = mem;
    hdev_init(h, len / 512);
    int e = ext2_mount(&h->fs, &h->dev);
    ext2_set_time(&h->fs, 1700000000);
    return e;
}

// Unmounts (if mounted) and closes; 1 when no request was out of bounds.
static UNUSED int h_close(struct hdev *h, int mounted)
{
    if (mounted)
        ext2_unmount(&h->fs);
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
    return h->violations == 0;
}

// Reads a whole file of the mounted fs by path; malloc'd, or NULL.
static UNUSED uint8_t *h_read_all(struct ext2 *fs, const char *path, uint64_t *len)
{
    struct fs_stat st;
    long ino = ext2_lookup(fs, path);
    if (ino < 0 || ext2_stat(fs, (uint64_t)ino, &st) < 0)
        return NULL;
    uint8_t *b = malloc(st.size + 1);
    uint64_t done = 0;
    while (done < st.size) {
        long n = ext2_read(fs, (uint64_t)ino, done, b + done, st.size - done > 65536 ? 65536 : st.size - done);
        if (n <= 0) {
            free(b);
            return NULL;
        }
        done += (uint64_t)n;
    }
    *len = st.size;
    return b;
}

// Does file path of the image hold exactly data (checked with debugfs)?
static UNUSED int h_cat_is(const char *img, const char *path, const void *data, size_t len)
{
    size_t n = 0;
    uint8_t *b = h_cat(img, path, &n);
    int ok = b && n == len && !memcmp(b, data, len);
    if (!ok)
        fprintf(stderr, "debugfs cat %s: %zu bytes, expected %zu\n", path, n, len);
    free(b);
    return ok;
}

// Free blocks as the mounted library reports them.
static UNUSED uint64_t h_free_blocks(struct ext2 *fs)
{
    struct fs_statfs s;
    ext2_statfs(fs, &s);
    return s.free_blocks;
}

#endif
