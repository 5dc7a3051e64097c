// The kernel's consistency check (system call kcheck), for test builds:
// only when the kernel command line has "test" or "kcheck". Under the
// kernel lock it walks the run queue, each CPU's hand-over, every thread,
// the handle tables of the processes that have threads, and the queues
// of every endpoint it meets, and reports each thing that does not agree
// with the rest.
#include "object.h"
#include "fmt.h"

bool kcheck_enabled;

struct report {
    char text[1024];
    int used, problems;
};

static void __attribute__((format(printf, 2, 3))) note(struct report *r, const char *fmt, ...)
{
    va_list ap;
    r->problems++;
    if (r->used >= (int)sizeof(r->text) - 2)
        return;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(r->text + r->used, sizeof(r->text) - (size_t)r->used, fmt, ap);
    va_end(ap);
    r->used += n;
    if (r->used > (int)sizeof(r->text) - 2)
        r->used = (int)sizeof(r->text) - 2;
    r->text[r->used++] = ';';
    r->text[r->used] = 0;
}

// True if the list through head is well linked and holds at most max nodes.
static bool list_sound(const struct list *head, int max)
{
    const struct list *l = head;
    for (int n = 0; n <= max; n++) {
        if (l->next->prev != l)
            return false;
        l = l->next;
        if (l == head)
            return true;
    }
    return false;
}

static bool linked(const struct list *node)
{
    return node->next->prev == node && node->prev->next == node && node->next != node;
}

// Each priority's queue: linked, its bitmap bit set iff not empty, and
// holding ready threads of that priority.
static void check_runq(struct report *r)
{
    for (int p = 0; p < NPRIO; p++) {
        const struct list *q = &sched_runq.q[p];
        if (!list_sound(q, MAX_THREADS)) {
            note(r, "run queue %d badly linked", p);
            continue;
        }
        if (!list_empty(q) != !!(sched_runq.bitmap & (1ull << p)))
            note(r, "run queue %d: bitmap bit disagrees", p);
        for (const struct list *l = q->next; l != q; l = l->next) {
            const struct thread *t = container_of(l, struct thread, link);
            if (t->state != T_READY || t->prio != p)
                note(r, "thread %u on run queue %d: state %d prio %d", t->token, p, t->state,
                     t->prio);
        }
    }
}

// Each CPU's hand-over (sched.c): at most one ready thread, last on that
// CPU; and the thread it waits in place on, if any: the idle thread is
// what runs, and the thread may run there only.
static void check_cpus(struct report *r)
{
    for (int i = 0; i < ncpus; i++) {
        const struct cpu *c = &cpus[i];
        const struct list *h = &c->handoff;
        if (!list_sound(h, 1)) {
            note(r, "cpu %d: hand-over badly linked or holding more than one", i);
        } else if (!list_empty(h)) {
            const struct thread *t = container_of(h->next, struct thread, link);
            if (t->state != T_READY || t->last_cpu != i)
                note(r, "thread %u handed to cpu %d: state %d last cpu %d", t->token, i,
                     t->state, t->last_cpu);
        }
        const struct thread *w = c->waiting;
        if (w && (c->thread != c->idle || !w->proc || w->cpus != c->bit || w->last_cpu != i))
            note(r, "cpu %d waits in place on thread %u wrongly", i, w->token);
    }
}

// An endpoint's queues: senders wait in T_SEND on it, receivers in T_RECV.
static void check_endpoint(struct report *r, const struct endpoint *ep)
{
    if (!list_sound(&ep->senders, MAX_THREADS) || !list_sound(&ep->receivers, MAX_THREADS)) {
        note(r, "endpoint %p: queue badly linked", ep);
        return;
    }
    for (const struct list *l = ep->senders.next; l != &ep->senders; l = l->next) {
        const struct thread *t = container_of(l, struct thread, link);
        if (t->state != T_SEND || t->ep != ep)
            note(r, "thread %u on endpoint %p's senders in state %d", t->token, ep, t->state);
    }
    for (const struct list *l = ep->receivers.next; l != &ep->receivers; l = l->next) {
        const struct thread *t = container_of(l, struct thread, link);
        if (t->state != T_RECV || t->ep != ep)
            note(r, "thread %u on endpoint %p's receivers in state %d", t->token, ep, t->state);
    }
}

