// fuzz: several worker processes at once issue seeded random system calls
// (random numbers, handles, rights, badges, lengths and pointers) to find
// kernel bugs. Each worker first drops the service handles it inherited, so
// its calls reach only objects it created itself; the kernel must answer
// every call with a result or an error and never panic or hang.
// A worker that dies (its own exit, a fault, or stuck for 2 s) is replaced
// by one that goes on with the calls left.
// Usage: fuzz -n CALLS -s SEED [-p PROCS]
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <osapi.h>
#include "os.h"
#include "services.h"
#include "pipe_proto.h"
#include "uapi/limits.h"
#include "fuzz/fuzz.h"

extern struct startinfo os_start;        // libc's copy of our start block

#define SCRATCH      0x500000000000ul    // the worker's own buffers: 16 pages,
#define SCRATCH_LEN  (16 * 4096ul)       // then an unmapped page
#define REPORT_EVERY 2048

// ---- the worker ----

enum kind { K_NONE, K_PRIVATE, K_SELF, K_CHILD, K_THREAD, K_EP_PLAIN, K_EP_SERVED,
            K_EP_FED, K_NOTIF, K_NOTIF_BOUND, K_NOTIF_WAITED,
            K_NOTIF_CLIENT };

// What the worker knows of each slot of its handle table. Helper threads'
// slots are K_PRIVATE and never named by a random call.
static struct { int kind, obj; } reg[LIMIT_HANDLES];
static int next_obj = 1;
static unsigned long rng;
static long stash = -1;                  // pipe endpoint for progress lines
static uint64_t pipe_id;
static int me, gen;
static unsigned long done_calls, errors, wrong;
static volatile unsigned long progress;
static volatile int reporting, main_leaving;
static volatile unsigned long cur_op;
static volatile long client_last = 1, client_calls, server_last = 1;    // what the main thread is doing (for a stuck report)
static struct ipc_bufs good_bufs;
static char tx[8192];                    // payload sent (never written by the kernel)

static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long pick(unsigned long n) { return n ? next() % n : 0; }
static int chance(int in) { return pick((unsigned long)in) == 0; }

// A pointer: null, kernel half, non-canonical, unmapped, straddling the end
// of the scratch pages, misaligned, or a valid scratch buffer.
static long rand_ptr(void)
{
    static const unsigned long bad[] = { 0, 0xffffffff80000000ul, 0xffff800000000000ul,
        0x0000800000000000ul, 0x1000, 0x00007fffffffffff, 0xfffffffffffffff0ul };
    switch (pick(6)) {
    case 0: return (long)bad[pick(sizeof bad / sizeof bad[0])];
    case 1: return (long)(SCRATCH + SCRATCH_LEN - 1 - pick(64));      // straddles
    case 2: return (long)(SCRATCH + 1 + pick(SCRATCH_LEN - 8));      // misaligned
    default: return (long)(SCRATCH + (pick(16) << 12) + (pick(4) << 6));
    }
}

// A length: 0, small, a page, odd sizes around pages and payload limits,
// huge or negative.
static long rand_len(void)
{
    static const long sizes[] = { 0, 1, 7, 4095, 4096, 4097, 65536, 65537, 1l << 40, -1,
                                  -4096, 0x7fffffffffffl };
    return chance(2) ? (long)pick(300) : sizes[pick(sizeof sizes / sizeof sizes[0])];
}

// A page-multiple length for vm calls, mostly small.
static long rand_vm_len(void)
{
    static const long sizes[] = { 0, 4096, 8192, 3 * 4096, 4095, 1l << 40, -4096,
                                  0x7ffffffff000l, 1l << 30, 256 * 4096 };
    return chance(3) ? sizes[pick(sizeof sizes / sizeof sizes[0])] : (long)(1 + pick(4)) * 4096;
}

static bool slot_usable(long h) { return h < 0 || h >= LIMIT_HANDLES || reg[h].kind != K_PRIVATE; }

