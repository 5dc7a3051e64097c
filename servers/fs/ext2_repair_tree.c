// ext2 repair, block trees: every block gets at most one owner. The
// metadata and the blocks of the reserved inodes are marked first, then the
// in-use inodes claim their trees: the root, the sound trees, and last the
// trees that need fixing (so that a stale pointer, as left by a crash in a
// newly allocated indirect block, loses against the file really owning the
// block). A pointer that is bad, past the end of the file or already
// claimed is cleared; i_blocks and directory sizes are recomputed.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

enum { W_DRY, W_CLAIM, W_RELEASE, W_MARK };

// One walk over an inode's block tree.
struct rwalk {
    struct ext2_rp *r;
    int mode, dir;
    uint64_t limit;                // logical blocks allowed: [0, limit)
    uint64_t count;                // blocks found, data and indirect
    int trouble, stop;             // (dry) something to fix; give up
    uint8_t *buf[3];               // one block per indirect level
};

static int walk_ptr(struct rwalk *w, uint32_t *p, int level, uint64_t lo);

// Drops pointer *p at logical block lo (or notes the hole *p == 0 in a
// directory, which ends it): a dry walk only notes it.
static int walk_drop(struct rwalk *w, uint32_t *p, uint64_t lo)
{
    w->trouble = 1;
    if (w->dir && lo < w->limit)
        w->limit = lo;                           // no holes in a directory
    if (w->mode == W_CLAIM && *p) {
        *p = 0;
        w->r->st->pointers_cleared++;
    }
    return 0;
}

// Walks the entries of indirect block blk (level 1: they point to data
// blocks) covering logical blocks from lo. The number of entries left, or
// -errno. A claiming walk writes the block back when it changed it.
static long walk_block(struct rwalk *w, uint32_t blk, int level, uint64_t lo)
{
    struct ext2 *fs = w->r->fs;
    uint8_t *b = w->buf[level - 1];
    uint64_t span = 1;
    for (int l = 1; l < level; l++)
        span *= fs->ptrs_per_block;
    int e = ext2_bread(fs, blk, 0, fs->block_size, b), changed = 0;
    long left = 0;
    for (uint32_t i = 0; e == 0 && i < fs->ptrs_per_block && !w->stop; i++) {
        uint32_t v = le32(b + 4 * i), old = v;
        if (!v && lo + i * span >= w->limit)
            continue;
        e = walk_ptr(w, &v, level - 1, lo + i * span);
        if (v != old) {
            put32(b + 4 * i, v);
            changed = 1;
        }
        left += v != 0;
    }
    if (e == 0 && changed && w->mode == W_CLAIM)
        e = ext2_bwrite(fs, blk, 0, fs->block_size, b);
    return e < 0 ? e : left;
}

// Marks the blocks under a reserved inode's pointer as they are (the
// resize inode points at the reserved descriptor blocks).
static int mark_ptr(struct rwalk *w, uint32_t p, int level)
{
    struct ext2 *fs = w->r->fs;
    if (!p || p < fs->first_data_block || p >= fs->blocks_count || rp_bit(w->r->claimed, p))
        return 0;
    rp_set(w->r->claimed, p);
    long n = level ? walk_block(w, p, level, 0) : 0;
    return n < 0 ? (int)n : 0;
}

// Handles pointer *p to a block at level (0: data) that covers logical
// blocks from lo: claims, releases or (dry) checks it and its subtree.
static int walk_ptr(struct rwalk *w, uint32_t *p, int level, uint64_t lo)
{
    struct ext2_rp *r = w->r;
    if (w->mode == W_MARK)
        return mark_ptr(w, *p, level);
    if (*p == 0)
        return w->dir && lo < w->limit ? walk_drop(w, p, lo) : 0;
    if (w->mode == W_RELEASE) {
        rp_clr(r->claimed, *p);
        long n = level ? walk_block(w, *p, level, lo) : 0;
        return n < 0 ? (int)n : 0;
    }
    int bad = lo >= w->limit || !ext2_blk_ok(r->fs, *p);
    if (w->mode == W_CLAIM)
        bad = bad || rp_bit(r->claimed, *p);
    else if (!bad && !rp_bit(r->ondisk, *p))
        w->trouble = 1;                          // marked free on the disk
    if (bad)
        return walk_drop(w, p, lo);
    if (w->mode == W_CLAIM)
        rp_set(r->claimed, *p);
    if (++w->count > r->fs->blocks_count)
        w->stop = w->trouble = 1;                // (dry) a tree of garbage
    long n = level && !w->stop ? walk_block(w, *p, level, lo) : 1;
    if (n != 0)
        return n < 0 ? (int)n : 0;
    if (w->mode == W_CLAIM)
        rp_clr(r->claimed, *p);                  // an empty indirect block goes
    w->count--;
    return walk_drop(w, p, lo);
}

