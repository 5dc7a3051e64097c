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

#define WILD_REGS 4                       // fault_kind: a wild fault's registers

// A wild fault's registers: about half of them get random values.
static void wild_regs(struct thread *t, u64 seed)
{
    u64 *regs = &t->tf->r15;
    for (int i = 0; i < 15; i++)
        if (rng_next(&seed) & 1)
            regs[i] = rng_next(&seed);
}

// Changes t's saved user state (and its process's memory) as fault kind
// says. t is not running: blocked, ready, or the current thread on its
// way back to user mode (leaving). A syscall keeps only some registers in
// its trapframe, so a wild fault's registers wait for t's way out of the
// kernel (attn), where the syscall exit fills the whole frame.
static long fault_apply(struct thread *t, u64 kind, u64 seed, bool leaving)
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
    } else {                                          // wild: memory and registers
        scribble(p, &seed, 16);
        if (leaving) {
            wild_regs(t, seed);
        } else {
            t->fault_kind = WILD_REGS;
            t->fault_seed = seed;
            t->attn = 1;
        }
    }
    return 0;
}

// A fault that waited for t to leave the kernel on its CPU (from
// sched_kernel_exit): one injected while t ran on another CPU, or a wild
// fault's registers. True if t's registers changed.
bool proc_fault_apply(struct thread *t)
{
    u64 kind = t->fault_kind;
    t->fault_kind = 0;
    if (kind == WILD_REGS)
        wild_regs(t, t->fault_seed);
    else if (kind)
        fault_apply(t, kind, t->fault_seed, true);
    return kind != 0;
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
        t->attn = 1;
        sched_interrupt(t);
        return 0;
    }
    return fault_apply(t, kind, seed, false);
}
