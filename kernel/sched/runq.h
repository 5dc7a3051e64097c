// Run queues: one FIFO per priority and a bitmap of the non-empty ones,
// so the highest ready priority is one bit scan. Pure, host-tested.
#ifndef RUNQ_H
#define RUNQ_H
#include "list.h"

#define NPRIO 64

struct runq {
    u64 bitmap;
    struct list q[NPRIO];
};

void runq_init(struct runq *rq);

static inline void runq_add(struct runq *rq, struct list *node, int prio, bool front)
{
    if (front)
        list_add_tail(rq->q[prio].next, node);   // insert before the first
    else
        list_add_tail(&rq->q[prio], node);
    rq->bitmap |= 1ull << prio;
}

static inline void runq_remove(struct runq *rq, struct list *node, int prio)
{
    list_remove(node);
    if (list_empty(&rq->q[prio]))
        rq->bitmap &= ~(1ull << prio);
}

// Highest priority with a ready entry, or -1.
static inline int runq_top(const struct runq *rq)
{
    return rq->bitmap ? 63 - __builtin_clzll(rq->bitmap) : -1;
}
// Removes and returns the first entry of the highest priority, or NULL.
struct list *runq_pop(struct runq *rq);

#endif
