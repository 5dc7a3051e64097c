// Host tests for the journal: the JBD2 block encoding, the recovery scan
// over a journal made in memory (torn at every block, a missing commit, a
// revoke, wrap-around, bad tags), and the ext2 library on images made with
// mkfs.ext2 -j: a crash at every write of every kind of operation is
// replayed at the next mount without the repair pass, e2fsck replays what
// the library left and agrees, a bad journal falls back to the repair, and
// the mount after a crash costs the same on a 16 MiB and a 1 GiB image.
#pragma GCC diagnostic ignored "-Wunused-function"
#include "ext2/sweep.h"

// ---- the format ----

TEST(sb_decode)
{
    uint8_t b[1024];
    struct jbd2_sb sb;
    jbd2_sb_format(b, 1024, 64, 7);
    CHECK(jbd2_sb_decode(b, 1024, 64, &sb) == NULL);
    CHECK_EQ(sb.maxlen, 64);
    CHECK_EQ(sb.first, 1);
    CHECK_EQ(sb.sequence, 7);
    CHECK_EQ(sb.start, 0);
    CHECK(jbd2_sb_decode(b, 4096, 64, &sb) != NULL);          // block size differs
    CHECK(jbd2_sb_decode(b, 1024, 32, &sb) != NULL);          // longer than the inode
    sb.start = 5;
    sb.sequence = 9;
    jbd2_sb_encode(b, &sb);
    CHECK(jbd2_sb_decode(b, 1024, 64, &sb) == NULL);
    CHECK_EQ(sb.start, 5);
    CHECK_EQ(sb.sequence, 9);
    sb.start = 64;                                            // past the end
    jbd2_sb_encode(b, &sb);
    CHECK(jbd2_sb_decode(b, 1024, 64, &sb) != NULL);
    jbd2_sb_format(b, 1024, 64, 1);
    jbd2_put_be32(b + 0x28, 0x10);                            // checksum v3
    CHECK(jbd2_sb_decode(b, 1024, 64, &sb) != NULL);
    jbd2_sb_format(b, 1024, 64, 1);
    b[0] ^= 1;
    CHECK(jbd2_sb_decode(b, 1024, 64, &sb) != NULL);
}

TEST(tag_layout)
{
    uint8_t d[1024];
    jbd2_block_init(d, 1024, JBD2_DESCRIPTOR, 3);
    CHECK_EQ(jbd2_be32(d), JBD2_MAGIC);
    CHECK_EQ(jbd2_be32(d + 4), JBD2_DESCRIPTOR);
    CHECK_EQ(jbd2_be32(d + 8), 3);
    jbd2_tag_put(d, 0, 100, 0, 0);
    jbd2_tag_put(d, 1, 200, 1, 1);
    CHECK_EQ(jbd2_be32(d + 12), 100);
    CHECK_EQ(d[19], 0);                                       // first tag: a UUID follows
    CHECK_EQ(jbd2_be32(d + 12 + 8 + 16), 200);                // after the 16-byte UUID
    CHECK_EQ(d[12 + 24 + 7], JBD2_FLAG_SAME_UUID | JBD2_FLAG_ESCAPE | JBD2_FLAG_LAST_TAG);
    CHECK_EQ(jbd2_tags_per_block(4096), (4096 - 28) / 8);
    uint8_t in[1024], out[1024];
    memset(in, 0x55, sizeof(in));
    CHECK_EQ(jbd2_escape(out, in, 1024), 0);
    jbd2_put_be32(in, JBD2_MAGIC);
    CHECK_EQ(jbd2_escape(out, in, 1024), 1);
    CHECK_EQ(jbd2_be32(out), 0);
    CHECK_EQ(out[4], 0x55);
}

// ---- recovery over a journal in memory ----

#define MBS   1024
#define MLEN  64                   // journal blocks (superblock at 0, ring 1..63)
#define MFS   256                  // file system blocks

struct mj {
    uint8_t j[MLEN][MBS];
    uint8_t fs[MFS][MBS];
    uint32_t writes;
    struct jbd2_sb sb;
};

