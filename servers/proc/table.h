// The process table: every process proc started (pid, parent, group,
// priority, CPU set, exit status not yet collected, the spawn and wait
// requests applied), kept in memory that outlives proc (init allocates it
// once and hands it to each incarnation). Pure logic, no system calls, so
// the host tests (tests/host/test_proc_table.c) run it as it is.
//
// A record changes only through a one-entry journal (the new record is
// written beside the table, marked valid, copied over the old one, then
// unmarked), so a crash at any instruction leaves the old or the new
// record; prt_open redoes a valid journal. Each record carries its own
// checksum; prt_open checks it and the invariants (state, pid range,
// names, no pid twice, parents that exist) and drops what fails, with a
// log line, before proc trusts the table.
#ifndef PROC_TABLE_H
#define PROC_TABLE_H
#include <stdint.h>

#define PRT_MAGIC    0x4c42415454435250ul    // "PRCTTABL"
#define PRT_VERSION  1
#define PRT_ENTRIES  256
#define PRT_MAX_PID  (1 << 24)
#define PRT_MAX_PRIO 63

enum {
    PR_FREE,
    PR_STARTING,      // made, not yet known to run: dropped (and killed) at a restart
    PR_RUNNING,
    PR_DEAD,          // ended, status not yet collected
    PR_REAPED,        // status handed to its parent's wait (reap_seq), kept for a retry
};

struct pr_entry {
    uint32_t state;
    int32_t pid, ppid, pgid, prio;
    uint32_t cpus;               // its CPU set (0: all), inherited by its children
    int32_t status;              // wait status once dead
    int32_t signal;              // signal that killed it, if proc did
    int32_t net_watch;           // net holds sockets of it
    int32_t pad;
    uint64_t spawn_seq;          // the parent's request that made it (a retry gets its pid)
    uint64_t reap_seq;           // the parent's wait that collected it
    char name[32];
    uint64_t sum;                // checksum of everything above
};
_Static_assert(__builtin_offsetof(struct pr_entry, sum) % 8 == 0, "pr_entry: words before sum");

struct prt_journal {
    uint32_t busy, index;
    struct pr_entry e;
};

struct proc_table {
    uint64_t magic;
    uint32_t version, pad;
    struct prt_journal j;
    struct pr_entry e[PRT_ENTRIES];
};

// What prt_open found: entries kept, dropped, and whether it started afresh.
struct prt_report { int kept, dropped, fresh, redone; };

// Checks the table (formatting it when it is not one), redoes the
// journal, frees entries that fail the check; log(index, why) says why.
struct prt_report prt_open(struct proc_table *t, void (*log)(int index, const char *why));
// Why entry i is not to be trusted, or NULL when it passes.
const char *prt_check(const struct proc_table *t, int i);
// Replaces entry i by e (its checksum is filled in) through the journal.
void prt_set(struct proc_table *t, int i, const struct pr_entry *e);
void prt_free(struct proc_table *t, int i);
uint64_t prt_sum(const struct pr_entry *e);

#endif
