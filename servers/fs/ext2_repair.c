// ext2 repair: a light fsck for a file system that was not cleanly
// stopped (the fs process may die between two block writes of one
// operation). It trusts the inodes and directories, and rebuilds the rest:
//  1. inodes (tables read in 64 KiB chunks): in use = inode bitmap bit, a
//     known mode and links; allocated ones without them are garbage; free
//     records that look alive or carry an "orphan" dtime are tidied;
//  2. block trees (ext2_repair_tree.c): every block owned once;
//  3. directories (ext2_repair_dir.c): names, ".", ".."; in-use inodes
//     without a name are freed, or kept for lost+found if they hold data;
//  4. records: link counts, dtimes, links 0 for the freed inodes;
//  5. maps (ext2_repair_map.c): bitmaps and free counts rebuilt;
//  6. the kept unnamed inodes get their names in lost+found (the file
//     system is consistent by then, so the library's own calls do it).
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

#define CHUNK_BYTES 65536          // inode table bytes read at a time (128 sectors)

static const uint8_t ftypes[16] = { [1] = 5, [2] = 3, [4] = FT_DIR, [6] = 4, [8] = FT_REG,
                                    [10] = FT_LNK, [12] = 6 };

// Would e2fsck take dtime for a link in the orphan list? It does for
// values below the inode count unless the superblock times show a clock
// counting from 0 (then any dtime is fine).
static int dtime_low(struct ext2_rp *r, uint32_t dtime)
{
    return r->low_dtime && dtime && dtime < r->fs->inodes_count;
}

// Is the fast symlink target in i_block size bytes with no NUL?
static int fast_link_ok(const uint8_t *raw, uint32_t size)
{
    return size > 0 && size < EXT2_FAST_LINK && !memchr(raw + 0x28, 0, size) && !raw[0x28 + size];
}

// Pass 1 for inode ino (raw record; inbit: its inode bitmap bit).
static void classify(struct ext2_rp *r, uint32_t ino, const uint8_t *raw, int inbit)
{
    uint32_t mode = le16(raw), type = mode & S_FMT, links = le16(raw + 0x1A);
    uint32_t dtime = le32(raw + 0x14), size = le32(raw + 0x04);
    r->links[ino] = (uint16_t)links;
    r->ftype[ino] = ftypes[type >> 12];
    if (ino < r->fs->first_ino && ino != EXT2_ROOT_INO) {
        r->flags[ino] = le32(raw + 0x1C) ? RP_TREE : 0;      // reserved: blocks kept as they are
        return;
    }
    int slow = type == S_LNK && size >= EXT2_FAST_LINK;
    int used = inbit && links && r->ftype[ino] && (type != S_LNK || slow || fast_link_ok(raw, size));
    if (used || ino == EXT2_ROOT_INO) {                       // (the mount checked the root)
        int tree = type == S_REG || type == S_DIR || slow;
        int data = type == S_REG && (size || le32(raw + 0x6C));
        r->flags[ino] = (uint16_t)(RP_USED | (type == S_DIR ? RP_DIR : 0) | (tree ? RP_TREE : 0) |
                                   (dtime ? RP_DTIME : 0) | (data ? RP_DATA : 0));
        return;
    }
    if (inbit) {
        r->flags[ino] = RP_FREED;
        r->st->inodes_freed++;
    }
    if (links || (mode && !dtime) || dtime_low(r, dtime)) {
        r->flags[ino] |= RP_RECORD;
        r->st->free_inodes_cleaned += !inbit;
    }
}

// Pass 1 over group g: its inode bitmap, and its inode table read
// straight from the device in chunks.
static int scan_group(struct ext2_rp *r, uint32_t g, uint8_t *chunk)
{
    struct ext2 *fs = r->fs;
    const uint8_t *d = ext2_gd(fs, g);
    uint32_t per = CHUNK_BYTES / fs->block_size, ipb = fs->block_size / fs->inode_size;
    uint32_t it = le32(d + GD_INODE_TABLE), ipg = fs->inodes_per_group;
    int e = ext2_bread(fs, le32(d + GD_INODE_BITMAP), 0, fs->block_size, r->buf);
    for (uint32_t b = 0; e == 0 && b < fs->itable_blocks; b += per) {
        uint32_t n = fs->itable_blocks - b < per ? fs->itable_blocks - b : per;
        if (fs->dev.read(fs->dev.ctx, (uint64_t)(it + b) * fs->sec_per_block, n * fs->sec_per_block, chunk) < 0)
            return ext2_fail(fs, -EIO, "device read error");
        for (uint32_t i = b * ipb; i < (b + n) * ipb && i < ipg; i++)
            classify(r, g * ipg + i + 1, chunk + (size_t)(i - b * ipb) * fs->inode_size, rp_bit(r->buf, i));
    }
    return e;
}