static int mj_read(void *ctx, uint32_t jblk, uint8_t *buf)
{
    struct mj *m = ctx;
    if (jblk >= MLEN)
        return -EIO;
    memcpy(buf, m->j[jblk], MBS);
    return 0;
}

static int mj_write(void *ctx, uint32_t fsblk, const uint8_t *buf)
{
    struct mj *m = ctx;
    if (fsblk >= MFS)
        return -EIO;
    memcpy(m->fs[fsblk], buf, MBS);
    m->writes++;
    return 0;
}

static uint32_t mj_next(uint32_t pos) { return pos + 1 < MLEN ? pos + 1 : 1; }

// Writes a transaction at pos: one descriptor naming blks (their copies
// filled with seq * 1000 + blk), then revokes, then (commit) a commit
// block. The position after it.
static uint32_t mj_tx(struct mj *m, uint32_t pos, uint32_t seq, const uint32_t *blks, uint32_t n,
                      const uint32_t *revs, uint32_t nrev, int commit)
{
    uint8_t *desc = m->j[pos];
    if (n) {
        jbd2_block_init(desc, MBS, JBD2_DESCRIPTOR, seq);
        pos = mj_next(pos);
        for (uint32_t i = 0; i < n; i++) {
            uint8_t copy[MBS];
            memset(copy, 0, MBS);
            jbd2_put_be32(copy + 8, seq * 1000 + blks[i]);
            if (blks[i] == 13)
                jbd2_put_be32(copy, JBD2_MAGIC);              // escaped in the journal
            int esc = jbd2_escape(m->j[pos], copy, MBS);
            jbd2_tag_put(desc, i, blks[i], esc, i == n - 1);
            pos = mj_next(pos);
        }
    }
    if (nrev) {
        jbd2_block_init(m->j[pos], MBS, JBD2_REVOKE, seq);
        for (uint32_t i = 0; i < nrev; i++)
            jbd2_revoke_put(m->j[pos], i, revs[i]);
        jbd2_revoke_count(m->j[pos], nrev);
        pos = mj_next(pos);
    }
    if (commit) {
        jbd2_commit_init(m->j[pos], MBS, seq, 1700000000);
        pos = mj_next(pos);
    }
    return pos;
}

static void mj_init(struct mj *m, uint32_t start, uint32_t seq)
{
    memset(m, 0, sizeof(*m));
    jbd2_sb_format(m->j[0], MBS, MLEN, seq);
    m->sb = (struct jbd2_sb){ MBS, MLEN, 1, seq, start, 0 };
}

static int mj_recover(struct mj *m, struct jbd2_result *res)
{
    struct jbd2_io io = { m, mj_read, mj_write, MFS };
    return jbd2_recover(&m->sb, &io, res);
}

static uint32_t fs_val(struct mj *m, uint32_t blk) { return jbd2_be32(m->fs[blk] + 8); }

TEST(replay_three_transactions)
{
    static struct mj m;
    struct jbd2_result r;
    uint32_t a[] = { 10, 11, 13 }, b[] = { 11, 12 }, c[] = { 20 };
    mj_init(&m, 5, 40);
    uint32_t p = mj_tx(&m, 5, 40, a, 3, NULL, 0, 1);
    p = mj_tx(&m, p, 41, b, 2, NULL, 0, 1);
    mj_tx(&m, p, 42, c, 1, NULL, 0, 1);
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 3);
    CHECK_EQ(r.end, 43);
    CHECK_EQ(r.replayed, 5);                                  // 11 twice: its newest copy once
    CHECK_EQ(fs_val(&m, 10), 40010);
    CHECK_EQ(fs_val(&m, 11), 41011);                          // the later copy wins
    CHECK_EQ(fs_val(&m, 12), 41012);
    CHECK_EQ(fs_val(&m, 20), 42020);
    CHECK_EQ(jbd2_be32(m.fs[13]), JBD2_MAGIC);                // escape undone
    CHECK_EQ(fs_val(&m, 13), 40013);
}

