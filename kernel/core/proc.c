// Processes and threads: creation, death and object lifetimes.
// A process dies as a whole (exit, fault or kill): its threads stop, its
// handles are closed, its memory is freed and its death is signalled.
#include "object.h"

struct kobj root_obj = { KOBJ_ROOT, 1 };
static struct list all_procs = { &all_procs, &all_procs };
struct thread *thread_table[MAX_THREADS];        // by token index (thread_by_token)
static u32 thread_gen[MAX_THREADS];
static int next_pid = 1;

void kobj_hold(struct handle *h)
{
    h->obj->refs++;
    if (h->obj->type == KOBJ_ENDPOINT && (h->rights & R_RECV))
        ((struct endpoint *)h->obj)->recv_handles++;
}

// A running process without threads that nothing but its own handle
// table refers to can never run: no one is left to give it a thread. It
// is ended, so that its memory and handles are freed.
static void proc_reap_unreachable(struct proc *p)
{
    if (p->state != PROC_RUNNING || !list_empty(&p->threads))
        return;
    u32 own = 0;
    for (long i = 0; i < HANDLES_MAX; i++)
        if (p->handles->slot[i].obj == &p->obj)
            own++;
    if (own == p->obj.refs)
        proc_kill(p, PROC_KILLED, 0);
}

void kobj_release(struct handle *h)
{
    struct kobj *o = h->obj;
    if (o->type == KOBJ_ENDPOINT && (h->rights & R_RECV) &&
        --((struct endpoint *)o)->recv_handles == 0)
        endpoint_recv_gone((struct endpoint *)o);
    if (--o->refs == 0)
        kobj_destroy(o);
    else if (o->type == KOBJ_PROC)
        proc_reap_unreachable((struct proc *)o);
}

// Frees an object whose last reference is gone.
void kobj_destroy(struct kobj *o)
{
    switch (o->type) {
    case KOBJ_PROC: {
        struct proc *p = (struct proc *)o;
        page_free_n(p->handles, ALIGN_UP(sizeof(struct handle_table), PAGE_SIZE) / PAGE_SIZE);
        dma_free(p);
        kfree(p, sizeof(*p));
        break;
    }
    case KOBJ_THREAD:
        kfree(o, sizeof(struct thread));
        break;
    case KOBJ_ENDPOINT:
        endpoint_destroy((struct endpoint *)o);
        break;
    case KOBJ_NOTIF:
        notif_destroy((struct notif *)o);
        break;
    case KOBJ_MMIO:
        kfree(o, sizeof(struct mmio));
        break;
    case KOBJ_IRQ:
        irq_destroy((struct irq_line *)o);
        break;
    case KOBJ_IOPORT:
        kfree(o, sizeof(struct ioport));
        break;
    }
}

struct proc *proc_create(const char *name, struct notif *death, u64 bits)
{
    struct proc *p = kalloc(sizeof(*p));
    if (!p)
        return NULL;
    p->handles = page_alloc_n(ALIGN_UP(sizeof(struct handle_table), PAGE_SIZE) / PAGE_SIZE);
    p->as = p->handles ? as_create() : NULL;
    if (!p->as) {
        if (p->handles)
            page_free_n(p->handles, ALIGN_UP(sizeof(struct handle_table), PAGE_SIZE) / PAGE_SIZE);
        kfree(p, sizeof(*p));
        return NULL;
    }
    p->cr3 = (u64)p->as->pml4 - PHYS_BASE;
    p->obj = (struct kobj){ KOBJ_PROC, 0 };
    p->pid = next_pid++;
    p->ppid = current && current->proc ? current->proc->pid : 0;
    for (int i = 0; name[i] && i < (int)sizeof(p->name) - 1; i++)
        p->name[i] = name[i];
    list_init(&p->threads);
    list_init(&p->callers);
    list_add_tail(&all_procs, &p->all_link);
    p->state = PROC_RUNNING;
    p->cpus = ~0ull;
    if (death) {
        p->death_notif = death;
        p->death_bits = bits;
        death->obj.refs++;
    }
    handle_install(p->handles, &p->obj, R_MANAGE | R_KILL, 0);   // H_SELF
    trace_proc(TR_START, p);
    return p;
}

static int thread_count(struct proc *p)
{
    int n = 0;
    for (struct list *l = p->threads.next; l != &p->threads; l = l->next)
        n++;
    return n;
}

// Creates a ready thread in p; NULL when out of memory or when p already
// has LIMIT_THREADS threads.
struct thread *thread_create(struct proc *p, u64 entry, u64 stack, u64 arg, int prio)
{
    int idx = 0;
    while (idx < MAX_THREADS && thread_table[idx])
        idx++;
    if (idx == MAX_THREADS || p->state != PROC_RUNNING || thread_count(p) >= LIMIT_THREADS)
        return NULL;
    struct thread *t = kalloc(sizeof(*t));
    u8 *kstack = t ? page_alloc_n(KSTACK_PAGES) : NULL;
    if (!kstack) {
        kfree(t, sizeof(*t));
        return NULL;
    }
    t->obj = (struct kobj){ KOBJ_THREAD, 1 };                   // "alive" ref
    t->proc = p;
    t->kstack = kstack;
    t->prio = t->base_prio = prio;
    t->slice = 10;
    t->cpus = p->cpus;
    t->last_cpu = this_cpu()->id;
    t->token = (u32)idx | (++thread_gen[idx] << 10);
    thread_table[idx] = t;
    list_init(&t->link);
    list_add_tail(&p->threads, &t->proc_link);
    p->obj.refs++;
    arch_fpu_init(&t->fpu);
    struct trapframe tf = { .rip = entry, .cs = 0x23, .rflags = 0x202, .rsp = stack,
                            .ss = 0x1b, .rdi = arg };
    u64 *top = (u64 *)(kstack + KSTACK_PAGES * PAGE_SIZE);
    t->tf = (struct trapframe *)top - 1;
    t->ksp = (u64)arch_thread_stack_init(top, &tf);
    sched_ready(t);
    return t;
}


