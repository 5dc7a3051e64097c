// Host tests for ext2_repair() and the clean flag. Crashes are simulated
// by cutting the device after its N-th write ("power cut": later writes
// vanish; "dead disk": they fail) in the middle of every kind of
// operation, for every N. The next mount repairs; the files of completed
// operations must be intact, a second repair must find nothing, more
// operations must work, and e2fsck -fn must be clean. Also: the clean flag
// (mkfs, sync, the first write after a sync), hand-made damage, small
// dtimes, stale indirect blocks, and the time it takes on a 64 MiB disk.
#include <limits.h>
#include <time.h>
#include "ext2/harness.h"

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

// ---- the crash sweep ----

struct geo { const char *opts, *size; uint32_t bs; };

static uint32_t g_bs, g_ptrs;      // geometry of the sweep running
static uint64_t big_size(void) { return (uint64_t)(12 + g_ptrs + 3) * g_bs; }
static uint64_t app_size(void) { return 11ull * g_bs + 100; }
static uint32_t full_names(void) { return (g_bs - 24) / 264; }

static void long_name(char *out, const char *dir, uint32_t k)
{
    int n = sprintf(out, "%s/", dir);
    memset(out + n, 'a' + (int)(k % 26), 255);
    out[n + 255] = 0;
}

// The files every scenario starts from (made with completed operations).
static const struct kf { const char *path; uint32_t size, seed; } keepers[] = {
    { "/keep/a", 100, 1 }, { "/keep/b", 50 * KIB, 2 }, { "/keep/c", 300 * KIB, 3 },
    { "/keep/e", 20 * KIB, 5 }, { "/d1/x", 3000, 6 }, { "/d1/src", 5000, 7 },
    { "/d2/victim", 7000, 8 }, { "/d1/same_a", 900, 9 }, { "/d1/same_b", 1900, 10 },
    { "/movedir/f", 4000, 11 },
};

static int setup_tree(struct ext2 *fs)
{
    static const char *dirs[] = { "/keep", "/d1", "/d2", "/d2/sub", "/empty", "/movedir",
                                  "/movedir/inner", "/full" };
    int ok = 1;
    char name[300];
    for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        ok &= ext2_mkdir(fs, dirs[i]) > 0;
    ok &= put_file(fs, "/junk", 200 * KIB, 40) > 0 && ext2_unlink(fs, "/junk") == 0;
    for (unsigned i = 0; i < sizeof(keepers) / sizeof(keepers[0]); i++)
        ok &= put_file(fs, keepers[i].path, keepers[i].size, keepers[i].seed) > 0;
    ok &= put_file(fs, "/app", app_size(), 12) > 0 && put_file(fs, "/trunc", big_size(), 13) > 0;
    ok &= put_file(fs, "/big", big_size(), 14) > 0 && put_file(fs, "/w", 0, 0) > 0;
    ok &= put_file(fs, "/w2", 0, 0) > 0;
    for (uint32_t k = 0; k < full_names(); k++) {
        long_name(name, "/full", k);
        ok &= ext2_create(fs, name, 1) > 0;
    }
    return ok;
}

enum { S_CREATE, S_MKDIR, S_SYMLINK, S_WRITE_IND, S_WRITE_BIG, S_APPEND, S_TRUNCATE, S_UNLINK,
       S_RMDIR, S_RENAME_OVER, S_RENAME_SAME, S_RENAME_DIR, S_DIR_GROW, S_COUNT };
static const char *s_names[S_COUNT] = { "create", "mkdir", "symlink", "write_indirect",
    "write_big", "append", "truncate", "unlink_big", "rmdir", "rename_over", "rename_same_dir",
    "rename_dir", "dir_grow" };

static const char LINK_TARGET[] = "/keep/a/../a/./../a/../../keep/a/../a/../a/../../keep/a/../../keep/a";

// Fills the block cache differently before an operation, so that its
// blocks land in other cache slots and are written in another order
// (warm 1: more blocks than the cache holds; 2: a few directories first).
static void warm_cache(struct ext2 *fs, int warm)
{
    uint64_t len;
    struct fs_stat st;
    if (warm == 1)
        free(h_read_all(fs, "/keep/c", &len));
    for (unsigned i = 0; warm == 2 && i < sizeof(keepers) / sizeof(keepers[0]); i++)
        ext2_stat(fs, (uint64_t)ext2_lookup(fs, keepers[sizeof(keepers) / sizeof(keepers[0]) - 1 - i].path), &st);
    if (warm == 2)
        free(h_read_all(fs, "/keep/b", &len));
}