// A handle: one of ours, any slot (often empty or stale), out of range or
// negative. Never a helper thread's private slot.
static long rand_handle(void)
{
    static const long bad[] = { -1, -2, LIMIT_HANDLES, LIMIT_HANDLES + 1, 1000, 1l << 40,
                                -(1l << 40), 0x7fffffffffffffffl };
    if (chance(6))
        return bad[pick(sizeof bad / sizeof bad[0])];
    for (int tries = 0; tries < 8; tries++) {
        long h = (long)pick(LIMIT_HANDLES);
        if (slot_usable(h) && (reg[h].kind != K_NONE || chance(4)))
            return h;
    }
    return -1;
}

static long rand_handle_of(int kind)
{
    for (int tries = 0; tries < 16; tries++) {
        long h = (long)pick(LIMIT_HANDLES);
        if (reg[h].kind == kind)
            return h;
    }
    return rand_handle();
}

static unsigned long rand_rights(void) { return chance(3) ? R_ALL : next() & 0x7f; }
static unsigned long rand_badge(void) { return chance(2) ? 0 : chance(2) ? next() : pick(8); }

static void note(long h, int kind, int obj)
{
    if (h >= 0 && h < LIMIT_HANDLES) {
        reg[h].kind = kind;
        reg[h].obj = obj;
    }
}

static bool notif_kind(int k) { return k >= K_NOTIF; }

// Every slot naming the object of slot h becomes `kind`.
static void retag(long h, int kind)
{
    int obj = reg[h].obj, cls = notif_kind(reg[h].kind);
    reg[h].kind = kind;
    for (int i = 0; obj && i < LIMIT_HANDLES; i++)
        if (reg[i].obj == obj && reg[i].kind != K_PRIVATE && notif_kind(reg[i].kind) == cls)
            reg[i].kind = kind;
}

static void report(char what)
{
    char line[64];
    if (stash < 0)
        return;
    int n = snprintf(line, sizeof line, "%c %d %lu %lu %lu\n", what, me, done_calls, errors, wrong);
    struct ipc_bufs b = { line, (unsigned long)n, NULL, 0 };
    struct msg m = { TAG(PIPE_WRITE, 0), pipe_id, 0, 0, 0, 0 };
    reporting = 1;
    ipc_call(stash, &m, &b);
    reporting = 0;
}

// ---- helper threads ----

// Answers calls on one endpoint with a reply of the size the caller asks
// for in w0. Handles passed to it are closed at once.
static void server_thread(long ep)
{
    static char rbuf[IPC_MAX_PAYLOAD];
    struct msg m = { 0 };
    uint32_t token = 0;
    for (;;) {
        struct ipc_bufs b = { tx, m.w0 % sizeof tx, rbuf, sizeof rbuf };
        if (!token)
            b.send_len = 0;
        server_last = 1;
        long e = token ? ipc_reply_recv(ep, token, &m, &b) : ipc_recv(ep, &m, &b);
        server_last = e;
        if (e < 0)
            sys_thread_exit();
        if (m.tag & TAG_HANDLE)
            sys_handle_close((long)m.w2);
        token = TAG_LABEL(m.tag) == LABEL_NOTIFY ? 0 : m.token;
        m.tag = TAG(m.w1 & 0xff, 0);
    }
}

// Keeps calling the endpoint the main thread receives on, so its recv
// and reply_recv never wait for long. One call in four passes a new
// notification, which the main thread may close while the call waits.
static void client_thread(long ep)
{
    static char rbuf[4096];
    int plain = 0;
    for (unsigned i = 0;; i++) {
        struct msg m = { TAG(7, 0), 1, 2, 3, 0, 0 };
        struct ipc_bufs b = { tx, 16, rbuf, sizeof rbuf };
        long n = i % 4 == 0 && !plain ? sys_notif_create() : -1;
        int obj = (int)(i % 1000000) + 1000000;   // ids of its own: no shared counter
        if (n >= LIMIT_HANDLES)
            n = -1;
        if (n >= 0) {
            m.tag |= TAG_HANDLE;
            m.w2 = (uint64_t)n;
            note(n, K_NOTIF_CLIENT, obj);
        }
        client_last = 1;
        long e = ipc_call(ep, &m, plain ? NULL : &b);
        client_last = e;
        client_calls++;
        if (e == -E_DEAD || e == -E_PERM || (e == -E_BADHANDLE && n < 0))
            sys_thread_exit();
        plain = e < 0;                   // the receiver's buffer is bad: send nothing
        if (e >= 0 && (m.tag & TAG_HANDLE))
            sys_handle_close((long)m.w2);
        if (n >= 0 && reg[n].kind == K_NOTIF_CLIENT && reg[n].obj == obj) {
            note(n, K_NONE, 0);          // unless the main thread closed it meanwhile
            sys_handle_close(n);
        }
    }
}