// Sets up a walk of ind's tree: the logical blocks it may have.
static void walk_setup(struct rwalk *w, struct ext2_rp *r, int mode, const struct ext2_inode *ind)
{
    uint64_t bs = r->fs->block_size;
    memset(w, 0, sizeof(*w));
    w->r = r;
    w->mode = mode;
    w->dir = ext2_is_dir(ind);
    if (w->dir)
        w->limit = (ind->size < EXT2_DIR_MAX ? ind->size : EXT2_DIR_MAX) / bs;
    else if (ext2_is_lnk(ind))
        w->limit = 1;
    else
        w->limit = (ind->size + bs - 1) / bs;
    for (int l = 0; l < 3; l++)
        w->buf[l] = r->buf2 + (size_t)l * bs;
}

// Walks the 12 direct pointers, then the three indirect trees, in
// logical order.
static int walk_inode(struct rwalk *w, struct ext2_inode *ind)
{
    uint64_t p = w->r->fs->ptrs_per_block, lo = EXT2_NDIR, span = p;
    int e = 0;
    for (int s = 0; s < EXT2_NDIR && e == 0; s++)
        e = walk_ptr(w, &ind->block[s], 0, (uint64_t)s);
    for (int level = 1; level <= 3 && e == 0; level++, lo += span, span *= p)
        e = walk_ptr(w, &ind->block[EXT2_NDIR + level - 1], level, lo);
    return e;
}

static struct rp_xattr *xattr_find(struct ext2_rp *r, uint32_t blk)
{
    for (uint32_t i = 0; i < r->nxattrs; i++)
        if (r->xattrs[i].blk == blk)
            return &r->xattrs[i];
    return NULL;
}

// Is blk an unclaimed extended attribute block (magic, one block)?
static int xattr_valid(struct ext2_rp *r, uint32_t blk)
{
    uint8_t h[12];
    if (!ext2_blk_ok(r->fs, blk) || rp_bit(r->claimed, blk))
        return 0;
    return ext2_bread(r->fs, blk, 0, sizeof(h), h) == 0 && le32(h) == 0xEA020000 && le32(h + 8) == 1;
}

// Claims ind's extended attribute block (shared ones count their users);
// clears the pointer to a bad one. 0 or -ENOMEM.
static int xattr_claim(struct ext2_rp *r, struct ext2_inode *ind)
{
    uint32_t b = ind->file_acl;
    struct rp_xattr *x = b ? xattr_find(r, b) : NULL;
    if (!b || x) {
        if (x)
            x->refs++;
        return 0;
    }
    if (!xattr_valid(r, b)) {
        ind->file_acl = 0;
        r->st->pointers_cleared++;
        return 0;
    }
    if (r->nxattrs == r->xattr_cap) {
        uint32_t cap = r->xattr_cap ? 2 * r->xattr_cap : 16;
        void *n = realloc(r->xattrs, cap * sizeof(*r->xattrs));
        if (!n)
            return -ENOMEM;
        r->xattrs = n;
        r->xattr_cap = cap;
    }
    r->xattrs[r->nxattrs++] = (struct rp_xattr){ b, 1 };
    rp_set(r->claimed, b);
    return 0;
}

