// Host tests for kernel/mm/frame.c.
#include "mm/frame.c"
#include "check.h"

#define NF 300                        // not a multiple of 64 on purpose
static u64 bits[(NF + 63) / 64];

// Recounts free frames from the bitmap, to cross-check nfree.
static u64 count_free(const struct frame_pool *p)
{
    u64 n = 0;
    for (u64 f = 0; f < p->nframes; f++)
        n += !frame_in_use(p, f);
    return n;
}

static void fresh(struct frame_pool *p, u64 nframes)
{
    memset(bits, 0x5a, sizeof bits);  // garbage that init must overwrite
    frame_pool_init(p, bits, nframes);
}

TEST(init_marks_all_used)
{
    struct frame_pool p;
    fresh(&p, NF);
    CHECK_EQ(p.nframes, NF);
    CHECK_EQ(p.nfree, 0);
    for (u64 f = 0; f < NF; f++)
        CHECK(frame_in_use(&p, f));
    CHECK(frame_in_use(&p, NF));          // beyond the pool counts as used
    CHECK(frame_in_use(&p, ~0ull));
    CHECK_EQ(frame_alloc_run(&p, 1), -1);
}

TEST(mark_free_and_used_ranges)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 10, 20);                  // 10..29
    CHECK_EQ(p.nfree, 20);
    CHECK(frame_in_use(&p, 9));
    CHECK(!frame_in_use(&p, 10));
    CHECK(!frame_in_use(&p, 29));
    CHECK(frame_in_use(&p, 30));
    frame_mark_free(&p, 20, 20);                  // overlaps: only 30..39 are new
    CHECK_EQ(p.nfree, 30);
    frame_mark_used(&p, 15, 5);                   // 15..19
    CHECK_EQ(p.nfree, 25);
    CHECK(!frame_in_use(&p, 14));
    CHECK(frame_in_use(&p, 15));
    CHECK(frame_in_use(&p, 19));
    CHECK(!frame_in_use(&p, 20));
    frame_mark_used(&p, 15, 5);                   // already used: no change
    CHECK_EQ(p.nfree, 25);
    frame_mark_free(&p, NF - 4, 100);             // clipped at the end
    CHECK_EQ(p.nfree, 29);
    frame_mark_free(&p, NF + 10, 5);              // entirely outside
    CHECK_EQ(p.nfree, 29);
    CHECK_EQ(count_free(&p), p.nfree);
    // The padding bits past nframes stay set.
    CHECK_EQ(bits[NF / 64] >> (NF % 64), ~0ull >> (NF % 64));
}

TEST(alloc_single_frames)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 100, 3);
    CHECK_EQ(frame_alloc_run(&p, 1), 100);
    CHECK_EQ(frame_alloc_run(&p, 1), 101);
    CHECK_EQ(frame_alloc_run(&p, 1), 102);
    CHECK_EQ(p.nfree, 0);
    CHECK(frame_in_use(&p, 100) && frame_in_use(&p, 102));
    CHECK_EQ(frame_alloc_run(&p, 1), -1);        // exhausted
    CHECK_EQ(frame_alloc_run(&p, 0), -1);        // zero frames is an error
}

TEST(contiguous_runs)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 0, NF);
    CHECK_EQ(p.nfree, NF);
    // Punch holes so only some gaps are wide enough.
    frame_mark_used(&p, 3, 1);                    // free: 0..2, 4..
    frame_mark_used(&p, 8, 1);                    // free: 4..7, 9..
    CHECK_EQ(frame_alloc_run(&p, 4), 4);          // 0..2 is too short
    CHECK_EQ(p.hint, 8);
    CHECK_EQ(frame_alloc_run(&p, 5), 9);
    CHECK_EQ(frame_alloc_run(&p, 3), 14);
    for (u64 f = 4; f < 17; f++)
        CHECK(f == 8 || frame_in_use(&p, f));
    CHECK_EQ(p.nfree, NF - 2 - 12);
    CHECK_EQ(count_free(&p), p.nfree);
    // A run as long as everything that is left after the hint.
    CHECK_EQ(frame_alloc_run(&p, NF - 17), 17);
    CHECK_EQ(p.nfree, 3);                          // 0..2
    CHECK_EQ(frame_alloc_run(&p, 4), -1);          // more than nfree
    CHECK_EQ(frame_alloc_run(&p, 3), 0);
    CHECK_EQ(p.nfree, 0);
}

TEST(exhaustion_returns_minus_one)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 0, 10);
    frame_mark_free(&p, 20, 10);                   // 20 free, but no run of 11
    CHECK_EQ(frame_alloc_run(&p, 11), -1);
    CHECK_EQ(p.nfree, 20);                          // failed call changes nothing
    CHECK_EQ(count_free(&p), 20);
    CHECK_EQ(frame_alloc_run(&p, 21), -1);
    CHECK_EQ(frame_alloc_run(&p, 10), 0);
    CHECK_EQ(frame_alloc_run(&p, 10), 20);
    CHECK_EQ(frame_alloc_run(&p, 1), -1);
    // A pool with no frames at all.
    struct frame_pool e;
    fresh(&e, 0);
    CHECK_EQ(e.nfree, 0);
    CHECK_EQ(frame_alloc_run(&e, 1), -1);
}

