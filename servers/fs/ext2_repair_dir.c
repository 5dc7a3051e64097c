// ext2 repair, directories: names count only in the directories that can
// be reached from the root. A directory keeps one name: the one its ".."
// agrees with, else one a level nearer the root. Names of free inodes,
// second names of directories and bad names are removed, "." and ".." are
// set, unreadable blocks emptied. In-use inodes left without a name are
// freed when empty (an interrupted create, mkdir or unlink of an empty
// thing); those holding data (a file with a size, a directory with names)
// were moved by an interrupted rename, or were being unlinked: they are
// kept, and named "#ino" in lost+found (or the root) at the very end.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2_impl.h"

#define DE_HEAD 8
#define NONE    UINT32_MAX

enum { E_SKIP, E_DOT, E_DOTDOT, E_DROP, E_FILE, E_DIR };

typedef int (*rd_block_fn)(struct ext2_rp *r, uint32_t dir, uint32_t lblk, uint32_t phys, int usable);

static uint32_t rec_len(const uint8_t *p) { return le16(p + 4); }
static uint32_t rec_nlen(struct ext2 *fs, const uint8_t *p) { return fs->filetype ? p[6] : le16(p + 6); }

static int rec_named(const uint8_t *p, uint32_t nlen, const char *s)
{
    return nlen == strlen(s) && !memcmp(p + DE_HEAD, s, nlen);
}

// Is block lblk of a directory (in b) sound: records tiling the block as
// the library checks them, and in block 0 "." (12 bytes) then ".."?
static int dblock_usable(struct ext2 *fs, const uint8_t *b, uint32_t lblk)
{
    uint32_t off = 0, k = 0, bs = fs->block_size;
    for (; off < bs; k++) {
        const uint8_t *p = b + off;
        if (bs - off < DE_HEAD)
            return 0;
        uint32_t len = rec_len(p), nl = rec_nlen(fs, p), ino = le32(p);
        if (len < DE_HEAD || len % 4 || len > bs - off || nl > FS_NAME_MAX || DE_HEAD + nl > len)
            return 0;
        if (ino > fs->inodes_count || (ino && nl == 0))
            return 0;
        if (lblk == 0 && ((k == 0 && (!rec_named(p, nl, ".") || len != 12)) ||
                          (k == 1 && !rec_named(p, nl, ".."))))
            return 0;
        off += len;
    }
    return lblk != 0 || k >= 2;
}

// A name e2fsck accepts for an ordinary entry: no '/' or NUL, not a dot name.
static int name_ok(const uint8_t *p, uint32_t nlen)
{
    if (rec_named(p, nlen, ".") || rec_named(p, nlen, ".."))
        return 0;
    return !memchr(p + DE_HEAD, '/', nlen) && !memchr(p + DE_HEAD, 0, nlen);
}

// What record p (number k of block lblk) is; both scans decide the same.
static int rec_kind(struct ext2_rp *r, uint32_t lblk, uint32_t k, const uint8_t *p)
{
    uint32_t ino = le32(p);
    if (lblk == 0 && k < 2)
        return k ? E_DOTDOT : E_DOT;
    if (!ino)
        return E_SKIP;
    if (!name_ok(p, rec_nlen(r->fs, p)) || ino < r->fs->first_ino || !(r->flags[ino] & RP_USED))
        return E_DROP;
    return (r->flags[ino] & RP_DIR) ? E_DIR : E_FILE;
}

// Calls fn on every block of directory dir, read into r->buf (the trees
// were fixed before: no holes, every pointer sound).
static int rd_each(struct ext2_rp *r, uint32_t dir, rd_block_fn fn)
{
    struct ext2_inode ind;
    uint32_t bs = r->fs->block_size;
    int e = ext2_inode_get(r->fs, dir, &ind);
    for (uint64_t i = 0; e == 0 && i < ind.size / bs; i++) {
        long b = ext2_bmap(r->fs, &ind, i, 0, NULL);
        if (b <= 0)
            return b < 0 ? (int)b : ext2_corrupt(r->fs, "repair: hole in a directory");
        e = ext2_bread(r->fs, (uint32_t)b, 0, bs, r->buf);
        if (e == 0)
            e = fn(r, dir, (uint32_t)i, (uint32_t)b, dblock_usable(r->fs, r->buf, (uint32_t)i));
    }
    return e;
}

