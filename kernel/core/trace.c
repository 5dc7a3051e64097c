// Kernel event tracing: a ring of fixed-size records per CPU, stamped with
// the time stamp counter, and the trace system call that starts, stops and
// reads it (uapi/trace.h). Everything runs under the big kernel lock with
// interrupts off, so a CPU's ring needs no lock of its own. Only a handle
// to the root capability with R_TRACE may use it: init has one at boot
// and hands it to the shell.
#include "object.h"
#include "trace.h"
#include "uapi/trace.h"

bool trace_on;
_Static_assert(MAX_CPUS <= TRACE_CPUS_MAX, "a ring for every CPU");

struct trace_ring {
    struct trace_rec *rec;
    u64 cap;                      // records it holds
    u64 written;                  // records written since the start (head = written % cap)
};

static struct trace_ring rings[TRACE_CPUS_MAX];
static u64 ring_pages;            // pages per ring, 0: none allocated

// The next record of this CPU's ring, filled with the time and type.
static struct trace_rec *rec_next(int type)
{
    struct cpu *c = this_cpu();
    struct trace_ring *r = &rings[c->id];
    struct trace_rec *e = &r->rec[r->written++ % r->cap];
    *e = (struct trace_rec){ .tsc = rdtsc(), .type = (u8)type, .cpu = (u8)c->id };
    return e;
}

static u32 tid(const struct thread *t) { return t && t->proc ? t->token : 0; }
static u32 pid(const struct thread *t) { return t && t->proc ? (u32)t->proc->pid : 0; }

// One record naming thread a and thread b.
static struct trace_rec *rec_pair(int type, struct thread *a, struct thread *b)
{
    struct trace_rec *e = rec_next(type);
    e->a_tid = tid(a);
    e->a_pid = pid(a);
    e->b_tid = tid(b);
    e->b_pid = pid(b);
    return e;
}

void trace_ipc_rec(struct thread *from, struct thread *to, u64 tag, u64 badge, u64 len,
                   bool reply)
{
    struct trace_rec *e = rec_pair(reply ? TR_REPLY : TR_CALL, from, to);
    e->op = TAG_LABEL(tag);
    e->len = (u32)len;
    e->arg = badge;
    struct trace_rec *f = rec_pair(reply ? TR_RETURN : TR_RECV, to, from);
    f->op = e->op;
    f->len = e->len;
    f->arg = badge;
}

void trace_fast_rec(struct thread *from, struct thread *to, u64 tag, u64 badge, u64 len,
                    bool reply)
{
    trace_ipc_rec(from, to, tag, badge, len, reply);
    trace_switch_rec(from, to);
}

void trace_switch_rec(struct thread *prev, struct thread *next)
{
    rec_pair(TR_SWITCH, prev, next);
}

void trace_irq_rec(int irq)
{
    struct trace_rec *e = rec_pair(TR_IRQ, current, NULL);
    e->op = (u32)irq;
}

void trace_notify_rec(struct thread *woken, u64 bits)
{
    struct trace_rec *e = rec_pair(TR_NOTIFY, current, woken);
    e->arg = bits;
}

void trace_fault_rec(struct thread *t, u64 vector, u64 addr)
{
    struct trace_rec *e = rec_pair(TR_FAULT, t, NULL);
    e->op = (u32)vector;
    e->arg = addr;
}

// TR_START (op: parent pid) or TR_EXIT (op: state, arg: code), with the name.
void trace_proc_rec(int type, struct proc *p)
{
    struct trace_rec *e = rec_next(type);
    e->a_pid = (u32)p->pid;
    e->a_tid = tid(current);
    e->op = type == TR_START ? (u32)p->ppid : (u32)p->state;
    e->arg = (u64)(i64)p->code;
    memcpy(e->name, p->name, sizeof(e->name));
}

/* ---- the system call ---- */

static void rings_free(void)
{
    for (int i = 0; ring_pages && i < TRACE_CPUS_MAX; i++)
        if (rings[i].rec)
            page_free_n(rings[i].rec, ring_pages);
    memset(rings, 0, sizeof(rings));
    ring_pages = 0;
}

