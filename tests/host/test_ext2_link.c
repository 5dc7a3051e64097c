// Host tests for the ext2 library's hard links (ext2_link), permission
// bits (ext2_chmod), owners (ext2_chown) and time stamps (ext2_utimes): link counts as debugfs reads them, data shared by all
// names, the inode freed with its last name, links to symbolic links, the
// error cases, and mode bits kept with the type. Every image changed is
// checked with e2fsck -fn.
#include "ext2/harness.h"

static uint32_t links_of(struct ext2 *fs, const char *path)
{
    struct fs_stat st;
    long ino = ext2_lookup_nofollow(fs, path);
    return ino > 0 && ext2_stat(fs, (uint64_t)ino, &st) == 0 ? st.nlink : 0;
}

static uint64_t free_inodes(struct ext2 *fs)
{
    struct fs_statfs s;
    ext2_statfs(fs, &s);
    return s.free_inodes;
}

// debugfs's view of a field of path's inode ("Links: ", "Mode: ").
static long long dbg_field(const char *img, const char *path, const char *key)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "debugfs -R 'stat %s' %s", path, img);
    return h_field(cmd, key);
}

static void links_on(const char *opts, const char *name)
{
    char img[256], buf[64];
    struct hdev h;
    h_path(img, name);
    CHECK_EQ(h_mkfs(img, opts, "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint64_t free0 = free_inodes(&h.fs);
    long a = ext2_create(&h.fs, "/a", 1);
    CHECK(a > 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)a, 0, "shared data\n", 12), 12);
    CHECK(ext2_mkdir(&h.fs, "/d") > 0);
    CHECK_EQ(ext2_link(&h.fs, "/a", "/b"), a);
    CHECK_EQ(ext2_link(&h.fs, "/b", "/d/c"), a);
    CHECK_EQ(ext2_lookup(&h.fs, "/d/c"), a);
    CHECK_EQ(links_of(&h.fs, "/a"), 3);
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)ext2_lookup(&h.fs, "/d/c"), 0, buf, sizeof(buf)), 12);
    CHECK(!memcmp(buf, "shared data\n", 12));
    CHECK_EQ(ext2_link(&h.fs, "/a", "/b"), -EEXIST);
    CHECK_EQ(ext2_link(&h.fs, "/nothing", "/n2"), -ENOENT);
    CHECK_EQ(ext2_link(&h.fs, "/a", "/nodir/x"), -ENOENT);
    CHECK_EQ(ext2_link(&h.fs, "/d", "/d2"), -EPERM);
    CHECK_EQ(ext2_link(&h.fs, "/a", "/"), -EEXIST);
    CHECK_EQ(links_of(&h.fs, "/d"), 2);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(dbg_field(img, "/b", "Links: "), 3);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/a"), 0);
    CHECK_EQ(links_of(&h.fs, "/b"), 2);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/b"), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/d/c"), 0);
    CHECK_EQ(ext2_lookup(&h.fs, "/d/c"), -ENOENT);
    CHECK_EQ(ext2_rmdir(&h.fs, "/d"), 0);
    CHECK_EQ(free_inodes(&h.fs), free0);                 // freed with its last name
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(hard_links_1k_blocks) { links_on("-b 1024 -I 128", "link1k.img"); }
TEST(hard_links_4k_blocks_big_inodes) { links_on("-b 4096 -I 256", "link4k.img"); }

