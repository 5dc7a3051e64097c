// System call dispatch: the table comes from the one list in
// uapi/syscalls.h. Each handler reads its arguments from the trapframe
// (rdi rsi rdx r10 r8 r9) and returns the value for rax. Every user
// pointer goes through copy_in/copy_out, every handle through a lookup.
#include "object.h"
#include "uapi/syscalls.h"

typedef long (*syscall_fn)(struct trapframe *tf);
long sys_call(struct trapframe *tf);
long sys_reply_recv(struct trapframe *tf);
long sys_trace(struct trapframe *tf);                 // trace.c
long sys_call_entry(struct trapframe *tf);           // fastipc.asm
long sys_reply_recv_entry(struct trapframe *tf);

#define A0 tf->rdi
#define A1 tf->rsi
#define A2 tf->rdx
#define A3 tf->r10
#define A4 tf->r8
#define A5 tf->r9

static struct handle_table *my_handles(void) { return current->proc->handles; }

// Looks up a handle of the current process; returns its object or NULL
// with *err set.
static void *lookup(long h, u32 type, u32 rights, struct handle **out, long *err)
{
    struct handle *hd;
    int e = handle_lookup(my_handles(), h, type, rights, &hd);
    if (e) {
        *err = e;
        return NULL;
    }
    if (out)
        *out = hd;
    return hd->obj;
}

#define LOOKUP(var, h, type, rights) \
    long err_ = 0; \
    var = lookup((long)(h), type, rights, NULL, &err_); \
    if (!var) \
        return err_;

static long install(struct kobj *o, u32 rights)
{
    if (!o)
        return -E_NOMEM;
    long h = handle_install(my_handles(), o, rights, 0);
    if (h < 0 && o->refs == 0)
        kobj_destroy(o);
    return h;
}

static long sys_log(struct trapframe *tf)
{
    char buf[256];
    if (A1 > sizeof(buf))
        return -E_INVAL;
    if (copy_in(current->proc->as, buf, A0, A1))
        return -E_FAULT;
    kputs_raw(buf, A1);
    return 0;
}

static long sys_yield(struct trapframe *tf) { (void)tf; return sched_yield(); }

static long sys_exit(struct trapframe *tf)
{
    proc_kill(current->proc, PROC_EXITED, (int)A0);
    return 0;
}

static long sys_thread_exit(struct trapframe *tf)
{
    (void)tf;
    struct proc *p = current->proc;
    thread_kill(current);
    if (list_empty(&p->threads))
        proc_kill(p, PROC_EXITED, 0);
    return 0;
}

static long prio_ok(u64 prio)
{
    return prio <= PRIO_MAX && (int)prio <= current->base_prio;
}

static long sys_thread_create(struct trapframe *tf)
{
    struct proc *p;
    LOOKUP(p, A0, KOBJ_PROC, R_MANAGE);
    if (!arch_user_rip_ok(A1) || A2 >= USER_TOP || !prio_ok(A4))
        return -E_INVAL;
    struct thread *t = thread_create(p, A1, A2, A3, (int)A4);
    if (!t)
        return -E_NOMEM;
    long h = install(&t->obj, R_MANAGE | R_GRANT);
    if (h < 0)
        thread_kill(t);                     // no handle, no thread
    return h;
}

static long sys_thread_prio(struct trapframe *tf)
{
    struct thread *t;
    LOOKUP(t, A0, KOBJ_THREAD, R_MANAGE);
    if (!prio_ok(A1))
        return -E_INVAL;
    if (t->state != T_DEAD) {
        t->base_prio = (int)A1;
        ipc_prio_update(t);          // what it inherits still counts
    }
    return 0;
}

static long sys_proc_create(struct trapframe *tf)
{
    char name[32] = { 0 };
    struct notif *n = NULL;
    if (A1 >= sizeof(name))
        return -E_INVAL;
    if (copy_in(current->proc->as, name, A0, A1))
        return -E_FAULT;
    if ((long)A2 >= 0) {
        LOOKUP(n, A2, KOBJ_NOTIF, R_SIGNAL);
    }
    struct proc *p = proc_create(name, n, A3);
    if (!p)
        return -E_NOMEM;
    long h = install(&p->obj, R_MANAGE | R_KILL | R_GRANT);
    if (h < 0)
        proc_kill(p, PROC_KILLED, 0);       // frees it: only its own handle is left
    return h;
}

static long sys_proc_kill(struct trapframe *tf)
{
    struct proc *p;
    LOOKUP(p, A0, KOBJ_PROC, R_KILL);
    proc_kill(p, PROC_KILLED, 0);
    return 0;
}