// Records that directory dir names subdirectory child; 0 or -ENOMEM.
static int edge_add(struct ext2_rp *r, uint32_t dir, uint32_t child)
{
    if (r->nedges == r->edge_cap) {
        uint32_t cap = r->edge_cap ? 2 * r->edge_cap : 256;
        void *n = realloc(r->edges, cap * sizeof(*r->edges));
        if (!n)
            return -ENOMEM;
        r->edges = n;
        r->edge_cap = cap;
    }
    r->edges[r->nedges++] = (struct rp_edge){ dir, child };
    return 0;
}

// First scan: records ".." and the names of subdirectories.
static int collect_fn(struct ext2_rp *r, uint32_t dir, uint32_t lblk, uint32_t phys, int usable)
{
    int e = 0;
    (void)phys;
    for (uint32_t off = 0, k = 0; usable && e == 0 && off < r->fs->block_size; k++) {
        const uint8_t *p = r->buf + off;
        int kind = rec_kind(r, lblk, k, p);
        if (kind == E_DOTDOT)
            r->parent[dir] = le32(p);
        if (kind == E_DIR || kind == E_FILE)
            r->flags[dir] |= RP_DATA;
        if (kind == E_DIR)
            e = edge_add(r, dir, le32(p));
        if (kind == E_DIR && dir == EXT2_ROOT_INO && !r->lpf && rec_named(p, rec_nlen(r->fs, p), "lost+found"))
            r->lpf = le32(p);
        off += rec_len(p);
    }
    return e;
}

// The edges of directory dir: [*a, *b) (edges are sorted by directory).
static void edge_range(struct ext2_rp *r, uint32_t dir, uint32_t *a, uint32_t *b)
{
    uint32_t lo = 0, hi = r->nedges;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->edges[mid].dir < dir)
            lo = mid + 1;
        else
            hi = mid;
    }
    *a = lo;
    while (lo < r->nedges && r->edges[lo].dir == dir)
        lo++;
    *b = lo;
}

// Breadth-first from the root: the depth of every reachable directory.
static int dir_reach(struct ext2_rp *r)
{
    uint32_t *q = malloc(((size_t)r->fs->inodes_count + 1) * sizeof(*q)), head = 0, tail = 0;
    if (!q)
        return -ENOMEM;
    r->depth[EXT2_ROOT_INO] = 1;
    q[tail++] = EXT2_ROOT_INO;
    while (head < tail) {
        uint32_t d = q[head++], a, b;
        for (edge_range(r, d, &a, &b); a < b; a++) {
            uint32_t c = r->edges[a].child;
            if (!r->depth[c]) {
                r->depth[c] = r->depth[d] + 1;
                q[tail++] = c;
            }
        }
    }
    free(q);
    return 0;
}

// Is directory ino named in an unreached directory (edges below n0)?
static int named_unreached(struct ext2_rp *r, uint32_t ino, uint32_t n0)
{
    for (uint32_t i = 0; i < n0; i++)
        if (r->edges[i].child == ino && !r->depth[r->edges[i].dir])
            return 1;
    return 0;
}

static int edge_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct rp_edge *)a)->dir, y = ((const struct rp_edge *)b)->dir;
    return x < y ? -1 : x > y;
}

// Keeps each unreached directory holding names that no unreached one
// names (the top of a subtree cut off by a rename): an edge from lost+found
// (or the root), then the walk from the root again.
static int adopt_dirs(struct ext2_rp *r)
{
    uint32_t n0 = r->nedges, n = r->fs->inodes_count, want = RP_USED | RP_DIR | RP_DATA;
    int e = 0;
    r->lpf = r->lpf && r->depth[r->lpf] ? r->lpf : EXT2_ROOT_INO;
    for (uint32_t ino = r->fs->first_ino; e == 0 && ino <= n; ino++) {
        if ((r->flags[ino] & want) != want || r->depth[ino] || named_unreached(r, ino, n0))
            continue;
        r->flags[ino] |= RP_ADOPT;
        r->refs[r->lpf]++;
        e = edge_add(r, r->lpf, ino);
    }
    if (e < 0 || r->nedges == n0)
        return e;
    qsort(r->edges, r->nedges, sizeof(*r->edges), edge_cmp);
    memset(r->depth, 0, ((size_t)n + 1) * sizeof(*r->depth));
    return dir_reach(r);
}

