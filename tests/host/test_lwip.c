// Host test of the net server's lwIP configuration (servers/net/lwipopts.h)
// with the lwIP fetched from Debian's source package: two Ethernet
// interfaces wired back to back in one process, driven the way the net
// server drives lwIP (NO_SYS=1, frames handed over by the loop, a clock
// the loop advances). TCP transfers between them must arrive complete
// and in order: one large stream, 50 at once, and one over a wire that
// loses frames (what the net server relies on when its driver restarts).
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/etharp.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define WIRE_FRAMES 4096
#define FRAME_MAX   1514
#define PORT        5000
#define MAX_CONNS   64

// ---- the wire: a queue of frames per direction ---------------------------

struct wire {
    uint8_t frames[WIRE_FRAMES][FRAME_MAX];
    uint16_t len[WIRE_FRAMES];
    int head, n;
};

static struct wire wires[2];            // wires[i]: frames towards netif i
static struct netif nif[2];
static uint32_t now_ms;
static unsigned long sent_frames, lost_frames;
static unsigned lose_every;             // 0: nothing lost, N: every Nth frame

uint32_t sys_now(void) { return now_ms; }

uint32_t net_rand(void)
{
    static uint64_t x = 0x1234567887654321ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (uint32_t)x;
}

static err_t link_out(struct netif *n, struct pbuf *p)
{
    struct wire *w = &wires[n == &nif[0] ? 1 : 0];
    if (++sent_frames && lose_every && sent_frames % lose_every == 0) {
        lost_frames++;
        return ERR_OK;
    }
    if (w->n == WIRE_FRAMES || p->tot_len > FRAME_MAX)
        return ERR_MEM;
    int at = (w->head + w->n++) % WIRE_FRAMES;
    w->len[at] = pbuf_copy_partial(p, w->frames[at], p->tot_len, 0);
    return ERR_OK;
}

static err_t if_init(struct netif *n)
{
    n->name[0] = 't';
    n->name[1] = (char)('0' + (n == &nif[1]));
    n->output = etharp_output;
    n->linkoutput = link_out;
    n->mtu = 1500;
    n->hwaddr_len = 6;
    static const uint8_t mac[2][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };
    memcpy(n->hwaddr, mac[n == &nif[1]], 6);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    lwip_init();
    for (int i = 0; i < 2; i++) {
        ip4_addr_t a, m, g;
        IP4_ADDR(&a, 10, 9, 0, 1 + i);
        IP4_ADDR(&m, 255, 255, 255, 0);
        IP4_ADDR(&g, 0, 0, 0, 0);
        netif_add(&nif[i], &a, &m, &g, NULL, if_init, ethernet_input);
        netif_set_up(&nif[i]);
    }
}

// Both interfaces belong to one lwIP: each connection's pcbs are bound to
// their interface (tcp_bind_netif) so that its frames cross the wire
// instead of taking the shortcut to an address of the same stack.

// One turn of the loop: frames over the wire, a millisecond passes, timers.
static void pump(void)
{
    for (int i = 0; i < 2; i++) {
        struct wire *w = &wires[i];
        for (int k = w->n; k > 0 && w->n; k--) {
            struct pbuf *p = pbuf_alloc(PBUF_RAW, w->len[w->head], PBUF_POOL);
            if (p) {
                pbuf_take(p, w->frames[w->head], w->len[w->head]);
                if (nif[i].input(p, &nif[i]) != ERR_OK)
                    pbuf_free(p);
            }
            w->head = (w->head + 1) % WIRE_FRAMES;
            w->n--;
        }
    }
    now_ms++;
    sys_check_timeouts();
}

// ---- the transfers -----------------------------------------------------

struct conn {
    int id;
    uint32_t size;                      // bytes to send
    uint32_t queued, received;
    u16_t port;                         // the client's port, how the server finds it
    int bad, server_closed, client_err;
    struct tcp_pcb *client;
};

static struct conn conns[MAX_CONNS];
static int nconns;

static uint8_t pattern(int id, uint32_t i)
{
    return (uint8_t)((i * 7u + (uint32_t)id * 13u) ^ (i >> 9));
}

static void client_push(struct conn *c)
{
    static uint8_t chunk[8192];
    while (c->client && c->queued < c->size) {
        uint32_t n = c->size - c->queued, room = tcp_sndbuf(c->client);
        n = n > sizeof(chunk) ? sizeof(chunk) : n;
        n = n > room ? room : n;
        if (!n)
            break;
        for (uint32_t i = 0; i < n; i++)
            chunk[i] = pattern(c->id, c->queued + i);
        if (tcp_write(c->client, chunk, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
        c->queued += n;
    }
    if (c->client && c->queued == c->size) {
        tcp_arg(c->client, NULL);
        tcp_sent(c->client, NULL);
        tcp_err(c->client, NULL);
        tcp_close(c->client);          // FIN after the data
        c->client = NULL;
    } else if (c->client) {
        tcp_output(c->client);
    }
}

static err_t client_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb;
    (void)len;
    client_push(arg);
    return ERR_OK;
}

static void client_err(void *arg, err_t err)
{
    struct conn *c = arg;
    c->client = NULL;
    c->client_err = err;
}

static err_t client_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)pcb;
    if (err == ERR_OK)
        client_push(arg);
    return ERR_OK;
}