// Waits on a notification of its own that the main thread may signal,
// pass on or close (a wait on a notification whose last handle is closed
// must end, not hang on freed memory).
static void waiter_thread(long arg)
{
    (void)arg;
    long n = -1;
    int obj = 0;
    for (;;) {
        if (n < 0 || reg[n].kind != K_NOTIF_WAITED || reg[n].obj != obj) {
            n = sys_notif_create();
            if (n < 0 || n >= LIMIT_HANDLES) {
                n = -1;
                sys_sleep(10);
                continue;
            }
            obj = obj % 1000000 + 2000001;           // ids of its own
            note(n, K_NOTIF_WAITED, obj);
        }
        if (sys_notif_wait(n) < 0)
            sys_sleep(1);
    }
}

// Ends the worker when the main thread has made no progress for 2 s.
static void watchdog_thread(long arg)
{
    (void)arg;
    unsigned long last = ~0ul;
    for (int idle = 0;;) {
        sys_sleep(250);
        if (main_leaving)
            sys_exit(SELF_EXIT);
        idle = progress == last && !reporting ? idle + 1 : 0;
        if (idle >= 8) {
            char line[80];
            int n = snprintf(line, sizeof line, "fuzz: worker %d stuck in call %lu (%lx) c %ld %ld s %ld\n", me,
                             done_calls, cur_op, client_last, client_calls, server_last);
            sys_log((long)line, n);
            sys_exit(STUCK_EXIT);
        }
        last = progress;
    }
}

// A thread entry that needs no stack: thread_exit at once.
__attribute__((naked)) static void exit_stub(void)
{
    __asm__ volatile("mov %0, %%eax\n\tsyscall\n\tud2" :: "i"(SYS_thread_exit));
}

// ---- one random call per syscall ----

static long call6(long n, long a, long b, long c, long d, long e, long f)
{
    cur_op = (unsigned long)(n & 0xff) << 8 | (unsigned long)(a & 0xff) << 16 |
             (unsigned long)(a >= 0 && a < LIMIT_HANDLES ? reg[a].kind : 99) << 24;
    return syscall6(n, a, b, c, d, e, f);
}

// Address for vm calls on a process: on ourselves only inside the scratch
// pages (or not page-aligned / not user), on children anything.
static long rand_vm_addr(long proc)
{
    if (reg[proc >= 0 && proc < LIMIT_HANDLES ? proc : 0].kind == K_SELF || !chance(2)) {
        static const unsigned long bad[] = { 0xffff800000000000ul, 0x0000800000000000ul,
                                             SCRATCH + 1, 0x00007ffffffff000ul };
        return chance(5) ? (long)bad[pick(4)] : (long)(SCRATCH + (pick(32) << 12));
    }
    return (long)((pick(4) ? 0x400000ul : 0x7ffffff00000ul) + (pick(64) << 12));
}

static long vm_len_for(long proc, long va)
{
    long len = rand_vm_len();
    bool self = reg[proc >= 0 && proc < LIMIT_HANDLES ? proc : 0].kind == K_SELF;
    if (self && (unsigned long)va >= SCRATCH && (unsigned long)va < SCRATCH + (32 << 12) &&
        (len < 0 || len > 8 * 4096))
        len = 4096;                      // never past our scratch area
    return len;
}

static bool is_kind(long h, int kind)
{
    return h >= 0 && h < LIMIT_HANDLES && reg[h].kind == kind;
}

static bool is_endpoint(long h)
{
    return is_kind(h, K_EP_PLAIN) || is_kind(h, K_EP_SERVED) || is_kind(h, K_EP_FED);
}

