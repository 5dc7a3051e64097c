// The scheduler: strict fixed priorities (0..63, higher runs first) over
// every CPU, round-robin with a time slice among equals, an idle thread
// per CPU that halts. One run queue serves all CPUs (the big kernel lock
// guards it, like everything here): at every moment the running threads
// are the highest-priority ready threads, one per CPU, within what each
// thread's CPU set (affinity) allows. A thread that becomes ready goes to
// the CPU running the lowest priority below its own; if that is another
// CPU, an IPI makes it switch at once. A blocked thread sleeps inside
// sched_switch and continues from there, on whichever CPU wakes it.
//
// Across CPUs (an IPC partner that may run only elsewhere) two shortcuts
// keep a wake-up from going through the run queue and the idle thread's
// switches. A CPU that has nothing to run when a thread blocks waits on
// that thread's stack and in its address space (wait_in_place: the idle
// thread's loop, without switching to it); if that thread is woken, it
// is handed back to that CPU (only there may it run meanwhile) and goes
// on without any switch. And a thread woken for a CPU that idles is
// handed to it (hand_over), not queued for every CPU to search.
#include "core/object.h"
#include "runq.h"

#define SLICE_TICKS 10

struct runq sched_runq;                   // the fast path reads it (sched_none_above)
static struct thread idle_threads[MAX_CPUS], boot_threads[MAX_CPUS];
static struct list sleepers;              // T_SLEEP threads by wake_tick
static struct list timeouts;              // threads in a timed IPC wait, by deadline
static u64 ticks;                         // the boot CPU's timer: the system clock
static u64 tick_woken;                    // sleepers the latest tick made ready

u64 sched_ticks(void) { return ticks; }
u64 sched_tick_woken(void) { return tick_woken; }

// Time stamp counter this CPU spent on nobody's work: in its idle thread,
// and in timer ticks that interrupt a thread (sys_busy_tsc).
u64 sched_idle_tsc(void)
{
    struct cpu *c = this_cpu();
    return c->thread == c->idle ? c->idle_tsc + rdtsc() - c->idle_since : c->idle_tsc;
}

static bool is_idle(struct cpu *c, struct thread *t) { return t == c->idle || !t->proc; }

// Counts the changes that may give a CPU something to run (a thread
// queued, a CPU set changed). A CPU that searched the run queue and found
// nothing it may run notes the count: its idle loop searches again only
// once it moved (the queue may hold threads for other CPUs only, and the
// search through them is what it would repeat).
static u64 runq_gen;
static u64 found_none_at[MAX_CPUS];

static bool cpu_idle(struct cpu *c) { return c->thread == c->idle; }

// Puts a thread on the run queue. A thread preempted by a higher
// priority keeps its place at the front.
static void runq_put(struct thread *t, bool front)
{
    assert(t->prio >= 0);
    t->state = T_READY;
    runq_add(&sched_runq, &t->link, t->prio, front);
    runq_gen++;
}

// runq_best when the first thread of the top priority may not run on c.
static struct thread *runq_best_search(struct cpu *c)
{
    for (u64 bits = sched_runq.bitmap; bits; ) {
        int prio = 63 - __builtin_clzll(bits);
        struct list *q = &sched_runq.q[prio];
        for (struct list *l = q->next; l != q; l = l->next) {
            struct thread *t = container_of(l, struct thread, link);
            if (t->cpus & c->bit)
                return t;
        }
        bits &= ~(1ull << prio);
    }
    return NULL;
}

// The highest-priority ready thread that may run on c, or NULL: the
// first one of the highest non-empty priority, unless its CPU set
// excludes c (then a search).
static inline struct thread *runq_best(struct cpu *c)
{
    int prio = runq_top(&sched_runq);
    if (prio < 0)
        return NULL;
    struct thread *t = container_of(sched_runq.q[prio].next, struct thread, link);
    return likely(t->cpus & c->bit) ? t : runq_best_search(c);
}

// The priority c runs at, counting a switch it has already been told of.
static int cpu_prio(struct cpu *c)
{
    int p = c->thread->prio;
    return c->kick_prio > p ? c->kick_prio : p;
}

// Tells c to look at the run queue (and its hand-over): at once if it is
// this CPU (on the way out of the kernel, or in its idle loop), by an IPI
// otherwise.
static void kick(struct cpu *c, int prio)
{
    if (prio > c->kick_prio)
        c->kick_prio = prio;
    c->need_resched = true;
    if (c != this_cpu())
        arch_send_ipi(c, VEC_RESCHED);
}