static struct conn *conn_by_port(u16_t port)
{
    for (int i = 0; i < nconns; i++)
        if (conns[i].port == port)
            return &conns[i];
    return NULL;
}

static err_t server_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct conn *c = arg;
    (void)err;
    if (!p) {
        c->server_closed = 1;
        tcp_arg(pcb, NULL);
        tcp_recv(pcb, NULL);
        tcp_close(pcb);
        return ERR_OK;
    }
    for (struct pbuf *q = p; q; q = q->next)
        for (u16_t i = 0; i < q->len; i++)
            if (((uint8_t *)q->payload)[i] != pattern(c->id, c->received++))
                c->bad++;
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

static err_t server_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    struct conn *c = err == ERR_OK ? conn_by_port(pcb->remote_port) : NULL;
    if (!c) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    CHECK_EQ(pcb->rcv_wnd, TCP_WND);
    tcp_arg(pcb, c);
    tcp_recv(pcb, server_recv);
    return ERR_OK;
}

static struct tcp_pcb *listener;

static void listen_once(void)
{
    if (listener)
        return;
    struct tcp_pcb *pcb = tcp_new();
    CHECK(pcb != NULL);
    CHECK_EQ(tcp_bind(pcb, netif_ip_addr4(&nif[1]), PORT), ERR_OK);
    tcp_bind_netif(pcb, &nif[1]);     // answers leave by nif[1], not by the loopback
    listener = tcp_listen_with_backlog(pcb, 64);
    CHECK(listener != NULL);
    tcp_accept(listener, server_accept);
}

// Runs n transfers of size bytes from nif[0] to nif[1] at once; returns
// the milliseconds (loop turns) they took, or -1 if they did not finish.
static long transfer(int n, uint32_t size, long limit_ms)
{
    setup();
    listen_once();
    nconns = n;
    memset(conns, 0, sizeof(conns));
    for (int i = 0; i < n; i++) {
        struct conn *c = &conns[i];
        *c = (struct conn){ .id = i, .size = size };
        c->client = tcp_new();
        CHECK(c->client != NULL);
        if (!c->client)
            return -1;
        tcp_arg(c->client, c);
        tcp_sent(c->client, client_sent);
        tcp_err(c->client, client_err);
        CHECK_EQ(tcp_bind(c->client, netif_ip_addr4(&nif[0]), 0), ERR_OK);
        tcp_bind_netif(c->client, &nif[0]);   // out by nif[0], over the wire
        c->port = c->client->local_port;
        CHECK_EQ(tcp_connect(c->client, netif_ip_addr4(&nif[1]), PORT, client_connected), ERR_OK);
    }
    uint32_t start = now_ms;
    for (long t = 0; t < limit_ms; t++) {
        int done = 0;
        for (int i = 0; i < n; i++)
            done += conns[i].server_closed;
        if (done == n)
            return (long)(now_ms - start);
        pump();
    }
    return -1;
}

static void check_all(int n, uint32_t size)
{
    for (int i = 0; i < n; i++) {
        CHECK_EQ(conns[i].received, size);
        CHECK_EQ(conns[i].bad, 0);
        CHECK_EQ(conns[i].client_err, 0);
        CHECK_EQ(conns[i].server_closed, 1);
    }
}

TEST(configuration_sizes)
{
    CHECK(TCP_WND >= 32 * 1024);
    CHECK(TCP_SND_BUF >= 32 * 1024);
    CHECK(MEMP_NUM_TCP_PCB >= 2 * 50);            // both ends of 50 connections here
    CHECK(MEM_SIZE >= 50 * TCP_SND_BUF);
    CHECK(PBUF_POOL_SIZE * PBUF_POOL_BUFSIZE >= 50 * TCP_WND);
}

TEST(one_stream_4mib)
{
    long ms = transfer(1, 4u << 20, 600000);
    CHECK(ms >= 0);
    check_all(1, 4u << 20);
}

TEST(fifty_streams_at_once)
{
    long ms = transfer(50, 256u << 10, 600000);
    CHECK(ms >= 0);
    check_all(50, 256u << 10);
}

TEST(stream_over_a_lossy_wire)
{
    lose_every = 97;
    unsigned long lost = lost_frames;
    long ms = transfer(1, 1u << 20, 3600000);
    lose_every = 0;
    CHECK(ms >= 0);
    CHECK(lost_frames > lost);
    check_all(1, 1u << 20);
}

TEST(ping_through_arp)
{
    setup();
    // The ARP entry from the transfers answers; flush it and resolve again.
    etharp_cleanup_netif(&nif[0]);
    struct eth_addr *mac;
    const ip4_addr_t *ip;
    CHECK_EQ(etharp_find_addr(&nif[0], netif_ip4_addr(&nif[1]), &mac, &ip), -1);
    CHECK_EQ(etharp_request(&nif[0], netif_ip4_addr(&nif[1])), ERR_OK);
    for (int i = 0; i < 10; i++)
        pump();
    CHECK(etharp_find_addr(&nif[0], netif_ip4_addr(&nif[1]), &mac, &ip) >= 0);
    CHECK(!memcmp(mac->addr, nif[1].hwaddr, 6));
}
