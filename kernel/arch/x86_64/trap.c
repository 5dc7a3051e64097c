// Interrupts and exceptions: the 8259 PIC, the PIT timer, the polled COM1
// log output, trap dispatch, and the panic register dump and backtrace.
#include "kernel.h"
#include <arch/cpu.h>

#define PIC1 0x20
#define PIC2 0xA0
#define COM1 0x3F8
#define PIT_HZ 1000

static u16 irq_masks = 0xffff;
u64 timer_irq_tsc;                               // set by the IRQ 0 entry stub

// The time stamp counter at the entry of the latest timer interrupt.
u64 arch_timer_irq_tsc(void) { return timer_irq_tsc; }

static void pic_write_masks(void)
{
    outb(PIC1 + 1, (u8)irq_masks);
    outb(PIC2 + 1, (u8)(irq_masks >> 8));
}

static void pic_init(void)
{
    outb(PIC1, 0x11); outb(PIC2, 0x11);          // ICW1: init, ICW4 follows
    outb(PIC1 + 1, IRQ_BASE); outb(PIC2 + 1, IRQ_BASE + 8);
    outb(PIC1 + 1, 4); outb(PIC2 + 1, 2);        // cascade on IRQ 2
    outb(PIC1 + 1, 1); outb(PIC2 + 1, 1);        // 8086 mode
    irq_masks = 0xffff & ~(1u << 0) & ~(1u << 2);
    pic_write_masks();
}

void arch_irq_mask(int irq) { irq_masks |= 1u << irq; pic_write_masks(); }
void arch_irq_unmask(int irq) { irq_masks &= ~(1u << irq); pic_write_masks(); }

static void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2, 0x20);
    outb(PIC1, 0x20);
}

static void pit_init(void)
{
    u16 div = 1193182 / PIT_HZ;
    outb(0x43, 0x34);                            // channel 0, lo/hi, rate generator
    outb(0x40, (u8)div);
    outb(0x40, (u8)(div >> 8));
}

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

void arch_timer_init(void)
{
    pic_init();
    pit_init();
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

// Entry from entry.asm for every exception and IRQ. Interrupts are off.
void trap_dispatch(struct trapframe *tf)
{
    if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + NUM_IRQS) {
        int irq = (int)tf->vector - IRQ_BASE;
        if (irq == 0) {
            pic_eoi(0);
            timer_tick();
        } else {
            arch_irq_mask(irq);                  // until the driver acks
            pic_eoi(irq);
            irq_handle(irq);
        }
        sched_kernel_exit();
        return;
    }
    if (tf->vector < 32 && (tf->cs & 3)) {
        fault_user(tf);
        sched_kernel_exit();
        return;
    }
    extern char user_copy_start[], user_copy_end[], user_copy_fault[];
    if (tf->vector == 14 && tf->rip >= (u64)user_copy_start && tf->rip < (u64)user_copy_end) {
        tf->rip = (u64)user_copy_fault;          // a bad user pointer: -E_FAULT
        return;
    }
    arch_dump(tf);
    panic("%s in kernel at %lx", arch_exception_name(tf->vector), tf->rip);
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