// The last transaction written up to block k of its 5 only (the rest
// still holds an older pass of the ring): replayed only when whole.
TEST(replay_torn_at_every_block)
{
    static struct mj m, full;
    uint32_t a[] = { 30, 31 }, b[] = { 40, 41, 42 };
    mj_init(&full, 50, 7);
    uint32_t p = mj_tx(&full, 50, 7, a, 2, NULL, 0, 1);
    uint32_t p2 = p;
    mj_tx(&full, p, 8, b, 3, NULL, 0, 1);                     // 5 blocks, wraps past 63
    for (uint32_t k = 0; k <= 5; k++) {
        struct jbd2_result r;
        memcpy(&m, &full, sizeof(m));
        uint32_t q = p2;
        for (uint32_t i = 0; i < 5; i++, q = mj_next(q))
            if (i >= k)
                jbd2_block_init(m.j[q], MBS, JBD2_COMMIT, 3); // an old pass's block
        CHECK_EQ(mj_recover(&m, &r), 0);
        CHECK_EQ(r.transactions, k == 5 ? 2 : 1);
        CHECK_EQ(fs_val(&m, 30), 7030);
        CHECK_EQ(fs_val(&m, 40), k == 5 ? 8040 : 0);
        CHECK_EQ(fs_val(&m, 42), k == 5 ? 8042 : 0);
    }
}

TEST(replay_stops_at_missing_commit)
{
    static struct mj m;
    struct jbd2_result r;
    uint32_t a[] = { 1 }, b[] = { 2 }, c[] = { 3 };
    mj_init(&m, 1, 100);
    uint32_t p = mj_tx(&m, 1, 100, a, 1, NULL, 0, 1);
    p = mj_tx(&m, p, 101, b, 1, NULL, 0, 0);                  // no commit block
    mj_tx(&m, p, 102, c, 1, NULL, 0, 1);                      // starts where it would be
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 1);
    CHECK_EQ(r.end, 101);
    CHECK_EQ(fs_val(&m, 1), 100001);
    CHECK_EQ(fs_val(&m, 2), 0);
    CHECK_EQ(fs_val(&m, 3), 0);
}

TEST(replay_skips_revoked)
{
    static struct mj m;
    struct jbd2_result r;
    uint32_t a[] = { 7, 8 }, rv[] = { 7 }, c[] = { 8 }, d[] = { 7 };
    mj_init(&m, 3, 1);
    uint32_t p = mj_tx(&m, 3, 1, a, 2, NULL, 0, 1);
    p = mj_tx(&m, p, 2, c, 1, rv, 1, 1);                      // 7 freed (its data in place now)
    memset(m.fs[7], 0xAB, MBS);
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 2);
    CHECK_EQ(r.revoked, 1);
    CHECK_EQ(m.fs[7][8], 0xAB);                               // not overwritten by seq 1's copy
    CHECK_EQ(fs_val(&m, 8), 2008);
    mj_tx(&m, p, 3, d, 1, NULL, 0, 1);                        // used as metadata again later
    memset(m.fs, 0, sizeof(m.fs));
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 3);
    CHECK_EQ(fs_val(&m, 7), 3007);
    uint32_t e[] = { 9 }, rv2[] = { 9 };                      // revoked in its own transaction
    mj_init(&m, 3, 1);
    mj_tx(&m, 3, 1, e, 1, rv2, 1, 1);
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(fs_val(&m, 9), 0);
    uint32_t f[] = { 5 }, rv3[] = { 5 };                      // a revoke in an uncommitted one counts not
    mj_init(&m, 3, 1);
    p = mj_tx(&m, 3, 1, f, 1, NULL, 0, 1);
    mj_tx(&m, p, 2, NULL, 0, rv3, 1, 0);
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(fs_val(&m, 5), 1005);
}

