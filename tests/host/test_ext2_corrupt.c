// Host tests for the ext2 library on corrupt images: a bad superblock or
// group descriptor fails the mount with a reason; a bad directory record,
// block pointer, size or symlink fails that operation with -EIO while the
// rest of the file system keeps working; random damage never crashes,
// hangs or sends a request outside the file system.
#include <signal.h>
#include "ext2/harness.h"

#define KIB 1024u

// A 4 MiB 1 KiB-block image with /d/x, /e/y, /f (100 KiB), /g and two
// symlinks, copied to `name` for each test.
static const char *corrupt_image(const char *name)
{
    static char base[256];
    static char img[256];
    if (!base[0]) {
        char src[256], p[300];
        uint8_t *b = h_pattern(100 * KIB, 21);
        h_path(src, "tree_c");
        snprintf(p, sizeof(p), "%s/d/x", src);
        h_put_file(p, "x\n", 2);
        snprintf(p, sizeof(p), "%s/e/y", src);
        h_put_file(p, "y\n", 2);
        snprintf(p, sizeof(p), "%s/f", src);
        h_put_file(p, b, 100 * KIB);
        snprintf(p, sizeof(p), "%s/g", src);
        h_put_file(p, "g\n", 2);
        h_sh("cd %s && ln -s g fast && ln -s ././././././././././././././././././././././././././././././././g slow", src);
        h_path(base, "corrupt_base.img");
        if (h_mkfs(base, "-b 1024 -I 128", "4M", src) != 0)
            exit(2);
        free(b);
    }
    h_path(img, name);
    h_sh("cp %s %s", base, img);
    return img;
}

static uint32_t img_u32(const char *img, uint64_t off)
{
    uint8_t b[4] = { 0 };
    int fd = open(img, O_RDONLY);
    if (fd < 0 || pread(fd, b, 4, (off_t)off) != 4)
        exit(2);
    close(fd);
    return le32(b);
}

// Mount must fail with -EINVAL and a message containing `why`.
static void mount_fails(const char *img, const char *why)
{
    struct hdev h;
    int e = h_open(&h, img);
    CHECK_EQ(e, -EINVAL);
    CHECK(strstr(ext2_error(&h.fs), why) != NULL);
    if (!strstr(ext2_error(&h.fs), why))
        fprintf(stderr, "mount error: %s\n", ext2_error(&h.fs));
    CHECK(h_close(&h, e == 0));
}

TEST(zeroed_superblock)
{
    static const uint8_t zero[1024];
    const char *img = corrupt_image("sb0.img");
    h_patch(img, 1024, zero, sizeof(zero));
    mount_fails(img, "magic");
}

TEST(bad_superblock_fields)
{
    struct { uint32_t off, value; const char *why; } cases[] = {
        { SB_MAGIC, 0xEF54, "magic" },
        { SB_LOG_BLOCK, 7, "block size" },
        { SB_BLOCKS_COUNT, 1u << 30, "larger than the device" },
        { SB_INODES_PER_G, 5000, "inode" },
        { SB_INODES_COUNT, 1000, "inode count" },
        { SB_BLOCKS_PER_G, 12345, "blocks per group" },
        { SB_FIRST_DATA, 0, "first data block" },
        { SB_REV, 7, "revision" },
        { SB_INODE_SIZE, 100, "inode size" },
        { SB_INCOMPAT, 0x42, "incompatible" },        // extents
        { SB_INCOMPAT, 0x06, "incompatible" },        // needs journal recovery
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *img = corrupt_image("sbf.img");
        uint8_t v[4];
        put32(v, cases[i].value);
        int width = cases[i].off == SB_MAGIC || cases[i].off == SB_INODE_SIZE ? 2 : 4;
        h_patch(img, 1024 + cases[i].off, v, (size_t)width);
        mount_fails(img, cases[i].why);
    }
}

TEST(group_descriptor_outside_disk)
{
    const uint32_t fields[] = { GD_INODE_TABLE, GD_BLOCK_BITMAP, GD_INODE_BITMAP };
    const uint32_t values[] = { 0x00ffffff, 0, 4096 };
    for (int i = 0; i < 3; i++) {
        const char *img = corrupt_image("gd.img");
        h_patch32(img, 2048 + fields[i], values[i]);          // group 0, descriptor block 2
        mount_fails(img, "group descriptor");
    }
}

