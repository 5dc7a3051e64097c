// Notifications (asynchronous bit-sets), IRQ lines delivered as
// notifications, and I/O-port ranges granted through the TSS bitmap.
#include "core/object.h"

static struct irq_line *irq_owner[NUM_IRQS];

struct notif *notif_create(void)
{
    struct notif *n = kalloc(sizeof(*n));
    if (n)
        n->obj.type = KOBJ_NOTIF;
    return n;
}

// ORs bits in; a waiting thread takes them all and becomes ready.
void notif_signal(struct notif *n, u64 bits)
{
    trace_notify(n->waiter, bits);
    n->bits |= bits;
    if (!n->waiter && n->bits && ipc_notify_receiver(n))
        return;
    struct thread *t = n->waiter;
    if (t && n->bits) {
        n->waiter = NULL;
        u64 got = n->bits;
        n->bits = 0;
        sched_wake(t, (long)got);
    }
}

// Returns and clears the pending bits, blocking until there are some.
// One waiter at a time.
long notif_wait(struct notif *n)
{
    if (n->bits) {
        u64 got = n->bits;
        n->bits = 0;
        return (long)got;
    }
    if (n->waiter)
        return -E_BUSY;
    n->waiter = current;
    current->notif = n;
    sched_block(T_NOTIF);
    return current->wake_result;
}

// The last handle is gone: a thread still waiting is released with -E_DEAD.
void notif_destroy(struct notif *n)
{
    if (n->waiter)
        sched_wake(n->waiter, -E_DEAD);
    if (n->bound_ep)
        n->bound_ep->bound = NULL;
    kfree(n, sizeof(*n));
}

// Creates the object for an IRQ line; only one may exist per line.
struct kobj *irq_get(int irq)
{
    if (irq <= 0 || irq >= NUM_IRQS || irq == 2 || irq_owner[irq])
        return NULL;
    struct irq_line *l = kalloc(sizeof(*l));
    if (!l)
        return NULL;
    l->obj.type = KOBJ_IRQ;
    l->irq = irq;
    irq_owner[irq] = l;
    return &l->obj;
}

static void irq_unbind(struct irq_line *l)
{
    if (!l->notif)
        return;
    struct handle h = { &l->notif->obj, 0, 0 };
    l->notif = NULL;
    kobj_release(&h);
}

// Routes the line to a notification and unmasks it.
long irq_bind(struct irq_line *l, struct notif *n, u64 bits)
{
    if (!bits)
        return -E_INVAL;
    irq_unbind(l);
    n->obj.refs++;
    l->notif = n;
    l->bits = bits;
    l->storm = false;
    arch_irq_unmask(l->irq);
    return 0;
}

// A level line that interrupts more than IRQ_STORM times within one tick
// of the clock is in a storm: its driver acknowledges without clearing
// the device's cause (a bug, or an injected fault), so the line fires
// again the moment it is unmasked, and the driver, above every program,
// would never block again. Its acknowledgement then leaves it masked
// until the next tick: a storm costs at most IRQ_STORM interrupts a
// millisecond, and the rest of the system runs on (and can restart the
// driver). A working device interrupts far less often.
#define IRQ_STORM 32
static u32 irq_deferred;                    // lines to unmask at the next tick

void irq_ack(struct irq_line *l)
{
    if (!l->notif)
        return;
    if (l->in_tick >= IRQ_STORM && l->tick == sched_ticks() && arch_irq_level(l->irq)) {
        if (!l->storm)                      // said once per binding
            kprintf("[kernel] irq %d: interrupt storm (over %d a millisecond), throttled\n",
                    l->irq, IRQ_STORM);
        l->storm = true;
        irq_deferred |= 1u << l->irq;
        return;
    }
    arch_irq_unmask(l->irq);
}

// Each tick of the clock: the throttled lines open again.
void irq_tick(void)
{
    u32 lines = irq_deferred;
    irq_deferred = 0;
    for (int irq = 0; lines; irq++, lines >>= 1) {
        struct irq_line *l = irq_owner[irq];
        if ((lines & 1) && l && l->notif)
            arch_irq_unmask(irq);
    }
}

void irq_destroy(struct irq_line *l)
{
    arch_irq_mask(l->irq);
    irq_unbind(l);
    irq_owner[l->irq] = NULL;
    kfree(l, sizeof(*l));
}

// From the trap path: the line is masked until the driver acknowledges.
void irq_handle(int irq)
{
    struct irq_line *l = irq_owner[irq];
    trace_irq(irq);
    if (l) {
        u64 now = sched_ticks();
        if (l->tick != now) {
            l->tick = now;
            l->in_tick = 0;
        }
        l->in_tick++;
    }
    if (l && l->notif)
        notif_signal(l->notif, l->bits);
}

struct kobj *ioport_get(u64 base, u64 count)
{
    if (!count || base > 0xffff || count > 0x10000 - base)
        return NULL;
    struct ioport *io = kalloc(sizeof(*io));
    if (!io)
        return NULL;
    io->obj.type = KOBJ_IOPORT;
    io->base = (u32)base;
    io->count = (u32)count;
    return &io->obj;
}

// Opens the range in the process's I/O permission bitmap.
long ioport_enable(struct proc *p, struct ioport *io)
{
    if (!p->iopb) {
        p->iopb = page_alloc_n(2);
        if (!p->iopb)
            return -E_NOMEM;
        memset(p->iopb, 0xff, 8192);
    }
    for (u32 port = io->base; port < io->base + io->count; port++)
        p->iopb[port / 8] &= (u8)~(1u << (port % 8));
    arch_iopb_forget(p->iopb);
    if (p == current->proc)
        arch_iopb_load(p->iopb);
    return 0;
}

// Device memory (e.g. the VGA text buffer) a driver may map.
struct kobj *mmio_get(u64 pa, u64 len)
{
    if ((pa | len) & (PAGE_SIZE - 1) || !len || pa >= MAX_PHYS || len > MAX_PHYS - pa)
        return NULL;
    struct mmio *m = kalloc(sizeof(*m));
    if (!m)
        return NULL;
    m->obj.type = KOBJ_MMIO;
    m->pa = pa;
    m->len = len;
    return &m->obj;
}
