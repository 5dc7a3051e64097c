// What `ps -l` and `top` share: one process as they show it, the rates
// top works out between two samples, and the formatting of their columns.
// procview.c is plain C (host unit test: tests/host/test_procview.c);
// procsample.c reads the live list on this system.
#ifndef PROCVIEW_H
#define PROCVIEW_H
#include <stddef.h>

struct pv_proc {
    int pid, ppid;
    int prio, base_prio;         // effective (with what IPC lends) and its own
    int running, cpu;            // runnable; the CPU it runs or last ran on
    int restarts;                // for services, the supervisor's count; -1 otherwise
    unsigned long pages;         // 4 KiB pages it holds
    unsigned long ticks;         // 1 ms timer ticks that found it running (all CPUs)
    unsigned long calls, served; // IPC calls made and received
    char name[32];
    // Over the last interval (pv_rates):
    unsigned pct10;              // CPU share in tenths of a percent (1000: one CPU)
    unsigned long calls_ps, served_ps;
};

// Reads the live processes into *out (malloc'd, sorted by pid; the caller
// frees it), with the restart counts of the services. Returns the count,
// or -1 with errno set. Blocks on the proc server and the supervisor.
int pv_sample(struct pv_proc **out);

// Tenths of a percent that dticks ticks are of ms milliseconds, rounded
// (0 when ms is 0).
unsigned pv_pct10(unsigned long dticks, unsigned long ms);

// Events per second that delta events in ms milliseconds make, rounded.
unsigned long pv_rate(unsigned long delta, unsigned long ms);

// Fills the rates of every cur[i] from the same pid in old (a process not
// in old, or whose counters went back, e.g. a reused pid, counts from 0).
void pv_rates(const struct pv_proc *old, int nold, struct pv_proc *cur, int ncur,
              unsigned long ms);

// Sorts by CPU share, highest first, then by pid.
void pv_sort_by_cpu(struct pv_proc *p, int n);

// Sorts by pid.
void pv_sort_by_pid(struct pv_proc *p, int n);

// "M:SS.mmm" for ticks milliseconds, e.g. 1234 -> "0:01.234".
void pv_fmt_time(char *buf, size_t cap, unsigned long ticks);

// "B" when base and effective priority agree, else "B/E" (e.g. "10/12").
void pv_fmt_prio(char *buf, size_t cap, int base, int prio);

// "12.3" for pct10 123.
void pv_fmt_pct(char *buf, size_t cap, unsigned pct10);

// ps -l's and top's column headers, and one process's line (without a
// newline) in each layout; they return what snprintf returned.
extern const char pv_long_header[], pv_top_header[];
int pv_line_long(char *buf, size_t cap, const struct pv_proc *p);
int pv_line_top(char *buf, size_t cap, const struct pv_proc *p);

#endif