static void run_op(struct ext2 *fs, int s)
{
    char name[300];
    uint64_t bs = g_bs;
    const uint8_t *b = pattern(320 * KIB, 30);
    long w = ext2_lookup(fs, "/w"), w2 = ext2_lookup(fs, "/w2"), app = ext2_lookup(fs, "/app");
    switch (s) {
    case S_CREATE: ext2_create(fs, "/d1/new", 0); break;
    case S_MKDIR: ext2_mkdir(fs, "/d2/newdir"); break;
    case S_SYMLINK: ext2_symlink(fs, "/d1/lnk", LINK_TARGET); break;
    case S_WRITE_IND: ext2_write(fs, (uint64_t)w, (12 + g_ptrs - 2) * bs, b, 4 * bs); break;
    case S_WRITE_BIG: ext2_write(fs, (uint64_t)w2, 0, b, 300 * KIB); break;
    case S_APPEND: ext2_write(fs, (uint64_t)app, app_size(), b, 2 * bs); break;
    case S_TRUNCATE: ext2_truncate(fs, (uint64_t)ext2_lookup(fs, "/trunc"), 5000); break;
    case S_UNLINK: ext2_unlink(fs, "/big"); break;
    case S_RMDIR: ext2_rmdir(fs, "/empty"); break;
    case S_RENAME_OVER: ext2_rename(fs, "/d1/src", "/d2/victim"); break;
    case S_RENAME_SAME: ext2_rename(fs, "/d1/same_a", "/d1/same_b"); break;
    case S_RENAME_DIR: ext2_rename(fs, "/movedir", "/d2/moved"); break;
    default: long_name(name, "/full", full_names()); ext2_create(fs, name, 1); break;
    }
}

// Does lost+found hold an entry whose path + suffix is a file of size
// bytes of pattern seed?
static int lpf_has(struct ext2 *fs, const char *suffix, uint64_t size, uint32_t seed)
{
    struct fs_dirent de;
    uint64_t pos = 0, next;
    char path[300];
    long d = ext2_lookup(fs, "/lost+found");
    while (d > 0 && ext2_readdir(fs, (uint64_t)d, pos, &de, &next) == 1) {
        snprintf(path, sizeof(path), "/lost+found/%s%s", de.name, suffix);
        if (file_is(fs, path, size, seed, 0))
            return 1;
        pos = next;
    }
    return 0;
}

// Names a and b after an interrupted rename of a over b: the data of a
// must be under one of them (or both: a second link), or in lost+found
// (cut between the two directory writes); b holds its own data, a's, or is
// gone (its inode was being freed; its data may be in lost+found).
static int rename_ok(struct ext2 *fs, const struct kf *a, const struct kf *b)
{
    int a_old = file_is(fs, a->path, a->size, a->seed, 0);
    int b_new = file_is(fs, b->path, a->size, a->seed, 0) || lpf_has(fs, "", a->size, a->seed);
    int b_old = file_is(fs, b->path, b->size, b->seed, 0);
    int a_gone = ext2_lookup(fs, a->path) == -ENOENT, b_gone = ext2_lookup(fs, b->path) == -ENOENT;
    int ok = (a_old || b_new) && (a_old || a_gone) && (b_old || b_new || b_gone);
    if (!ok)
        fprintf(stderr, "rename %s -> %s: a %d/%d, b %d/%d/%d\n", a->path, b->path, a_old, a_gone,
                b_old, b_new, b_gone);
    return ok;
}

static int keeper_touched(int s, const char *path)
{
    if (s == S_RENAME_OVER)
        return !strcmp(path, "/d1/src") || !strcmp(path, "/d2/victim");
    if (s == S_RENAME_SAME)
        return !strncmp(path, "/d1/same_", 9);
    return s == S_RENAME_DIR && !strcmp(path, "/movedir/f");
}

// What must hold after scenario s was cut anywhere and repaired.
static int verify(struct ext2 *fs, int s)
{
    int ok = 1;
    uint64_t big = big_size();
    for (unsigned i = 0; i < sizeof(keepers) / sizeof(keepers[0]); i++)
        if (!keeper_touched(s, keepers[i].path) &&
            !file_is(fs, keepers[i].path, keepers[i].size, keepers[i].seed, 0)) {
            fprintf(stderr, "%s: %s damaged\n", s_names[s], keepers[i].path);
            ok = 0;
        }
    ok &= file_is(fs, "/app", app_size(), 12, s == S_APPEND);
    ok &= file_is(fs, "/trunc", s == S_TRUNCATE ? 5000 : big, 13, s == S_TRUNCATE);
    ok &= s == S_UNLINK && ext2_lookup(fs, "/big") == -ENOENT ? 1 : file_is(fs, "/big", big, 14, 0);
    ok &= s == S_RMDIR ? is_dir(fs, "/empty") || ext2_lookup(fs, "/empty") == -ENOENT : is_dir(fs, "/empty");
    if (s == S_RENAME_OVER)
        ok &= rename_ok(fs, &keepers[5], &keepers[6]);
    if (s == S_RENAME_SAME)
        ok &= rename_ok(fs, &keepers[7], &keepers[8]);
    if (s == S_RENAME_DIR && (is_dir(fs, "/movedir") + is_dir(fs, "/d2/moved") != 1 ||
                              !(file_is(fs, "/movedir/f", 4000, 11, 0) || file_is(fs, "/d2/moved/f", 4000, 11, 0)))
                          && !lpf_has(fs, "/f", 4000, 11)) {
        fprintf(stderr, "rename_dir: %d %d\n", is_dir(fs, "/movedir"), is_dir(fs, "/d2/moved"));
        ok = 0;
    }
    return ok;
}

