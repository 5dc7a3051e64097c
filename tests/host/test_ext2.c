// Host tests for the ext2 library (servers/fs/ext2*.c): mounting, reading
// files made by mkfs.ext2 -d, writing, truncating, the block cache and a
// full disk. Every image changed is checked with e2fsck -fn and its files
// read back with debugfs.
#include "ext2/harness.h"

#define KIB 1024ul
#define MIB (1024ul * 1024)

// A source tree for mkfs -d: small, empty, 300 KiB (double indirect on
// 1 KiB blocks), 100 KiB, a nested file, and big (5 MiB) when big is set.
static const char *make_tree(const char *name, int big)
{
    static char dir[256];
    char p[512];
    h_path(dir, name);
    uint8_t *b = h_pattern(5 * MIB, 7);
    snprintf(p, sizeof(p), "%s/small.txt", dir);
    h_put_file(p, "hello, ext2\n", 12);
    snprintf(p, sizeof(p), "%s/empty", dir);
    h_put_file(p, "", 0);
    snprintf(p, sizeof(p), "%s/double", dir);
    h_put_file(p, b, 300 * KIB);
    snprintf(p, sizeof(p), "%s/cached", dir);
    h_put_file(p, b + 1000, 100 * KIB);
    snprintf(p, sizeof(p), "%s/a/b/c/nested.txt", dir);
    h_put_file(p, "deep\n", 5);
    if (big) {
        snprintf(p, sizeof(p), "%s/big", dir);
        h_put_file(p, b, 5 * MIB);
    }
    free(b);
    return dir;
}

// Checks that file path of the mounted fs holds data (read in odd pieces).
static int file_is(struct ext2 *fs, const char *path, const uint8_t *data, uint64_t len)
{
    long ino = ext2_lookup(fs, path);
    struct fs_stat st;
    if (ino < 0 || ext2_stat(fs, (uint64_t)ino, &st) < 0 || st.size != len || st.type != FS_TYPE_FILE)
        return 0;
    uint8_t *buf = malloc(len + 10000);
    uint64_t done = 0, piece = 1;
    while (done < len) {
        long n = ext2_read(fs, (uint64_t)ino, done, buf + done, piece);
        if (n <= 0)
            break;
        done += (uint64_t)n;
        piece = piece * 3 + 7;
    }
    int ok = done == len && !memcmp(buf, data, len) &&
             ext2_read(fs, (uint64_t)ino, len, buf, 100) == 0 &&
             ext2_read(fs, (uint64_t)ino, len + 5000, buf, 100) == 0;
    free(buf);
    return ok;
}

static void read_tree(const char *opts, int big)
{
    char img[256];
    struct hdev h;
    const char *src = make_tree(big ? "tree_big" : "tree", big);
    h_path(img, big ? "read_big.img" : "read.img");
    CHECK_EQ(h_mkfs(img, opts, big ? "16M" : "4M", src), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint8_t *b = h_pattern(5 * MIB, 7);
    CHECK(file_is(&h.fs, "/small.txt", (const uint8_t *)"hello, ext2\n", 12));
    CHECK(file_is(&h.fs, "/empty", b, 0));
    CHECK(file_is(&h.fs, "/double", b, 300 * KIB));
    CHECK(file_is(&h.fs, "/cached", b + 1000, 100 * KIB));
    CHECK(file_is(&h.fs, "/a/b/c/nested.txt", (const uint8_t *)"deep\n", 5));
    if (big)
        CHECK(file_is(&h.fs, "/big", b, 5 * MIB));
    CHECK_EQ(ext2_lookup(&h.fs, "/missing"), -ENOENT);
    CHECK_EQ(ext2_lookup(&h.fs, "/small.txt/x"), -ENOTDIR);
    CHECK_EQ(ext2_lookup(&h.fs, "/"), EXT2_ROOT_INO);
    long d = ext2_lookup(&h.fs, "/a");
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)d, 0, b, 10), -EISDIR);
    CHECK_EQ(ext2_read(&h.fs, 5, 0, b, 10), -ESTALE);
    CHECK_EQ(ext2_read(&h.fs, 1u << 30, 0, b, 10), -ESTALE);
    free(b);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

