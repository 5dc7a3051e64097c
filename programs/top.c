// top: the processes and what they do, refreshed every second: per process
// its CPU share over the last interval (100.0: one CPU's whole time; a
// process on two CPUs can reach 200.0), priority (base/effective when IPC
// lends it more), state (R runnable, S blocked), CPU time, IPC calls made
// and received per second, pages, and the restarts of services. Busiest
// first. The first screen comes after one interval.
// usage: top [-n COUNT] [-d SECONDS]
// -n: stop after COUNT refreshes; -d: the interval (default 1). On a
// terminal the screen is redrawn each time and q (or ^C) quits; otherwise
// the refreshes follow one another with no escapes.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <osapi.h>
#include "prog.h"
#include "procview.h"
#include "term.h"

#define USAGE "[-n COUNT] [-d SECONDS]"

struct screen {
    int tty;                     // standard output is a terminal: redraw
    int kbd;                     // where q comes from, -1: nowhere
    int rows, cols;
    int ncpu;
};

static unsigned long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

// A number argument in [lo, hi], else the usage message.
static double number(const char *s, double lo, double hi)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || !(v >= lo && v <= hi))
        prog_usage(USAGE, 2);
    return v;
}

// A whole number argument in [lo, hi], else the usage message.
static long whole(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
        prog_usage(USAGE, 2);
    return v;
}

// Whether the byte read from the keyboard asks to quit.
static int is_quit(int c)
{
    return c == 'q' || c == 'Q' || c == 3;
}

// Waits ms milliseconds, watching the keyboard; returns 1 when q came.
// Blocks.
static int wait_keys(struct screen *s, unsigned long ms)
{
    unsigned long end = now_ms() + ms;
    for (unsigned long t = now_ms(); t < end; t = now_ms()) {
        if (s->kbd < 0) {
            usleep((useconds_t)(end - t) * 1000);
            continue;
        }
        struct pollfd p = { s->kbd, POLLIN, 0 };
        int r = poll(&p, 1, (int)(end - t));
        if (r <= 0)
            continue;
        unsigned char c;
        if (read(s->kbd, &c, 1) != 1)
            s->kbd = -1;                 // the keyboard went away: time alone ends top
        else if (is_quit(c))
            return 1;
    }
    return 0;
}

// The first line: CPUs, their use over the interval, processes.
static void show_summary(const struct screen *s, const struct pv_proc *p, int n)
{
    unsigned total = 0;
    char pct[16];
    for (int i = 0; i < n; i++)
        total += p[i].pct10;
    pv_fmt_pct(pct, sizeof pct, total);
    printf("top: %d CPU%s, %s%% in use (of %d%%), %d processes\n", s->ncpu,
           s->ncpu == 1 ? "" : "s", pct, s->ncpu * 100, n);
}

// One refresh: on a terminal the screen is cleared and what fits shown,
// each line cut at the screen's width.
static void show(const struct screen *s, const struct pv_proc *p, int n)
{
    char line[256];
    int fit = s->tty ? s->rows - 3 : n;
    if (s->tty)
        printf("\x1b[H\x1b[2J");
    else
        printf("\n");
    show_summary(s, p, n);
    printf("%.*s\n", s->tty ? s->cols : (int)sizeof line, pv_top_header);
    for (int i = 0; i < n && i < fit; i++) {
        pv_line_top(line, sizeof line, &p[i]);
        printf("%.*s\n", s->tty ? s->cols : (int)sizeof line, line);
    }
    fflush(stdout);
}

// Samples and shows count times (0: until q), delay_ms apart. Returns the
// exit status.
static int run(struct screen *s, long count, unsigned long delay_ms)
{
    struct pv_proc *old, *cur;
    int nold = pv_sample(&old), ncur;
    unsigned long then = now_ms();
    if (nold < 0) {
        prog_warn_errno("cannot read the process list");
        return 1;
    }
    for (long i = 0; count == 0 || i < count; i++) {
        if (wait_keys(s, delay_ms))
            break;
        if ((ncur = pv_sample(&cur)) < 0) {
            prog_warn_errno("cannot read the process list");
            free(old);
            return 1;
        }
        unsigned long now = now_ms();
        pv_rates(old, nold, cur, ncur, now - then);
        free(old);
        old = cur;
        nold = ncur;
        then = now;
        pv_sort_by_cpu(cur, ncur);       // pv_rates finds pids in any order
        show(s, cur, ncur);
    }
    free(old);
    return 0;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    long count = 0;
    double delay = 1;
    int opt;
    while ((opt = getopt(argc, argv, "n:d:")) != -1) {
        if (opt == 'n')
            count = whole(optarg, 1, 1000000000);
        else if (opt == 'd')
            delay = number(optarg, 0.1, 3600);
        else
            prog_usage(USAGE, 2);
    }
    if (optind != argc)
        prog_usage(USAGE, 2);
    struct screen s = { isatty(1), -1, 24, 80, os_cpu_count() };
    if (s.tty) {
        term_size(1, &s.rows, &s.cols);
        s.kbd = term_keyboard();
        if (s.kbd >= 0 && term_raw(s.kbd, 0, 1) < 0)
            s.kbd = -1;
    }
    int status = run(&s, count, (unsigned long)(delay * 1000 + 0.5));
    if (s.kbd >= 0)
        term_restore();
    return status;
}