// Sets the users count of every shared extended attribute block.
int rp_xattr_counts(struct ext2_rp *r)
{
    for (uint32_t i = 0; i < r->nxattrs; i++) {
        uint8_t v[4];
        struct rp_xattr *x = &r->xattrs[i];
        int e = x->refs ? ext2_bread(r->fs, x->blk, 4, 4, v) : 0;
        if (e == 0 && x->refs && le32(v) != x->refs) {
            put32(v, x->refs);
            e = ext2_bwrite(r->fs, x->blk, 4, 4, v);
            r->st->counts_fixed++;
        }
        if (e < 0)
            return e;
    }
    return 0;
}

// Gives the blocks of in-use inode ino back (it is being freed).
int rp_release(struct ext2_rp *r, uint32_t ino)
{
    struct ext2_inode ind;
    struct rwalk w;
    int e = ext2_inode_get(r->fs, ino, &ind);
    if (e < 0)
        return e;
    walk_setup(&w, r, W_RELEASE, &ind);
    if (r->flags[ino] & RP_TREE)
        e = walk_inode(&w, &ind);
    struct rp_xattr *x = ind.file_acl ? xattr_find(r, ind.file_acl) : NULL;
    if (x && x->refs && --x->refs == 0)
        rp_clr(r->claimed, x->blk);
    return e;
}

// Frees in-use inode ino: its blocks go, its record gets links 0.
int rp_free(struct ext2_rp *r, uint32_t ino)
{
    int e = rp_release(r, ino);
    r->flags[ino] = (uint16_t)((r->flags[ino] & ~(RP_USED | RP_FIXED)) | RP_RECORD | RP_FREED);
    r->st->inodes_freed++;
    return e;
}

// Is slow symlink ind's target sound (one block, no NUL, size bytes)?
static int link_sound(struct ext2_rp *r, const struct ext2_inode *ind)
{
    uint32_t bs = r->fs->block_size;
    if (!ind->block[0] || ind->size >= bs || ext2_bread(r->fs, ind->block[0], 0, bs, r->buf) < 0)
        return 0;
    return memchr(r->buf, 0, bs) == r->buf + ind->size;
}

// Checks the tree of in-use inode ino without changing anything: sets
// RP_SUSPECT when something must be fixed. For the root, -EIO if it would
// lose its first block.
static int dry_inode(struct ext2_rp *r, uint32_t ino)
{
    struct ext2_inode ind;
    struct rwalk w;
    int e = ext2_inode_get(r->fs, ino, &ind);
    if (e < 0)
        return e;
    walk_setup(&w, r, W_DRY, &ind);
    if ((r->flags[ino] & RP_TREE) && (e = walk_inode(&w, &ind)) < 0)
        return e;
    uint64_t want = w.count * r->fs->sec_per_block + (ind.file_acl ? r->fs->sec_per_block : 0);
    if (w.trouble || want != ind.blocks || (w.dir && ind.size != w.limit * r->fs->block_size))
        r->flags[ino] |= RP_SUSPECT;
    if (ino == EXT2_ROOT_INO && w.limit == 0)
        return ext2_corrupt(r->fs, "repair: the root directory has no block");
    return 0;
}

static int inode_differs(const struct ext2_inode *a, const struct ext2_inode *b)
{
    return a->blocks != b->blocks || a->size != b->size || a->file_acl != b->file_acl ||
           memcmp(a->block, b->block, sizeof(a->block));
}

// Claims the blocks of in-use inode ino, fixing its pointers, i_blocks
// and (directory) size. Frees it when nothing usable is left: a directory
// without its first block, a symlink without its target.
static int claim_inode(struct ext2_rp *r, uint32_t ino)
{
    struct ext2_inode ind, old;
    struct rwalk w;
    int e = ext2_inode_get(r->fs, ino, &ind);
    if (e < 0)
        return e;
    old = ind;
    walk_setup(&w, r, W_CLAIM, &ind);
    if ((r->flags[ino] & RP_TREE) && (e = walk_inode(&w, &ind)) < 0)
        return e;
    if ((e = xattr_claim(r, &ind)) < 0)
        return e;
    ind.blocks = (uint32_t)(w.count * r->fs->sec_per_block) + (ind.file_acl ? r->fs->sec_per_block : 0);
    if (w.dir)
        ind.size = w.limit * r->fs->block_size;
    if (inode_differs(&ind, &old)) {
        r->flags[ino] |= RP_FIXED;
        if ((e = ext2_inode_put(r->fs, &ind)) < 0)
            return e;
    }
    int gone = w.dir ? w.limit == 0 : (r->flags[ino] & RP_TREE) && ext2_is_lnk(&ind) && !link_sound(r, &ind);
    if (!gone)
        return 0;
    if (ino == EXT2_ROOT_INO)
        return ext2_corrupt(r->fs, "repair: the root directory has no block");
    return rp_free(r, ino);
}

