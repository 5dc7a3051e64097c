// Host tests for the ext2 library's name space: many files in a growing
// directory, mkdir/rmdir, unlink, rename, symbolic links (made by mkfs -d
// from real ones and by the library), readdir and create's cases. Every
// image changed is checked with e2fsck -fn.
#include "ext2/harness.h"

// Inode and free counts, to check that an operation and its undo cancel out.
struct counts { uint64_t blocks, inodes; };

static struct counts counts_of(struct ext2 *fs)
{
    struct fs_statfs s;
    ext2_statfs(fs, &s);
    return (struct counts){ s.free_blocks, s.free_inodes };
}

static uint32_t links_of(struct ext2 *fs, const char *path)
{
    struct fs_stat st;
    long ino = ext2_lookup(fs, path);
    return ino > 0 && ext2_stat(fs, (uint64_t)ino, &st) == 0 ? st.nlink : 0;
}

// Lists directory path: entries seen, with a bitmap of the names "f%03d".
static int list_dir(struct ext2 *fs, const char *path, uint8_t *seen, int max)
{
    struct fs_dirent de;
    uint64_t pos = 0, next;
    int n = 0;
    long d = ext2_lookup(fs, path), r;
    while ((r = ext2_readdir(fs, (uint64_t)d, pos, &de, &next)) == 1) {
        int i;
        if (next <= pos || de.namelen != strlen(de.name))
            return -1;
        if (sscanf(de.name, "file_with_a_longish_name_%d", &i) == 1 && i >= 0 && i < max)
            seen[i]++;
        pos = next;
        n++;
    }
    return r == 0 ? n : (int)r;
}

static void many_files(const char *opts, const char *name)
{
    char img[256], p[300];
    struct hdev h;
    uint8_t seen[400] = { 0 };
    h_path(img, name);
    CHECK_EQ(h_mkfs(img, opts, "8M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    struct counts c0 = counts_of(&h.fs);
    CHECK(ext2_mkdir(&h.fs, "/d") > 0);
    for (int i = 0; i < 400; i++) {
        snprintf(p, sizeof(p), "/d/file_with_a_longish_name_%03d", i);
        long ino = ext2_create(&h.fs, p, 1);
        CHECK(ino > 0);
        CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 0, p, strlen(p)), strlen(p));
    }
    struct fs_stat st;
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)ext2_lookup(&h.fs, "/d"), &st), 0);
    CHECK(st.size >= 4 * h.fs.block_size);
    CHECK_EQ(list_dir(&h.fs, "/d", seen, 400), 400);
    for (int i = 0; i < 400; i++)
        CHECK_EQ(seen[i], 1);
    for (int i = 0; i < 400; i += 2) {
        snprintf(p, sizeof(p), "/d/file_with_a_longish_name_%03d", i);
        CHECK_EQ(ext2_unlink(&h.fs, p), 0);
        CHECK_EQ(ext2_lookup(&h.fs, p), -ENOENT);
    }
    memset(seen, 0, sizeof(seen));
    CHECK_EQ(list_dir(&h.fs, "/d", seen, 400), 200);
    CHECK(seen[1] == 1 && seen[0] == 0 && seen[399] == 1);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK(h_cat_is(img, "/d/file_with_a_longish_name_123", "/d/file_with_a_longish_name_123", 31));
    CHECK_EQ(h_open(&h, img), 0);
    for (int i = 0; i < 400; i++) {
        snprintf(p, sizeof(p), "/d/file_with_a_longish_name_%03d", i);
        CHECK_EQ(ext2_unlink(&h.fs, p), i % 2 ? 0 : -ENOENT);
    }
    CHECK_EQ(list_dir(&h.fs, "/d", seen, 400), 0);
    CHECK_EQ(ext2_rmdir(&h.fs, "/d"), 0);
    struct counts c1 = counts_of(&h.fs);
    CHECK_EQ(c1.blocks, c0.blocks);
    CHECK_EQ(c1.inodes, c0.inodes);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(many_files_1k) { many_files("-b 1024 -I 128", "many1k.img"); }
