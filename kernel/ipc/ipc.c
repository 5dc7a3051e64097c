// Synchronous IPC on endpoints: call, recv, reply and reply_recv.
//
// A caller blocks until a receiver takes its message (T_SEND, queued on the
// endpoint by priority) and then until the reply (T_REPLY, listed on the
// server process). A server names the caller it answers by the reply token
// recv gave it, so it may hold several calls and answer them in any order.
// Message registers: tag rsi, words rdx r10 r8; recv also gets the badge in
// rdi and the reply token in r9. Payloads are copied once, directly from
// the sender's address space into the receiver's.
//
// Priority inheritance, as in QNX: a server thread runs at the priority
// of the client whose message it received last (until it answers it or
// receives again), or of the highest-priority client waiting on the
// endpoint it serves if that is higher; waiting senders are served in
// priority order. call and recv may time out.
#include "core/object.h"

struct endpoint *endpoint_create(void)
{
    struct endpoint *ep = kalloc(sizeof(*ep));
    if (!ep)
        return NULL;
    ep->obj.type = KOBJ_ENDPOINT;
    list_init(&ep->senders);
    list_init(&ep->receivers);
    list_init(&ep->servers);
    return ep;
}

/* ---- priority inheritance ---- */

#define PI_DEPTH 8                 // bound on a chain of servers calling servers

static void servers_update(struct endpoint *ep, int depth);

static void queue_by_prio(struct list *q, struct thread *t)
{
    struct list *pos = q->next;
    while (pos != q && container_of(pos, struct thread, link)->prio >= t->prio)
        pos = pos->next;
    list_add_tail(pos, &t->link);
}

// The priority t should run at: its own, or that of the client it works
// for, or of the first client waiting on the endpoint it serves.
static int inherited_prio(struct thread *t)
{
    int p = t->base_prio;
    if (t->serving && t->serving->prio > p)
        p = t->serving->prio;
    struct endpoint *ep = t->serves;
    if (ep && !list_empty(&ep->senders)) {
        struct thread *s = container_of(ep->senders.next, struct thread, link);
        if (s->prio > p)
            p = s->prio;
    }
    return p;
}

// Recomputes t's priority and passes a change on along the chain: the
// queue t waits in, and the servers of that queue or of t's call.
static void prio_update(struct thread *t, int depth)
{
    int p = inherited_prio(t);
    if (p == t->prio || depth > PI_DEPTH)
        return;
    sched_set_prio(t, p);
    if (t->state == T_SEND) {
        list_remove(&t->link);
        queue_by_prio(&t->ep->senders, t);
        servers_update(t->ep, depth + 1);
    } else if (t->state == T_REPLY && t->handler && t->handler->serving == t) {
        prio_update(t->handler, depth + 1);
    }
}

static void servers_update(struct endpoint *ep, int depth)
{
    for (struct list *l = ep->servers.next; l != &ep->servers; l = l->next)
        prio_update(container_of(l, struct thread, serve_link), depth);
}

void ipc_prio_update(struct thread *t)
{
    prio_update(t, 0);
}

// t receives on ep from now on (and inherits from its senders).
static void serve(struct thread *t, struct endpoint *ep)
{
    if (t->serves == ep)
        return;
    if (t->serves)
        list_remove(&t->serve_link);
    t->serves = ep;
    list_add_tail(&ep->servers, &t->serve_link);
}

// A caller waiting for the reply of the thread that took its call is
// held by that thread's serving link alone, on no list (the fast path,
// arch/x86_64/fastipc.asm, then has no list to update); it goes on the
// process's callers when t stops serving it (t receives again, or dies),
// for any thread of the process to answer, or ipc_proc_died to find.
static void keep_caller(struct thread *t)
{
    if (t->serving)
        list_add_tail(&t->proc->callers, &t->serving->link);
}

// The caller leaves the server's list (or its serving link: answered,
// timed out or dead); the
// thread that worked for it drops what it inherited from it.
static void release_caller(struct thread *caller)
{
    struct thread *h = caller->handler;
    list_remove(&caller->link);
    caller->handler = NULL;
    if (h && h->serving == caller) {
        h->serving = NULL;
        prio_update(h, 0);
    }
}

/* ---- messages ---- */

// Reads the caller's payload descriptor (0: no payload, and no receive
// buffer unless it receives a request and has one registered: recv_buf).
static int bufs_load(struct thread *t, u64 ubufs, bool recv)
{
    if (!ubufs) {
        t->bufs = (struct ipc_bufs){ 0 };
        if (recv) {
            t->bufs.recv = (void *)t->rbuf;
            t->bufs.recv_max = t->rbuf_max;
        }
        return 0;
    }
    if (copy_in(t->proc->as, &t->bufs, ubufs, sizeof(t->bufs)))
        return -E_FAULT;
    if (t->bufs.send_len > IPC_MAX_PAYLOAD)
        return -E_TOOBIG;
    return 0;
}

// Records the message in the sender's registers for delivery; recv: it
// goes on to receive a request (reply_recv).
static int msg_load(struct thread *t, struct trapframe *tf, u64 badge, bool recv)
{
    t->msg_tag = tf->rsi;
    t->msg_w[0] = tf->rdx;
    t->msg_w[1] = tf->r10;
    t->msg_w[2] = tf->r8;
    t->msg_badge = badge;
    if (!(tf->rsi & TAG_HANDLE))
        return bufs_load(t, tf->r9, recv);
    struct handle *h;
    int err = handle_lookup(t->proc->handles, (long)tf->r8, KOBJ_NONE, R_GRANT, &h);
    if (err)
        return err;
    t->xfer = *h;
    return bufs_load(t, tf->r9, recv);
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
    trace_ipc(from, to, from->msg_tag, is_reply ? 0 : from->msg_badge, len, is_reply);
    return 0;
}

