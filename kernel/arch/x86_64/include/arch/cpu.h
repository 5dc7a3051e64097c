// The x86-64 interface the generic kernel uses: the trap frame, port I/O,
// control registers and the arch_* functions.
#ifndef ARCH_CPU_H
#define ARCH_CPU_H
#include "types.h"

#define SYSCALL_VEC 256
#define IRQ_BASE    32
#define NUM_IRQS    16

// Saved user (or kernel) state; layout fixed by entry.asm.
struct trapframe {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};

// FPU/SSE state saved by fxsave.
struct fpu_state { u8 data[512]; } __attribute__((aligned(16)));

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u64 read_cr2(void) { u64 v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u64 read_cr3(void) { u64 v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(u64 v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline u64 rdtsc(void) { u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((u64)hi << 32) | lo; }
static inline void invlpg(u64 va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

void arch_init(void);
void arch_set_kstack(u64 top);
void arch_switch(u64 *save_sp, u64 new_sp);
static inline void arch_fpu_save(struct fpu_state *s) { __asm__ volatile("fxsave64 %0" : "=m"(*s)); }
static inline void arch_fpu_restore(const struct fpu_state *s) { __asm__ volatile("fxrstor64 %0" :: "m"(*s)); }
void arch_fpu_init(struct fpu_state *s);
void arch_iopb_load(const u8 *bitmap);
void arch_iopb_forget(const u8 *bitmap);
void arch_irq_mask(int irq);
void arch_irq_unmask(int irq);
void arch_idle(void);
void arch_poweroff(void);
u64 *arch_thread_stack_init(u64 *top, struct trapframe *tf);
void arch_backtrace(u64 rbp);
void arch_dump(const struct trapframe *tf);
bool arch_user_rip_ok(u64 rip);
const char *arch_exception_name(u64 vector);
void arch_early_init(void);
void arch_timer_init(void);
u64 arch_rtc_epoch(void);
int arch_user_copy(void *dst, const void *src, u64 len);
int arch_user_read32(void *dst, const void *src);
u64 arch_timer_irq_tsc(void);

// Provided by the generic kernel, called from the trap path.
void irq_handle(int irq);
void timer_tick(void);
void fault_user(struct trapframe *tf);
void sched_kernel_exit(void);

#endif