static long sys_proc_status(struct trapframe *tf)
{
    struct proc *p;
    LOOKUP(p, A0, KOBJ_PROC, R_KILL);
    if (A1 && copy_out(current->proc->as, A1, &p->exit, sizeof(p->exit)))
        return -E_FAULT;
    return (long)(((u64)p->state << 32) | (u32)p->code);
}

static struct proc *live_proc(struct trapframe *tf, long *err)
{
    struct proc *p = lookup((long)A0, KOBJ_PROC, R_MANAGE, NULL, err);
    if (p && p->state != PROC_RUNNING) {
        *err = -E_DEAD;
        return NULL;
    }
    return p;
}

static long sys_vm_map(struct trapframe *tf)
{
    long err = 0;
    struct proc *p = live_proc(tf, &err);
    return p ? as_map(p->as, A1, A2, (int)A3) : err;
}

static long sys_vm_unmap(struct trapframe *tf)
{
    long err = 0;
    struct proc *p = live_proc(tf, &err);
    return p ? as_unmap(p->as, A1, A2) : err;
}

static long sys_vm_write(struct trapframe *tf)
{
    long err = 0;
    struct proc *p = live_proc(tf, &err);
    return p ? vm_poke(p->as, A1, current->proc->as, A2, A3) : err;
}

static long sys_handle_grant(struct trapframe *tf)
{
    long err = 0;
    struct proc *p = live_proc(tf, &err);
    struct handle *h;
    if (!p)
        return err;
    if (!lookup((long)A1, KOBJ_NONE, R_GRANT, &h, &err))
        return err;
    return handle_copy(p->handles, my_handles(), (long)A1, (u32)A2, A3);
}

static long sys_handle_close(struct trapframe *tf) { return handle_close(my_handles(), (long)A0); }

static long sys_handle_mint(struct trapframe *tf)
{
    return handle_copy(my_handles(), my_handles(), (long)A0, (u32)A1, A2);
}

static long sys_endpoint_create(struct trapframe *tf)
{
    (void)tf;
    struct endpoint *ep = endpoint_create();
    return install(ep ? &ep->obj : NULL, R_SEND | R_RECV | R_GRANT);
}

static long sys_notif_create(struct trapframe *tf)
{
    (void)tf;
    struct notif *n = notif_create();
    return install(n ? &n->obj : NULL, R_SIGNAL | R_WAIT | R_GRANT);
}

static long sys_notif_signal(struct trapframe *tf)
{
    struct notif *n;
    LOOKUP(n, A0, KOBJ_NOTIF, R_SIGNAL);
    notif_signal(n, A1);
    return 0;
}

static long sys_notif_wait(struct trapframe *tf)
{
    struct notif *n;
    LOOKUP(n, A0, KOBJ_NOTIF, R_WAIT);
    return notif_wait(n);
}

// call(handle | timeout_ms << 32, tag, w0, w1, w2, bufs); timeout 0: none.
// call and reply_recv: fastipc.asm's sys_call_entry and
// sys_reply_recv_entry try the IPC fast path (fastpath.c) first, and
// come here only if it did not apply.
long sys_call(struct trapframe *tf)
{
    struct handle *h;
    long err = 0;
    if (!lookup((int)A0, KOBJ_ENDPOINT, R_SEND, &h, &err))
        return err;
    return ipc_call(h, tf);
}

// recv(handle | timeout_ms << 32, -, -, -, -, bufs)
static long sys_recv(struct trapframe *tf)
{
    struct endpoint *ep;
    LOOKUP(ep, (int)A0, KOBJ_ENDPOINT, R_RECV);
    return ipc_recv(ep, A5, A0 >> 32);
}

// recv_buf(buf, max): the calling thread's receive buffer, which recv and
// reply_recv use when they are given no struct ipc_bufs (0, 0: none, as
// before the first call), so that a server need not pass one on every
// request. Only recv and reply_recv: a call without bufs still takes no
// payload in its reply.
static long sys_recv_buf(struct trapframe *tf)
{
    if (A0 >= USER_TOP || A1 > USER_TOP - A0)
        return -E_FAULT;
    current->rbuf = A0;
    current->rbuf_max = A1;
    return 0;
}

// reply(token, tag, w0, w1, w2, bufs): the token is in rdi, so the
// message registers are the same as for call.
static long sys_reply(struct trapframe *tf) { return ipc_reply((u32)A0, tf, false); }

// reply_recv(handle | token << 32, tag, w0, w1, w2, bufs)
long sys_reply_recv(struct trapframe *tf)
{
    return ipc_reply((u32)(A0 >> 32), tf, true);
}

static long sys_irq_get(struct trapframe *tf)
{
    struct kobj *root;
    LOOKUP(root, A0, KOBJ_ROOT, R_MANAGE);
    struct kobj *o = irq_get((int)A1);
    return o ? install(o, R_WAIT | R_GRANT) : -E_BUSY;
}