// Pass 1 over every group.
static int rp_scan(struct ext2_rp *r)
{
    uint8_t *chunk = malloc(CHUNK_BYTES);
    int e = chunk ? 0 : -ENOMEM;
    for (uint32_t g = 0; e == 0 && g < r->fs->groups; g++)
        e = scan_group(r, g, chunk);
    free(chunk);
    return e;
}

// Pass 4 for inode ino: in use, the links count want and no dtime; not
// in use, links 0 and a dtime e2fsck accepts.
static int record_fix(struct ext2_rp *r, uint32_t ino, uint32_t want)
{
    struct ext2_inode ind;
    int e = ext2_inode_get(r->fs, ino, &ind);
    if (e < 0)
        return e;
    if (r->flags[ino] & RP_USED) {
        ind.links = want;
        ind.dtime = 0;
        r->flags[ino] |= RP_FIXED;
    } else {
        ind.links = 0;
        if (!ind.dtime || dtime_low(r, ind.dtime))
            ind.dtime = r->dtime;
    }
    return ext2_inode_put(r->fs, &ind);
}

// Pass 4: link counts (files: names; directories: 2 + subdirectories).
static int rp_records(struct ext2_rp *r)
{
    for (uint32_t ino = 1; ino <= r->fs->inodes_count; ino++) {
        uint16_t f = r->flags[ino];
        uint32_t want = (f & RP_DIR) ? 2 + r->refs[ino] : r->refs[ino];
        want = want < 0xffff ? want : 0xffff;
        if ((f & RP_USED) ? want == r->links[ino] && !(f & RP_DTIME) : !(f & RP_RECORD))
            continue;
        int e = record_fix(r, ino, want);
        if (e < 0)
            return e;
    }
    return 0;
}

// Allocates the per-inode arrays and block bitmaps; 0 or -ENOMEM.
static int rp_init(struct ext2_rp *r, struct ext2 *fs, struct ext2_repair_stats *st)
{
    size_t n = (size_t)fs->inodes_count + 1, maps = ((size_t)fs->blocks_count + 7) / 8;
    const uint8_t *s = fs->sb;
    uint32_t ic = fs->inodes_count, w = le32(s + SB_WTIME), m = le32(s + SB_MTIME);
    uint32_t k = fs->rev ? le32(s + SB_MKFS_TIME) : 0;
    memset(r, 0, sizeof(*r));
    r->fs = fs;
    r->st = st;
    r->low_dtime = !((w && w < ic) || (m && m < ic) || (k && k < ic));
    r->dtime = fs->now >= ic ? fs->now : w >= ic ? w : ic;
    r->flags = calloc(n, sizeof(*r->flags));
    r->links = calloc(n, sizeof(*r->links));
    r->ftype = calloc(n, 1);
    r->refs = calloc(n, sizeof(*r->refs));
    r->parent = calloc(n, sizeof(*r->parent));
    r->depth = calloc(n, sizeof(*r->depth));
    r->claimed = calloc(maps, 1);
    r->ondisk = calloc(maps, 1);
    r->buf = malloc(fs->block_size);
    r->buf2 = malloc(3 * (size_t)fs->block_size);
    int ok = r->flags && r->links && r->ftype && r->refs && r->parent && r->depth && r->claimed &&
             r->ondisk && r->buf && r->buf2;
    return ok ? 0 : -ENOMEM;
}

static void rp_done(struct ext2_rp *r)
{
    free(r->flags);
    free(r->links);
    free(r->ftype);
    free(r->refs);
    free(r->parent);
    free(r->depth);
    free(r->claimed);
    free(r->ondisk);
    free(r->edges);
    free(r->xattrs);
    free(r->buf);
    free(r->buf2);
}

