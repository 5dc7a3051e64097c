// Socket options and names of the net server's sockets (NET_SETSOCKOPT,
// NET_GETSOCKOPT, NET_GETSOCKNAME, NET_GETPEERNAME; see net_proto.h):
// lwIP's pcb flags and addresses, and the server's own per-socket
// settings (non-blocking, timeouts). Split from sock.c, same behaviour.
#include <errno.h>
#include "os.h"
#include "net_proto.h"
#include "sock_int.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

static void flag_set(struct tcp_pcb *pcb, struct udp_pcb *u, uint8_t so, int on)
{
    if (pcb && on)
        ip_set_option(pcb, so);
    else if (pcb)
        ip_reset_option(pcb, so);
    if (u && on)
        ip_set_option(u, so);
    else if (u)
        ip_reset_option(u, so);
}

// NET_SETSOCKOPT: see net_proto.h.
int sockopt_set(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    int on = rq->w2 != 0;
    uint32_t ms = rq->w2 > 0xffffffffu ? 0xffffffffu : (uint32_t)rq->w2;
    rq->r0 = 0;
    switch (rq->w1) {
    case NET_OPT_REUSEADDR: flag_set(s->tcp, s->udp, SOF_REUSEADDR, on); break;
    case NET_OPT_KEEPALIVE: flag_set(s->tcp, NULL, SOF_KEEPALIVE, on); break;
    case NET_OPT_NODELAY:
        if (s->tcp && !s->listening && on)
            tcp_nagle_disable(s->tcp);
        else if (s->tcp && !s->listening)
            tcp_nagle_enable(s->tcp);
        break;
    case NET_OPT_NONBLOCK: s->flags = on ? s->flags | NET_NONBLOCK : s->flags & ~NET_NONBLOCK; break;
    case NET_OPT_RCVTIMEO: s->rcvtimeo = ms; break;
    case NET_OPT_SNDTIMEO: s->sndtimeo = ms; break;
    default: rq->r0 = (uint64_t)-ENOPROTOOPT;
    }
    return 0;
}

// NET_GETSOCKOPT: see net_proto.h.
int sockopt_get(struct request *rq)
{
    struct sock *s = sock_get(rq);
    if (!s) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    rq->r0 = 0;
    switch (rq->w1) {
    case NET_OPT_REUSEADDR: rq->r1 = s->tcp ? ip_get_option(s->tcp, SOF_REUSEADDR) != 0
                                            : s->udp && ip_get_option(s->udp, SOF_REUSEADDR); break;
    case NET_OPT_KEEPALIVE: rq->r1 = s->tcp && ip_get_option(s->tcp, SOF_KEEPALIVE); break;
    case NET_OPT_NODELAY: rq->r1 = s->tcp && !s->listening && tcp_nagle_disabled(s->tcp); break;
    case NET_OPT_NONBLOCK: rq->r1 = !!(s->flags & NET_NONBLOCK); break;
    case NET_OPT_RCVTIMEO: rq->r1 = s->rcvtimeo; break;
    case NET_OPT_SNDTIMEO: rq->r1 = s->sndtimeo; break;
    case NET_OPT_ERROR: rq->r1 = (uint64_t)s->err; s->err = 0; break;
    case NET_OPT_TYPE: rq->r1 = (uint64_t)s->type; break;
    case NET_OPT_ACCEPTCONN: rq->r1 = (uint64_t)s->listening; break;
    case NET_OPT_RCVBUF: rq->r1 = TCP_WND; break;
    case NET_OPT_SNDBUF: rq->r1 = TCP_SND_BUF; break;
    default: rq->r0 = (uint64_t)-ENOPROTOOPT;
    }
    return 0;
}

// The socket's own address (peer 0) or its peer's, in r1.
static int name_op(struct request *rq, int peer)
{
    struct sock *s = sock_get(rq);
    if (!s) {
        rq->r0 = (uint64_t)-EBADF;
        return 0;
    }
    rq->r0 = 0;
    if (s->tcp)
        rq->r1 = peer ? addr_from_lwip(&s->tcp->remote_ip, s->tcp->remote_port)
                      : addr_from_lwip(&s->tcp->local_ip, s->tcp->local_port);
    else if (s->udp)
        rq->r1 = peer ? addr_from_lwip(&s->udp->remote_ip, s->udp->remote_port)
                      : addr_from_lwip(&s->udp->local_ip, s->udp->local_port);
    if (peer && !s->connected)
        rq->r0 = (uint64_t)-ENOTCONN;
    return 0;
}

int sockname_local(struct request *rq) { return name_op(rq, 0); }
int sockname_peer(struct request *rq) { return name_op(rq, 1); }