// A new generation for t's token: replies meant for the old one fail.
void thread_new_token(struct thread *t)
{
    u32 idx = t->token & (MAX_THREADS - 1);
    t->token = idx | (++thread_gen[idx] << 10);
}

// Takes a thread out of whatever queue it waits in (run queue, sleep,
// IPC or notification); it is then in no queue at all.
void thread_unwait(struct thread *t)
{
    sched_unqueue(t);
    ipc_cancel(t);
    if (t->state == T_NOTIF && t->notif)
        t->notif->waiter = NULL;
}

// Stops a thread wherever it is waiting. Its memory goes at thread_reap:
// at once unless it runs on a CPU, this one or another; a CPU leaves a
// dead thread the next time it is in the kernel (another CPU is sent
// there by an IPI) and reaps it after the switch.
void thread_kill(struct thread *t)
{
    if (t->state == T_DEAD)
        return;
    thread_unwait(t);
    ipc_thread_died(t);
    t->state = T_DEAD;
    t->attn = 1;                                 // checked on syscall entry and exit
    thread_table[t->token & (MAX_THREADS - 1)] = NULL;
    list_remove(&t->proc_link);
    if (!sched_thread_cpu(t))
        thread_reap(t);
    else
        sched_interrupt(t);
}

// The end of a dead process, once no CPU runs a thread of it any more
// (else the last of them to leave its CPU comes here from switch_to):
// its address space goes, and only then is its death signalled, so that
// whoever waits for it never sees it still running somewhere.
void proc_finish(struct proc *p)
{
    if (p->state == PROC_RUNNING || !list_empty(&p->threads) || sched_proc_on_cpu(p))
        return;
    if (p->as) {
        as_destroy(p->as);
        p->as = NULL;
    }
    if (p->death_notif) {
        notif_signal(p->death_notif, p->death_bits);
        struct handle h = { &p->death_notif->obj, 0, 0 };
        p->death_notif = NULL;
        kobj_release(&h);
    }
}

// Frees a dead thread's stack (its CPU has left it); finishes its process
// if no CPU runs a thread of it any more.
void thread_reap(struct thread *t)
{
    struct proc *p = t->proc;
    page_free_n(t->kstack, KSTACK_PAGES);
    t->kstack = NULL;
    proc_finish(p);
    struct handle alive = { &p->obj, 0, 0 };
    if (--t->obj.refs == 0)
        kobj_destroy(&t->obj);
    kobj_release(&alive);                                      // the thread's ref on p
}

// Ends a process (PROC_EXITED, PROC_FAULTED or PROC_KILLED with a code).
// If the caller's own process dies, the caller must then leave through
// sched_exit_current().
void proc_kill(struct proc *p, int state, int code)
{
    if (p->state != PROC_RUNNING)
        return;
    p->state = state;
    p->code = code;
    trace_proc(TR_EXIT, p);
    p->obj.refs++;                                             // keep p during teardown
    while (!list_empty(&p->threads))
        thread_kill(container_of(p->threads.next, struct thread, proc_link));
    ipc_proc_died(p);
    handle_table_clear(p->handles);
    if (p->iopb) {
        arch_iopb_forget(p->iopb);
        page_free_n(p->iopb, 2);
        p->iopb = NULL;
    }
    list_remove(&p->all_link);
    proc_finish(p);
    struct handle self = { &p->obj, 0, 0 };
    kobj_release(&self);
}

// Describes the index-th live process (for ps). -E_NOENT past the end.
int proc_info(u64 index, struct proc_info *out)
{
    struct list *l = all_procs.next;
    for (; l != &all_procs && index; l = l->next)
        index--;
    if (l == &all_procs)
        return -E_NOENT;
    struct proc *p = container_of(l, struct proc, all_link);
    *out = (struct proc_info){ .pid = p->pid, .ppid = p->ppid, .prio = -1, .state = 1,
                               .pages = p->as ? p->as->pages + p->as->tables : 0,
                               .base_prio = -1, .ticks = p->ticks, .calls = p->calls,
                               .served = p->served };
    memcpy(out->name, p->name, sizeof(out->name));
    for (struct list *t = p->threads.next; t != &p->threads; t = t->next) {
        struct thread *th = container_of(t, struct thread, proc_link);
        out->threads++;
        if (th->prio > out->prio)
            out->prio = th->prio;
        if (th->base_prio > out->base_prio)
            out->base_prio = th->base_prio;
        if (th->state == T_READY || th->state == T_RUNNING)
            out->state = 0;
        if (out->threads == 1 || th->state == T_RUNNING)
            out->cpu = th->last_cpu;
    }
    return 0;
}
