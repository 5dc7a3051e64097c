// Host tests for ext2_repair() and the clean flag. Crashes are simulated
// by cutting the device after its N-th write ("power cut": later writes
// vanish; "dead disk": they fail) in the middle of every kind of
// operation, for every N. The next mount repairs; the files of completed
// operations must be intact, a second repair must find nothing, more
// operations must work, and e2fsck -fn must be clean. Also: the clean flag
// (mkfs, sync, the first write after a sync), hand-made damage, small
// dtimes, stale indirect blocks, and the time it takes on a 64 MiB disk.
#include <time.h>
#include "ext2/sweep.h"

// ---- the clean flag ----

static uint32_t file_u16(const char *img, uint64_t off)
{
    uint8_t b[2] = { 0 };
    int fd = open(img, O_RDONLY);
    if (fd < 0 || pread(fd, b, 2, (off_t)off) != 2)
        exit(2);
    close(fd);
    return le16(b);
}

static uint32_t file_state(const char *img) { return file_u16(img, 1024 + SB_STATE); }

TEST(clean_image_skips_repair)
{
    char img[256];
    struct hdev h;
    h_path(img, "clean.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256", "16M", NULL), 0);
    CHECK_EQ(file_state(img), EXT2_VALID_FS);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.repair.ran, 0);
    CHECK(stats_zero(&h.fs.repair));
    CHECK_EQ(h.writes, 1);                           // only the state: "not clean" from now on
    CHECK(h_close(&h, 1));
    CHECK_EQ(file_state(img), 0);
    CHECK(h_fsck(img));                              // e2fsck -fn is fine with "not clean"
    CHECK_EQ(h_open(&h, img), 0);                    // not synced: the repair runs, finds nothing
    CHECK_EQ(h.fs.repair.ran, 1);
    CHECK(stats_zero(&h.fs.repair));
    CHECK_EQ(h.writes, 0);
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK_EQ(file_state(img), EXT2_VALID_FS);
    CHECK_EQ(h_open(&h, img), 0);                    // synced: skipped again
    CHECK_EQ(h.fs.repair.ran, 0);
    CHECK(h_close(&h, 1));
}

TEST(sync_then_first_write_marks_not_clean)
{
    char img[256];
    size_t len;
    struct cdev c;
    h_path(img, "mark.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    uint8_t *mem = h_slurp(img, &len);
    CHECK_EQ(c_mount(&c, mem, len), 0);
    CHECK_EQ(img_state(mem), 0);
    CHECK_EQ(ext2_sync(&c.fs), 0);
    CHECK_EQ(img_state(mem), EXT2_VALID_FS);
    CHECK_EQ(le32(mem + 1024 + SB_WTIME), 1700000000);
    c.cut = LONG_MAX;
    CHECK_EQ(ext2_sync(&c.fs), 0);                   // nothing changed: nothing written
    CHECK(ext2_lookup(&c.fs, "/lost+found") > 0);    // reading does not mark
    CHECK_EQ(c.writes, 0);
    c.writes = 0;
    c.cut = 1;                                       // only the first write of the create lands
    CHECK(ext2_create(&c.fs, "/f", 0) > 0);
    CHECK(c.writes > 2);
    CHECK_EQ(img_state(mem), 0);                     // ... and it was the mark
    CHECK(c_unmount(&c));
    CHECK_EQ(c_mount(&c, mem, len), 0);
    CHECK_EQ(c.fs.repair.ran, 1);
    CHECK(stats_zero(&c.fs.repair));                 // nothing else reached the disk
    CHECK_EQ(ext2_lookup(&c.fs, "/f"), -ENOENT);
    CHECK(ext2_create(&c.fs, "/g", 0) > 0);
    CHECK_EQ(ext2_sync(&c.fs), 0);
    CHECK(ext2_mkdir(&c.fs, "/h") > 0);              // marks again, then syncs
    CHECK_EQ(img_state(mem), 0);
    CHECK_EQ(ext2_sync(&c.fs), 0);
    CHECK(c_unmount(&c));
    CHECK_EQ(img_state(mem), EXT2_VALID_FS);
    CHECK(mem_fsck(mem, len, "mark.img"));
    free(mem);
}

TEST(error_flag_forces_repair)
{
    char img[256];
    struct hdev h;
    uint8_t v[2];
    h_path(img, "errfs.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    put16(v, EXT2_VALID_FS | EXT2_ERROR_FS);
    h_patch(img, 1024 + SB_STATE, v, 2);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.repair.ran, 1);
    CHECK(stats_zero(&h.fs.repair));
    CHECK(h_close(&h, 1));
    CHECK_EQ(file_state(img), 0);                    // errors cleared, not clean
}

TEST(read_only_mount_never_repairs)
{
    char img[256];
    struct hdev h;
    uint8_t v[4];
    h_path(img, "rofs.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    put32(v, 0x100 | RO_COMPAT_SPARSE | RO_COMPAT_LARGE_FILE);
    h_patch(img, 1024 + SB_RO_COMPAT, v, 4);
    h_patch(img, 1024 + SB_STATE, "\0\0", 2);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.readonly, 1);
    CHECK_EQ(h.fs.repair.ran, 0);
    CHECK_EQ(ext2_repair(&h.fs, &h.fs.repair), -EROFS);
    CHECK_EQ(h.writes, 0);
    CHECK(h_close(&h, 1));
}

// A repair of a consistent file system finds nothing and writes nothing.
TEST(repair_of_consistent_fs_changes_nothing)
{
    char img[256];
    size_t len;
    struct cdev c;
    struct ext2_repair_stats st;
    h_path(img, "same.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128 -N 512", "8M", NULL), 0);
    uint8_t *mem = h_slurp(img, &len);
    CHECK_EQ(c_mount(&c, mem, len), 0);
    g_bs = c.fs.block_size;
    g_ptrs = c.fs.ptrs_per_block;
    CHECK(setup_tree(&c.fs));
    CHECK(ext2_symlink(&c.fs, "/keep/fast", "a") > 0 && ext2_symlink(&c.fs, "/keep/slow", LINK_TARGET) > 0);
    c.cut = LONG_MAX;
    CHECK_EQ(ext2_repair(&c.fs, &st), 0);
    CHECK(stats_zero(&st));
    CHECK_EQ(c.writes, 0);
    CHECK(c_unmount(&c));
    free(mem);
}