// ext2_read_ref answers a read within one block from the cache (the
// same bytes as ext2_read), and leaves any other read to ext2_read.
static void read_refs(const char *opts, uint64_t bs)
{
    char img[256];
    struct hdev h;
    const char *src = make_tree("tree_ref", 0);
    h_path(img, "ref.img");
    CHECK_EQ(h_mkfs(img, opts, "4M", src), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint8_t *b = h_pattern(5 * MIB, 7);
    long ino = ext2_lookup(&h.fs, "/double");
    const void *at = NULL;
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 2 * bs, bs, &at), (long)bs);
    CHECK(at && !memcmp(at, b + 2 * bs, bs));
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 3 * bs + 10, 100, &at), 100);
    CHECK(at && !memcmp(at, b + 3 * bs + 10, 100));
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, bs - 10, 20, &at), 0);    // two blocks
    CHECK(at == NULL);
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 300 * KIB - 5, 100, &at), 5);  // the end
    CHECK(at && !memcmp(at, b + 300 * KIB - 5, 5));
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 300 * KIB, 100, &at), 0);
    CHECK(at == NULL);
    CHECK_EQ(ext2_read_ref(&h.fs, EXT2_ROOT_INO, 0, 10, &at), -EISDIR);
    // what it remembers of the last read follows every change to the file
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 2 * bs, 100, &at), 100);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 2 * bs, "changed", 7), 7);
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 2 * bs, 100, &at), 100);
    CHECK(at && !memcmp(at, "changed", 7) && !memcmp((const uint8_t *)at + 7, b + 2 * bs + 7, 93));
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 2 * bs + 50), 0);
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 2 * bs, 100, &at), 50);    // the new end
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 4 * bs), 0);               // a hole after it
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 3 * bs, 100, &at), 0);
    CHECK(at == NULL);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 3 * bs, "filled", 6), 6);
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 3 * bs, 6, &at), 6);
    CHECK(at && !memcmp(at, "filled", 6));
    CHECK_EQ(ext2_unlink(&h.fs, "/double"), 0);
    CHECK_EQ(ext2_read_ref(&h.fs, (uint64_t)ino, 3 * bs, 6, &at), -ESTALE);
    free(b);
    CHECK(h_close(&h, 1));
}

TEST(read_ref_4k) { read_refs("-b 4096 -I 256", 4096); }
TEST(read_ref_1k) { read_refs("-b 1024 -I 128", 1024); }

TEST(read_mkfs_files_1k) { read_tree("-b 1024 -I 128", 0); }
TEST(read_mkfs_files_4k_double_indirect) { read_tree("-b 4096 -I 256", 1); }
TEST(read_mkfs_files_2k) { read_tree("-b 2048 -I 256", 0); }

TEST(statfs_and_stat)
{
    char img[256], cmd[400];
    struct hdev h;
    struct fs_statfs s;
    struct fs_stat st;
    h_path(img, "statfs.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", make_tree("tree_s", 0)), 0);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_statfs(&h.fs, &s), 0);
    snprintf(cmd, sizeof(cmd), "dumpe2fs -h %s", img);
    CHECK_STR(s.type, "ext2");
    CHECK_EQ(s.block_size, 1024);
    CHECK_EQ(s.blocks, 4096);
    CHECK_EQ(s.free_blocks, h_field(cmd, "Free blocks:"));
    CHECK_EQ(s.inodes, h_field(cmd, "Inode count:"));
    CHECK_EQ(s.free_inodes, h_field(cmd, "Free inodes:"));
    long ino = ext2_lookup(&h.fs, "/double");
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)ino, &st), 0);
    snprintf(cmd, sizeof(cmd), "debugfs -R 'stat /double' %s", img);
    CHECK_EQ(st.ino, ino);
    CHECK_EQ(st.size, 300 * KIB);
    CHECK_EQ(st.blocks, h_field(cmd, "Blockcount: "));
    CHECK_EQ(st.nlink, 1);
    CHECK_EQ(st.type, FS_TYPE_FILE);
    struct stat hs;
    char src[512];
    snprintf(src, sizeof(src), "%s/tree_s/double", h_dir());
    CHECK(stat(src, &hs) == 0 && st.mode == (hs.st_mode & 07777));
    CHECK_EQ(ext2_stat(&h.fs, EXT2_ROOT_INO, &st), 0);
    CHECK_EQ(st.type, FS_TYPE_DIR);
    CHECK_EQ(st.nlink, 4);                       // ., .., lost+found/.., a/..
    CHECK(h_close(&h, 1));
}

TEST(write_append_overwrite)
{
    char img[256];
    struct hdev h;
    uint8_t *model = calloc(1, 30000), *data = h_pattern(30000, 3);
    h_path(img, "write.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long ino = ext2_create(&h.fs, "/f", 0);
    CHECK(ino > 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 0, data, 5000), 5000);
    memcpy(model, data, 5000);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 5000, data + 9000, 3000), 3000);
    memcpy(model + 5000, data + 9000, 3000);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 1000, data + 20000, 100), 100);
    memcpy(model + 1000, data + 20000, 100);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 20000, data, 1), 1);   // leaves a hole
    model[20000] = data[0];
    CHECK(file_is(&h.fs, "/f", model, 20001));
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 0, data, 0), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK(h_cat_is(img, "/f", model, 20001));
    free(model);
    free(data);
}

