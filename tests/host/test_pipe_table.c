// Host tests for servers/pipe/table.c: the pipe table that outlives the
// pipe server. Its operations, exactly-once writes and reads across a
// simulated crash (the table kept, the server's memory lost), the
// journal torn at every byte, and the consistency check against
// corrupted records and bytes.
#include "../../servers/pipe/table.c"
#include "check.h"

static struct pipe_table t, saved;
static int logged;

static void note(int index, const char *why)
{
    (void)index;
    (void)why;
    logged++;
}

static struct pt_report reopen(void)
{
    logged = 0;
    return pt_open(&t, note);
}

static void fresh(void)
{
    memset(&t, 0xa5, sizeof(t));                 // whatever the memory held
    struct pt_report r = reopen();
    CHECK_EQ(r.fresh, 1);
}

TEST(fresh_table_is_formatted_and_reopens_clean)
{
    fresh();
    struct pt_report r = reopen();
    CHECK_EQ(r.fresh, 0);
    CHECK_EQ(r.kept, 0);
    CHECK_EQ(r.dropped, 0);
    CHECK_EQ(logged, 0);
}

TEST(create_write_read_close)
{
    fresh();
    long id = pt_create(&t, 5, 1);
    CHECK(id >= 0);
    int i = pt_lookup(&t, (uint64_t)id);
    CHECK(i >= 0);
    CHECK_EQ(pt_refs(&t, i, 0), 1);
    CHECK_EQ(pt_refs(&t, i, 1), 1);
    CHECK_EQ(pt_write(&t, i, 5, 2, (const uint8_t *)"hello", 5), 5);
    uint8_t out[16];
    CHECK_EQ(pt_read_begin(&t, i, 5, 3, 3, out), 3);
    pt_read_commit(&t, i);
    CHECK(!memcmp(out, "hel", 3));
    CHECK_EQ(pt_read_begin(&t, i, 5, 4, 16, out), 2);
    pt_read_commit(&t, i);
    CHECK(!memcmp(out, "lo", 2));
    CHECK_EQ(pt_read_begin(&t, i, 5, 5, 16, out), 0);
    pt_close(&t, i, 5, 1, 6);
    CHECK_EQ(pt_refs(&t, i, 1), 0);
    CHECK(pt_check(&t, i) == NULL);
    pt_free(&t, i);
    CHECK_EQ(pt_lookup(&t, (uint64_t)id), -EBADF);
    long id2 = pt_create(&t, 6, 1);
    CHECK(id2 != id);                             // a new generation: the old id is stale
    CHECK_EQ(pt_lookup(&t, (uint64_t)id), -EBADF);
}

TEST(ring_wraps_and_fills)
{
    static uint8_t big[PIPE_BUF_SIZE], out[PIPE_BUF_SIZE];
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 7, 1));
    uint64_t seq = 2, want = 0, got = 0;
    for (int round = 0; round < 20; round++) {
        for (size_t k = 0; k < sizeof(big); k++)
            big[k] = (uint8_t)(want + k);
        long n = pt_write(&t, i, 7, seq++, big, 3000 + round * 17);
        CHECK(n > 0);
        want += (uint64_t)n;
        long r = pt_read_begin(&t, i, 7, seq++, 2500, out);
        for (long k = 0; k < r; k++)
            CHECK_EQ(out[k], (uint8_t)(got + k));
        pt_read_commit(&t, i);
        got += (uint64_t)r;
        CHECK(pt_check(&t, i) == NULL);
    }
    long room = PIPE_BUF_SIZE - (long)(want - got);
    CHECK_EQ(pt_write(&t, i, 7, seq++, big, sizeof(big)), room);
    CHECK_EQ(pt_write(&t, i, 7, seq++, big, 1), 0);   // full
    CHECK(pt_check(&t, i) == NULL);
}

// A write applied just before the crash, its answer lost: the retry (same
// pid and number) is answered, not applied again.
TEST(retried_write_applied_once)
{
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 9, 1));
    CHECK_EQ(pt_write(&t, i, 9, 2, (const uint8_t *)"abc", 3), 3);
    reopen();                                     // the server crashed and came back
    CHECK_EQ(pt_write(&t, i, 9, 2, (const uint8_t *)"abc", 3), 3);
    CHECK_EQ(t.pipes[i].m.count, 3);
    CHECK_EQ(pt_write(&t, i, 9, 3, (const uint8_t *)"de", 2), 2);
    CHECK_EQ(t.pipes[i].m.count, 5);
}

