// The net server's sockets (see sock.h and net_proto.h). A socket is a
// slot of a fixed table holding its lwIP pcb, the data received and not
// yet read (TCP: a pbuf chain, acknowledged to the peer with tcp_recved
// only as the owner reads it, so the window is the flow control; UDP: a
// queue of datagrams), the connections waiting for accept, and at most
// one waiting reader (recv, accept) and one waiting writer (send,
// connect). NET_POLL keeps at most one notification handle per socket,
// signalled once when a callback may have made the socket ready.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os.h"
#include "net_proto.h"
#include "services.h"
#include "sock.h"
#include "sock_int.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/timeouts.h"

static struct sock socks[MAX_SOCKS];
static uint8_t io_buf[NET_IO_MAX];

static uint64_t now_ms(void) { return (uint64_t)sys_time() / 1000000; }

// The socket a request names, if its caller owns it.
struct sock *sock_get(const struct request *rq)
{
    if (rq->w0 >= MAX_SOCKS)
        return NULL;
    struct sock *s = &socks[rq->w0];
    return s->used && s->owner == (rq->badge & OWNER_MASK) ? s : NULL;
}

int sock_id(const struct sock *s) { return (int)(s - socks); }

static int owner_has_socks(uint64_t owner)
{
    for (int i = 0; i < MAX_SOCKS; i++)
        if (socks[i].used && socks[i].owner == owner)
            return 1;
    return 0;
}

// A fresh socket of owner. For its first socket, proc is asked to tell
// us of owner's death (procwatch.c); NULL if there is no room, or if
// owner is already gone.
struct sock *sock_alloc(int type, uint64_t owner)
{
    if (!owner_has_socks(owner) && procwatch_watch(owner) < 0)
        return NULL;
    for (int i = 0; i < MAX_SOCKS; i++)
        if (!socks[i].used) {
            struct sock *s = &socks[i];
            memset(s, 0, sizeof(*s));
            s->used = 1;
            s->type = type;
            s->owner = owner;
            return s;
        }
    return NULL;
}

// Every distinct owner of a socket, at most max of them; their count.
int sock_owners(uint64_t *out, int max)
{
    int n = 0;
    for (int i = 0; i < MAX_SOCKS; i++) {
        int seen = !socks[i].used;
        for (int j = 0; j < n && !seen; j++)
            seen = out[j] == socks[i].owner;
        if (!seen && n < max)
            out[n++] = socks[i].owner;
    }
    return n;
}

// ---- answering waiting calls -------------------------------------------

static void waiter_clear(struct waiter *w)
{
    free(w->data);
    memset(w, 0, sizeof(*w));
}

static void waiter_answer(struct waiter *w, long r0, uint64_t r1, const void *data, uint64_t len)
{
    server_reply(w->token, (uint64_t)r0, r1, 0, data, len);
    waiter_clear(w);
}

// Copies up to max queued TCP bytes out; unless peek, they leave the
// queue and the window opens by as much.
static uint32_t tcp_take(struct sock *s, uint64_t max, int peek)
{
    if (!s->rx)
        return 0;
    uint32_t want = (uint32_t)(max < sizeof(io_buf) ? max : sizeof(io_buf));
    uint32_t n = 0;
    while (n < want && n < s->rx->tot_len) {
        uint32_t chunk = want - n > 0xffff ? 0xffff : want - n;
        uint16_t got = pbuf_copy_partial(s->rx, io_buf + n, (u16_t)chunk, (u16_t)n);
        if (!got)
            break;
        n += got;
    }
    if (peek)
        return n;
    for (uint32_t left = n; left;) {
        uint16_t part = left > 0xffff ? 0xffff : (uint16_t)left;
        s->rx = pbuf_free_header(s->rx, part);
        if (s->tcp)
            tcp_recved(s->tcp, part);
        left -= part;
    }
    return n;
}

