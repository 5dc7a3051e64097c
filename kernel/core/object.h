// Kernel objects: processes, threads, endpoints, notifications, IRQ lines
// and I/O-port ranges, and the functions that create and destroy them.
#ifndef OBJECT_H
#define OBJECT_H
#include "kernel.h"
#include "handle.h"
#include "mm/mm.h"
#include "sched/runq.h"
#include "trace.h"
#include <arch/cpu.h>

struct endpoint;
enum thread_state { T_READY, T_RUNNING, T_SEND, T_REPLY, T_RECV, T_NOTIF, T_SLEEP, T_DEAD };

#define PROC_DMA_RUNS 4
struct proc {
    struct kobj obj;
    int pid, ppid;
    char name[32];
    struct addrspace *as;
    u64 cr3;                      // as's top page table, physical (the IPC fast path loads it)
    struct handle_table *handles;
    struct list threads;          // thread.proc_link
    struct list callers;          // threads waiting for our reply (thread.link)
    struct list all_link;
    u8 *iopb;                     // I/O permission bitmap, NULL: no ports
    u64 cpus;                     // CPU set new threads start with
    int state, code;              // PROC_RUNNING, PROC_EXITED ...
    struct proc_exit exit;        // fault address when PROC_FAULTED
    struct notif *death_notif;
    u64 death_bits;
    u64 ticks, calls, served;     // for top: CPU time in ticks, IPC calls made and taken
    struct { u64 pa, pages; } dma[PROC_DMA_RUNS];   // dma_alloc's frames (mm/dma.c)
};

struct thread {
    struct kobj obj;
    struct list link;             // run queue, endpoint queue or server's callers
    struct list proc_link;
    struct proc *proc;            // NULL for the idle thread
    u64 ksp;
    u8 *kstack;
    struct trapframe *tf;         // user state, at the top of kstack
    int prio;                     // effective: base or inherited over IPC
    int base_prio;                // as created or set by thread_prio
    int state;
    int slice;
    int last_cpu;                 // the CPU it runs on or ran on last
    u64 cpus;                     // the CPUs it may run on (bit n: CPU n)
    u8 fault_kind;                // proc_fault to apply as it leaves the kernel
    u8 attn;                      // look before it returns: dead, or fault_kind set
    bool timed;                   // timer_link is in the timeout list (beside attn:
                                  // fastipc.asm tests both at once)
    u64 fault_seed;
    u32 token;                    // reply token: index | generation << 10
    u64 wake_tick;
    long wake_result;             // returned by the blocked syscall
    // IPC: the message being sent and where replies go.
    struct endpoint *ep;          // endpoint queued on (T_SEND, T_RECV)
    struct proc *server;          // who holds our call (T_REPLY)
    struct thread *handler;       // the server thread that took our call
    struct thread *serving;       // the caller we work for (priority inheritance)
    struct endpoint *serves;      // endpoint we last received on
    struct list serve_link;       // on serves->servers
    struct list timer_link;       // on the timeout list while armed
    u64 deadline;                 // tick at which an IPC wait times out
    u64 msg_tag, msg_w[3], msg_badge;
    struct ipc_bufs bufs;
    u64 rbuf, rbuf_max;           // receive buffer when recv gets no bufs (recv_buf)
    struct handle xfer;           // handle being passed (TAG_HANDLE)
    struct notif *notif;          // waited on (T_NOTIF)
    struct fpu_state fpu;
};

struct endpoint {
    struct kobj obj;
    struct list senders;          // T_SEND threads, by priority
    struct list receivers;        // T_RECV threads
    struct list servers;          // threads that receive here (serve_link)
    u32 recv_handles;             // live handles with R_RECV
    struct notif *bound;          // its bits are also received here
};

struct notif {
    struct kobj obj;
    u64 bits;
    struct thread *waiter;
    struct endpoint *bound_ep;    // set by endpoint_bind
};

struct mmio {
    struct kobj obj;
    u64 pa, len;
};

struct irq_line {
    struct kobj obj;
    int irq;
    struct notif *notif;
    u64 bits;
    u64 tick;                     // the clock tick of the last interrupts
    u32 in_tick;                  // how many came in that tick
    bool storm;                   // throttled since it was bound (said once)
};

struct ioport {
    struct kobj obj;
    u32 base, count;
};

#define KSTACK_PAGES 4
#define MAX_THREADS  1024

// The thread running on this CPU. The same value wherever the calling
// thread is resumed, so the compiler may keep it across a switch.
static inline struct thread *current_thread(void)
{
    struct thread *t;
    __asm__("mov %%gs:24, %0" : "=r"(t));
    return t;
}
#define current current_thread()
extern u64 boot_epoch;
extern struct kobj root_obj;