static long sys_irq_bind(struct trapframe *tf)
{
    struct irq_line *l;
    struct notif *n;
    {
        LOOKUP(l, A0, KOBJ_IRQ, R_WAIT);
    }
    LOOKUP(n, A1, KOBJ_NOTIF, R_SIGNAL);
    return irq_bind(l, n, A2);
}

static long sys_irq_ack(struct trapframe *tf)
{
    struct irq_line *l;
    LOOKUP(l, A0, KOBJ_IRQ, R_WAIT);
    irq_ack(l);
    return 0;
}

// Acknowledges and waits in one step: an interrupt that is already due
// arrives once the caller is blocked, never in between.
static long sys_irq_wait(struct trapframe *tf)
{
    struct irq_line *l;
    LOOKUP(l, A0, KOBJ_IRQ, R_WAIT);
    if (!l->notif)
        return -E_STATE;                          // not bound
    irq_ack(l);
    return notif_wait(l->notif);
}

static long sys_ioport_get(struct trapframe *tf)
{
    struct kobj *root;
    LOOKUP(root, A0, KOBJ_ROOT, R_MANAGE);
    struct kobj *o = ioport_get(A1, A2);
    return o ? install(o, R_WAIT | R_GRANT) : -E_INVAL;
}

static long sys_ioport_enable(struct trapframe *tf)
{
    struct ioport *io;
    LOOKUP(io, A0, KOBJ_IOPORT, R_WAIT);
    return ioport_enable(current->proc, io);
}

static long sys_time(struct trapframe *tf) { (void)tf; return (long)(sched_ticks() * 1000000); }

// Under QEMU's -icount the time stamp counter counts instructions, plus
// the jumps of the clock while the CPU waits in hlt; this is the count
// without the waits: instructions executed (make bench).
static long sys_busy_tsc(struct trapframe *tf) { (void)tf; return (long)(rdtsc() - sched_idle_tsc()); }

static long sys_boot_tsc(struct trapframe *tf)
{
    extern u64 boot_tsc;                          // linked low, in boot.asm
    (void)tf;
    return (long)*(u64 *)P2V((u64)&boot_tsc);
}

static long sys_tick_info(struct trapframe *tf)
{
    struct tick_info ti = { this_cpu()->timer_irq_tsc, sched_ticks(), sched_tick_woken() };
    return copy_out(current->proc->as, A0, &ti, sizeof(ti));
}

static long sys_mem_info(struct trapframe *tf)
{
    struct mem_info mi = { page_total_count(), page_free_count() };
    return copy_out(current->proc->as, A0, &mi, sizeof(mi));
}

static long sys_wallclock(struct trapframe *tf)
{
    (void)tf;
    return (long)(boot_epoch * 1000000000ul + sched_ticks() * 1000000);
}

static long sys_sleep(struct trapframe *tf)
{
    if (A0 > 1000ul * 3600 * 24)
        return -E_INVAL;
    sched_sleep(A0);
    return 0;
}

static long sys_thread_self(struct trapframe *tf) { (void)tf; return current->token & (MAX_THREADS - 1); }
static long sys_proc_self(struct trapframe *tf) { (void)tf; return current->proc->pid; }

static long sys_proc_pid(struct trapframe *tf)
{
    struct proc *p;
    LOOKUP(p, A0, KOBJ_PROC, 0);
    return p->pid;
}

static long sys_proc_info(struct trapframe *tf)
{
    struct kobj *root;
    struct proc_info info;
    LOOKUP(root, A0, KOBJ_ROOT, R_MANAGE);
    int err = proc_info(A1, &info);
    if (err)
        return err;
    return copy_out(current->proc->as, A2, &info, sizeof(info));
}

static long sys_mmio_get(struct trapframe *tf)
{
    struct kobj *root;
    LOOKUP(root, A0, KOBJ_ROOT, R_MANAGE);
    struct kobj *o = mmio_get(A1, A2);
    return o ? install(o, R_MANAGE | R_GRANT) : -E_INVAL;
}

static long sys_mmio_map(struct trapframe *tf)
{
    struct mmio *m;
    LOOKUP(m, A0, KOBJ_MMIO, R_MANAGE);
    return as_map_phys(current->proc->as, A1, m->pa, m->len,
                       PROT_READ | PROT_WRITE | PROT_DEVICE);
}

static long sys_endpoint_bind(struct trapframe *tf)
{
    struct endpoint *ep;
    struct notif *n;
    {
        LOOKUP(ep, A0, KOBJ_ENDPOINT, R_RECV);
    }
    LOOKUP(n, A1, KOBJ_NOTIF, R_WAIT);
    return endpoint_bind(ep, n);
}

