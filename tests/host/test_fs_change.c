// Host tests for servers/fs/change.c: an inode's change stamp grows with
// every change of it, whatever happens to the table of recent changes,
// and stays put while nothing changes it; a restarted server's stamps are
// above the old ones.
#include "../../servers/fs/change.c"
#include "check.h"

TEST(unchanged_inode_keeps_its_stamp)
{
    change_start(1000);
    uint64_t a = change_stamp(5);
    CHECK(a > 1000);
    CHECK_EQ(change_stamp(5), a);
    change_note(5);
    uint64_t b = change_stamp(5);
    CHECK(b > a);
    change_note(6);                        // another inode: 5's stamp stays
    CHECK_EQ(change_stamp(5), b);
}

TEST(every_change_grows_the_stamp)
{
    change_start(0);
    uint64_t last = change_stamp(7);
    for (int i = 0; i < 10; i++) {
        change_note(7);
        CHECK(change_stamp(7) > last);
        last = change_stamp(7);
    }
}

// Inode 9 changed, then pushed out of the table by 200 other changes: its
// stamp never goes down, and its next change still makes it grow.
TEST(evicted_inode_never_goes_back)
{
    change_start(0);
    change_note(9);
    uint64_t last = change_stamp(9);
    for (uint64_t i = 100; i < 300; i++) {
        change_note(i);
        CHECK(change_stamp(9) >= last);
        last = change_stamp(9);
    }
    uint64_t evicted = change_stamp(9);
    change_note(9);
    CHECK(change_stamp(9) > evicted);
    for (uint64_t i = 100; i < 300; i++)   // no other inode reports 9's new stamp
        CHECK(change_stamp(i) < change_stamp(9));
}

// A restart starts from a later time stamp count: every stamp it gives
// is above every stamp the old server gave, so no copy looks current by
// mistake.
TEST(restart_stamps_are_above_old_ones)
{
    change_start(1000);
    for (uint64_t i = 0; i < 50; i++)
        change_note(i % 7);
    uint64_t old = change_stamp(3);
    change_start(2000);
    CHECK(change_stamp(3) > old);
    CHECK(change_stamp(12345) > old);
}