// The receiver now holds the caller's reply right, and works for it at
// its priority if that is higher.
static void hold_caller(struct thread *caller, struct thread *receiver)
{
    caller->proc->calls++;                       // for top
    receiver->proc->served++;
    caller->ep = NULL;
    caller->server = receiver->proc;
    caller->handler = receiver;
    receiver->serving = caller;                  // on callers once it stops serving
    caller->state = T_REPLY;                     // it (keep_caller)
    prio_update(receiver, 0);
}

// Blocks the current thread in an IPC wait, for at most timeout_ms
// (0: no limit).
static long ipc_wait(int state, u64 timeout_ms)
{
    if (timeout_ms)
        sched_timeout_arm(current, timeout_ms);
    sched_block(state);
    return current->wake_result;
}

long ipc_call(struct handle *h, struct trapframe *tf)
{
    struct endpoint *ep = (struct endpoint *)h->obj;
    struct thread *cur = current;
    u64 timeout = tf->rdi >> 32;
    if (!ep->recv_handles)
        return -E_DEAD;
    int err = msg_load(cur, tf, h->badge, false);
    if (err)
        return err;
    if (list_empty(&ep->receivers)) {
        cur->ep = ep;
        queue_by_prio(&ep->senders, cur);
        servers_update(ep, 0);                   // busy servers inherit our priority
        return ipc_wait(T_SEND, timeout);
    }
    struct thread *r = container_of(ep->receivers.next, struct thread, link);
    err = deliver(cur, r, false);
    if (err)
        return err;
    list_remove(&r->link);
    hold_caller(cur, r);
    sched_wake(r, 0);
    return ipc_wait(T_REPLY, timeout);
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
static long recv_loaded(struct endpoint *ep, u64 timeout)
{
    struct thread *cur = current;
    serve(cur, ep);
    if (cur->serving) {                          // a call it holds on to (deferred)
        keep_caller(cur);
        cur->serving = NULL;                     // no longer lends it priority
        prio_update(cur, 0);
    }
    while (!list_empty(&ep->senders)) {
        struct thread *s = container_of(ep->senders.next, struct thread, link);
        list_remove(&s->link);
        int err = deliver(s, cur, false);
        if (err) {
            sched_wake(s, err);                  // a message we cannot take
            continue;
        }
        hold_caller(s, cur);
        servers_update(ep, 0);                   // the queue's head changed
        return 0;
    }
    if (ep->bound && ep->bound->bits)
        return take_notification(cur, ep->bound);
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->link);
    return ipc_wait(T_RECV, timeout);
}

long ipc_recv(struct endpoint *ep, u64 ubufs, u64 timeout_ms)
{
    int err = bufs_load(current, ubufs, true);
    return err ? err : recv_loaded(ep, timeout_ms);
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
    }
    long result = msg_load(cur, tf, 0, then_recv);
    if (result)
        return result;
    struct thread *t = token ? thread_by_token(token) : NULL;
    if (t && t->state == T_REPLY && t->server == cur->proc) {
        result = deliver(cur, t, true);
        release_caller(t);
        sched_wake(t, result);
    } else if (token || !then_recv) {
        result = -E_DEAD;
    }
    return then_recv ? recv_loaded(ep, 0) : result;
}

// A thread leaves whatever IPC wait it is in (it dies or times out).
void ipc_cancel(struct thread *t)
{
    if (t->state == T_SEND) {
        list_remove(&t->link);
        servers_update(t->ep, 0);
    } else if (t->state == T_RECV) {
        list_remove(&t->link);
    } else if (t->state == T_REPLY) {
        release_caller(t);
    }
}

// A timed call or recv ran out of time. A server that still holds the
// call finds the caller gone when it replies: the caller's token changes.
void ipc_timeout(struct thread *t)
{
    if (t->state != T_SEND && t->state != T_RECV && t->state != T_REPLY) {
        sched_timeout_disarm(t);                 // not in an IPC wait (cannot happen)
        return;
    }
    if (t->state == T_REPLY)
        thread_new_token(t);
    ipc_cancel(t);
    sched_wake(t, -E_TIMEOUT);
}

// A dying thread stops serving; calls it held stay with its process
// (another thread may answer them).
void ipc_thread_died(struct thread *t)
{
    if (t->serves)
        list_remove(&t->serve_link);
    t->serves = NULL;
    keep_caller(t);
    t->serving = NULL;
    struct list *callers = &t->proc->callers;
    for (struct list *l = callers->next; l != callers; l = l->next)
        if (container_of(l, struct thread, link)->handler == t)
            container_of(l, struct thread, link)->handler = NULL;
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
// A new binding of ep replaces the old one: a restarted server binds its
// new notification to the endpoint it inherits, while the old one may
// live on (a client still holds a handle to signal it).
long endpoint_bind(struct endpoint *ep, struct notif *n)
{
    if (n->bound_ep)
        return -E_BUSY;
    if (ep->bound)
        ep->bound->bound_ep = NULL;
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
    while (!list_empty(&ep->servers)) {
        struct thread *t = container_of(ep->servers.next, struct thread, serve_link);
        list_remove(&t->serve_link);
        t->serves = NULL;
    }
    if (ep->bound)
        ep->bound->bound_ep = NULL;
    kfree(ep, sizeof(*ep));
}