// The bufs argument of an IPC call: none, a bad pointer, or a descriptor
// with random buffers (receive buffers only in scratch memory).
static long rand_bufs(void)
{
    if (chance(3))
        return 0;
    if (chance(5))
        return rand_ptr();
    good_bufs.send = chance(3) ? tx : (const void *)rand_ptr();
    good_bufs.send_len = (unsigned long)(chance(2) ? (long)pick(256) : rand_len());
    good_bufs.recv = chance(3) ? NULL : (void *)rand_ptr();
    good_bufs.recv_max = (unsigned long)(chance(2) ? (long)pick(8192) : rand_len());
    return (long)&good_bufs;
}

static long rand_tag(void)
{
    long tag = (long)(next() & 0xffffffff) | ((long)pick(0x20000) << 32);
    return chance(8) ? tag | (long)TAG_HANDLE : tag;
}

// After a recv that gave us a caller's token: answer it, randomly and then
// plainly, so that the client thread is never left waiting.
static void answer(long r, long token)
{
    if (r < 0 || !token)
        return;
    long e = call6(SYS_reply, token, rand_tag() & ~(long)TAG_HANDLE, 0, 0, 0, rand_bufs());
    if (e < 0)
        call6(SYS_reply, token, 0, 0, 0, 0, 0);
}

// recv (with token 0 in rdi's high half) or reply_recv; returns the
// caller's token, and notes a handle the message brought.
static long ipc_recv_op(long num, long h, long *token)
{
    register long r9 __asm__("r9") = rand_bufs();
    register long rdi __asm__("rdi") = num == SYS_recv ? h
                                       : (h & 0xffffffff) | (long)(next() & 0xffffffff) << 32;
    register long rsi __asm__("rsi") = rand_tag() & ~(long)TAG_HANDLE;
    register long r8 __asm__("r8") = 0;
    long n = num;
    cur_op = (unsigned long)num << 8 | 1 | (unsigned long)(h & 0xff) << 16 |
             (unsigned long)(h >= 0 && h < LIMIT_HANDLES ? reg[h].kind : 99) << 24;
    __asm__ volatile("syscall" : "+a"(n), "+r"(r9), "+r"(rdi), "+r"(rsi), "+r"(r8)
                     : : "rcx", "r11", "rdx", "r10", "memory");
    *token = n < 0 ? 0 : r9 & 0xffffffff;
    if (n >= 0 && (rsi & (long)TAG_HANDLE))
        note(r8, K_NOTIF, next_obj++);   // the client passes notifications
    return n;
}

// call and recv read the handle from the low half of the first argument
// and a timeout in milliseconds from the high half: h with 1-5 ms.
static long short_timeout(long h)
{
    return (h & 0xffffffff) | (long)(1 + pick(5)) << 32;
}

static long op_ipc(void)
{
    long h = rand_handle(), token = 0, r;
    switch (pick(4)) {
    case 0:                                          // call: only where someone answers,
        if (is_endpoint(h & 0xffffffff) && !is_kind(h & 0xffffffff, K_EP_SERVED))
            h = chance(2) ? LIMIT_HANDLES + 5 : short_timeout(h);   // or with a timeout
        r = call6(SYS_call, h, rand_tag(), (long)next(), (long)next(), chance(8) ? rand_handle() : (long)next(),
                     rand_bufs());
        return r;
    case 1:                                          // recv: only where the client calls,
        if (chance(2))                               // or with a timeout
            h = rand_handle_of(K_EP_FED);
        if (is_endpoint(h & 0xffffffff) && !is_kind(h & 0xffffffff, K_EP_FED))
            h = chance(2) ? -7 : short_timeout(h);
        r = ipc_recv_op(SYS_recv, h, &token);
        answer(r, token);
        return r;
    case 2:                                          // the kernel reads the low half only
        if (chance(2))
            h = rand_handle_of(K_EP_FED);
        if (is_endpoint(h & 0xffffffff) && !is_kind(h & 0xffffffff, K_EP_FED))
            h = -7;
        r = ipc_recv_op(SYS_reply_recv, h, &token);
        answer(r, token);
        return r;
    default:
        return call6(SYS_reply, (long)(chance(2) ? next() : pick(4096)), rand_tag(), 0, 0,
                     rand_handle(), rand_bufs());
    }
}

