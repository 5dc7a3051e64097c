// Synchronous IPC on endpoints: call, recv, reply and reply_recv.
//
// A caller blocks until a receiver takes its message (T_SEND, queued on the
// endpoint by priority) and then until the reply (T_REPLY, listed on the
// server process). A server names the caller it answers by the reply token
// recv gave it, so it may hold several calls and answer them in any order.
// Message registers: tag rsi, words rdx r10 r8; recv also gets the badge in
// rdi and the reply token in r9. Payloads are copied once, directly from
// the sender's address space into the receiver's.
#include "core/object.h"

struct endpoint *endpoint_create(void)
{
    struct endpoint *ep = kalloc(sizeof(*ep));
    if (!ep)
        return NULL;
    ep->obj.type = KOBJ_ENDPOINT;
    list_init(&ep->senders);
    list_init(&ep->receivers);
    return ep;
}

// Reads the caller's payload descriptor (0: no payload, no receive buffer).
static int bufs_load(struct thread *t, u64 ubufs)
{
    if (!ubufs) {
        t->bufs = (struct ipc_bufs){ 0 };
        return 0;
    }
    if (copy_in(t->proc->as, &t->bufs, ubufs, sizeof(t->bufs)))
        return -E_FAULT;
    if (t->bufs.send_len > IPC_MAX_PAYLOAD)
        return -E_TOOBIG;
    return 0;
}

// Records the message in the sender's registers for delivery.
static int msg_load(struct thread *t, struct trapframe *tf, u64 badge)
{
    t->msg_tag = tf->rsi;
    t->msg_w[0] = tf->rdx;
    t->msg_w[1] = tf->r10;
    t->msg_w[2] = tf->r8;
    t->msg_badge = badge;
    if (!(tf->rsi & TAG_HANDLE))
        return bufs_load(t, tf->r9);
    struct handle *h;
    int err = handle_lookup(t->proc->handles, (long)tf->r8, KOBJ_NONE, R_GRANT, &h);
    if (err)
        return err;
    t->xfer = *h;
    return bufs_load(t, tf->r9);
}

// Moves from's message into the registers and buffer of `to`, which is
// blocked (or is the current thread in recv). Fails without side effects
// on the receiver's registers.
static int deliver(struct thread *from, struct thread *to, bool is_reply)
{
    u64 len = from->bufs.send_len;
    struct handle *h;                // a handle the sender closed while it waited is gone
    if ((from->msg_tag & TAG_HANDLE) &&
        (handle_lookup(from->proc->handles, (long)from->msg_w[2], KOBJ_NONE, R_GRANT, &h) ||
         h->obj != from->xfer.obj))
        return -E_BADHANDLE;
    if (len > to->bufs.recv_max)
        return -E_TOOBIG;
    if (len && vm_copy(to->proc->as, (u64)to->bufs.recv, from->proc->as, (u64)from->bufs.send, len))
        return -E_FAULT;
    u64 w2 = from->msg_w[2];
    if (from->msg_tag & TAG_HANDLE) {
        long slot = handle_install(to->proc->handles, from->xfer.obj, from->xfer.rights,
                                   from->xfer.badge);
        if (slot < 0)
            return (int)slot;
        w2 = (u64)slot;
    }
    struct trapframe *tf = to->tf;
    tf->rsi = (from->msg_tag & ~(0x1ffffull << 32)) | (len << 32);
    tf->rdx = from->msg_w[0];
    tf->r10 = from->msg_w[1];
    tf->r8 = w2;
    if (!is_reply) {
        tf->rdi = from->msg_badge;
        tf->r9 = from->token;
    }
    return 0;
}

// The receiver now holds the caller's reply right.
static void hold_caller(struct thread *caller, struct proc *server)
{
    caller->ep = NULL;
    caller->server = server;
    caller->state = T_REPLY;
    list_add_tail(&server->callers, &caller->link);
}

static void queue_by_prio(struct list *q, struct thread *t)
{
    struct list *pos = q->next;
    while (pos != q && container_of(pos, struct thread, link)->prio >= t->prio)
        pos = pos->next;
    list_add_tail(pos, &t->link);
}

long ipc_call(struct handle *h, struct trapframe *tf)
{
    struct endpoint *ep = (struct endpoint *)h->obj;
    struct thread *cur = current;
    long result;
    if (fast_call(ep, tf, h->badge, &result))
        return result;
    if (!ep->recv_handles)
        return -E_DEAD;
    int err = msg_load(cur, tf, h->badge);
    if (err)
        return err;
    if (list_empty(&ep->receivers)) {
        cur->ep = ep;
        queue_by_prio(&ep->senders, cur);
        sched_block(T_SEND);
        return cur->wake_result;
    }
    struct thread *r = container_of(ep->receivers.next, struct thread, link);
    err = deliver(cur, r, false);
    if (err)
        return err;
    list_remove(&r->link);
    sched_wake(r, 0);
    hold_caller(cur, r->proc);
    sched_block(T_REPLY);
    return cur->wake_result;
}

