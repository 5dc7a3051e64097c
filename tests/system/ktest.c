// In-system kernel tests. Runs as an ordinary user process started by init
// in test mode; prints "ok system.NAME" or "not ok system.NAME: why" per
// test on the serial line, then "ktest: done".
#include "ktest.h"
#include "core/bootfs.h"
#include "port.h"

static const void *bootfs;
static uint64_t bootfs_len;
static long deaths;             // death notification for spawned processes
static uint64_t next_bit = 1;
char why[160];

// Spawns a test program at priority prio; its death sets *bit in `deaths`.
long run_prio(const char *name, const char *arg, const long *grants, int ngrants, uint64_t *bit,
              int prio)
{
    const char *argv[] = { name, arg, NULL };
    struct spawn_req r = { .name = name, .argv = argv, .prio = prio, .notif = deaths,
                           .grants = grants, .ngrants = ngrants };
    char path[64];
    snprintf(path, sizeof(path), "bin/%s", name);
    if (bootfs_find(bootfs, bootfs_len, path, &r.elf, &r.elf_len))
        return -E_NOENT;
    r.bits = *bit = next_bit;
    next_bit = next_bit << 1 ? next_bit << 1 : 1;
    return spawn(&r);
}

long run(const char *name, const char *arg, const long *grants, int ngrants, uint64_t *bit)
{
    return run_prio(name, arg, grants, ngrants, bit, 20);
}

// Waits until the process whose death bit is `bit` is gone; returns its status.
struct proc_exit last_exit;                   // of the last wait_death

long wait_death(long proc, uint64_t bit)
{
    static uint64_t seen;
    while (!(seen & bit))
        seen |= (uint64_t)sys_notif_wait(deaths);
    seen &= ~bit;
    long st = sys_proc_status(proc, (long)&last_exit);
    sys_handle_close(proc);
    return st;
}

/* ---- IPC ---- */

long echo_ep = -1;
static long echo_proc;
static uint64_t echo_bit;

const char *start_echo(void)
{
    if (echo_ep >= 0)
        return NULL;
    echo_ep = sys_endpoint_create();
    EXPECT(echo_ep >= 0, "endpoint_create: %ld", echo_ep);
    echo_proc = run("t_echo", NULL, &echo_ep, 1, &echo_bit);
    EXPECT(echo_proc >= 0, "spawn t_echo: %ld", echo_proc);
    return NULL;
}

static uint8_t out[IPC_MAX_PAYLOAD + 8], in[IPC_MAX_PAYLOAD + 8];

const char *payload(uint64_t len)
{
    const char *e = start_echo();
    if (e)
        return e;
    for (uint64_t i = 0; i < len; i++)
        out[i] = (uint8_t)(i * 7 + len);
    memset(in, 0xee, sizeof(in));
    struct ipc_bufs b = { out, len, in, IPC_MAX_PAYLOAD };
    struct msg m = { TAG(5, 0), 0x1111, 0x2222, 0x3333, 0, 0 };
    long r = ipc_call(echo_ep, &m, &b);
    EXPECT(r == 0, "call returned %ld", r);
    EXPECT(TAG_LABEL(m.tag) == 5 && TAG_LEN(m.tag) == len, "reply tag %lx", m.tag);
    EXPECT(m.w0 == len && m.w1 == 0x3333, "reply words %lx %lx", m.w0, m.w1);
    for (uint64_t i = 0; i < len; i++)
        EXPECT(in[i] == (uint8_t)(out[i] ^ 0x5a), "byte %lu: %x", i, in[i]);
    EXPECT(in[len] == 0xee, "reply wrote past its length");
    return NULL;
}

static const char *t_ipc_payload_0(void) { return payload(0); }
static const char *t_ipc_payload_1(void) { return payload(1); }
static const char *t_ipc_payload_4096(void) { return payload(4096); }
static const char *t_ipc_payload_65536(void) { return payload(65536); }

static const char *t_ipc_too_big(void)
{
    struct ipc_bufs b = { out, IPC_MAX_PAYLOAD + 1, in, 0 };
    struct msg m = { TAG(5, 0), 0, 0, 0, 0, 0 };
    long r = ipc_call(echo_ep, &m, &b);
    EXPECT(r == -E_TOOBIG, "65537-byte payload: %ld", r);
    b.send_len = 100;                         // reply bigger than our buffer
    b.recv_max = 10;
    r = ipc_call(echo_ep, &m, &b);
    EXPECT(r == -E_TOOBIG, "reply into a 10-byte buffer: %ld", r);
    return payload(16);                       // the server is still fine
}

