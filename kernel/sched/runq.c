// O(1) run queue operations.
#include "runq.h"

void runq_init(struct runq *rq)
{
    rq->bitmap = 0;
    for (int i = 0; i < NPRIO; i++)
        list_init(&rq->q[i]);
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
