// Fault injection for the supervisor's tests (svc fault): the kernel makes
// a process take a real CPU fault, spin without end, or run on with random
// registers and random words of its writable memory overwritten.
#include "object.h"

#define HANG_VADDR 0x00007fffffffe000ul   // a page holding "jmp ." (EB FE)

static u64 rng_next(u64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

// The first live thread of p, taken out of any wait so that it returns
// to user mode (with -E_DEAD as its syscall result) at its next turn.
static struct thread *victim(struct proc *p)
{
    if (list_empty(&p->threads))
        return NULL;
    struct thread *t = container_of(p->threads.next, struct thread, proc_link);
    if (t->state != T_RUNNING && t->state != T_READY) {
        thread_unwait(t);
        sched_wake(t, -E_DEAD);
    }
    return t;
}

// Where programs keep writable data: ELF data, the heap, the stack.
static const u64 regions[3][2] = {
    { 0x400000, 0x1000000 },
    { 0x600000000000, 0x600001000000 },
    { 0x7fffffec0000, 0x7ffffff00000 },
};

// Overwrites `words` random 8-byte words of p's writable user memory.
static void scribble(struct proc *p, u64 *seed, int words)
{
    for (int i = 0, tries = 0; i < words && tries < 10000; tries++) {
        const u64 *r = regions[rng_next(seed) % 3];
        u64 va = (r[0] + rng_next(seed) % (r[1] - r[0])) & ~7ul;
        u64 val = rng_next(seed);
        if (vm_copy(p->as, va, NULL, (u64)&val, 8) == 0)
            i++;
    }
}

// Changes t's saved user state (and its process's memory) as fault kind
// says. t is not running: blocked, ready, or the current thread on its
// way back to user mode.
static long fault_apply(struct thread *t, u64 kind, u64 seed)
{
    struct proc *p = t->proc;
    seed |= 1;
    if (kind == 1) {                                  // crash: jump to address 0
        t->tf->rip = 0;
    } else if (kind == 2) {                           // hang: spin in user mode
        static const u8 spin[2] = { 0xeb, 0xfe };
        if (as_map(p->as, HANG_VADDR, PAGE_SIZE, PROT_READ | PROT_EXEC) ||
            vm_poke(p->as, HANG_VADDR, NULL, (u64)spin, sizeof(spin)))
            return -E_NOMEM;
        t->tf->rip = HANG_VADDR;
    } else {                                          // wild: registers and memory
        u64 *regs = &t->tf->r15;
        for (int i = 0; i < 15; i++)
            if (rng_next(&seed) & 1)
                regs[i] = rng_next(&seed);
        scribble(p, &seed, 16);
    }
    return 0;
}

// A fault injected while t ran on another CPU, applied as t leaves the
// kernel on its CPU (sched_kernel_exit, after the IPI that sent it there).
void proc_fault_apply(struct thread *t)
{
    u64 kind = t->fault_kind;
    t->fault_kind = 0;
    fault_apply(t, kind, t->fault_seed);
}

long proc_fault(struct proc *p, u64 kind, u64 seed)
{
    if (p->state != PROC_RUNNING || p == current->proc)
        return -E_INVAL;
    if (kind < 1 || kind > 3)
        return -E_INVAL;
    struct thread *t = victim(p);
    if (!t)
        return -E_DEAD;
    if (sched_thread_cpu(t)) {                        // running on another CPU
        t->fault_kind = (u8)kind;
        t->fault_seed = seed;
        sched_interrupt(t);
        return 0;
    }
    return fault_apply(t, kind, seed);
}
