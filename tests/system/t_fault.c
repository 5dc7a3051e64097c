// Fault victims and helpers for the in-system tests; argv[1] picks one:
// kread, kexec, hlt, cli, div0, io: take that CPU fault; io_granted: use
// the granted RTC ports and exit 42; io_outside: then touch port 0x72;
// spin: loop until killed; work: compute for a while, exit 0 if right;
// isolate: try to reach what it was not given (see isolate());
// read: on CPU 1, read the page at READ_VA until it changes (exit 2) or
// goes away (a page fault); spin3: spin on CPUs 1, 2 and 3 at once;
// dma: take 1 MiB of DMA memory with the right in handle 1 and exit 42;
// dma_spin: take it and sleep until killed; trace: use the tracer through
// every handle it has (exit 42 if all refuse, 43 if handle 1 may);
// lazy_ro: read a read-only lazy page (zero, exit 3 if not), then write
// it (a page fault at LAZY_VA); bss: check its .bss (mostly lazy pages:
// spawn maps those past the file's bytes lazy) reads zero and keeps what
// is written (exit 42, 3: not zero, 4: lost a write); text_write: write
// into its own code (a page fault at main).
#include "os.h"
#include "uapi/limits.h"
#include "uapi/trace.h"

#define READ_VA    0x500000000ul         // mapped and filled by ktest_smp.c
#define READ_MAGIC 0x5eadf00dcafe1234ul

static void spin_thread(long arg)
{
    (void)arg;
    for (;;)
        ;
}

static uint64_t hash_rounds(uint64_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (uint64_t i = 0; i < n; i++)
        h = (h ^ i) * 1099511628211ull;
    return h;
}

static int work(void)
{
    uint64_t first = hash_rounds(200000);
    for (int round = 0; round < 8; round++) {
        sys_sleep(5);
        if (hash_rounds(200000) != first)
            return 2;
    }
    return 0;
}

// Granted: 1 a notification with R_WAIT only, 2 an endpoint with R_SEND
// only. Every other slot is empty. Each attempt to reach an object
// through a handle it lacks, or a right it lacks, must fail cleanly;
// exit code k names the first that did not. Last, a port it was never
// granted: that must fault (#GP, vector 13).
static int isolate(void)
{
    struct msg m = { TAG(1, 0), 0, 0, 0, 0, 0 };
    long page = 0x500000000l, bad = -E_BADHANDLE;
    for (long h = 3; h < 300; h++) {
        if (ipc_call(h, &m, NULL) != bad) return 1;
        if (sys_notif_signal(h, 1) != bad) return 2;
        if (sys_vm_map(h, page, 4096, PROT_READ | PROT_WRITE) != bad) return 3;
        if (sys_vm_write(h, page, (long)&m, 8) != bad) return 4;
        if (sys_proc_kill(h) != bad) return 5;
        if (sys_irq_get(h, 8) != bad) return 6;
        if (sys_ioport_get(h, 0x70, 2) != bad) return 7;
        if (sys_mmio_get(h, 0xb8000, 4096) != bad) return 8;
        if (sys_handle_grant(H_SELF, h, R_ALL, 0) != bad) return 9;
        if (sys_thread_create(h, 0x401000, 0x1000, 0, 1) != bad) return 10;
    }
    for (long h = -5; h < 0; h++)
        if (ipc_call(h, &m, NULL) != bad || sys_notif_signal(h, 1) != bad) return 11;
    if (sys_notif_signal(1, 1) != -E_PERM) return 12;         // wait-only
    if (ipc_recv(2, &m, NULL) != -E_PERM) return 13;          // send-only
    long wider = sys_handle_mint(2, R_ALL, 0);                // rights only shrink
    if (wider < 0 || ipc_recv(wider, &m, NULL) != -E_PERM) return 14;
    if (sys_irq_get(H_SELF, 8) != bad) return 15;             // its own process is no root
    if (sys_ioport_get(H_SELF, 0x70, 2) != bad) return 16;
    if (sys_mmio_get(H_SELF, 0xb8000, 4096) != bad) return 17;
    if (sys_ioport_enable(H_SELF) != bad) return 18;
    if (sys_irq_bind(1, 1, 1) != bad || sys_irq_ack(1) != bad) return 19;
    uint8_t v;
    __asm__ volatile("inb $0x70, %0" : "=a"(v));              // never granted
    return 20;
}

