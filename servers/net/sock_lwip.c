// The net server's side of lwIP: the callbacks lwIP makes when a
// connection or datagram arrives, data is acknowledged or a pcb dies
// (each records what happened in the socket and wakes its waiting calls,
// sock.c), and the conversions between lwIP's errors and addresses and
// the protocol's (net_proto.h).
#include <errno.h>
#include "net_proto.h"
#include "sock_int.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

int err_to_errno(err_t e)
{
    switch (e) {
    case ERR_OK: return 0;
    case ERR_MEM: case ERR_BUF: return ENOBUFS;
    case ERR_TIMEOUT: return ETIMEDOUT;
    case ERR_RTE: return EHOSTUNREACH;
    case ERR_INPROGRESS: return EINPROGRESS;
    case ERR_VAL: case ERR_ARG: return EINVAL;
    case ERR_USE: return EADDRINUSE;
    case ERR_ALREADY: return EALREADY;
    case ERR_ISCONN: return EISCONN;
    case ERR_CONN: return ENOTCONN;
    case ERR_ABRT: return ECONNABORTED;
    case ERR_RST: return ECONNRESET;
    case ERR_CLSD: return ENOTCONN;
    default: return EIO;
    }
}

void addr_to_lwip(uint64_t a, ip_addr_t *ip)
{
    ip_addr_set_ip4_u32(ip, net_addr_ip(a));
}

uint64_t addr_from_lwip(const ip_addr_t *ip, u16_t port)
{
    return net_addr(ip_addr_get_ip4_u32(ip), port);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;
    (void)err;
    if (!p) {
        s->rx_eof = 1;
    } else if (s->shut_rd) {
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
    } else if (s->rx) {
        pbuf_cat(s->rx, p);
    } else {
        s->rx = p;
    }
    reader_wake(s);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb;
    (void)len;
    writer_wake(arg);
    return ERR_OK;
}

// The pcb is gone (lwIP freed it): reset, aborted or timed out, or
// closed both ways in order (ERR_CLSD: after the data, end of stream).
static void on_err(void *arg, err_t err)
{
    struct sock *s = arg;
    s->tcp = NULL;
    if (err == ERR_CLSD)
        s->rx_eof = 1;
    else
        s->err = s->connecting && err == ERR_RST ? ECONNREFUSED : err_to_errno(err);
    s->connecting = 0;
    reader_wake(s);
    writer_wake(s);
}

err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;
    (void)pcb;
    s->connecting = 0;
    s->connected = err == ERR_OK;
    writer_wake(s);
    return ERR_OK;
}

void tcp_callbacks(struct sock *s, struct tcp_pcb *pcb)
{
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
}

err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *l = arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    struct sock *c = l->acq_n < l->backlog ? sock_alloc(NET_TCP, l->owner) : NULL;
    if (!c) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    c->tcp = pcb;
    c->connected = 1;
    tcp_callbacks(c, pcb);
    l->acq[(l->acq_head + l->acq_n) % ACCEPT_MAX] = sock_id(c);
    l->acq_n++;
    reader_wake(l);
    return ERR_OK;
}

void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct sock *s = arg;
    (void)pcb;
    if (s->dq_n == UDP_QUEUE || s->shut_rd) {
        pbuf_free(p);                      // full: dropped, as UDP may
        return;
    }
    s->dq[(s->dq_head + s->dq_n) % UDP_QUEUE] = (struct dgram){ p, addr_from_lwip(addr, port) };
    s->dq_n++;
    reader_wake(s);
}