// A ready thread t outranks something running: the CPU (of t's set)
// running the lowest priority switches to it, this CPU on a tie.
static void kick_for(struct thread *t)
{
    struct cpu *self = this_cpu(), *best = NULL;
    int lowest = t->prio;
    for (int i = 0; i < ncpus; i++) {
        struct cpu *c = &cpus[i];
        if (!(t->cpus & c->bit))
            continue;
        int p = cpu_prio(c);
        if (p < lowest || (best && p == lowest && c == self)) {
            best = c;
            lowest = p;
        }
    }
    if (best)
        kick(best, t->prio);
}

// Gives the ready thread t to CPU c to run next, outside the run queue,
// and tells c. c idles, or waits in place on t itself.
static void hand_over(struct cpu *c, struct thread *t)
{
    t->state = T_READY;
    t->last_cpu = c->id;
    list_add_tail(&c->handoff, &t->link);
    kick(c, t->prio);
}

// True if t waits on a CPU's hand-over (which holds one thread at most).
static bool on_handoff(struct thread *t)
{
    return t->state == T_READY && t->link.next == &cpus[t->last_cpu].handoff;
}

// A thread handed to c that may no longer run there first (its CPU set
// changed, or a higher priority is ready) is queued as usual.
static __attribute__((noinline)) void handoff_requeue(struct thread *h)
{
    list_remove(&h->link);
    runq_put(h, false);
    kick_for(h);
}

// The thread c runs next, taken off its queue, or NULL: the one handed
// to it if it may still run there and no ready thread outranks it (else
// it is queued as usual), then the best of the run queue. A thread that
// c waits in place on may not be queued while it does: it stays, and
// NULL tells wait_in_place to leave it first. (A hand-over always comes
// with need_resched, until this pick: a switch without one, a yield say,
// looks at the run queue only.)
static inline __attribute__((always_inline)) struct thread *pick_next(struct cpu *c)
{
    if (c->need_resched && !list_empty(&c->handoff)) {
        struct thread *h = container_of(c->handoff.next, struct thread, link);
        if (likely((h->cpus & c->bit) && sched_none_above(h->prio))) {
            list_remove(&h->link);
            return h;
        }
        if (h == c->waiting)
            return NULL;
        handoff_requeue(h);
    }
    struct thread *next = runq_best(c);
    if (next)
        runq_remove(&sched_runq, &next->link, next->prio);
    else
        found_none_at[c->id] = runq_gen;
    return next;
}

// c has nothing to run and prev has just blocked: c runs its idle loop
// here, on prev's stack and in its address space, instead of switching
// to the idle thread (c->thread is the idle thread meanwhile; c->waiting
// says whose stack and address space are in use, for kill, TLB shootdown
// and process teardown). Returns what to run: prev, handed back here
// because it was woken; another thread; or NULL for the idle thread
// (prev died, or may not go on here: it leaves by a real switch).
static __attribute__((noinline)) struct thread *wait_in_place(struct cpu *c, struct thread *prev)
{
    struct thread *next = NULL;
    c->waiting = prev;
    c->thread = c->idle;
    c->idle_since = rdtsc();
    trace_switch(prev, c->idle);
    for (;;) {
        arch_idle();                             // the lock released until an interrupt
        if (c->zombie)
            sched_reap_zombie();
        if (prev->state == T_DEAD || c->waiting_cpus)
            break;                               // it leaves: a real switch
        if (c->need_resched || found_none_at[c->id] != runq_gen) {
            next = pick_next(c);
            c->need_resched = false;
            c->kick_prio = -1;
            if (next || !list_empty(&c->handoff))
                break;
        }
    }
    if (!next && !list_empty(&c->handoff))
        c->need_resched = true;                  // the idle loop picks it
    if (c->waiting_cpus) {                       // the lock stays held until prev's
        prev->cpus = c->waiting_cpus;            // context is saved (switch_to)
        c->waiting_cpus = 0;
    }
    c->waiting = NULL;
    c->thread = prev;
    c->idle_tsc += rdtsc() - c->idle_since;
    trace_switch(c->idle, prev);
    return next;
}

// True if this CPU c may wait in place on prev: it blocked (in a wait
// that another CPU may end) and may run on c only. (The IPC fast path of
// another CPU switches straight to a partner its CPU set allows there,
// without sched_ready: a thread waited on in place must not be one. So
// its CPU set stays c alone until c has left it: sched_set_cpus.)
static bool may_wait_in_place(struct cpu *c, struct thread *prev)
{
    return prev->proc && prev->state > T_RUNNING && prev->state < T_DEAD && prev->cpus == c->bit;
}

