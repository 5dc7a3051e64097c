// chaos: a file workload run while seeded faults are injected into the
// restartable services (console, ata, fs, pipe, and the NIC driver and the
// net server when they run) and into a worker child of its own. Kinds: crash,
// hang, wild (by the kernel), code (one instruction of the service's
// program changed) and kill. Every result is checked; the program exits 0
// only if none was wrong. A check that fails while a code fault lives in a
// service on the data path is counted apart, as caught, and turned into
// recovery (see CODE_ROUNDS).
// Usage: chaos [-n FAULTS] [-s SEED] [-r ROUNDS] [-p PERIOD] [-t TARGETS] [-k KINDS]
//   PERIOD: a fault every PERIOD rounds of the workload (default 2).
//   TARGETS, KINDS: comma lists (services by name, "child"; see kinds[]).
//   chaos -w runs the worker: the same workload until it is killed.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <osapi.h>
#include "fuzz/watchdog.h"

// Every restartable service (proc with its table of processes) and the
// worker child, a program the shell started.
#define DEFAULT_TARGETS "console,ata,fs,pipe,e1000,net,proc,child"
static const char *const optional[] = { "e1000", "net" };   // faulted when running
static const char *const kinds[] = { "crash", "hang", "wild", "code", "kill" };
#define NKINDS 5
#define MAX_TARGETS 16

static char *targets[MAX_TARGETS];
static int ntargets, kind_on[NKINDS], by_kind[NKINDS];
static unsigned long rng;
static int wrong, failed_calls, caught, is_worker;

// A code fault changes a service's program until it restarts: one that
// keeps serving may answer wrongly on every call after. Each is an
// experiment of CODE_ROUNDS rounds, then the service is restarted (if it
// has not died by itself). A check that fails while a code fault lives in
// a service on the workload's path (fs, ata, proc, pipe) is the injected
// bug caught by the client: chaos reports that service to init (svc
// restart), waits until it is back, and runs the round again ("caught",
// and "healed" if the round then passes). Any other failed check is a
// wrong result: damage that recovery let through.
#define CODE_ROUNDS 4
static const char *const data_path[] = { "fs", "ata", "proc", "pipe" };
static struct code_live { const char *name; int restarts, round, ended; } live[MAX_TARGETS];
static int nlive, healed, round_now;
static pid_t worker = -1;

// The failed checks of the round being run (main process only).
#define MAX_PROBLEMS 8
static char problems[MAX_PROBLEMS][160];
static int nproblems;

static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

// The restart count of service name and whether it is running (state 0).
static int restarts_of(const char *name, int *running)
{
    struct os_svc s[16];
    int n = os_svc_list(s, 16);
    for (int i = 0; i < n; i++)
        if (!strcmp(s[i].name, name)) {
            if (running)
                *running = s[i].state == 0;
            return s[i].restarts;
        }
    return -1;
}

static int on_path(const char *name)
{
    for (int d = 0; d < 4; d++)
        if (!strcmp(name, data_path[d]))
            return 1;
    return 0;
}

// True if entry i's code fault is still in its service's program.
static int code_alive(int i)
{
    if (live[i].ended < 0 && restarts_of(live[i].name, NULL) != live[i].restarts)
        live[i].ended = round_now;               // it died by itself: a fresh program
    return live[i].ended < 0;
}

// True if a code fault lived in a service on the workload's path at some
// time since round `since`.
static int code_on_path(int since)
{
    for (int i = 0; i < nlive; i++)
        if (on_path(live[i].name) && (code_alive(i) || live[i].ended >= since))
            return 1;
    return 0;
}

// A wrong result, or a failed check caught under a code fault (see above).
static void count_wrong(const char *what, int caught_it)
{
    caught += caught_it;
    wrong += !caught_it;
    printf("chaos: %s: %s\n", caught_it ? "caught (a code fault lives)" : "wrong result", what);
}

