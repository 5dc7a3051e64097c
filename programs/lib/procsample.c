// pv_sample: the live process list for `ps -l` and `top` (see procview.h),
// from the proc server, with the supervisor's restart counts. Only on
// this system: the host builds of the programs leave it empty.
#ifdef OS_NEWLIB
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <osapi.h>
#include "procview.h"

#define SVC_MAX 32

// The whole list from proc, growing the buffer until it fits; *n its count.
static struct os_procinfo *read_list(int *n)
{
    for (int max = 64;; max *= 2) {
        struct os_procinfo *list = malloc((size_t)max * sizeof *list);
        if (!list)
            return NULL;
        *n = os_proc_list(list, max);
        if (*n >= 0 && *n < max)
            return list;
        free(list);
        if (*n < 0)
            return NULL;
    }
}

// The restart count of the service running as pid, -1 if it is none.
static int restarts_of(const struct os_svc *svc, int nsvc, int pid)
{
    for (int i = 0; i < nsvc; i++)
        if (svc[i].pid == pid)
            return svc[i].restarts;
    return -1;
}

static void convert(struct pv_proc *p, const struct os_procinfo *i, int restarts)
{
    *p = (struct pv_proc){ .pid = i->pid, .ppid = i->ppid, .prio = i->prio,
                           .base_prio = i->base_prio, .running = i->running, .cpu = i->cpu,
                           .restarts = restarts, .pages = i->pages, .ticks = i->ticks,
                           .calls = i->calls, .served = i->served };
    memcpy(p->name, i->name, sizeof p->name - 1);
}

int pv_sample(struct pv_proc **out)
{
    static struct os_svc svc[SVC_MAX];
    int n, nsvc = os_svc_list(svc, SVC_MAX);
    struct os_procinfo *list = read_list(&n);
    if (!list)
        return -1;
    struct pv_proc *p = malloc((size_t)(n ? n : 1) * sizeof *p);
    if (!p) {
        free(list);
        errno = ENOMEM;
        return -1;
    }
    for (int i = 0; i < n; i++)
        convert(&p[i], &list[i], restarts_of(svc, nsvc < 0 ? 0 : nsvc, list[i].pid));
    free(list);
    pv_sort_by_pid(p, n);
    *out = p;
    return n;
}
#endif
