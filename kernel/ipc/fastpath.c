// The IPC fast path in C: call and reply_recv with a message in registers
// only, when the partner is already waiting and may run at once. The
// assembly one (arch/x86_64/fastipc.asm) comes first and takes the common
// case; this one takes what it leaves (a buffer descriptor or reply
// payload, a timeout, a partner blocked in the general path or on the
// timeout list, tracing, an I/O bitmap...) before sys_call and
// sys_reply_recv (core/syscall.c) do. The thread hands the CPU
// straight to its partner: no run queue, no scheduler pick.
// Anything unusual takes the general path in ipc.c, which does the same
// thing; the kernel command line word "nofastpath" turns this file off
// (syscall_no_fastpath).
// On several CPUs the partner runs on the caller's CPU, if its CPU set
// allows; otherwise the general path wakes it where it may run. (A thread
// killed from another CPU never gets here: entry.asm checks thread.attn.)
// This file is built without a frame pointer, without using rbp, and
// with rbx and r12-r15 free to clobber (Makefile): fastipc.asm's park
// frame has them on the stack and takes them back when a fast path
// returns false.
#include "core/object.h"

// Handle h of the current process if it is an endpoint with `rights`,
// else NULL (the general path then reports the error).
static inline struct handle *fast_endpoint(struct thread *cur, long h, u32 rights)
{
    struct handle *hd;
    return handle_lookup(cur->proc->handles, h, KOBJ_ENDPOINT, rights, &hd) ? NULL : hd;
}

// Copies a struct ipc_bufs from the current (active) address space;
// false on a bad range or a page fault.
_Static_assert(sizeof(struct ipc_bufs) == 32, "arch_user_read32");
// arch_user_read32 (entry.asm) is called from asm, which tells the
// compiler what it changes (rax, rcx, rdx, r8): around a plain call the
// registers this file may use freely would be saved on the stack.
static inline bool bufs_copy_in(struct ipc_bufs *dst, u64 usrc)
{
    if (usrc > USER_TOP - sizeof(*dst))
        return false;
    register u64 rdi __asm__("rdi") = (u64)dst, rsi __asm__("rsi") = usrc;
    int r;
    __asm__ volatile("call arch_user_read32"
                     : "=a"(r), "+r"(rdi), "+r"(rsi) : : "rcx", "rdx", "r8", "memory", "cc");
    return !r;
}

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
// Without one, only the lengths are cleared: a caller waiting for its
// reply is no sender, and no byte goes to a receive buffer of length 0.
static inline bool recv_bufs_only(struct thread *t, u64 ubufs)
{
    if (!ubufs) {
        t->bufs.send_len = t->bufs.recv_max = 0;
        return true;
    }
    return bufs_copy_in(&t->bufs, ubufs) && !t->bufs.send_len;
}

// Copies a reply payload of b into caller t's receive buffer. False if
// it does not fit or a pointer is bad (the general path then fails it).
static inline bool reply_payload(struct thread *t, struct ipc_bufs *b)
{
    return b->send_len <= IPC_MAX_PAYLOAD && b->send_len <= t->bufs.recv_max &&
           !vm_copy(t->proc->as, (u64)t->bufs.recv, current->proc->as, (u64)b->send, b->send_len);
}

// call(handle, tag, w0, w1, w2, bufs) without a timeout: the first
// receiver waiting on the endpoint takes the message and runs, at the
// caller's priority if that is higher (priority inheritance). Parks the
// caller (sched_direct) until the reply: returns only (false, having
// changed nothing) when the fast path does not apply.
bool fast_call(struct trapframe *tf)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->thread, *r;
    struct handle *h;
    if (unlikely((tf->rdi >> 32) || (tf->rsi & TAG_HANDLE)))
        return false;                           // a timeout, or a handle to pass
    if (unlikely(!(h = fast_endpoint(cur, (int)tf->rdi, R_SEND))))
        return false;                           // not an endpoint we may send to
    struct endpoint *ep = (struct endpoint *)h->obj;
    if (unlikely(list_empty(&ep->receivers)))
        return false;                           // nobody waiting: queue up
    r = container_of(ep->receivers.next, struct thread, link);
    if (unlikely(!(r->cpus & c->bit)))
        return false;                           // it may not run on this CPU
    int prio = r->base_prio > cur->prio ? r->base_prio : cur->prio;
    if (unlikely(!sched_none_above(prio)))
        return false;                           // someone else must run first
    if (unlikely(!recv_bufs_only(cur, tf->r9)))
        return false;                           // payload to pass
    /* point of no return */
    list_remove(&r->link);
    sched_timeout_disarm(r);
    cur->proc->calls++;                         // for top
    r->proc->served++;
    r->ep = NULL;
    r->prio = prio;
    put_msg(r, tf);
    r->tf->rdi = h->badge;                      // who calls, and how to answer
    r->tf->r9 = cur->token;
    trace_fast(cur, r, tf->rsi, h->badge, 0, false);
    r->wake_result = 0;
    cur->server = r->proc;
    cur->handler = r;
    r->serving = cur;
    cur->state = T_REPLY;                       // held by r->serving alone (keep_caller)
    sched_direct(c, cur, r);                         // parks us: no return
}