static long op_notif(void)
{
    long h = chance(2) ? rand_handle_of(K_NOTIF) : rand_handle();
    if (chance(2))
        return call6(SYS_notif_signal, h, chance(4) ? 0 : (long)next(), 0, 0, 0, 0);
    if (is_kind(h, K_NOTIF_BOUND) || is_kind(h, K_NOTIF_WAITED) || is_kind(h, K_NOTIF_CLIENT) ||
        (is_kind(h, K_NOTIF) && sys_notif_signal(h, 1) < 0))
        h = -3;                          // a wait nobody would end
    long r = call6(SYS_notif_wait, h, 0, 0, 0, 0, 0);
    cur_op = 0;
    return r;
}

static long op_create(void)
{
    long h;
    int obj = next_obj++;
    switch (pick(4)) {
    case 0:
        h = sys_endpoint_create();
        note(h, K_EP_PLAIN, obj);
        return h;
    case 1:
        h = sys_notif_create();
        note(h, K_NOTIF, obj);
        return h;
    case 2:
        h = call6(SYS_proc_create, chance(2) ? (long)"fuzzchild" : rand_ptr(),
                  chance(2) ? 9 : rand_len(), chance(2) ? -1 : rand_handle(), (long)next(), 0, 0);
        note(h, K_CHILD, obj);
        return h;
    default: {
        long from = rand_handle();
        h = call6(SYS_handle_mint, from, (long)rand_rights(), (long)rand_badge(), 0, 0, 0);
        if (h >= 0 && from >= 0 && from < LIMIT_HANDLES)
            note(h, reg[from].kind, reg[from].obj);
        return h;
    }
    }
}

static long op_handles(void)
{
    long h = rand_handle(), r;
    if (chance(2)) {
        if ((is_kind(h, K_SELF) || is_kind(h, K_EP_SERVED) || is_kind(h, K_EP_FED)) && !chance(8))
            h = rand_handle();
        if (chance(16))                  // any slot but a private one
            h = (long)pick(LIMIT_HANDLES);
        if (!slot_usable(h))
            return -E_BADHANDLE;
        r = sys_handle_close(h);
        if (r == 0) {
            if (is_kind(h, K_EP_FED) || is_kind(h, K_EP_SERVED))
                retag(h, K_EP_PLAIN);    // its helper may be gone
            note(h, K_NONE, 0);
        }
        return r;
    }
    long proc = chance(2) ? rand_handle_of(K_CHILD) : rand_handle();
    r = call6(SYS_handle_grant, proc, h, (long)rand_rights(), (long)rand_badge(), 0, 0);
    if (r >= 0 && is_kind(proc, K_SELF) && h >= 0 && h < LIMIT_HANDLES)
        note(r, reg[h].kind, reg[h].obj);
    return r;
}

static long op_vm(void)
{
    long proc = chance(3) ? 0 : chance(2) ? rand_handle_of(K_CHILD) : rand_handle();
    if (!is_kind(proc, K_SELF) && !is_kind(proc, K_CHILD) && chance(2))
        proc = rand_handle_of(K_CHILD);
    long va = rand_vm_addr(proc), len = vm_len_for(proc, va);
    switch (pick(3)) {
    case 0: return call6(SYS_vm_map, proc, va, len, (long)pick(8), 0, 0);
    case 1: return call6(SYS_vm_unmap, proc, va, is_kind(proc, K_CHILD) ? rand_vm_len() : len, 0, 0, 0);
    default:
        if (!is_kind(proc, K_CHILD))
            va = chance(2) ? rand_ptr() : (long)(SCRATCH + pick(SCRATCH_LEN));
        return call6(SYS_vm_write, proc, va, rand_ptr(), rand_len(), 0, 0);
    }
}