// Trees made by mkfs -d (hard links, fast and slow symlinks, a FIFO, empty,
// sparse and double-indirect files, nested directories), 1, 2 and 4 KiB
// blocks: marked not clean, the repair finds nothing.
TEST(mkfs_trees_need_nothing)
{
    static const char *opts[] = { "-b 1024 -I 128", "-b 2048 -I 256", "-b 4096 -I 256" };
    char src[256], img[256], p[400];
    uint8_t *big = h_pattern(5u << 20, 4);
    h_path(src, "mkfs_tree");
    for (int i = 0; i < 20; i++) {
        snprintf(p, sizeof(p), "%s/d%d/e%d/f%d", src, i % 4, i % 3, i);
        h_put_file(p, big + i * 977, (size_t)i * 1500);
    }
    snprintf(p, sizeof(p), "%s/big", src);
    h_put_file(p, big, 5u << 20);
    h_sh("cd %s && ln d0/e0/f0 hard1 && ln d0/e0/f0 d1/hard2 && ln -s big fast && ln -s %s slow && "
         "mkfifo fifo && mkdir -p empty/deeper && : > empty/zero && truncate -s 3M sparse && "
         "printf x | dd of=sparse bs=1 seek=2000000 conv=notrunc 2>/dev/null", src, LINK_TARGET);
    for (int k = 0; k < 3; k++) {
        struct hdev h;
        h_path(img, "mkfs_tree.img");
        CHECK_EQ(h_mkfs(img, opts[k], "24M", src), 0);
        h_patch(img, 1024 + SB_STATE, "\0\0", 2);
        CHECK_EQ(h_open(&h, img), 0);
        CHECK_EQ(h.fs.repair.ran, 1);
        CHECK(stats_zero(&h.fs.repair));
        CHECK_EQ(h.writes, 0);
        uint64_t len;
        uint8_t *b = h_read_all(&h.fs, "/big", &len);
        CHECK(b && len == 5u << 20 && !memcmp(b, big, len));
        free(b);
        CHECK(h_close(&h, 1));
    }
    free(big);
}

// ---- small dtimes (a clock counting seconds since boot) ----

