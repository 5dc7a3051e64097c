// The net server's NET_PING (net_proto.h): one ICMP echo request sent
// with lwIP's raw API, the call answered when the matching echo reply
// comes back (its round trip, data length and TTL) or with -ETIMEDOUT by
// ping_tick. Each waiting call has its own ICMP identifier, so replies
// are matched exactly and replies nobody waits for go on to lwIP.
#include <errno.h>
#include <string.h>
#include "os.h"
#include "server.h"
#include "net_proto.h"
#include "ping.h"
#include "lwip/raw.h"
#include "lwip/icmp.h"
#include "lwip/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/inet_chksum.h"

#define MAX_WAITING 16
#define ID_BASE     0x4e00        // identifiers ID_BASE + slot

struct ping_wait {
    int used;
    uint32_t token;
    uint16_t seq;
    uint64_t sent_ns;
    uint64_t deadline_ms;
};

static struct ping_wait waits[MAX_WAITING];
static struct raw_pcb *pcb;

// The waiting call an echo reply (ICMP header at p->payload + hlen) answers, or NULL.
static struct ping_wait *match(struct pbuf *p, u16_t hlen)
{
    struct icmp_echo_hdr h;
    if (p->tot_len < hlen + sizeof(h) || pbuf_copy_partial(p, &h, sizeof(h), hlen) != sizeof(h))
        return NULL;
    unsigned slot = (unsigned)(lwip_ntohs(h.id) - ID_BASE);
    if (h.type != ICMP_ER || slot >= MAX_WAITING || !waits[slot].used)
        return NULL;
    return lwip_ntohs(h.seqno) == waits[slot].seq ? &waits[slot] : NULL;
}

// lwIP's raw receive callback: every ICMP packet, IP header first. Eats
// (and answers) the echo replies a call waits for; leaves the rest.
static u8_t ping_recv(void *arg, struct raw_pcb *pc, struct pbuf *p, const ip_addr_t *addr)
{
    (void)arg, (void)pc, (void)addr;
    if (p->len < IP_HLEN)
        return 0;
    const struct ip_hdr *ip = (const struct ip_hdr *)p->payload;
    u16_t hlen = (u16_t)(IPH_HL(ip) * 4);
    struct ping_wait *w = match(p, hlen);
    if (!w)
        return 0;
    uint64_t rtt_us = ((uint64_t)sys_time() - w->sent_ns) / 1000;
    w->used = 0;
    server_reply(w->token, (uint64_t)(p->tot_len - hlen - sizeof(struct icmp_echo_hdr)),
                 rtt_us, IPH_TTL(ip), NULL, 0);
    pbuf_free(p);
    return 1;
}

// The raw PCB, made on first use; NULL when lwIP has no room.
static struct raw_pcb *ping_pcb(void)
{
    if (!pcb && (pcb = raw_new(IP_PROTO_ICMP)) != NULL)
        raw_recv(pcb, ping_recv, NULL);
    return pcb;
}

// An echo request with identifier id, sequence seq and n data bytes.
static struct pbuf *echo_request(uint16_t id, uint16_t seq, unsigned n)
{
    struct pbuf *p = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(struct icmp_echo_hdr) + n), PBUF_RAM);
    if (!p)
        return NULL;
    struct icmp_echo_hdr *h = (struct icmp_echo_hdr *)p->payload;
    uint8_t *data = (uint8_t *)(h + 1);
    for (unsigned i = 0; i < n; i++)
        data[i] = (uint8_t)(0x10 + i);
    h->type = ICMP_ECHO;
    h->code = 0;
    h->id = lwip_htons(id);
    h->seqno = lwip_htons(seq);
    h->chksum = 0;
    h->chksum = inet_chksum(h, p->len);
    return p;
}

static int free_slot(void)
{
    for (int i = 0; i < MAX_WAITING; i++)
        if (!waits[i].used)
            return i;
    return -1;
}

// NET_PING: sends the request and defers the reply; does not block.
int ping_op(struct request *rq)
{
    unsigned n = (unsigned)(rq->w1 >> 16 & 0xffff), timeout = (unsigned)rq->w2;
    int slot = free_slot();
    if ((rq->w0 >> 32) || (rq->w1 >> 32) || n > NET_PING_MAX || timeout < 1 || timeout > 60000) {
        rq->r0 = (uint64_t)-EINVAL;
        return 0;
    }
    if (slot < 0 || !ping_pcb()) {
        rq->r0 = (uint64_t)-EBUSY;
        return 0;
    }
    ip_addr_t dst;
    ip_addr_set_ip4_u32(&dst, (uint32_t)rq->w0);
    struct pbuf *p = echo_request((uint16_t)(ID_BASE + slot), (uint16_t)rq->w1, n);
    if (!p) {
        rq->r0 = (uint64_t)-ENOMEM;
        return 0;
    }
    struct ping_wait *w = &waits[slot];
    w->sent_ns = (uint64_t)sys_time();
    err_t e = raw_sendto(pcb, p, &dst);
    pbuf_free(p);
    if (e != ERR_OK) {
        rq->r0 = (uint64_t)(e == ERR_RTE ? -EHOSTUNREACH : -EIO);
        return 0;
    }
    *w = (struct ping_wait){ 1, rq->token, (uint16_t)rq->w1, w->sent_ns,
                             w->sent_ns / 1000000 + timeout };
    return SERVER_DEFER;
}

// Answers -ETIMEDOUT to the pings whose time ran out; now in milliseconds.
void ping_tick(uint64_t now)
{
    for (int i = 0; i < MAX_WAITING; i++)
        if (waits[i].used && now >= waits[i].deadline_ms) {
            waits[i].used = 0;
            server_reply(waits[i].token, (uint64_t)-ETIMEDOUT, 0, 0, NULL, 0);
        }
}