static void switch_to(struct cpu *c, struct thread *prev, struct thread *next);

// Switches from the current thread to the highest-priority ready thread
// this CPU may run (or idle, in place if the current thread blocked).
// The caller has already queued the current thread wherever it belongs.
static void sched_switch(void)
{
    struct cpu *c = this_cpu();
    struct thread *prev = c->thread, *next = pick_next(c);
    c->need_resched = false;
    c->kick_prio = -1;
    if (!next && may_wait_in_place(c, prev))
        next = wait_in_place(c, prev);
    if (!next)
        next = c->idle;
    if (next == prev) {
        prev->state = T_RUNNING;
        return;
    }
    if (prev == c->idle)                      // idle comes and goes only here
        c->idle_tsc += rdtsc() - c->idle_since;
    else if (next == c->idle)
        c->idle_since = rdtsc();
    switch_to(c, prev, next);
}

// Frees the dead thread whose stack was in use until the last switch.
void sched_reap_zombie(void)
{
    struct cpu *c = this_cpu();
    struct thread *z = c->zombie;
    c->zombie = NULL;
    thread_reap(z);
}

// The context switch proper: address space, I/O bitmap, kernel stack,
// FPU state, registers.
static void switch_to(struct cpu *c, struct thread *prev, struct thread *next)
{
    struct proc *dying = NULL;
    if (unlikely(c->zombie))
        sched_reap_zombie();                  // its stack is no longer in use
    trace_switch(prev, next);
    if (unlikely(prev->state == T_DEAD)) {
        c->zombie = prev;
        dying = prev->proc;
    } else {
        arch_fpu_save(&prev->fpu);
    }
    next->state = T_RUNNING;
    next->last_cpu = c->id;
    c->thread = next;
    if (prev->proc != next->proc || !next->proc) {
        as_activate(next->proc ? next->proc->as : NULL);
        if (next->proc)                       // kernel code ignores the I/O bitmap:
            arch_iopb_load(next->proc->iopb); // the next process's replaces it
    }
    if (unlikely(dying))
        proc_finish(dying);                   // this CPU has left it: its death may be signalled
    arch_set_kstack(c, (u64)next->kstack + KSTACK_PAGES * PAGE_SIZE);
    arch_fpu_restore(&next->fpu);
    arch_switch(&prev->ksp, next->ksp);
}

// Puts the current thread back at the front of its queue and runs the
// highest-priority thread this CPU may run. If the current thread may
// no longer run here (its CPU set changed), another CPU is told.
static void preempt_current(void)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->thread;
    if (!is_idle(c, cur)) {
        runq_put(cur, true);
        if (!(cur->cpus & c->bit))
            kick_for(cur);
    }
    sched_switch();
}

// sched_ready for a thread t whose last CPU c waits in place on it or
// idles: hands t to c, true, if it must (only c may run a thread it
// waits on; the hand-over holds one thread: one already there is
// queued) or may (c idles while this CPU does not, nothing is pending
// there, and t's CPU set has c); false leaves t to the run queue.
static __attribute__((noinline)) bool ready_on(struct cpu *c, struct thread *t)
{
    if (c->waiting == t) {
        if (unlikely(!list_empty(&c->handoff)))
            handoff_requeue(container_of(c->handoff.next, struct thread, link));
        hand_over(c, t);
        return true;
    }
    if (c->need_resched || !list_empty(&c->handoff) || !(t->cpus & c->bit) ||
        cpu_idle(this_cpu()))
        return false;
    hand_over(c, t);
    return true;
}

// Makes t ready: handed to its last CPU if that one waits in place on it
// or idles (ready_on); otherwise queued, and if it outranks a running
// thread, that CPU switches on its way out of the kernel (this one) or
// on an IPI (another).
void sched_ready(struct thread *t)
{
    struct cpu *c = &cpus[t->last_cpu];
    if (unlikely(c->waiting == t || (c != this_cpu() && cpu_idle(c))) && ready_on(c, t))
        return;
    runq_put(t, false);
    kick_for(t);
}