// Creates five files and a directory at time `now`, then removes them.
static int churn(struct ext2 *fs, uint32_t now)
{
    char p[64];
    int ok = ext2_mkdir(fs, "/tmpd") > 0;
    ext2_set_time(fs, now);
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "/tmpd/%d", i);
        ok &= put_file(fs, p, 3000, (uint32_t)i) > 0;
    }
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "/tmpd/%d", i);
        ok &= ext2_unlink(fs, p) == 0;
    }
    return ok && ext2_rmdir(fs, "/tmpd") == 0;
}

TEST(small_dtimes)
{
    char img[256];
    size_t len;
    struct cdev c;
    h_path(img, "dtime.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "8M", NULL), 0);
    uint8_t *mem = h_slurp(img, &len);
    CHECK_EQ(c_mount(&c, mem, len), 0);              // synced with a small clock:
    CHECK(churn(&c.fs, 100) && ext2_sync(&c.fs) == 0 && c_unmount(&c));
    CHECK_EQ(le32(mem + 1024 + SB_WTIME), 100);      // e2fsck sees the clock and takes dtime 100
    CHECK(mem_fsck(mem, len, "dtime.img"));
    CHECK_EQ(c_mount(&c, mem, len), 0);              // no clock at all: dtime 1, wtime 1
    CHECK(churn(&c.fs, 0) && ext2_sync(&c.fs) == 0 && c_unmount(&c));
    CHECK(mem_fsck(mem, len, "dtime.img"));
    CHECK_EQ(c_mount(&c, mem, len), 0);              // a real clock synced, then a crash
    CHECK(ext2_sync(&c.fs) == 0 && churn(&c.fs, 100) && c_unmount(&c));
    h_fsck_quiet = 1;
    CHECK(!mem_fsck(mem, len, "dtime.img"));         // (e2fsck: "part of the orphaned inode list")
    h_fsck_quiet = 0;
    CHECK_EQ(c_mount(&c, mem, len), 0);              // the repair moves those dtimes up
    CHECK_EQ(c.fs.repair.free_inodes_cleaned, 6);
    CHECK(c_unmount(&c) && mem_fsck(mem, len, "dtime.img"));
    CHECK_EQ(c_mount(&c, mem, len), 0);
    CHECK(stats_zero(&c.fs.repair));
    CHECK(c_unmount(&c));
    free(mem);
}

// ---- damage made by hand (debugfs) ----

struct damage {
    const char *cmds;              // debugfs commands (%B: a block of /b)
    size_t field;                  // the counter that must move
    uint32_t min;
};

#define F(x) offsetof(struct ext2_repair_stats, x)
static const struct damage damages[] = {
    { "freeb %B", F(blocks_marked), 1 },
    { "setb 8000 3", F(blocks_reclaimed), 3 },
    { "sif /a links_count 5\nsif /d2 links_count 9", F(inodes_fixed), 2 },
    { "unlink /d1/x", F(inodes_relinked), 1 },
    { "link /d1 /d2/again", F(entries_removed), 1 },
    { "clri /a", F(entries_removed), 1 },
    { "sif <300> dtime 5\nsif <301> links_count 1", F(free_inodes_cleaned), 2 },
    { "ssv last_orphan 300", F(counts_fixed), 1 },
    { "sif /b block[3] 999999\nsif /b block[4] 3", F(pointers_cleared), 2 },
    { "sif /a dtime 12345", F(inodes_fixed), 1 },
    { "sif /d1 size 5000", F(inodes_fixed), 1 },
    { "freei /a", F(entries_removed), 1 },
    { "sif /b block[5] %B", F(pointers_cleared), 1 },
    { "sif /b blocks 4", F(inodes_fixed), 1 },
    { "ssv free_blocks_count 17\nset_bg 0 free_inodes_count 3", F(counts_fixed), 2 },
    { "sif /d1 mode 0", F(inodes_freed), 1 },
};

// The base image of the damage tests: /a, /b (60 KiB), /d1/x, /d2/sub.
static const char *damage_base(void)
{
    static char base[256];
    if (base[0])
        return base;
    size_t len;
    struct cdev c;
    h_path(base, "damage_base.img");
    if (h_mkfs(base, "-b 1024 -I 128 -N 512", "8M", NULL) != 0)
        exit(2);
    uint8_t *mem = h_slurp(base, &len);
    int ok = c_mount(&c, mem, len) == 0 && put_file(&c.fs, "/a", 3000, 1) > 0 &&
             put_file(&c.fs, "/b", 60 * KIB, 2) > 0 && ext2_mkdir(&c.fs, "/d1") > 0 &&
             put_file(&c.fs, "/d1/x", 500, 3) > 0 && ext2_mkdir(&c.fs, "/d2") > 0 &&
             ext2_mkdir(&c.fs, "/d2/sub") > 0 && ext2_sync(&c.fs) == 0 && c_unmount(&c);
    FILE *f = fopen(base, "wb");
    if (!ok || !f || fwrite(mem, 1, len, f) != len)
        exit(2);
    fclose(f);
    free(mem);
    return base;
}

// Applies damage d to a copy of the base image (state: not clean).
static void damage_apply(const char *img, const struct damage *d)
{
    char cmds[512], file[256], cmd[600];
    snprintf(cmd, sizeof(cmd), "debugfs -R 'bmap /b 7' %s", damage_base());
    long long blk = h_field(cmd, "");
    const char *at = strstr(d->cmds, "%B");
    if (at)
        snprintf(cmds, sizeof(cmds), "%.*s%lld%s", (int)(at - d->cmds), d->cmds, blk, at + 2);
    else
        snprintf(cmds, sizeof(cmds), "%s", d->cmds);
    h_sh("cp %s %s", damage_base(), img);
    h_path(file, "damage.cmds");
    h_put_file(file, cmds, strlen(cmds));
    h_sh("debugfs -w -f %s %s >/dev/null 2>&1", file, img);
    h_patch(img, 1024 + SB_STATE, "\0\0", 2);
}

TEST(hand_made_damage)
{
    char img[256];
    h_path(img, "damage.img");
    for (unsigned i = 0; i < sizeof(damages) / sizeof(damages[0]); i++) {
        const struct damage *d = &damages[i];
        struct hdev h;
        damage_apply(img, d);
        h_fsck_quiet = 1;
        int broken = !h_fsck(img);
        h_fsck_quiet = 0;
        CHECK_EQ(h_open(&h, img), 0);
        struct ext2_repair_stats st = h.fs.repair;
        uint32_t v = *(const uint32_t *)(const void *)((const char *)&st + d->field);
        int ok = (broken || d->field == F(counts_fixed)) && h.fs.repair.ran && h.fs.repair.error == 0 && v >= d->min;
        ok &= file_is(&h.fs, "/b", 60 * KIB, 2, 0) || strstr(d->cmds, "/b");
        ok &= h_close(&h, 1) && h_fsck(img);
        ok &= h_open(&h, img) == 0 && stats_zero(&h.fs.repair) && h_close(&h, 1);
        if (!ok || getenv("EXT2_REPAIR_VERBOSE")) {
            char b[300];
            ext2_repair_summary(&st, b, sizeof(b));
            fprintf(stderr, "damage \"%s\": broken %d, repair: %s\n", d->cmds, broken, b);
        }
        CHECK(ok);
    }
}

// ---- a stale indirect block ----

// /c (inode before /b) grows into its first indirect block, which the
// allocator takes from a free block still holding a copy of /b's indirect
// block. If /c's inode reaches the disk but not that block's new content,
// /c points at /b's blocks: /c's tree is suspect (its i_blocks disagree),
// so /b, whose tree is sound, keeps them. Made directly (the append done,
// then the block's old content put back), then by cuts at every write.
TEST(stale_indirect_block_loses)
{
    char img[256];
    size_t len;
    struct cdev c;
    struct ext2_inode b;
    h_path(img, "stale.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128 -N 512", "8M", NULL), 0);
    uint8_t *base = h_slurp(img, &len), *work = malloc(len);
    CHECK_EQ(c_mount(&c, base, len), 0);
    long ci = put_file(&c.fs, "/c", 12 * KIB, 1), bi = put_file(&c.fs, "/b", 50 * KIB, 2);
    CHECK(ci > 0 && bi > ci && ext2_sync(&c.fs) == 0);
    CHECK_EQ(ext2_inode_get(&c.fs, (uint32_t)bi, &b), 0);
    uint32_t bm = le32(ext2_gd(&c.fs, 0) + GD_BLOCK_BITMAP), x = 0;
    CHECK(c_unmount(&c));
    while (rp_bit(base + bm * KIB, x))
        x++;
    x += 1;                                          // (1 KiB blocks: bit 0 is block 1)
    memcpy(base + x * KIB, base + b.block[12] * KIB, KIB);
    memcpy(work, base, len);                         // the state such a cut leaves
    CHECK_EQ(c_mount(&c, work, len), 0);
    CHECK_EQ(ext2_write(&c.fs, (uint64_t)ci, 12 * KIB, pattern(2 * KIB, 3), 2 * KIB), 2 * KIB);
    CHECK(c_unmount(&c));
    memcpy(work + x * KIB, base + x * KIB, KIB);
    CHECK_EQ(c_mount(&c, work, len), 0);
    CHECK(c.fs.repair.pointers_cleared >= 2);        // /c's two stale pointers in its size
    CHECK(file_is(&c.fs, "/b", 50 * KIB, 2, 0));
    CHECK(file_is(&c.fs, "/c", 12 * KIB, 1, 1));
    CHECK(c_unmount(&c) && mem_fsck(work, len, "stale.img"));
    for (long n = 0; n < 12; n++)
        for (int fail = 0; fail < 2; fail++) {
            memcpy(work, base, len);
            CHECK_EQ(c_mount(&c, work, len), 0);
            c.cut = n;
            c.fail = fail;
            ext2_write(&c.fs, (uint64_t)ci, 12 * KIB, pattern(2 * KIB, 3), 2 * KIB);
            CHECK(c_unmount(&c));
            CHECK_EQ(c_mount(&c, work, len), 0);
            CHECK_EQ(c.fs.repair.error, 0);
            CHECK(file_is(&c.fs, "/b", 50 * KIB, 2, 0));
            CHECK(file_is(&c.fs, "/c", 12 * KIB, 1, 1));
            CHECK(c_unmount(&c) && mem_fsck(work, len, "stale.img"));
        }
    free(base);
    free(work);
}