// Starts recording into fresh rings of bytes / ncpus each (at least a page).
static long trace_start(u64 bytes)
{
    if (bytes < PAGE_SIZE || bytes > TRACE_MAX_BYTES)
        return -E_INVAL;
    trace_on = false;
    rings_free();
    u64 pages = bytes / PAGE_SIZE / (u64)ncpus;
    ring_pages = pages ? pages : 1;
    for (int i = 0; i < ncpus && i < TRACE_CPUS_MAX; i++) {
        rings[i].rec = page_alloc_n(ring_pages);
        if (!rings[i].rec) {
            rings_free();
            return -E_NOMEM;
        }
        rings[i].cap = ring_pages * PAGE_SIZE / sizeof(struct trace_rec);
    }
    trace_on = true;
    return 0;
}

static void trace_stop(void) { trace_on = false; }

static long trace_status(u64 ubuf)
{
    struct trace_status s = { .on = trace_on, .ncpus = (u32)ncpus,
                              .bytes = ring_pages * PAGE_SIZE * (u64)ncpus };
    s.tsc_hz = arch_tsc_hz;
    for (int i = 0; i < ncpus && i < TRACE_CPUS_MAX; i++) {
        s.written[i] = rings[i].written;
        s.kept[i] = rings[i].written < rings[i].cap ? rings[i].written : rings[i].cap;
    }
    return copy_out(current->proc->as, ubuf, &s, sizeof(s));
}

// Copies CPU cpu's kept records, oldest first, as many as fit in len bytes.
static long trace_read(u64 cpu, u64 ubuf, u64 len)
{
    if (cpu >= (u64)ncpus || cpu >= TRACE_CPUS_MAX)
        return -E_INVAL;
    struct trace_ring *r = &rings[cpu];
    u64 kept = r->written < r->cap ? r->written : r->cap, n = len / sizeof(struct trace_rec);
    u64 first = r->written - kept, sz = sizeof(struct trace_rec);
    if (n > kept)
        n = kept;
    for (u64 i = 0; i < n; i++)
        if (copy_out(current->proc->as, ubuf + i * sz, &r->rec[(first + i) % r->cap], sz))
            return -E_FAULT;
    return (long)n;
}

static long trace_event(u64 code, u64 value, u64 utext)
{
    char text[16] = { 0 };
    if (utext && copy_in(current->proc->as, text, utext, sizeof(text)))
        return -E_FAULT;
    if (!trace_on)
        return 0;
    struct trace_rec *e = rec_next(TR_USER);
    e->a_tid = tid(current);
    e->a_pid = pid(current);
    e->op = (u32)code;
    e->arg = value;
    memcpy(e->name, text, sizeof(text));
    return 0;
}

// Fills up to max entries of the live threads; returns how many there are.
static long trace_threads(u64 ubuf, u64 max)
{
    long n = 0;
    for (int i = 0; i < MAX_THREADS; i++) {
        struct thread *t = thread_table[i];
        if (!t || !t->proc || t->state == T_DEAD)
            continue;
        struct trace_thread e = { .tid = t->token, .pid = (u32)t->proc->pid,
                                  .ppid = (u32)t->proc->ppid };
        memcpy(e.name, t->proc->name, sizeof(e.name));
        if ((u64)n < max && copy_out(current->proc->as, ubuf + (u64)n * sizeof(e), &e, sizeof(e)))
            return -E_FAULT;
        n++;
    }
    return n;
}

// trace(root with R_TRACE, op, a, b, c): see uapi/trace.h.
long sys_trace(struct trapframe *tf)
{
    struct handle *h;
    int err = handle_lookup(current->proc->handles, (long)tf->rdi, KOBJ_ROOT, R_TRACE, &h);
    if (err)
        return err;
    switch (tf->rsi) {
    case TRACE_START:   return trace_start(tf->rdx);
    case TRACE_STOP:    trace_stop(); return 0;
    case TRACE_STATUS:  return trace_status(tf->rdx);
    case TRACE_READ:    return ring_pages ? trace_read(tf->rdx, tf->r10, tf->r8) : 0;
    case TRACE_EVENT:   return trace_event(tf->rdx, tf->r10, tf->r8);
    case TRACE_THREADS: return trace_threads(tf->rdx, tf->r10);
    }
    return -E_INVAL;
}
