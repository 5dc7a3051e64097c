// proc's start: the process table in memory init keeps (table.h), checked
// and carried on from after a restart. Which state lives where, and why:
// the records (pid, parent, group, priority, status not yet collected,
// the spawn and wait requests applied) are in the table, so a crash loses
// none of them; the children's process handles are kernel objects that
// die with us, so init keeps a copy of each (keep.c) and we take them
// back; our children signal their deaths on init's notification
// (H_DEATHS), so deaths while we were away are seen; the waits in
// progress are the callers' (their libc sends them again).
#include <stdio.h>
#include <string.h>
#include "proc.h"

#define TABLE_VADDR 0x500000000000ul

static struct proc_table *tab;
int children_top;

// Writes c's record into the table; keeps children_top (the loops over
// the children stop there) just above the last record in use.
void child_save(struct child *c)
{
    int i = (int)(c - children);
    prt_set(tab, i, &c->e);
    if (c->e.state != PR_FREE && i >= children_top)
        children_top = i + 1;
    while (children_top > 0 && children[children_top - 1].e.state == PR_FREE)
        children_top--;
}

static void dropped(int index, const char *why)
{
    printf("proc: process record %d failed the check (%s): dropped\n", index, why);
}

// Maps the table init keeps for us; without one (started by hand), a
// private table that dies with this incarnation.
static struct proc_table *table_map(void)
{
    static struct proc_table private_table;
    if (sys_mmio_map(H_TABLE, (long)TABLE_VADDR) == 0)
        return (struct proc_table *)TABLE_VADDR;
    printf("proc: no table from init: processes will not survive a restart\n");
    return &private_table;
}

// Whether process h (made by a spawn we did not finish) was started: it
// has a thread, or has already ended.
static int was_started(long h, int pid)
{
    struct proc_info pi;
    if (PROC_STATE((uint64_t)sys_proc_status(h, 0)) != PROC_RUNNING)
        return 1;
    for (long i = 0; sys_proc_info(H_ROOT_CAP, i, (long)&pi) == 0; i++)
        if (pi.pid == pid)
            return pi.threads > 0;
    return 0;
}

static void forget(struct child *c)
{
    c->e.state = PR_FREE;
    child_save(c);
}

// A live record after a restart: its handle back from init. A spawn we
// did not finish is finished if the child runs, else undone (its caller
// sends it again); a record whose handle is lost counts as killed.
static void restore_live(struct child *c)
{
    c->handle = keep_get(c->e.pid, NULL);
    if (c->handle < 0) {
        printf("proc: process %d (%s): its handle is lost, counted as killed\n", c->e.pid,
               c->e.name);
        if (c->e.state == PR_STARTING || !c->e.ppid)
            return forget(c);
        pipe_gone(c->e.pid);
        c->e.state = PR_DEAD;
        c->e.status = 9;                              // SIGKILL
        return child_save(c);
    }
    if (c->e.state == PR_RUNNING)
        return;
    if (was_started(c->handle, c->e.pid)) {
        c->e.state = PR_RUNNING;
        return child_save(c);
    }
    sys_proc_kill(c->handle);
    sys_handle_close(c->handle);
    c->handle = -1;
    pipe_gone(c->e.pid);
    keep_drop(c->e.pid);
    forget(c);
}

static void restore(struct child *c)
{
    c->handle = -1;
    switch (c->e.state) {
    case PR_STARTING:
    case PR_RUNNING:
        return restore_live(c);
    case PR_DEAD:
    case PR_REAPED:
        keep_drop(c->e.pid);                 // we may have died before dropping it
        if (!c->e.ppid)
            forget(c);
        return;
    }
}

// Maps and checks the table, takes its records back, and learns of the
// deaths we missed. *deaths: the notification our children signal.
int table_start(long *deaths)
{
    tab = table_map();
    struct prt_report r = prt_open(tab, dropped);
    *deaths = sys_notif_signal(H_DEATHS, 0) == 0 ? H_DEATHS : sys_notif_create();
    int n = 0;
    for (int i = 0; i < MAX_CHILDREN; i++) {
        children[i].e = tab->e[i];
        children[i].handle = -1;
        children_top = children[i].e.state != PR_FREE ? i + 1 : children_top;
    }
    for (int i = 0; i < children_top; i++)
        if (children[i].e.state != PR_FREE) {
            restore(&children[i]);
            n++;
        }
    if (!r.fresh) {
        netwatch_restore();
        printf("proc: table checked: %d processes kept, %d dropped%s\n", r.kept, r.dropped,
               r.redone ? ", last change redone" : "");
    }
    children_reap(~0ul);
    return n;
}