// ---- a 64 MiB disk ----

// The repair after an unclean stop of a 64 MiB disk (4 KiB blocks, 16384
// inodes) holding 300 files: how long it takes and what it reads.
TEST(large_disk_repair_time)
{
    char img[256], p[64];
    size_t len;
    struct cdev c;
    struct timespec t0, t1;
    h_path(img, "large.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256 -N 16384", "64M", NULL), 0);
    uint8_t *mem = h_slurp(img, &len);
    CHECK_EQ(c_mount(&c, mem, len), 0);
    for (int d = 0; d < 20; d++) {
        snprintf(p, sizeof(p), "/d%d", d);
        CHECK(ext2_mkdir(&c.fs, p) > 0);
        for (int f = 0; f < 15; f++) {
            snprintf(p, sizeof(p), "/d%d/f%d", d, f);
            CHECK(put_file(&c.fs, p, (uint64_t)((d * 15 + f) % 7) * 37 * KIB, (uint32_t)f) > 0);
        }
    }
    CHECK(put_file(&c.fs, "/huge", 6u << 20, 9) > 0);
    CHECK(c_unmount(&c));                            // not synced: an unclean stop
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(c_mount(&c, mem, len), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    uint64_t hits, misses;
    ext2_cache_stats(&c.fs, &hits, &misses);
    CHECK_EQ(c.fs.repair.ran, 1);
    CHECK(stats_zero(&c.fs.repair));
    CHECK(file_is(&c.fs, "/huge", 6u << 20, 9, 0));
    printf("# 64 MiB, 16384 inodes, 321 files: mount with repair %.1f ms (sanitizers on), "
           "%llu blocks read through the cache\n", ms, (unsigned long long)misses);
    CHECK(ms < 5000);
    CHECK(c_unmount(&c));
    free(mem);
}