// The last step of every syscall, interrupt and fault that needs one
// (entry.asm checks need_resched and attn first): leaves a dead thread
// for good, honours a pending preemption, then applies a fault injected
// into the thread. True if that changed its registers (the syscall exit
// then restores the whole trapframe).
bool sched_kernel_exit(void)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->thread;
    if (cur->state == T_DEAD) {
        sched_switch();
        return false;                          // not reached: it is reaped
    }
    if (c->need_resched)
        preempt_current();
    if (likely(!cur->attn))
        return false;
    cur->attn = 0;
    return proc_fault_apply(cur);
}

// Wakes a blocked thread with the result its syscall returns.
void sched_wake(struct thread *t, long result)
{
    sched_timeout_disarm(t);
    t->wake_result = result;
    t->ep = NULL;
    t->server = NULL;
    t->handler = NULL;
    t->notif = NULL;
    sched_ready(t);
}

// Blocks the current thread in `state` (already on a wait queue if any).
void sched_block(int state)
{
    current->state = state;
    sched_switch();
}

// For the yield syscall: a user thread (never the idle thread) goes to
// the back of its queue. Returns 0, the syscall's result.
long sched_yield(void)
{
    struct thread *cur = current;
    cur->slice = SLICE_TICKS;
    runq_put(cur, false);
    sched_switch();
    return 0;
}

// Called by proc.c for a thread that is leaving a queue because it dies
// or changes priority.
void sched_unqueue(struct thread *t)
{
    sched_timeout_disarm(t);
    if (t->state == T_READY)
        runq_remove(&sched_runq, &t->link, t->prio);
    else if (t->state == T_SLEEP)
        list_remove(&t->link);
}

// The CPU t runs on, or NULL if it is not running (a dead thread may
// still be running on another CPU until that CPU enters the kernel).
struct cpu *sched_thread_cpu(struct thread *t)
{
    struct cpu *c = &cpus[t->last_cpu];
    return c->thread == t || c->waiting == t ? c : NULL;
}

// Makes the CPU running t (if another) enter the kernel and look at it.
void sched_interrupt(struct thread *t)
{
    struct cpu *c = sched_thread_cpu(t);
    if (c && c != this_cpu())
        kick(c, 63);
}

// The thread whose address space CPU c has loaded (if any process's).
static struct thread *cpu_as_thread(struct cpu *c)
{
    return c->waiting ? c->waiting : c->thread;
}

// Mask of the CPUs other than this one whose loaded address space is as.
u64 sched_as_cpus(const struct addrspace *as)
{
    u64 mask = 0;
    for (int i = 0; i < ncpus; i++) {
        struct thread *t = cpu_as_thread(&cpus[i]);
        if (&cpus[i] != this_cpu() && t && t->proc && t->proc->as == as)
            mask |= cpus[i].bit;
    }
    return mask;
}

// True if a thread of p (a dead one perhaps) is on some CPU, so that its
// address space is loaded there.
bool sched_proc_on_cpu(const struct proc *p)
{
    for (int i = 0; i < ncpus; i++) {
        struct thread *t = cpu_as_thread(&cpus[i]);
        if (t && t->proc == p)
            return true;
    }
    return false;
}

void sched_set_prio(struct thread *t, int prio)
{
    int old = t->prio;
    if (on_handoff(t)) {                      // its CPU looks at the priority
        t->prio = prio;
        kick(&cpus[t->last_cpu], prio);
        return;
    }
    bool queued = t->state == T_READY;
    if (queued)
        runq_remove(&sched_runq, &t->link, t->prio);
    t->prio = prio;
    if (queued) {
        runq_put(t, false);
        kick_for(t);
    } else if (t->state == T_RUNNING && prio < old) {
        struct cpu *c = sched_thread_cpu(t);
        struct thread *b = c ? runq_best(c) : NULL;
        if (b && b->prio > prio)
            kick(c, b->prio);
    }
}

// Restricts t to the CPUs in mask (those that run; -E_INVAL if none).
// With t NULL, only checks the mask. For a thread a CPU waits in place
// on, that CPU applies it once it has left the thread.
long sched_set_cpus(struct thread *t, u64 mask)
{
    u64 online = (1ull << ncpus) - 1;
    if (!(mask & online))
        return -E_INVAL;
    if (!t)
        return 0;
    struct cpu *c = sched_thread_cpu(t);
    runq_gen++;
    if (c && c->waiting == t) {               // c leaves it, then applies the mask
        c->waiting_cpus = mask;
        kick(c, 63);
        return 0;
    }
    t->cpus = mask;
    if (t->state == T_READY)
        kick_for(t);
    else if (c && !(mask & c->bit))
        kick(c, 63);                          // it leaves that CPU
    return 0;
}