// One thread: in its process's list, and where its state says it waits.
static void check_thread(struct report *r, const struct thread *t)
{
    if (t->obj.type != KOBJ_THREAD || !t->obj.refs)
        note(r, "thread %u: type %u refs %u", t->token, t->obj.type, t->obj.refs);
    if (t->state == T_DEAD || !t->proc)
        return;
    if (!t->proc || !linked(&t->proc_link))
        note(r, "thread %u not in its process's list", t->token);
    if (t->state == T_READY && !linked(&t->link))
        note(r, "ready thread %u not on the run queue", t->token);
    if ((t->state == T_SEND || t->state == T_RECV) && (!t->ep || !linked(&t->link)))
        note(r, "thread %u waits in state %d on no endpoint queue", t->token, t->state);
    if (t->state == T_REPLY && !t->server)
        note(r, "thread %u waits for a reply from nobody", t->token);
    if ((t->state == T_SEND || t->state == T_RECV) && t->ep)
        check_endpoint(r, t->ep);
}

// Handles held, per object, counted in a small open-addressing table.
#define HELD_MAX 4096
static struct { const struct kobj *o; u32 n; } held[HELD_MAX];

static void count_handle(struct report *r, const struct kobj *o)
{
    u64 i = ((u64)o >> 4) % HELD_MAX;
    for (int tries = 0; tries < HELD_MAX; tries++, i = (i + 1) % HELD_MAX)
        if (!held[i].o || held[i].o == o) {
            held[i].o = o;
            held[i].n++;
            return;
        }
    note(r, "too many objects to count");
}

// A process's handles: known types, and objects that are alive.
static void check_handles(struct report *r, const struct proc *p)
{
    if (!p->handles)
        return;
    for (int h = 0; h < HANDLES_MAX; h++) {
        const struct kobj *o = p->handles->slot[h].obj;
        if (!o)
            continue;
        if (o->type == KOBJ_NONE || o->type > KOBJ_MMIO || !o->refs)
            note(r, "pid %d handle %d: type %u refs %u", p->pid, h, o->type, o->refs);
        else if (o->type == KOBJ_ENDPOINT)
            check_endpoint(r, (const struct endpoint *)o);
        count_handle(r, o);
    }
}

// The processes met through threads, each once (by its first thread).
static void check_procs(struct report *r)
{
    for (int i = 0; i < MAX_THREADS; i++) {
        const struct thread *t = thread_table[i];
        if (!t || !t->proc || t->state == T_DEAD)
            continue;
        const struct proc *p = t->proc;
        if (!list_sound(&p->threads, MAX_THREADS))
            note(r, "pid %d: thread list badly linked", p->pid);
        else if (container_of(p->threads.next, struct thread, proc_link) == t)
            check_handles(r, p);
    }
}

// No object may have fewer references than the handles that name it.
static void check_refs(struct report *r)
{
    for (int i = 0; i < HELD_MAX; i++)
        if (held[i].o && held[i].o->refs < held[i].n)
            note(r, "object %p type %u: %u refs, %u handles", held[i].o, held[i].o->type,
                 held[i].o->refs, held[i].n);
}

// kcheck(buf, len): 0 if consistent; else the number of problems, with
// their description (';'-separated) in buf. -E_NOSYS outside test builds.
long sys_kcheck(struct trapframe *tf)
{
    static struct report r;
    if (!kcheck_enabled)
        return -E_NOSYS;
    r.used = r.problems = 0;
    r.text[0] = 0;
    for (int i = 0; i < HELD_MAX; i++)
        held[i].o = NULL, held[i].n = 0;
    for (int i = 0; i < MAX_THREADS; i++)
        if (thread_table[i])
            check_thread(&r, thread_table[i]);
    check_runq(&r);
    check_cpus(&r);
    check_procs(&r);
    check_refs(&r);
    u64 len = tf->rsi < (u64)r.used + 1 ? tf->rsi : (u64)r.used + 1;
    if (len && copy_out(current->proc->as, tf->rdi, r.text, len))
        return -E_FAULT;
    return r.problems;
}