TEST(summary_line)
{
    struct ext2_repair_stats st;
    char b[200];
    memset(&st, 0, sizeof(st));
    ext2_repair_summary(&st, b, sizeof(b));
    CHECK_STR(b, "nothing to fix");
    st.inodes_freed = 3;
    st.blocks_reclaimed = 12;
    st.entries_removed = 1;
    ext2_repair_summary(&st, b, sizeof(b));
    CHECK_STR(b, "3 inodes freed, 1 entry removed, 12 blocks reclaimed");
    ext2_repair_summary(&st, b, 10);
    CHECK_STR(b, "3 inodes ");
    st.inodes_relinked = 1;
    ext2_repair_summary(&st, b, sizeof(b));
    CHECK(strstr(b, "1 inode moved to lost+found") != NULL);
}

// ---- random damage, then a repair ----

static void fuzz_ops(struct ext2 *fs)
{
    static const char *paths[] = { "/keep/a", "/keep/b", "/keep/c", "/d1/x", "/d2/sub", "/movedir/f", "/" };
    static uint8_t buf[64 * KIB];
    uint64_t pos, next;
    struct fs_dirent de;
    for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        long ino = ext2_lookup(fs, paths[i]);
        if (ino > 0)
            ext2_read(fs, (uint64_t)ino, 0, buf, sizeof(buf));
        pos = 0;
        for (int k = 0; ino > 0 && k < 50 && ext2_readdir(fs, (uint64_t)ino, pos, &de, &next) == 1; k++)
            pos = next;
    }
    long n = ext2_create(fs, "/d1/new", 0);
    if (n > 0)
        ext2_write(fs, (uint64_t)n, 5000, pattern(20 * KIB, 7), 20 * KIB);
    ext2_mkdir(fs, "/d2/sub/deeper");
    ext2_rename(fs, "/keep/a", "/d2/a2");
    ext2_rename(fs, "/movedir", "/d1/m");
    ext2_truncate(fs, (uint64_t)ext2_lookup(fs, "/keep/c"), 7000);
    ext2_unlink(fs, "/keep/b");
    ext2_rmdir(fs, "/empty");
}

