// bench: instruction counts of the system's basic operations, for
// make bench (run under QEMU's -icount, where rdtsc counts instructions).
// Prints "bench: NAME MEDIAN" lines, then "bench: done".
// Usage: bench            (the measurements, on one CPU)
//        bench smp        (the ones across two CPUs, under -icount)
//        bench ipc        (only the system call, IPC, notify and yield keys: quick)
//        bench speedup    (2 CPU-bound processes on 1 CPU, then on 2; no -icount)
//        bench net        (TCP both ways with tools/bench.py on the host, through
//                          forwards to ports 7801-7802; UDP echo over loopback)
//        bench server ...  (the partner process it starts itself)
// Built with the host's gcc for Linux (make compare, -DBENCH_LINUX), it is
// the /init of an initramfs: bench_linux.h supplies the Linux calls,
// bench_linux_main.h its main, and the parts only this system has are
// left out there.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#ifdef BENCH_LINUX
#include "bench_linux.h"
#else
#include <osapi.h>
#include "os.h"
#endif

#define SAMPLES 101
#define INNER   50
#define UNCACHED 501            // disk reads: more samples, a steadier median
#define RESTARTS 9
#define FS_RESTARTS 5
#define LAT_SAMPLES 1001
#define NET_ROUNDS  7           // transfers each way; the host side (tools/bench.py)
#define NET_MIB     4           //   sends and reads NET_MIB MiB in each
#define UDP_ECHOES  100         // echoes per sample, NET_ROUNDS samples

static uint64_t samples[LAT_SAMPLES];
static uint8_t page[4096] __attribute__((aligned(4096))), page2[4096] __attribute__((aligned(4096)));   // one page each, whatever the layout

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

// Instructions executed, without the time the CPU waited idle for the
// disk: QEMU completes disk requests at host speed, so only this count
// repeats from run to run where a disk request is waited for.
static inline uint64_t busy(void)
{
    return (uint64_t)sys_busy_tsc();
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, int n)
{
    qsort(samples, (size_t)n, sizeof(samples[0]), cmp_u64);
    printf("bench: %s %lu\n", name, (unsigned long)samples[n / 2]);
    fflush(stdout);
}

#ifndef BENCH_LINUX
// The partner: serves IPC, calls it, answers notifications, yields or
// spins, by mode.
static int server(const char *mode)
{
    struct msg m;
    if (!strcmp(mode, "yield"))
        for (;;)
            sys_yield();
    if (!strcmp(mode, "spin"))
        for (;;)
            __asm__ volatile("" ::: "memory");
    if (!strcmp(mode, "work")) {                     // a fixed amount of work, then exit
        volatile uint64_t h = 1;
        for (uint64_t i = 0; i < 200000000ull; i++)
            h = h * 31 + i;
        return 0;
    }
    if (!strcmp(mode, "pingpong"))
        for (;;) {
            m = (struct msg){ TAG(1, 0), 1, 2, 3, 0, 0 };
            ipc_call(1, &m, NULL);                   // our handle 1
        }
    if (!strcmp(mode, "notify"))
        for (;;) {
            sys_notif_wait(1);                       // our handles 1 and 2
            sys_notif_signal(2, 1);
        }
    struct ipc_bufs b = { page, 0, page, sizeof(page) };
    long r = sys_recv_buf((long)page, sizeof(page));  // requests arrive there
    if (r == 0)
        r = ipc_recv(1, &m, NULL);
    while (r == 0) {                                 // echo the payload, if any
        b.send_len = TAG_LEN(m.tag);
        m.tag = TAG(0, 0);
        r = ipc_reply_recv(1, m.token, &m, b.send_len ? &b : NULL);
    }
    return 1;
}