TEST(replay_wraps_around)
{
    static struct mj m;
    struct jbd2_result r;
    uint32_t a[6] = { 50, 51, 52, 53, 54, 55 }, b[] = { 60 };
    mj_init(&m, 60, 0xfffffffeu);                             // the sequence wraps too
    uint32_t p = mj_tx(&m, 60, 0xfffffffeu, a, 6, NULL, 0, 1);
    CHECK_EQ(p, 5);                                           // 60..63, 1..4
    mj_tx(&m, p, 0xffffffffu, b, 1, NULL, 0, 1);
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 2);
    CHECK_EQ(r.end, 0);
    CHECK_EQ(fs_val(&m, 55), (uint32_t)(0xfffffffeu * 1000u + 55));
    CHECK_EQ(fs_val(&m, 60), (uint32_t)(0xffffffffu * 1000u + 60));
}

TEST(replay_refuses_bad_blocks)
{
    static struct mj m;
    struct jbd2_result r;
    uint32_t a[] = { 4 }, bad[] = { 5, MFS + 3 };
    mj_init(&m, 1, 1);
    uint32_t p = mj_tx(&m, 1, 1, a, 1, NULL, 0, 1);
    mj_tx(&m, p, 2, bad, 2, NULL, 0, 1);
    CHECK_EQ(mj_recover(&m, &r), -EINVAL);
    CHECK(r.bad && strstr(r.bad, "outside"));
    CHECK_EQ(m.writes, 0);                                    // nothing written
    mj_init(&m, 1, 1);
    p = mj_tx(&m, 1, 1, a, 1, NULL, 0, 1);
    mj_tx(&m, p, 2, bad, 2, NULL, 0, 0);                      // uncommitted: torn garbage
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 1);
    uint32_t rv[] = { MFS + 9 };
    mj_init(&m, 1, 1);
    mj_tx(&m, 1, 1, a, 1, rv, 1, 1);
    CHECK_EQ(mj_recover(&m, &r), -EINVAL);
    mj_init(&m, 1, 1);
    p = mj_tx(&m, 1, 1, a, 1, rv, 1, 1);
    jbd2_put_be32(m.j[p - 2] + 12, 5000);                     // revoke count past the block
    CHECK_EQ(mj_recover(&m, &r), -EINVAL);
    mj_init(&m, 1, 1);                                        // a ring of garbage: terminates
    for (uint32_t i = 1; i < MLEN; i++) {
        jbd2_block_init(m.j[i], MBS, JBD2_DESCRIPTOR, 1);
        jbd2_tag_put(m.j[i], 0, 1, 0, 0);
    }
    CHECK_EQ(mj_recover(&m, &r), 0);
    CHECK_EQ(r.transactions, 0);
}

// ---- the library on journaled images ----

static uint32_t img_u32(const char *img, uint64_t off)
{
    uint8_t b[4] = { 0 };
    int fd = open(img, O_RDONLY);
    if (fd < 0 || pread(fd, b, 4, (off_t)off) != 4)
        exit(2);
    close(fd);
    return le32(b);
}

static int needs_recovery(const char *img) { return (img_u32(img, 1024 + SB_INCOMPAT) & INCOMPAT_RECOVER) != 0; }

// e2fsck -fy on a copy (it replays the journal), then -fn on the copy.
static int fsck_after_replay(const char *img)
{
    char copy[300];
    snprintf(copy, sizeof(copy), "%s.replayed", img);
    if (h_sh("cp %s %s && e2fsck -fy %s >/dev/null 2>&1; true", img, copy, copy) != 0)
        return 0;
    return !needs_recovery(copy) && h_fsck(copy);
}