TEST(hard_link_to_symlink)
{
    char img[256], buf[64];
    struct hdev h;
    h_path(img, "linksym.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long t = ext2_create(&h.fs, "/t", 1);
    long s = ext2_symlink(&h.fs, "/s", "t");
    CHECK(t > 0 && s > 0);
    CHECK_EQ(ext2_link(&h.fs, "/s", "/s2"), s);           // the link itself, not /t
    CHECK_EQ(ext2_lookup_nofollow(&h.fs, "/s2"), s);
    CHECK_EQ(ext2_lookup(&h.fs, "/s2"), t);
    CHECK_EQ(links_of(&h.fs, "/s"), 2);
    CHECK_EQ(links_of(&h.fs, "/t"), 1);
    CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)s, buf, sizeof(buf)), 1);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(chmod_keeps_type)
{
    char img[256];
    struct hdev h;
    struct fs_stat st;
    h_path(img, "chmod.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long f = ext2_create(&h.fs, "/f", 1), d = ext2_mkdir(&h.fs, "/d");
    CHECK(f > 0 && d > 0);
    ext2_set_time(&h.fs, 1700000000);
    CHECK_EQ(ext2_chmod(&h.fs, (uint64_t)f, 04751), 0);
    CHECK_EQ(ext2_chmod(&h.fs, (uint64_t)d, 01700), 0);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)f, &st), 0);
    CHECK_EQ(st.mode, 04751);
    CHECK_EQ(st.type, FS_TYPE_FILE);
    CHECK_EQ(st.ctime, 1700000000);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)d, &st), 0);
    CHECK_EQ(st.mode, 01700);
    CHECK_EQ(st.type, FS_TYPE_DIR);
    CHECK(ext2_create(&h.fs, "/d/inside", 1) > 0);        // still a directory
    CHECK_EQ(ext2_chmod(&h.fs, 9999999, 0644), -ESTALE);
    CHECK_EQ(ext2_chmod(&h.fs, 1, 0644), -ESTALE);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(dbg_field(img, "/f", "Mode:  0"), 4751);
    CHECK_EQ(dbg_field(img, "/d", "Mode:  0"), 1700);
}

TEST(utimes_sets_times)
{
    char img[256];
    struct hdev h;
    struct fs_stat st;
    h_path(img, "utimes.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long f = ext2_create(&h.fs, "/f", 1);
    CHECK(f > 0);
    ext2_set_time(&h.fs, 1800000000);
    CHECK_EQ(ext2_utimes(&h.fs, (uint64_t)f, 1000000000, 1500000000), 0);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)f, &st), 0);
    CHECK_EQ(st.atime, 1000000000);
    CHECK_EQ(st.mtime, 1500000000);
    CHECK_EQ(st.ctime, 1800000000);
    CHECK_EQ(ext2_utimes(&h.fs, (uint64_t)f, -1, 1600000000), 0);      // atime kept
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)f, &st), 0);
    CHECK_EQ(st.atime, 1000000000);
    CHECK_EQ(st.mtime, 1600000000);
    CHECK_EQ(ext2_utimes(&h.fs, 1, 0, 0), -ESTALE);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "debugfs -R 'stat /f' %s 2>/dev/null | grep -i mtime", img);
    char *out = h_run(cmd);
    CHECK(strstr(out, "0x5f5e1000") != NULL);                         // 1600000000
    free(out);
}

TEST(chown_sets_owner)
{
    char img[256];
    struct hdev h;
    struct fs_stat st;
    h_path(img, "chown.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long f = ext2_create(&h.fs, "/f", 1), d = ext2_mkdir(&h.fs, "/d");
    CHECK(f > 0 && d > 0);
    CHECK_EQ(ext2_chmod(&h.fs, (uint64_t)f, 06755), 0);
    CHECK_EQ(ext2_chmod(&h.fs, (uint64_t)d, 06755), 0);
    CHECK_EQ(ext2_chown(&h.fs, (uint64_t)f, 70000, 2000), 0);          // 32-bit ids
    CHECK_EQ(ext2_chown(&h.fs, (uint64_t)d, EXT2_ID_KEEP, 3000), 0);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)f, &st), 0);
    CHECK_EQ(st.uid, 70000);
    CHECK_EQ(st.gid, 2000);
    CHECK_EQ(st.mode, 0755);                                            // set-id bits dropped
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)d, &st), 0);
    CHECK_EQ(st.uid, 0);
    CHECK_EQ(st.gid, 3000);
    CHECK_EQ(st.mode, 06755);                                           // kept on a directory
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "debugfs -R 'stat /f' %s 2>/dev/null", img);
    CHECK_EQ(h_field(cmd, "User: "), 70000);
    CHECK_EQ(h_field(cmd, "Group: "), 2000);
}