void sched_sleep(u64 ms)
{
    current->wake_tick = ticks + (ms ? ms : 1);
    struct list *pos = sleepers.next;
    while (pos != &sleepers && container_of(pos, struct thread, link)->wake_tick <= current->wake_tick)
        pos = pos->next;
    list_add_tail(pos, &current->link);
    sched_block(T_SLEEP);
}

// An IPC wait of t ends with -E_TIMEOUT after ms milliseconds.
void sched_timeout_arm(struct thread *t, u64 ms)
{
    t->deadline = ticks + ms;
    struct list *pos = timeouts.next;
    while (pos != &timeouts && container_of(pos, struct thread, timer_link)->deadline <= t->deadline)
        pos = pos->next;
    list_add_tail(pos, &t->timer_link);
    t->timed = true;
}

// The system clock, on the boot CPU: wakes sleepers and ends timed-out
// IPC waits.
static void clock_tick(void)
{
    ticks++;
    tick_woken = 0;
    irq_tick();                               // lines throttled in a storm open again
    while (!list_empty(&sleepers)) {
        struct thread *t = container_of(sleepers.next, struct thread, link);
        if (t->wake_tick > ticks)
            break;
        list_remove(&t->link);
        sched_ready(t);
        tick_woken++;
    }
    while (!list_empty(&timeouts)) {
        struct thread *t = container_of(timeouts.next, struct thread, timer_link);
        if (t->deadline > ticks)
            break;
        ipc_timeout(t);                       // disarms t
        tick_woken++;
    }
}

// Timer interrupt of each CPU (1 kHz): the clock on the boot CPU, and
// the end of time slices everywhere.
void timer_tick(void)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->thread;
    c->ticks++;
    if (c->id == 0)
        clock_tick();
    if (is_idle(c, cur)) {
        if (runq_best(c))
            c->need_resched = true;
        return;
    }
    c->idle_tsc += rdtsc() - c->timer_irq_tsc;    // the clock's own cost is nobody's work
    cur->proc->ticks++;                       // CPU time, sampled (top, ps -l)
    if (cur->state != T_RUNNING)
        return;                               // killed from another CPU: the exit leaves it
    if (--cur->slice <= 0) {                  // round-robin among equals; a higher
        cur->slice = SLICE_TICKS;             // priority has had its CPU kicked
        struct thread *b = runq_best(c);
        if (b && b->prio == cur->prio) {
            runq_put(cur, false);
            sched_switch();
        }
    }
}

// The idle thread of a CPU: reaps the thread that died here last, runs
// what is ready, or halts with the kernel lock released until an
// interrupt. An interrupt taken here does not switch (trap_dispatch):
// this loop looks once it has the lock again.
static void idle_loop(void)
{
    for (;;) {
        struct cpu *c = this_cpu();
        if (c->zombie)
            sched_reap_zombie();
        if (c->need_resched || (found_none_at[c->id] != runq_gen && runq_best(c)))
            preempt_current();
        else
            arch_idle();
    }
}

// Gives CPU c its boot thread (the stack it starts on, left for good)
// and its idle thread.
void sched_cpu_init(struct cpu *c)
{
    struct thread *boot = &boot_threads[c->id], *idle = &idle_threads[c->id];
    boot->state = T_DEAD + 1;                     // never queued, never reaped
    boot->prio = -1;
    boot->last_cpu = c->id;
    c->thread = boot;
    idle->kstack = page_alloc_n(KSTACK_PAGES);
    assert(idle->kstack);
    idle->state = T_READY;
    idle->prio = -1;
    idle->cpus = 1ull << c->id;
    idle->last_cpu = c->id;
    idle->obj.type = KOBJ_THREAD;
    list_init(&c->handoff);
    arch_fpu_init(&idle->fpu);
    struct trapframe tf = { .cs = 0x08, .ss = 0x10, .rflags = 0x2, .rip = (u64)idle_loop };
    u64 top = (u64)idle->kstack + KSTACK_PAGES * PAGE_SIZE;
    tf.rsp = top - sizeof(struct trapframe) - 64;     // below its own frame
    idle->ksp = (u64)arch_thread_stack_init((u64 *)top, &tf);
    c->idle = idle;
}

void sched_init(void)
{
    runq_init(&sched_runq);
    list_init(&sleepers);
    list_init(&timeouts);
    sched_cpu_init(&cpus[0]);
}

// Leaves the boot stack for the highest ready thread; never returns.
_Noreturn void sched_start(void)
{
    sched_switch();
    panic("boot thread resumed");
}