static void fail(const char *what, const char *path)
{
    char line[160];
    snprintf(line, sizeof(line), "%s %s (%s)", what, path, strerror(errno));
    if (is_worker) {
        printf("chaos: worker: wrong result: %s\n", line);
        exit(1);
    }
    if (nproblems < MAX_PROBLEMS)
        snprintf(problems[nproblems++], sizeof(problems[0]), "%s", line);
}

// Notes a code fault in service t at round r.
static void code_note(const char *t, int r)
{
    int i = 0;
    while (i < nlive && strcmp(live[i].name, t))
        i++;
    if (i == nlive && nlive == MAX_TARGETS)
        return;
    live[i] = (struct code_live){ t, restarts_of(t, NULL), r, -1 };
    nlive += i == nlive;
}

// Waits up to 20 s until service name has been restarted want times in
// all and runs. 0 if it has.
static int wait_back(const char *name, int want)
{
    int running;
    for (int i = 0; i < 2000; i++) {
        if (restarts_of(name, &running) >= want && running)
            return 0;
        usleep(10000);
    }
    return -1;
}

// Restarts service name (the client reporting it to init as misbehaving)
// and waits until it is back. 0 if it is. One that is restarting already
// (it died: init counted the restart) is only waited for; init would not
// restart it twice.
static int report_service(const char *name)
{
    int running, before = restarts_of(name, &running);
    if (running && os_svc_restart(name) < 0)
        return -1;
    return wait_back(name, running ? before + 1 : before);
}

// Ends the code faults of the services on the workload's path: each is
// reported to init, which restarts it from its program file. After the
// disk driver, init restarts fs too, which checks the disk (blocks it
// has cached, and those it wrote, went through the faulty driver).
static void code_heal(void)
{
    for (int i = 0; i < nlive; i++)
        if (on_path(live[i].name) && code_alive(i)) {
            int fs_before = restarts_of("fs", NULL);
            printf("chaos: reporting %s to init: restart\n", live[i].name);
            if (report_service(live[i].name))
                printf("chaos: %s did not come back\n", live[i].name);
            live[i].ended = round_now;
            if (!strcmp(live[i].name, "ata") && wait_back("fs", fs_before + 1))
                printf("chaos: fs did not come back\n");
        }
}

// Ends the code-fault experiments that have lasted CODE_ROUNDS rounds;
// forgets those that ended more than a round ago.
static void code_expire(int r)
{
    for (int i = 0; i < nlive; i++) {
        if (r - live[i].round >= CODE_ROUNDS && code_alive(i)) {
            os_svc_restart(live[i].name);
            live[i].ended = r;
        }
        if (live[i].ended >= 0 && r - live[i].ended > 1)
            live[i--] = live[--nlive];
    }
}

// A call that returned an error. The worker's calls run while a service
// dies in the middle of them; one that then reports an error (a retried
// unlink finding the file gone) is counted apart from wrong data: it ends
// the worker with status 2. Anywhere else it is a wrong result.
static void fail_call(const char *what, const char *path)
{
    if (!is_worker)
        return fail(what, path);
    printf("chaos: worker: %s %s failed (%s)\n", what, path, strerror(errno));
    exit(2);
}

static unsigned long sum(const unsigned char *p, size_t n)
{
    unsigned long h = 1469598103934665603ul;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ul;
    return h;
}

static int write_file(const char *path, const unsigned char *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, data + done, n - done > 4096 ? 4096 : n - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    return close(fd) < 0 || done != n ? -1 : 0;
}

// Reads a whole file into buf (at most max bytes); returns its length or -1.
static long read_file(const char *path, unsigned char *buf, size_t max)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long n = 0, r;
    while ((size_t)n < max && (r = read(fd, buf + n, max - (size_t)n)) > 0)
        n += r;
    close(fd);
    return n;
}

