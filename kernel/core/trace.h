// Kernel event tracing: the hooks the IPC paths, the scheduler, interrupts
// and process life call. Recording is off by default; then each hook is one
// test of trace_on, and the recording itself (trace.c) is out of line.
#ifndef TRACE_H
#define TRACE_H
#include "types.h"
#include "uapi/trace.h"

struct thread;
struct proc;
struct cpu;
extern bool trace_on;

void trace_ipc_rec(struct thread *from, struct thread *to, u64 tag, u64 badge, u64 len,
                   bool reply);
void trace_fast_rec(struct thread *from, struct thread *to, u64 tag, u64 badge, u64 len,
                    bool reply);
void trace_switch_rec(struct thread *prev, struct thread *next);
void trace_irq_rec(int irq);
void trace_notify_rec(struct thread *woken, u64 bits);
void trace_fault_rec(struct thread *t, u64 vector, u64 addr);
void trace_proc_rec(int type, struct proc *p);

// A message moved from `from` to `to` (general path): a call taken by a
// receiver (TR_CALL and TR_RECV) or a reply (TR_REPLY and TR_RETURN).
static inline void trace_ipc(struct thread *from, struct thread *to, u64 tag, u64 badge,
                             u64 len, bool reply)
{
    if (unlikely(trace_on))
        trace_ipc_rec(from, to, tag, badge, len, reply);
}

// The same from the fast path, which then switches straight to `to`:
// the context switch is recorded too (sched_direct has no hook).
static inline void trace_fast(struct thread *from, struct thread *to, u64 tag, u64 badge,
                              u64 len, bool reply)
{
    if (unlikely(trace_on))
        trace_fast_rec(from, to, tag, badge, len, reply);
}

static inline void trace_switch(struct thread *prev, struct thread *next)
{
    if (unlikely(trace_on))
        trace_switch_rec(prev, next);
}

static inline void trace_irq(int irq)
{
    if (unlikely(trace_on))
        trace_irq_rec(irq);
}

// A notification was signalled by the current thread (or the kernel);
// woken: the thread it wakes, NULL if none.
static inline void trace_notify(struct thread *woken, u64 bits)
{
    if (unlikely(trace_on))
        trace_notify_rec(woken, bits);
}

static inline void trace_fault(struct thread *t, u64 vector, u64 addr)
{
    if (unlikely(trace_on))
        trace_fault_rec(t, vector, addr);
}

// TR_START when p is created, TR_EXIT when it ends.
static inline void trace_proc(int type, struct proc *p)
{
    if (unlikely(trace_on))
        trace_proc_rec(type, p);
}

#endif