TEST(write_double_indirect_and_2k)
{
    const char *opts[] = { "-b 1024 -I 128", "-b 2048 -I 256", "-b 4096 -I 256" };
    for (int k = 0; k < 3; k++) {
        char img[256], name[32];
        struct hdev h;
        uint64_t len = 600 * KIB + 123;
        uint8_t *data = h_pattern(len, 11);
        snprintf(name, sizeof(name), "wdi%d.img", k);
        h_path(img, name);
        CHECK_EQ(h_mkfs(img, opts[k], "8M", NULL), 0);
        CHECK_EQ(h_open(&h, img), 0);
        long ino = ext2_create(&h.fs, "/big", 1);
        for (uint64_t off = 0; off < len; off += 65536) {
            uint64_t n = len - off < 65536 ? len - off : 65536;
            CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, off, data + off, n), n);
        }
        CHECK(file_is(&h.fs, "/big", data, len));
        CHECK(h_close(&h, 1));
        CHECK(h_fsck(img));
        CHECK(h_cat_is(img, "/big", data, len));
        free(data);
    }
}

// Writes 4 KiB at offset off (a triple indirect block), checks it with
// debugfs bmap, then truncates the file away.
static void sparse_huge(const char *opts, const char *name, uint64_t off)
{
    char img[256], cmd[400];
    struct hdev h;
    struct fs_stat st;
    uint8_t *data = h_pattern(4096, 5), back[4096];
    h_path(img, name);
    CHECK_EQ(h_mkfs(img, opts, "8M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint64_t free0 = h_free_blocks(&h.fs), bs = h.fs.block_size;
    long ino = ext2_create(&h.fs, "/sparse", 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, off, data, 4096), 4096);
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)ino, off, back, 4096), 4096);
    CHECK(!memcmp(back, data, 4096));
    CHECK_EQ(ext2_read(&h.fs, (uint64_t)ino, off - 4096, back, 4096), 4096);
    CHECK(back[0] == 0 && !memcmp(back, back + 1, 4095));
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)ino, &st), 0);
    CHECK_EQ(st.size, off + 4096);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    snprintf(cmd, sizeof(cmd), "debugfs -R 'bmap /sparse %llu' %s", (unsigned long long)(off / bs), img);
    long long blk = h_field(cmd, "");
    size_t n;
    uint8_t *whole = h_slurp(img, &n);
    CHECK(blk > 0 && (uint64_t)blk * bs + 4096 <= n);
    if (blk > 0 && (uint64_t)blk * bs + 4096 <= n)
        CHECK(!memcmp(whole + blk * bs, data, 4096));
    free(whole);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 10), 0);
    CHECK_EQ(h_free_blocks(&h.fs), free0);       // the triple indirect tree is gone
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    free(data);
}

TEST(triple_indirect_1k) { sparse_huge("-b 1024 -I 128", "triple1k.img", 100 * MIB); }
TEST(triple_indirect_4k_large_file) { sparse_huge("-b 4096 -I 256 -O ^large_file", "triple4k.img", 5ull << 30); }

TEST(truncate_shrink_grow)
{
    char img[256];
    struct hdev h;
    uint64_t len = 600 * KIB;
    uint8_t *data = h_pattern(len, 13), *model = calloc(1, len);
    h_path(img, "trunc.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint64_t free0 = h_free_blocks(&h.fs);
    long ino = ext2_create(&h.fs, "/t", 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 0, data, len), len);
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 1000), 0);
    CHECK_EQ(h_free_blocks(&h.fs), free0 - 1);
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 100000), 0);     // sparse growth
    memcpy(model, data, 1000);
    CHECK(file_is(&h.fs, "/t", model, 100000));
    CHECK_EQ(h_free_blocks(&h.fs), free0 - 1);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 99000, data, 1000), 1000);
    memcpy(model + 99000, data, 1000);
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 500), 0);          // cut inside a block
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 3000), 0);         // the tail reads zeros
    memset(model + 500, 0, len - 500);
    CHECK(file_is(&h.fs, "/t", model, 3000));
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK(h_cat_is(img, "/t", model, 3000));
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)ino, 0), 0);
    CHECK_EQ(h_free_blocks(&h.fs), free0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    free(data);
    free(model);
}

