// pipe: the pipe server. Each pipe has a ring buffer and, per process, a
// count of references to its read and write ends. Reads block while the
// pipe is empty and writers remain; writes block while it is full. A
// process's references go when it closes them or when proc reports its
// death, so a reader sees end of file once every writer is gone.
// PIPE_POLL answers what is ready and can keep a notification handle to
// signal when that changes (for poll and select in libc, see poll.c).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "pipe_proto.h"

#define H_MY_ENDPOINT 6
#define MAX_PIPES     64
#define MAX_HOLDERS   16
#define MAX_WAITERS   8
#define MAX_POLLERS   8

struct holder { int pid, refs[2]; };
struct waiter { uint32_t token; uint64_t max; };
struct poller { long handle; int pid; uint64_t events; };

struct pipe {
    int used;
    uint8_t buf[PIPE_BUF_SIZE];
    uint32_t head, count;
    struct holder holders[MAX_HOLDERS];
    struct waiter readers[MAX_WAITERS], writers[MAX_WAITERS];
    int nreaders, nwriters;
    struct poller pollers[MAX_POLLERS];
    int npollers;
};

static struct pipe pipes[MAX_PIPES];

static struct pipe *pipe_get(uint64_t id)
{
    return id < MAX_PIPES && pipes[id].used ? &pipes[id] : NULL;
}

static int end_refs(struct pipe *p, int end)
{
    int n = 0;
    for (int i = 0; i < MAX_HOLDERS; i++)
        n += p->holders[i].refs[end];
    return n;
}

static struct holder *holder_of(struct pipe *p, int pid, int create)
{
    for (int i = 0; i < MAX_HOLDERS; i++)
        if (p->holders[i].pid == pid && (p->holders[i].refs[0] || p->holders[i].refs[1]))
            return &p->holders[i];
    for (int i = 0; create && i < MAX_HOLDERS; i++)
        if (!p->holders[i].refs[0] && !p->holders[i].refs[1]) {
            p->holders[i].pid = pid;
            return &p->holders[i];
        }
    return NULL;
}

// Copies up to max bytes out of the ring into out; returns the count.
static uint32_t ring_take(struct pipe *p, uint8_t *out, uint64_t max)
{
    uint32_t n = 0;
    while (n < max && p->count) {
        out[n++] = p->buf[p->head];
        p->head = (p->head + 1) % PIPE_BUF_SIZE;
        p->count--;
    }
    return n;
}

static uint32_t ring_put(struct pipe *p, const uint8_t *in, uint64_t len)
{
    uint32_t n = 0;
    while (n < len && p->count < PIPE_BUF_SIZE) {
        p->buf[(p->head + p->count) % PIPE_BUF_SIZE] = in[n++];
        p->count++;
    }
    return n;
}

// What of `events` (PIPE_POLL_IN: the read end, _OUT: the write end) is
// ready now, with HUP and ERR for a missing other end.
static uint64_t pipe_ready(struct pipe *p, uint64_t events)
{
    uint64_t r = 0;
    if (events & PIPE_POLL_IN) {
        r |= p->count ? PIPE_POLL_IN : 0;
        r |= end_refs(p, 1) ? 0 : PIPE_POLL_HUP;
    }
    if (events & PIPE_POLL_OUT)
        r |= (end_refs(p, 0) ? 0 : PIPE_POLL_ERR) | (p->count < PIPE_BUF_SIZE ? PIPE_POLL_OUT : 0);
    return r;
}

// Signals (once) and forgets the pollers whose wait is over; all of them
// when the pipe goes away.
static void pollers_settle(struct pipe *p, int all)
{
    int k = 0;
    for (int i = 0; i < p->npollers; i++) {
        struct poller *w = &p->pollers[i];
        if (all || pipe_ready(p, w->events)) {
            sys_notif_signal(w->handle, 1);
            sys_handle_close(w->handle);
        } else {
            p->pollers[k++] = *w;
        }
    }
    p->npollers = k;
}

// Answers blocked readers and writers whose wait is over, and frees a
// pipe nobody holds any more.
static void pipe_settle(struct pipe *p)
{
    static uint8_t out[PIPE_BUF_SIZE];
    while (p->nreaders && (p->count || !end_refs(p, 1))) {
        struct waiter w = p->readers[0];
        memmove(p->readers, p->readers + 1, --p->nreaders * sizeof(w));
        uint32_t n = ring_take(p, out, w.max);
        server_reply(w.token, n, 0, 0, out, n);
    }
    while (p->nwriters && (p->count < PIPE_BUF_SIZE || !end_refs(p, 0))) {
        struct waiter w = p->writers[0];
        memmove(p->writers, p->writers + 1, --p->nwriters * sizeof(w));
        server_reply(w.token, end_refs(p, 0) ? 0 : (uint64_t)-EPIPE, 0, 0, NULL, 0);
    }
    int gone = !end_refs(p, 0) && !end_refs(p, 1) && !p->nreaders && !p->nwriters;
    pollers_settle(p, gone);
    if (gone)
        p->used = 0;
}