TEST(double_free_ignored)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 50, 10);
    i64 f = frame_alloc_run(&p, 4);
    CHECK_EQ(f, 50);
    CHECK_EQ(p.nfree, 6);
    frame_free_run(&p, 50, 4);
    CHECK_EQ(p.nfree, 10);
    frame_free_run(&p, 50, 4);                      // again: ignored
    CHECK_EQ(p.nfree, 10);
    frame_free_run(&p, 55, 3);                      // never allocated
    CHECK_EQ(p.nfree, 10);
    CHECK_EQ(count_free(&p), 10);
    CHECK_EQ(frame_alloc_run(&p, 10), 50);          // still one run of 10
    CHECK_EQ(frame_alloc_run(&p, 1), -1);
}

TEST(hint_wraps_to_earlier_frames)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 0, NF);
    CHECK_EQ(frame_alloc_run(&p, 200), 0);
    CHECK_EQ(p.hint, 200);
    CHECK_EQ(frame_alloc_run(&p, 100), 200);
    CHECK_EQ(p.hint, NF);                            // hint at the very end
    CHECK_EQ(p.nfree, 0);
    // Free something before the hint by marking (not frame_free_run, which
    // would move the hint back): the search must wrap to find it.
    frame_mark_free(&p, 7, 2);
    CHECK_EQ(p.hint, NF);
    CHECK_EQ(frame_alloc_run(&p, 2), 7);
    // Hint in the middle, the only free run straddles it.
    frame_mark_free(&p, 120, 10);                    // 120..129
    p.hint = 125;
    CHECK_EQ(frame_alloc_run(&p, 10), 120);
    // Hint in the middle, free frames only after and before it.
    frame_mark_free(&p, 40, 1);
    frame_mark_free(&p, 250, 1);
    p.hint = 100;
    CHECK_EQ(frame_alloc_run(&p, 1), 250);           // the one after the hint first
    CHECK_EQ(frame_alloc_run(&p, 1), 40);            // then wrap
    CHECK_EQ(p.nfree, 0);
}

TEST(free_run_moves_hint_back)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 0, NF);
    CHECK_EQ(frame_alloc_run(&p, 64), 0);
    CHECK_EQ(frame_alloc_run(&p, 64), 64);
    frame_free_run(&p, 10, 2);
    CHECK_EQ(p.hint, 10);
    CHECK_EQ(frame_alloc_run(&p, 2), 10);            // reused, not 128
    CHECK_EQ(frame_alloc_run(&p, 1), 128);
}

TEST(runs_straddle_64bit_words)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 60, 8);                      // 60..67 crosses word 0/1
    CHECK_EQ(bits[0], ~0ull >> 4);                   // bits 60..63 clear
    CHECK_EQ(bits[1], ~0ull << 4);                   // bits 64..67 clear
    CHECK_EQ(frame_alloc_run(&p, 8), 60);
    CHECK_EQ(bits[0], ~0ull);
    CHECK_EQ(bits[1], ~0ull);
    // A run covering a whole word plus its neighbours' edges: 126..194.
    frame_mark_free(&p, 126, 69);
    CHECK_EQ(p.nfree, 69);
    CHECK_EQ(bits[2], 0);
    CHECK_EQ(frame_alloc_run(&p, 69), 126);
    CHECK_EQ(p.nfree, 0);
    CHECK_EQ(bits[1], ~0ull);
    CHECK_EQ(bits[2], ~0ull);
    CHECK_EQ(bits[3], ~0ull);
    // Single-frame allocation must skip full words and find the bit right
    // after a word boundary and the last frame of the pool.
    p.hint = 0;
    frame_mark_free(&p, 192, 1);
    frame_mark_free(&p, NF - 1, 1);
    CHECK_EQ(frame_alloc_run(&p, 1), 192);
    CHECK_EQ(frame_alloc_run(&p, 1), NF - 1);
    CHECK_EQ(frame_alloc_run(&p, 1), -1);
    // The skip must not jump over a free frame when searching from a
    // hint that is not word aligned.
    frame_mark_free(&p, 63, 1);
    p.hint = 1;
    CHECK_EQ(frame_alloc_run(&p, 1), 63);
    frame_free_run(&p, 127, 1);
    frame_free_run(&p, 128, 1);
    p.hint = 100;
    CHECK_EQ(frame_alloc_run(&p, 2), 127);
}

TEST(free_run_of_allocated_run_roundtrip)
{
    struct frame_pool p;
    fresh(&p, NF);
    frame_mark_free(&p, 0, NF);
    i64 runs[5];
    for (int i = 0; i < 5; i++)
        runs[i] = frame_alloc_run(&p, 33);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(runs[i], 33 * i);
    CHECK_EQ(p.nfree, NF - 165);
    frame_free_run(&p, (u64)runs[1], 33);
    frame_free_run(&p, (u64)runs[3], 33);
    CHECK_EQ(p.nfree, NF - 99);
    CHECK_EQ(count_free(&p), p.nfree);
    CHECK_EQ(frame_alloc_run(&p, 34), 165);        // neither hole is big enough
    CHECK_EQ(frame_alloc_run(&p, NF - 199), 199);  // next fit: after the hint
    CHECK_EQ(frame_alloc_run(&p, 33), 33);         // then wrap to the holes
    CHECK_EQ(frame_alloc_run(&p, 33), 99);
    CHECK_EQ(p.nfree, 0);
}
