// The big kernel lock. One CPU at a time runs kernel code: the lock is
// taken on every entry from user mode (the syscall entry in entry.asm,
// trap_dispatch for interrupts and exceptions) and by an idle loop (the
// idle thread's, or a CPU waiting in place on a blocked thread: sched.c)
// when an interrupt wakes it, and released on the way back to user mode
// and by an idle loop before it halts. A context switch happens with
// the lock held: the lock belongs to the CPU, not to the thread, and the
// thread switched to releases it when it leaves the kernel.
//
// A CPU that finds the lock taken spins a little, then sleeps (halts)
// until the lock is handed to it: under an emulator or hypervisor whose
// CPUs are threads of a busier host, a spinning CPU would take host time
// from the very CPU that holds the lock. The lock word says who sleeps:
// bit 0 is the lock, bit 1 + n is CPU n asleep. A release that finds
// sleepers takes the lock again at once for one of them (in turn) and
// wakes it with an IPI: a CPU that keeps entering the kernel cannot
// starve a sleeping one.
//
// Lock order: there is one lock, so no order to get wrong. The only other
// waits between CPUs are the TLB shootdown (arch_tlb_shootdown waits, with
// the lock held, for the others to flush) and the stop IPI of a panic;
// both are answered without the lock, also by a CPU spinning or sleeping
// for it, so no wait can close a cycle. No lock is ever held in user mode.
#include "kernel.h"
#include <arch/cpu.h>

#define SPINS 256                 // looks at the lock before sleeping

volatile u32 big_lock;

// Flushes this CPU's TLB if a shootdown asked for it.
static inline void tlb_flush_if_asked(struct cpu *c)
{
    if (c->tlb_flush) {
        write_cr3(read_cr3());
        __atomic_store_n(&c->tlb_flush, 0, __ATOMIC_RELEASE);
    }
}

static bool try_lock(void)
{
    u32 v = big_lock;
    return !(v & 1) && __atomic_compare_exchange_n(&big_lock, &v, v | 1, false,
                                                   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static volatile int handed_to = -1;        // the CPU a release handed the lock to

void kernel_lock(void)
{
    struct cpu *c = this_cpu();
    u32 me = 2u << c->id;
    for (;;) {
        for (int i = 0; i < SPINS; i++) {
            if (try_lock())
                return;
            tlb_flush_if_asked(c);
            __builtin_ia32_pause();
        }
        u32 v = big_lock;                    // still taken: sleep, saying so
        if (!(v & 1) || !__atomic_compare_exchange_n(&big_lock, &v, v | me, false,
                                                     __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            continue;
        while (__atomic_load_n(&handed_to, __ATOMIC_ACQUIRE) != c->id) {
            arch_lock_sleep();               // a release (or a shootdown) wakes us
            tlb_flush_if_asked(c);
        }
        handed_to = -1;                      // ours: the lock stays taken
        __atomic_and_fetch(&big_lock, ~me, __ATOMIC_RELAXED);
        return;
    }
}

// kernel_unlock found CPUs asleep for the lock: unless another CPU took it
// meanwhile (its release will look again), takes it for the next sleeper
// after the last one served and wakes that one.
void kernel_lock_wake(void)
{
    static int last;
    u32 sleepers = big_lock >> 1;
    if (!sleepers || !try_lock())
        return;
    sleepers = big_lock >> 1;
    for (int k = 1; k <= MAX_CPUS; k++) {
        int i = (last + k) % MAX_CPUS;
        if (i < ncpus && (sleepers & (1u << i))) {
            last = i;
            __atomic_store_n(&handed_to, i, __ATOMIC_RELEASE);
            arch_send_ipi(&cpus[i], VEC_WAKE);
            return;
        }
    }
    kernel_unlock();                         // they all woke meanwhile
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
