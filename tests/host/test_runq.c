// Host tests for kernel/sched/runq.c.
#include "sched/runq.c"
#include "check.h"

struct item { struct list link; int id; };

static int id_of(struct list *n) { return n ? container_of(n, struct item, link)->id : -1; }

// Number of entries at one level, walking the circular list both ways.
static int level_len(const struct runq *rq, int prio)
{
    int fwd = 0, back = 0;
    for (const struct list *n = rq->q[prio].next; n != &rq->q[prio]; n = n->next)
        fwd++;
    for (const struct list *n = rq->q[prio].prev; n != &rq->q[prio]; n = n->prev)
        back++;
    return fwd == back ? fwd : -1;
}

TEST(empty_top_is_minus_one)
{
    struct runq rq;
    runq_init(&rq);
    CHECK_EQ(rq.bitmap, 0);
    CHECK_EQ(runq_top(&rq), -1);
    CHECK(runq_pop(&rq) == NULL);
    for (int i = 0; i < NPRIO; i++)
        CHECK(list_empty(&rq.q[i]));
}

TEST(highest_priority_popped_first)
{
    struct runq rq;
    struct item it[4] = { { .id = 0 }, { .id = 1 }, { .id = 2 }, { .id = 3 } };
    int prio[4] = { 5, 40, 0, 17 };
    runq_init(&rq);
    for (int i = 0; i < 4; i++)
        runq_add(&rq, &it[i].link, prio[i], false);
    CHECK_EQ(rq.bitmap, (1ull << 5) | (1ull << 40) | (1ull << 0) | (1ull << 17));
    CHECK_EQ(runq_top(&rq), 40);
    CHECK_EQ(id_of(runq_pop(&rq)), 1);
    CHECK_EQ(runq_top(&rq), 17);
    CHECK_EQ(id_of(runq_pop(&rq)), 3);
    CHECK_EQ(id_of(runq_pop(&rq)), 0);
    CHECK_EQ(runq_top(&rq), 0);
    CHECK_EQ(id_of(runq_pop(&rq)), 2);
    CHECK_EQ(runq_top(&rq), -1);
    CHECK(runq_pop(&rq) == NULL);
}

TEST(fifo_among_equals)
{
    struct runq rq;
    struct item it[5];
    runq_init(&rq);
    for (int i = 0; i < 5; i++) {
        it[i].id = i;
        runq_add(&rq, &it[i].link, 16, false);
    }
    CHECK_EQ(level_len(&rq, 16), 5);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(id_of(runq_pop(&rq)), i);
    CHECK_EQ(rq.bitmap, 0);
}

TEST(front_insertion)
{
    struct runq rq;
    struct item a = { .id = 1 }, b = { .id = 2 }, c = { .id = 3 }, d = { .id = 4 };
    runq_init(&rq);
    runq_add(&rq, &a.link, 9, true);      // front of an empty level
    CHECK_EQ(rq.bitmap, 1ull << 9);
    runq_add(&rq, &b.link, 9, false);     // a b
    runq_add(&rq, &c.link, 9, true);      // c a b
    runq_add(&rq, &d.link, 9, false);     // c a b d
    CHECK_EQ(level_len(&rq, 9), 4);
    CHECK_EQ(id_of(runq_pop(&rq)), 3);
    CHECK_EQ(id_of(runq_pop(&rq)), 1);
    CHECK_EQ(id_of(runq_pop(&rq)), 2);
    CHECK_EQ(id_of(runq_pop(&rq)), 4);
    CHECK(runq_pop(&rq) == NULL);
}

