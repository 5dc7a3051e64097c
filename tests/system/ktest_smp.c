// In-system tests of the kernel on several CPUs. Each needs a number of
// CPUs; with fewer, ktest.c does not run it (it is not reported either).
#include "ktest.h"

#define MS 1000000l
#define READ_VA    0x500000000ul         // as in t_fault.c
#define READ_MAGIC 0x5eadf00dcafe1234ul

static volatile uint64_t count[4], stop_all;
static volatile long ran_on[4];

static void spinner(long i)
{
    while (!stop_all)
        count[i]++;
    ran_on[i] = sys_cpu_self();                // where its CPU set put it
    sys_notif_signal(done_notif, 1l << (16 + i));
}

// Starts spinner i at prio on the CPUs in mask.
static long start_spinner(long i, int prio, uint64_t mask)
{
    count[i] = 0;
    ran_on[i] = -1;
    long t = thread_start(spinner, i, prio, 16384);
    if (t >= 0 && sys_thread_cpus(t, (long)mask))
        return -1;
    return t;
}

// The pid running on cpu now, 0 for idle, -1 if there is no such CPU.
static long pid_on(long cpu)
{
    struct cpu_info ci;
    return sys_cpu_info(cpu, (long)&ci) ? -1 : ci.pid;
}

// Threads of ours at priority prio that the kernel runs right now.
static int running_at(int prio)
{
    struct cpu_info ci;
    int n = 0;
    for (long cpu = 0; sys_cpu_info(cpu, (long)&ci) == 0; cpu++)
        n += ci.pid == sys_proc_self() && ci.prio == prio;
    return n;
}

// Two CPU-bound threads at one priority on two CPUs (1 and 2) advance at
// the same time: whenever we look (from CPU 0), the kernel runs both,
// each on its CPU, and both counters move. (Whether QEMU's host gives
// both CPU threads time at each instant is the host's business, so the
// counters are checked over the whole run.)
const char *t_smp_parallel(void)
{
    EXPECT(sys_proc_cpus(H_SELF, 1) == 0, "pin to CPU 0");
    stop_all = 0;
    long a = start_spinner(0, 10, 6), b = start_spinner(1, 10, 6);
    sys_sleep(20);
    int both = 0, samples = 50;
    uint64_t c0 = count[0], c1 = count[1];
    for (int i = 0; i < samples; i++) {
        both += running_at(10) == 2;
        sys_sleep(1);
    }
    for (int i = 0; i < 2000 && (count[0] == c0 || count[1] == c1); i++)
        sys_sleep(1);                          // the host may hold a CPU thread back a while
    int moved = count[0] != c0 && count[1] != c1;
    stop_all = 1;
    wait_bits(3l << 16);
    sys_proc_cpus(H_SELF, ~0l);
    EXPECT(a >= 0 && b >= 0, "threads");
    EXPECT(both == samples, "both ran at once in only %d of %d samples", both, samples);
    EXPECT(moved, "a thread did not advance: %lu %lu", count[0] - c0, count[1] - c1);
    EXPECT(ran_on[0] != ran_on[1] && ran_on[0] >= 1 && ran_on[1] >= 1, "CPUs %ld and %ld",
           ran_on[0], ran_on[1]);
    return NULL;
}

static volatile long high_cpu;
static volatile uint64_t low_during, mid_during;

// Woken by the clock (the boot CPU's timer interrupt): notes where it
// runs and what the low and medium spinners did while it ran.
static void high_thread(long arg)
{
    (void)arg;
    sys_sleep(5);
    high_cpu = sys_cpu_self();
    uint64_t low0 = count[0], mid0 = count[1];
    long t0 = sys_time();
    while (sys_time() - t0 < 3 * MS)
        ;
    low_during = count[0] - low0;
    mid_during = count[1] - mid0;
    sys_notif_signal(done_notif, 1l << 20);
}

// A low thread spins on CPU 1, a medium one on CPU 0; a high thread that
// may use either, made ready by the timer interrupt on CPU 0, preempts
// the low one on CPU 1 at once (an IPI), and the medium one runs on.
const char *t_smp_ipi_preempt(void)
{
    stop_all = 0;
    EXPECT(start_spinner(0, 5, 2) >= 0, "low thread");
    EXPECT(start_spinner(1, 8, 1) >= 0, "medium thread");
    sys_sleep(10);
    long t = thread_start(high_thread, 0, 12, 16384);
    EXPECT(t >= 0 && sys_thread_cpus(t, 3) == 0, "high thread");
    wait_bits(1l << 20);
    stop_all = 1;
    wait_bits(3l << 16);
    EXPECT(ran_on[0] == 1 && ran_on[1] == 0, "spinners on CPUs %ld and %ld", ran_on[0], ran_on[1]);
    EXPECT(high_cpu == 1, "the high thread ran on CPU %ld, not the low thread's", high_cpu);
    EXPECT(low_during == 0, "the low thread ran %lu loops while the high one ran", low_during);
    EXPECT(mid_during > 0, "the medium thread stopped while the high one ran");
    return NULL;
}