// A read answered (or not) just before the crash: the retry gets the same
// bytes; the reader's next request shows it got them.
TEST(retried_read_gets_the_same_bytes)
{
    uint8_t out[8];
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 9, 1));
    CHECK_EQ(pt_addref(&t, i, 10, 0), 0);
    pt_write(&t, i, 9, 2, (const uint8_t *)"abcdef", 6);
    CHECK_EQ(pt_read_begin(&t, i, 10, 1, 4, out), 4);   // crash before the commit
    CHECK_EQ(reopen().kept, 1);
    CHECK_EQ(pt_read_begin(&t, i, 9, 3, 4, out), -EAGAIN);   // another reader waits
    memset(out, 0, sizeof(out));
    CHECK_EQ(pt_read_begin(&t, i, 10, 1, 4, out), 4);   // the retry
    CHECK(!memcmp(out, "abcd", 4));
    reopen();                                     // and again, delivered this time
    CHECK_EQ(pt_read_begin(&t, i, 10, 2, 4, out), 2);   // its next read commits the first
    CHECK(!memcmp(out, "ef", 2));
    pt_read_commit(&t, i);
    CHECK_EQ(t.pipes[i].m.count, 0);
}

TEST(dead_reader_releases_its_pending_read)
{
    uint8_t out[8];
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 9, 1));
    CHECK_EQ(pt_addref(&t, i, 10, 0), 0);
    pt_write(&t, i, 9, 2, (const uint8_t *)"xy", 2);
    CHECK_EQ(pt_read_begin(&t, i, 10, 1, 1, out), 1);
    reopen();
    pt_proc_gone(&t, 10);
    CHECK_EQ(pt_read_begin(&t, i, 9, 3, 4, out), 1);
    CHECK_EQ(out[0], 'y');
}

TEST(retried_close_drops_one_reference)
{
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 4, 1));
    CHECK_EQ(pt_addref(&t, i, 4, 1), 0);
    CHECK_EQ(pt_refs(&t, i, 1), 2);
    pt_close(&t, i, 4, 1, 2);
    reopen();
    pt_close(&t, i, 4, 1, 2);                     // the same request again
    CHECK_EQ(pt_refs(&t, i, 1), 1);
    pt_close(&t, i, 4, 1, 3);
    CHECK_EQ(pt_refs(&t, i, 1), 0);
}

TEST(retried_create_gives_the_same_pipe)
{
    fresh();
    long a = pt_create(&t, 4, 8);
    reopen();
    CHECK_EQ(pt_create(&t, 4, 8), a);
    CHECK(pt_create(&t, 4, 9) != a);
}

// A commit interrupted after k bytes of the record were copied, for every
// k: pt_open redoes the journal and finds the new record whole.
TEST(commit_torn_at_every_byte_is_redone)
{
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 3, 1));
    pt_write(&t, i, 3, 2, (const uint8_t *)"0123456789", 10);
    struct pt_meta before = t.pipes[i].m, after = before;
    after.count -= 4;
    after.rpos += 4;
    for (uint64_t q = before.rpos; q < after.rpos; q++)
        after.dsum -= data_weight(q, t.pipes[i].buf[q % PIPE_BUF_SIZE]);
    after.sum = pt_meta_sum(&after);
    for (size_t k = 0; k <= sizeof(after); k++) {
        t.pipes[i].m = before;
        t.j.m = after;
        t.j.index = (uint32_t)i;
        t.j.busy = 1;
        memcpy(&t.pipes[i].m, &after, k);
        struct pt_report r = reopen();
        CHECK_EQ(r.redone, 1);
        CHECK_EQ(r.dropped, 0);
        CHECK(!memcmp(&t.pipes[i].m, &after, sizeof(after)));
    }
}

// Interrupted before the journal was marked: the old record stands.
TEST(journal_not_marked_is_ignored)
{
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 3, 1));
    struct pt_meta before = t.pipes[i].m;
    memset(&t.j.m, 0x77, sizeof(t.j.m));          // half written
    t.j.busy = 0;
    CHECK_EQ(reopen().dropped, 0);
    CHECK(!memcmp(&t.pipes[i].m, &before, sizeof(before)));
    t.j.busy = 1;                                 // marked, but garbage: not trusted
    CHECK_EQ(reopen().redone, 0);
    CHECK(!memcmp(&t.pipes[i].m, &before, sizeof(before)));
}