// All the passes (see the top of the file); counts the inodes fixed.
static int rp_run(struct ext2_rp *r)
{
    int e = rp_scan(r);
    if (e == 0)
        e = rp_blocks(r);
    if (e == 0)
        e = rp_dirs(r);
    if (e == 0)
        e = rp_records(r);
    if (e == 0)
        e = rp_xattr_counts(r);
    if (e == 0)
        e = rp_maps(r);
    if (e == 0)
        e = rp_adopt(r);
    for (uint32_t ino = 1; ino <= r->fs->inodes_count; ino++)
        r->st->inodes_fixed += (r->flags[ino] & (RP_USED | RP_FIXED)) == (RP_USED | RP_FIXED);
    return e;
}

int ext2_repair(struct ext2 *fs, struct ext2_repair_stats *st)
{
    struct ext2_rp r;
    memset(&r, 0, sizeof(r));
    memset(st, 0, sizeof(*st));
    st->ran = 1;
    if (fs->readonly)
        return st->error = -EROFS;
    int e = ext2_flush(fs);
    if (e == 0)
        e = rp_init(&r, fs, st);
    if (e == 0)
        e = rp_run(&r);
    rp_done(&r);
    int f = ext2_flush(fs);
    st->error = e < 0 ? e : f;
    return st->error;
}

static const struct { size_t off; const char *one, *many; } sum_items[] = {
    { offsetof(struct ext2_repair_stats, inodes_freed), "inode freed", "inodes freed" },
    { offsetof(struct ext2_repair_stats, inodes_relinked), "inode moved to lost+found",
      "inodes moved to lost+found" },
    { offsetof(struct ext2_repair_stats, inodes_fixed), "inode fixed", "inodes fixed" },
    { offsetof(struct ext2_repair_stats, free_inodes_cleaned), "free inode cleaned", "free inodes cleaned" },
    { offsetof(struct ext2_repair_stats, pointers_cleared), "block pointer cleared", "block pointers cleared" },
    { offsetof(struct ext2_repair_stats, entries_removed), "entry removed", "entries removed" },
    { offsetof(struct ext2_repair_stats, entries_fixed), "entry fixed", "entries fixed" },
    { offsetof(struct ext2_repair_stats, dir_blocks_reset), "directory block reset", "directory blocks reset" },
    { offsetof(struct ext2_repair_stats, blocks_reclaimed), "block reclaimed", "blocks reclaimed" },
    { offsetof(struct ext2_repair_stats, blocks_marked), "block marked in use", "blocks marked in use" },
    { offsetof(struct ext2_repair_stats, inode_bits_fixed), "inode bitmap bit fixed", "inode bitmap bits fixed" },
    { offsetof(struct ext2_repair_stats, counts_fixed), "counter fixed", "counters fixed" },
};

// Appends s at byte at of buf (len bytes, kept NUL-terminated); the new end.
static uint32_t sum_put(char *buf, uint32_t len, uint32_t at, const char *s)
{
    while (*s && at + 1 < len)
        buf[at++] = *s++;
    buf[at] = 0;
    return at;
}

static uint32_t sum_num(char *buf, uint32_t len, uint32_t at, uint32_t v)
{
    char d[12];
    int n = 11;
    d[n] = 0;
    do {
        d[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return sum_put(buf, len, at, d + n);
}

void ext2_repair_summary(const struct ext2_repair_stats *st, char *buf, uint32_t len)
{
    uint32_t at = 0;
    if (!len)
        return;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof(sum_items) / sizeof(sum_items[0]); i++) {
        uint32_t v = *(const uint32_t *)(const void *)((const char *)st + sum_items[i].off);
        if (!v)
            continue;
        at = sum_put(buf, len, at, at ? ", " : "");
        at = sum_num(buf, len, at, v);
        at = sum_put(buf, len, at, " ");
        at = sum_put(buf, len, at, v == 1 ? sum_items[i].one : sum_items[i].many);
    }
    if (!at)
        sum_put(buf, len, 0, "nothing to fix");
}