TEST(unknown_ro_compat_mounts_read_only)
{
    const char *img = corrupt_image("ro.img");
    struct hdev h;
    char buf[16];
    h_patch32(img, 1024 + SB_RO_COMPAT, img_u32(img, 1024 + SB_RO_COMPAT) | 0x100);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.readonly, 1);
    long g = ext2_lookup(&h.fs, "/g");
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)g, 0, buf, sizeof(buf)), 2);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)g, 0, "zz", 2), -EROFS);
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)g, 0), -EROFS);
    CHECK_EQ(ext2_create(&h.fs, "/new", 0), -EROFS);
    CHECK_EQ(ext2_mkdir(&h.fs, "/new"), -EROFS);
    CHECK_EQ(ext2_unlink(&h.fs, "/g"), -EROFS);
    CHECK_EQ(ext2_rmdir(&h.fs, "/d"), -EROFS);
    CHECK_EQ(ext2_rename(&h.fs, "/g", "/h"), -EROFS);
    CHECK_EQ(ext2_symlink(&h.fs, "/s", "g"), -EROFS);
    CHECK_EQ(h.writes, 0);
    CHECK(h_close(&h, 1));
}

// Byte offset of logical block 0 of directory path in img.
static uint64_t dir_block_off(const char *img, const char *path)
{
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "debugfs -R 'bmap %s 0' %s", path, img);
    return (uint64_t)h_field(cmd, "") * KIB;
}

// After damaging /d's block: /d fails with -EIO, /e still works.
static void dir_damage_check(const char *img)
{
    struct hdev h;
    struct fs_dirent de;
    uint64_t next;
    char buf[8];
    CHECK_EQ(h_open(&h, img), 0);
    long d = ext2_lookup(&h.fs, "/d");
    CHECK(d > 0);
    CHECK_EQ(ext2_lookup(&h.fs, "/d/x"), -EIO);
    CHECK(strstr(ext2_error(&h.fs), "directory") != NULL);
    CHECK_EQ(ext2_readdir(&h.fs, (uint64_t)d, 0, &de, &next), -EIO);
    CHECK_EQ(ext2_create(&h.fs, "/d/new", 0), -EIO);
    CHECK_EQ(ext2_mkdir(&h.fs, "/d/newdir"), -EIO);
    CHECK_EQ(ext2_rmdir(&h.fs, "/d"), -EIO);
    long y = ext2_lookup(&h.fs, "/e/y");
    CHECK(y > 0);
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)y, 0, buf, sizeof(buf)), 2);
    CHECK(ext2_create(&h.fs, "/e/new", 0) > 0);
    CHECK_EQ(ext2_readdir(&h.fs, (uint64_t)ext2_lookup(&h.fs, "/e"), 0, &de, &next), 1);
    CHECK(h_close(&h, 1));
}

TEST(directory_bad_rec_len)
{
    const uint16_t bad[] = { 5, 0, 2000, 6 };
    for (int i = 0; i < 4; i++) {
        const char *img = corrupt_image("rec.img");
        uint64_t off = dir_block_off(img, "/d");
        uint8_t v[2];
        put16(v, bad[i]);
        h_patch(img, off + 4, v, 2);                 // rec_len of "."
        h_fsck_quiet = 1;
        CHECK(!h_fsck(img));                         // (e2fsck agrees it is broken)
        h_fsck_quiet = 0;
        dir_damage_check(img);
    }
}

TEST(directory_bad_name_len_and_inode)
{
    const char *img = corrupt_image("name.img");
    uint64_t off = dir_block_off(img, "/d");
    uint8_t nl = 200;
    h_patch(img, off + 12 + 6, &nl, 1);              // name_len of ".." past its record
    dir_damage_check(img);
    img = corrupt_image("dino.img");
    off = dir_block_off(img, "/d");
    h_patch32(img, off + 24, 0x7fffffff);            // inode of "x"
    dir_damage_check(img);
}

TEST(directory_bad_size)
{
    const uint32_t sizes[] = { 5000, 0x7ffffc00, 0 };
    for (int i = 0; i < 3; i++) {
        const char *img = corrupt_image("dsize.img");
        h_sh("debugfs -w -R 'sif /d size %u' %s >/dev/null 2>&1", sizes[i], img);
        dir_damage_check(img);
    }
}