// Corruption of any part of a pipe is found; the pipe is dropped with a
// log line and its requests get -EIO; the other pipes are kept.
TEST(corruption_drops_only_the_damaged_pipe)
{
    fresh();
    long a = pt_create(&t, 3, 1), b = pt_create(&t, 3, 2);
    int ia = pt_lookup(&t, (uint64_t)a), ib = pt_lookup(&t, (uint64_t)b);
    pt_write(&t, ia, 3, 3, (const uint8_t *)"data", 4);
    pt_write(&t, ib, 3, 4, (const uint8_t *)"more", 4);
    memcpy(&saved, &t, sizeof(t));
    size_t spots[] = { offsetof(struct pt_meta, count), offsetof(struct pt_meta, rpos),
                       offsetof(struct pt_meta, holders) + 4, offsetof(struct pt_meta, state),
                       offsetof(struct pt_meta, sum) };
    for (size_t k = 0; k < sizeof(spots) / sizeof(spots[0]) + 1; k++) {
        memcpy(&t, &saved, sizeof(t));
        if (k < sizeof(spots) / sizeof(spots[0]))
            ((uint8_t *)&t.pipes[ia].m)[spots[k]] ^= 0x40;
        else
            t.pipes[ia].buf[(t.pipes[ia].m.rpos + 2) % PIPE_BUF_SIZE] ^= 1;   // a byte of data
        struct pt_report r = reopen();
        CHECK_EQ(r.dropped, 1);
        CHECK_EQ(logged, 1);
        CHECK_EQ(r.kept, 1);
        CHECK_EQ(pt_lookup(&t, (uint64_t)a), -EIO);
        CHECK_EQ(pt_lookup(&t, (uint64_t)b), ib);
    }
    memcpy(&t, &saved, sizeof(t));                 // bytes past the data do not matter
    t.pipes[ia].buf[PIPE_BUF_SIZE - 1] ^= 1;
    CHECK_EQ(reopen().dropped, 0);
}

TEST(invariants_checked_even_with_a_valid_checksum)
{
    fresh();
    int i = pt_lookup(&t, (uint64_t)pt_create(&t, 3, 1));
    struct pt_meta good = t.pipes[i].m;
    struct pt_meta *m = &t.pipes[i].m;
    m->count = PIPE_BUF_SIZE + 1;
    m->sum = pt_meta_sum(m);
    CHECK_STR(pt_check(&t, i), "count past the buffer");
    *m = good;
    m->holders[0].refs[0] = -1;
    m->sum = pt_meta_sum(m);
    CHECK_STR(pt_check(&t, i), "holder references");
    *m = good;
    m->holders[0].pid = 0;
    m->sum = pt_meta_sum(m);
    CHECK_STR(pt_check(&t, i), "holder pid");
    *m = good;
    m->rd = (struct pt_read){ 1, 3, 1, 5, 0 };     // more bytes than the pipe has
    m->sum = pt_meta_sum(m);
    CHECK_STR(pt_check(&t, i), "pending read");
    *m = good;
    m->state = 7;
    m->sum = pt_meta_sum(m);
    CHECK_STR(pt_check(&t, i), "bad state");
}

TEST(bad_table_header_starts_afresh)
{
    fresh();
    pt_create(&t, 3, 1);
    t.version = PT_VERSION + 1;
    struct pt_report r = reopen();
    CHECK_EQ(r.fresh, 1);
    CHECK_EQ(r.kept, 0);
}

TEST(bad_ids_and_pids_refused)
{
    fresh();
    long a = pt_create(&t, 3, 1);
    int i = pt_lookup(&t, (uint64_t)a);
    CHECK_EQ(pt_lookup(&t, 200), -EBADF);
    CHECK_EQ(pt_lookup(&t, (uint64_t)a + (1 << 8)), -EBADF);
    CHECK_EQ(pt_addref(&t, i, 0, 0), -EBADF);
    CHECK_EQ(pt_addref(&t, i, PT_MAX_PID, 1), -EBADF);
    for (int pid = 100; pid < 100 + PT_HOLDERS - 1; pid++)
        CHECK_EQ(pt_addref(&t, i, pid, 0), 0);
    CHECK_EQ(pt_addref(&t, i, 99, 0), -EBADF);    // no holder slot left
    CHECK(pt_check(&t, i) == NULL);
}