// One round: write a file (up to max bytes), copy it, check both, make
// and remove a directory. Names start with base.
static void round_once(const char *base, int round, size_t max, unsigned char *a,
                       unsigned char *b)
{
    char f1[64], f2[64], dir[64];
    size_t n = 1 + next() % max;
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)next();
    unsigned long want = sum(a, n);
    snprintf(f1, sizeof(f1), "%s.%d.a", base, round);
    snprintf(f2, sizeof(f2), "%s.%d.b", base, round);
    snprintf(dir, sizeof(dir), "%s.%d.d", base, round);
    if (write_file(f1, a, n))
        fail_call("write", f1);
    long got = read_file(f1, b, 256 * 1024);
    if (got < 0)
        fail_call("read back", f1);
    else if (got != (long)n || sum(b, n) != want)
        fail("read back", f1);
    if (write_file(f2, b, n))
        fail_call("copy", f2);
    got = read_file(f2, b, 256 * 1024);
    if (got < 0)
        fail_call("cksum of copy", f2);
    else if (got != (long)n || sum(b, n) != want)
        fail("cksum of copy", f2);
    if (mkdir(dir, 0755) || rmdir(dir))
        fail_call("mkdir/rmdir", dir);
    if (unlink(f1) || unlink(f2))
        fail_call("unlink", f1);
}

// Removes what a round left (after a failed check).
static void round_clean(const char *base, int round)
{
    char f[64];
    snprintf(f, sizeof(f), "%s.%d.a", base, round);
    unlink(f);
    snprintf(f, sizeof(f), "%s.%d.b", base, round);
    unlink(f);
    snprintf(f, sizeof(f), "%s.%d.d", base, round);
    rmdir(f);
}

// One round of the main workload, checked. Failed checks under a live
// code fault on the path are caught: the faulty services are reported to
// init and restarted, and the round is run again (healed if it passes).
// Failed checks without one are wrong results.
static void round_checked(int round, unsigned char *a, unsigned char *b)
{
    for (int attempt = 0;; attempt++) {
        nproblems = 0;
        round_once("/tmp/chaos", round, 192 * 1024, a, b);
        if (!nproblems) {
            healed += attempt > 0;
            return;
        }
        int code = code_on_path(round);
        for (int i = 0; i < nproblems; i++)
            count_wrong(problems[i], code);
        round_clean("/tmp/chaos", round);
        if (!code || attempt == 2)
            return;
        code_heal();
    }
}

static int total_restarts(void)
{
    struct os_svc s[16];
    int n = os_svc_list(s, 16), r = 0;
    for (int i = 0; i < n; i++)
        r += s[i].restarts;
    return r;
}

static int is_optional(const char *t)
{
    return !strcmp(t, optional[0]) || !strcmp(t, optional[1]);
}

// The target of the next fault: one of targets[]; e1000 and net only when
// they are running now (not stopped, absent or restarting).
static const char *pick_target(void)
{
    const char *can[MAX_TARGETS];
    int n = 0;
    struct os_svc s[16];
    int ns = os_svc_list(s, 16);
    for (int t = 0; t < ntargets; t++) {
        int up = !is_optional(targets[t]);
        for (int i = 0; i < ns && !up; i++)
            up = !strcmp(s[i].name, targets[t]) && s[i].state == 0;
        if (up)
            can[n++] = targets[t];
    }
    return n ? can[next() % (unsigned long)n] : NULL;
}

static int pick_kind(void)
{
    int on[NKINDS], n = 0;
    for (int k = 0; k < NKINDS; k++)
        if (kind_on[k])
            on[n++] = k;
    return on[next() % (unsigned long)n];
}

// The worker child: the workload on files of its own (one name set,
// used again each round) until it is killed.
// A wrong result ends it with status 1.
static int work(unsigned long seed)
{
    char base[32];
    unsigned char *a = malloc(32 * 1024), *b = malloc(256 * 1024);
    rng = seed * 2654435761ul + 7;
    is_worker = 1;
    snprintf(base, sizeof(base), "/tmp/chaosw.%d", (int)getpid());
    while (!wrong) {
        round_once(base, 0, 32 * 1024, a, b);
        usleep(20000);
    }
    return 1;
}