// Marks the superblock copies, descriptors, bitmaps and inode tables.
static void mark_meta(struct ext2_rp *r)
{
    struct ext2 *fs = r->fs;
    for (uint32_t g = 0; g < fs->groups; g++) {
        const uint8_t *d = ext2_gd(fs, g);
        uint32_t first = fs->first_data_block + g * fs->blocks_per_group, n = 0;
        if (ext2_has_super(fs, g))
            n = 1 + fs->gd_blocks + fs->reserved_gdt;
        for (uint32_t i = 0; i < n && first + i < fs->blocks_count; i++)
            rp_set(r->claimed, first + i);
        rp_set(r->claimed, le32(d + GD_BLOCK_BITMAP));
        rp_set(r->claimed, le32(d + GD_INODE_BITMAP));
        for (uint32_t i = 0; i < fs->itable_blocks; i++)
            rp_set(r->claimed, le32(d + GD_INODE_TABLE) + i);
    }
}

// Marks the blocks of reserved inode ino (bad blocks, resize, journal).
static int mark_reserved(struct ext2_rp *r, uint32_t ino)
{
    struct ext2_inode ind;
    struct rwalk w;
    int e = ext2_inode_get(r->fs, ino, &ind);
    if (e < 0)
        return e;
    walk_setup(&w, r, W_MARK, &ind);
    for (int s = 0; s < 15 && e == 0; s++)
        e = mark_ptr(&w, ind.block[s], s < EXT2_NDIR ? 0 : s - EXT2_NDIR + 1);
    return e;
}

// Copies the block bitmaps from the disk into r->ondisk.
static int read_ondisk(struct ext2_rp *r)
{
    struct ext2 *fs = r->fs;
    for (uint32_t g = 0; g < fs->groups; g++) {
        uint32_t first = fs->first_data_block + g * fs->blocks_per_group;
        int e = ext2_bread(fs, le32(ext2_gd(fs, g) + GD_BLOCK_BITMAP), 0, fs->block_size, r->buf);
        if (e < 0)
            return e;
        for (uint32_t i = 0; i < fs->blocks_per_group && first + i < fs->blocks_count; i++)
            if (rp_bit(r->buf, i))
                rp_set(r->ondisk, first + i);
    }
    return 0;
}

// Claims the trees of the in-use inodes with flags & mask == want.
static int claim_round(struct ext2_rp *r, uint16_t mask, uint16_t want)
{
    for (uint32_t ino = EXT2_ROOT_INO + 1; ino <= r->fs->inodes_count; ino++) {
        int e = (r->flags[ino] & (RP_USED | mask)) == (RP_USED | want) ? claim_inode(r, ino) : 0;
        if (e < 0)
            return e;
    }
    return 0;
}

// Gives every block its owner (see the top of the file).
int rp_blocks(struct ext2_rp *r)
{
    int e = read_ondisk(r);
    mark_meta(r);
    for (uint32_t ino = 1; e == 0 && ino < r->fs->first_ino; ino++)
        if (ino != EXT2_ROOT_INO && (r->flags[ino] & RP_TREE))
            e = mark_reserved(r, ino);
    for (uint32_t ino = EXT2_ROOT_INO; e == 0 && ino <= r->fs->inodes_count; ino++)
        if (r->flags[ino] & RP_USED)
            e = dry_inode(r, ino);
    if (e == 0)
        e = claim_inode(r, EXT2_ROOT_INO);
    if (e == 0)
        e = claim_round(r, RP_SUSPECT, 0);
    return e < 0 ? e : claim_round(r, RP_SUSPECT, RP_SUSPECT);
}
