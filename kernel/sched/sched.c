// The scheduler: strict fixed priorities (0..63, higher runs first),
// round-robin with a time slice among equals, an idle thread that halts.
// Everything runs with interrupts off; a blocked thread sleeps inside
// sched_switch and continues from there when it is woken.
#include "core/object.h"
#include "runq.h"

#define SLICE_TICKS 10

struct thread *current;
struct runq sched_runq;                   // the fast path reads it (sched_none_above)
static struct thread idle_thread;
static struct list sleepers;              // T_SLEEP threads by wake_tick
static struct list timeouts;              // threads in a timed IPC wait, by deadline
struct thread *sched_zombie;              // dead thread whose stack is still in use
static u64 ticks;
static u64 tick_woken;                    // sleepers the latest tick made ready
bool sched_need_resched;                  // a higher priority became ready
// Time stamp counter not spent on anybody's work: in the idle thread,
// and in timer ticks that interrupt a thread (sys_busy_tsc).
static u64 idle_tsc, idle_since;

u64 sched_ticks(void) { return ticks; }
u64 sched_tick_woken(void) { return tick_woken; }

u64 sched_idle_tsc(void)
{
    return current == &idle_thread ? idle_tsc + rdtsc() - idle_since : idle_tsc;
}

// Puts a thread on the run queue. A thread preempted by a higher
// priority keeps its place at the front.
static void runq_put(struct thread *t, bool front)
{
    assert(t->prio >= 0);
    t->state = T_READY;
    runq_add(&sched_runq, &t->link, t->prio, front);
}

// Switches from current to the highest-priority ready thread (or idle).
// The caller has already queued current wherever it belongs.
static void switch_to(struct thread *prev, struct thread *next);

static void sched_switch(void)
{
    struct thread *prev = current;
    struct list *n = runq_pop(&sched_runq);
    struct thread *next = n ? container_of(n, struct thread, link) : &idle_thread;
    sched_need_resched = false;
    if (next == prev) {
        prev->state = T_RUNNING;
        return;
    }
    if (prev == &idle_thread)                 // idle comes and goes only here
        idle_tsc += rdtsc() - idle_since;
    else if (next == &idle_thread)
        idle_since = rdtsc();
    switch_to(prev, next);
}

// Frees the dead thread whose stack was in use until the last switch.
void sched_reap_zombie(void)
{
    thread_reap(sched_zombie);
    sched_zombie = NULL;
}

// The context switch proper: address space, I/O bitmap, kernel stack,
// FPU state, registers.
static void switch_to(struct thread *prev, struct thread *next)
{
    if (sched_zombie) {
        thread_reap(sched_zombie);        // its stack is no longer in use
        sched_zombie = NULL;
    }
    if (prev->state == T_DEAD)
        sched_zombie = prev;
    else
        arch_fpu_save(&prev->fpu);
    next->state = T_RUNNING;
    current = next;
    if (!prev->proc || !next->proc || prev->proc != next->proc) {
        as_activate(next->proc ? next->proc->as : NULL);
        arch_iopb_load(next->proc ? next->proc->iopb : NULL);
    }
    arch_set_kstack((u64)next->kstack + KSTACK_PAGES * PAGE_SIZE);
    arch_fpu_restore(&next->fpu);
    arch_switch(&prev->ksp, next->ksp);
}

// Puts the current thread back at the front of its queue and runs the
// highest-priority thread.
static void preempt_current(void)
{
    if (current != &idle_thread)
        runq_put(current, true);
    sched_switch();
}

// Makes t ready. If it outranks the running thread, the switch happens
// on the way out of the kernel (sched_kernel_exit).
void sched_ready(struct thread *t)
{
    runq_put(t, false);
    if (t->prio > current->prio)
        sched_need_resched = true;
}

// The last step of every syscall, interrupt and fault: leaves a dead
// thread for good and honours a pending preemption.
void sched_kernel_exit(void)
{
    if (current->state == T_DEAD)
        sched_switch();
    else if (sched_need_resched)
        preempt_current();
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

void sched_yield(void)
{
    current->slice = SLICE_TICKS;
    if (current != &idle_thread)
        runq_put(current, false);
    sched_switch();
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

void sched_set_prio(struct thread *t, int prio)
{
    bool queued = t->state == T_READY;
    if (queued)
        runq_remove(&sched_runq, &t->link, t->prio);
    t->prio = prio;
    if (queued)
        runq_put(t, false);
    if (runq_top(&sched_runq) > current->prio)
        sched_need_resched = true;
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

// Timer interrupt (1 kHz): wakes sleepers, ends timed-out IPC waits and
// ends time slices.
void timer_tick(void)
{
    ticks++;
    tick_woken = 0;
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
    if (current == &idle_thread) {
        sched_need_resched = sched_runq.bitmap != 0;
        return;
    }
    idle_tsc += rdtsc() - arch_timer_irq_tsc();   // the clock's own cost is nobody's work
    if (--current->slice <= 0) {
        current->slice = SLICE_TICKS;
        if (runq_top(&sched_runq) >= current->prio) {
            runq_put(current, false);
            sched_switch();
        }
    }
}

static void idle_loop(void)
{
    for (;;)
        arch_idle();
}

static struct thread boot_thread;               // the boot stack, left for good

void sched_init(void)
{
    boot_thread.state = T_DEAD + 1;               // never queued, never reaped
    boot_thread.prio = -1;
    current = &boot_thread;
    runq_init(&sched_runq);
    list_init(&sleepers);
    list_init(&timeouts);
    idle_thread.kstack = page_alloc_n(KSTACK_PAGES);
    idle_thread.state = T_RUNNING;
    idle_thread.prio = -1;
    idle_thread.obj.type = KOBJ_THREAD;
    arch_fpu_init(&idle_thread.fpu);
    struct trapframe tf = { .cs = 0x08, .ss = 0x10, .rflags = 0x2, .rip = (u64)idle_loop };
    u64 top = (u64)idle_thread.kstack + KSTACK_PAGES * PAGE_SIZE;
    tf.rsp = top - sizeof(struct trapframe) - 64;     // below its own frame
    idle_thread.ksp = (u64)arch_thread_stack_init((u64 *)top, &tf);
}

// Leaves the boot stack for the highest ready thread; never returns.
_Noreturn void sched_start(void)
{
    sched_switch();
    panic("boot thread resumed");
}
