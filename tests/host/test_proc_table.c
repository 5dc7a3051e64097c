// Host tests for servers/proc/table.c: the process table that outlives
// proc. Records kept across a simulated restart, the journal torn at
// every byte, and the consistency check against corrupted records and
// records that break the invariants (each dropped with a log line, their
// children made orphans).
#include "../../servers/proc/table.c"
#include "check.h"

static struct proc_table t;
static int logged;
static char last_why[64];

static void note(int index, const char *why)
{
    (void)index;
    logged++;
    snprintf(last_why, sizeof(last_why), "%s", why);
}

static struct prt_report reopen(void)
{
    logged = 0;
    last_why[0] = 0;
    return prt_open(&t, note);
}

static void fresh(void)
{
    memset(&t, 0x5a, sizeof(t));                 // whatever the memory held
    CHECK_EQ(reopen().fresh, 1);
}

static struct pr_entry rec(int state, int pid, int ppid)
{
    struct pr_entry e;
    memset(&e, 0, sizeof(e));
    e.state = (uint32_t)state;
    e.pid = pid;
    e.ppid = ppid;
    e.pgid = pid;
    e.prio = 10;
    snprintf(e.name, sizeof(e.name), "job%d", pid);
    return e;
}

TEST(fresh_table_is_formatted_and_reopens_clean)
{
    fresh();
    struct prt_report r = reopen();
    CHECK_EQ(r.fresh, 0);
    CHECK_EQ(r.kept, 0);
    CHECK_EQ(r.dropped, 0);
    CHECK_EQ(logged, 0);
}

TEST(wrong_magic_or_version_starts_afresh)
{
    fresh();
    struct pr_entry e = rec(PR_RUNNING, 20, 1);
    prt_set(&t, 3, &e);
    t.version = PRT_VERSION + 1;
    CHECK_EQ(reopen().fresh, 1);
    CHECK_EQ(t.e[3].state, PR_FREE);
}

TEST(records_survive_a_restart)
{
    fresh();
    struct pr_entry a = rec(PR_RUNNING, 20, 1), b = rec(PR_DEAD, 21, 20);
    b.status = 5 << 8;
    struct pr_entry c = rec(PR_REAPED, 22, 20);
    c.reap_seq = 77;
    prt_set(&t, 0, &a);
    prt_set(&t, 7, &b);
    prt_set(&t, 255, &c);
    struct prt_report r = reopen();
    CHECK_EQ(r.kept, 3);
    CHECK_EQ(r.dropped, 0);
    CHECK_EQ(t.e[7].status, 5 << 8);
    CHECK_EQ(t.e[7].ppid, 20);
    CHECK_EQ(t.e[255].reap_seq, 77);
    CHECK_STR(t.e[0].name, "job20");
}

// A crash in the middle of copying the journal over the record, at every
// byte: the restart redoes the journal and finds exactly the new record.
TEST(torn_commit_is_redone_at_every_byte)
{
    struct pr_entry old = rec(PR_RUNNING, 30, 1), new = rec(PR_DEAD, 30, 1);
    new.status = 9;
    for (size_t k = 0; k <= sizeof(struct pr_entry); k++) {
        fresh();
        prt_set(&t, 5, &old);
        t.j.e = new;
        t.j.e.sum = prt_sum(&new);
        t.j.index = 5;
        t.j.busy = 1;
        memcpy(&t.e[5], &t.j.e, k);               // torn here
        struct prt_report r = reopen();
        CHECK_EQ(r.redone, 1);
        CHECK_EQ(r.dropped, 0);
        CHECK_EQ(t.e[5].state, PR_DEAD);
        CHECK_EQ(t.e[5].status, 9);
        CHECK_EQ(t.j.busy, 0);
    }
}

// A crash while the journal itself was being written (not yet marked
// valid): the old record stands.
TEST(unfinished_journal_leaves_the_old_record)
{
    fresh();
    struct pr_entry old = rec(PR_RUNNING, 31, 1), new = rec(PR_DEAD, 31, 1);
    prt_set(&t, 9, &old);
    memcpy(&t.j.e, &new, sizeof(new) / 2);
    t.j.index = 9;
    struct prt_report r = reopen();
    CHECK_EQ(r.redone, 0);
    CHECK_EQ(r.kept, 1);
    CHECK_EQ(t.e[9].state, PR_RUNNING);
}

// A valid-looking journal with a bad checksum or index is not trusted.
TEST(bad_journal_is_not_redone)
{
    fresh();
    struct pr_entry old = rec(PR_RUNNING, 32, 1);
    prt_set(&t, 4, &old);
    t.j.e = rec(PR_DEAD, 32, 1);
    t.j.e.sum = 1;
    t.j.index = 4;
    t.j.busy = 1;
    CHECK_EQ(reopen().redone, 0);
    CHECK_EQ(t.e[4].state, PR_RUNNING);
    t.j.busy = 1;
    t.j.index = 9999;
    t.j.e.sum = prt_sum(&t.j.e);
    CHECK_EQ(reopen().redone, 0);
    CHECK_EQ(t.e[4].state, PR_RUNNING);
}