// Picks each reached directory's parent: with dotdot, the one its ".."
// names if that one is reached and holds a name of it; else the first one
// a level nearer the root (which always makes a tree).
static void pick_parents(struct ext2_rp *r, int dotdot)
{
    for (uint32_t i = 0; dotdot && i < r->nedges; i++) {
        uint32_t p = r->edges[i].dir, c = r->edges[i].child;
        if (r->depth[p] && r->parent[c] == p)
            r->flags[c] |= RP_DOTOK;
    }
    for (uint32_t ino = 1; ino <= r->fs->inodes_count; ino++)
        if (r->depth[ino] && !(r->flags[ino] & RP_DOTOK))
            r->parent[ino] = 0;
    for (uint32_t i = 0; i < r->nedges; i++) {
        uint32_t p = r->edges[i].dir, c = r->edges[i].child;
        if (r->depth[p] && !r->parent[c] && r->depth[p] + 1 == r->depth[c])
            r->parent[c] = p;
    }
    r->parent[EXT2_ROOT_INO] = EXT2_ROOT_INO;
}

// Does every reached directory's parent chain lead to the root?
static int parents_ok(struct ext2_rp *r)
{
    uint32_t n = r->fs->inodes_count;
    for (uint32_t c = 1; c <= n; c++) {
        uint32_t x = c, steps = 0;
        if (!r->depth[c])
            continue;
        while (x != EXT2_ROOT_INO && !(r->flags[x] & RP_CHECKED)) {
            x = r->parent[x];
            if (!x || x > n || !r->depth[x] || ++steps > n)
                return 0;
        }
        for (x = c; x != EXT2_ROOT_INO && !(r->flags[x] & RP_CHECKED); x = r->parent[x])
            r->flags[x] |= RP_CHECKED;
    }
    return 1;
}

// Writes a directory record for "." or ".." at p.
static void rec_put(struct ext2 *fs, uint8_t *p, uint32_t ino, uint32_t len, const char *name)
{
    uint32_t n = (uint32_t)strlen(name);
    put32(p, ino);
    put16(p + 4, len);
    if (fs->filetype) {
        p[6] = (uint8_t)n;
        p[7] = FT_DIR;
    } else {
        put16(p + 6, n);
    }
    memcpy(p + DE_HEAD, name, n);
}

// Replaces an unreadable block of dir: block 0 by "." and "..", another
// by one empty record.
static int dblock_reset(struct ext2_rp *r, uint32_t dir, uint32_t lblk, uint32_t phys)
{
    struct ext2 *fs = r->fs;
    memset(r->buf, 0, fs->block_size);
    if (lblk == 0) {
        rec_put(fs, r->buf, dir, 12, ".");
        rec_put(fs, r->buf + 12, r->parent[dir], fs->block_size - 12, "..");
    } else {
        put16(r->buf + 4, fs->block_size);
    }
    r->st->dir_blocks_reset++;
    r->touched = 1;
    return ext2_bwrite(fs, phys, 0, fs->block_size, r->buf);
}

// Points record p at ino with the right file type; 1 if it changed.
static int rec_fix(struct ext2_rp *r, uint8_t *p, uint32_t ino)
{
    int changed = 0;
    if (le32(p) != ino) {
        put32(p, ino);
        changed = 1;
    }
    if (r->fs->filetype && p[7] != r->ftype[ino]) {
        p[7] = r->ftype[ino];
        changed = 1;
    }
    r->st->entries_fixed += (uint32_t)changed;
    return changed;
}

// Removes record off: merged into the previous one, or emptied (ino 0)
// when first in the block (then it is the previous one for the next).
static void rec_remove(struct ext2_rp *r, uint32_t off, uint32_t *prev)
{
    uint8_t *p = r->buf + off;
    if (*prev == NONE) {
        put32(p, 0);
        *prev = off;
    } else {
        uint8_t *q = r->buf + *prev;
        put16(q + 4, rec_len(q) + rec_len(p));
    }
    r->st->entries_removed++;
}

// Second scan (reached directories): fixes the block's records and counts
// the names kept.
static int fix_fn(struct ext2_rp *r, uint32_t dir, uint32_t lblk, uint32_t phys, int usable)
{
    uint32_t prev = NONE, next, bs = r->fs->block_size;
    int changed = 0;
    if (!usable)
        return dblock_reset(r, dir, lblk, phys);
    for (uint32_t off = 0, k = 0; off < bs; off = next, k++) {
        uint8_t *p = r->buf + off;
        int kind = rec_kind(r, lblk, k, p);
        uint32_t ino = kind == E_DOT ? dir : kind == E_DOTDOT ? r->parent[dir] : le32(p);
        next = off + rec_len(p);
        if (kind == E_DIR && (r->parent[ino] != dir || (r->flags[ino] & RP_KEPT)))
            kind = E_DROP;
        if (kind == E_DROP) {
            rec_remove(r, off, &prev);
            changed = 1;
            continue;
        }
        if (kind != E_SKIP)
            changed |= rec_fix(r, p, ino);
        if (kind == E_DIR) {
            r->flags[ino] |= RP_KEPT;
            r->refs[dir]++;
        } else if (kind == E_FILE) {
            r->refs[ino]++;
        }
        prev = off;
    }
    r->touched |= changed;
    return changed ? ext2_bwrite(r->fs, phys, 0, bs, r->buf) : 0;
}