// A file whose block pointer was damaged: its reads fail, others work.
TEST(block_pointer_past_disk)
{
    const char *fields[] = { "block[0] 999999", "block[0] 5", "block[IND] 4000000" };
    const uint64_t offs[] = { 0, 0, 20 * KIB };
    for (int i = 0; i < 3; i++) {
        const char *img = corrupt_image("ptr.img");
        struct hdev h;
        uint8_t buf[4096];
        h_sh("debugfs -w -R 'sif /f %s' %s >/dev/null 2>&1", fields[i], img);
        CHECK_EQ(h_open(&h, img), 0);
        long f = ext2_lookup(&h.fs, "/f");
        CHECK_EQ(ext2_read(&h.fs, (uint64_t)f, offs[i], buf, sizeof(buf)), -EIO);
        CHECK(strstr(ext2_error(&h.fs), "block pointer") != NULL);
        CHECK_EQ(ext2_write(&h.fs, (uint64_t)f, offs[i], buf, 10), -EIO);
        CHECK_EQ(ext2_read(&h.fs, (uint64_t)f, 2 * KIB, buf, 10), 10);
        CHECK_EQ(ext2_read(&h.fs, (uint64_t)ext2_lookup(&h.fs, "/g"), 0, buf, 10), 2);
        CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)f, 0), -EIO);
        CHECK(h_close(&h, 1));
    }
}

// An indirect block holding a bad pointer, and one pointing at itself.
TEST(indirect_block_damage)
{
    char cmd[400];
    for (int i = 0; i < 2; i++) {
        const char *img = corrupt_image("ind.img");
        struct hdev h;
        uint8_t buf[4096];
        snprintf(cmd, sizeof(cmd), "debugfs -R 'stat /f' %s", img);
        long long ind = h_field(cmd, "(IND):");
        CHECK(ind > 0);
        h_patch32(img, (uint64_t)ind * KIB + 4 * 3, i == 0 ? 0xfffffff0u : (uint32_t)ind);
        CHECK_EQ(h_open(&h, img), 0);
        long f = ext2_lookup(&h.fs, "/f");
        CHECK_EQ(ext2_read(&h.fs, (uint64_t)f, 0, buf, sizeof(buf)), 4096);
        CHECK_EQ(ext2_read(&h.fs, (uint64_t)f, 15 * KIB, buf, 10), i == 0 ? -EIO : 10);
        CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)f, 0), -EIO);      // freeing twice is caught
        CHECK(h_close(&h, 1));
    }
}

TEST(symlink_damage)
{
    const char *cmds[] = { "sif /fast size 500", "sif /fast size 0", "sif /slow block[0] 0",
                           "sif /slow size 70000" };
    for (int i = 0; i < 4; i++) {
        const char *img = corrupt_image("link.img");
        struct hdev h;
        char buf[256];
        h_sh("debugfs -w -R '%s' %s >/dev/null 2>&1", cmds[i], img);
        CHECK_EQ(h_open(&h, img), 0);
        const char *path = i < 2 ? "/fast" : "/slow";
        long l = ext2_lookup_nofollow(&h.fs, path);
        CHECK(l > 0);
        CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)l, buf, sizeof(buf)), -EIO);
        CHECK_EQ(ext2_lookup(&h.fs, path), -EIO);
        CHECK(ext2_lookup(&h.fs, "/g") > 0);
        CHECK(h_close(&h, 1));
    }
}

TEST(bitmap_disagrees_with_counts)
{
    const char *img = corrupt_image("bitmap.img");
    struct hdev h;
    uint8_t ones[1024];
    memset(ones, 0xff, sizeof(ones));
    h_patch(img, (uint64_t)img_u32(img, 2048 + GD_BLOCK_BITMAP) * KIB, ones, sizeof(ones));
    CHECK_EQ(h_open(&h, img), 0);
    long g = ext2_lookup(&h.fs, "/g");
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)g, 5000, "x", 1), -EIO);
    CHECK(strstr(ext2_error(&h.fs), "bitmap") != NULL);
    CHECK(h_close(&h, 1));
}