TEST(many_files_4k) { many_files("-b 4096 -I 256", "many4k.img"); }

TEST(mkdir_rmdir)
{
    char img[256];
    struct hdev h;
    h_path(img, "mkdir.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    struct counts c0 = counts_of(&h.fs);
    uint32_t root_links = links_of(&h.fs, "/");
    CHECK(ext2_mkdir(&h.fs, "/a") > 0);
    CHECK(ext2_mkdir(&h.fs, "/a/b") > 0);
    long c = ext2_mkdir(&h.fs, "/a/b/c");
    CHECK(c > 0);
    CHECK_EQ(ext2_lookup(&h.fs, "/a/b/c"), c);
    CHECK_EQ(ext2_lookup(&h.fs, "/a/b/c/.."), ext2_lookup(&h.fs, "/a/b"));
    CHECK_EQ(links_of(&h.fs, "/"), root_links + 1);
    CHECK_EQ(links_of(&h.fs, "/a"), 3);
    CHECK_EQ(links_of(&h.fs, "/a/b/c"), 2);
    CHECK_EQ(ext2_mkdir(&h.fs, "/a"), -EEXIST);
    CHECK_EQ(ext2_mkdir(&h.fs, "/x/y"), -ENOENT);
    CHECK(ext2_create(&h.fs, "/a/file", 0) > 0);
    CHECK_EQ(ext2_mkdir(&h.fs, "/a/file/z"), -ENOTDIR);
    CHECK_EQ(ext2_rmdir(&h.fs, "/a"), -ENOTEMPTY);
    CHECK_EQ(ext2_rmdir(&h.fs, "/a/file"), -ENOTDIR);
    CHECK_EQ(ext2_rmdir(&h.fs, "/"), -EBUSY);
    CHECK_EQ(ext2_rmdir(&h.fs, "/a/nothing"), -ENOENT);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_rmdir(&h.fs, "/a/b/c"), 0);
    CHECK_EQ(links_of(&h.fs, "/a/b"), 2);
    CHECK_EQ(ext2_rmdir(&h.fs, "/a/b"), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/a/file"), 0);
    CHECK_EQ(ext2_rmdir(&h.fs, "/a"), 0);
    CHECK_EQ(links_of(&h.fs, "/"), root_links);
    struct counts c1 = counts_of(&h.fs);
    CHECK_EQ(c1.blocks, c0.blocks);
    CHECK_EQ(c1.inodes, c0.inodes);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(unlink_and_hard_links)
{
    char img[256], src[256], p[300];
    struct hdev h;
    uint8_t *data = h_pattern(300 * 1024, 9);
    h_path(src, "tree_u");
    snprintf(p, sizeof(p), "%s/one", src);
    h_put_file(p, data, 300 * 1024);
    CHECK_EQ(h_sh("ln %s/one %s/two && mkdir -p %s/dir", src, src, src), 0);
    h_path(img, "unlink.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", src), 0);
    CHECK_EQ(h_open(&h, img), 0);
    struct counts c0 = counts_of(&h.fs);
    CHECK_EQ(ext2_lookup(&h.fs, "/one"), ext2_lookup(&h.fs, "/two"));
    CHECK_EQ(links_of(&h.fs, "/one"), 2);
    CHECK_EQ(ext2_unlink(&h.fs, "/one"), 0);
    CHECK_EQ(links_of(&h.fs, "/two"), 1);
    CHECK_EQ(counts_of(&h.fs).blocks, c0.blocks);
    CHECK_EQ(ext2_unlink(&h.fs, "/dir"), -EISDIR);
    CHECK_EQ(ext2_unlink(&h.fs, "/"), -EISDIR);
    CHECK_EQ(ext2_unlink(&h.fs, "/one"), -ENOENT);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK(h_cat_is(img, "/two", data, 300 * 1024));
    CHECK_EQ(h_open(&h, img), 0);
    long ino = ext2_lookup(&h.fs, "/two");
    CHECK_EQ(ext2_unlink(&h.fs, "/two"), 0);
    CHECK_EQ(counts_of(&h.fs).blocks, c0.blocks + 300 + 3);     // data + 3 indirect blocks
    CHECK_EQ(counts_of(&h.fs).inodes, c0.inodes + 1);
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)ino, 0, data, 10), -ESTALE);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    free(data);
}

