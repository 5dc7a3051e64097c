// Internals of the ext2 library (ext2.h): on-disk offsets, the inode as the
// library handles it, and the functions the ext2_*.c files share. All
// numbers on the disk are little-endian; they are read byte by byte.
#ifndef EXT2_IMPL_H
#define EXT2_IMPL_H
#include <stdint.h>
#include "ext2.h"

// Superblock fields (byte offsets).
#define SB_INODES_COUNT   0x00
#define SB_BLOCKS_COUNT   0x04
#define SB_FREE_BLOCKS    0x0C
#define SB_FREE_INODES    0x10
#define SB_FIRST_DATA     0x14
#define SB_LOG_BLOCK      0x18
#define SB_BLOCKS_PER_G   0x20
#define SB_INODES_PER_G   0x28
#define SB_MTIME          0x2C
#define SB_WTIME          0x30
#define SB_MAGIC          0x38
#define SB_STATE          0x3A
#define SB_REV            0x4C
#define SB_FIRST_INO      0x54
#define SB_INODE_SIZE     0x58
#define SB_COMPAT         0x5C
#define SB_INCOMPAT       0x60
#define SB_RO_COMPAT      0x64
#define SB_RESERVED_GDT   0xCE
#define SB_LAST_ORPHAN    0xE8
#define SB_JOURNAL_INUM   0xE0
#define SB_JOURNAL_DEV    0xE4
#define SB_MKFS_TIME      0x108
#define SB_WANT_EXTRA     0x15C
#define EXT2_MAGIC        0xEF53

#define COMPAT_HAS_JOURNAL   0x4
#define COMPAT_RESIZE_INODE  0x10
#define INCOMPAT_FILETYPE    0x2
#define INCOMPAT_RECOVER     0x4     // the journal needs replaying
#define RO_COMPAT_SPARSE     0x1
#define RO_COMPAT_LARGE_FILE 0x2

// Group descriptor fields (32 bytes each).
#define GD_SIZE           32
#define GD_BLOCK_BITMAP   0x00
#define GD_INODE_BITMAP   0x04
#define GD_INODE_TABLE    0x08
#define GD_FREE_BLOCKS    0x0C
#define GD_FREE_INODES    0x0E
#define GD_USED_DIRS      0x10

// Inode fields.
#define I_EXTRA_ISIZE     0x80
#define EXT2_INODE_RAW    160      // bytes of an inode the library keeps
#define EXT2_NDIR         12
#define EXT2_FAST_LINK    60       // symlink targets shorter than this live in i_block
#define EXT2_INDEX_FL     0x1000
#define EXT2_DIR_MAX      (128u << 20)   // larger directories are taken as corrupt
#define EXT2_LINK_MAX     32000

#define S_FMT   0xF000
#define S_REG   0x8000
#define S_DIR   0x4000
#define S_LNK   0xA000

// Directory entry file types (filetype feature).
#define FT_REG  1
#define FT_DIR  2
#define FT_LNK  7

static inline uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }
static inline void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

// An inode: decoded fields plus the bytes read, so that fields the library
// does not know are written back unchanged.
struct ext2_inode {
    uint32_t ino;
    uint32_t mode, uid, gid, links;
    uint64_t size;
    uint32_t atime, ctime, mtime, dtime, blocks, flags, file_acl;
    uint32_t block[15];
    uint8_t raw[EXT2_INODE_RAW];
};

static inline int ext2_is_dir(const struct ext2_inode *i) { return (i->mode & S_FMT) == S_DIR; }
static inline int ext2_is_reg(const struct ext2_inode *i) { return (i->mode & S_FMT) == S_REG; }
static inline int ext2_is_lnk(const struct ext2_inode *i) { return (i->mode & S_FMT) == S_LNK; }

// ext2_super.c
int ext2_corrupt(struct ext2 *fs, const char *why);      // -> -EIO, records why
int ext2_fail(struct ext2 *fs, int err, const char *why);
long ext2_done(struct ext2 *fs, long ret);                // flushes; ret or a write error
uint8_t *ext2_gd(struct ext2 *fs, uint32_t g);
int ext2_gd_put(struct ext2 *fs, uint32_t g);
int ext2_sb_put(struct ext2 *fs);

// ext2_cache.c
int ext2_cache_init(struct ext2 *fs);
void ext2_cache_free(struct ext2 *fs);
int ext2_bread(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, void *out);
int ext2_bref(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void **out);
int ext2_bwrite(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void *in);
int ext2_bzero(struct ext2 *fs, uint32_t blk);
int ext2_flush(struct ext2 *fs);
int ext2_bwrite_data(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void *in);
int ext2_bzero_data(struct ext2 *fs, uint32_t blk);
int ext2_writeback(struct ext2 *fs);
void ext2_cache_drop(struct ext2 *fs);

// ext2_journal.c (fs->jnl: the image's journal, NULL without one)
int ext2_jnl_mount(struct ext2 *fs);
void ext2_jnl_free(struct ext2 *fs);
int ext2_jnl_commit(struct ext2 *fs, uint32_t n, const uint32_t *blks, uint8_t *const *data);
int ext2_jnl_tx_full(struct ext2 *fs, uint32_t ntxn);
int ext2_jnl_needs_checkpoint(struct ext2 *fs);
int ext2_jnl_checkpoint(struct ext2 *fs, int empty);
int ext2_jnl_revoke(struct ext2 *fs, uint32_t blk);
uint32_t *ext2_jnl_blks(struct ext2 *fs);
uint8_t **ext2_jnl_data(struct ext2 *fs);

