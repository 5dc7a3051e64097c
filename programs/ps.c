// ps: lists the live processes, one row each, sorted by pid, with the
// CPU each runs or last ran on and the memory each holds (KiB of user
// pages and page tables).
// usage: ps [-l]
// -l: the long form, top's columns once: priority (base/effective when IPC
// lends it more), state (R runnable, S blocked), CPU time, IPC calls made
// and served, pages, and the restarts of services ("-" for the rest).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <osapi.h>
#include "procview.h"

static int by_pid(const void *a, const void *b)
{
    const struct os_procinfo *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

// ps -l.
static int long_list(void)
{
    struct pv_proc *procs;
    char line[256];
    int n = pv_sample(&procs);
    if (n < 0) {
        fprintf(stderr, "ps: %s\n", strerror(errno));
        return 1;
    }
    printf("%s\n", pv_long_header);
    for (int i = 0; i < n; i++) {
        pv_line_long(line, sizeof line, &procs[i]);
        printf("%s\n", line);
    }
    free(procs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "-l"))
        return long_list();
    if (argc > 1) {
        fprintf(stderr, "usage: ps [-l]\n");
        return 2;
    }
    struct os_procinfo *procs = NULL;
    int max = 64, n;

    // Grow the buffer until the whole list fits.
    for (;;) {
        free(procs);
        procs = malloc(max * sizeof *procs);
        if (!procs) {
            fprintf(stderr, "ps: out of memory\n");
            return 1;
        }
        n = os_proc_list(procs, max);
        if (n < 0) {
            fprintf(stderr, "ps: os_proc_list: %s\n", strerror(errno));
            return 1;
        }
        if (n < max)
            break;
        max *= 2;
    }
    qsort(procs, n, sizeof *procs, by_pid);

    printf("  PID  PPID PRIO STATE CPU    KIB NAME\n");
    for (int i = 0; i < n; i++) {
        const struct os_procinfo *p = &procs[i];
        printf("%5d %5d %4d %-5s %3d %6lu %.*s\n", p->pid, p->ppid, p->prio,
               p->running ? "run" : "sleep", p->cpu, p->pages * 4, (int)sizeof p->name, p->name);
    }
    free(procs);
    return 0;
}