static long put_text(struct ext2 *fs, const char *path, const char *text)
{
    long ino = ext2_create(fs, path, 0);
    if (ino > 0) {
        ext2_truncate(fs, (uint64_t)ino, 0);
        ext2_write(fs, (uint64_t)ino, 0, text, strlen(text));
    }
    return ino;
}

TEST(rename_files_and_dirs)
{
    char img[256];
    struct hdev h;
    uint8_t *big = h_pattern(300 * 1024, 4);
    h_path(img, "rename.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long a = put_text(&h.fs, "/a", "AAA");
    CHECK_EQ(ext2_rename(&h.fs, "/a", "/b"), 0);
    CHECK_EQ(ext2_lookup(&h.fs, "/a"), -ENOENT);
    CHECK_EQ(ext2_lookup(&h.fs, "/b"), a);
    struct counts c0 = counts_of(&h.fs);
    long y = ext2_create(&h.fs, "/y", 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)y, 0, big, 300 * 1024), 300 * 1024);
    CHECK_EQ(ext2_rename(&h.fs, "/b", "/y"), 0);                 // replaces /y
    CHECK_EQ(ext2_lookup(&h.fs, "/y"), a);
    CHECK_EQ(ext2_lookup(&h.fs, "/b"), -ENOENT);
    CHECK_EQ(counts_of(&h.fs).blocks, c0.blocks);
    CHECK_EQ(counts_of(&h.fs).inodes, c0.inodes);
    CHECK_EQ(ext2_rename(&h.fs, "/y", "/y"), 0);
    CHECK(ext2_mkdir(&h.fs, "/p") > 0 && ext2_mkdir(&h.fs, "/p/q") > 0 && ext2_mkdir(&h.fs, "/r") > 0);
    put_text(&h.fs, "/p/q/f", "inside q");
    long q = ext2_lookup(&h.fs, "/p/q");
    CHECK_EQ(ext2_rename(&h.fs, "/p/q", "/r/q"), 0);              // directory move
    CHECK_EQ(ext2_lookup(&h.fs, "/r/q"), q);
    CHECK_EQ(ext2_lookup(&h.fs, "/r/q/.."), ext2_lookup(&h.fs, "/r"));
    CHECK_EQ(links_of(&h.fs, "/p"), 2);
    CHECK_EQ(links_of(&h.fs, "/r"), 3);
    CHECK_EQ(ext2_rename(&h.fs, "/r", "/r/q/z"), -EINVAL);
    CHECK_EQ(ext2_rename(&h.fs, "/r", "/r/q"), -EINVAL);
    CHECK_EQ(ext2_rename(&h.fs, "/p", "/r"), -ENOTEMPTY);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK(h_cat_is(img, "/r/q/f", "inside q", 8));
    CHECK(h_cat_is(img, "/y", "AAA", 3));
    free(big);
}

