// ext2 directories: entries are (inode, rec_len, name_len, file_type, name)
// records chained by rec_len inside each block. Every block is checked as a
// whole when read, so the walks below can trust its records.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

#define DE_HEAD 8
#define NONE    UINT32_MAX
#define DIR_MAX (128u << 20)       // larger directories are taken as corrupt

struct dent {
    uint32_t off, prev;            // offset in the block, previous record's (or NONE)
    uint32_t ino, rec_len, name_len, type;
    const uint8_t *name;
};

// One pass over a directory: the current block and a caller's state.
struct dwalk {
    uint8_t *buf;
    uint32_t phys;
    const char *name;
    uint32_t len, ino, mode;
    long found;
};

typedef long (*dent_fn)(struct ext2 *fs, struct dwalk *w, const struct dent *d);

static uint32_t rec_need(uint32_t name_len) { return (DE_HEAD + name_len + 3) & ~3u; }

static void dent_decode(struct ext2 *fs, const uint8_t *b, uint32_t off, struct dent *d)
{
    const uint8_t *p = b + off;
    d->off = off;
    d->ino = le32(p);
    d->rec_len = le16(p + 4);
    d->name_len = fs->filetype ? p[6] : le16(p + 6);
    d->type = fs->filetype ? p[7] : 0;
    d->name = p + DE_HEAD;
}

// The directory entry file type for an inode mode.
static uint8_t dent_type(uint32_t mode)
{
    static const uint8_t types[16] = { [1] = 5, [2] = 3, [4] = FT_DIR, [6] = 4, [8] = FT_REG,
                                       [10] = FT_LNK, [12] = 6 };
    return types[(mode & S_FMT) >> 12];
}

static void dent_encode(struct ext2 *fs, uint8_t *p, uint32_t ino, uint32_t rec_len,
                        const char *name, uint32_t len, uint32_t mode)
{
    put32(p, ino);
    put16(p + 4, rec_len);
    if (fs->filetype) {
        p[6] = (uint8_t)len;
        p[7] = dent_type(mode);
    } else {
        put16(p + 6, len);
    }
    memcpy(p + DE_HEAD, name, len);
    memset(p + DE_HEAD + len, 0, rec_need(len) - DE_HEAD - len);
}

// Checks every record of a directory block; 0 or -EIO.
static int dblock_check(struct ext2 *fs, const uint8_t *b)
{
    uint32_t off = 0, bs = fs->block_size;
    struct dent d;
    while (off < bs) {
        if (bs - off < DE_HEAD)
            return ext2_corrupt(fs, "directory entry past the block end");
        dent_decode(fs, b, off, &d);
        if (d.rec_len < DE_HEAD || d.rec_len % 4 || d.rec_len > bs - off)
            return ext2_corrupt(fs, "bad directory entry rec_len");
        if (d.name_len > FS_NAME_MAX || DE_HEAD + d.name_len > d.rec_len)
            return ext2_corrupt(fs, "bad directory entry name_len");
        if (d.ino > fs->inodes_count || (d.ino && d.name_len == 0))
            return ext2_corrupt(fs, "bad directory entry inode");
        off += d.rec_len;
    }
    return 0;
}

// Number of blocks of directory dir; -EIO if its size is impossible.
static long dir_blocks(struct ext2 *fs, const struct ext2_inode *dir)
{
    uint64_t n = dir->size / fs->block_size;
    if (dir->size % fs->block_size || n == 0 || n * fs->sec_per_block > dir->blocks ||
        dir->size > DIR_MAX)
        return ext2_corrupt(fs, "bad directory size");
    return (long)n;
}

// Reads and checks logical block i of dir into w->buf.
static int dblock_load(struct ext2 *fs, struct ext2_inode *dir, uint64_t i, struct dwalk *w)
{
    long b = ext2_bmap(fs, dir, i, 0, NULL);
    if (b <= 0)
        return b < 0 ? (int)b : ext2_corrupt(fs, "hole in a directory");
    w->phys = (uint32_t)b;
    int e = ext2_bread(fs, w->phys, 0, fs->block_size, w->buf);
    return e < 0 ? e : dblock_check(fs, w->buf);
}

// Calls fn on every record of dir until it returns nonzero, which is
// returned (0 after the last record, or -errno).
static long dir_each(struct ext2 *fs, struct ext2_inode *dir, struct dwalk *w, dent_fn fn)
{
    long n = dir_blocks(fs, dir), r = 0;
    if (n < 0)
        return n;
    if (!(w->buf = malloc(fs->block_size)))
        return -ENOMEM;
    for (long i = 0; i < n && r == 0; i++) {
        struct dent d = { .off = 0 };
        uint32_t prev = NONE;
        r = dblock_load(fs, dir, (uint64_t)i, w);
        for (uint32_t off = 0; r == 0 && off < fs->block_size; off += d.rec_len) {
            dent_decode(fs, w->buf, off, &d);
            d.prev = prev;
            prev = off;
            r = fn(fs, w, &d);
        }
    }
    free(w->buf);
    return r;
}

