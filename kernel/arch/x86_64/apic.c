// Interrupt controllers and the other CPUs: the ACPI MADT (which CPUs and
// IO-APICs exist), each CPU's local APIC (timer, end of interrupt, IPIs),
// the IO-APIC that routes device interrupts (all to the boot CPU), and the
// start of the application processors (INIT-SIPI-SIPI into trampoline.asm).
// The 8259 PICs are remapped and masked; the PIT only measures the local
// APIC timer's rate once at boot.
#include "kernel.h"
#include "mm/mm.h"
#include <arch/cpu.h>

#define LAPIC_ID      0x20
#define LAPIC_TPR     0x80
#define LAPIC_EOI     0xB0
#define LAPIC_SVR     0xF0
#define LAPIC_ICR_LO  0x300
#define LAPIC_ICR_HI  0x310
#define LAPIC_TIMER   0x320
#define LAPIC_LINT0   0x350
#define LAPIC_LINT1   0x360
#define LAPIC_ERROR   0x370
#define LAPIC_TICR    0x380
#define LAPIC_TCCR    0x390
#define LAPIC_TDCR    0x3E0

#define TIMER_HZ      1000
#define TRAMPOLINE    0x8000ul          /* real-mode start page of the APs */

static u64 lapic_pa = 0xFEE00000, ioapic_pa = 0xFEC00000;
static u32 ioapic_gsi_base, ioapic_pins = 24;
static u32 gsi_flags[NUM_IRQS];         // redirection polarity and trigger bits
static u32 cpu_apic_ids[MAX_CPUS];
static int cpus_found = 1;
static u32 timer_count;                 // local APIC timer ticks per 1 ms
u64 arch_tsc_hz;

static inline volatile u32 *lapic(u32 reg) { return (volatile u32 *)P2V(lapic_pa + reg); }
static inline u32 lapic_read(u32 reg) { return *lapic(reg); }
static inline void lapic_write(u32 reg, u32 v) { *lapic(reg) = v; }

static u32 ioapic_read(u32 reg)
{
    *(volatile u32 *)P2V(ioapic_pa) = reg;
    return *(volatile u32 *)P2V(ioapic_pa + 0x10);
}

static void ioapic_write(u32 reg, u32 v)
{
    *(volatile u32 *)P2V(ioapic_pa) = reg;
    *(volatile u32 *)P2V(ioapic_pa + 0x10) = v;
}

// ---- ACPI: the MADT ----

struct acpi_header {
    char sig[4];
    u32 length;
    u8 revision, checksum;
    char oem[6], oem_table[8];
    u32 oem_rev, creator, creator_rev;
} __attribute__((packed));

static bool acpi_sum_ok(const void *p, u32 len)
{
    u8 sum = 0;
    for (u32 i = 0; i < len; i++)
        sum += ((const u8 *)p)[i];
    return sum == 0;
}

// The table with signature sig from the RSDT or XSDT, or NULL.
static const struct acpi_header *acpi_find(const u8 *rsdp, const char *sig)
{
    u64 root = *(const u32 *)(rsdp + 16);
    int width = 4;
    if (rsdp[15] >= 2 && *(const u64 *)(rsdp + 24)) {
        root = *(const u64 *)(rsdp + 24);
        width = 8;
    }
    if (!root || root >= MAX_PHYS)
        return NULL;
    const struct acpi_header *h = P2V(root);
    if (h->length < sizeof(*h) || !acpi_sum_ok(h, h->length))
        return NULL;
    for (u32 off = sizeof(*h); off + width <= h->length; off += width) {
        const u8 *e = (const u8 *)h + off;
        u64 pa = width == 8 ? *(const u64 *)e : *(const u32 *)e;
        if (!pa || pa >= MAX_PHYS)
            continue;
        const struct acpi_header *t = P2V(pa);
        if (!memcmp(t->sig, sig, 4) && acpi_sum_ok(t, t->length))
            return t;
    }
    return NULL;
}