// recv on a TCP socket: data, end of stream, an error, or nothing yet (-1).
static long tcp_recv_now(struct sock *s, uint64_t max, unsigned flags, const void **data)
{
    *data = io_buf;
    if (s->rx && s->rx->tot_len && max)
        return tcp_take(s, max, flags & NET_PEEK);
    if (s->err) {
        int e = s->err;
        s->err = 0;
        return -e;
    }
    if (s->rx_eof || s->shut_rd || !max)
        return 0;
    if (!s->tcp)
        return -ENOTCONN;
    return -1;
}

// recv on a UDP socket: one datagram (cut to max), or nothing yet (-1).
static long udp_recv_now(struct sock *s, uint64_t max, unsigned flags, uint64_t *from)
{
    if (!s->dq_n)
        return s->shut_rd ? 0 : -1;
    struct dgram *d = &s->dq[s->dq_head];
    uint32_t want = (uint32_t)(max < sizeof(io_buf) ? max : sizeof(io_buf));
    if (want > d->p->tot_len)
        want = d->p->tot_len;
    uint32_t n = pbuf_copy_partial(d->p, io_buf, (u16_t)want, 0);
    *from = d->from;
    if (!(flags & NET_PEEK)) {
        pbuf_free(d->p);
        s->dq_head = (s->dq_head + 1) % UDP_QUEUE;
        s->dq_n--;
    }
    return n;
}

// What of events (NET_POLL_IN / _OUT) is ready now, with HUP and ERR.
static uint64_t sock_ready(const struct sock *s, uint64_t events)
{
    uint64_t r = s->err ? NET_POLL_ERR : 0;
    int tcp_gone = s->type == NET_TCP && !s->tcp && !s->listening;
    if (s->type == NET_TCP && ((s->rx_eof && s->shut_wr) || (tcp_gone && s->connected)))
        r |= NET_POLL_HUP;
    if (events & NET_POLL_IN) {
        int in = s->listening ? s->acq_n > 0
               : s->type == NET_UDP ? s->dq_n > 0 || s->shut_rd
               : (s->rx && s->rx->tot_len) || s->rx_eof || s->shut_rd || s->err || tcp_gone;
        r |= in ? NET_POLL_IN : 0;
    }
    if (events & NET_POLL_OUT) {
        int out = s->type == NET_UDP || s->err || s->shut_wr || tcp_gone;
        if (s->type == NET_TCP && s->tcp && s->connected && !s->listening)
            out |= tcp_sndbuf(s->tcp) > 0 && tcp_sndqueuelen(s->tcp) < TCP_SND_QUEUELEN;
        r |= out ? NET_POLL_OUT : 0;
    }
    return r;
}

// Signals and drops the kept NET_POLL handle if its wait is over (or
// always, with force).
static void poll_settle(struct sock *s, int force)
{
    if (!s->polled || (!force && !sock_ready(s, s->poll_ev)))
        return;
    sys_notif_signal(s->poll_h, 1);
    sys_handle_close(s->poll_h);
    s->polled = 0;
}

// Tries to finish the waiting reader.
static void reader_finish(struct sock *s)
{
    struct waiter *w = &s->rd;
    if (w->kind == W_RECV) {
        const void *data = io_buf;
        uint64_t from = 0;
        long n = s->type == NET_TCP ? tcp_recv_now(s, w->max, w->flags, &data)
                                    : udp_recv_now(s, w->max, w->flags, &from);
        if (s->type == NET_TCP && s->tcp)
            from = addr_from_lwip(&s->tcp->remote_ip, s->tcp->remote_port);
        if (n != -1)
            waiter_answer(w, n, from, n > 0 ? data : NULL, n > 0 ? (uint64_t)n : 0);
    } else if (w->kind == W_ACCEPT) {
        if (s->acq_n) {
            struct sock *c = &socks[s->acq[s->acq_head]];
            s->acq_head = (s->acq_head + 1) % ACCEPT_MAX;
            s->acq_n--;
            uint64_t peer = c->tcp ? addr_from_lwip(&c->tcp->remote_ip, c->tcp->remote_port) : 0;
            waiter_answer(w, sock_id(c), peer, NULL, 0);
        } else if (!s->tcp) {
            waiter_answer(w, -EINVAL, 0, NULL, 0);
        }
    }
}