static int name_is(const struct dent *d, const char *name, uint32_t len)
{
    return d->ino && d->name_len == len && !memcmp(d->name, name, len);
}

static long find_fn(struct ext2 *fs, struct dwalk *w, const struct dent *d)
{
    (void)fs;
    return name_is(d, w->name, w->len) ? (long)d->ino : 0;
}

// The inode number of name in dir, or -ENOENT.
long ext2_dir_find(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len)
{
    struct dwalk w = { .name = name, .len = len };
    if (!ext2_is_dir(dir))
        return -ENOTDIR;
    long r = dir_each(fs, dir, &w, find_fn);
    return r == 0 ? -ENOENT : r;
}

// Marks dir changed: times, and no more hashed index (entries moved).
static int dir_changed(struct ext2 *fs, struct ext2_inode *dir)
{
    ext2_touch(fs, dir);
    dir->flags &= ~(uint32_t)EXT2_INDEX_FL;
    return ext2_inode_put(fs, dir);
}

// Puts the new entry into record d if it has room (splitting it).
static long add_fn(struct ext2 *fs, struct dwalk *w, const struct dent *d)
{
    uint32_t need = rec_need(w->len), used = d->ino ? rec_need(d->name_len) : 0;
    uint8_t *p = w->buf + d->off;
    if (d->rec_len < used + need)
        return 0;
    if (used) {
        put16(p + 4, used);
        p += used;
    }
    dent_encode(fs, p, w->ino, d->rec_len - used, w->name, w->len, w->mode);
    int e = ext2_bwrite(fs, w->phys, d->off, d->rec_len, w->buf + d->off);
    return e < 0 ? e : 1;
}

// Appends a block to dir holding only the new entry.
static int dir_append(struct ext2 *fs, struct ext2_inode *dir, struct dwalk *w)
{
    int fresh;
    if (dir->size + fs->block_size > DIR_MAX)
        return -ENOSPC;
    long b = ext2_bmap(fs, dir, dir->size / fs->block_size, 1, &fresh);
    if (b < 0)
        return (int)b;
    uint8_t *buf = calloc(1, fs->block_size);
    if (!buf)
        return -ENOMEM;
    dent_encode(fs, buf, w->ino, fs->block_size, w->name, w->len, w->mode);
    int e = ext2_bwrite(fs, (uint32_t)b, 0, fs->block_size, buf);
    free(buf);
    if (e == 0)
        dir->size += fs->block_size;
    return e;
}

// Adds entry name -> ino (of the given mode) to dir and writes dir back.
// The caller made sure the name is not there.
int ext2_dir_add(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len,
                 uint32_t ino, uint32_t mode)
{
    struct dwalk w = { .name = name, .len = len, .ino = ino, .mode = mode };
    if (len == 0 || len > FS_NAME_MAX)
        return -ENAMETOOLONG;
    long r = dir_each(fs, dir, &w, add_fn);
    if (r == 0)
        r = dir_append(fs, dir, &w);
    int e = dir_changed(fs, dir);         // also after a failed append: blocks were linked
    return r < 0 ? (int)r : e;
}

// Removes record d if it is the name looked for.
static long remove_fn(struct ext2 *fs, struct dwalk *w, const struct dent *d)
{
    if (!name_is(d, w->name, w->len))
        return 0;
    if (d->prev == NONE) {
        put32(w->buf + d->off, 0);
        int e = ext2_bwrite(fs, w->phys, d->off, 4, w->buf + d->off);
        return e < 0 ? e : 1;
    }
    uint8_t *p = w->buf + d->prev;
    put16(p + 4, le16(p + 4) + d->rec_len);
    int e = ext2_bwrite(fs, w->phys, d->prev + 4, 2, p + 4);
    return e < 0 ? e : 1;
}

// Removes entry name from dir (merged into the previous record) and
// writes dir back; -ENOENT if absent.
int ext2_dir_remove(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len)
{
    struct dwalk w = { .name = name, .len = len };
    long r = dir_each(fs, dir, &w, remove_fn);
    if (r <= 0)
        return r == 0 ? -ENOENT : (int)r;
    return dir_changed(fs, dir);
}

// Points record d, if it is the name looked for, at w->ino.
static long retarget_fn(struct ext2 *fs, struct dwalk *w, const struct dent *d)
{
    if (!name_is(d, w->name, w->len))
        return 0;
    dent_encode(fs, w->buf + d->off, w->ino, d->rec_len, w->name, w->len, w->mode);
    int e = ext2_bwrite(fs, w->phys, d->off, DE_HEAD, w->buf + d->off);
    return e < 0 ? e : 1;
}

