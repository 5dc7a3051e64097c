// The IPC fast path: call and reply_recv with a message in registers only,
// when the partner is already waiting and may run at once. The thread
// hands the CPU straight to its partner: no run queue, no scheduler pick.
// Anything unusual takes the general path in ipc.c, which does the same
// thing; the kernel command line word "nofastpath" turns this file off.
#include "core/object.h"

bool ipc_fastpath = true;

// Puts a register message into a waiting thread's saved registers.
static inline void put_msg(struct thread *to, struct trapframe *tf)
{
    struct trapframe *t = to->tf;
    t->rsi = tf->rsi & ~(0x1ffffull << 32);      // no payload
    t->rdx = tf->rdx;
    t->r10 = tf->r10;
    t->r8 = tf->r8;
}

// Loads the caller's buffer descriptor (0: none) if it sends no payload,
// only names where the reply goes. False on a payload or a bad pointer.
static inline bool recv_bufs_only(struct thread *t, u64 ubufs)
{
    t->bufs = (struct ipc_bufs){ 0, 0, 0, 0 };
    return !ubufs || (!copy_in(t->proc->as, &t->bufs, ubufs, sizeof(t->bufs)) && !t->bufs.send_len);
}

// Copies a reply payload of b into caller t's receive buffer. False if
// it does not fit or a pointer is bad (the general path then fails it).
static inline bool reply_payload(struct thread *t, struct ipc_bufs *b)
{
    return b->send_len <= IPC_MAX_PAYLOAD && b->send_len <= t->bufs.recv_max &&
           !vm_copy(t->proc->as, (u64)t->bufs.recv, current->proc->as, (u64)b->send, b->send_len);
}

// call: the first receiver waiting on ep takes the message and runs, at
// the caller's priority if that is higher (priority inheritance).
// Returns false, having changed nothing, when the fast path does not apply.
bool fast_call(struct endpoint *ep, struct trapframe *tf, u64 badge, long *result)
{
    struct thread *cur = current, *r;
    if (unlikely(!ipc_fastpath || (tf->rsi & TAG_HANDLE)))
        return false;                           // handle to pass
    if (unlikely(list_empty(&ep->receivers)))
        return false;                           // nobody waiting: queue up
    r = container_of(ep->receivers.next, struct thread, link);
    int prio = r->base_prio > cur->prio ? r->base_prio : cur->prio;
    if (unlikely(prio < sched_top_ready()))
        return false;                           // someone else must run first
    if (unlikely(!recv_bufs_only(cur, tf->r9)))
        return false;                           // payload to pass
    /* point of no return */
    list_remove(&r->link);
    sched_timeout_disarm(r);
    r->ep = NULL;
    r->prio = prio;
    put_msg(r, tf);
    r->tf->rdi = badge;                         // who calls, and how to answer
    r->tf->r9 = cur->token;
    r->wake_result = 0;
    cur->server = r->proc;
    cur->handler = r;
    r->serving = cur;
    cur->state = T_REPLY;
    list_add_tail(&r->proc->callers, &cur->link);
    r->state = T_RUNNING;
    sched_direct(r);
    *result = cur->wake_result;
    return true;
}

// reply_recv: the caller named by token takes the reply and runs, and
// the server waits on ep for the next message, at the priority it has
// without that caller.
bool fast_reply_recv(struct endpoint *ep, u32 token, struct trapframe *tf, long *result)
{
    struct thread *cur = current, *t = thread_by_token(token);
    struct ipc_bufs b = { 0, 0, 0, 0 };
    if (unlikely(!ipc_fastpath || !t || t->state != T_REPLY || t->handler != cur ||
                 cur->serving != t))
        return false;                           // no such caller, or not the last one
    if (unlikely(cur->serves != ep))
        return false;                           // first receive on ep
    if (unlikely((tf->rsi & TAG_HANDLE) || !list_empty(&ep->senders)))
        return false;                           // a handle to pass, or work queued
    if (unlikely(ep->bound && ep->bound->bits))
        return false;                           // a notification is pending
    if (unlikely(t->prio < sched_top_ready()))
        return false;
    if (unlikely(tf->r9 && copy_in(cur->proc->as, &b, tf->r9, sizeof(b))))
        return false;
    if (unlikely(b.send_len && !reply_payload(t, &b)))
        return false;                           // a payload that does not fit
    /* point of no return */
    cur->bufs = b;                              // where the next request goes
    list_remove(&t->link);
    sched_timeout_disarm(t);
    t->server = NULL;
    t->handler = NULL;
    cur->serving = NULL;
    cur->prio = cur->base_prio;                 // drop what t lent us (no one waits)
    put_msg(t, tf);
    t->tf->rsi |= b.send_len << 32;
    t->wake_result = 0;
    cur->ep = ep;
    cur->state = T_RECV;
    list_add_tail(&ep->receivers, &cur->link);
    t->state = T_RUNNING;
    sched_direct(t);
    *result = cur->wake_result;
    return true;
}
