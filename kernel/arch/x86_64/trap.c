// Interrupts and exceptions: trap dispatch (with the big kernel lock),
// the polled COM1 log output, and the panic register dump and backtrace.
// The interrupt controllers are in apic.c.
#include "kernel.h"
#include <arch/cpu.h>

#define COM1 0x3F8

static void serial_init(void)
{
    outb(COM1 + 1, 0x00);                        // no interrupts yet
    outb(COM1 + 3, 0x80);                        // DLAB
    outb(COM1 + 0, 0x01);                        // 115200 baud
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);                        // 8N1
    // FCR untouched: toggling the FIFO on would drop input already received
    outb(COM1 + 4, 0x0B);
}

// Writes bytes to COM1, polling. Used by kprintf only.
void kputs_raw(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            kputs_raw("\r", 1);
        while (!(inb(COM1 + 5) & 0x20))
            ;
        outb(COM1, (u8)s[i]);
    }
}

void arch_early_init(void)
{
    serial_init();
}

static const char *const exc_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor",
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", "reserved", "x87 error", "alignment check", "machine check",
    "SIMD error", "virtualization", "control protection",
};

const char *arch_exception_name(u64 vector)
{
    return vector < 32 && exc_names[vector] ? exc_names[vector] : "exception";
}

void arch_eoi(void);

// Entry from entry.asm for every exception, IRQ and IPI; interrupts are
// off. Interrupts (but for the TLB shootdown and the stop IPI; the
// reschedule IPI to an idle loop ends in entry.asm) and exceptions from
// user mode take the big kernel lock; the result tells entry.asm to
// release it on the way out. An interrupt in kernel mode can only have
// woken an idle loop from hlt (the kernel runs with interrupts off, and
// the lock's sleep masks all but the IPIs above). The idle thread may
// switch away from there as from user mode; a wait in place (sched.c),
// on the stack of the thread it waits on, may not: its loop looks at
// what is ready once the interrupt returns. An exception in
// kernel mode happens with the lock held already (a bad user pointer in
// arch_user_copy) or is a kernel bug.
bool trap_dispatch(struct trapframe *tf)
{
    u64 v = tf->vector;
    if (v >= IRQ_BASE) {
        if (v == VEC_SPURIOUS)
            return false;                        // no end of interrupt for these
        if (v < IRQ_BASE + NUM_IRQS && arch_irq_level((int)v - IRQ_BASE))
            arch_irq_mask((int)v - IRQ_BASE);    // until the driver acks
        arch_eoi();
        if (v == VEC_WAKE)
            return false;                        // kernel_lock looks again
        if (v == VEC_TLB) {
            extern void tlb_ipi(void);
            tlb_ipi();
            return false;
        }
        if (v == VEC_STOP)
            for (;;)
                __asm__ volatile("cli; hlt");
        kernel_lock();
        if (v == VEC_TIMER)
            timer_tick();
        else if (v < IRQ_BASE + NUM_IRQS)                // VEC_RESCHED: just the exit
            irq_handle((int)v - IRQ_BASE);
        if ((tf->cs & 3) || !this_cpu()->waiting)
            sched_kernel_exit();
        return true;
    }
    if (tf->cs & 3) {
        kernel_lock();
        fault_user(tf);
        sched_kernel_exit();
        return true;
    }
    extern char user_copy_start[], user_copy_end[], user_copy_fault[];
    if (v == 14 && tf->rip >= (u64)user_copy_start && tf->rip < (u64)user_copy_end) {
        if (fault_copy_fill(tf->error, read_cr2()))
            return false;                        // a lazy page, given now: the copy goes on
        tf->rip = (u64)user_copy_fault;          // a bad user pointer: -E_FAULT
        return false;
    }
    arch_dump(tf);
    panic("%s in kernel at %lx", arch_exception_name(v), tf->rip);
}

void arch_dump(const struct trapframe *tf)
{
    kprintf("vector %lu error %lx rip %lx cs %lx rflags %lx rsp %lx cr2 %lx cr3 %lx\n",
            tf->vector, tf->error, tf->rip, tf->cs, tf->rflags, tf->rsp, read_cr2(), read_cr3());
    kprintf("rax %lx rbx %lx rcx %lx rdx %lx rsi %lx rdi %lx\n",
            tf->rax, tf->rbx, tf->rcx, tf->rdx, tf->rsi, tf->rdi);
    kprintf("rbp %lx r8 %lx r9 %lx r10 %lx r11 %lx r12 %lx\n",
            tf->rbp, tf->r8, tf->r9, tf->r10, tf->r11, tf->r12);
    kprintf("r13 %lx r14 %lx r15 %lx\n", tf->r13, tf->r14, tf->r15);
    if (tf->rip >= KBASE)
        kprintf("  at %lx %s\n", tf->rip, symbol_name(tf->rip));
    arch_backtrace(tf->rbp);
}

// Prints the chain of return addresses from a frame pointer.
void arch_backtrace(u64 rbp)
{
    for (int depth = 0; depth < 16 && !(rbp & 7); depth++) {
        bool mapped = rbp >= KBASE || (rbp >= PHYS_BASE && rbp < PHYS_BASE + (4ul << 30));
        if (!mapped)
            break;
        u64 ret = ((u64 *)rbp)[1];
        if (ret < KBASE)
            break;
        kprintf("  from %lx %s\n", ret, symbol_name(ret));
        rbp = ((u64 *)rbp)[0];
    }
}

static u8 cmos_read(u8 reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian).
static u64 days_from_civil(u64 y, u64 m, u64 d)
{
    y -= m <= 2;
    u64 era = y / 400, yoe = y - era * 400;
    u64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    u64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// The CMOS real-time clock as seconds since 1970 (read once at boot).
u64 arch_rtc_epoch(void)
{
    u8 r[6], b;
    static const u8 regs[6] = { 0, 2, 4, 7, 8, 9 };
    for (int tries = 0; tries < 100000 && (cmos_read(0x0A) & 0x80); tries++)
        ;
    for (int i = 0; i < 6; i++)
        r[i] = cmos_read(regs[i]);
    b = cmos_read(0x0B);
    if (!(b & 4))                                   // BCD
        for (int i = 0; i < 6; i++)
            r[i] = (u8)((r[i] & 0x0f) + ((r[i] & 0x70) >> 4) * 10 + (i == 2 ? 0 : (r[i] >> 7) * 80));
    if (!(b & 2) && (cmos_read(4) & 0x80))          // 12-hour clock, PM
        r[2] = (u8)((r[2] & 0x7f) % 12 + 12);
    u64 days = days_from_civil(2000 + r[5], r[4], r[3]);
    return days * 86400 + r[2] * 3600ul + r[1] * 60ul + r[0];
}