// recv_buf takes only a user range; t_echo receives every request through
// the buffer it registered (the payload tests above go through it).
static const char *t_ipc_recv_buf(void)
{
    EXPECT(sys_recv_buf((long)0xffffffff80100000ul, 64) == -E_FAULT, "kernel buffer");
    EXPECT(sys_recv_buf(0x7ffffffff000l, 0x2000) == -E_FAULT, "past the user range");
    EXPECT(sys_recv_buf(-1, 1) == -E_FAULT, "wrapping");
    EXPECT(sys_recv_buf((long)in, sizeof(in)) == 0, "register");
    EXPECT(sys_recv_buf(0, 0) == 0, "unregister");
    const char *e = payload(4096);
    return e ? e : payload(0);                 // a request with, then one without
}

static const char *t_ipc_badges(void)
{
    long a = sys_handle_mint(echo_ep, R_SEND, 101), b = sys_handle_mint(echo_ep, R_SEND, 202);
    EXPECT(a >= 0 && b >= 0, "mint: %ld %ld", a, b);
    struct msg m = { TAG(1, 0), 0, 0, 0, 0, 0 };
    EXPECT(ipc_call(a, &m, NULL) == 0 && m.w2 == 101, "badge via a: %lu", m.w2);
    EXPECT(ipc_call(b, &m, NULL) == 0 && m.w2 == 202, "badge via b: %lu", m.w2);
    EXPECT(ipc_call(echo_ep, &m, NULL) == 0 && m.w2 == 0, "unbadged: %lu", m.w2);
    EXPECT(sys_handle_mint(a, R_SEND, 303) == -E_PERM, "re-badging allowed");
    EXPECT(ipc_recv(a, &m, NULL) == -E_PERM, "recv on a send-only handle");
    sys_handle_close(a);
    sys_handle_close(b);
    return NULL;
}

static const char *t_ipc_server_dies(void)
{
    struct msg m = { TAG(99, 0), 0, 0, 0, 0, 0 };
    long r = ipc_call(echo_ep, &m, NULL);      // the server exits holding our call
    EXPECT(r == -E_DEAD, "call to a dying server returned %ld", r);
    long st = wait_death(echo_proc, echo_bit);
    EXPECT(PROC_STATE((uint64_t)st) == PROC_EXITED, "server status %lx", st);
    echo_proc = run("t_echo", NULL, &echo_ep, 1, &echo_bit);   // same endpoint, new server
    EXPECT(echo_proc >= 0, "respawn: %ld", echo_proc);
    return payload(100);
}

static const char *t_ipc_no_receiver(void)
{
    long ep = sys_endpoint_create(), send = sys_handle_mint(ep, R_SEND, 0);
    sys_handle_close(ep);                      // the last handle that can receive
    struct msg m = { TAG(1, 0), 0, 0, 0, 0, 0 };
    long r = ipc_call(send, &m, NULL);
    sys_handle_close(send);
    EXPECT(r == -E_DEAD, "call with no receiver left returned %ld", r);
    return NULL;
}

static const char *t_ipc_handle_transfer(void)
{
    long n = sys_notif_create();
    struct msg m = { TAG(1, 0) | TAG_HANDLE, 0, 0, (uint64_t)n, 0, 0 };
    long r = ipc_call(echo_ep, &m, NULL);      // the server gets a handle slot number
    sys_handle_close(n);
    EXPECT(r == 0, "call with a handle: %ld", r);
    EXPECT(m.w1 >= 1 && m.w1 < 128, "slot in the server: %lu", m.w1);
    return NULL;
}

static volatile long bound_got = -1;

static void bound_receiver(long ep)
{
    struct msg m;
    bound_got = ipc_recv(ep, &m, NULL) == 0 && TAG_LABEL(m.tag) == LABEL_NOTIFY ? (long)m.w0 : -2;
}