// Queues as much of data as the send buffer takes; returns the bytes
// taken (0: no room now) or a negative errno.
static long tcp_send_now(struct sock *s, const uint8_t *data, uint32_t len)
{
    if (s->err) {
        int e = s->err;
        s->err = 0;
        return -e;
    }
    if (s->shut_wr)
        return -EPIPE;
    if (!s->tcp || !s->connected)
        return s->rx_eof || s->connected ? -EPIPE : -ENOTCONN;
    uint32_t done = 0;
    while (done < len) {
        uint32_t room = tcp_sndbuf(s->tcp), n = len - done;
        if (n > room)
            n = room;
        if (n > 0xffff)
            n = 0xffff;
        if (!n || tcp_sndqueuelen(s->tcp) >= TCP_SND_QUEUELEN)
            break;
        err_t e = tcp_write(s->tcp, data + done, (u16_t)n, TCP_WRITE_FLAG_COPY);
        if (e == ERR_MEM)
            break;
        if (e != ERR_OK)
            return done ? (long)done : -err_to_errno(e);
        done += n;
    }
    if (done)
        tcp_output(s->tcp);
    return done;
}

// Tries to finish the waiting writer.
static void writer_finish(struct sock *s)
{
    struct waiter *w = &s->wr;
    if (w->kind == W_SEND) {
        long n = tcp_send_now(s, w->data, w->len);
        if (n != 0)
            waiter_answer(w, n, 0, NULL, 0);
    } else if (w->kind == W_CONNECT && !s->connecting) {
        int e = s->connected ? 0 : (s->err ? s->err : ECONNREFUSED);
        s->err = 0;
        waiter_answer(w, -e, 0, NULL, 0);
    }
}

// Something happened on s: the waiting calls and a poller may be done.
void reader_wake(struct sock *s)
{
    reader_finish(s);
    poll_settle(s, 0);
}

void writer_wake(struct sock *s)
{
    writer_finish(s);
    poll_settle(s, 0);
}

// Waits for the reader or writer slot: the reply comes later.
static int defer(struct request *rq, struct waiter *w, int kind, uint32_t timeo)
{
    if (w->kind != W_NONE) {
        rq->r0 = (uint64_t)-EBUSY;         // one waiting call per direction
        return 0;
    }
    w->kind = kind;
    w->token = rq->token;
    w->deadline = timeo ? now_ms() + timeo : 0;
    return SERVER_DEFER;
}

static int nonblocking(const struct sock *s, uint64_t flags)
{
    return (s->flags | (unsigned)flags) & NET_NONBLOCK;
}

void sock_tick(uint64_t now)
{
    for (int i = 0; i < MAX_SOCKS; i++) {
        struct sock *s = &socks[i];
        if (!s->used)
            continue;
        if (s->rd.kind && s->rd.deadline && now >= s->rd.deadline)
            waiter_answer(&s->rd, -EAGAIN, 0, NULL, 0);
        if (s->wr.kind && s->wr.deadline && now >= s->wr.deadline)
            waiter_answer(&s->wr, s->wr.kind == W_CONNECT ? -ETIMEDOUT : -EAGAIN, 0, NULL, 0);
    }
}

// ---- the operations ----------------------------------------------------

static int op_socket(struct request *rq)
{
    if (rq->w0 != NET_TCP && rq->w0 != NET_UDP) {
        rq->r0 = (uint64_t)-EPROTONOSUPPORT;
        return 0;
    }
    struct sock *s = sock_alloc((int)rq->w0, rq->badge & OWNER_MASK);
    if (!s) {
        rq->r0 = (uint64_t)-EMFILE;
        return 0;
    }
    s->flags = (unsigned)rq->w1 & NET_NONBLOCK;
    if (s->type == NET_TCP) {
        s->tcp = tcp_new();
        if (s->tcp)
            tcp_callbacks(s, s->tcp);
    } else {
        s->udp = udp_new();
        if (s->udp)
            udp_recv(s->udp, on_udp, s);
    }
    if (!s->tcp && !s->udp) {
        s->used = 0;
        rq->r0 = (uint64_t)-ENOBUFS;
        return 0;
    }
    rq->r0 = (uint64_t)sock_id(s);
    return 0;
}