TEST(journal_unclean_stop_replays)
{
    char img[256];
    struct hdev h;
    h_path(img, "jnl.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256 -j", "16M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.journal.present, 1);
    CHECK_EQ(h.fs.repair.ran, 0);
    CHECK(put_file(&h.fs, "/a", 70 * KIB, 1) > 0);
    CHECK(ext2_mkdir(&h.fs, "/d") > 0);
    CHECK(put_file(&h.fs, "/d/b", 5000, 2) > 0);
    CHECK(h.fs.journal.commits >= 3);
    CHECK(h_close(&h, 1));                                    // no sync: a crash
    CHECK(needs_recovery(img));
    CHECK(fsck_after_replay(img));                            // e2fsck reads our journal
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.journal.replayed, 1);
    CHECK(h.fs.journal.transactions >= 3);
    CHECK_EQ(h.fs.repair.ran, 0);
    CHECK(file_is(&h.fs, "/a", 70 * KIB, 1, 0) && file_is(&h.fs, "/d/b", 5000, 2, 0));
    CHECK_EQ(ext2_unlink(&h.fs, "/a"), 0);
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK(!needs_recovery(img));
    CHECK(h_fsck(img));                                       // clean: the journal empty
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.journal.replayed, 0);
    CHECK_EQ(ext2_lookup(&h.fs, "/a"), -ENOENT);
    CHECK(file_is(&h.fs, "/d/b", 5000, 2, 0));
    CHECK(h_close(&h, 1));
}