// Starts this program again as a partner process holding our handles.
static long partner(const char *mode, long *grants, int n, int prio)
{
    static uint8_t *elf;
    static long len;
    if (!elf) {
        int fd = open("/bin/bench", O_RDONLY);
        elf = malloc(1 << 20);
        len = fd < 0 ? -1 : read(fd, elf, 1 << 20);
        while (len > 0 && len % 65536 == 0) {       // read() returns one payload at a time
            long more = read(fd, elf + len, (1 << 20) - (size_t)len);
            if (more <= 0)
                break;
            len += more;
        }
        close(fd);
    }
    const char *argv[] = { "bench", "server", mode, NULL };
    struct spawn_req r = { .name = "bench-partner", .elf = elf, .elf_len = (uint64_t)len,
                           .argv = argv, .prio = prio, .notif = -1, .grants = grants,
                           .ngrants = n };
    return spawn(&r);
}
#endif

static void bench_null_syscall(void)
{
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        for (int k = 0; k < INNER; k++)
            sys_proc_self();
        samples[i] = (tsc() - t0) / INNER;
    }
    report("null_syscall", SAMPLES);
}

#ifndef BENCH_LINUX
static void bench_ipc(void)
{
    long ep = sys_endpoint_create();
    long p = partner("ipc", &ep, 1, 10);
    struct msg m = { TAG(1, 0), 1, 2, 3, 0, 0 };
    struct ipc_bufs b = { page2, 4096, page, sizeof(page) };
    ipc_call(ep, &m, NULL);                          // warm up
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        for (int k = 0; k < INNER; k++)
            ipc_call(ep, &m, NULL);
        samples[i] = (tsc() - t0) / INNER;
    }
    report("ipc_roundtrip", SAMPLES);
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        ipc_call(ep, &m, &b);
        samples[i] = tsc() - t0;
    }
    report("ipc_roundtrip_4k", SAMPLES);
    sys_proc_kill(p);
    sys_handle_close(ep);
}

// Client here on CPU 0, server pinned to CPU 1: every call and reply
// crosses CPUs (an IPI each way; the fast path does not apply).
static void bench_ipc_cross_cpu(void)
{
    long ep = sys_endpoint_create();
    long p = partner("ipc", &ep, 1, 10);
    sys_proc_cpus(p, 2);
    sys_proc_cpus(H_SELF, 1);
    struct msg m = { TAG(1, 0), 1, 2, 3, 0, 0 };
    ipc_call(ep, &m, NULL);                          // warm up
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        for (int k = 0; k < INNER; k++) {
            m = (struct msg){ TAG(1, 0), 1, 2, 3, 0, 0 };
            ipc_call(ep, &m, NULL);
        }
        samples[i] = (tsc() - t0) / INNER;
    }
    report("ipc_roundtrip_cross_cpu", SAMPLES);
    sys_proc_kill(p);
    sys_handle_close(ep);
}

static volatile uint64_t woke_at;
static long wake_notif, back_notif;

static void wake_waiter(long arg)
{
    (void)arg;
    for (;;) {
        sys_notif_wait(wake_notif);
        woke_at = tsc();
        sys_notif_signal(back_notif, 1);
    }
}

// A thread pinned to CPU 1 waits; we signal it from CPU 0 and wait for
// its answer: the time from just before the signal to its first
// instruction after the wait. (Under -icount the CPUs run in turn, so
// this includes our way into the wait, while CPU 1 sleeps on.)
static void bench_ipi_wakeup(void)
{
    sys_proc_cpus(H_SELF, 1);
    wake_notif = sys_notif_create();
    back_notif = sys_notif_create();
    long t = thread_start(wake_waiter, 0, 10, 16384);
    sys_thread_cpus(t, 2);
    sys_sleep(2);
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        sys_notif_signal(wake_notif, 1);
        sys_notif_wait(back_notif);
        samples[i] = woke_at - t0;
    }
    report("ipi_wakeup", SAMPLES);
}

