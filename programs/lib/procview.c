// The columns of `ps -l` and `top`, and top's rates between two samples
// (see procview.h). Plain C: the host unit test compiles it as it is.
#include <stdio.h>
#include <stdlib.h>
#include "procview.h"

const char pv_long_header[] =
    "  PID  PPID   PRI S CPU      TIME     CALLS    SERVED  PAGES RESTARTS NAME";
const char pv_top_header[] =
    "  PID  PPID   PRI S CPU  CPU%     TIME CALLS/s SERVED/s PAGES RESTARTS NAME";

unsigned pv_pct10(unsigned long dticks, unsigned long ms)
{
    return ms ? (unsigned)((dticks * 1000 + ms / 2) / ms) : 0;
}

unsigned long pv_rate(unsigned long delta, unsigned long ms)
{
    return ms ? (delta * 1000 + ms / 2) / ms : 0;
}

// The process with this pid in p[0..n), or NULL.
static const struct pv_proc *find_pid(const struct pv_proc *p, int n, int pid)
{
    for (int i = 0; i < n; i++)
        if (p[i].pid == pid)
            return &p[i];
    return NULL;
}

void pv_rates(const struct pv_proc *old, int nold, struct pv_proc *cur, int ncur,
              unsigned long ms)
{
    static const struct pv_proc none;
    for (int i = 0; i < ncur; i++) {
        struct pv_proc *c = &cur[i];
        const struct pv_proc *o = find_pid(old, nold, c->pid);
        if (!o || c->ticks < o->ticks || c->calls < o->calls || c->served < o->served)
            o = &none;
        c->pct10 = pv_pct10(c->ticks - o->ticks, ms);
        c->calls_ps = pv_rate(c->calls - o->calls, ms);
        c->served_ps = pv_rate(c->served - o->served, ms);
    }
}

static int by_cpu(const void *a, const void *b)
{
    const struct pv_proc *x = a, *y = b;
    if (x->pct10 != y->pct10)
        return x->pct10 > y->pct10 ? -1 : 1;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

static int by_pid(const void *a, const void *b)
{
    const struct pv_proc *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

void pv_sort_by_cpu(struct pv_proc *p, int n)
{
    if (n > 1)
        qsort(p, (size_t)n, sizeof *p, by_cpu);
}

void pv_sort_by_pid(struct pv_proc *p, int n)
{
    if (n > 1)
        qsort(p, (size_t)n, sizeof *p, by_pid);
}

void pv_fmt_time(char *buf, size_t cap, unsigned long ticks)
{
    snprintf(buf, cap, "%lu:%02lu.%03lu", ticks / 60000, ticks / 1000 % 60, ticks % 1000);
}

void pv_fmt_prio(char *buf, size_t cap, int base, int prio)
{
    if (base == prio)
        snprintf(buf, cap, "%d", prio);
    else
        snprintf(buf, cap, "%d/%d", base, prio);
}

void pv_fmt_pct(char *buf, size_t cap, unsigned pct10)
{
    snprintf(buf, cap, "%u.%u", pct10 / 10, pct10 % 10);
}

// The columns both layouts share, formatted.
struct cols {
    char prio[24], time[32], restarts[16];
};

static void cols_fill(struct cols *c, const struct pv_proc *p)
{
    pv_fmt_prio(c->prio, sizeof c->prio, p->base_prio, p->prio);
    pv_fmt_time(c->time, sizeof c->time, p->ticks);
    if (p->restarts < 0)
        snprintf(c->restarts, sizeof c->restarts, "-");
    else
        snprintf(c->restarts, sizeof c->restarts, "%d", p->restarts);
}

int pv_line_long(char *buf, size_t cap, const struct pv_proc *p)
{
    struct cols c;
    cols_fill(&c, p);
    return snprintf(buf, cap, "%5d %5d %5s %c %3d %9s %9lu %9lu %6lu %8s %.*s", p->pid,
                    p->ppid, c.prio, p->running ? 'R' : 'S', p->cpu, c.time, p->calls,
                    p->served, p->pages, c.restarts, (int)sizeof p->name, p->name);
}

int pv_line_top(char *buf, size_t cap, const struct pv_proc *p)
{
    struct cols c;
    char pct[16];
    cols_fill(&c, p);
    pv_fmt_pct(pct, sizeof pct, p->pct10);
    return snprintf(buf, cap, "%5d %5d %5s %c %3d %5s %8s %7lu %8lu %5lu %8s %.*s", p->pid,
                    p->ppid, c.prio, p->running ? 'R' : 'S', p->cpu, pct, c.time,
                    p->calls_ps, p->served_ps, p->pages, c.restarts, (int)sizeof p->name,
                    p->name);
}