// ext2_alloc.c
int ext2_has_super(struct ext2 *fs, uint32_t g);
int ext2_blk_ok(struct ext2 *fs, uint32_t blk);           // a valid data block number?
long ext2_block_alloc(struct ext2 *fs, uint32_t group);
int ext2_block_free(struct ext2 *fs, uint32_t blk);
long ext2_ialloc(struct ext2 *fs, uint32_t group, int dir);
int ext2_ifree(struct ext2 *fs, uint32_t ino, int dir);
void ext2_sb_counts(struct ext2 *fs);

// ext2_inode.c
int ext2_inode_get(struct ext2 *fs, uint32_t ino, struct ext2_inode *ind);
int ext2_inode_put(struct ext2 *fs, struct ext2_inode *ind);
int ext2_inode_live(struct ext2 *fs, uint64_t ino, struct ext2_inode *ind);
long ext2_inode_new(struct ext2 *fs, uint32_t group, uint32_t mode, struct ext2_inode *ind);
int ext2_inode_release(struct ext2 *fs, struct ext2_inode *ind);
void ext2_touch(struct ext2 *fs, struct ext2_inode *ind);
int ext2_link_is_fast(struct ext2 *fs, const struct ext2_inode *ind);
uint32_t ext2_inode_group(struct ext2 *fs, const struct ext2_inode *ind);

// ext2_bmap.c
long ext2_bmap(struct ext2 *fs, struct ext2_inode *ind, uint64_t lblk, int alloc, int *fresh);
int ext2_bmap_trim(struct ext2 *fs, struct ext2_inode *ind, uint64_t from);

// ext2_file.c
long ext2_link_target(struct ext2 *fs, struct ext2_inode *ind, char *out);
int ext2_grow_limit(struct ext2 *fs, uint64_t size);

// ext2_dir.c
long ext2_dir_find(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len);
int ext2_dir_add(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len,
                 uint32_t ino, uint32_t mode);
int ext2_dir_remove(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len);
int ext2_dir_retarget(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len,
                      uint32_t ino, uint32_t mode);
int ext2_dir_empty(struct ext2 *fs, struct ext2_inode *dir);
int ext2_dir_init(struct ext2 *fs, struct ext2_inode *dir, uint32_t parent);
int ext2_dir_set_parent(struct ext2 *fs, struct ext2_inode *dir, uint32_t parent);

// ext2_path.c
struct ext2_last { uint32_t len; char name[FS_NAME_MAX + 1]; };
long ext2_walk(struct ext2 *fs, const char *path, int follow, struct ext2_last *last);
long ext2_child(struct ext2 *fs, struct ext2_inode *dir, const char *name, uint32_t len,
                struct ext2_inode *child);

// ext2_repair*.c: the state of one ext2_repair() run. Per inode number:
#define RP_USED    0x001   // in use (so far)
#define RP_DIR     0x002   // a directory
#define RP_TREE    0x004   // has a block tree (file, directory, slow symlink; reserved: blocks)
#define RP_SUSPECT 0x008   // its tree needs fixing: it claims its blocks last
#define RP_RECORD  0x010   // not in use: the record gets links 0 and a dtime at the end
#define RP_DTIME   0x020   // in use with a dtime to clear
#define RP_DOTOK   0x040   // directory whose ".." names a reached directory holding its name
#define RP_KEPT    0x080   // directory whose one name was kept
#define RP_CHECKED 0x100   // directory whose parent chain reaches the root
#define RP_FREED   0x200   // was allocated, freed by the repair
#define RP_FIXED   0x400   // in use, record corrected
#define RP_DATA    0x800   // file with a size, or directory with names: kept if unnamed
#define RP_ADOPT   0x1000  // unnamed but kept: gets a name in lost+found at the end

struct rp_edge { uint32_t dir, child; };     // a name of directory child in dir
struct rp_xattr { uint32_t blk, refs; };     // an extended attribute block and its users

struct ext2_rp {
    struct ext2 *fs;
    struct ext2_repair_stats *st;
    uint16_t *flags;               // RP_*
    uint16_t *links;               // the links count on the disk
    uint8_t *ftype;                // the directory entry type of its mode
    uint32_t *refs;                // files: names kept; directories: subdirectories kept
    uint32_t *parent;              // directories: ".." on the disk, then the chosen parent
    uint32_t *depth;               // directories: 1 + distance from the root; 0: unreached
    uint8_t *claimed, *ondisk;     // block bitmaps (bit = block number): owned, and as on the disk
    struct rp_edge *edges;         // directory names of subdirectories, by directory
    uint32_t nedges, edge_cap;
    struct rp_xattr *xattrs;
    uint32_t nxattrs, xattr_cap;
    uint32_t lpf;                  // lost+found (or the root): where unnamed inodes go
    uint32_t dtime;                // dtime for the inodes it frees
    int low_dtime;                 // e2fsck takes dtimes below inodes_count for orphan links
    int touched;                   // the directory being fixed changed
    uint8_t *buf, *buf2;           // one block, and three
};

static inline int rp_bit(const uint8_t *map, uint32_t i) { return (map[i / 8] >> (i % 8)) & 1; }
static inline void rp_set(uint8_t *map, uint32_t i) { map[i / 8] |= (uint8_t)(1u << (i % 8)); }
static inline void rp_clr(uint8_t *map, uint32_t i) { map[i / 8] &= (uint8_t)~(1u << (i % 8)); }

// ext2_repair_tree.c
int rp_blocks(struct ext2_rp *r);
int rp_release(struct ext2_rp *r, uint32_t ino);
int rp_free(struct ext2_rp *r, uint32_t ino);
int rp_xattr_counts(struct ext2_rp *r);
// ext2_repair_dir.c
int rp_dirs(struct ext2_rp *r);
int rp_adopt(struct ext2_rp *r);
// ext2_repair_map.c
int rp_maps(struct ext2_rp *r);

#endif