static long sys_proc_fault(struct trapframe *tf)
{
    struct proc *p;
    LOOKUP(p, A0, KOBJ_PROC, R_KILL);
    return proc_fault(p, A1, A2);
}

// dma_alloc(root, vaddr, len): needs the root capability's R_DMA right,
// which init grants alone (without R_MANAGE) to the drivers of DMA devices.
static long sys_dma_alloc(struct trapframe *tf)
{
    struct kobj *root;
    LOOKUP(root, A0, KOBJ_ROOT, R_DMA);
    return dma_alloc(current->proc, A1, A2);
}

static long sys_cpu_info(struct trapframe *tf)
{
    if (A0 >= (u64)ncpus)
        return -E_NOENT;
    struct cpu *c = &cpus[A0];
    struct thread *t = c->thread;
    struct cpu_info ci = { c->ticks, c->idle_tsc, c->id, t->proc ? t->proc->pid : 0,
                           t->proc ? t->prio : -1, 0 };
    return copy_out(current->proc->as, A1, &ci, sizeof(ci));
}

static long sys_thread_cpus(struct trapframe *tf)
{
    struct thread *t;
    LOOKUP(t, A0, KOBJ_THREAD, R_MANAGE);
    return t->state == T_DEAD ? -E_DEAD : sched_set_cpus(t, A1);
}

static long sys_proc_cpus(struct trapframe *tf)
{
    long err = 0;
    struct proc *p = live_proc(tf, &err);
    if (!p)
        return err;
    for (struct list *l = p->threads.next; l != &p->threads; l = l->next)
        if ((err = sched_set_cpus(container_of(l, struct thread, proc_link), A1)))
            return err;
    if (list_empty(&p->threads) && (err = sched_set_cpus(NULL, A1)))
        return err;
    p->cpus = A1;
    return 0;
}

static long sys_cpu_self(struct trapframe *tf) { (void)tf; return this_cpu()->id; }

static long sys_nosys(struct trapframe *tf) { (void)tf; return -E_NOSYS; }

// The table entry.asm dispatches through; every slot filled (numbers not
// in the list: sys_nosys), so it needs no NULL check. Written once, at
// boot, by syscall_no_fastpath.
#define SYS_ENTRY_(num, name, argc) [num] = sys_##name,
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
syscall_fn syscall_table[SYS_COUNT] = {
    [0 ... SYS_COUNT - 1] = sys_nosys,
    SYSCALL_LIST(SYS_ENTRY_)
    [SYS_call] = sys_call_entry,
    [SYS_reply_recv] = sys_reply_recv_entry,
};
#pragma GCC diagnostic pop

// The kernel command line word "nofastpath": call and reply_recv go
// straight to the general path (ipc.c), fastpath.c is never entered.
void syscall_no_fastpath(void)
{
    syscall_table[SYS_call] = sys_call;
    syscall_table[SYS_reply_recv] = sys_reply_recv;
}
_Static_assert(SYS_COUNT == 57 && E_NOSYS == 1, "numbers in entry.asm");
_Static_assert(offsetof(struct thread, attn) == 105 && offsetof(struct thread, wake_result) == 136,
               "THREAD_ offsets in entry.asm");

// From entry.asm, before the syscall, for a thread with attn set: one
// killed from another CPU leaves here for good; any other goes on with
// its syscall (a pending fault waits for the exit).
void syscall_attention(void)
{
    if (current->state == T_DEAD)
        sched_kernel_exit();
}

// A CPU exception in user mode ends the process, never the kernel.
// A page fault in arch_user_copy on the current process's memory: true if
// it touched a lazy page, now given its frame (the copy is retried).
bool fault_copy_fill(u64 error, u64 addr)
{
    struct proc *p = current->proc;
    return !(error & 1) && p && p->as && as_fault_fill(p->as, addr);
}

void fault_user(struct trapframe *tf)
{
    struct proc *p = current->proc;
    if (current->state == T_DEAD)
        return;                                     // killed from another CPU
    u64 addr = tf->vector == 14 ? read_cr2() : tf->rip;
    if (tf->vector == 14 && !(tf->error & 1) && as_fault_fill(p->as, addr))
        return;                                     // a lazy page, given now: retried
    kprintf("[kernel] process %d (%s) killed: %s at %lx (rip %lx)\n", p->pid, p->name,
            arch_exception_name(tf->vector), addr, tf->rip);
    p->exit = (struct proc_exit){ addr, tf->rip };
    trace_fault(current, tf->vector, addr);
    proc_kill(p, PROC_FAULTED, (int)tf->vector);
}
