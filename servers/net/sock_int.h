// The net server's socket table, shared by sock.c (the socket calls and
// lwIP's callbacks) and sockopt.c (options and names). Only those two
// include it; the rest of the server sees sock.h.
#ifndef SOCK_INT_H
#define SOCK_INT_H
#include <stdint.h>
#include "server.h"
#include "services.h"
#include "lwip/ip_addr.h"

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

// The socket a request names (w0), if its caller owns it; else NULL.
struct sock *sock_get(const struct request *rq);
// The address word (net_proto.h) of an lwIP address and port.
uint64_t addr_from_lwip(const ip_addr_t *ip, u16_t port);

// sockopt.c: the handlers of NET_SETSOCKOPT, NET_GETSOCKOPT,
// NET_GETSOCKNAME and NET_GETPEERNAME.
int sockopt_set(struct request *rq);
int sockopt_get(struct request *rq);
int sockname_local(struct request *rq);
int sockname_peer(struct request *rq);

#endif