// Fixes the blocks of reached directory dir; a changed one loses its
// hashed index flag (the index no longer matches).
static int dir_fix(struct ext2_rp *r, uint32_t dir)
{
    struct ext2_inode ind;
    r->touched = 0;
    int e = rd_each(r, dir, fix_fn);
    if (e < 0 || !r->touched)
        return e;
    if ((e = ext2_inode_get(r->fs, dir, &ind)) < 0 || !(ind.flags & EXT2_INDEX_FL))
        return e;
    ind.flags &= ~(uint32_t)EXT2_INDEX_FL;
    r->flags[dir] |= RP_FIXED;
    return ext2_inode_put(r->fs, &ind);
}

// After the scans: an in-use inode without a name is freed when empty,
// else kept for lost+found.
static int settle_unnamed(struct ext2_rp *r)
{
    for (uint32_t ino = r->fs->first_ino; ino <= r->fs->inodes_count; ino++) {
        uint16_t f = r->flags[ino];
        int e = 0;
        if (!(f & RP_USED) || ((f & RP_DIR) ? r->depth[ino] != 0 : r->refs[ino] != 0))
            continue;
        if (!(f & RP_DIR) && (f & RP_DATA)) {
            r->flags[ino] |= RP_ADOPT;
            r->refs[ino] = 1;
        } else if ((e = rp_free(r, ino)) < 0) {
            return e;
        }
    }
    return 0;
}

// Checks the directory tree (see the top of the file).
int rp_dirs(struct ext2_rp *r)
{
    uint32_t n = r->fs->inodes_count;
    int e = 0;
    for (uint32_t ino = 1; e == 0 && ino <= n; ino++)
        if ((r->flags[ino] & (RP_USED | RP_DIR)) == (RP_USED | RP_DIR))
            e = rd_each(r, ino, collect_fn);
    if (e == 0)
        e = dir_reach(r);
    if (e == 0)
        e = adopt_dirs(r);
    if (e < 0)
        return e;
    pick_parents(r, 1);
    if (!parents_ok(r)) {
        for (uint32_t ino = 1; ino <= n; ino++)
            r->flags[ino] &= (uint16_t)~RP_DOTOK;
        pick_parents(r, 0);
    }
    for (uint32_t ino = 1; e == 0 && ino <= n; ino++)
        if (r->depth[ino])
            e = dir_fix(r, ino);
    return e < 0 ? e : settle_unnamed(r);
}

// The name "#ino" for an adopted inode; its length.
static uint32_t adopt_name(char *out, uint32_t ino)
{
    char d[12];
    int n = 12;
    do {
        d[--n] = (char)('0' + ino % 10);
    } while (ino /= 10);
    out[0] = '#';
    memcpy(out + 1, d + n, (size_t)(12 - n));
    return (uint32_t)(13 - n);
}

// Names adopted inode ino "#ino" in r->lpf ("#ino~" and so on if taken).
static int adopt_one(struct ext2_rp *r, uint32_t ino)
{
    struct ext2_inode dir, ind;
    char name[24];
    uint32_t len = adopt_name(name, ino);
    int e = ext2_inode_get(r->fs, r->lpf, &dir);
    if (e == 0)
        e = ext2_inode_get(r->fs, ino, &ind);
    while (e == 0 && len < 20 && ext2_dir_find(r->fs, &dir, name, len) > 0)
        name[len++] = '~';
    if (e == 0)
        e = ext2_dir_add(r->fs, &dir, name, len, ino, ind.mode);
    r->st->inodes_relinked += e == 0;
    return e;
}

// Last step: the adopted inodes get their names. The file system is
// consistent by now (counts, links, maps), so the library's own directory
// code does it, allocating a block if lost+found is full.
int rp_adopt(struct ext2_rp *r)
{
    for (uint32_t ino = r->fs->first_ino; ino <= r->fs->inodes_count; ino++) {
        int e = (r->flags[ino] & RP_ADOPT) ? adopt_one(r, ino) : 0;
        if (e < 0)
            return e;
    }
    return 0;
}