// Wall-clock time of two processes doing the same fixed work, both on
// CPU 0, divided by the same on CPUs 0 and 1: the speedup from a second
// CPU, in hundredths.
static void bench_speedup(void)
{
    long took[2];
    for (int round = 0; round < 2; round++) {
        long p[2];
        long t0 = sys_time();
        for (int k = 0; k < 2; k++) {
            p[k] = partner("work", NULL, 0, 5);
            sys_proc_cpus(p[k], round == 0 ? 1 : 1l << k);
        }
        for (int k = 0; k < 2; k++)
            while ((sys_proc_status(p[k], 0) >> 32) == 0)
                sys_sleep(5);
        took[round] = sys_time() - t0;
    }
    printf("bench: parallel_speedup_2cpu %ld\n", took[1] ? took[0] * 100 / took[1] : 0);
}

static void bench_notify(void)
{
    long n[2] = { sys_notif_create(), sys_notif_create() };
    long p = partner("notify", n, 2, 10);
    sys_notif_signal(n[0], 1);
    sys_notif_wait(n[1]);
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        sys_notif_signal(n[0], 1);                   // wakes the partner ...
        sys_notif_wait(n[1]);                        // ... which wakes us
        samples[i] = (tsc() - t0) / 2;
    }
    report("notify_wakeup", SAMPLES);
    sys_proc_kill(p);
}

static void bench_yield(void)
{
    long p = partner("yield", NULL, 0, 10);
    sys_yield();
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        for (int k = 0; k < INNER; k++)
            sys_yield();                             // to the partner and back
        samples[i] = (tsc() - t0) / (2 * INNER);
    }
    report("yield_switch", SAMPLES);
    sys_proc_kill(p);
}

// Sleeps until the next timer tick; returns the time stamp counter read
// by the first instruction after the kernel returns to us.
static uint64_t sleep_tick(void)
{
    uint32_t lo, hi;
    __asm__ volatile("syscall\n\trdtsc" : "=a"(lo), "=d"(hi) : "a"((long)SYS_sleep), "D"(1L)
                     : "rcx", "r11", "memory");
    return ((uint64_t)hi << 32) | lo;
}

// Interrupt latency: from the entry of the timer interrupt that wakes us
// to our first instruction, while a lower-priority pair of processes
// ping-pongs over IPC and a yet lower one spins. A tick that also wakes
// another thread (init's timers, of higher priority) is not counted: we
// were not the one thread waiting for it.
static void bench_irq_latency(void)
{
    long ep = sys_endpoint_create();
    long p[3] = { partner("spin", NULL, 0, 1), partner("ipc", &ep, 1, 5),
                  partner("pingpong", &ep, 1, 5) };
    int n = 0;
    for (int i = 0; n < LAT_SAMPLES && i < 10 * LAT_SAMPLES; i++) {
        uint64_t woke = sleep_tick();
        struct tick_info ti;
        sys_tick_info((long)&ti);
        if (i >= 10 && ti.woken == 1)                // 10 ticks to settle
            samples[n++] = woke - ti.tsc;
    }
    for (int i = 2; i >= 0; i--)
        sys_proc_kill(p[i]);
    sys_handle_close(ep);
    if (n == 0)
        return;                                      // make bench reports them missing
    report("irq_latency_median", n);
    printf("bench: irq_latency_worst %lu\n", (unsigned long)samples[n - 1]);
}

#endif

// A 4 KiB read of the middle of fd's 8 MiB, cached.
static void bench_read_cached(int fd)
{
    for (int i = 0; i < SAMPLES; i++) {
        pread(fd, page, 4096, 8 << 20 >> 1);         // warm: same block each time
        uint64_t t0 = busy();
        lseek(fd, 4 << 20, SEEK_SET);
        read(fd, page, 4096);
        samples[i] = busy() - t0;
    }
    report("read_4k_cached", SAMPLES);
}