TEST(bitmap_cleared_when_level_empties)
{
    struct runq rq;
    struct item a = { .id = 1 }, b = { .id = 2 }, c = { .id = 3 };
    runq_init(&rq);
    runq_add(&rq, &a.link, 3, false);
    runq_add(&rq, &b.link, 3, false);
    runq_add(&rq, &c.link, 60, false);
    runq_remove(&rq, &a.link, 3);
    CHECK_EQ(rq.bitmap, (1ull << 3) | (1ull << 60));   // b still there
    runq_remove(&rq, &b.link, 3);
    CHECK_EQ(rq.bitmap, 1ull << 60);
    CHECK(list_empty(&rq.q[3]));
    CHECK_EQ(id_of(runq_pop(&rq)), 3);
    CHECK_EQ(rq.bitmap, 0);
    CHECK_EQ(runq_top(&rq), -1);
    // A removed node is self-linked and can be queued again.
    CHECK(a.link.next == &a.link && a.link.prev == &a.link);
    runq_add(&rq, &a.link, 3, false);
    CHECK_EQ(runq_top(&rq), 3);
    CHECK_EQ(id_of(runq_pop(&rq)), 1);
}

TEST(remove_from_middle)
{
    struct runq rq;
    struct item it[5];
    runq_init(&rq);
    for (int i = 0; i < 5; i++) {
        it[i].id = i;
        runq_add(&rq, &it[i].link, 30, false);
    }
    runq_remove(&rq, &it[2].link, 30);
    CHECK_EQ(rq.bitmap, 1ull << 30);
    CHECK_EQ(level_len(&rq, 30), 4);
    runq_remove(&rq, &it[4].link, 30);    // the tail
    runq_remove(&rq, &it[0].link, 30);    // the head
    CHECK_EQ(level_len(&rq, 30), 2);
    CHECK_EQ(id_of(runq_pop(&rq)), 1);
    CHECK_EQ(id_of(runq_pop(&rq)), 3);
    CHECK_EQ(runq_top(&rq), -1);
}

TEST(all_64_levels)
{
    static struct runq rq;
    static struct item it[NPRIO][2];
    runq_init(&rq);
    for (int p = 0; p < NPRIO; p++)
        for (int k = 0; k < 2; k++) {
            it[p][k].id = p * 2 + k;
            runq_add(&rq, &it[p][k].link, p, false);
        }
    CHECK_EQ(rq.bitmap, ~0ull);
    CHECK_EQ(runq_top(&rq), 63);
    for (int p = NPRIO - 1; p >= 0; p--) {
        CHECK_EQ(runq_top(&rq), p);
        CHECK_EQ(id_of(runq_pop(&rq)), p * 2);
        CHECK(rq.bitmap & (1ull << p));
        CHECK_EQ(id_of(runq_pop(&rq)), p * 2 + 1);
        CHECK(!(rq.bitmap & (1ull << p)));
        CHECK_EQ(rq.bitmap, p ? (~0ull >> (64 - p)) : 0);
    }
    CHECK_EQ(runq_top(&rq), -1);

    // Each level alone, including the extremes 0 and 63.
    for (int p = 0; p < NPRIO; p++) {
        runq_add(&rq, &it[p][0].link, p, p & 1);
        CHECK_EQ(rq.bitmap, 1ull << p);
        CHECK_EQ(runq_top(&rq), p);
        CHECK_EQ(id_of(runq_pop(&rq)), p * 2);
        CHECK_EQ(runq_top(&rq), -1);
    }
}

TEST(interleaved_add_pop)
{
    struct runq rq;
    struct item lo = { .id = 1 }, hi = { .id = 2 }, lo2 = { .id = 3 };
    runq_init(&rq);
    runq_add(&rq, &lo.link, 1, false);
    runq_add(&rq, &lo2.link, 1, false);
    CHECK_EQ(id_of(runq_pop(&rq)), 1);
    runq_add(&rq, &hi.link, 2, false);   // a higher one arrives
    CHECK_EQ(id_of(runq_pop(&rq)), 2);
    runq_add(&rq, &lo.link, 1, true);    // preempted one goes back to the front
    CHECK_EQ(id_of(runq_pop(&rq)), 1);
    CHECK_EQ(id_of(runq_pop(&rq)), 3);
    CHECK(runq_pop(&rq) == NULL);
}