// Random damage in the metadata and directory blocks, then a workload:
// no crash (the sanitizers watch), no hang (alarm), no request outside the
// file system (the device checks, with room past the file system's end).
static void fuzz_workload(struct ext2 *fs, uint8_t *buf)
{
    static const char *paths[] = { "/d/x", "/e/y", "/f", "/g", "/fast", "/slow", "/lost+found", "/" };
    struct fs_dirent de;
    struct fs_stat st;
    uint64_t next, pos;
    for (int i = 0; i < 8; i++) {
        long ino = ext2_lookup(fs, paths[i]);
        ext2_readlink(fs, (uint64_t)ext2_lookup_nofollow(fs, paths[i]), (char *)buf, 100);
        if (ino <= 0)
            continue;
        ext2_stat(fs, (uint64_t)ino, &st);
        ext2_read(fs, (uint64_t)ino, 0, buf, 65536);
        pos = 0;
        for (int k = 0; k < 100 && ext2_readdir(fs, (uint64_t)ino, pos, &de, &next) == 1; k++)
            pos = next;
    }
    long n = ext2_create(fs, "/e/new", 0);
    if (n > 0)
        ext2_write(fs, (uint64_t)n, 3000, buf, 20000);
    ext2_mkdir(fs, "/d/sub");
    ext2_rename(fs, "/g", "/d/g2");
    ext2_rename(fs, "/e", "/d/e2");
    ext2_truncate(fs, (uint64_t)ext2_lookup(fs, "/f"), 5000);
    ext2_unlink(fs, "/slow");
    ext2_rmdir(fs, "/lost+found");
    ext2_symlink(fs, "/s", "/d/x");
}

// Where run `run` damages the image: the superblock and descriptors, the
// bitmaps and first inodes, the first data blocks (directories, indirect
// blocks), or anywhere in the first 400 KiB.
static void fuzz_span(const uint8_t *img, int run, uint32_t *lo, uint32_t *len)
{
    uint32_t bb = le32(img + 2048 + GD_BLOCK_BITMAP), it = le32(img + 2048 + GD_INODE_TABLE);
    switch (run % 4) {
    case 0: *lo = 1024, *len = 2048; break;
    case 1: *lo = bb * KIB, *len = (it + 4 - bb) * KIB; break;
    case 2: *lo = (it + 128) * KIB, *len = 120 * KIB; break;
    default: *lo = 1024, *len = 400 * KIB; break;
    }
}

TEST(random_damage)
{
    const char *img = corrupt_image("fuzz.img");
    size_t len;
    uint8_t *orig = h_slurp(img, &len), *work = malloc(len + 512 * KIB), *buf = malloc(65536);
    uint32_t x = 12345, lo, span;
    int mounted = 0, runs = getenv("EXT2_FUZZ_RUNS") ? atoi(getenv("EXT2_FUZZ_RUNS")) : 800;
    alarm(runs / 2 + 60);
    for (int run = 0; run < runs; run++) {
        struct hdev h;
        memcpy(work, orig, len);
        memset(work + len, 0xAA, 512 * KIB);
        fuzz_span(orig, run, &lo, &span);
        for (int k = 0; k < 1 + run % 8; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            work[lo + x % span] ^= (uint8_t)(1u << (x >> 29));
        }
        int e = h_open_mem(&h, work, len + 512 * KIB);
        h.limit = len / 512;                         // the device is larger than the fs
        if (e == 0) {
            mounted++;
            fuzz_workload(&h.fs, buf);
        }
        CHECK(h_close(&h, e == 0));
        for (size_t i = len; i < len + 512 * KIB; i++)
            if (work[i] != 0xAA) {
                CHECK(!"write past the file system");
                break;
            }
    }
    alarm(0);
    CHECK(mounted > runs / 2);
    if (getenv("EXT2_FUZZ_RUNS"))
        printf("%d runs, %d mounted\n", runs, mounted);
    free(orig);
    free(work);
    free(buf);
}

TEST(device_errors)
{
    const char *img = corrupt_image("deverr.img");
    size_t len;
    uint8_t *mem = h_slurp(img, &len), buf[64];
    struct hdev h;
    CHECK_EQ(h_open_mem(&h, mem, len), 0);
    long g = ext2_lookup(&h.fs, "/f");
    h.sectors = 0;                                   // every request fails from now on
    uint64_t hits, misses;
    ext2_cache_stats(&h.fs, &hits, &misses);
    long r = ext2_read(&h.fs, (uint64_t)g, 50 * KIB, buf, sizeof(buf));
    CHECK_EQ(r, -EIO);
    CHECK(strstr(ext2_error(&h.fs), "device") != NULL);
    h.violations = 0;
    h_close(&h, 1);
    free(mem);
}