static void worker_start(void)
{
    char seed[24];
    snprintf(seed, sizeof(seed), "%lu", next());
    char *argv[] = { "chaos", "-w", seed, NULL };
    int fds[3] = { -1, 1, 2 };
    worker = os_spawn("/bin/chaos", argv, NULL, fds, 0, getpgrp());
    if (worker < 0)
        printf("chaos: cannot start the worker: %s\n", strerror(errno));
}

// Removes what worker pid left of its round.
static void worker_clean(pid_t pid)
{
    char f[64];
    snprintf(f, sizeof(f), "/tmp/chaosw.%d.0.a", (int)pid);
    unlink(f);
    f[strlen(f) - 1] = 'b';
    unlink(f);
    f[strlen(f) - 1] = 'd';
    rmdir(f);
}

// Counts how the worker ended: killed (by us, if killed says so), a call
// that failed (2), wrong data (1: it printed what).
static void worker_status(int st, int killed)
{
    int code = code_on_path(round_now - 1);      // its check ran in this round or the last
    if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
        failed_calls++;
    else if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
        count_wrong("of the worker (above)", code);
    else if (!killed || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
        count_wrong("the worker did not end as it should", 0);
    if (code && WIFEXITED(st) && WEXITSTATUS(st) == 1)
        code_heal();
}

// A worker that ended by itself is counted and started again.
static void worker_reap(void)
{
    int st;
    if (worker < 0) {
        worker_start();                           // it could not start last time
        return;
    }
    if (waitpid(worker, &st, WNOHANG) != worker)
        return;
    worker_clean(worker);
    worker = -1;
    worker_status(st, 0);
    worker_start();
}

// Kills the worker and checks that it died of that, and of nothing else
// before (a wrong result of its own ends it with status 1); its files go.
static void worker_stop(void)
{
    int st = 0;
    if (worker < 0)
        return;
    kill(worker, SIGKILL);                        // ESRCH if it has ended by itself
    if (waitpid(worker, &st, 0) != worker)
        count_wrong("cannot wait for the worker", 0);
    else
        worker_status(st, 1);
    worker_clean(worker);
    worker = -1;
}

// Injects one fault: into a service through the supervisor, or (kill
// only) into the worker child. Returns 0 if it went in.
static int inject(const char *t, int kind)
{
    if (strcmp(t, "child"))
        return os_svc_fault(t, kind + 1, next());
    if (strcmp(kinds[kind], "kill")) {
        errno = EINVAL;                           // chaos holds no handle to fault it with
        return -1;
    }
    worker_stop();
    worker_start();
    return worker < 0 ? -1 : 0;
}

static int list_parse(char *s, int (*add)(const char *))
{
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
        if (add(tok) < 0) {
            fprintf(stderr, "chaos: unknown: %s\n", tok);
            return -1;
        }
    return 0;
}

static int add_target(const char *t)
{
    if (ntargets == MAX_TARGETS)
        return -1;
    targets[ntargets++] = strdup(t);
    return 0;
}

static int add_kind(const char *k)
{
    for (int i = 0; i < NKINDS; i++)
        if (!strcmp(k, kinds[i]))
            return kind_on[i] = 1;
    return -1;
}

static long now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000l + tv.tv_usec / 1000;
}

// The targets, or the kinds, if "child" may only take kill faults.
static void child_needs_kill(void)
{
    for (int t = 0; t < ntargets; t++)
        if (!strcmp(targets[t], "child") && !kind_on[4]) {
            targets[t] = targets[--ntargets];     // no kill faults: no child target
            t--;
        }
}

static int period = 2;