// Makes existing entry name of dir refer to ino (of the given mode).
int ext2_dir_retarget(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len,
                      uint32_t ino, uint32_t mode)
{
    struct dwalk w = { .name = name, .len = len, .ino = ino, .mode = mode };
    long r = dir_each(fs, dir, &w, retarget_fn);
    if (r <= 0)
        return r == 0 ? -ENOENT : (int)r;
    return dir_changed(fs, dir);
}

static int is_dot(const struct dent *d)
{
    return (d->name_len == 1 && d->name[0] == '.') ||
           (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.');
}

static long empty_fn(struct ext2 *fs, struct dwalk *w, const struct dent *d)
{
    (void)fs, (void)w;
    return d->ino && !is_dot(d);
}

// 1 if dir holds only "." and "..", 0 if not, or -errno.
int ext2_dir_empty(struct ext2 *fs, struct ext2_inode *dir)
{
    struct dwalk w = { .name = NULL };
    long r = dir_each(fs, dir, &w, empty_fn);
    return r < 0 ? (int)r : !r;
}

// Gives new directory dir (no blocks yet) its first block: "." and "..".
int ext2_dir_init(struct ext2 *fs, struct ext2_inode *dir, uint32_t parent)
{
    int fresh;
    long b = ext2_bmap(fs, dir, 0, 1, &fresh);
    if (b < 0)
        return (int)b;
    uint8_t *buf = calloc(1, fs->block_size);
    if (!buf)
        return -ENOMEM;
    dent_encode(fs, buf, dir->ino, 12, ".", 1, S_DIR);
    dent_encode(fs, buf + 12, parent, fs->block_size - 12, "..", 2, S_DIR);
    int e = ext2_bwrite(fs, (uint32_t)b, 0, fs->block_size, buf);
    free(buf);
    dir->size = fs->block_size;
    return e;
}

// Points the ".." entry of dir at parent.
int ext2_dir_set_parent(struct ext2 *fs, struct ext2_inode *dir, uint32_t parent)
{
    struct dwalk w = { .name = "..", .len = 2, .ino = parent, .mode = S_DIR };
    long r = dir_each(fs, dir, &w, retarget_fn);
    return r < 0 ? (int)r : r == 0 ? ext2_corrupt(fs, "directory without ..") : 0;
}

// Fills de from record d (type from the entry, or from the inode).
static int readdir_fill(struct ext2 *fs, const struct dent *d, struct fs_dirent *de)
{
    struct ext2_inode ind;
    uint32_t t = d->type == FT_DIR ? FS_TYPE_DIR : d->type == FT_LNK ? FS_TYPE_LINK : FS_TYPE_FILE;
    if (!fs->filetype) {
        int e = ext2_inode_get(fs, d->ino, &ind);
        if (e < 0)
            return e;
        t = ext2_is_dir(&ind) ? FS_TYPE_DIR : ext2_is_lnk(&ind) ? FS_TYPE_LINK : FS_TYPE_FILE;
    }
    memset(de, 0, sizeof(*de));
    de->ino = d->ino;
    de->type = t;
    de->namelen = d->name_len;
    memcpy(de->name, d->name, d->name_len);
    return 0;
}

// The first entry at or after byte pos of the block in w->buf (block
// number i); 1 and *next, 0 if none, or -errno.
static long readdir_block(struct ext2 *fs, struct dwalk *w, uint64_t i, uint64_t pos,
                          struct fs_dirent *de, uint64_t *next)
{
    uint64_t base = i * fs->block_size;
    struct dent d;
    for (uint32_t off = 0; off < fs->block_size; off += d.rec_len) {
        dent_decode(fs, w->buf, off, &d);
        if (base + off < pos || !d.ino || is_dot(&d))
            continue;
        *next = base + off + d.rec_len;
        int e = readdir_fill(fs, &d, de);
        return e < 0 ? e : 1;
    }
    return 0;
}

long ext2_readdir(struct ext2 *fs, uint64_t ino, uint64_t pos, struct fs_dirent *de, uint64_t *next)
{
    struct ext2_inode dir;
    struct dwalk w = { .name = NULL };
    int e = ext2_inode_live(fs, ino, &dir);
    if (e < 0)
        return e;
    if (!ext2_is_dir(&dir))
        return -ENOTDIR;
    long n = dir_blocks(fs, &dir), r = 0;
    if (n <= 0)
        return n;
    if (!(w.buf = malloc(fs->block_size)))
        return -ENOMEM;
    for (uint64_t i = pos / fs->block_size; i < (uint64_t)n && r == 0; i++) {
        r = dblock_load(fs, &dir, i, &w);
        if (r == 0)
            r = readdir_block(fs, &w, i, pos, de, next);
    }
    free(w.buf);
    return r;
}
