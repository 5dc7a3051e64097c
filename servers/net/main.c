// net: the TCP/IP server. lwIP (NO_SYS=1) runs in this one loop: it
// receives socket requests (net_proto.h) and the NIC driver's "frames
// arrived" notification on the same endpoint, waits at most until lwIP's
// next timer, hands received frames to lwIP, answers or defers the
// requests, and passes the frames lwIP sent to the driver. Nothing in the
// loop blocks: calls that must wait are answered later (sock.c).
//
// Handles: the usual services (services.h) and 6 = its endpoint. argv[1]
// names the NIC driver's service, which it finds through the supervisor.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "net_proto.h"
#include "nicif.h"
#include "sock.h"
#include "ping.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"

#define H_MY_ENDPOINT 6
#define LOOP_MS       50          // longest wait: timers, timeouts, the driver check
#define CHECK_MS      500         // how often the driver's identity is checked
#define BIND_TRIES    100         // 10 s for the driver to take our notification
#define RETRY_MS      2           // wait while frames wait for room in the ring

static uint8_t request_buf[IPC_MAX_PAYLOAD];
static uint64_t rand_state;

uint32_t sys_now(void) { return (uint32_t)((uint64_t)sys_time() / 1000000); }

// xorshift64*, seeded from the clock: DHCP transaction ids, TCP's
// initial sequence numbers and local ports.
uint32_t net_rand(void)
{
    if (!rand_state)
        rand_state = (uint64_t)sys_time() * 0x9e3779b97f4a7c15ull | 1;
    rand_state ^= rand_state >> 12;
    rand_state ^= rand_state << 25;
    rand_state ^= rand_state >> 27;
    return (uint32_t)((rand_state * 0x2545f4914f6cdd1dull) >> 32);
}

static int op_ifinfo(struct request *rq)
{
    static struct net_ifinfo info;
    if (rq->w0 == 0) {
        nicif_info(&info);
    } else if (rq->w0 == 1) {
        struct netif *lo = netif_get_by_index(1);   // lwip_init adds the loopback first
        memset(&info, 0, sizeof(info));
        strcpy(info.name, "lo");
        if (lo) {
            info.addr = ip4_addr_get_u32(netif_ip4_addr(lo));
            info.netmask = ip4_addr_get_u32(netif_ip4_netmask(lo));
            info.up = info.link = (uint8_t)netif_is_up(lo);
            info.mtu = lo->mtu;
        }
    } else {
        rq->r0 = (uint64_t)-ENODEV;
        return 0;
    }
    rq->r0 = 0;
    rq->reply_data = &info;
    rq->reply_len = sizeof(info);
    return 0;
}

// Runs one request; replies unless the handler deferred it.
static void handle(struct msg *m)
{
    struct request rq = { .label = TAG_LABEL(m->tag), .w0 = m->w0, .w1 = m->w1, .w2 = m->w2,
                          .badge = m->badge, .token = m->token, .data = request_buf,
                          .handle = !!(m->tag & TAG_HANDLE), .len = TAG_LEN(m->tag),
                          .r0 = (uint64_t)-SERVER_ENOSYS };
    int r = 0;
    if (rq.label == LABEL_PING)
        rq.r0 = 0;
    else if (rq.label == NET_IFINFO)
        r = op_ifinfo(&rq);
    else if (rq.label == NET_PING)
        r = ping_op(&rq);
    else if (rq.label < NET_OPS && sock_ops[rq.label])
        r = sock_ops[rq.label](&rq);
    if (rq.handle)
        sys_handle_close((long)rq.w2);    // nobody here keeps a passed handle
    if (r != SERVER_DEFER)
        server_reply(rq.token, rq.r0, rq.r1, rq.r2, rq.reply_data,
                     rq.reply_data ? rq.reply_len : 0);
}

// How long the loop may sleep: until lwIP's next timer, at most LOOP_MS.
static unsigned wait_ms(int tx_pending)
{
    if (tx_pending)
        return RETRY_MS;
    uint32_t t = sys_timeouts_sleeptime();
    if (t == SYS_TIMEOUTS_SLEEPTIME_INFINITE || t > LOOP_MS)
        t = LOOP_MS;
    return t ? t : 1;
}

static _Noreturn void loop(void)
{
    struct msg m;
    struct ipc_bufs b = { NULL, 0, request_buf, sizeof(request_buf) };
    uint64_t next_check = sys_now() + CHECK_MS;
    int tx_pending = 0;
    for (;;) {
        long e = ipc_recv_timeout(H_MY_ENDPOINT, &m, &b, wait_ms(tx_pending));
        if (e >= 0 && TAG_LABEL(m.tag) == LABEL_NOTIFY) {
            if (m.w0 & PROCWATCH_BIT)
                procwatch_collect();
            if (m.w0 & ~PROCWATCH_BIT)
                nicif_poll();
        } else if (e >= 0)
            handle(&m);
        else if (e != -E_TIMEOUT && e != -E_DEAD) {
            printf("net: cannot receive (error %ld)\n", e);
            exit(1);
        }
        uint32_t now = sys_now();
        if ((int32_t)(now - next_check) >= 0) {
            nicif_check_driver();
            next_check = now + CHECK_MS;
        }
        sys_check_timeouts();
        netif_poll_all();                  // the loopback interface's queue
        sock_tick(now);
        ping_tick((uint64_t)sys_time() / 1000000);
        tx_pending = nicif_flush();
    }
}

// Binds our notification to the endpoint. A restarted net finds the
// endpoint still bound to its predecessor's notification, kept alive by
// the driver's copy: attaching (nicif_start, nicif_check_driver) makes the
// driver drop that copy, which unbinds it. Blocks up to BIND_TRIES * 100 ms.
static long bind_endpoint(long notif)
{
    long e = sys_endpoint_bind(H_MY_ENDPOINT, notif);
    for (int i = 0; e == -E_BUSY && i < BIND_TRIES; i++) {
        sys_sleep(100);
        nicif_check_driver();
        e = sys_endpoint_bind(H_MY_ENDPOINT, notif);
    }
    return e;
}

int main(int argc, char **argv)
{
    server_announce("net", argc, argv);
    const char *driver = argc > 1 && strncmp(argv[1], "restart=", 8) ? argv[1] : "e1000";
    long notif = sys_notif_create();
    lwip_init();
    if (notif < 0)
        return printf("net: cannot make a notification\n"), 1;
    nicif_start(notif, H_SVC, driver);
    procwatch_start(notif);
    if (bind_endpoint(notif) < 0)
        return printf("net: cannot bind a notification to the endpoint\n"), 1;
    loop();
}