// A notification bound to an endpoint arrives through recv, both when it
// is already pending and when the receiver is blocked; binding another
// replaces it.
static const char *t_endpoint_bound_notification(void)
{
    long ep = sys_endpoint_create(), n = sys_notif_create();
    struct msg m;
    EXPECT(sys_endpoint_bind(ep, n) == 0, "bind");
    EXPECT(sys_endpoint_bind(ep, n) == -E_BUSY, "bound twice");
    sys_notif_signal(n, 0x6);
    EXPECT(ipc_recv(ep, &m, NULL) == 0, "recv");
    EXPECT(TAG_LABEL(m.tag) == LABEL_NOTIFY && m.w0 == 0x6 && m.token == 0, "pending bits: %lx %lx", m.tag, m.w0);
    bound_got = -1;
    EXPECT(thread_start(bound_receiver, ep, MY_PRIO, 16384) >= 0, "thread");
    sys_sleep(5);                              // it blocks in recv
    sys_notif_signal(n, 0x40);
    sys_sleep(5);
    EXPECT(bound_got == 0x40, "blocked receiver got %ld", bound_got);
    long n2 = sys_notif_create();              // a restarted server binds anew
    EXPECT(sys_endpoint_bind(ep, n2) == 0, "bind a second notification");
    sys_notif_signal(n, 0x1);                  // the old one no longer arrives
    sys_notif_signal(n2, 0x8);
    EXPECT(ipc_recv(ep, &m, NULL) == 0 && TAG_LABEL(m.tag) == LABEL_NOTIFY && m.w0 == 0x8,
           "after rebinding: %lx %lx", m.tag, m.w0);
    EXPECT(sys_notif_wait(n) == 0x1, "the old notification keeps its bits");
    sys_handle_close(ep);
    sys_handle_close(n);
    sys_handle_close(n2);
    return NULL;
}

static const char *t_proc_info(void)
{
    struct proc_info pi;
    int found_init = 0, found_self = 0;
    for (long i = 0; sys_proc_info(H_ROOT_TEST, i, (long)&pi) == 0; i++) {
        found_init |= pi.pid == 1 && !strcmp(pi.name, "init");
        found_self |= pi.pid == sys_proc_self() && !strcmp(pi.name, "ktest") && pi.ppid == 1 &&
                      pi.prio == MY_PRIO && pi.state == 0;
    }
    EXPECT(found_init && found_self, "init %d, ktest %d", found_init, found_self);
    EXPECT(sys_proc_info(H_SELF, 0, (long)&pi) == -E_BADHANDLE, "without root");
    EXPECT(sys_proc_info(H_ROOT_TEST, 0, 0) == -E_FAULT, "null buffer");
    EXPECT(sys_proc_pid(H_SELF) == sys_proc_self(), "proc_pid of self");
    return NULL;
}

/* ---- threads and scheduling ---- */

static volatile uint64_t counter[2], switches, stop, shared[64];
static volatile int last_runner = -1;
long done_notif;

static void spin_counter(long i)
{
    while (!stop) {
        counter[i]++;
        if (last_runner != i) {
            last_runner = (int)i;
            switches++;
        }
    }
    sys_notif_signal(done_notif, 1l << i);
}

void wait_bits(uint64_t want)
{
    uint64_t got = 0;
    while ((got & want) != want)
        got |= (uint64_t)sys_notif_wait(done_notif);
}

static const char *sched_preempt_here(void);

static const char *t_sched_equal_alternate(void)
{
    stop = 0, counter[0] = counter[1] = switches = 0;
    EXPECT(thread_start(spin_counter, 0, 10, 16384) >= 0, "thread 0");
    EXPECT(thread_start(spin_counter, 1, 10, 16384) >= 0, "thread 1");
    sys_sleep(120);
    uint64_t c0 = counter[0], c1 = counter[1], s = switches;
    stop = 1;
    wait_bits(3);
    EXPECT(c0 > 0 && c1 > 0, "both must run: %lu %lu", c0, c1);
    EXPECT(s >= 4, "equal priorities alternate: %lu switches in 120 ms", s);
    return NULL;
}

// On one CPU (this process's threads pinned to CPU 0 meanwhile).
static const char *t_sched_preempt(void)
{
    EXPECT(sys_proc_cpus(H_SELF, 1) == 0, "pin to CPU 0");
    const char *e = sched_preempt_here();
    sys_proc_cpus(H_SELF, ~0l);
    return e;
}