// Reads the CPUs, the IO-APIC and the ISA overrides from the MADT. Without
// one, the machine is taken as one CPU with the standard addresses.
static void madt_parse(const u8 *rsdp)
{
    const struct acpi_header *m = rsdp ? acpi_find(rsdp, "APIC") : NULL;
    if (!m) {
        kprintf("[kernel] no ACPI MADT: one CPU\n");
        return;
    }
    const u8 *p = (const u8 *)m;
    lapic_pa = *(const u32 *)(p + 36);
    cpus_found = 0;
    for (u32 off = 44; off + 2 <= m->length && p[off + 1] >= 2; off += p[off + 1]) {
        const u8 *e = p + off;
        if (e[0] == 0 && (*(const u32 *)(e + 4) & 1) && cpus_found < MAX_CPUS)
            cpu_apic_ids[cpus_found++] = e[3];              // an enabled CPU
        else if (e[0] == 1 && ioapic_pa == 0xFEC00000) {
            ioapic_pa = *(const u32 *)(e + 4);              // the first IO-APIC
            ioapic_gsi_base = *(const u32 *)(e + 8);
        } else if (e[0] == 2 && e[2] == 0) {                // ISA override
            u32 gsi = *(const u32 *)(e + 4);
            u16 flags = *(const u16 *)(e + 8);
            if (gsi < NUM_IRQS)
                gsi_flags[gsi] = ((flags & 3) == 3 ? 1u << 13 : 0) |     // active low
                                 ((flags >> 2 & 3) == 3 ? 1u << 15 : 0); // level
        } else if (e[0] == 5) {
            lapic_pa = *(const u64 *)(e + 4);
        }
    }
    if (!cpus_found)
        cpus_found = 1;
}

// ---- local APIC ----

volatile u32 *lapic_eoi_reg;            // entry.asm's reschedule IPI writes it

static void lapic_cpu_init(void)
{
    lapic_eoi_reg = lapic(LAPIC_EOI);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LINT0, 1u << 16);
    lapic_write(LAPIC_LINT1, 1u << 16);
    lapic_write(LAPIC_ERROR, 1u << 16);
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);         // enabled
    lapic_write(LAPIC_EOI, 0);
}

void arch_eoi(void) { lapic_write(LAPIC_EOI, 0); }

// Halts until an IPI of priority class 15 (VEC_WAKE, VEC_TLB, VEC_STOP):
// the task priority keeps every other interrupt pending meanwhile, since
// their handlers need the lock this CPU is waiting for.
void arch_lock_sleep(void)
{
    lapic_write(LAPIC_TPR, 0xE0);
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    lapic_write(LAPIC_TPR, 0);
}

static void icr_send(u32 apic_id, u32 low)
{
    while (lapic_read(LAPIC_ICR_LO) & (1u << 12))           // previous one pending
        __builtin_ia32_pause();
    lapic_write(LAPIC_ICR_HI, apic_id << 24);
    lapic_write(LAPIC_ICR_LO, low);
}

void arch_send_ipi(struct cpu *c, int vector) { icr_send(c->apic_id, (u32)vector | (1u << 14)); }

// Stops every other CPU (panic).
void arch_stop_others(void)
{
    for (int i = 0; i < ncpus; i++)
        if (&cpus[i] != this_cpu() && cpus[i].online)
            arch_send_ipi(&cpus[i], VEC_STOP);
}

// PIT channel 2 as a one-shot stopwatch: waits us microseconds. The
// wait is counted as idle time (sched_idle_tsc): nobody's work.
static void pit_wait_us(u32 us)
{
    u64 t0 = rdtsc();
    u32 count = (u32)(1193182ull * us / 1000000);
    if (count > 0xffff)
        count = 0xffff;
    outb(0x61, (u8)((inb(0x61) & ~0x02) | 0x01));          // gate on, speaker off
    outb(0x43, 0xB0);                                       // channel 2, mode 0
    outb(0x42, (u8)count);
    outb(0x42, (u8)(count >> 8));
    outb(0x61, (u8)(inb(0x61) & ~0x01));                    // restart the count
    outb(0x61, (u8)(inb(0x61) | 0x01));
    while (!(inb(0x61) & 0x20))
        ;
    this_cpu()->idle_tsc += rdtsc() - t0;
}

static void lapic_timer_start(void)
{
    lapic_write(LAPIC_TDCR, 0x3);                           // divide by 16
    lapic_write(LAPIC_TIMER, VEC_TIMER | (1u << 17));       // periodic
    lapic_write(LAPIC_TICR, timer_count);
}

// Measures the local APIC timer (and the time stamp counter, for the
// tracer) against the PIT, then starts it at TIMER_HZ on the boot CPU
// (the others start theirs in ap_main).
void arch_timer_init(void)
{
    lapic_write(LAPIC_TDCR, 0x3);
    lapic_write(LAPIC_TIMER, 1u << 16);                     // masked, one-shot
    lapic_write(LAPIC_TICR, 0xffffffff);
    u64 t0 = rdtsc();
    pit_wait_us(2000);
    arch_tsc_hz = (rdtsc() - t0) * 500;
    u32 elapsed = 0xffffffff - lapic_read(LAPIC_TCCR);
    timer_count = elapsed / 2 ? elapsed / 2 : 1;
    lapic_timer_start();
}

// ---- IO-APIC ----

// The IO-APIC's registers are reached through an index and a data
// register, so a write is two accesses; trap_dispatch masks a level line
// before it takes the big kernel lock, while another CPU may be
// unmasking a line under it. This lock keeps each pair together (else
// one line's entry could be written into another's). Interrupts are off
// wherever it is taken.
static volatile u32 ioapic_lock;

