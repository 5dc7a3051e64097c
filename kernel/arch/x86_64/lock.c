// The big kernel lock. One CPU at a time runs kernel code: the lock is
// taken on every entry from user mode (the syscall entry in entry.asm,
// trap_dispatch for interrupts and exceptions) and by the idle thread
// when an interrupt wakes it, and released on the way back to user mode
// and by the idle thread before it halts. A context switch happens with
// the lock held: the lock belongs to the CPU, not to the thread, and the
// thread switched to releases it when it leaves the kernel.
//
// Lock order: there is one lock, so no order to get wrong. The only other
// waits between CPUs are the TLB shootdown (arch_tlb_shootdown waits, with
// the lock held, for the others to flush) and the stop IPI of a panic;
// both are answered without the lock, and a CPU spinning for the lock
// answers shootdowns while it spins, so no wait can close a cycle.
// No lock is ever held in user mode.
#include "kernel.h"
#include <arch/cpu.h>

volatile u32 big_lock;

// Flushes this CPU's TLB if a shootdown asked for it.
static inline void tlb_flush_if_asked(struct cpu *c)
{
    if (c->tlb_flush) {
        write_cr3(read_cr3());
        __atomic_store_n(&c->tlb_flush, 0, __ATOMIC_RELEASE);
    }
}

void kernel_lock(void)
{
    struct cpu *c = this_cpu();
    while (__atomic_exchange_n(&big_lock, 1, __ATOMIC_ACQUIRE))
        while (big_lock) {
            tlb_flush_if_asked(c);
            __builtin_ia32_pause();
        }
}

// Called from entry.asm when the syscall entry found the lock taken.
void kernel_lock_slow(void) { kernel_lock(); }

// The TLB shootdown IPI (no lock: the sender holds it and waits).
void tlb_ipi(void) { tlb_flush_if_asked(this_cpu()); }

// Makes every CPU in mask other than this one drop its TLB entries of
// user space, and returns once they all have. Called with the lock held
// after a mapping changed in an address space live on those CPUs.
void arch_tlb_shootdown(u64 mask)
{
    struct cpu *self = this_cpu();
    mask &= ~self->bit;
    for (int i = 0; i < ncpus; i++)
        if (mask & cpus[i].bit) {
            cpus[i].tlb_flush = 1;
            arch_send_ipi(&cpus[i], VEC_TLB);
        }
    for (int i = 0; i < ncpus; i++)
        if (mask & cpus[i].bit)
            while (__atomic_load_n(&cpus[i].tlb_flush, __ATOMIC_ACQUIRE))
                __builtin_ia32_pause();
}