static const char *sched_preempt_here(void)
{
    stop = 0, counter[0] = 0;
    EXPECT(thread_start(spin_counter, 0, 10, 16384) >= 0, "low thread");
    sys_sleep(20);                             // the low thread runs meanwhile
    uint64_t c1 = counter[0];
    long t0 = sys_time();
    while (sys_time() - t0 < 30 * 1000000l)    // we are runnable for 30 ms
        ;
    uint64_t c2 = counter[0];
    stop = 1;
    wait_bits(1);
    EXPECT(c1 > 0, "low priority thread never ran while we slept");
    EXPECT(c2 == c1, "low priority thread ran while a higher one was runnable (%lu -> %lu)", c1, c2);
    return NULL;
}

static void writer(long i)
{
    for (int k = 0; k < 32; k++)
        shared[i * 32 + k] = (uint64_t)(i + 1) * 1000 + (uint64_t)k;
    sys_notif_signal(done_notif, 1l << i);
}

static const char *t_threads_share_memory(void)
{
    memset((void *)shared, 0, sizeof(shared));
    EXPECT(thread_start(writer, 0, MY_PRIO, 16384) >= 0, "thread 0");
    EXPECT(thread_start(writer, 1, 20, 16384) >= 0, "thread 1");
    wait_bits(3);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 32; k++)
            EXPECT(shared[i * 32 + k] == (uint64_t)(i + 1) * 1000 + (uint64_t)k, "word %d", i * 32 + k);
    return NULL;
}

// Each thread keeps its own SSE registers across preemption.
static volatile uint64_t fpu_ok[2], fpu_interleaved[2];

static void fpu_thread(long i)
{
    uint64_t v = 0x1234567800000000ull + (uint64_t)i * 0x1111, back, n = 20000000;
    uint64_t other_before = counter[1 - i];
    __asm__ volatile("movq %[v], %%xmm7\n"
                     "1: incq (%[ctr])\n"
                     "   decq %[n]\n"
                     "   jnz 1b\n"
                     "movq %%xmm7, %[back]\n"
                     : [back] "=r"(back), [n] "+r"(n)
                     : [v] "r"(v), [ctr] "r"(&counter[i])
                     : "xmm7", "memory");
    fpu_interleaved[i] = counter[1 - i] != other_before;
    fpu_ok[i] = back == v;
    sys_notif_signal(done_notif, 1l << i);
}

static const char *t_fpu_state_per_thread(void)
{
    counter[0] = counter[1] = 0;
    EXPECT(thread_start(fpu_thread, 0, 10, 16384) >= 0, "thread 0");
    EXPECT(thread_start(fpu_thread, 1, 10, 16384) >= 0, "thread 1");
    wait_bits(3);
    EXPECT(fpu_interleaved[0] || fpu_interleaved[1], "the threads never interleaved");
    EXPECT(fpu_ok[0] && fpu_ok[1], "xmm7 lost across a switch: %lu %lu", fpu_ok[0], fpu_ok[1]);
    return NULL;
}

static volatile long waiter_got;

static void waiter(long n)
{
    waiter_got = sys_notif_wait(n);
    sys_notif_signal(done_notif, 4);
}

static const char *t_notif_wakes_thread(void)
{
    long n = sys_notif_create();
    waiter_got = 0;
    sys_proc_cpus(H_SELF, 1);                  // one CPU: the waiter runs while we sleep
    long t = thread_start(waiter, n, MY_PRIO, 16384);
    sys_sleep(5);                              // the waiter blocks, we run on
    sys_proc_cpus(H_SELF, ~0l);
    EXPECT(t >= 0, "thread");
    EXPECT(waiter_got == 0, "waiter returned before a signal");
    sys_notif_signal(n, 0x10);
    sys_notif_signal(n, 0x01);
    wait_bits(4);
    EXPECT(waiter_got == 0x10, "waiter got %lx", waiter_got);
    EXPECT(sys_notif_wait(n) == 0x01, "second signal kept");
    sys_handle_close(n);
    return NULL;
}

/* ---- faults ---- */

static long worker;
static uint64_t worker_bit;