static int op_bind(struct request *rq)
{
    struct sock *s = sock_get(rq);
    ip_addr_t ip;
    if (!s || !net_addr_valid(rq->w1)) {
        rq->r0 = (uint64_t)(s ? -EINVAL : -EBADF);
        return 0;
    }
    addr_to_lwip(rq->w1, &ip);
    err_t e = ERR_VAL;
    if (s->tcp && !s->listening)
        e = tcp_bind(s->tcp, &ip, net_addr_port(rq->w1));
    else if (s->udp)
        e = udp_bind(s->udp, &ip, net_addr_port(rq->w1));
    rq->r0 = (uint64_t)-err_to_errno(e);
    return 0;
}

static int op_listen(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s || s->type != NET_TCP || !s->tcp || s->connected || s->connecting) {
        rq->r0 = (uint64_t)(!s ? -EBADF : s->type != NET_TCP ? -EOPNOTSUPP : -EINVAL);
        return 0;
    }
    int backlog = rq->w1 < 1 ? 1 : rq->w1 > ACCEPT_MAX ? ACCEPT_MAX : (int)rq->w1;
    s->backlog = backlog;
    if (s->listening) {
        rq->r0 = 0;
        return 0;
    }
    err_t e = ERR_OK;
    struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->tcp, (u8_t)backlog, &e);
    if (!l) {
        rq->r0 = (uint64_t)-err_to_errno(e);
        return 0;
    }
    s->tcp = l;                            // the old pcb is freed
    s->listening = 1;
    tcp_arg(l, s);
    tcp_accept(l, on_accept);
    rq->r0 = 0;
    return 0;
}

static int op_accept(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s || !s->listening) {
        rq->r0 = (uint64_t)(s ? -EINVAL : -EBADF);
        return 0;
    }
    if (!s->acq_n && nonblocking(s, rq->w1)) {
        rq->r0 = (uint64_t)-EAGAIN;
        return 0;
    }
    int r = defer(rq, &s->rd, W_ACCEPT, s->rcvtimeo);
    if (r == SERVER_DEFER)
        reader_wake(s);                    // answers at once if one is queued
    return r;
}

static int connect_udp(struct sock *s, struct request *rq, const ip_addr_t *ip)
{
    err_t e = udp_connect(s->udp, ip, net_addr_port(rq->w1));
    s->connected = e == ERR_OK;
    rq->r0 = (uint64_t)-err_to_errno(e);
    return 0;
}

static int op_connect(struct request *rq)
{
    struct sock *s = sock_get(rq);
    ip_addr_t ip;
    if (!s || !net_addr_valid(rq->w1)) {
        rq->r0 = (uint64_t)(s ? -EINVAL : -EBADF);
        return 0;
    }
    addr_to_lwip(rq->w1, &ip);
    if (s->udp)
        return connect_udp(s, rq, &ip);
    if (s->listening || !s->tcp) {
        rq->r0 = (uint64_t)(s->listening ? -EINVAL : -ECONNRESET);
        return 0;
    }
    if (s->connected || s->connecting) {
        rq->r0 = (uint64_t)(s->connected ? -EISCONN : -EALREADY);
        return 0;
    }
    err_t e = tcp_connect(s->tcp, &ip, net_addr_port(rq->w1), on_connected);
    if (e != ERR_OK) {
        rq->r0 = (uint64_t)-err_to_errno(e);
        return 0;
    }
    s->connecting = 1;
    if (nonblocking(s, rq->w2)) {
        rq->r0 = (uint64_t)-EINPROGRESS;
        return 0;
    }
    return defer(rq, &s->wr, W_CONNECT, s->sndtimeo);
}