// A process reads a page on CPU 1 while we unmap it here: once vm_unmap
// returns, its next read faults (the other CPU's TLB was shot down); it
// never goes on reading the old frame.
const char *t_smp_unmap_shootdown(void)
{
    uint64_t bit;
    long p = run("t_fault", "read", NULL, 0, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    uint64_t magic = READ_MAGIC;
    EXPECT(sys_vm_map(p, READ_VA, 4096, PROT_READ) == 0, "map");
    EXPECT(sys_vm_write(p, READ_VA, (long)&magic, 8) == 0, "fill");
    long pid = sys_proc_pid(p);
    for (int i = 0; i < 1000 && pid_on(1) != pid; i++)
        sys_sleep(1);
    EXPECT(pid_on(1) == pid, "the reader does not run on CPU 1");
    sys_sleep(5);                              // it reads, with the page in its TLB
    EXPECT(sys_vm_unmap(p, READ_VA, 4096) == 0, "unmap");
    uint64_t other = 0x1111111111111111ul;     // a new page, maybe the old frame
    EXPECT(sys_vm_map(H_SELF, READ_VA, 4096, PROT_READ | PROT_WRITE) == 0, "own page");
    *(volatile uint64_t *)READ_VA = other;
    long st = wait_death(p, bit);
    sys_vm_unmap(H_SELF, READ_VA, 4096);
    EXPECT((st >> 32) == PROC_FAULTED && (int)st == 14, "status %lx: exit 2 means it read a changed frame", st);
    EXPECT(last_exit.fault_addr == READ_VA, "fault at %lx", last_exit.fault_addr);
    return NULL;
}

// A process whose threads spin on CPUs 1, 2 and 3 is killed from here:
// it is gone from every CPU and every list, and its memory comes back.
const char *t_smp_kill_running(void)
{
    struct mem_info before, after;
    sys_mem_info((long)&before);
    uint64_t bit;
    long p = run("t_fault", "spin3", NULL, 0, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    long pid = sys_proc_pid(p);
    int on = 0;
    for (int i = 0; i < 1000 && on < 3; i++) {
        sys_sleep(1);
        on = (pid_on(1) == pid) + (pid_on(2) == pid) + (pid_on(3) == pid);
    }
    EXPECT(on == 3, "its threads run on %d of CPUs 1-3", on);
    EXPECT(sys_proc_kill(p) == 0, "kill");
    long st = wait_death(p, bit);
    EXPECT((st >> 32) == PROC_KILLED, "status %lx", st);
    sys_sleep(2);
    for (long cpu = 1; cpu <= 3; cpu++)
        EXPECT(pid_on(cpu) != pid, "still running on CPU %ld", cpu);
    struct proc_info pi;
    for (long i = 0; sys_proc_info(H_ROOT_TEST, i, (long)&pi) == 0; i++)
        EXPECT(pi.pid != pid, "still listed by proc_info");
    sys_handle_close(p);
    sys_mem_info((long)&after);
    EXPECT(after.free >= before.free - 8, "%lu pages not freed", before.free - after.free);
    return NULL;
}

static volatile long victim_status, victim_dead;
static long victim_proc;
static uint64_t victim_bit;

static void victim_waiter(long arg)
{
    (void)arg;
    victim_status = wait_death(victim_proc, victim_bit);
    victim_dead = 1;
    sys_notif_signal(done_notif, 1l << 21);
}

// A process spinning on CPU 1 is killed while a thread of ours, alone at
// its priority there, is ready to take CPU 1: the CPU switches to that
// thread and never switches again, yet the death is signalled at once
// (when the CPU leaves the dead thread, not at some later switch).
const char *t_smp_kill_death_prompt(void)
{
    stop_all = 0;
    victim_dead = 0;
    victim_proc = run("t_fault", "spin", NULL, 0, &victim_bit);
    EXPECT(victim_proc >= 0, "spawn: %ld", victim_proc);
    EXPECT(sys_proc_cpus(victim_proc, 2) == 0, "pin it to CPU 1");
    long pid = sys_proc_pid(victim_proc);
    EXPECT(start_spinner(0, 20, 2) >= 0, "our thread on CPU 1");
    for (int i = 0; i < 2000 && pid_on(1) != pid; i++)
        sys_sleep(1);
    EXPECT(pid_on(1) == pid, "it does not run on CPU 1");
    long proc = victim_proc;
    EXPECT(thread_start(victim_waiter, 0, 25, 16384) >= 0, "waiter");
    EXPECT(sys_proc_kill(proc) == 0, "kill");
    for (int i = 0; i < 2000 && !victim_dead; i++)
        sys_sleep(1);
    int dead = victim_dead;
    stop_all = 1;
    wait_bits(dead ? (1l << 16) | (1l << 21) : 1l << 16);   // one wait may bring both
    EXPECT(dead, "no death signalled within 2 s of the kill (CPU 1 runs pid %ld)", pid_on(1));
    EXPECT((victim_status >> 32) == PROC_KILLED, "status %lx", victim_status);
    return NULL;
}

// The three-priority test (ktest_rt.c) with the server and the hog on
// CPU 1 and the clients on CPU 0: the high client's call lends the
// server its priority across CPUs, so the server preempts the hog there.
const char *t_smp_pi_cross_cpu(void)
{
    long saved = sys_proc_cpus(H_SELF, 1);     // us and the clients: CPU 0
    EXPECT(saved == 0, "pin to CPU 0: %ld", saved);
    const char *e = t_pi_high_client_not_blocked_by_hog_on(2);   // server, hog: CPU 1
    sys_proc_cpus(H_SELF, ~0l);
    return e;
}

// One call to a t_echo server on ep: its answer must be right.
static const char *echo_call(long ep, uint64_t i)
{
    struct msg m = { TAG(7, 0), i, 5, 0, 0, 0 };
    long r = ipc_call(ep, &m, NULL);
    EXPECT(r == 0, "call %lu returned %ld", i, r);
    EXPECT(TAG_LABEL(m.tag) == 7 && m.w0 == 0 && m.w1 == i + 5, "call %lu: reply %lx %lx %lx",
           i, m.tag, m.w0, m.w1);
    return NULL;
}

static const char *calls(long ep, int n)
{
    for (int i = 0; i < n; i++) {
        const char *e = echo_call(ep, (uint64_t)i);
        if (e)
            return e;
    }
    return NULL;
}

static const char *consistent(const char *when)
{
    static char buf[512];
    long r = sys_kcheck((long)buf, sizeof(buf));
    EXPECT(r <= 0, "kcheck %s: %s", when, buf);
    return NULL;
}

#define TRY(x) do { const char *e_ = (x); if (e_) { sys_proc_cpus(H_SELF, ~0l); return e_; } } while (0)

// We on CPU 0 call a server pinned to CPU 1: each side's CPU waits in
// place on the thread that blocked, and gets it back when it is woken
// (sched.c). The server's CPU set changes while it waits (its CPU
// leaves it first), a call times out while we wait in place, and the
// server is killed while its CPU waits on it: every answer is right,
// the kernel stays consistent, and the death is signalled.
const char *t_smp_wait_in_place(void)
{
    uint64_t bit;
    long ep = sys_endpoint_create();
    EXPECT(ep >= 0, "endpoint: %ld", ep);
    long p = run("t_echo", NULL, &ep, 1, &bit);
    EXPECT(p >= 0, "spawn t_echo: %ld", p);
    EXPECT(sys_proc_cpus(p, 2) == 0 && sys_proc_cpus(H_SELF, 1) == 0, "pin");
    TRY(calls(ep, 300));
    TRY(consistent("with the server waiting on CPU 1"));
    EXPECT(sys_proc_cpus(p, 1) == 0, "move the server to CPU 0");
    TRY(calls(ep, 50));
    EXPECT(sys_proc_cpus(p, 3) == 0, "server on CPUs 0 and 1");
    TRY(calls(ep, 50));
    EXPECT(sys_proc_cpus(p, 2) == 0, "server back on CPU 1");
    TRY(calls(ep, 50));
    TRY(consistent("after the moves"));
    struct msg m = { TAG(98, 0), 30, 0, 0, 0, 0 };   // 30 ms of work, 5 ms allowed
    long r = ipc_call_timeout(ep, &m, NULL, 5);
    EXPECT(r == -E_TIMEOUT, "slow call returned %ld", r);
    TRY(calls(ep, 20));                        // the late reply went nowhere
    sys_sleep(1);
    EXPECT(sys_proc_kill(p) == 0, "kill");
    long st = wait_death(p, bit);
    sys_proc_cpus(H_SELF, ~0l);
    sys_handle_close(ep);
    EXPECT((st >> 32) == PROC_KILLED, "status %lx", st);
    return consistent("after the kill");
}
