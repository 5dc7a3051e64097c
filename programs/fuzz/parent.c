// fuzz, the parent: starts the workers, follows their progress lines,
// replaces the ones that die and prints the summary.
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <osapi.h>
#include "os.h"
#include "services.h"
#include "watchdog.h"
#include "fuzz.h"

extern struct startinfo os_start;        // libc's copy of our start block

static pid_t worker_pids[4096];
static int nworker_pids;

// Processes a worker created that are still there after every worker is
// gone: the kernel must have ended them (a process without threads that
// nobody holds can never run) or their last thread must have ended.
static int count_leaked(void)
{
    static struct os_procinfo list[256];
    int leaked = 0;
    sleep(1);                            // starved child threads run and end
    int n = os_proc_list(list, 256);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < nworker_pids; k++)
            if (list[i].ppid == worker_pids[k])
                leaked++;
    return leaked;
}

struct slot { unsigned long left, calls, errors, wrong; int gen; };

// Starts worker i for its remaining calls; returns the read end of its
// progress pipe and the pid, or -1.
static int start_worker(int i, struct slot *s, unsigned long seed, pid_t *pid)
{
    int fds[2];
    char a_i[16], a_g[16], a_s[24], a_n[24];
    if (pipe(fds) < 0)
        return -1;
    snprintf(a_i, sizeof a_i, "%d", i);
    snprintf(a_g, sizeof a_g, "%d", s->gen);
    snprintf(a_s, sizeof a_s, "%lu", seed);
    snprintf(a_n, sizeof a_n, "%lu", s->left);
    char *argv[] = { "fuzz", "-w", a_i, "-g", a_g, "-s", a_s, "-n", a_n, NULL };
    int io[3] = { 0, fds[1], 2 };
    *pid = os_spawn("/bin/fuzz", argv, NULL, io, 0, os_start.pgid);
    close(fds[1]);
    if (*pid > 0 && nworker_pids < 4096)
        worker_pids[nworker_pids++] = *pid;
    if (*pid < 0) {
        close(fds[0]);
        return -1;
    }
    return fds[0];
}

// Reads a worker's progress lines until its pipe closes; returns whether
// it finished ('D' line), with its figures added to s.
static bool follow(int fd, struct slot *s)
{
    char buf[512];
    size_t have = 0;
    unsigned long calls = 0, errs = 0, bad = 0;
    bool finished = false;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
        buf[have] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            char what;
            int idx;
            *nl = 0;
            if (sscanf(line, "%c %d %lu %lu %lu", &what, &idx, &calls, &errs, &bad) == 5 &&
                what == 'D')
                finished = true;
            line = nl + 1;
        }
        have = strlen(line);
        memmove(buf, line, have);
        prog_watchdog("fuzz");
    }
    close(fd);
    s->calls += calls;
    s->errors += errs;
    s->wrong += bad;
    s->left = calls < s->left ? s->left - calls : 0;
    if (finished)
        s->left = 0;
    return finished;
}

int fuzz_parent(unsigned long n, unsigned long seed, int procs)
{
    struct slot s[16] = { 0 };
    int fds[16];
    pid_t pids[16];
    unsigned long died = 0, stuck = 0, faulted = 0, self_ended = 0;
    for (int i = 0; i < procs; i++) {
        s[i].left = n / (unsigned long)procs + (i < (int)(n % (unsigned long)procs));
        fds[i] = start_worker(i, &s[i], seed, &pids[i]);
    }
    for (int i = 0; i < procs; i++) {
        while (fds[i] >= 0) {
            bool finished = follow(fds[i], &s[i]);
            int st = 0;
            waitpid(pids[i], &st, 0);
            fds[i] = -1;
            if (finished && WIFEXITED(st) && WEXITSTATUS(st) == 0)
                break;
            died++;
            if (WIFEXITED(st) && WEXITSTATUS(st) == STUCK_EXIT)
                stuck++;
            else if (WIFEXITED(st) || WTERMSIG(st) == SIGKILL)
                self_ended++;
            else
                faulted++;
            if (s[i].left && ++s[i].gen < MAX_REPLACE)
                fds[i] = start_worker(i, &s[i], seed, &pids[i]);
        }
    }
    unsigned long calls = 0, errs = 0, bad = 0, left = 0;
    for (int i = 0; i < procs; i++) {
        calls += s[i].calls;
        errs += s[i].errors;
        bad += s[i].wrong;
        left += s[i].left;
    }
    int leaked = count_leaked(), stalls = prog_watchdog("fuzz");
    int ncpu = os_cpu_count();
    printf("fuzz: %d CPU%s, %d watchdog stalls\n", ncpu, ncpu == 1 ? "" : "s", stalls);
    printf("fuzz: %lu calls, %lu errors, %lu workers died (%lu ended themselves, %lu faulted, "
           "%lu stuck), %lu wrong results, %d processes leaked, %lu calls not made\n",
           calls, errs, died, self_ended, faulted, stuck, bad, leaked, left);
    return bad || left || leaked || stalls ? 1 : 0;
}