// reply_recv(handle | token << 32, tag, w0, w1, w2, bufs): the caller
// named by token takes the reply and runs, and the server waits on the
// endpoint for the next message, at the priority it has without that
// caller. Parks the server until the next message: returns only (false,
// having changed nothing) when the fast path does not apply.
bool fast_reply_recv(struct trapframe *tf)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->thread, *t = cur->serving;
    struct ipc_bufs *b = &cur->bufs;            // where the next request goes
    struct handle *h;
    // cur->serving is the caller whose call cur took last, while it waits
    // for the reply (T_REPLY, handler cur): release_caller and
    // ipc_thread_died clear it when that ends. Its token is the one
    // thread_by_token would find it by.
    if (unlikely(!t || t->token != (u32)(tf->rdi >> 32) || t->state != T_REPLY))
        return false;                           // no such caller, or not the last one
    if (unlikely(!(t->cpus & c->bit)))
        return false;                           // t may not run here
    if (unlikely(!(h = fast_endpoint(cur, (u32)tf->rdi, R_RECV))))
        return false;                           // not an endpoint we may receive on
    struct endpoint *ep = (struct endpoint *)h->obj;
    if (unlikely(cur->serves != ep))
        return false;                           // first receive on ep
    if (unlikely((tf->rsi & TAG_HANDLE) || !list_empty(&ep->senders)))
        return false;                           // a handle to pass, or work queued
    if (unlikely(ep->bound && ep->bound->bits))
        return false;                           // a notification is pending
    if (unlikely(!sched_none_above(t->prio)))
        return false;
    // cur->bufs is free to overwrite: cur is not waiting, and the general
    // path loads it afresh.
    if (!tf->r9)                                // the registered buffer, if any
        *b = (struct ipc_bufs){ 0, 0, (void *)cur->rbuf, cur->rbuf_max };
    else if (unlikely(!bufs_copy_in(b, tf->r9)))
        return false;
    if (unlikely(b->send_len && !reply_payload(t, b)))
        return false;                           // a payload that does not fit
    /* point of no return */
    list_remove(&t->link);
    sched_timeout_disarm(t);
    t->server = NULL;
    t->handler = NULL;
    cur->serving = NULL;
    cur->prio = cur->base_prio;                 // drop what t lent us (no one waits)
    put_msg(t, tf);
    t->tf->rsi |= b->send_len << 32;
    trace_fast(cur, t, tf->rsi, 0, b->send_len, true);
    t->wake_result = 0;
    cur->ep = ep;
    cur->state = T_RECV;
    list_add_tail(&ep->receivers, &cur->link);
    sched_direct(c, cur, t);                         // parks us: no return
}

// The offsets and numbers arch/x86_64/fastipc.asm uses.
#define OFF(type, field, v) (offsetof(type, field) == (v))
_Static_assert(OFF(struct thread, link, 8) && OFF(struct thread, proc, 40) &&
               OFF(struct thread, ksp, 48) &&
               OFF(struct thread, tf, 64) && OFF(struct thread, prio, 72) &&
               OFF(struct thread, base_prio, 76) && OFF(struct thread, state, 80) &&
               OFF(struct thread, last_cpu, 88) && OFF(struct thread, cpus, 96) &&
               OFF(struct thread, attn, 105) && OFF(struct thread, token, 120) &&
               OFF(struct thread, ep, 144) &&
               OFF(struct thread, server, 152) && OFF(struct thread, handler, 160) &&
               OFF(struct thread, serving, 168) && OFF(struct thread, serves, 176) &&
               OFF(struct thread, timed, 106) && OFF(struct thread, bufs, 264) &&
               OFF(struct thread, rbuf, 296) && OFF(struct thread, rbuf_max, 304) &&
               OFF(struct thread, fpu, 352), "struct thread in fastipc.asm");
_Static_assert(OFF(struct proc, cr3, 56) && OFF(struct proc, handles, 64) &&
               OFF(struct proc, iopb, 120) &&
               OFF(struct proc, calls, 184) && OFF(struct proc, served, 192) &&
               sizeof(((struct thread *)0)->timed) == 1 && sizeof(trace_on) == 1,
               "struct proc in fastipc.asm");
_Static_assert(OFF(struct cpu, kstack_top, 8) && OFF(struct cpu, thread, 24) &&
               OFF(struct cpu, bit, 40) && OFF(struct cpu, need_resched, 48) &&
               OFF(struct cpu, id, 52) && OFF(struct cpu, zombie, 72) &&
               OFF(struct cpu, tss.rsp0, 180), "struct cpu in fastipc.asm");
_Static_assert(OFF(struct endpoint, senders, 8) && OFF(struct endpoint, receivers, 24) &&
               OFF(struct endpoint, bound, 64) && OFF(struct notif, bits, 8) &&
               sizeof(struct handle) == 24 && OFF(struct handle, rights, 8) &&
               OFF(struct handle, badge, 16) && OFF(struct kobj, type, 0) &&
               OFF(struct runq, bitmap, 0) && OFF(struct ipc_bufs, send_len, 8) &&
               OFF(struct ipc_bufs, recv, 16) && OFF(struct ipc_bufs, recv_max, 24),
               "other structures in fastipc.asm");
_Static_assert(HANDLES_MAX == 128 && TAG_LEN(~0ul) == 0x1ffff && KOBJ_ENDPOINT == 3 && R_SEND == 1 && R_RECV == 2 &&
               TAG_HANDLE == 1ul << 62 && T_RUNNING == 1 && T_REPLY == 3 && T_RECV == 4 &&
               PARK_FRAME == 64 && sizeof(struct trapframe) == 176 &&
               OFF(struct trapframe, r10, 40) && OFF(struct trapframe, r9, 48) &&
               OFF(struct trapframe, r8, 56) && OFF(struct trapframe, rdi, 72) &&
               OFF(struct trapframe, rsi, 80) && OFF(struct trapframe, rdx, 88) &&
               OFF(struct trapframe, rip, 136) && OFF(struct trapframe, rflags, 152) &&
               OFF(struct trapframe, rsp, 160), "numbers in fastipc.asm");