// Many operations: the journal fills and is checkpointed over and over.
TEST(journal_checkpoints)
{
    char img[256], name[64];
    struct hdev h;
    h_path(img, "jcp.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128 -j", "8M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    for (int i = 0; i < 600; i++) {
        snprintf(name, sizeof(name), "/f%d", i % 40);
        long gone = ext2_unlink(&h.fs, name);
        CHECK(gone == 0 || gone == -ENOENT);
        if (i % 3)
            CHECK(put_file(&h.fs, name, (uint64_t)(i % 7) * 3000, (uint32_t)(i % 7)) >= 0);
    }
    CHECK(h.fs.journal.checkpoints >= 2);
    CHECK(h_close(&h, 1));
    CHECK(fsck_after_replay(img));
    CHECK_EQ(h_open(&h, img), 0);
    CHECK_EQ(h.fs.repair.ran, 0);
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(journal_bad_superblock_falls_back_to_repair)
{
    char img[256];
    struct hdev h;
    h_path(img, "jbad.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256 -j", "16M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(put_file(&h.fs, "/a", 9000, 3) > 0);
    CHECK(h_close(&h, 1));
    // the journal superblock: the journal inode's first block
    CHECK_EQ(h_open(&h, img), 0);
    uint64_t jsb = (uint64_t)h.fs.jnl->map[0] * 4096;
    CHECK(h_close(&h, 1));
    h_patch32(img, jsb, 0x12345678);                          // wrong magic
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(h.fs.journal.bad && strstr(h.fs.journal.bad, "magic"));
    CHECK_EQ(h.fs.repair.ran, 1);
    CHECK(file_is(&h.fs, "/a", 9000, 3, 0));
    CHECK(put_file(&h.fs, "/b", 100, 4) > 0);                 // journaling again
    CHECK(h_close(&h, 1));                                    // a crash: the new journal replays
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(!h.fs.journal.bad && h.fs.journal.replayed && !h.fs.repair.ran);
    CHECK(h.fs.journal.transactions >= 1);
    CHECK(file_is(&h.fs, "/b", 100, 4, 0));
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

// Damage that a journal keeps: a file's name gone while its inode stays
// (what a faulty fs, or a disk driver handing it a stale block, writes as
// readily as right data). A plain mount leaves it; ext2_mount_check (init
// asks fs for it after such a fault) repairs it.
TEST(journal_check_repairs_what_the_journal_keeps)
{
    char img[256];
    struct hdev h;
    h_path(img, "jcheck.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256 -j", "16M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(ext2_mkdir(&h.fs, "/d") > 0);
    CHECK(put_file(&h.fs, "/d/b", 5000, 2) > 0);
    CHECK(h_close(&h, 1));                                    // a crash: the journal has it
    CHECK_EQ(h_sh("debugfs -w -R 'unlink /d/b' %s >/dev/null 2>&1", img), 0);
    CHECK_EQ(h_open(&h, img), 0);                             // replays: the name comes back
    CHECK(h.fs.journal.replayed && !h.fs.repair.ran);
    CHECK(file_is(&h.fs, "/d/b", 5000, 2, 0));
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK_EQ(h_sh("debugfs -w -R 'unlink /d/b' %s >/dev/null 2>&1", img), 0);
    CHECK_EQ(h_open(&h, img), 0);                             // an empty journal: kept
    CHECK(!h.fs.journal.replayed && !h.fs.repair.ran);
    CHECK_EQ(ext2_lookup(&h.fs, "/d/b"), -ENOENT);
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    h_fsck_quiet = 1;
    CHECK(!h_fsck(img));                                      // the damage is real
    h_fsck_quiet = 0;
    CHECK_EQ(h_open(&h, img), 0);
    ext2_unmount(&h.fs);
    CHECK_EQ(ext2_mount_check(&h.fs, &h.dev, 1), 0);
    CHECK(h.fs.repair.ran && h.fs.repair.error == 0);
    CHECK_EQ(h.fs.repair.inodes_relinked, 1);                 // to /lost+found
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

TEST(journal_bad_descriptor_falls_back_to_repair)
{
    char img[256];
    struct hdev h;
    h_path(img, "jdesc.img");
    CHECK_EQ(h_mkfs(img, "-b 4096 -I 256 -j", "16M", NULL), 0);
    CHECK_EQ(h_open(&h, img), 0);
    uint64_t first = (uint64_t)h.fs.jnl->map[1] * 4096;      // the first descriptor goes here
    CHECK(put_file(&h.fs, "/a", 9000, 3) > 0);
    CHECK(h_close(&h, 1));
    CHECK_EQ(img_u32(img, first), 0x9839 * 0x10000u + 0x3BC0);   // the magic, big-endian
    h_patch32(img, first + 12, 0xffffff00);                   // first tag: block 0x00ffffff
    CHECK_EQ(h_open(&h, img), 0);
    CHECK(h.fs.journal.bad && strstr(h.fs.journal.bad, "outside"));
    CHECK_EQ(h.fs.journal.replayed, 0);
    CHECK_EQ(h.fs.repair.ran, 1);
    CHECK_EQ(ext2_sync(&h.fs), 0);
    CHECK(h_close(&h, 1));
    CHECK(h_fsck(img));
}

// A cut at every write of every kind of operation: the next mount
// replays, never repairs; the operation is there whole or not at all.
static int journal_cut(struct sweep *sw, int s, long n, int fail)
{
    struct cdev c;
    int ok = 1;
    memcpy(sw->work, sw->base, sw->len);
    ok &= c_mount(&c, sw->work, sw->len) == 0 && !c.fs.repair.ran;
    c.cut = n;
    c.fail = fail;
    run_op(&c.fs, s);
    ok &= c_unmount(&c);
    ok &= c_mount(&c, sw->work, sw->len) == 0 && !c.fs.repair.ran && !c.fs.journal.bad;
    ok &= verify(&c.fs, s);
    ok &= ext2_sync(&c.fs) == 0 && c_unmount(&c) && mem_fsck(sw->work, sw->len, "jcut.img");
    ok &= c_mount(&c, sw->work, sw->len) == 0;
    ok &= more_ops(&c.fs) && ext2_sync(&c.fs) == 0 && c_unmount(&c);
    ok &= mem_fsck(sw->work, sw->len, "jcut.img");
    if (!ok)
        fprintf(stderr, "journal: scenario %s, cut after %ld writes (%s): failed\n", s_names[s], n,
                fail ? "failing" : "dropped");
    sw->cuts++;
    return ok;
}

TEST(journal_crash_sweep)
{
    struct sweep sw = { .cuts = 0 };
    struct cdev c;
    sw.base = make_base(&(struct geo){ "-b 4096 -I 256 -N 512 -j", "20M", 4096 }, &sw.len);
    sw.work = malloc(sw.len);
    for (int s = 0; s < S_COUNT; s++) {
        memcpy(sw.work, sw.base, sw.len);
        CHECK(c_mount(&c, sw.work, sw.len) == 0);
        c.cut = LONG_MAX;
        run_op(&c.fs, s);
        long total = c.writes;
        c_unmount(&c);
        for (long n = 0; n <= total; n++)
            for (int fail = 0; fail < 2; fail++)
                CHECK(journal_cut(&sw, s, n, fail));
    }
    printf("# journal: %ld cuts\n", sw.cuts);
    free(sw.base);
    free(sw.work);
}

// The mount after a crash reads about as much on a 1 GiB image as on a
// 16 MiB one (the replay, not a pass over the disk).
static uint64_t crash_mount_reads(const char *name, const char *size)
{
    char img[256];
    struct hdev h;
    h_path(img, name);
    if (h_mkfs(img, "-b 4096 -I 256 -j -J size=4", size, NULL) != 0 || h_open(&h, img) != 0)
        return 0;
    put_file(&h.fs, "/a", 40 * KIB, 1);
    h_close(&h, 1);
    if (h_open(&h, img) != 0 || !h.fs.journal.replayed || h.fs.repair.ran)
        return 0;
    uint64_t reads = h.reads;
    h_close(&h, 1);
    unlink(img);
    return reads;
}

TEST(journal_mount_cost_does_not_grow)
{
    uint64_t small = crash_mount_reads("cost16.img", "16M"), big = crash_mount_reads("cost1g.img", "1G");
    printf("# mount after a crash: %llu reads (16 MiB), %llu (1 GiB)\n",
           (unsigned long long)small, (unsigned long long)big);
    CHECK(small > 0 && big > 0);
    CHECK(big <= 2 * small);
}

// A long workload with the cache under pressure (dirty metadata evicted
// in place between checkpoints), cut at 19 points: the replay leaves a
// file system e2fsck finds clean, without the repair.
static void long_workload(struct ext2 *fs)
{
    char name[64];
    uint64_t len;
    for (int i = 0; i < 240; i++) {
        snprintf(name, sizeof(name), "/d%d/f%d", i % 3, i % 50);
        ext2_unlink(fs, name);
        if (i % 4)
            put_file(fs, name, (uint64_t)(i % 9) * 2500 + (i % 5 ? 0 : 60 * KIB), (uint32_t)(i % 9));
        if (i % 20 == 0)
            free(h_read_all(fs, "/big", &len));      // more blocks than the cache holds
    }
}

TEST(journal_long_workload_cuts)
{
    char img[256];
    struct cdev c;
    uint64_t len;
    h_path(img, "jlong.img");
    CHECK_EQ(h_mkfs(img, "-b 1024 -I 128 -j", "16M", NULL), 0);
    uint8_t *base = h_slurp(img, &len), *work = malloc(len);
    CHECK(c_mount(&c, base, len) == 0);
    CHECK(ext2_mkdir(&c.fs, "/d0") > 0 && ext2_mkdir(&c.fs, "/d1") > 0 && ext2_mkdir(&c.fs, "/d2") > 0);
    CHECK(put_file(&c.fs, "/big", 600 * KIB, 77) > 0);
    CHECK(ext2_sync(&c.fs) == 0 && c_unmount(&c));
    memcpy(work, base, len);
    CHECK(c_mount(&c, work, len) == 0);
    c.cut = LONG_MAX;
    long_workload(&c.fs);
    long total = c.writes;
    CHECK(c.fs.journal.checkpoints >= 1);
    c_unmount(&c);
    for (int k = 1; k < 20; k++) {
        memcpy(work, base, len);
        CHECK(c_mount(&c, work, len) == 0);
        c.cut = total * k / 20;
        long_workload(&c.fs);
        c_unmount(&c);
        CHECK(c_mount(&c, work, len) == 0 && !c.fs.repair.ran && !c.fs.journal.bad);
        CHECK(file_is(&c.fs, "/big", 600 * KIB, 77, 0));
        CHECK(ext2_sync(&c.fs) == 0 && c_unmount(&c));
        CHECK(mem_fsck(work, len, "jlong.img"));
    }
    free(base);
    free(work);
}