static const char *fault(const char *mode, int vector)
{
    if (!worker)
        worker = run("t_fault", "work", NULL, 0, &worker_bit);
    uint64_t bit;
    long p = run("t_fault", mode, NULL, 0, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    long st = wait_death(p, bit);
    EXPECT(PROC_STATE((uint64_t)st) == PROC_FAULTED, "status %lx, not a fault", st);
    EXPECT(PROC_CODE(st) == vector, "exception %d, expected %d", PROC_CODE(st), vector);
    return NULL;
}

static const char *t_fault_kernel_read(void)
{
    const char *e = fault("kread", 14);
    if (!e && last_exit.fault_addr != 0xffffffff80100000ul)
        FAIL("fault address %lx", last_exit.fault_addr);
    return e;
}
static const char *t_fault_kernel_exec(void) { return fault("kexec", 14); }
static const char *t_fault_hlt(void) { return fault("hlt", 13); }
static const char *t_fault_cli(void) { return fault("cli", 13); }
static const char *t_fault_div0(void) { return fault("div0", 0); }
static const char *t_fault_io(void) { return fault("io", 13); }

// The I/O bitmap opens exactly the granted ports.
static const char *t_io_exact_ports(void)
{
    long g = H_IOPORT_RTC;
    uint64_t bit;
    long p = run("t_fault", "io_granted", &g, 1, &bit);
    long st = wait_death(p, bit);
    EXPECT(st == (((long)PROC_EXITED << 32) | 42), "granted ports: status %lx", st);
    p = run("t_fault", "io_outside", &g, 1, &bit);
    st = wait_death(p, bit);
    EXPECT(st == (((long)PROC_FAULTED << 32) | 13), "port outside the grant: status %lx", st);
    return NULL;
}

static const char *t_fault_others_finish(void)
{
    EXPECT(worker > 0, "no worker");
    long st = wait_death(worker, worker_bit);
    EXPECT(st == ((long)PROC_EXITED << 32), "worker status %lx", st);
    return NULL;
}

static const char *t_proc_kill(void)
{
    uint64_t bit;
    long p = run("t_fault", "spin", NULL, 0, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    sys_sleep(5);
    EXPECT(sys_proc_status(p, 0) == 0, "spinner not running");
    EXPECT(sys_proc_kill(p) == 0, "kill");
    long st = wait_death(p, bit);
    EXPECT(PROC_STATE((uint64_t)st) == PROC_KILLED, "status %lx", st);
    return NULL;
}

// Injected faults: a blocked server is made to crash, to spin, or to run
// on with scrambled state; the kernel and everyone else carry on.
static const char *t_proc_fault(void)
{
    uint64_t bit;
    long ep = sys_endpoint_create();
    long p = run("t_echo", NULL, &ep, 1, &bit);
    sys_sleep(5);                                  // blocked in recv
    EXPECT(sys_proc_fault(p, 1, 0) == 0, "crash");
    long st = wait_death(p, bit);
    EXPECT(st == (((long)PROC_FAULTED << 32) | 14), "crash status %lx", st);
    EXPECT(last_exit.fault_addr == 0 && last_exit.fault_rip == 0, "crash address %lx", last_exit.fault_addr);
    p = run("t_echo", NULL, &ep, 1, &bit);
    sys_sleep(5);
    EXPECT(sys_proc_fault(p, 2, 0) == 0, "hang");
    sys_sleep(20);
    struct proc_info pi;
    long pid = sys_proc_pid(p), running = -1;
    for (long i = 0; sys_proc_info(H_ROOT_TEST, i, (long)&pi) == 0; i++)
        if (pi.pid == pid)
            running = pi.state == 0;
    EXPECT(running == 1, "hung process not spinning (%ld)", running);
    EXPECT(sys_proc_status(p, 0) == 0, "hung process died");
    sys_proc_kill(p);
    wait_death(p, bit);
    for (int seed = 1; seed <= 3; seed++) {
        p = run("t_echo", NULL, &ep, 1, &bit);
        sys_sleep(2);
        EXPECT(sys_proc_fault(p, 3, seed) == 0, "wild %d", seed);
        sys_sleep(5);
        sys_proc_kill(p);
        wait_death(p, bit);
    }
    EXPECT(sys_proc_fault(H_SELF, 1, 0) == -E_INVAL, "fault itself");
    EXPECT(sys_proc_fault(p, 1, 0) == -E_BADHANDLE, "fault through a closed handle");
    EXPECT(sys_proc_fault(H_SELF, 9, 0) == -E_INVAL, "unknown kind");
    sys_handle_close(ep);
    return payload(64);                            // other servers unaffected
}

static const char *t_corrupt_elf(void)
{
    static uint8_t copy[256 * 1024] __attribute__((aligned(8)));
    struct spawn_req r = { .name = "bad", .notif = -1 };
    EXPECT(!bootfs_find(bootfs, bootfs_len, "bin/t_echo", &r.elf, &r.elf_len), "no t_echo");
    EXPECT(r.elf_len <= sizeof(copy), "t_echo too big");
    memcpy(copy, r.elf, r.elf_len);
    r.elf = copy;
    copy[0] = 0;                               // magic
    EXPECT(spawn(&r) == -E_BADELF, "bad magic accepted");
    copy[0] = 0x7f;
    *(uint64_t *)(copy + 32) = 1ull << 40;     // e_phoff far past the end
    EXPECT(spawn(&r) == -E_BADELF, "bad phoff accepted");
    r.elf_len = 40;                            // truncated
    EXPECT(spawn(&r) == -E_BADELF, "truncated ELF accepted");
    return NULL;
}

/* ---- interrupts ---- */


static uint8_t rtc_read(uint8_t reg) { outb(0x70, reg); return inb(0x71); }
static void rtc_write(uint8_t reg, uint8_t v) { outb(0x70, reg); outb(0x71, v); }

// The RTC's periodic interrupt (IRQ 8) must arrive as notification bits.
static const char *t_irq_notification(void)
{
    long n = sys_notif_create();
    EXPECT(sys_ioport_enable(H_IOPORT_RTC) == 0, "ioport_enable");
    EXPECT(sys_irq_bind(H_IRQ_RTC, n, 1 << 3) == 0, "irq_bind");
    rtc_write(0x8A, (uint8_t)((rtc_read(0x8A) & 0xF0) | 6));   // 1024 Hz
    rtc_write(0x8B, rtc_read(0x8B) | 0x40);                    // periodic on
    rtc_read(0x0C);
    long got[2];
    for (int i = 0; i < 2; i++) {
        got[i] = sys_notif_wait(n);
        rtc_read(0x0C);                                        // device ack
        sys_irq_ack(H_IRQ_RTC);                                // kernel ack
    }
    rtc_write(0x8B, rtc_read(0x8B) & ~0x40);
    EXPECT(got[0] == 8 && got[1] == 8, "notification bits %lx %lx", got[0], got[1]);
    EXPECT(sys_irq_bind(H_IRQ_RTC, n, 0) == -E_INVAL, "bind with no bits");
    EXPECT(sys_irq_get(H_SELF, 8) == -E_BADHANDLE, "irq_get without the root capability");
    sys_handle_close(n);
    return NULL;
}

/* ---- bad arguments ---- */

static const char *t_bad_syscall_number(void)
{
    EXPECT(syscall6(9999, 0, 0, 0, 0, 0, 0) == -E_NOSYS, "9999");
    EXPECT(syscall6(SYS_COUNT, 0, 0, 0, 0, 0, 0) == -E_NOSYS, "SYS_COUNT");
    EXPECT(syscall6(-1, 0, 0, 0, 0, 0, 0) == -E_NOSYS, "-1");
    return NULL;
}

static const char *t_bad_handles(void)
{
    struct msg m = { 0, 0, 0, 0, 0, 0 };
    EXPECT(sys_handle_close(500) == -E_BADHANDLE, "close 500");
    EXPECT(sys_handle_close(-3) == -E_BADHANDLE, "close -3");
    EXPECT(ipc_call(77, &m, NULL) == -E_BADHANDLE, "call on an empty slot");
    long n = sys_notif_create();
    EXPECT(ipc_call(n, &m, NULL) == -E_BADHANDLE, "call on a notification");
    EXPECT(sys_notif_signal(echo_ep, 1) == -E_BADHANDLE, "signal an endpoint");
    long ro = sys_handle_mint(n, R_WAIT, 0);
    EXPECT(sys_notif_signal(ro, 1) == -E_PERM, "signal without the right");
    EXPECT(sys_handle_mint(n, R_ALL, 5) >= 0, "mint with a badge");
    EXPECT(sys_proc_kill(n) == -E_BADHANDLE, "kill a notification");
    sys_handle_close(ro);
    sys_handle_close(n);
    EXPECT(sys_notif_signal(n, 1) == -E_BADHANDLE, "use after close");
    return NULL;
}

static const char *t_bad_pointers(void)
{
    static char buf[64];
    long page = 0x500000000l;
    EXPECT(sys_vm_map(H_SELF, page, 4096, PROT_READ | PROT_WRITE) == 0, "map");
    long bad[] = { 0, 8, (long)0xffff800000000000ul, (long)0xffffffff80100000ul,
                   0x0000800000000000l, 0x600000000l, page + 4090 };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        EXPECT(sys_vm_write(H_SELF, (long)buf, bad[i], 16) == -E_FAULT, "read from %lx", bad[i]);
        EXPECT(sys_vm_write(H_SELF, bad[i], (long)buf, 16) == -E_FAULT, "write to %lx", bad[i]);
        EXPECT(sys_log(bad[i], 16) == -E_FAULT, "log from %lx", bad[i]);
    }
    EXPECT(sys_vm_write(H_SELF, page + 4000, (long)buf, 64) == 0, "a good copy");
    struct msg m = { TAG(1, 0), 0, 0, 0, 0, 0 };
    EXPECT(ipc_call(echo_ep, &m, (struct ipc_bufs *)(page + 4090)) == -E_FAULT, "straddling bufs");
    struct ipc_bufs b = { (void *)(page + 4000), 200, in, 0 };
    EXPECT(ipc_call(echo_ep, &m, &b) == -E_FAULT, "payload running off the map");
    b = (struct ipc_bufs){ out, 8, (void *)0xffff800000001000ul, 64 };
    EXPECT(ipc_call(echo_ep, &m, &b) == -E_FAULT, "reply into kernel memory");
    b = (struct ipc_bufs){ out, 8, (void *)t_bad_pointers, 64 };
    EXPECT(ipc_call(echo_ep, &m, &b) == -E_FAULT, "reply into read-only code");
    EXPECT(sys_proc_status(H_SELF, (long)t_bad_pointers) == -E_FAULT, "status into read-only code");
    EXPECT(sys_proc_status(H_SELF, page + 4090) == -E_FAULT, "status straddling the map");
    EXPECT(sys_proc_create(0, 4, -1, 0) == -E_FAULT, "proc_create with a null name");
    EXPECT(sys_vm_unmap(H_SELF, page, 4096) == 0, "unmap");
    EXPECT(sys_vm_write(H_SELF, (long)buf, page, 8) == -E_FAULT, "read after unmap");
    return payload(32);                        // the echo server is unaffected
}

static const char *t_bad_arguments(void)
{
    EXPECT(sys_vm_map(H_SELF, 0x500000123l, 4096, PROT_READ) == -E_INVAL, "unaligned map");
    EXPECT(sys_vm_map(H_SELF, (long)0xffff800000000000ul, 4096, PROT_READ) == -E_INVAL, "kernel map");
    EXPECT(sys_vm_map(H_SELF, 0x7ffffffff000l, 8192, PROT_READ) == -E_INVAL, "map past the top");
    EXPECT(sys_vm_map(H_SELF, 0x500000000l, 0, PROT_READ) == -E_INVAL, "empty map");
    EXPECT(sys_thread_create(H_SELF, (long)0xffffffff80100000ul, 0x1000, 0, 1) == -E_INVAL, "kernel entry");
    EXPECT(sys_thread_create(H_SELF, 0x401000, 0x1000, 0, 64) == -E_INVAL, "priority 64");
    EXPECT(sys_thread_create(H_SELF, 0x401000, 0x1000, 0, MY_PRIO + 1) == -E_INVAL, "above own priority");
    EXPECT(sys_sleep(-1) == -E_INVAL, "sleep forever");
    EXPECT(sys_proc_create((long)"x", 200, -1, 0) == -E_INVAL, "long name");
    EXPECT(sys_ioport_get(H_SELF, 0x3f8, 8) == -E_BADHANDLE, "ports without root");
    return NULL;
}

// tick_info: the latest timer interrupt moves on with the ticks.
static const char *t_tick_info(void)
{
    struct tick_info a, b;
    EXPECT(sys_tick_info((long)&a) == 0, "tick_info");
    sys_sleep(2);                              // woken by a later tick
    EXPECT(sys_tick_info((long)&b) == 0, "tick_info again");
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    uint64_t now = ((uint64_t)hi << 32) | lo;
    EXPECT(a.tsc > 0 && b.tsc > a.tsc && b.tsc <= now, "tsc %lu then %lu, now %lu", a.tsc, b.tsc, now);
    EXPECT(b.tick >= a.tick + 2, "tick %lu then %lu", a.tick, b.tick);
    EXPECT(sys_tick_info((long)0xffff800000001000ul) == -E_FAULT, "into kernel memory");
    return NULL;
}

static const struct test tests[] = {
    { "ipc_payload_0", t_ipc_payload_0 },
    { "ipc_payload_1", t_ipc_payload_1 },
    { "ipc_payload_4096", t_ipc_payload_4096 },
    { "ipc_payload_65536", t_ipc_payload_65536 },
    { "ipc_recv_buf", t_ipc_recv_buf },
    { "ipc_too_big", t_ipc_too_big },
    { "ipc_badges", t_ipc_badges },
    { "ipc_handle_transfer", t_ipc_handle_transfer },
    { "ipc_server_dies", t_ipc_server_dies },
    { "ipc_no_receiver", t_ipc_no_receiver },
    { "endpoint_bound_notification", t_endpoint_bound_notification },
    { "proc_info", t_proc_info },
    KTEST_MEM_TESTS
    { "threads_share_memory", t_threads_share_memory },
    { "notif_wakes_thread", t_notif_wakes_thread },
    { "sched_preempt", t_sched_preempt },
    { "sched_equal_alternate", t_sched_equal_alternate },
    { "fpu_state_per_thread", t_fpu_state_per_thread },
    { "fault_kernel_read", t_fault_kernel_read },
    { "fault_kernel_exec", t_fault_kernel_exec },
    { "fault_hlt", t_fault_hlt },
    { "fault_cli", t_fault_cli },
    { "fault_div0", t_fault_div0 },
    { "fault_io", t_fault_io },
    { "io_exact_ports", t_io_exact_ports },
    { "fault_others_finish", t_fault_others_finish },
    { "proc_kill", t_proc_kill },
    { "corrupt_elf", t_corrupt_elf },
    { "proc_fault_injection", t_proc_fault },
    { "irq_notification", t_irq_notification },
    { "tick_info", t_tick_info },
    { "bad_syscall_number", t_bad_syscall_number },
    { "bad_handles", t_bad_handles },
    { "bad_pointers", t_bad_pointers },
    { "bad_arguments", t_bad_arguments },
    KTEST_RT_TESTS
    KTEST_IPCHOLD_TESTS
    KTEST_ISO_TESTS
    KTEST_DMA_TESTS
    KTEST_TRACE_TESTS
};

static const struct smp_test smp_tests[] = { KTEST_SMP_TESTS };

// After every other test (they kill processes, fault them, kill servers
// in the middle of calls): the kernel's own consistency check finds
// nothing wrong. The test build's command line turns the check on.
static const char *t_kernel_consistent(void)
{
    static char buf[1024];
    long r = sys_kcheck((long)buf, sizeof(buf));
    if (r < 0)
        return "kcheck is not in the test build";
    return r ? buf : NULL;
}

static void report(const char *name, const char *err)
{
    if (err)
        printf("not ok system.%s: %s\n", name, err);
    else
        printf("ok system.%s\n", name);
}

int main(int argc, char **argv)
{
    bootfs = (const void *)BOOTFS_VADDR;
    bootfs_len = argc > 1 ? (uint64_t)atol(argv[1]) : 0;
    deaths = sys_notif_create();
    done_notif = sys_notif_create();
    const char *only = argc > 2 ? argv[2] : NULL;
    struct cpu_info ci;
    int ncpus = 0;
    while (sys_cpu_info(ncpus, (long)&ci) == 0)
        ncpus++;
    printf("ktest: %d CPU%s\n", ncpus, ncpus == 1 ? "" : "s");
    for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (!only || !strcmp(only, tests[i].name))
            report(tests[i].name, tests[i].fn());
    for (unsigned i = 0; i < sizeof(smp_tests) / sizeof(smp_tests[0]); i++)
        if ((!only || !strcmp(only, smp_tests[i].name)) && smp_tests[i].cpus <= ncpus)
            report(smp_tests[i].name, smp_tests[i].fn());
    report("kernel_consistent_after_tests", t_kernel_consistent());
    printf("ktest: done\n");
    return 0;
}