#ifndef BENCH_LINUX
static void bench_files(void)
{
    int fd = open("/tmp/bench.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < 8 * 256; i++) {              // 8 MiB, the first measured
        uint64_t t0 = busy();
        write(fd, page, 4096);
        if (i < 256)
            samples[i] = busy() - t0;
    }
    report("write_1m", 256);
    bench_read_cached(fd);
    for (int i = 0; i < UNCACHED; i++) {             // a new block each time
        uint64_t t0 = busy();
        lseek(fd, (off_t)i * 4096, SEEK_SET);
        read(fd, page, 4096);
        samples[i] = busy() - t0;
    }
    report("read_4k_uncached", UNCACHED);
    for (int i = 0; i < RESTARTS; i++) {
        uint64_t t0 = busy();
        os_svc_fault("ata", 1, 1);
        lseek(fd, (off_t)(7 << 20) + i * 65536, SEEK_SET);
        read(fd, page, 4096);                        // served by the new driver
        samples[i] = busy() - t0;
        sleep(6);                                    // not a quick death: no backoff
    }
    report("disk_restart", RESTARTS);
    close(fd);
    unlink("/tmp/bench.dat");
}

// fs crashed with writes in its journal (committed, not yet in place) to
// the first request served by the new fs: the mount and its journal
// replay. key: fs_restart (64 MiB disk), fs_restart_1g (`bench fsrestart`
// on a 1 GiB one).
static void bench_fs_restart(const char *key)
{
    struct stat st;
    int fd = open("/tmp/fsr.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < FS_RESTARTS; i++) {
        for (int k = 0; k < 16; k++)                 // transactions for the replay
            pwrite(fd, page, 4096, (off_t)(i * 16 + k) * 4096);
        uint64_t t0 = busy();
        os_svc_fault("fs", 1, 1);
        stat("/tmp/fsr.dat", &st);                   // served by the new fs
        samples[i] = busy() - t0;
        sleep(6);                                    // not a quick death: no backoff
    }
    report(key, FS_RESTARTS);
    close(fd);
    unlink("/tmp/fsr.dat");
}
#endif

static void bench_spawn(void)
{
    char *argv[] = { "true", NULL };
    int fds[3] = { 0, 1, 2 };
    for (int i = 0; i < 21; i++) {
        uint64_t t0 = tsc();
        pid_t pid = os_spawn("/bin/true", argv, environ, fds, 0, 0);
        int st;
        waitpid(pid, &st, 0);
        samples[i] = tsc() - t0;
    }
    report("spawn_wait", 21);
}

// A socket of type bound to port on every address (TCP: listening).
static int net_socket(int type, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int s = socket(AF_INET, type, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
        (type == SOCK_STREAM && listen(s, 1))) {
        perror("bench: net socket");
        exit(1);
    }
    return s;
}

// Reads c to its end; the bytes read.
static unsigned long drain(int c)
{
    static uint8_t buf[65536];
    unsigned long total = 0;
    ssize_t n;
    while ((n = recv(c, buf, sizeof(buf), 0)) > 0)
        total += (unsigned long)n;
    return total;
}

// Instructions per MiB for one transfer's count, or exits if it was short.
static uint64_t per_mib(uint64_t took, unsigned long bytes)
{
    if (bytes != (unsigned long)NET_MIB << 20) {
        printf("bench: a transfer moved %lu bytes, not %d MiB\n", bytes, NET_MIB);
        exit(1);
    }
    return took / NET_MIB;
}

// The host sends NET_MIB MiB on each connection and half-closes.
static void bench_tcp_in(int l)
{
    for (int r = 0; r < NET_ROUNDS; r++) {
        int c = accept(l, NULL, NULL);
        uint64_t t0 = busy();
        unsigned long got = drain(c);
        samples[r] = per_mib(busy() - t0, got);
        close(c);
    }
    report("tcp_stream_host_to_guest", NET_ROUNDS);
}