// Every trace operation through every handle slot: 42 if all are refused,
// 43 if handle 1 reads the status and the records (the right was given).
static int try_trace(void)
{
    static struct trace_rec r[64];
    struct trace_status st;
    if (sys_trace(1, TRACE_STATUS, (long)&st, 0, 0) == 0)
        return sys_trace(1, TRACE_READ, 0, (long)r, sizeof(r)) > 0 ? 43 : 11;
    for (long h = 0; h < LIMIT_HANDLES; h++) {
        long e[5] = { sys_trace(h, TRACE_STATUS, (long)&st, 0, 0),
                      sys_trace(h, TRACE_READ, 0, (long)r, sizeof(r)),
                      sys_trace(h, TRACE_START, 4096, 0, 0), sys_trace(h, TRACE_STOP, 0, 0, 0),
                      sys_trace(h, TRACE_THREADS, (long)r, 10, 0) };
        for (int i = 0; i < 5; i++)
            if (e[i] != -E_PERM && e[i] != -E_BADHANDLE)
                return 20 + i;
    }
    return 42;
}

static volatile uint8_t big_bss[20 * 4096 + 100];

static int bss(void)
{
    for (size_t i = 0; i < sizeof(big_bss); i++)
        if (big_bss[i])
            return 3;
    for (size_t i = 0; i < sizeof(big_bss); i += 4000)
        big_bss[i] = (uint8_t)(i / 4000 + 1);
    for (size_t i = 0; i < sizeof(big_bss); i += 4000)
        if (big_bss[i] != (uint8_t)(i / 4000 + 1))
            return 4;
    return 42;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    volatile int zero = 0, seven = 7;
    if (!strcmp(m, "kread"))
        return (int)*(volatile uint64_t *)0xffffffff80100000ul;
    if (!strcmp(m, "kexec"))
        ((void (*)(void))0xffffffff80100000ul)();
    if (!strcmp(m, "hlt"))
        __asm__ volatile("hlt");
    if (!strcmp(m, "cli"))
        __asm__ volatile("cli");
    if (!strcmp(m, "div0"))
        return seven / zero;
    if (!strcmp(m, "io")) {
        uint8_t v;
        __asm__ volatile("inb $0x60, %0" : "=a"(v));
        return v;
    }
    if (!strcmp(m, "io_granted") || !strcmp(m, "io_outside")) {
        uint8_t v;
        if (sys_ioport_enable(1))               // handle 1: ports 0x70-0x71
            return 7;
        __asm__ volatile("inb $0x71, %0" : "=a"(v));
        if (!strcmp(m, "io_granted"))
            return 42;
        __asm__ volatile("inb $0x72, %0" : "=a"(v));
        return 8;
    }
    if (!strcmp(m, "spin"))
        for (;;)
            ;
    if (!strcmp(m, "lazy_ro")) {
        volatile uint64_t *p = (volatile uint64_t *)0x540000000ul;   // LAZY_VA in ktest_mem.c
        if (sys_vm_map(H_SELF, (long)p, 4096, PROT_READ | PROT_LAZY) || p[3] != 0)
            return 3;
        p[3] = 1;
        return 4;
    }
    if (!strcmp(m, "bss"))
        return bss();
    if (!strcmp(m, "text_write"))
        *(volatile uint8_t *)(uintptr_t)main = 0xc3;
    if (!strcmp(m, "work"))
        return work();
    if (!strcmp(m, "isolate"))
        return isolate();
    if (!strcmp(m, "read")) {
        uint64_t v = 0;
        if (sys_proc_cpus(H_SELF, 2))
            return 3;
        while (sys_vm_write(H_SELF, (long)&v, READ_VA, 8) || v != READ_MAGIC)
            sys_sleep(1);                   // until the test has mapped and filled it
        for (;;)
            if (*(volatile uint64_t *)READ_VA != READ_MAGIC)
                return 2;
    }
    if (!strcmp(m, "spin3")) {
        for (int cpu = 1; cpu <= 3; cpu++) {
            long t = thread_start(spin_thread, 0, 10, 16384);
            if (t < 0 || sys_thread_cpus(t, 1l << cpu))
                return 3;
        }
        for (;;)
            sys_sleep(1000000);
    }
    if (!strcmp(m, "trace"))
        return try_trace();
    if (!strcmp(m, "dma") || !strcmp(m, "dma_spin")) {     // handle 1: the DMA right
        if (sys_dma_alloc(1, 0x520000000l, 256 * 4096) <= 0)
            return 9;
        while (!strcmp(m, "dma_spin"))
            sys_sleep(1000);
        return 42;
    }
    return 100;
}