// Delivers a bound notification's bits to thread t as a message.
static long take_notification(struct thread *t, struct notif *n)
{
    struct trapframe *tf = t->tf;
    tf->rsi = LABEL_NOTIFY;
    tf->rdx = n->bits;
    tf->rdi = 0;
    tf->r9 = 0;
    n->bits = 0;
    return 0;
}

// Takes the first deliverable sender or blocks. The receive buffer is
// already in current->bufs.
static long recv_loaded(struct endpoint *ep)
{
    struct thread *cur = current;
    while (!list_empty(&ep->senders)) {
        struct thread *s = container_of(ep->senders.next, struct thread, link);
        list_remove(&s->link);
        int err = deliver(s, cur, false);
        if (err) {
            sched_wake(s, err);                  // a message we cannot take
            continue;
        }
        hold_caller(s, cur->proc);
        return 0;
    }
    if (ep->bound && ep->bound->bits)
        return take_notification(cur, ep->bound);
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->link);
    sched_block(T_RECV);
    return cur->wake_result;
}

long ipc_recv(struct endpoint *ep, u64 ubufs)
{
    int err = bufs_load(current, ubufs);
    return err ? err : recv_loaded(ep);
}

// Replies to the caller named by token; with then_recv, goes on to
// receive on the endpoint handle in the low half of rdi. A reply to a
// caller that is gone fails with -E_DEAD (reply_recv ignores that).
long ipc_reply(u32 token, struct trapframe *tf, bool then_recv)
{
    struct thread *cur = current;
    struct endpoint *ep = NULL;
    if (then_recv) {
        struct handle *h;
        int err = handle_lookup(cur->proc->handles, (long)(u32)tf->rdi, KOBJ_ENDPOINT, R_RECV, &h);
        if (err)
            return err;
        ep = (struct endpoint *)h->obj;
        long fast;
        if (fast_reply_recv(ep, token, tf, &fast))
            return fast;
    }
    long result = msg_load(cur, tf, 0);
    if (result)
        return result;
    struct thread *t = token ? thread_by_token(token) : NULL;
    if (t && t->state == T_REPLY && t->server == cur->proc) {
        result = deliver(cur, t, true);
        list_remove(&t->link);
        sched_wake(t, result);
    } else if (token || !then_recv) {
        result = -E_DEAD;
    }
    return then_recv ? recv_loaded(ep) : result;
}

// A thread leaves whatever IPC wait it is in (it is dying).
void ipc_cancel(struct thread *t)
{
    if (t->state == T_SEND || t->state == T_RECV || t->state == T_REPLY)
        list_remove(&t->link);
}

// Callers held by a dead server get -E_DEAD.
void ipc_proc_died(struct proc *p)
{
    while (!list_empty(&p->callers)) {
        struct thread *t = container_of(p->callers.next, struct thread, link);
        list_remove(&t->link);
        sched_wake(t, -E_DEAD);
    }
}

// No one can receive on ep any more: release everyone waiting on it.
void endpoint_recv_gone(struct endpoint *ep)
{
    struct list *qs[2] = { &ep->senders, &ep->receivers };
    for (int i = 0; i < 2; i++) {
        while (!list_empty(qs[i])) {
            struct thread *t = container_of(qs[i]->next, struct thread, link);
            list_remove(&t->link);
            sched_wake(t, -E_DEAD);
        }
    }
}

// Makes n's signals arrive as messages on ep (one binding each way).
long endpoint_bind(struct endpoint *ep, struct notif *n)
{
    if (ep->bound || n->bound_ep)
        return -E_BUSY;
    ep->bound = n;                    // no references: each unbinds the
    n->bound_ep = ep;                 // other when it is destroyed
    return 0;
}

// From notif_signal: hands the bits to a thread waiting in recv on the
// bound endpoint, if there is one.
bool ipc_notify_receiver(struct notif *n)
{
    struct endpoint *ep = n->bound_ep;
    if (!ep || list_empty(&ep->receivers))
        return false;
    struct thread *t = container_of(ep->receivers.next, struct thread, link);
    list_remove(&t->link);
    take_notification(t, n);
    sched_wake(t, 0);
    return true;
}

void endpoint_destroy(struct endpoint *ep)
{
    if (ep->bound)
        ep->bound->bound_ep = NULL;
    kfree(ep, sizeof(*ep));
}
