// The process table's journal and consistency check (see table.h).
#include <stddef.h>
#include <string.h>
#include "table.h"

#define barrier() __asm__ volatile("" ::: "memory")

// A checksum of the record's words (each step is a bijection of h, so
// any one changed word changes the sum).
uint64_t prt_sum(const struct pr_entry *e)
{
    uint64_t w[offsetof(struct pr_entry, sum) / 8], h = 0xcbf29ce484222325ul;
    memcpy(w, e, sizeof(w));
    for (size_t i = 0; i < sizeof(w) / 8; i++) {
        h = (h ^ w[i]) * 0x100000001b3ul;
        h ^= h >> 29;
    }
    return h;
}

void prt_set(struct proc_table *t, int i, const struct pr_entry *e)
{
    t->j.e = *e;
    t->j.e.sum = prt_sum(e);
    t->j.index = (uint32_t)i;
    barrier();
    t->j.busy = 1;
    barrier();
    t->e[i] = t->j.e;
    barrier();
    t->j.busy = 0;
    barrier();
}

void prt_free(struct proc_table *t, int i)
{
    struct pr_entry e;
    memset(&e, 0, sizeof(e));
    prt_set(t, i, &e);
}

// The checks of one record on its own.
static const char *check_entry(const struct pr_entry *e)
{
    if (e->sum != prt_sum(e))
        return "record checksum";
    if (e->state > PR_REAPED)
        return "bad state";
    if (e->state == PR_FREE)
        return NULL;
    if (e->pid <= 1 || e->pid >= PRT_MAX_PID)
        return "pid";
    if (e->ppid < 0 || e->ppid >= PRT_MAX_PID || e->ppid == e->pid)
        return "parent";
    if (e->pgid < 0 || e->pgid >= PRT_MAX_PID)
        return "process group";
    if (e->prio < 0 || e->prio > PRT_MAX_PRIO)
        return "priority";
    if (e->signal < 0 || e->signal >= 64)
        return "signal";
    if (!memchr(e->name, 0, sizeof(e->name)))
        return "name";
    return NULL;
}

const char *prt_check(const struct proc_table *t, int i)
{
    const char *why = check_entry(&t->e[i]);
    if (why || t->e[i].state == PR_FREE)
        return why;
    for (int k = 0; k < i; k++)
        if (t->e[k].state != PR_FREE && t->e[k].pid == t->e[i].pid && !check_entry(&t->e[k]))
            return "pid twice";
    return NULL;
}

static void format(struct proc_table *t)
{
    memset(t, 0, sizeof(*t));
    t->version = PRT_VERSION;
    barrier();
    for (int i = 0; i < PRT_ENTRIES; i++)
        prt_free(t, i);
    barrier();
    t->magic = PRT_MAGIC;
}

// A parent that is in the table must be a live entry; one that is not
// is a process proc did not start (init, or a service): kept as it is.
static int parent_lost(const struct proc_table *t, int i, const int *dropped_pids, int ndropped)
{
    for (int k = 0; k < ndropped; k++)
        if (dropped_pids[k] == t->e[i].ppid)
            return 1;
    return 0;
}

struct prt_report prt_open(struct proc_table *t, void (*log)(int index, const char *why))
{
    static int dropped_pids[PRT_ENTRIES];
    struct prt_report r = { 0, 0, 0, 0 };
    if (t->magic != PRT_MAGIC || t->version != PRT_VERSION) {
        format(t);
        r.fresh = 1;
        return r;
    }
    if (t->j.busy) {
        if (t->j.index < PRT_ENTRIES && t->j.e.sum == prt_sum(&t->j.e)) {
            t->e[t->j.index] = t->j.e;
            r.redone = 1;
        }
        barrier();
        t->j.busy = 0;
    }
    int nd = 0;
    for (int i = 0; i < PRT_ENTRIES; i++) {
        const char *why = prt_check(t, i);
        if (why) {
            if (log)
                log(i, why);
            if (t->e[i].state != PR_FREE && t->e[i].state <= PR_REAPED && t->e[i].pid > 0)
                dropped_pids[nd++] = t->e[i].pid;
            prt_free(t, i);
            r.dropped++;
        }
    }
    for (int i = 0; i < PRT_ENTRIES; i++) {      // children of a dropped entry: orphans
        if (t->e[i].state == PR_FREE)
            continue;
        r.kept++;
        if (!parent_lost(t, i, dropped_pids, nd))
            continue;
        struct pr_entry e = t->e[i];
        e.ppid = 0;
        if (e.state == PR_DEAD || e.state == PR_REAPED) {
            prt_free(t, i);                      // nobody will wait for it
            r.kept--;
        } else {
            prt_set(t, i, &e);
        }
    }
    return r;
}
