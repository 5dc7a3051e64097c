// O(1) run queue operations.
#include "runq.h"

void runq_init(struct runq *rq)
{
    rq->bitmap = 0;
    for (int i = 0; i < NPRIO; i++)
        list_init(&rq->q[i]);
}

void runq_add(struct runq *rq, struct list *node, int prio, bool front)
{
    if (front)
        list_add_tail(rq->q[prio].next, node);   // insert before the first
    else
        list_add_tail(&rq->q[prio], node);
    rq->bitmap |= 1ull << prio;
}

void runq_remove(struct runq *rq, struct list *node, int prio)
{
    list_remove(node);
    if (list_empty(&rq->q[prio]))
        rq->bitmap &= ~(1ull << prio);
}

struct list *runq_pop(struct runq *rq)
{
    int prio = runq_top(rq);
    if (prio < 0)
        return 0;
    struct list *n = rq->q[prio].next;
    runq_remove(rq, n, prio);
    return n;
}