// UDP: one datagram to addr (or the connected peer when addr is 0).
static int udp_send_to(struct sock *s, struct request *rq, uint64_t addr)
{
    if (rq->len > 65507) {
        rq->r0 = (uint64_t)-EMSGSIZE;
        return 0;
    }
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)rq->len, PBUF_RAM);
    if (!p) {
        rq->r0 = (uint64_t)-ENOBUFS;
        return 0;
    }
    pbuf_take(p, rq->data, (u16_t)rq->len);
    ip_addr_t ip;
    addr_to_lwip(addr, &ip);
    err_t e = addr ? udp_sendto(s->udp, p, &ip, net_addr_port(addr))
                   : s->connected ? udp_send(s->udp, p) : ERR_CONN;
    pbuf_free(p);
    rq->r0 = e == ERR_OK ? rq->len : (uint64_t)-(e == ERR_CONN ? EDESTADDRREQ : err_to_errno(e));
    return 0;
}

static int op_send(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    if (s->udp)
        return udp_send_to(s, rq, 0);
    long n = tcp_send_now(s, rq->data, (uint32_t)rq->len);
    if (n != 0 || !rq->len) {
        rq->r0 = (uint64_t)n;
        return 0;
    }
    if (nonblocking(s, rq->w1)) {
        rq->r0 = (uint64_t)-EAGAIN;
        return 0;
    }
    uint8_t *copy = malloc(rq->len);
    if (!copy) {
        rq->r0 = (uint64_t)-ENOMEM;
        return 0;
    }
    int r = defer(rq, &s->wr, W_SEND, s->sndtimeo);
    if (r != SERVER_DEFER) {
        free(copy);
        return r;
    }
    memcpy(copy, rq->data, rq->len);
    s->wr.data = copy;
    s->wr.len = (uint32_t)rq->len;
    return r;
}

static int op_sendto(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s || !net_addr_valid(rq->w1)) {
        rq->r0 = (uint64_t)(s ? -EINVAL : -EBADF);
        return 0;
    }
    if (!s->udp) {                         // TCP ignores the address, as POSIX allows
        struct request r2 = *rq;
        r2.w1 = rq->w2;
        int r = op_send(&r2);
        rq->r0 = r2.r0;
        return r;
    }
    return udp_send_to(s, rq, rq->w1);
}

static int op_recv(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s || s->listening) {
        rq->r0 = (uint64_t)(s ? -ENOTCONN : -EBADF);
        return 0;
    }
    const void *data = io_buf;
    uint64_t from = 0;
    long n = s->type == NET_TCP ? tcp_recv_now(s, rq->w1, (unsigned)rq->w2, &data)
                                : udp_recv_now(s, rq->w1, (unsigned)rq->w2, &from);
    if (n == -1 && nonblocking(s, rq->w2))
        n = -EAGAIN;
    if (n == -1) {
        int r = defer(rq, &s->rd, W_RECV, s->rcvtimeo);
        s->rd.max = rq->w1;
        s->rd.flags = (unsigned)rq->w2;
        return r;
    }
    if (s->type == NET_TCP && s->tcp)
        from = addr_from_lwip(&s->tcp->remote_ip, s->tcp->remote_port);
    rq->r0 = (uint64_t)n;
    rq->r1 = from;
    if (n > 0) {
        rq->reply_data = data;
        rq->reply_len = (uint64_t)n;
    }
    return 0;
}

static int op_shutdown(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s || rq->w1 > NET_SHUT_RDWR) {
        rq->r0 = (uint64_t)(s ? -EINVAL : -EBADF);
        return 0;
    }
    if (s->type == NET_TCP && !s->connected) {
        rq->r0 = (uint64_t)-ENOTCONN;
        return 0;
    }
    if (rq->w1 != NET_SHUT_WR) {
        s->shut_rd = 1;
        if (s->rx && s->tcp)
            tcp_take(s, s->rx->tot_len, 0);   // read and thrown away: the window opens
        reader_wake(s);
    }
    if (rq->w1 != NET_SHUT_RD && !s->shut_wr) {
        s->shut_wr = 1;
        if (s->tcp)
            tcp_shutdown(s->tcp, 0, 1);
        writer_wake(s);
    }
    rq->r0 = 0;
    return 0;
}

