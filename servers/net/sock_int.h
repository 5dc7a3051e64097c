// The net server's socket table, shared by sock.c (the socket calls),
// sock_lwip.c (lwIP's callbacks) and sockopt.c (options and names). Only
// those include it; the rest of the server sees sock.h.
#ifndef SOCK_INT_H
#define SOCK_INT_H
#include <stdint.h>
#include "server.h"
#include "services.h"
#include "lwip/ip_addr.h"
#include "lwip/err.h"

#define MAX_SOCKS   256
#define UDP_QUEUE   32            // datagrams kept per UDP socket
#define ACCEPT_MAX  64            // connections waiting for accept
#define OWNER_MASK  (BADGE_SYSTEM - 1)   // the pid part of a badge

enum wait_kind { W_NONE, W_RECV, W_ACCEPT, W_SEND, W_CONNECT };

struct waiter {
    int kind;                     // enum wait_kind
    uint32_t token;
    uint64_t max;                 // recv: most bytes
    unsigned flags;
    uint64_t deadline;            // ms since boot, 0: none
    uint8_t *data;                // send: the bytes not yet taken
    uint32_t len;
};

struct dgram { struct pbuf *p; uint64_t from; };

struct sock {
    int used, type, listening, connecting, connected;
    uint64_t owner;
    unsigned flags;               // NET_NONBLOCK
    struct tcp_pcb *tcp;
    struct udp_pcb *udp;
    struct pbuf *rx;              // TCP: received, not yet read
    int rx_eof, shut_rd, shut_wr;
    int err;                      // pending error (positive errno), 0: none
    struct dgram dq[UDP_QUEUE];
    int dq_head, dq_n;
    int acq[ACCEPT_MAX];          // listening: accepted sockets not yet taken
    int acq_head, acq_n, backlog;
    struct waiter rd, wr;
    uint32_t rcvtimeo, sndtimeo;  // ms, 0: forever
    int polled;                   // poll_h holds a kept NET_POLL handle
    long poll_h;
    uint64_t poll_ev;             // the events it waits for
};

// sock.c: the table and the waiting calls.
// The socket a request names (w0), if its caller owns it; else NULL.
struct sock *sock_get(const struct request *rq);
// A fresh socket of owner, NULL if there is no room or owner is gone.
struct sock *sock_alloc(int type, uint64_t owner);
// A socket's number, its index in the table.
int sock_id(const struct sock *s);
// Something happened on s: its waiting reader (writer) and a poller may be done.
void reader_wake(struct sock *s);
void writer_wake(struct sock *s);

// sock_lwip.c: lwIP's callbacks and conversions.
// The address word (net_proto.h) of an lwIP address and port, and back.
uint64_t addr_from_lwip(const ip_addr_t *ip, u16_t port);
void addr_to_lwip(uint64_t a, ip_addr_t *ip);
// The errno (positive) for an lwIP error.
int err_to_errno(err_t e);
// Points a TCP pcb's callbacks at s.
void tcp_callbacks(struct sock *s, struct tcp_pcb *pcb);
// lwIP's callbacks for a connection arriving on a listening socket, an
// outgoing connection made (or refused) and a datagram arriving.
err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err);
err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err);
void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port);

// sockopt.c: the handlers of NET_SETSOCKOPT, NET_GETSOCKOPT,
// NET_GETSOCKNAME and NET_GETPEERNAME.
int sockopt_set(struct request *rq);
int sockopt_get(struct request *rq);
int sockname_local(struct request *rq);
int sockname_peer(struct request *rq);

#endif