static long op_proc(void)
{
    long h = chance(2) ? rand_handle_of(K_CHILD) : rand_handle();
    bool self = is_kind(h, K_SELF) || h == 0;
    switch (pick(5)) {
    case 0:
        if (self)
            h = rand_handle_of(K_CHILD);
        if (is_kind(h, K_SELF))
            return -E_INVAL;
        return sys_proc_kill(h);
    case 1: return call6(SYS_proc_status, h, chance(2) ? 0 : rand_ptr(), 0, 0, 0, 0);
    case 2: {
        static const long kinds[] = { 0, 1, 3, 4, -1, 1l << 33 };   // no hang: it spins for ever
        return call6(SYS_proc_fault, h, kinds[pick(6)], (long)next(), 0, 0, 0);
    }
    case 3: return sys_proc_pid(h);
    default: {
        long entry = chance(2) ? (long)exit_stub : rand_ptr();
        if (self && entry != (long)exit_stub)
            entry = (long)exit_stub;
        long prio = chance(4) ? (long)next() : (long)pick(12);
        long t = call6(SYS_thread_create, h, entry, rand_ptr(), (long)next(), prio, 0);
        note(t, K_THREAD, next_obj++);
        return t;
    }
    }
}

// endpoint_bind needs the registry kept right: a bound notification's
// bits may go to a receiver, so nobody waits on it any more.
static long op_bind(void)
{
    long ep = rand_handle_of(pick(2) ? K_EP_SERVED : K_EP_PLAIN), n = rand_handle_of(K_NOTIF);
    long r = call6(SYS_endpoint_bind, ep, n, 0, 0, 0, 0);
    if (r == 0)
        retag(n, K_NOTIF_BOUND);
    return r;
}

static long op_misc(void)
{
    long h = rand_handle();
    switch (pick(12)) {
    case 0: return sys_yield();
    case 1: return sys_sleep(chance(4) ? (long)next() | (1l << 40) : (long)pick(2));
    case 2: return sys_time() < 0 ? -1 : 0;
    case 3: return sys_thread_self();
    case 4: return sys_proc_self();
    case 5:                              // our own helpers keep their priority
        return call6(SYS_thread_prio, h, is_kind(h, K_THREAD) && chance(2) ? (long)next() : 10, 0, 0, 0, 0);
    case 6: return op_bind();
    case 7: return call6(SYS_irq_get, h, (long)pick(20), 0, 0, 0, 0);
    case 8: return call6(SYS_ioport_get + (long)pick(2), h, (long)pick(0x10000), rand_len(), 0, 0, 0);
    case 9: return call6(SYS_mmio_get + (long)pick(2), h, (long)next(), rand_len(), 0, 0, 0);
    case 10: return call6(SYS_proc_info, h, (long)pick(100), rand_ptr(), 0, 0, 0);
    default: return call6(SYS_irq_bind + (long)pick(2), h, rand_handle(), (long)next(), 0, 0, 0);
    }
}

// log: random pointers with lengths that print nothing (0, or too long),
// and kernel-half or unmapped pointers, which must give -E_FAULT.
static long op_log(void)
{
    long p = rand_ptr(), len = chance(2) ? 0 : 257 + (long)pick(1000);
    if (chance(2)) {
        p = chance(2) ? (long)0xffffffff80000000ul : 0x1000;
        long r = call6(SYS_log, p, 1 + (long)pick(256), 0, 0, 0, 0);
        if (r != -E_FAULT)
            wrong++;
        return r;
    }
    return call6(SYS_log, p, len, 0, 0, 0, 0);
}

// Numbers outside the list must give -E_NOSYS.
static long op_nosys(void)
{
    static const long nums[] = { 64, 100, 255, 256, 1000, -1, -40, 1l << 32, 0x7fffffffffffffffl };
    long r = call6(nums[pick(9)], (long)next(), rand_ptr(), rand_len(), (long)next(), (long)next(),
                   rand_ptr());
    if (r != -E_NOSYS)
        wrong++;
    return r;
}

// Rare calls that end the worker; the parent starts a replacement.
static long op_die(void)
{
    report('P');
    switch (pick(3)) {
    case 0: sys_exit(SELF_EXIT); break;
    case 1: sys_proc_kill(0); break;
    default: main_leaving = 1; sys_thread_exit(); break;
    }
    return 0;
}

