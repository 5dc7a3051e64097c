// Randomised host test for the ext2 library: long sequences of create,
// write, truncate, mkdir, rmdir, unlink, symlink and rename are checked
// against a model of the tree, and at each checkpoint the image is read
// back through the library, checked with e2fsck -fn and sampled with
// debugfs. Names say the type: n* files, d* directories, l* symlinks.
#include "ext2/harness.h"

#define NODES    300
#define DATA_MAX (400 * 1024)

struct node {
    int used, type;                // FS_TYPE_*
    char path[160];
    long ino;
    uint8_t *data;                 // files: DATA_MAX bytes; size below
    uint64_t size;
    char target[160];              // links
};

static struct node nodes[NODES];
static uint32_t seed;
static uint8_t *wbuf;

static uint32_t rnd(uint32_t n)
{
    seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
    return seed % n;
}

static int find(const char *path)
{
    for (int i = 0; i < NODES; i++)
        if (nodes[i].used && !strcmp(nodes[i].path, path))
            return i;
    return -1;
}

static int has_children(const char *dir)
{
    size_t n = strlen(dir);
    for (int i = 1; i < NODES; i++)
        if (nodes[i].used && !strncmp(nodes[i].path, dir, n) && nodes[i].path[n] == '/')
            return 1;
    return 0;
}

// A random node of the given type (0: any but the root); -1 if none.
static int pick(int type)
{
    int c[NODES], n = 0;
    for (int i = type == FS_TYPE_DIR ? 0 : 1; i < NODES; i++)
        if (nodes[i].used && (!type || nodes[i].type == type))
            c[n++] = i;
    return n ? c[rnd((uint32_t)n)] : -1;
}

static void join(char *out, const char *dir, char prefix, uint32_t k)
{
    snprintf(out, 160, "%s/%c%u", strcmp(dir, "/") ? dir : "", prefix, k);
}

static int add(const char *path, int type, long ino)
{
    for (int i = 1; i < NODES; i++)
        if (!nodes[i].used) {
            nodes[i] = (struct node){ .used = 1, .type = type, .ino = ino };
            snprintf(nodes[i].path, sizeof(nodes[i].path), "%s", path);
            if (type == FS_TYPE_FILE)
                nodes[i].data = calloc(1, DATA_MAX);
            return i;
        }
    return -1;
}

static void drop(int i)
{
    free(nodes[i].data);
    nodes[i] = (struct node){ 0 };
}

static int full(void)
{
    for (int i = 1; i < NODES; i++)
        if (!nodes[i].used)
            return 0;
    return 1;
}

static void op_create(struct ext2 *fs, char kind)
{
    char path[160];
    int d = pick(FS_TYPE_DIR);
    join(path, nodes[d].path, kind, rnd(kind == 'd' ? 4 : 8));
    int i = find(path);
    if (i < 0 && (full() || strlen(path) > 150))
        return;
    long r = kind == 'n' ? ext2_create(fs, path, 0) : kind == 'd' ? ext2_mkdir(fs, path)
           : ext2_symlink(fs, path, rnd(2) ? "n1" : "../../some/long/path/to/nowhere/that/is/"
                                                    "longer/than/sixty/characters");
    if (i >= 0) {
        CHECK_EQ(r, kind == 'n' ? nodes[i].ino : -EEXIST);
        return;
    }
    if (r == -ENOSPC)
        return;
    CHECK(r > 0);
    i = add(path, kind == 'n' ? FS_TYPE_FILE : kind == 'd' ? FS_TYPE_DIR : FS_TYPE_LINK, r);
    if (i >= 0 && kind == 'l')
        ext2_readlink(fs, (uint64_t)r, nodes[i].target, sizeof(nodes[i].target) - 1);
}

static void op_write(struct ext2 *fs)
{
    int i = pick(FS_TYPE_FILE);
    if (i < 0)
        return;
    struct node *n = &nodes[i];
    uint64_t off = rnd(3) == 0 ? n->size : rnd(DATA_MAX), len = rnd(3) ? rnd(3000) : rnd(40000);
    len = off + len > DATA_MAX ? DATA_MAX - off : len;
    h_fill(wbuf, len, seed);
    long r = ext2_write(fs, (uint64_t)n->ino, off, wbuf, len);
    CHECK(r == (long)len || r == -ENOSPC || (r >= 0 && r < (long)len));
    if (r > 0) {
        memcpy(n->data + off, wbuf, (size_t)r);
        n->size = off + (uint64_t)r > n->size ? off + (uint64_t)r : n->size;
    }
}