TEST(rename_replace_rules)
{
    char img[256];
    struct hdev h;
    h_path(img, "rename2.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256", "8M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(ext2_mkdir(&h.fs, "/d1") > 0 && ext2_mkdir(&h.fs, "/d2") > 0 && ext2_mkdir(&h.fs, "/full") > 0);
    put_text(&h.fs, "/full/x", "x");
    put_text(&h.fs, "/f", "file");
    uint32_t root = links_of(&h.fs, "/");
    CHECK_EQ(ext2_rename(&h.fs, "/f", "/d1"), -EISDIR);
    CHECK_EQ(ext2_rename(&h.fs, "/d1", "/f"), -ENOTDIR);
    CHECK_EQ(ext2_rename(&h.fs, "/d1", "/full"), -ENOTEMPTY);
    CHECK_EQ(ext2_rename(&h.fs, "/missing", "/m2"), -ENOENT);
    CHECK_EQ(ext2_rename(&h.fs, "/f", "/nodir/f"), -ENOENT);
    CHECK_EQ(ext2_rename(&h.fs, "/", "/x"), -EBUSY);
    long d1 = ext2_lookup(&h.fs, "/d1");
    CHECK_EQ(ext2_rename(&h.fs, "/d1", "/d2"), 0);                 // replaces the empty /d2
    CHECK_EQ(ext2_lookup(&h.fs, "/d2"), d1);
    CHECK_EQ(links_of(&h.fs, "/"), root - 1);
    CHECK_EQ(ext2_rename(&h.fs, "/d2", "/full/d2"), 0);
    CHECK_EQ(links_of(&h.fs, "/full"), 3);
    CHECK_EQ(ext2_rename(&h.fs, "/f", "/full/d2/f"), 0);
    CHECK_EQ(ext2_rename(&h.fs, "/full", "/renamed"), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK(h_cat_is(img, "/renamed/d2/f", "file", 4));
}

// A tree with real symbolic links for mkfs -d.
static const char *link_tree(void)
{
    static char src[256];
    char p[300], slow[200] = "";
    if (src[0])
        return src;
    h_path(src, "tree_l");
    snprintf(p, sizeof(p), "%s/t.txt", src);
    h_put_file(p, "target\n", 7);
    snprintf(p, sizeof(p), "%s/sub/inner.txt", src);
    h_put_file(p, "inner\n", 6);
    for (int i = 0; i < 40; i++)
        strcat(slow, "./");
    strcat(slow, "t.txt");
    h_sh("cd %s && ln -s t.txt fast && ln -s %s slow && ln -s sub dl && ln -s /sub/inner.txt abs"
         " && ln -s ../t.txt sub/up && ln -s l2 l1 && ln -s l1 l2 && ln -s nowhere dang", src, slow);
    return src;
}

TEST(symlinks_from_mkfs)
{
    char img[256], buf[300];
    struct hdev h;
    struct fs_stat st;
    h_path(img, "links.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", link_tree()), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long t = ext2_lookup(&h.fs, "/t.txt"), fast = ext2_lookup_nofollow(&h.fs, "/fast");
    long slow = ext2_lookup_nofollow(&h.fs, "/slow");
    CHECK(t > 0 && fast > 0 && fast != t);
    CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)fast, buf, sizeof(buf)), 5);
    CHECK_STR(buf, "t.txt");
    CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)slow, buf, sizeof(buf)), 85);
    CHECK(!strncmp(buf, "./././", 6) && !strcmp(buf + 80, "t.txt"));
    CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)slow, buf, 4), 4);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)slow, &st), 0);
    CHECK(st.type == FS_TYPE_LINK && st.blocks > 0);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)fast, &st), 0);
    CHECK(st.type == FS_TYPE_LINK && st.blocks == 0 && st.size == 5);
    CHECK_EQ(ext2_lookup(&h.fs, "/fast"), t);
    CHECK_EQ(ext2_lookup(&h.fs, "/slow"), t);
    CHECK_EQ(ext2_lookup(&h.fs, "/dl/inner.txt"), ext2_lookup(&h.fs, "/sub/inner.txt"));
    CHECK_EQ(ext2_lookup(&h.fs, "/abs"), ext2_lookup(&h.fs, "/sub/inner.txt"));
    CHECK_EQ(ext2_lookup(&h.fs, "/sub/up"), t);
    CHECK_EQ(ext2_lookup(&h.fs, "/dl/up"), t);
    CHECK_EQ(ext2_lookup(&h.fs, "/l1"), -ELOOP);
    CHECK_EQ(ext2_lookup(&h.fs, "/l1/x"), -ELOOP);
    CHECK(ext2_lookup_nofollow(&h.fs, "/l1") > 0);
    CHECK_EQ(ext2_lookup(&h.fs, "/dang"), -ENOENT);
    CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)t, buf, sizeof(buf)), -EINVAL);
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)fast, 0, buf, 10), -EINVAL);
    CHECK_EQ(ext2_create(&h.fs, "/fast", 0), t);                   // through the link
    CHECK_EQ(ext2_create(&h.fs, "/dl", 0), -EISDIR);
    CHECK(ext2_create(&h.fs, "/dl/new", 0) > 0);
    CHECK(ext2_lookup(&h.fs, "/sub/new") > 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(symlinks_made_by_library)
{
    char img[256], buf[300], longt[200];
    struct hdev h;
    h_path(img, "links2.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", link_tree()), 0);
    CHECK_EQ(h_open(&h, img), 0);
    struct counts c0 = counts_of(&h.fs);
    memset(longt, 'a', 150);
    strcpy(longt + 150, "/../t.txt");
    CHECK(ext2_symlink(&h.fs, "/s1", "t.txt") > 0);
    CHECK(ext2_symlink(&h.fs, "/s2", longt) > 0);
    CHECK(ext2_symlink(&h.fs, "/s3", "/sub") > 0);
    CHECK_EQ(ext2_symlink(&h.fs, "/s1", "x"), -EEXIST);
    CHECK_EQ(ext2_lookup(&h.fs, "/s1"), ext2_lookup(&h.fs, "/t.txt"));
    CHECK_EQ(ext2_lookup(&h.fs, "/s3/inner.txt"), ext2_lookup(&h.fs, "/sub/inner.txt"));
    CHECK_EQ(ext2_readlink(&h.fs, (uint64_t)ext2_lookup_nofollow(&h.fs, "/s2"), buf, sizeof(buf)), 159);
    CHECK_STR(buf, longt);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_rename(&h.fs, "/s1", "/s1b"), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/s1b"), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/s2"), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/s3"), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/slow"), 0);                      // frees its block
    CHECK_EQ(ext2_unlink(&h.fs, "/dl"), 0);                        // the link, not the dir
    CHECK(ext2_lookup(&h.fs, "/sub") > 0);
    struct counts c1 = counts_of(&h.fs);
    CHECK_EQ(c1.blocks, c0.blocks + 1);
    CHECK_EQ(c1.inodes, c0.inodes + 2);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(readdir_lists_tree)
{
    char img[256];
    struct hdev h;
    struct fs_dirent de;
    uint64_t pos = 0, next;
    h_path(img, "readdir.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", link_tree()), 0);
    CHECK_EQ(h_open(&h, img), 0);
    const char *want[] = { "lost+found", "t.txt", "sub", "fast", "slow", "dl", "abs", "l1", "l2", "dang" };
    const uint32_t types[] = { FS_TYPE_DIR, FS_TYPE_FILE, FS_TYPE_DIR, FS_TYPE_LINK, FS_TYPE_LINK,
                               FS_TYPE_LINK, FS_TYPE_LINK, FS_TYPE_LINK, FS_TYPE_LINK, FS_TYPE_LINK };
    int found[10] = { 0 }, n = 0;
    while (ext2_readdir(&h.fs, EXT2_ROOT_INO, pos, &de, &next) == 1) {
        CHECK(strcmp(de.name, ".") && strcmp(de.name, ".."));
        char path[300];
        snprintf(path, sizeof(path), "/%s", de.name);
        CHECK_EQ((long)de.ino, ext2_lookup_nofollow(&h.fs, path));
        for (int i = 0; i < 10; i++)
            if (!strcmp(de.name, want[i])) {
                found[i]++;
                CHECK_EQ(de.type, types[i]);
            }
        pos = next;
        n++;
    }
    CHECK_EQ(n, 10);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(found[i], 1);
    CHECK_EQ(ext2_readdir(&h.fs, EXT2_ROOT_INO, 1ull << 40, &de, &next), 0);
    CHECK_EQ(ext2_readdir(&h.fs, (uint64_t)ext2_lookup(&h.fs, "/t.txt"), 0, &de, &next), -ENOTDIR);
    CHECK(h_close(&h, 1));
}