static long one_call(void)
{
    unsigned long r = pick(1000);
    if (r == 0 && chance(300))
        return op_die();
    if (r < 200) return op_ipc();
    if (r < 300) return op_notif();
    if (r < 380) return op_create();
    if (r < 480) return op_handles();
    if (r < 600) return op_vm();
    if (r < 700) return op_proc();
    if (r < 850) return op_misc();
    if (r < 870) return op_bind();
    if (r < 930) return op_log();
    return op_nosys();
}

// Drops every inherited handle but our own process (slot 0); keeps one
// private copy of the pipe endpoint for the progress lines.
static void drop_services(void)
{
    if (os_start.fds[1].type == FD_PIPE_W) {
        stash = sys_handle_mint(H_PIPE, R_SEND, 0);
        pipe_id = os_start.fds[1].id;
    }
    for (long h = 1; h < LIMIT_HANDLES; h++)
        if (h != stash)
            sys_handle_close(h);
    reg[0].kind = K_SELF;
    if (stash >= 0)
        reg[stash].kind = K_PRIVATE;
}

static bool has_kind(int kind)
{
    for (int i = 0; i < LIMIT_HANDLES; i++)
        if (reg[i].kind == kind)
            return true;
    return false;
}

// An endpoint with a helper thread on a private copy of it.
static void helper(void (*fn)(long), int kind, unsigned rights)
{
    long ep = sys_endpoint_create();
    long priv = sys_handle_mint(ep, rights, 0);
    long t = priv < 0 ? -1 : thread_start(fn, priv, 10, 16384);
    if (t < 0) {                         // table full or thread limit: no helper
        sys_handle_close(ep);
        sys_handle_close(priv);
        return;
    }
    int obj = next_obj++;
    note(ep, kind, obj);
    note(priv, K_PRIVATE, obj);
    note(t, K_THREAD, next_obj++);
}

static int worker(unsigned long calls, unsigned long seed)
{
    rng = seed * 0x9e3779b97f4a7c15ul + (unsigned long)me * 7919 + (unsigned long)gen * 104729 + 1;
    drop_services();
    sys_vm_map(0, (long)SCRATCH, (long)SCRATCH_LEN, PROT_READ | PROT_WRITE);
    for (size_t i = 0; i < sizeof tx; i++)
        tx[i] = (char)next();
    helper(server_thread, K_EP_SERVED, R_ALL);
    helper(client_thread, K_EP_FED, R_SEND);
    long w = thread_start(watchdog_thread, 0, 10, 16384);
    note(w, K_PRIVATE, 0);
    note(thread_start(waiter_thread, 0, 10, 16384), K_THREAD, next_obj++);
    while (done_calls < calls) {
        if (one_call() < 0)
            errors++;
        done_calls++;
        progress++;
        if (done_calls % REPORT_EVERY == 0) {
            report('P');
            if (reg[0].kind == K_SELF && !has_kind(K_EP_SERVED))   // closed: anew
                helper(server_thread, K_EP_SERVED, R_ALL);
            if (reg[0].kind == K_SELF && !has_kind(K_EP_FED))
                helper(client_thread, K_EP_FED, R_SEND);
        }
    }
    for (long h = 0; h < LIMIT_HANDLES; h++)        // leave no child behind
        if (reg[h].kind == K_CHILD)
            sys_proc_kill(h);
    report('D');
    sys_exit(0);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n = 10000, seed = 1;
    int procs = 4, index = -1;
    sys_handle_close(H_TRACE);           // the tracer is not ours to fuzz, nor our workers'
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            n = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "-s"))
            seed = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "-p"))
            procs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-w"))
            index = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-g"))
            gen = atoi(argv[i + 1]);
        else
            break;
    }
    if (argc % 2 == 0 || procs < 1 || procs > 16) {
        fprintf(stderr, "usage: fuzz -n CALLS -s SEED [-p PROCS (1-16)]\n");
        return 2;
    }
    if (index >= 0) {
        me = index;
        return worker(n, seed);
    }
    return fuzz_parent(n, seed, procs);
}