// Operations after the repair: they must all work and read back.
static int more_ops(struct ext2 *fs)
{
    int ok = put_file(fs, "/post", 30 * KIB, 50) > 0 && ext2_mkdir(fs, "/postdir") > 0;
    ok = ok && ext2_rename(fs, "/post", "/postdir/post") == 0 && ext2_unlink(fs, "/keep/a") == 0;
    ok = ok && ext2_rmdir(fs, "/d2/sub") == 0 && file_is(fs, "/postdir/post", 30 * KIB, 50, 0);
    long w = ext2_lookup(fs, "/w");
    ok = ok && w > 0 && ext2_write(fs, (uint64_t)w, 3 * g_bs, "tail", 4) == 4;
    return ok;
}

struct sweep { uint8_t *base, *work; uint64_t len; long cuts, fails; };

// One cut: scenario s on a copy of the base image (cache warmed as
// `warm` says), its writes cut after n.
static int one_cut(struct sweep *sw, int s, int warm, long n, int fail)
{
    struct cdev c;
    int ok = 1;
    memcpy(sw->work, sw->base, sw->len);
    ok &= c_mount(&c, sw->work, sw->len) == 0 && !c.fs.repair.ran;
    warm_cache(&c.fs, warm);
    c.cut = n;
    c.fail = fail;
    run_op(&c.fs, s);
    ok &= c_unmount(&c);                                    // (its flush is cut too)
    ok &= c_mount(&c, sw->work, sw->len) == 0 && c.fs.repair.ran && c.fs.repair.error == 0;
    ok &= verify(&c.fs, s);
    ok &= c_unmount(&c) && mem_fsck(sw->work, sw->len, "cut.img");
    ok &= c_mount(&c, sw->work, sw->len) == 0 && c.fs.repair.ran && stats_zero(&c.fs.repair);
    ok &= more_ops(&c.fs) && ext2_sync(&c.fs) == 0 && c_unmount(&c);
    ok &= c_mount(&c, sw->work, sw->len) == 0 && !c.fs.repair.ran && c_unmount(&c);
    ok &= mem_fsck(sw->work, sw->len, "cut.img");
    if (!ok)
        fprintf(stderr, "scenario %s, warm %d, cut after %ld writes (%s): failed\n", s_names[s], warm,
                n, fail ? "failing" : "dropped");
    sw->cuts++;
    return ok;
}

// The base image for geometry g: the tree made, synced (clean).
static uint8_t *make_base(const struct geo *g, uint64_t *len)
{
    char img[256];
    struct cdev c;
    h_path(img, "sweep_base.img");
    if (h_mkfs(img, g->opts, g->size, NULL) != 0)
        exit(2);
    uint8_t *mem = h_slurp(img, len);
    int ok = c_mount(&c, mem, *len) == 0 && !c.fs.repair.ran;
    g_bs = c.fs.block_size;
    g_ptrs = c.fs.ptrs_per_block;
    ok = ok && setup_tree(&c.fs) && ext2_sync(&c.fs) == 0;
    CHECK(ok && c_unmount(&c));
    CHECK(mem_fsck(mem, *len, "sweep_base.img"));
    return mem;
}

// Every scenario, every cut point, on geometry g: with a cold cache,
// writes dropped or failing; with two warm caches, writes dropped (every
// 5th cut point of a long operation).
static void sweep(const struct geo *g)
{
    struct sweep sw = { .cuts = 0 };
    struct cdev c;
    if (getenv("EXT2_REPAIR_QUICK"))
        return;
    sw.base = make_base(g, &sw.len);
    sw.work = malloc(sw.len);
    for (int s = 0; s < S_COUNT; s++)
        for (int warm = 0; warm < 3; warm++) {
            memcpy(sw.work, sw.base, sw.len);
            CHECK(c_mount(&c, sw.work, sw.len) == 0);
            warm_cache(&c.fs, warm);
            c.cut = LONG_MAX;                               // count the operation's writes
            run_op(&c.fs, s);
            long total = c.writes;
            c_unmount(&c);
            CHECK(total > 2);
            long step = warm && total > 40 ? 5 : 1;
            for (long n = 0; n <= total; n += n + step > total && n < total ? total - n : step)
                for (int fail = 0; fail < (warm ? 1 : 2); fail++)
                    CHECK(one_cut(&sw, s, warm, n, fail));
            if (getenv("EXT2_REPAIR_VERBOSE"))
                printf("# %s %s warm %d: %ld writes\n", g->opts, s_names[s], warm, total);
        }
    printf("# %s: %ld cuts\n", g->opts, sw.cuts);
    free(sw.base);
    free(sw.work);
}

TEST(zcrash_sweep_1k) { sweep(&(struct geo){ "-b 1024 -I 128 -N 512", "8M", 1024 }); }
TEST(zcrash_sweep_4k) { sweep(&(struct geo){ "-b 4096 -I 256 -N 512", "12M", 4096 }); }

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
