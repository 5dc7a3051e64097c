// pipe: the pipe server. The pipes themselves (ring buffers, which
// processes hold which ends, the requests applied) live in the pipe
// table (table.c), memory that init allocates once and hands to every
// incarnation (handle H_TABLE), so a crash, a kill or a hang loses no
// byte: the next incarnation checks the table and carries on. What dies
// with the server is only what the kernel ties to it: the blocked readers'
// and writers' reply tokens and the pollers' notification handles. Their
// calls return -E_DEAD and libc sends them again (rpc.c), poll re-asks
// within a second (poll.c). Reads block while the pipe is empty and
// writers remain; writes block while it is full. A process's references
// go when it closes them or when proc reports its death, so a reader sees
// end of file once every writer is gone. PIPE_POLL answers what is ready
// and can keep a notification handle to signal when that changes.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "pipe_proto.h"
#include "table.h"

#define H_MY_ENDPOINT 6
#define H_TABLE       7           // the table's memory (init's grant)
#define TABLE_VADDR   0x500000000000ul
#define MAX_WAITERS   8
#define MAX_POLLERS   8

struct waiter { uint32_t token; int pid; uint64_t max, seq; };
struct poller { long handle; int pid; uint64_t events; };

// Per pipe, what dies with this incarnation.
struct waits {
    struct waiter readers[MAX_WAITERS], writers[MAX_WAITERS];
    int nreaders, nwriters;
    struct poller pollers[MAX_POLLERS];
    int npollers;
};

static struct pipe_table *tab;
static struct waits waits[PT_PIPES];
static uint8_t out[PIPE_BUF_SIZE];

static int caller(const struct request *rq) { return (int)(rq->badge & ~BADGE_SYSTEM); }

// The pipe of w0, or -EBADF / -EIO into r0 (returns -1 then).
static int pipe_of(struct request *rq)
{
    int i = pt_lookup(tab, rq->w0);
    if (i < 0)
        rq->r0 = (uint64_t)(long)i;
    return i < 0 ? -1 : i;
}

// What of `events` (PIPE_POLL_IN: the read end, _OUT: the write end) is
// ready now, with HUP and ERR for a missing other end.
static uint64_t pipe_ready(int i, uint64_t events)
{
    uint32_t count = tab->pipes[i].m.count;
    uint64_t r = 0;
    if (events & PIPE_POLL_IN) {
        r |= count ? PIPE_POLL_IN : 0;
        r |= pt_refs(tab, i, 1) ? 0 : PIPE_POLL_HUP;
    }
    if (events & PIPE_POLL_OUT)
        r |= (pt_refs(tab, i, 0) ? 0 : PIPE_POLL_ERR) | (count < PIPE_BUF_SIZE ? PIPE_POLL_OUT : 0);
    return r;
}

// Signals (once) and forgets the pollers whose wait is over; all of them
// when the pipe goes away.
static void pollers_settle(int i, int all)
{
    struct waits *w = &waits[i];
    int k = 0;
    for (int n = 0; n < w->npollers; n++) {
        struct poller *p = &w->pollers[n];
        if (all || pipe_ready(i, p->events)) {
            sys_notif_signal(p->handle, 1);
            sys_handle_close(p->handle);
        } else {
            w->pollers[k++] = *p;
        }
    }
    w->npollers = k;
}

// Answers a read: n bytes (then taken out of the pipe, once delivered),
// 0 for end of file, or an error.
static void answer_read(int i, uint32_t token, long n)
{
    server_reply(token, (uint64_t)n, 0, 0, out, n > 0 ? (uint64_t)n : 0);
    if (n > 0)
        pt_read_commit(tab, i);
}

// Answers blocked readers and writers whose wait is over, and frees a
// pipe nobody holds any more.
static void pipe_settle(int i)
{
    struct waits *w = &waits[i];
    while (w->nreaders) {
        struct waiter r = w->readers[0];
        long n = pt_read_begin(tab, i, r.pid, r.seq, r.max, out);
        if (n == -EAGAIN || (n == 0 && pt_refs(tab, i, 1)))
            break;
        memmove(w->readers, w->readers + 1, --w->nreaders * sizeof(r));
        answer_read(i, r.token, n);
    }
    while (w->nwriters && (tab->pipes[i].m.count < PIPE_BUF_SIZE || !pt_refs(tab, i, 0))) {
        struct waiter r = w->writers[0];
        memmove(w->writers, w->writers + 1, --w->nwriters * sizeof(r));
        server_reply(r.token, pt_refs(tab, i, 0) ? 0 : (uint64_t)-EPIPE, 0, 0, NULL, 0);
    }
    int gone = !pt_refs(tab, i, 0) && !pt_refs(tab, i, 1) && !w->nreaders && !w->nwriters;
    pollers_settle(i, gone);
    if (gone)
        pt_free(tab, i);
}

static int wait_add(struct waiter *list, int *n, struct waiter w)
{
    if (*n == MAX_WAITERS)
        return -EAGAIN;
    list[(*n)++] = w;
    return 0;
}

static int op_create(struct request *rq)
{
    rq->r0 = (uint64_t)pt_create(tab, caller(rq), rq->w0);
    return 0;
}