// A flipped byte anywhere in a record: dropped with a log line; its
// running child becomes an orphan, its dead child is freed (nobody waits).
TEST(corrupted_record_is_dropped_and_its_children_orphaned)
{
    for (size_t k = 0; k < sizeof(struct pr_entry); k++) {
        fresh();
        struct pr_entry p = rec(PR_RUNNING, 40, 1), c = rec(PR_RUNNING, 41, 40),
                        z = rec(PR_DEAD, 42, 40);
        prt_set(&t, 1, &p);
        prt_set(&t, 2, &c);
        prt_set(&t, 3, &z);
        ((uint8_t *)&t.e[1])[k] ^= 0x10;
        struct prt_report r = reopen();
        CHECK_EQ(r.dropped, 1);
        CHECK_EQ(logged, 1);
        CHECK_EQ(t.e[1].state, PR_FREE);
        CHECK(prt_check(&t, 1) == NULL);
        CHECK_EQ(t.e[2].pid, 41);                // the others stay
        CHECK_EQ(r.kept + r.dropped, 3 - (t.e[3].state == PR_FREE));
    }
    fresh();
    struct pr_entry p = rec(PR_RUNNING, 40, 1), c = rec(PR_RUNNING, 41, 40),
                    z = rec(PR_DEAD, 42, 40);
    prt_set(&t, 1, &p);
    prt_set(&t, 2, &c);
    prt_set(&t, 3, &z);
    t.e[1].status ^= 1;                          // the checksum no longer matches
    struct prt_report r = reopen();
    CHECK_EQ(r.dropped, 1);
    CHECK_STR(last_why, "record checksum");
    CHECK_EQ(t.e[2].state, PR_RUNNING);
    CHECK_EQ(t.e[2].ppid, 0);
    CHECK_EQ(t.e[3].state, PR_FREE);
    CHECK_EQ(r.kept, 1);
}

// Records whose checksum is right but whose contents break an invariant.
static const char *bad_one(struct pr_entry e)
{
    fresh();
    prt_set(&t, 6, &e);
    struct prt_report r = reopen();
    CHECK_EQ(r.dropped, 1);
    CHECK_EQ(t.e[6].state, PR_FREE);
    return last_why;
}

TEST(invariants_are_checked)
{
    struct pr_entry e = rec(PR_RUNNING, 50, 1);
    e.state = 9;
    CHECK_STR(bad_one(e), "bad state");
    e = rec(PR_RUNNING, 0, 1);
    CHECK_STR(bad_one(e), "pid");
    e = rec(PR_RUNNING, PRT_MAX_PID, 1);
    CHECK_STR(bad_one(e), "pid");
    e = rec(PR_RUNNING, 50, 50);
    CHECK_STR(bad_one(e), "parent");
    e = rec(PR_RUNNING, 50, -3);
    CHECK_STR(bad_one(e), "parent");
    e = rec(PR_RUNNING, 50, 1);
    e.prio = 99;
    CHECK_STR(bad_one(e), "priority");
    e = rec(PR_RUNNING, 50, 1);
    e.pgid = -1;
    CHECK_STR(bad_one(e), "process group");
    e = rec(PR_RUNNING, 50, 1);
    e.signal = 200;
    CHECK_STR(bad_one(e), "signal");
    e = rec(PR_RUNNING, 50, 1);
    memset(e.name, 'x', sizeof(e.name));
    CHECK_STR(bad_one(e), "name");
}

TEST(a_pid_twice_keeps_the_first)
{
    fresh();
    struct pr_entry a = rec(PR_RUNNING, 60, 1), b = rec(PR_DEAD, 60, 1);
    prt_set(&t, 2, &a);
    prt_set(&t, 8, &b);
    struct prt_report r = reopen();
    CHECK_EQ(r.dropped, 1);
    CHECK_STR(last_why, "pid twice");
    CHECK_EQ(t.e[2].state, PR_RUNNING);
    CHECK_EQ(t.e[8].state, PR_FREE);
}

// A dead process whose parent died too (ppid 0) is a record proc frees
// itself at its next start; the check lets it through.
TEST(free_records_need_only_their_checksum)
{
    fresh();
    struct pr_entry e = rec(PR_DEAD, 70, 0);
    prt_set(&t, 1, &e);
    CHECK(prt_check(&t, 1) == NULL);
    prt_free(&t, 1);
    CHECK(prt_check(&t, 1) == NULL);
    t.e[1].pid = 5;                              // a free record touched
    CHECK_STR(prt_check(&t, 1), "record checksum");
}