TEST(create_cases)
{
    char img[256], name[300];
    struct hdev h;
    h_path(img, "create.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long f = ext2_create(&h.fs, "/f", 0);
    CHECK(f > 0);
    CHECK_EQ(ext2_create(&h.fs, "/f", 0), f);
    CHECK_EQ(ext2_create(&h.fs, "/f", 1), -EEXIST);
    CHECK_EQ(ext2_create(&h.fs, "/lost+found", 0), -EISDIR);
    CHECK_EQ(ext2_create(&h.fs, "/", 0), -EISDIR);
    CHECK_EQ(ext2_create(&h.fs, "/none/f", 0), -ENOENT);
    CHECK_EQ(ext2_create(&h.fs, "/f/g", 0), -ENOTDIR);
    CHECK_EQ(ext2_create(&h.fs, "relative", 0), -EINVAL);
    name[0] = '/';
    memset(name + 1, 'n', 256);
    name[257] = 0;
    CHECK_EQ(ext2_create(&h.fs, name, 0), -ENAMETOOLONG);
    name[256] = 0;                                             // 255 characters: fine
    long l = ext2_create(&h.fs, name, 0);
    CHECK(l > 0);
    CHECK_EQ(ext2_lookup(&h.fs, name), l);
    struct fs_stat st;
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)f, &st), 0);
    CHECK(st.mode == 0644 && st.nlink == 1 && st.size == 0 && st.mtime == 1700000000);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