static void op_truncate(struct ext2 *fs)
{
    int i = pick(FS_TYPE_FILE);
    if (i < 0)
        return;
    struct node *n = &nodes[i];
    uint64_t size = rnd(2) ? rnd(DATA_MAX) : rnd(5000);
    CHECK_EQ(ext2_truncate(fs, (uint64_t)n->ino, size), 0);
    if (size < n->size)
        memset(n->data + size, 0, DATA_MAX - size);
    n->size = size;
}

static void op_remove(struct ext2 *fs)
{
    int i = pick(0);
    if (i < 0)
        return;
    if (nodes[i].type == FS_TYPE_DIR) {
        int busy = has_children(nodes[i].path);
        CHECK_EQ(ext2_unlink(fs, nodes[i].path), -EISDIR);
        CHECK_EQ(ext2_rmdir(fs, nodes[i].path), busy ? -ENOTEMPTY : 0);
        if (!busy)
            drop(i);
    } else {
        CHECK_EQ(ext2_rmdir(fs, nodes[i].path), -ENOTDIR);
        CHECK_EQ(ext2_unlink(fs, nodes[i].path), 0);
        drop(i);
    }
}

// Moves node i (and, for a directory, everything under it) to path.
static void model_move(int i, const char *to)
{
    char from[160];
    size_t n = strlen(nodes[i].path);
    strcpy(from, nodes[i].path);
    for (int k = 1; k < NODES; k++)
        if (nodes[k].used && !strncmp(nodes[k].path, from, n) && nodes[k].path[n] == '/') {
            char whole[400];
            snprintf(whole, sizeof(whole), "%s%s", to, nodes[k].path + n);
            memcpy(nodes[k].path, whole, sizeof(nodes[k].path) - 1);
        }
    snprintf(nodes[i].path, sizeof(nodes[i].path), "%s", to);
}

static void op_rename(struct ext2 *fs)
{
    char to[160];
    int i = pick(0), d = pick(FS_TYPE_DIR);
    if (i < 0)
        return;
    struct node *s = &nodes[i];
    char kind = s->type == FS_TYPE_DIR ? 'd' : s->type == FS_TYPE_LINK ? 'l' : 'n';
    join(to, nodes[d].path, kind, rnd(kind == 'd' ? 4 : 8));
    size_t n = strlen(s->path);
    for (int k = 1; k < NODES; k++)          // keep every path short
        if (nodes[k].used && !strncmp(nodes[k].path, s->path, n) && strlen(nodes[k].path) - n + strlen(to) > 150)
            return;
    int into_self = s->type == FS_TYPE_DIR && !strncmp(to, s->path, n) && to[n] == '/';
    int t = find(to);
    long want = !strcmp(to, s->path) ? 0 : into_self ? -EINVAL
              : t >= 0 && nodes[t].type == FS_TYPE_DIR && has_children(to) ? -ENOTEMPTY : 0;
    long r = ext2_rename(fs, s->path, to);
    if (r == -ENOSPC && want == 0 && t < 0)
        return;
    CHECK_EQ(r, want);
    if (r || !strcmp(to, s->path))
        return;
    if (t >= 0)
        drop(t);
    model_move(i, to);
}

// Reads everything back through the library and compares with the model.
static void verify(struct ext2 *fs)
{
    uint8_t *buf = malloc(DATA_MAX + 1);
    char link[200];
    for (int i = 1; i < NODES; i++) {
        struct node *n = &nodes[i];
        struct fs_stat st;
        if (!n->used)
            continue;
        CHECK_EQ(ext2_lookup_nofollow(fs, n->path), n->ino);
        CHECK_EQ(ext2_stat(fs, (uint64_t)n->ino, &st), 0);
        CHECK_EQ(st.type, n->type);
        if (n->type == FS_TYPE_FILE) {
            CHECK_EQ(st.size, n->size);
            CHECK_EQ(ext2_read(fs, (uint64_t)n->ino, 0, buf, DATA_MAX + 1), n->size);
            CHECK(!memcmp(buf, n->data, n->size));
        } else if (n->type == FS_TYPE_LINK) {
            CHECK(ext2_readlink(fs, (uint64_t)n->ino, link, sizeof(link)) > 0);
            CHECK_STR(link, n->target);
        }
    }
    free(buf);
}

