// The crash sweep of the ext2 repair tests: a tree made by completed
// operations, the operations to cut (one of each kind), and what must hold
// after a cut anywhere in them and the repair at the next mount.
#ifndef EXT2_SWEEP_H
#define EXT2_SWEEP_H
#include "crash.h"

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

struct sweep { uint8_t *base, *work; uint64_t len; long cuts; };

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

#endif