TEST(cache_second_read_hits)
{
    char img[256];
    struct hdev h;
    uint64_t hits0, miss0, hits1, miss1, len;
    h_path(img, "cache.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "4M", make_tree("tree_c", 0)), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint8_t *a = h_read_all(&h.fs, "/cached", &len);
    ext2_cache_stats(&h.fs, &hits0, &miss0);
    uint64_t reads0 = h.reads;
    uint8_t *b = h_read_all(&h.fs, "/cached", &len);
    ext2_cache_stats(&h.fs, &hits1, &miss1);
    CHECK(a && b && len == 100 * KIB && !memcmp(a, b, len));
    CHECK(miss0 > 100);
    CHECK_EQ(miss1, miss0);
    CHECK(hits1 >= hits0 + 100);
    CHECK_EQ(h.reads, reads0);                   // no device read the second time
    free(a);
    free(b);
    long ino = ext2_create(&h.fs, "/w", 0);      // write-through: on the device at once
    uint64_t writes0 = h.writes;
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)ino, 0, "abc", 3), 3);
    CHECK(h.writes > writes0);
    CHECK(h_cat_is(img, "/w", "abc", 3));
    CHECK(h_close(&h, 1));
}

TEST(disk_full)
{
    char img[256];
    struct hdev h;
    uint8_t *chunk = h_pattern(65536, 17);
    h_path(img, "full.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "1M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint64_t free0 = h_free_blocks(&h.fs), total = 0;
    long ino = ext2_create(&h.fs, "/fill", 0), n;
    while ((n = ext2_write(&h.fs, (uint64_t)ino, total, chunk, 65536)) > 0)
        total += (uint64_t)n;
    CHECK_EQ(n, -ENOSPC);
    CHECK_EQ(h_free_blocks(&h.fs), 0);
    CHECK(total > 800 * KIB);
    CHECK_EQ(ext2_create(&h.fs, "/another", 0) > 0, 1);          // inodes left, no block needed
    CHECK_EQ(ext2_mkdir(&h.fs, "/nodir"), -ENOSPC);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(ext2_unlink(&h.fs, "/fill"), 0);
    CHECK_EQ(h_free_blocks(&h.fs), free0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    free(chunk);
}

TEST(revision0_and_no_filetype)
{
    const char *opts[] = { "-b 1024 -r 0", "-b 1024 -I 128 -O ^filetype", "-b 4096 -I 256 -O ^filetype" };
    for (int k = 0; k < 3; k++) {
        char img[256], name[32];
        struct hdev h;
        struct fs_dirent de;
        uint64_t next;
        snprintf(name, sizeof(name), "rev%d.img", k);
        h_path(img, name);
        CHECK_EQ(h_mkfs(img, opts[k], "4M", NULL), 0);
        CHECK_EQ(h_open(&h, img), 0);
        CHECK_EQ(h.fs.filetype, 0);
        long f = ext2_create(&h.fs, "/file", 0);
        CHECK(ext2_mkdir(&h.fs, "/dir") > 0);
        CHECK_EQ(ext2_write(&h.fs, (uint64_t)f, 0, "data", 4), 4);
        CHECK_EQ(ext2_rename(&h.fs, "/file", "/dir/moved"), 0);
        long d = ext2_lookup(&h.fs, "/dir");
        CHECK_EQ(ext2_readdir(&h.fs, (uint64_t)d, 0, &de, &next), 1);
        CHECK_STR(de.name, "moved");
        CHECK_EQ(de.type, FS_TYPE_FILE);
        CHECK_EQ(ext2_readdir(&h.fs, (uint64_t)d, next, &de, &next), 0);
        CHECK(h_close(&h, 1));
        CHECK(h_fsck(img));
        CHECK(h_cat_is(img, "/dir/moved", "data", 4));
    }
}

// The disk fills between an indirect block and its data block: the
// indirect block is given back.
TEST(disk_full_between_indirect_and_data)
{
    char img[256];
    struct hdev h;
    struct fs_stat st;
    uint8_t *chunk = h_pattern(4096, 19);
    uint64_t total = 0;
    long n;
    h_path(img, "full2.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128", "1M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    long a = ext2_create(&h.fs, "/a", 0), b = ext2_create(&h.fs, "/b", 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)b, 0, chunk, 3000), 3000);
    while ((n = ext2_write(&h.fs, (uint64_t)a, total, chunk, 1024)) > 0)
        total += (uint64_t)n;
    CHECK_EQ(ext2_truncate(&h.fs, (uint64_t)b, 2000), 0);
    CHECK_EQ(h_free_blocks(&h.fs), 1);
    long c = ext2_create(&h.fs, "/c", 0);
    CHECK_EQ(ext2_write(&h.fs, (uint64_t)c, 12 * 1024, chunk, 10), -ENOSPC);
    CHECK_EQ(ext2_stat(&h.fs, (uint64_t)c, &st), 0);
    CHECK(st.blocks == 0 && st.size == 0);
    CHECK_EQ(h_free_blocks(&h.fs), 1);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
    free(chunk);
}