// Where run `run` flips bits: the inode table, the bitmaps and
// descriptors, the first data blocks (directories, indirect blocks), or
// anywhere in the first 1 MiB.
static void fuzz_span(struct ext2 *fs, int run, uint32_t *lo, uint32_t *len)
{
    const uint8_t *d = ext2_gd(fs, 0);
    uint32_t it = le32(d + GD_INODE_TABLE), bb = le32(d + GD_BLOCK_BITMAP);
    switch (run % 4) {
    case 0: *lo = it * KIB, *len = 16 * KIB; break;
    case 1: *lo = 2 * KIB, *len = (bb + 2 - 2) * KIB; break;
    case 2: *lo = (it + fs->itable_blocks) * KIB, *len = 200 * KIB; break;
    default: *lo = 2 * KIB, *len = 1024 * KIB; break;
    }
}

// No crash (the sanitizers watch), no hang, no request outside the disk;
// e2fsck's view after the repair is counted (a light repair does not fix
// every possible damage).
TEST(random_damage_then_repair)
{
    struct geo g = { "-b 1024 -I 128 -N 512", "8M", 1024 };
    uint64_t len;
    uint8_t *base = make_base(&g, &len), *work = malloc(len);
    struct cdev c;
    uint32_t x = 777, lo, span;
    int runs = getenv("EXT2_FUZZ_RUNS") ? atoi(getenv("EXT2_FUZZ_RUNS")) : 400;
    int mounted = 0, clean = 0, failed = 0;
    CHECK_EQ(c_mount(&c, base, len), 0);
    c_unmount(&c);
    alarm((unsigned)runs / 4 + 60);
    for (int run = 0; run < runs; run++) {
        memcpy(work, base, len);
        CHECK_EQ(c_mount(&c, work, len), 0);
        fuzz_span(&c.fs, run, &lo, &span);
        c_unmount(&c);
        for (int k = 0; k < 1 + run % 8; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            work[lo + x % span] ^= (uint8_t)(1u << (x >> 29));
        }
        put16(work + 1024 + SB_STATE, 0);
        if (c_mount(&c, work, len) != 0) {
            CHECK(c.violations == 0);
            continue;
        }
        mounted++;
        failed += c.fs.repair.error != 0;
        CHECK(c_unmount(&c));
        h_fsck_quiet = !getenv("EXT2_FUZZ_SHOW");
        clean += mem_fsck(work, len, "fuzz.img");
        h_fsck_quiet = 0;
        CHECK_EQ(c_mount(&c, work, len), 0);
        fuzz_ops(&c.fs);
        CHECK(c_unmount(&c));
    }
    alarm(0);
    printf("# random damage: %d runs, %d mounted, %d repairs stopped, %d clean for e2fsck after the repair\n",
           runs, mounted, failed, clean);
    CHECK(mounted > runs / 2);
    free(base);
    free(work);
}

// ---- the crash sweep (ext2/sweep.h) ----

TEST(crash_sweep_1k) { sweep(&(struct geo){ "-b 1024 -I 128 -N 512", "8M", 1024 }); }
TEST(crash_sweep_4k) { sweep(&(struct geo){ "-b 4096 -I 256 -N 512", "12M", 4096 }); }
