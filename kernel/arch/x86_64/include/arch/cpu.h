// The x86-64 interface the generic kernel uses: the trap frame, port I/O,
// control registers and the arch_* functions.
#ifndef ARCH_CPU_H
#define ARCH_CPU_H
#include "types.h"
#include "list.h"

#define SYSCALL_VEC 256
#define IRQ_BASE    32          /* IO-APIC pin n (ISA IRQ n) arrives at vector 32 + n */
#define NUM_IRQS    24
#define VEC_TIMER   56          /* local APIC timer */
#define VEC_RESCHED 57          /* IPI: look at the run queue */
// Priority class 15: the ones a CPU sleeping for the kernel lock takes
// (its task priority blocks the rest until it has the lock).
#define VEC_WAKE    0xF0        /* IPI: the kernel lock was released */
#define VEC_TLB     0xF1        /* IPI: flush the TLB (no lock taken) */
#define VEC_STOP    0xF2        /* IPI: halt (panic) */
#define VEC_SPURIOUS 0xFF
#define NUM_VECTORS 256
#define MAX_CPUS    8

// Saved user (or kernel) state; layout fixed by entry.asm.
struct trapframe {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};

// FPU/SSE state saved by fxsave.
struct fpu_state { u8 data[512]; } __attribute__((aligned(16)));

struct tss {
    u32 reserved0;
    u64 rsp0, rsp1, rsp2;
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
    u8 iopb[8192 + 1];
} __attribute__((packed));

struct thread;

// One per CPU, reached through the GS base while in the kernel (the
// entry paths swap it in with swapgs). The first fields are read by
// entry.asm at fixed offsets.
struct cpu {
    struct cpu *self;             // 0
    u64 kstack_top;               // 8: the syscall entry's stack: its top - 8
    u64 user_rsp;                 // 16
    struct thread *thread;        // 24: the one running here
    u64 timer_irq_tsc;            // 32: time stamp counter at the latest timer IRQ
    u64 bit;                      // 40: 1 << id, for affinity masks
    bool need_resched;            // 48: a higher priority is ready for this CPU
    bool online;
    int id;
    u32 apic_id;
    int kick_prio;                // priority an IPI sent here is for (-1 none)
    struct thread *idle;
    struct thread *zombie;        // dead thread whose stack was in use
    u64 idle_tsc, idle_since;     // time spent idle (sched_idle_tsc)
    u64 ticks;                    // local timer interrupts taken (watchdog)
    volatile u32 tlb_flush;       // set by a shootdown, cleared once flushed
    const u8 *iopb_loaded;
    u64 gdt[7];
    struct tss tss __attribute__((aligned(16)));
    u8 df_stack[4096] __attribute__((aligned(16)));
    // sched.c's, last: assembly code reads the fields above at fixed offsets
    struct thread *waiting;       // blocked thread this CPU idles on (wait_in_place)
    u64 waiting_cpus;             // a CPU set given to it meanwhile, applied once left
    struct list handoff;          // a thread handed to this CPU to run next (at most one)
};

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;                 // CPUs started

static inline struct cpu *this_cpu(void)
{
    struct cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

// this_cpu()->need_resched in one instruction.
static inline bool this_cpu_need_resched(void)
{
    bool r;
    __asm__ volatile("cmpb $0, %%gs:48" : "=@ccne"(r) :: "memory");
    return r;
}

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u64 read_cr2(void) { u64 v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u64 read_cr3(void) { u64 v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(u64 v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline u64 rdtsc(void) { u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((u64)hi << 32) | lo; }
static inline void invlpg(u64 va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

void arch_init(void);
void arch_cpu_init(struct cpu *c);
// The stack the CPU switches to on entry from user mode. The syscall
// entry starts at the trapframe's last slot (ss) and pushes rsp into the
// one below it.
static inline void arch_set_kstack(struct cpu *c, u64 top)
{
    c->tss.rsp0 = top;
    c->kstack_top = top - 8;
}
void arch_switch(u64 *save_sp, u64 new_sp);
// Parks the current thread (blocked in the IPC fast path) on the frame
// fastipc.asm's sys_call_entry/sys_reply_recv_entry left PARK_FRAME bytes
// below its trapframe, and switches to new_sp. Does not return.
_Noreturn void arch_park(u64 *save_sp, u64 park_sp, u64 new_sp);
#define PARK_FRAME 64
static inline void arch_fpu_save(struct fpu_state *s) { __asm__ volatile("fxsave64 %0" : "=m"(*s)); }
static inline void arch_fpu_restore(const struct fpu_state *s) { __asm__ volatile("fxrstor64 %0" :: "m"(*s)); }
void arch_fpu_init(struct fpu_state *s);
void arch_iopb_load(const u8 *bitmap);
void arch_iopb_forget(const u8 *bitmap);
void arch_irq_mask(int irq);
void arch_irq_unmask(int irq);
bool arch_irq_level(int irq);
void arch_send_ipi(struct cpu *c, int vector);
void arch_tlb_shootdown(u64 mask);
void arch_start_cpus(u32 want);
u64 arch_acpi_rsdp(const void *tag, u32 size);
void arch_poweroff(void);
u64 *arch_thread_stack_init(u64 *top, struct trapframe *tf);
void arch_backtrace(u64 rbp);
void arch_dump(const struct trapframe *tf);
bool arch_user_rip_ok(u64 rip);
const char *arch_exception_name(u64 vector);
void arch_early_init(void);
void arch_timer_init(void);
extern u64 arch_tsc_hz;           // time stamp counter per second, measured against the PIT
u64 arch_rtc_epoch(void);
int arch_user_copy(void *dst, const void *src, u64 len);
int arch_user_read32(void *dst, const void *src);

// The big kernel lock (entry.asm takes it on syscall entry, trap.c on
// interrupts and exceptions from user mode; see kernel/arch/x86_64/lock.c).
// Bit 0: taken; bit 1 + n: CPU n sleeps until it is released.
extern volatile u32 big_lock;
void kernel_lock(void);
void kernel_lock_wake(void);
static inline void kernel_unlock(void)
{
    if (__atomic_and_fetch(&big_lock, ~1u, __ATOMIC_RELEASE))
        kernel_lock_wake();
}
void arch_lock_sleep(void);

// Waits for an interrupt with the kernel lock released: the idle loops
// (sched.c). The lock is taken again as the syscall entry does, and
// kernel_lock waits for it only if another CPU holds it.
static inline void arch_idle(void)
{
    kernel_unlock();
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    if (__atomic_fetch_or(&big_lock, 1u, __ATOMIC_ACQUIRE) & 1)
        kernel_lock();
}

// Provided by the generic kernel, called from the trap path.
void irq_handle(int irq);
void timer_tick(void);
void fault_user(struct trapframe *tf);
bool fault_copy_fill(u64 error, u64 addr);     // a lazy page touched by arch_user_copy
bool sched_kernel_exit(void);

#endif