static void sock_free(struct sock *s);

static void tcp_release(struct sock *s)
{
    struct tcp_pcb *pcb = s->tcp;
    s->tcp = NULL;
    if (!pcb)
        return;
    tcp_arg(pcb, NULL);
    if (s->listening) {
        tcp_accept(pcb, NULL);
    } else {
        tcp_recv(pcb, NULL);
        tcp_sent(pcb, NULL);
        tcp_err(pcb, NULL);
    }
    if (tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

// Frees a socket and what it holds; waiting calls get -EBADF.
static void sock_free(struct sock *s)
{
    poll_settle(s, 1);
    if (s->rd.kind)
        waiter_answer(&s->rd, -EBADF, 0, NULL, 0);
    if (s->wr.kind)
        waiter_answer(&s->wr, -EBADF, 0, NULL, 0);
    while (s->acq_n) {                     // connections nobody accepted
        struct sock *c = &socks[s->acq[s->acq_head]];
        s->acq_head = (s->acq_head + 1) % ACCEPT_MAX;
        s->acq_n--;
        sock_free(c);
    }
    tcp_release(s);
    if (s->udp)
        udp_remove(s->udp);
    if (s->rx)
        pbuf_free(s->rx);
    for (; s->dq_n; s->dq_n--, s->dq_head = (s->dq_head + 1) % UDP_QUEUE)
        pbuf_free(s->dq[s->dq_head].p);
    memset(s, 0, sizeof(*s));
}

static int op_close(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    sock_free(s);
    rq->r0 = 0;
    return 0;
}

// Closes every socket of owner (a process that ended).
void sock_owner_gone(uint64_t owner)
{
    for (int i = 0; i < MAX_SOCKS; i++)
        if (socks[i].used && socks[i].owner == owner)
            sock_free(&socks[i]);
}

// A process ended (a system server tells): its sockets go.
static int op_proc_gone(struct request *rq)
{
    if (!(rq->badge & BADGE_SYSTEM)) {
        rq->r0 = (uint64_t)-EPERM;
        return 0;
    }
    sock_owner_gone(rq->w0);
    rq->r0 = 0;
    return 0;
}

// NET_POLL: see net_proto.h.
static int op_poll(struct request *rq)
{
    struct sock *s = sock_get(rq);
    uint64_t events = rq->w1 & (NET_POLL_IN | NET_POLL_OUT);
    rq->r0 = s ? sock_ready(s, events) : (uint64_t)-EBADF;
    if (!s || !rq->handle || rq->r0)
        return 0;                          // the loop closes a passed handle
    if (s->polled)
        sys_handle_close(s->poll_h);       // an older poll's handle: replaced
    s->polled = 1;
    s->poll_h = (long)rq->w2;
    s->poll_ev = events;
    rq->handle = 0;
    return 0;
}

const server_op sock_ops[NET_OPS] = {
    [NET_SOCKET] = op_socket, [NET_BIND] = op_bind, [NET_LISTEN] = op_listen,
    [NET_ACCEPT] = op_accept, [NET_CONNECT] = op_connect, [NET_SEND] = op_send,
    [NET_RECV] = op_recv, [NET_SENDTO] = op_sendto, [NET_SHUTDOWN] = op_shutdown,
    [NET_CLOSE] = op_close, [NET_SETSOCKOPT] = sockopt_set, [NET_GETSOCKOPT] = sockopt_get,
    [NET_GETSOCKNAME] = sockname_local, [NET_GETPEERNAME] = sockname_peer,
    [NET_PROC_GONE] = op_proc_gone, [NET_POLL] = op_poll,
};
