// Network protocol (servers/net): sockets over the TCP/IP server. Replies:
// r0 = result (>= 0) or a negative errno (newlib values). A socket is a
// small number the server hands out, usable only by the process that
// made it (its badge). Calls that must wait (accept, connect, recv and a
// send that finds the send buffer full) are answered when they can be,
// unless the socket or the call is non-blocking (NET_NONBLOCK), which
// gets -EAGAIN (connect: -EINPROGRESS) instead.
//
// An address (IPv4 and port) travels in one word, see net_addr: the four
// address bytes in network order in bits 0-31 (as in struct in_addr on
// this little-endian machine), the port in host order in bits 32-47.
#ifndef NET_PROTO_H
#define NET_PROTO_H
#include <stdint.h>

enum net_op {
    NET_SOCKET = 1,   // w0 = NET_TCP or NET_UDP, w1 = flags (NET_NONBLOCK) -> r0 = socket
    NET_BIND,         // w0 = socket, w1 = address (port 0: any free one) -> 0
    NET_LISTEN,       // w0 = socket, w1 = backlog -> 0
    NET_ACCEPT,       // w0 = socket, w1 = flags -> r0 = new socket, r1 = peer address
    NET_CONNECT,      // w0 = socket, w1 = address, w2 = flags -> 0 once connected
                      //    (UDP: sets the default peer at once)
    NET_SEND,         // w0 = socket, w1 = flags, payload -> r0 = bytes taken (>= 1; TCP may
                      //    take fewer than sent: send the rest again)
    NET_RECV,         // w0 = socket, w1 = most bytes, w2 = flags -> payload, r0 = bytes
                      //    (0: end of stream), r1 = the sender's address
    NET_SENDTO,       // w0 = socket, w1 = address, w2 = flags, payload -> r0 = bytes (UDP)
    NET_SHUTDOWN,     // w0 = socket, w1 = NET_SHUT_RD / _WR / _RDWR -> 0
    NET_CLOSE,        // w0 = socket -> 0
    NET_SETSOCKOPT,   // w0 = socket, w1 = option (enum net_opt), w2 = value -> 0
    NET_GETSOCKOPT,   // w0 = socket, w1 = option -> r1 = value
    NET_GETSOCKNAME,  // w0 = socket -> r1 = local address
    NET_GETPEERNAME,  // w0 = socket -> r1 = peer address; -ENOTCONN
    NET_IFINFO,       // w0 = interface index (0: the Ethernet one, 1: loopback)
                      //    -> payload: struct net_ifinfo; -ENODEV past the last
    NET_PROC_GONE,    // w0 = pid: close every socket it had (system callers only,
                      //    else -EPERM; proc reports deaths through PROC_NET_WATCH)
    NET_POLL,         // w0 = socket, w1 = events (NET_POLL_IN / _OUT) -> r0 = what is ready
                      //    (NET_POLL_*). With a passed notification handle (w2,
                      //    TAG_HANDLE) and nothing ready, the server keeps it and
                      //    signals it once when something may be (one per socket:
                      //    a newer one replaces the older)
    NET_PING,         // w0 = IPv4 address (net_addr's low half), w1 = sequence number
                      //    (bits 0-15) and data bytes (bits 16-31, at most NET_PING_MAX),
                      //    w2 = milliseconds to wait (1..60000): sends one ICMP echo
                      //    request, answers when its reply comes -> r0 = bytes of the
                      //    reply's ICMP data, r1 = round trip in microseconds, r2 = the
                      //    reply's TTL; -ETIMEDOUT when none came, -EHOSTUNREACH when
                      //    there is no route, -EBUSY when too many pings wait
    NET_OPS
};

enum net_type { NET_TCP = 1, NET_UDP = 2 };

// Flags of NET_SOCKET, NET_ACCEPT, NET_CONNECT, NET_SEND, NET_RECV, NET_SENDTO.
#define NET_NONBLOCK  1u          // do not wait: -EAGAIN / -EINPROGRESS
#define NET_PEEK      2u          // NET_RECV: leave the data queued

// NET_POLL's bits: readable (data, end of stream, a connection to accept,
// an error), writable (room in the send buffer), hung up, error pending.
#define NET_POLL_IN   1u
#define NET_POLL_OUT  2u
#define NET_POLL_HUP  4u
#define NET_POLL_ERR  8u

enum net_shut { NET_SHUT_RD, NET_SHUT_WR, NET_SHUT_RDWR };

enum net_opt {
    NET_OPT_REUSEADDR = 1,    // 0/1
    NET_OPT_KEEPALIVE,        // 0/1
    NET_OPT_NODELAY,          // 0/1 (TCP)
    NET_OPT_NONBLOCK,         // 0/1: every call on the socket as if NET_NONBLOCK
    NET_OPT_RCVTIMEO,         // milliseconds a recv/accept waits (0: forever) -> -EAGAIN
    NET_OPT_SNDTIMEO,         // the same for send and connect
    NET_OPT_ERROR,            // get only: the pending error (positive errno), cleared
    NET_OPT_TYPE,             // get only: NET_TCP / NET_UDP
    NET_OPT_ACCEPTCONN,       // get only: 1 when listening
    NET_OPT_RCVBUF,           // get only: bytes of receive window
    NET_OPT_SNDBUF,           // get only: bytes of send buffer
};

// Most data bytes of one NET_PING echo request.
#define NET_PING_MAX 1472

// Most bytes of one NET_RECV reply or NET_SEND payload.
#define NET_IO_MAX  65536

struct net_ifinfo {
    char name[8];                // "eth0", "lo"
    uint32_t addr, netmask, gateway;     // network order, like net_addr's low half
    uint8_t mac[6];
    uint8_t up, link;            // administratively up; link (cable, driver attached)
    uint32_t mtu;
    uint32_t dhcp;               // 1: the address came from DHCP
    uint32_t driver_attaches;    // how often the net server (re)attached to its driver
    uint64_t rx_frames, rx_bytes, rx_dropped;
    uint64_t tx_frames, tx_bytes, tx_dropped;
    // Received packets the stack dropped as malformed or unwanted, by the
    // layer that dropped them (lwIP's counters, for all interfaces; eth0 only):
    // Ethernet/ARP, IPv4, ICMP, UDP, TCP.
    uint32_t rx_err_eth, rx_err_ip, rx_err_icmp, rx_err_udp, rx_err_tcp, reserved;
};
_Static_assert(sizeof(struct net_ifinfo) == 112, "net_ifinfo layout");

// An address word from the four bytes (network order, as in_addr holds
// them) and a port.
static inline uint64_t net_addr(uint32_t ip, uint16_t port)
{
    return (uint64_t)ip | (uint64_t)port << 32;
}
static inline uint32_t net_addr_ip(uint64_t a) { return (uint32_t)a; }
static inline uint16_t net_addr_port(uint64_t a) { return (uint16_t)(a >> 32); }
// A well-formed address word has nothing above the port.
static inline int net_addr_valid(uint64_t a) { return (a >> 48) == 0; }

// The address a.b.c.d as net_addr's low half wants it.
static inline uint32_t net_ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    return (uint32_t)a | (uint32_t)b << 8 | (uint32_t)c << 16 | (uint32_t)d << 24;
}

#endif