// We send NET_MIB MiB on each connection; the host reads to the end and
// closes, which ends the count (every byte has arrived).
static void bench_tcp_out(int l)
{
    for (int r = 0; r < NET_ROUNDS; r++) {
        int c = accept(l, NULL, NULL);
        uint64_t t0 = busy();
        unsigned long sent = 0;
        while (sent < (unsigned long)NET_MIB << 20) {
            ssize_t n = send(c, page, sizeof(page), 0);
            if (n <= 0)
                break;
            sent += (unsigned long)n;
        }
        shutdown(c, SHUT_WR);
        drain(c);
        samples[r] = per_mib(busy() - t0, sent);
        close(c);
    }
    report("tcp_stream_guest_to_host", NET_ROUNDS);
}

// The host (tools/bench.py) writes a datagram for port 7803 into the
// e1000 (beside QEMU's user network, which drops the guest's UDP with
// restrict=on), waits for it to come back, sends the next; we echo each. The figure is our busy instructions per round trip (net,
// the e1000 driver, the kernel and us; the idle thread's share excluded).
static void bench_udp_echo(int s)
{
    static uint8_t buf[64];
    for (int r = 0; r < NET_ROUNDS; r++) {
        uint64_t t0 = 0;
        for (int i = 0; i <= UDP_ECHOES; i++) {   // the first one starts the count
            struct sockaddr_in from;
            socklen_t len = sizeof(from);
            ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
            if (i == 0)
                t0 = busy();
            if (n <= 0 || sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len) != n) {
                perror("bench: udp echo");
                exit(1);
            }
        }
        samples[r] = (busy() - t0) / UDP_ECHOES;
    }
    report("udp_echo_roundtrip", NET_ROUNDS);
}

static void bench_net(void)
{
    int in = net_socket(SOCK_STREAM, 7801), out = net_socket(SOCK_STREAM, 7802);
    int udp = net_socket(SOCK_DGRAM, 7803);
    printf("bench: net ready\n");
    fflush(stdout);
    bench_tcp_in(in);
    bench_tcp_out(out);
    bench_udp_echo(udp);
    close(in);
    close(out);
    close(udp);
}

static void cpu_model(void)
{
    uint32_t r[12];
    for (uint32_t i = 0; i < 3; i++)
        __asm__ volatile("cpuid" : "=a"(r[i * 4]), "=b"(r[i * 4 + 1]), "=c"(r[i * 4 + 2]),
                         "=d"(r[i * 4 + 3]) : "a"(0x80000002 + i), "c"(0));
    char name[49];
    memcpy(name, r, 48);
    name[48] = 0;
    printf("bench: cpu %s\n", name);
}

#ifdef BENCH_LINUX
#include "bench_linux_main.h"
#else
int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "server"))
        return server(argv[2]);
    cpu_model();
    if (argc > 1 && !strcmp(argv[1], "net")) {
        bench_net();
        printf("bench: done\n");
        return 0;
    }
    if (argc > 1 && (!strcmp(argv[1], "smp") || !strcmp(argv[1], "speedup"))) {
        if (os_cpu_count() < 2) {
            printf("bench: %s needs 2 CPUs\n", argv[1]);
            return 1;
        }
        if (!strcmp(argv[1], "smp")) {
            bench_ipc_cross_cpu();
            bench_ipi_wakeup();
        } else {
            bench_speedup();
        }
        printf("bench: done\n");
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "fsrestart")) {    // on the 1 GiB disk (tools/bench.py)
        bench_fs_restart("fs_restart_1g");
        printf("bench: done\n");
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "ipc")) {      // the IPC keys alone, to iterate on
        bench_null_syscall();
        bench_ipc();
        bench_notify();
        bench_yield();
        printf("bench: done\n");
        return 0;
    }
    const char *first = getenv("SH_FIRST_PROMPT_TSC");
    if (first) {
        printf("bench: boot_to_prompt %lu\n", strtoul(first, NULL, 10) - (unsigned long)sys_boot_tsc());
    }
    bench_null_syscall();
    bench_ipc();
    bench_notify();
    bench_yield();
    bench_irq_latency();
    bench_spawn();
    bench_files();
    bench_fs_restart("fs_restart");
    printf("bench: done\n");
    return 0;
}
#endif
