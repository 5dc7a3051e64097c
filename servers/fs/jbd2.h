// The JBD2 journal format (the journal of ext3/ext4, as the host's e2fsck
// reads it), without checksums or 64-bit block numbers: the journal
// superblock, descriptor blocks with their tags, commit blocks and revoke
// blocks, and the recovery scan over a journal given as callbacks. Pure
// C11, no knowledge of ext2: built for the fs server and the host tests.
// All numbers in the journal are big-endian.
//
// A journal is a ring of blocks [first, maxlen) after its superblock
// (block 0). A transaction is one or more descriptor blocks, each followed
// by the copies of the blocks its tags name, optional revoke blocks, and a
// commit block; all carry the transaction's sequence number. s_start is
// where the oldest transaction not yet written in place begins (0: the
// journal is empty), s_sequence its number.
#ifndef JBD2_H
#define JBD2_H
#include <stdint.h>

#define JBD2_MAGIC          0xC03B3998u
#define JBD2_DESCRIPTOR     1
#define JBD2_COMMIT         2
#define JBD2_SB_V1          3
#define JBD2_SB_V2          4
#define JBD2_REVOKE         5

#define JBD2_FLAG_ESCAPE    1        // the block began with JBD2_MAGIC (zeroed in the journal)
#define JBD2_FLAG_SAME_UUID 2        // no UUID after this tag
#define JBD2_FLAG_LAST_TAG  8

#define JBD2_INCOMPAT_REVOKE 0x1     // the only feature handled
#define JBD2_HDR            12       // magic, block type, sequence
#define JBD2_TAG            8        // block number, checksum (unused), flags
#define JBD2_UUID           16
#define JBD2_REVOKE_HDR     16       // header and r_count

// The fields of the journal superblock the library uses.
struct jbd2_sb {
    uint32_t blocksize, maxlen, first, sequence, start;
    uint32_t incompat;
};

// Checks a journal superblock block (bs bytes, for a journal of nblocks
// blocks of a file system with block size bs); NULL or what is wrong.
const char *jbd2_sb_decode(const uint8_t *b, uint32_t bs, uint32_t nblocks, struct jbd2_sb *sb);
// Puts start, sequence and the incompat features into the block b (the
// other bytes are kept).
void jbd2_sb_encode(uint8_t *b, const struct jbd2_sb *sb);
// A fresh v2 superblock for a journal of nblocks blocks (bs bytes each).
void jbd2_sb_format(uint8_t *b, uint32_t bs, uint32_t nblocks, uint32_t sequence);

uint32_t jbd2_be32(const uint8_t *p);
void jbd2_put_be32(uint8_t *p, uint32_t v);
// Fills the block header (the rest of the block is zeroed).
void jbd2_block_init(uint8_t *b, uint32_t bs, uint32_t type, uint32_t sequence);
// How many tags fit in a descriptor block of bs bytes.
uint32_t jbd2_tags_per_block(uint32_t bs);
// Puts tag i (0-based) of a descriptor: fs block blk; escape: its copy
// had its first four bytes zeroed; last: no tag follows.
void jbd2_tag_put(uint8_t *desc, uint32_t i, uint32_t blk, int escape, int last);
// A commit block stamped with the time sec (seconds since 1970).
void jbd2_commit_init(uint8_t *b, uint32_t bs, uint32_t sequence, uint64_t sec);
// Revoke block: how many block numbers fit, and entry i.
uint32_t jbd2_revokes_per_block(uint32_t bs);
void jbd2_revoke_put(uint8_t *b, uint32_t i, uint32_t blk);
void jbd2_revoke_count(uint8_t *b, uint32_t n);       // sets r_count for n entries
// Prepares the copy of a block for the journal: 1 if it had to be escaped
// (its first four bytes, the magic, are zeroed in out).
int jbd2_escape(uint8_t *out, const uint8_t *in, uint32_t bs);

// Recovery. read(ctx, jblk, buf): journal block jblk (0 = superblock);
// write(ctx, fsblk, buf): puts a block in place. Both 0 or -errno.
struct jbd2_io {
    void *ctx;
    int (*read)(void *ctx, uint32_t jblk, uint8_t *buf);
    int (*write)(void *ctx, uint32_t fsblk, const uint8_t *buf);
    uint32_t fs_blocks;              // tags naming a block at or past this are corrupt
};

struct jbd2_result {
    uint32_t end;                    // first sequence not committed (the next to use is end + 1)
    uint32_t transactions;           // committed transactions found
    uint32_t replayed, revoked;      // blocks written in place (each once: its newest
                                     // copy), blocks skipped by a revoke
    uint32_t blocks;                 // journal blocks scanned
    const char *bad;                 // why the journal was refused (nothing was written)
};

// Replays the committed transactions from sb->start (which must not be
// 0): skips revoked blocks, stops at the first incomplete transaction.
// Only descriptor, revoke and commit blocks are read to find them; then
// each block's newest copy is read and written once.
// A committed transaction with a bad tag or revoke block refuses the whole
// journal before anything is written (-EINVAL, res->bad says why).
// 0, -EINVAL, -ENOMEM, or a read or write error.
int jbd2_recover(const struct jbd2_sb *sb, const struct jbd2_io *io, struct jbd2_result *res);

#endif