static int op_create(struct request *rq)
{
    rq->r0 = (uint64_t)-ENFILE;
    for (int i = 0; i < MAX_PIPES; i++) {
        if (pipes[i].used)
            continue;
        memset(&pipes[i], 0, sizeof(pipes[i]));
        pipes[i].used = 1;
        pipes[i].holders[0] = (struct holder){ (int)rq->badge, { 1, 1 } };
        rq->r0 = (uint64_t)i;
        break;
    }
    return 0;
}

static int op_read(struct request *rq)
{
    static uint8_t out[PIPE_BUF_SIZE];
    struct pipe *p = pipe_get(rq->w0);
    if (!p) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    if (!p->count && end_refs(p, 1)) {
        if (p->nreaders == MAX_WAITERS) {
            rq->r0 = (uint64_t)-EAGAIN;
            return 0;
        }
        p->readers[p->nreaders++] = (struct waiter){ rq->token, rq->w1 };
        return SERVER_DEFER;
    }
    uint32_t n = ring_take(p, out, rq->w1);
    rq->r0 = n;
    rq->reply_data = out;
    rq->reply_len = n;
    pipe_settle(p);
    return 0;
}

static int op_write(struct request *rq)
{
    struct pipe *p = pipe_get(rq->w0);
    if (!p) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    if (!end_refs(p, 0)) {
        rq->r0 = (uint64_t)-EPIPE;
        return 0;
    }
    uint32_t n = ring_put(p, rq->data, rq->len);
    if (n == 0 && rq->len) {
        if (p->nwriters == MAX_WAITERS) {
            rq->r0 = (uint64_t)-EAGAIN;
            return 0;
        }
        p->writers[p->nwriters++] = (struct waiter){ rq->token, 0 };   // "try again"
        return SERVER_DEFER;
    }
    rq->r0 = n;
    pipe_settle(p);
    return 0;
}

// Drops one reference of pid to an end (close), or all of them (death).
static void drop(struct pipe *p, int pid, int end, int all)
{
    struct holder *h = holder_of(p, pid, 0);
    if (h && h->refs[end] > 0)
        h->refs[end] = all ? 0 : h->refs[end] - 1;
}

static int op_close(struct request *rq)
{
    struct pipe *p = pipe_get(rq->w0);
    rq->r0 = p && rq->w1 < 2 ? 0 : (uint64_t)-EBADF;
    if (p && rq->w1 < 2) {
        drop(p, (int)rq->badge, (int)rq->w1, 0);
        pipe_settle(p);
    }
    return 0;
}

static int op_addref(struct request *rq)
{
    struct pipe *p = rq->badge & BADGE_SYSTEM ? pipe_get(rq->w0) : NULL;
    struct holder *h = p && rq->w1 < 2 ? holder_of(p, (int)rq->w2, 1) : NULL;
    rq->r0 = h ? 0 : (uint64_t)-EBADF;
    if (h)
        h->refs[rq->w1]++;
    return 0;
}

static int op_proc_gone(struct request *rq)
{
    if (!(rq->badge & BADGE_SYSTEM)) {
        rq->r0 = (uint64_t)-EPERM;
        return 0;
    }
    for (int i = 0; i < MAX_PIPES; i++) {
        if (!pipes[i].used)
            continue;
        drop(&pipes[i], (int)rq->w0, 0, 1);
        drop(&pipes[i], (int)rq->w0, 1, 1);
        pipe_settle(&pipes[i]);
    }
    rq->r0 = 0;
    return 0;
}

// PIPE_POLL: see pipe_proto.h. When the pipe's table of pollers is full,
// the oldest is woken and dropped (if alive, it asks again).
static int op_poll(struct request *rq)
{
    struct pipe *p = pipe_get(rq->w0);
    uint64_t events = rq->w1 & (PIPE_POLL_IN | PIPE_POLL_OUT);
    rq->r0 = p ? pipe_ready(p, events) : (uint64_t)-EBADF;
    if (!p || !rq->handle || rq->r0 || !events)
        return 0;                            // the loop closes a passed handle
    int i = 0;
    while (i < p->npollers && p->pollers[i].pid != (int)rq->badge)
        i++;
    if (i == MAX_POLLERS) {
        sys_notif_signal(p->pollers[0].handle, 1);
        sys_handle_close(p->pollers[0].handle);
        memmove(p->pollers, p->pollers + 1, (MAX_POLLERS - 1) * sizeof p->pollers[0]);
        i = --p->npollers;
    }
    if (i < p->npollers)
        sys_handle_close(p->pollers[i].handle);
    else
        p->npollers++;
    p->pollers[i] = (struct poller){ (long)rq->w2, (int)rq->badge, events };
    rq->handle = 0;
    return 0;
}

static const server_op ops[PIPE_OPS] = {
    [PIPE_CREATE] = op_create, [PIPE_READ] = op_read, [PIPE_WRITE] = op_write,
    [PIPE_CLOSE] = op_close, [PIPE_ADDREF] = op_addref, [PIPE_PROC_GONE] = op_proc_gone,
    [PIPE_POLL] = op_poll,
};

int main(int argc, char **argv)
{
    server_announce("pipe", argc, argv);
    struct server s = { H_MY_ENDPOINT, ops, PIPE_OPS, -1, NULL };
    server_run(&s);
}