static void ioapic_set(int gsi, bool masked)
{
    u32 pin = (u32)gsi - ioapic_gsi_base;
    if (pin >= ioapic_pins)
        return;
    while (__atomic_exchange_n(&ioapic_lock, 1, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
    ioapic_write(0x11 + 2 * pin, cpus[0].apic_id << 24);
    ioapic_write(0x10 + 2 * pin, (u32)(IRQ_BASE + gsi) | gsi_flags[gsi] | (masked ? 1u << 16 : 0));
    __atomic_store_n(&ioapic_lock, 0, __ATOMIC_RELEASE);
}

// IRQ numbers are GSIs, which are the ISA numbers for every ISA line but
// the timer's (QEMU and PCs override only IRQ 0, which the kernel does
// not hand out); the MADT's overrides give the polarity and trigger mode
// of the PCI lines.
// A level-triggered line is masked from its interrupt until the driver
// acknowledges it; an edge-triggered one stays open (the IO-APIC would
// lose an edge that came while it was masked, and the notification bits
// gather edges anyway).
void arch_irq_mask(int irq) { ioapic_set(irq, true); }
void arch_irq_unmask(int irq) { ioapic_set(irq, false); }
bool arch_irq_level(int irq) { return irq >= 0 && irq < NUM_IRQS && (gsi_flags[irq] & (1u << 15)); }

static void pic_disable(void)
{
    outb(0x20, 0x11); outb(0xA0, 0x11);                     // ICW1
    outb(0x21, IRQ_BASE); outb(0xA1, IRQ_BASE + 8);         // ICW2: vectors 32-47
    outb(0x21, 4); outb(0xA1, 2);                           // cascade
    outb(0x21, 1); outb(0xA1, 1);                           // 8086 mode
    outb(0x21, 0xff); outb(0xA1, 0xff);                     // all masked
}

// Finds the CPUs and interrupt controllers and sets up the boot CPU's
// local APIC and the IO-APIC (every pin masked until a driver binds it).
void arch_apic_init(const void *rsdp)
{
    madt_parse(rsdp);
    pic_disable();
    cpus[0].apic_id = lapic_read(LAPIC_ID) >> 24;
    lapic_cpu_init();
    u32 max = (ioapic_read(1) >> 16) & 0xff;
    ioapic_pins = max + 1 < NUM_IRQS ? max + 1 : NUM_IRQS;
    for (u32 pin = 0; pin < ioapic_pins; pin++)
        ioapic_set((int)(ioapic_gsi_base + pin), true);
}

// ---- the other CPUs ----

extern char trampoline_start[], trampoline_end[], trampoline_params[];
extern u8 boot_pml4[];                                      // boot.asm, linked low
void ap_main(struct cpu *c);
void sched_cpu_init(struct cpu *c);

struct trampoline_params { u64 cr3, stack, cpu, entry; };

// Starts up to want CPUs in all (the boot CPU included) and returns how
// many run. Each gets a stack to enter ap_main on.
void arch_start_cpus(u32 want)
{
    int n = 1;
    memcpy(P2V(TRAMPOLINE), trampoline_start, (u64)(trampoline_end - trampoline_start));
    struct trampoline_params *tp = P2V(TRAMPOLINE + (u64)(trampoline_params - trampoline_start));
    for (int i = 0; i < cpus_found && (u32)n < want && n < MAX_CPUS; i++) {
        if (cpu_apic_ids[i] == cpus[0].apic_id)
            continue;
        struct cpu *c = &cpus[n];
        u8 *stack = page_alloc_n(4);
        if (!stack)
            break;
        c->id = n;
        c->apic_id = cpu_apic_ids[i];
        sched_cpu_init(c);
        *tp = (struct trampoline_params){ (u64)boot_pml4, (u64)stack + 4 * PAGE_SIZE, (u64)c,
                                          (u64)ap_main };
        icr_send(c->apic_id, 0x4500);                       // INIT
        pit_wait_us(10000);
        for (int s = 0; s < 2 && !c->online; s++) {
            icr_send(c->apic_id, 0x4600 | (u32)(TRAMPOLINE >> 12));   // SIPI
            for (int w = 0; w < 100 && !__atomic_load_n(&c->online, __ATOMIC_ACQUIRE); w++)
                pit_wait_us(1000);
        }
        if (!c->online) {
            kprintf("[kernel] CPU with APIC id %u did not start\n", c->apic_id);
            page_free_n(stack, 4);
            break;
        }
        n++;
        ncpus = n;
    }
}

// Sets up an application processor's local APIC and timer (ap_main).
void arch_ap_init(void)
{
    lapic_cpu_init();
    lapic_timer_start();
}

u32 arch_cpus_found(void) { return (u32)cpus_found; }
