// CPU setup: each CPU's GDT, TSS with the I/O permission bitmap and GS
// base (struct cpu), the shared IDT, syscall MSRs, SSE and SMEP/SMAP; the
// per-thread FPU state and I/O bitmap switching.
#include "kernel.h"
#include <arch/cpu.h>

struct idt_entry {
    u16 off_lo, sel;
    u8 ist, flags;
    u16 off_mid;
    u32 off_hi, zero;
} __attribute__((packed));

struct desc_ptr { u16 limit; u64 base; } __attribute__((packed));

#define IOMAP_OFF   offsetof(struct tss, iopb)
#define IOMAP_NONE  0xffff   /* beyond the TSS limit: no port allowed */

static struct idt_entry idt[256];
struct cpu cpus[MAX_CPUS];
int ncpus = 1;
u8 cpu_smap;                      // arch_user_copy brackets its access with stac/clac

extern u64 isr_table[NUM_VECTORS];
extern char syscall_entry[];

static void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static void gdt_init(struct cpu *c)
{
    u64 *gdt = c->gdt;
    u64 base = (u64)&c->tss, limit = sizeof(c->tss) - 1;
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFF;    // 0x08 kernel code
    gdt[2] = 0x00CF92000000FFFF;    // 0x10 kernel data
    gdt[3] = 0x00CFF2000000FFFF;    // 0x18 user data
    gdt[4] = 0x00AFFA000000FFFF;    // 0x20 user code
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;            // 0x28 TSS (16 bytes)
    struct desc_ptr p = { sizeof(c->gdt) - 1, (u64)gdt };
    __asm__ volatile("lgdt %0\n"
                     "pushq $0x08\n lea 1f(%%rip), %%rax\n pushq %%rax\n lretq\n1:\n"
                     "mov $0x10, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%ss\n"
                     "ltr %w1" :: "m"(p), "r"(0x28) : "rax", "memory");
    c->tss.ist[0] = (u64)c->df_stack + sizeof(c->df_stack);
    c->tss.iomap_base = IOMAP_NONE;
    c->tss.iopb[8192] = 0xff;
}

static void idt_init(void)
{
    for (int i = 0; i < NUM_VECTORS; i++) {
        u64 off = isr_table[i];
        if (!off)
            continue;                                 // no such vector in use
        idt[i] = (struct idt_entry){ (u16)off, 0x08, i == 8 ? 1 : 0, 0x8E,
                                     (u16)(off >> 16), (u32)(off >> 32), 0 };
    }
}

static void idt_load(void)
{
    struct desc_ptr p = { sizeof(idt) - 1, (u64)idt };
    __asm__ volatile("lidt %0" :: "m"(p));
}

static void features_init(void)
{
    u64 cr0, cr4;
    u32 a, b, c, d;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(1ul << 2)) | (1ul << 1) | (1ul << 5) | (1ul << 16);  // SSE, NE, WP
    __asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= (1ul << 9) | (1ul << 10);                 // OSFXSR, OSXMMEXCPT
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    if (b & (1u << 7))
        cr4 |= 1ul << 20;                            // SMEP
    if (b & (1u << 20)) {
        cr4 |= 1ul << 21;                            // SMAP: user VAs only in arch_user_copy
        cpu_smap = 1;
    }
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
    __asm__ volatile("fninit");
    wrmsr(0xC0000081, (0x10ul << 48) | (0x08ul << 32));  // STAR
    wrmsr(0xC0000082, (u64)syscall_entry);               // LSTAR
    wrmsr(0xC0000084, 0x40700);                          // FMASK: IF DF TF AC
}

// Sets up one CPU (the boot CPU from kmain, the others from ap_main):
// its descriptor tables, features, and GS base pointing at c.
void arch_cpu_init(struct cpu *c)
{
    c->self = c;
    c->bit = 1ul << c->id;
    c->kick_prio = -1;
    gdt_init(c);
    idt_load();
    features_init();
    wrmsr(0xC0000101, (u64)c);                           // GS base: the kernel's
    wrmsr(0xC0000102, 0);                                // kernel GS base: the user's
}

// Sets up the shared tables and the boot CPU. Called once at boot.
void arch_init(void)
{
    idt_init();
    arch_cpu_init(&cpus[0]);
}


// A clean FPU/SSE state for a new thread: default control words.
void arch_fpu_init(struct fpu_state *s)
{
    memset(s, 0, sizeof(*s));
    s->data[0] = 0x7f; s->data[1] = 0x03;             // FCW 0x037f
    s->data[24] = 0x80; s->data[25] = 0x1f;           // MXCSR 0x1f80
}

// Loads the I/O permission bitmap of the next process (NULL: no ports).
// The 8 KiB copy happens only when the owner changes.
void arch_iopb_load(const u8 *bitmap)
{
    struct cpu *c = this_cpu();
    if (!bitmap) {
        c->tss.iomap_base = IOMAP_NONE;
        return;
    }
    if (bitmap != c->iopb_loaded) {
        memcpy(c->tss.iopb, bitmap, 8192);
        c->iopb_loaded = bitmap;
    }
    c->tss.iomap_base = IOMAP_OFF;
}

// Forget a bitmap that is being freed or changed, so a new one at the
// same address is copied (on every CPU).
void arch_iopb_forget(const u8 *bitmap)
{
    for (int i = 0; i < MAX_CPUS; i++)
        if (cpus[i].iopb_loaded == bitmap)
            cpus[i].iopb_loaded = NULL;
}

// Builds the first kernel-stack frames of a thread so that arch_switch to
// the returned stack pointer enters the trapframe through trap_return.
u64 *arch_thread_stack_init(u64 *top, struct trapframe *tf)
{
    extern char thread_trampoline[];
    struct trapframe *dst = (struct trapframe *)top - 1;
    *dst = *tf;
    u64 *sp = (u64 *)dst;
    *--sp = (u64)thread_trampoline;
    for (int i = 0; i < 6; i++)
        *--sp = 0;                                    // rbx rbp r12-r15
    return sp;
}

bool arch_user_rip_ok(u64 rip) { return rip < USER_TOP - 4096; }

void arch_poweroff(void)
{
    outw(0x604, 0x2000);                              // QEMU PC: ACPI poweroff
    for (;;)
        __asm__ volatile("cli; hlt");
}

// entry.asm and this_cpu_need_resched read struct cpu at fixed offsets.
_Static_assert(offsetof(struct cpu, kstack_top) == 8 && offsetof(struct cpu, user_rsp) == 16 &&
               offsetof(struct cpu, thread) == 24 && offsetof(struct cpu, timer_irq_tsc) == 32 &&
               offsetof(struct cpu, need_resched) == 48, "struct cpu offsets in entry.asm");
_Static_assert(offsetof(struct trapframe, r15) == 0 && offsetof(struct trapframe, r11) == 32 &&
               offsetof(struct trapframe, rbx) == 104 && offsetof(struct trapframe, rax) == 112 &&
               offsetof(struct trapframe, rip) == 136 && offsetof(struct trapframe, ss) == 168 &&
               sizeof(struct trapframe) == 176, "TF_ offsets in entry.asm");