static int options(int argc, char **argv, int *faults, int *rounds, unsigned long *seed)
{
    char deft[] = DEFAULT_TARGETS, *tl = deft, *kl = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            *faults = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-s"))
            *seed = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "-r"))
            *rounds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-p"))
            period = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : 1;
        else if (!strcmp(argv[i], "-t"))
            tl = argv[i + 1];
        else if (!strcmp(argv[i], "-k"))
            kl = argv[i + 1];
    }
    if (list_parse(tl, add_target) < 0)
        return -1;
    if (kl && list_parse(kl, add_kind) < 0)
        return -1;
    for (int k = 0; !kl && k < NKINDS; k++)
        kind_on[k] = 1;
    child_needs_kill();
    return ntargets ? 0 : -1;
}

// The kernel's consistency check, in a kernel that has it (kcheck on the
// command line): prints what it found. 0 if consistent or absent.
static int kernel_check(void)
{
    char report[1024];
    long r = os_kcheck(report, sizeof(report));
    if (r < 0)
        return 0;                                 // not this kernel's build
    printf("chaos: kernel check: %s\n", r == 0 ? "consistent" : report);
    return r != 0;
}

static void summary(int injected, int restarts0, long ms)
{
    printf("chaos: %d faults, %d restarts, %d wrong results, %ld faults per minute, "
           "%d worker calls failed, %d caught under code faults, %d healed\n", injected,
           total_restarts() - restarts0, wrong, ms ? injected * 60000l / ms : 0, failed_calls,
           caught, healed);
    printf("chaos: counts: a wrong result is a failed check with no code fault live on the "
           "data path (damage recovery let through); caught, one while a code fault lived there "
           "(the service was reported to init and restarted); healed, a round that then passed\n");
    printf("chaos: by kind:");
    for (int k = 0; k < NKINDS; k++)
        printf(" %s %d", kinds[k], by_kind[k]);
    printf("\n");
}

int main(int argc, char **argv)
{
    int faults = 10, rounds = 0;
    unsigned long seed = 1;
    if (argc == 3 && !strcmp(argv[1], "-w"))
        return work(strtoul(argv[2], NULL, 0));
    if (options(argc, argv, &faults, &rounds, &seed) < 0) {
        fprintf(stderr, "usage: chaos [-n FAULTS] [-s SEED] [-r ROUNDS] [-p PERIOD] [-t TARGETS] "
                "[-k KINDS]\n");
        return 2;
    }
    rng = seed * 2654435761ul + 1;
    if (!rounds)
        rounds = faults * period + 4;
    unsigned char *a = malloc(256 * 1024), *b = malloc(256 * 1024);
    int restarts0 = total_restarts(), injected = 0;
    long t0 = now_ms();
    worker_start();
    for (int round = 0; round < rounds; round++) {
        const char *t = injected < faults && round % period == period - 1 ? pick_target() : NULL;
        if (t) {
            int kind = strcmp(t, "child") ? pick_kind() : 4;   // the worker: kill
            if (inject(t, kind) == 0) {
                injected++, by_kind[kind]++;
                if (kind == 3)
                    code_note(t, round);
            }
            else
                printf("chaos: cannot inject %s into %s: %s\n", kinds[kind], t, strerror(errno));
        }
        round_now = round;
        round_checked(round, a, b);
        worker_reap();
        code_expire(round);
        prog_watchdog("chaos");
    }
    long t1 = now_ms();
    code_expire(rounds + CODE_ROUNDS);          // no changed program outlives chaos
    worker_stop();
    sleep(4);                                  // let the last restart finish
    int stalls = prog_watchdog("chaos");
    summary(injected, restarts0, t1 - t0);
    int n = os_cpu_count();
    printf("chaos: %d CPU%s, %d watchdog stalls\n", n, n == 1 ? "" : "s", stalls);
    int bad = kernel_check();
    return wrong || stalls || bad ? 1 : 0;
}