// debugfs agrees on the content of a few files.
static void sample_debugfs(const char *img)
{
    int done = 0;
    for (int i = 1; i < NODES && done < 8; i++)
        if (nodes[i].used && nodes[i].type == FS_TYPE_FILE && rnd(3) == 0) {
            CHECK(h_cat_is(img, nodes[i].path, nodes[i].data, nodes[i].size));
            done++;
        }
}

static void random_ops(const char *opts, const char *size, const char *name, uint32_t s, int rounds)
{
    char img[256];
    struct hdev h;
    h_path(img, name);
    CHECK_EQ(h_mkfs(img, opts, size, NULL), 0);
    memset(nodes, 0, sizeof(nodes));
    nodes[0] = (struct node){ .used = 1, .type = FS_TYPE_DIR, .path = "/", .ino = EXT2_ROOT_INO };
    seed = s;
    wbuf = malloc(DATA_MAX);
    for (int round = 0; round < rounds; round++) {
        CHECK_EQ(h_open(&h, img), 0);
        for (int k = 0; k < 250; k++) {
            uint32_t op = rnd(20);
            if (op < 4) op_create(&h.fs, 'n');
            else if (op < 9) op_write(&h.fs);
            else if (op < 11) op_truncate(&h.fs);
            else if (op < 13) op_create(&h.fs, 'd');
            else if (op < 14) op_create(&h.fs, 'l');
            else if (op < 17) op_rename(&h.fs);
            else op_remove(&h.fs);
        }
        verify(&h.fs);
        if (getenv("EXT2_RANDOM_VERBOSE")) {
            int used = 0;
            for (int i = 0; i < NODES; i++)
                used += nodes[i].used;
            printf("%s round %d: %d nodes, %llu free blocks\n", name, round, used,
                   (unsigned long long)h_free_blocks(&h.fs));
        }
        CHECK(h_close(&h, 1));
        CHECK(h_fsck(img));
        sample_debugfs(img);
    }
    for (int i = 0; i < NODES; i++)
        drop(i);
    free(wbuf);
}

// EXT2_RANDOM_SEEDS=n runs n more seeds of each (a longer local search).
TEST(random_ops_more_seeds)
{
    int n = getenv("EXT2_RANDOM_SEEDS") ? atoi(getenv("EXT2_RANDOM_SEEDS")) : 0;
    for (int i = 0; i < n && !check_failed_; i++) {
        random_ops("-b 1024 -I 128", "8M", "more1k.img", 100 + (uint32_t)i, 8);
        random_ops("-b 1024 -I 128 -N 400", "1M", "moresmall.img", 300 + (uint32_t)i, 8);
        random_ops("-b 4096 -I 256", "8M", "more4k.img", 500 + (uint32_t)i, 8);
        random_ops("-b 1024 -r 0", "8M", "more0.img", 900 + (uint32_t)i, 8);
        if (check_failed_)
            printf("seed %d failed\n", i);
    }
}

TEST(random_ops_1k) { random_ops("-b 1024 -I 128", "8M", "rand1k.img", 1, 6); }
TEST(random_ops_disk_full) { random_ops("-b 1024 -I 128 -N 400", "1M", "randfull.img", 5, 10); }
TEST(random_ops_4k) { random_ops("-b 4096 -I 256", "8M", "rand4k.img", 2, 6); }
TEST(random_ops_2k_no_filetype) { random_ops("-b 2048 -I 256 -O ^filetype", "8M", "rand2k.img", 3, 4); }
TEST(random_ops_rev0) { random_ops("-b 1024 -r 0", "8M", "rand0.img", 4, 4); }
