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
#define SB_MAGIC          0x38
#define SB_REV            0x4C
#define SB_FIRST_INO      0x54
#define SB_INODE_SIZE     0x58
#define SB_COMPAT         0x5C
#define SB_INCOMPAT       0x60
#define SB_RO_COMPAT      0x64
#define SB_RESERVED_GDT   0xCE
#define SB_WANT_EXTRA     0x15C
#define EXT2_MAGIC        0xEF53

#define COMPAT_RESIZE_INODE  0x10
#define INCOMPAT_FILETYPE    0x2
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
int ext2_bwrite(struct ext2 *fs, uint32_t blk, uint32_t off, uint32_t len, const void *in);
int ext2_bzero(struct ext2 *fs, uint32_t blk);
int ext2_flush(struct ext2 *fs);

// ext2_alloc.c
int ext2_has_super(struct ext2 *fs, uint32_t g);
int ext2_blk_ok(struct ext2 *fs, uint32_t blk);           // a valid data block number?
long ext2_block_alloc(struct ext2 *fs, uint32_t group);
int ext2_block_free(struct ext2 *fs, uint32_t blk);
long ext2_ialloc(struct ext2 *fs, uint32_t group, int dir);
int ext2_ifree(struct ext2 *fs, uint32_t ino, int dir);

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

#endif