// A directory indexed by e2fsck -D (htree): read linearly, and changed as
// a plain directory (the index flag is dropped). A FIFO keeps its entry type.
TEST(htree_directory_and_fifo)
{
    char img[256], src[256], p[300], cmd[400];
    struct hdev h;
    struct fs_stat st;
    uint8_t seen[400] = { 0 };
    h_path(src, "tree_h");
    for (int i = 0; i < 300; i++) {
        snprintf(p, sizeof(p), "%s/big/file_with_a_longish_name_%03d", src, i);
        h_put_file(p, "e", 1);
    }
    CHECK_EQ(h_sh("mkfifo %s/fifo", src), 0);
    h_path(img, "htree.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", src), 0);
    CHECK(h_sh("e2fsck -fyD %s >/dev/null 2>&1", img) < 4);
    snprintf(cmd, sizeof(cmd), "debugfs -R 'stat /big' %s", img);
    CHECK_EQ(h_field(cmd, "Flags: 0x"), 1000);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(ext2_lookup(&h.fs, "/big/file_with_a_longish_name_123") > 0);
    CHECK_EQ(list_dir(&h.fs, "/big", seen, 400), 300);
    for (int i = 0; i < 300; i += 3) {
        snprintf(p, sizeof(p), "/big/file_with_a_longish_name_%03d", i);
        CHECK_EQ(ext2_unlink(&h.fs, p), 0);
    }
    for (int i = 300; i < 360; i++) {
        snprintf(p, sizeof(p), "/big/file_with_a_longish_name_%03d", i);
        CHECK(ext2_create(&h.fs, p, 1) > 0);
    }
    CHECK_EQ(list_dir(&h.fs, "/big", seen, 400), 260);
    long fifo = ext2_lookup(&h.fs, "/fifo");
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)fifo, &st), 0);
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)fifo, 0, p, 1), -EINVAL);
    CHECK_EQ(ext2_rename(&h.fs, "/fifo", "/big/fifo2"), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(h_field(cmd, "Flags: 0x"), 0);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/big/fifo2"), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}