// proc.c
struct proc *proc_create(const char *name, struct notif *death, u64 bits);
int proc_info(u64 index, struct proc_info *out);
void proc_kill(struct proc *p, int state, int code);
struct thread *thread_create(struct proc *p, u64 entry, u64 stack, u64 arg, int prio);
void thread_kill(struct thread *t);
void thread_unwait(struct thread *t);
long proc_fault(struct proc *p, u64 kind, u64 seed);
bool proc_fault_apply(struct thread *t);
// kcheck.c: the consistency check, on when the command line says test or kcheck
extern bool kcheck_enabled;
long sys_kcheck(struct trapframe *tf);
// The thread a reply token names, or NULL if it is gone (or renamed).
extern struct thread *thread_table[MAX_THREADS];
static inline struct thread *thread_by_token(u32 token)
{
    struct thread *t = thread_table[token & (MAX_THREADS - 1)];
    return t && t->token == token ? t : NULL;
}
void thread_new_token(struct thread *t);
void kobj_destroy(struct kobj *o);
void thread_reap(struct thread *t);
void proc_finish(struct proc *p);

// sched.c
void sched_init(void);
void sched_ready(struct thread *t);
void sched_block(int state);
long sched_yield(void);
void sched_wake(struct thread *t, long result);
void sched_unqueue(struct thread *t);
void sched_set_prio(struct thread *t, int prio);
void sched_sleep(u64 ms);
void sched_timeout_arm(struct thread *t, u64 ms);
void sched_cpu_init(struct cpu *c);
struct cpu *sched_thread_cpu(struct thread *t);
void sched_interrupt(struct thread *t);
bool sched_proc_on_cpu(const struct proc *p);
long sched_set_cpus(struct thread *t, u64 mask);

// Takes t off the timeout list if a timed IPC wait armed it.
static inline void sched_timeout_disarm(struct thread *t)
{
    if (unlikely(t->timed)) {
        list_remove(&t->timer_link);
        t->timed = false;
    }
}
u64 sched_ticks(void);
u64 sched_idle_tsc(void);
u64 sched_tick_woken(void);
_Noreturn void sched_start(void);
bool sched_kernel_exit(void);
void sched_reap_zombie(void);

// Runs next, which is in no queue, instead of the current thread prev,
// which the caller has already put in an IPC wait (the IPC fast path;
// inline there) on this CPU c (prev is c->thread, passed so the compiler
// does not load it again after the caller's stores). Both are live user
// threads, so switch_to's cases for the idle thread, the boot thread and
// a dying one do not arise; the I/O bitmap is reloaded only when one of
// the two processes has one (without, the TSS has none). The current
// thread is parked (arch_park): whoever runs it next returns it to user
// mode with its wake_result.
static inline __attribute__((always_inline)) _Noreturn void
sched_direct(struct cpu *c, struct thread *prev, struct thread *next)
{
    struct proc *pp = prev->proc, *np = next->proc;
    if (unlikely(c->zombie))
        sched_reap_zombie();              // its stack is no longer in use
    arch_fpu_save(&prev->fpu);
    next->state = T_RUNNING;
    next->last_cpu = c->id;
    c->thread = next;
    if (pp != np) {
        write_cr3(np->cr3);                            // as_activate, inline
        if (unlikely(pp->iopb || np->iopb))
            arch_iopb_load(np->iopb);
    }
    arch_set_kstack(c, (u64)next->kstack + KSTACK_PAGES * PAGE_SIZE);
    arch_fpu_restore(&next->fpu);
    arch_park(&prev->ksp, (u64)prev->tf - PARK_FRAME, next->ksp);
}
extern struct runq sched_runq;
// True if no ready thread outranks priority prio (0..63).
static inline bool sched_none_above(int prio) { return !(sched_runq.bitmap >> prio >> 1); }

// ipc.c
struct endpoint *endpoint_create(void);
void ipc_cancel(struct thread *t);
void ipc_proc_died(struct proc *p);
void endpoint_recv_gone(struct endpoint *ep);
long ipc_call(struct handle *h, struct trapframe *tf);
long ipc_recv(struct endpoint *ep, u64 bufs, u64 timeout_ms);
void ipc_timeout(struct thread *t);
void ipc_thread_died(struct thread *t);
void ipc_prio_update(struct thread *t);
long ipc_reply(u32 token, struct trapframe *tf, bool then_recv);
bool fast_call(struct trapframe *tf);
void syscall_no_fastpath(void);                 // syscall.c: the "nofastpath" switch
bool fast_reply_recv(struct trapframe *tf);
long endpoint_bind(struct endpoint *ep, struct notif *n);
bool ipc_notify_receiver(struct notif *n);
void endpoint_destroy(struct endpoint *ep);
void notif_destroy(struct notif *n);

// notif.c
struct notif *notif_create(void);
void notif_signal(struct notif *n, u64 bits);
long notif_wait(struct notif *n);
struct kobj *irq_get(int irq);
long irq_bind(struct irq_line *l, struct notif *n, u64 bits);
void irq_ack(struct irq_line *l);
void irq_tick(void);
void irq_destroy(struct irq_line *l);
struct kobj *ioport_get(u64 base, u64 count);
struct kobj *mmio_get(u64 pa, u64 len);
long ioport_enable(struct proc *p, struct ioport *io);

#endif
