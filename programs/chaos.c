// chaos: a file workload run while seeded faults of all three kinds are
// injected into the restartable services (console, ata, fs, and the NIC
// driver and the net server when they run). Every result is checked; the
// program exits 0 only if none was wrong.
// Usage: chaos [-n FAULTS] [-s SEED] [-r ROUNDS]
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <osapi.h>
#include "fuzz/watchdog.h"

static const char *const targets[] = { "console", "ata", "fs" };
static const char *const net_targets[] = { "e1000", "net" };   // when running
static const char *const kinds[] = { "crash", "hang", "wild" };
static unsigned long rng;
static int wrong;

static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fail(const char *what, const char *path)
{
    wrong++;
    printf("chaos: wrong result: %s %s (%s)\n", what, path, strerror(errno));
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

// One round: write a file, copy it, check both, make and remove a directory.
static void round_once(int round, unsigned char *a, unsigned char *b)
{
    char f1[64], f2[64], dir[64];
    size_t n = 1 + next() % (192 * 1024);
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)next();
    unsigned long want = sum(a, n);
    snprintf(f1, sizeof(f1), "/tmp/chaos.%d.a", round);
    snprintf(f2, sizeof(f2), "/tmp/chaos.%d.b", round);
    snprintf(dir, sizeof(dir), "/tmp/chaos.%d.d", round);
    if (write_file(f1, a, n))
        fail("write", f1);
    long got = read_file(f1, b, 256 * 1024);
    if (got != (long)n || sum(b, n) != want)
        fail("read back", f1);
    if (write_file(f2, b, n))
        fail("copy", f2);
    got = read_file(f2, b, 256 * 1024);
    if (got != (long)n || sum(b, n) != want)
        fail("cksum of copy", f2);
    if (mkdir(dir, 0755) || rmdir(dir))
        fail("mkdir/rmdir", dir);
    if (unlink(f1) || unlink(f2))
        fail("unlink", f1);
}

static int total_restarts(void)
{
    struct os_svc s[16];
    int n = os_svc_list(s, 16), r = 0;
    for (int i = 0; i < n; i++)
        r += s[i].restarts;
    return r;
}

// The target of the next fault: one of targets[], or of net_targets[]
// when that service is running now (not stopped, absent or restarting).
static const char *pick_target(void)
{
    const char *can[5];
    int n = 0;
    struct os_svc s[16];
    int ns = os_svc_list(s, 16);
    for (int i = 0; i < 3; i++)
        can[n++] = targets[i];
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < ns; i++)
            if (!strcmp(s[i].name, net_targets[t]) && s[i].state == 0)
                can[n++] = net_targets[t];
    return can[next() % (unsigned long)n];
}

int main(int argc, char **argv)
{
    int faults = 10, rounds = 0;
    unsigned long seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            faults = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-s"))
            seed = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "-r"))
            rounds = atoi(argv[i + 1]);
    }
    rng = seed * 2654435761ul + 1;
    if (!rounds)
        rounds = faults * 2 + 4;
    unsigned char *a = malloc(256 * 1024), *b = malloc(256 * 1024);
    int restarts0 = total_restarts(), injected = 0;
    for (int round = 0; round < rounds; round++) {
        if (injected < faults && round % 2 == 1) {
            const char *t = pick_target();
            int kind = 1 + (int)(next() % 3);
            if (os_svc_fault(t, kind, next()) == 0)
                injected++;
            else
                printf("chaos: cannot inject %s into %s: %s\n", kinds[kind - 1], t, strerror(errno));
        }
        round_once(round, a, b);
        prog_watchdog("chaos");
    }
    sleep(4);                                  // let the last restart finish
    int stalls = prog_watchdog("chaos");
    printf("chaos: %d faults, %d restarts, %d wrong results\n", injected,
           total_restarts() - restarts0, wrong);
    int n = os_cpu_count();
    printf("chaos: %d CPU%s, %d watchdog stalls\n", n, n == 1 ? "" : "s", stalls);
    return wrong || stalls ? 1 : 0;
}