// PIPE_READ: w0 = id, w1 = max, w2 = the caller's sequence number. The
// answer goes before the bytes leave the pipe (answer_read).
static int op_read(struct request *rq)
{
    int i = pipe_of(rq);
    if (i < 0)
        return 0;
    uint64_t max = rq->w1 < PIPE_BUF_SIZE ? rq->w1 : PIPE_BUF_SIZE;
    long n = pt_read_begin(tab, i, caller(rq), rq->w2, max, out);
    if (n > 0 || (n == 0 && !pt_refs(tab, i, 1))) {
        answer_read(i, rq->token, n);
        pipe_settle(i);
        return SERVER_DEFER;
    }
    struct waits *w = &waits[i];
    struct waiter r = { rq->token, caller(rq), max, rq->w2 };
    if (wait_add(w->readers, &w->nreaders, r)) {
        rq->r0 = (uint64_t)-EAGAIN;
        return 0;
    }
    return SERVER_DEFER;
}

// PIPE_WRITE: w0 = id, w1 = the caller's sequence number.
static int op_write(struct request *rq)
{
    int i = pipe_of(rq);
    if (i < 0)
        return 0;
    if (!pt_refs(tab, i, 0)) {
        rq->r0 = (uint64_t)-EPIPE;
        return 0;
    }
    long n = pt_write(tab, i, caller(rq), rq->w1, rq->data, rq->len);
    if (n == 0 && rq->len) {
        struct waits *w = &waits[i];
        struct waiter r = { rq->token, caller(rq), 0, 0 };   // answered "try again"
        if (wait_add(w->writers, &w->nwriters, r)) {
            rq->r0 = (uint64_t)-EAGAIN;
            return 0;
        }
        return SERVER_DEFER;
    }
    rq->r0 = (uint64_t)n;
    pipe_settle(i);
    return 0;
}

// PIPE_CLOSE: w0 = id, w1 = end, w2 = the caller's sequence number.
static int op_close(struct request *rq)
{
    int i = pipe_of(rq);
    if (i < 0)
        return 0;
    rq->r0 = rq->w1 < 2 ? 0 : (uint64_t)-EBADF;
    if (rq->w1 < 2) {
        pt_close(tab, i, caller(rq), (int)rq->w1, rq->w2);
        pipe_settle(i);
    }
    return 0;
}

static int op_addref(struct request *rq)
{
    int i = rq->badge & BADGE_SYSTEM ? pipe_of(rq) : -1;
    rq->r0 = (uint64_t)-EBADF;
    if (i >= 0 && rq->w1 < 2)
        rq->r0 = (uint64_t)(long)pt_addref(tab, i, (int)rq->w2, (int)rq->w1);
    return 0;
}

static int op_proc_gone(struct request *rq)
{
    if (!(rq->badge & BADGE_SYSTEM)) {
        rq->r0 = (uint64_t)-EPERM;
        return 0;
    }
    pt_proc_gone(tab, (int)rq->w0);
    for (int i = 0; i < PT_PIPES; i++)
        if (tab->pipes[i].m.state == PS_USED)
            pipe_settle(i);
    rq->r0 = 0;
    return 0;
}

// PIPE_POLL: see pipe_proto.h. When the pipe's table of pollers is full,
// the oldest is woken and dropped (if alive, it asks again).
static int op_poll(struct request *rq)
{
    int i = pipe_of(rq);
    uint64_t events = rq->w1 & (PIPE_POLL_IN | PIPE_POLL_OUT);
    if (i < 0)
        return 0;
    rq->r0 = pipe_ready(i, events);
    if (!rq->handle || rq->r0 || !events)
        return 0;                            // the loop closes a passed handle
    struct waits *w = &waits[i];
    int k = 0;
    while (k < w->npollers && w->pollers[k].pid != caller(rq))
        k++;
    if (k == MAX_POLLERS) {
        sys_notif_signal(w->pollers[0].handle, 1);
        sys_handle_close(w->pollers[0].handle);
        memmove(w->pollers, w->pollers + 1, (MAX_POLLERS - 1) * sizeof w->pollers[0]);
        k = --w->npollers;
    }
    if (k < w->npollers)
        sys_handle_close(w->pollers[k].handle);
    else
        w->npollers++;
    w->pollers[k] = (struct poller){ (long)rq->w2, caller(rq), events };
    rq->handle = 0;
    return 0;
}

static const server_op ops[PIPE_OPS] = {
    [PIPE_CREATE] = op_create, [PIPE_READ] = op_read, [PIPE_WRITE] = op_write,
    [PIPE_CLOSE] = op_close, [PIPE_ADDREF] = op_addref, [PIPE_PROC_GONE] = op_proc_gone,
    [PIPE_POLL] = op_poll,
};

static void dropped(int index, const char *why)
{
    printf("pipe: pipe %d failed the check (%s): dropped, its ends get EIO\n", index, why);
}

// Maps the table init keeps for us; without one (started by hand), a
// private table that dies with this incarnation.
static struct pipe_table *table_map(void)
{
    static struct pipe_table private_table;
    if (sys_mmio_map(H_TABLE, (long)TABLE_VADDR) == 0)
        return (struct pipe_table *)TABLE_VADDR;
    printf("pipe: no table from init: pipes will not survive a restart\n");
    return &private_table;
}

int main(int argc, char **argv)
{
    int restarts = server_announce("pipe", argc, argv);
    tab = table_map();
    struct pt_report r = pt_open(tab, dropped);
    if (restarts || !r.fresh)
        printf("pipe: table %s: %d pipes kept, %d dropped%s\n", r.fresh ? "new" : "checked",
               r.kept, r.dropped, r.redone ? ", last change redone" : "");
    for (int i = 0; i < PT_PIPES; i++)      // one whose last end closed as we died
        if (tab->pipes[i].m.state == PS_USED)
            pipe_settle(i);
    struct server s = { H_MY_ENDPOINT, ops, PIPE_OPS, -1, NULL, NULL };
    server_run(&s);
}
