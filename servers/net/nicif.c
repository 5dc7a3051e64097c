// The Ethernet interface of the net server (see nicif.h): lwIP's netif
// over the NIC driver's protocol. Frames lwIP sends are gathered into one
// batch and handed over by nicif_flush; received batches are split into
// pbufs for ethernet_input.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "os.h"
#include "nic_proto.h"
#include "svc_proto.h"
#include "nicif.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "netif/ethernet.h"

#define CALL_MS     500          // a driver that does not answer in this long is gone
#define TX_BATCH    32768        // bytes of frames handed over in one NIC_SEND

struct netif nicif;
static long nic_ep = -1, notif_copy = -1, svc_ep = -1;   // nic_ep: from SVC_CONNECT
static const char *driver_name;
static int driver_pid = -1, attached, attaches;
static uint8_t txbuf[TX_BATCH];
static uint32_t txused;
static uint8_t rxbuf[NET_IO_MAX];
static uint64_t rx_frames, rx_bytes, rx_dropped, tx_frames, tx_bytes, tx_dropped;

// One call to the driver; a failure (dead, hung, restarted without us)
// marks it detached so that the next check attaches again.
static long nic_call(struct msg *m, const void *out, uint32_t out_len, void *in, uint32_t in_len)
{
    struct ipc_bufs b = { out, out_len, in, in_len };
    long e = ipc_call_timeout(nic_ep, m, &b, CALL_MS);
    if (e < 0) {
        if (attached)
            printf("net: driver call failed (error %ld), will attach again\n", e);
        attached = 0;
        if (e == -E_BADHANDLE) {          // not a handle to the driver: find it again
            sys_handle_close(nic_ep);
            nic_ep = -1;
        }
        return e;
    }
    return (long)m->w0;
}

// The driver's pid as the supervisor lists it, or -1.
static int driver_lookup(void)
{
    static struct svc_entry e;
    for (uint64_t i = 0; i < 64; i++) {
        struct msg m = { TAG(SVC_LIST, 0), i, 0, 0, 0, 0 };
        struct ipc_bufs b = { NULL, 0, &e, sizeof(e) };
        if (ipc_call_timeout(svc_ep, &m, &b, CALL_MS) < 0 || m.w0 != 1)
            return -1;
        e.name[sizeof(e.name) - 1] = 0;
        if (!strcmp(e.name, driver_name))
            return e.state == SVC_RUNNING ? e.pid : -1;
    }
    return -1;
}

// Asks the supervisor for a handle to the driver's endpoint (SVC_CONNECT).
static long driver_connect(void)
{
    struct msg m = { TAG(SVC_CONNECT, 0), 0, 0, 0, 0, 0 };
    struct ipc_bufs b = { driver_name, strlen(driver_name) + 1, NULL, 0 };
    long e = ipc_call_timeout(svc_ep, &m, &b, CALL_MS);
    if (e < 0 || !(m.tag & TAG_HANDLE))
        return e < 0 ? e : (long)m.w0 ? (long)m.w0 : -ENOENT;
    return (long)m.w2;
}

static void link_set(int up)
{
    if (up && !netif_is_link_up(&nicif))
        netif_set_link_up(&nicif);
    else if (!up && netif_is_link_up(&nicif))
        netif_set_link_down(&nicif);
}

// Finds the driver, asks it for its MAC and link, and passes it our
// notification.
static void attach(void)
{
    if (nic_ep < 0) {
        nic_ep = driver_connect();
        if (nic_ep < 0)
            return;
    }
    struct msg m = { TAG(NIC_INFO, 0), 0, 0, 0, 0, 0 };
    long link = nic_call(&m, NULL, 0, NULL, 0);
    if (link < 0)
        return;
    for (int i = 0; i < 6; i++)
        nicif.hwaddr[i] = (uint8_t)(m.w1 >> (8 * i));
    m = (struct msg){ TAG(NIC_ATTACH, 0) | TAG_HANDLE, NICIF_NOTIFY_BIT, 0,
                      (uint64_t)notif_copy, 0, 0 };
    long r = nic_call(&m, NULL, 0, NULL, 0);
    if (r < 0) {
        printf("net: the driver refused to attach (error %ld)\n", r);
        attached = 0;
        return;
    }
    attached = 1;
    attaches++;
    if (attaches > 1)
        printf("net: attached to the restarted driver\n");
    link_set(link == 1);
    nicif_poll();                 // frames that came before the attach
}

void nicif_check_driver(void)
{
    int pid = driver_lookup();
    if (pid >= 0 && pid != driver_pid) {
        driver_pid = pid;
        attached = 0;
    }
    if (!attached && pid >= 0)
        attach();
}

void nicif_poll(void)
{
    for (int round = 0; attached && round < 16; round++) {
        struct msg m = { TAG(NIC_RECV, 0), sizeof(rxbuf), 0, 0, 0, 0 };
        long n = nic_call(&m, NULL, 0, rxbuf, sizeof(rxbuf));
        if (n <= 0)
            return;
        uint32_t len = (uint32_t)TAG_LEN(m.tag), pos = 0;
        if (len > sizeof(rxbuf))
            len = sizeof(rxbuf);
        const uint8_t *frame;
        int flen;
        while ((flen = nic_batch_next(rxbuf, len, &pos, &frame)) > 0) {
            struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)flen, PBUF_POOL);
            if (!p) {
                rx_dropped++;
                continue;
            }
            pbuf_take(p, frame, (u16_t)flen);
            rx_frames++;
            rx_bytes += (uint64_t)flen;
            if (nicif.input(p, &nicif) != ERR_OK)
                pbuf_free(p);
        }
        if (flen < 0)
            rx_dropped++;         // a malformed batch: the rest of it is lost
    }
}

// Removes the first n frames from the batch.
static void tx_drop_front(long n)
{
    uint32_t pos = 0;
    const uint8_t *frame;
    for (long i = 0; i < n && nic_batch_next(txbuf, txused, &pos, &frame) > 0; i++)
        ;
    pos = (pos + 1) & ~1u;
    if (pos >= txused)
        txused = 0;
    else {
        memmove(txbuf, txbuf + pos, txused - pos);
        txused -= pos;
    }
}

static long tx_count(void)
{
    uint32_t pos = 0;
    const uint8_t *frame;
    long n = 0;
    while (nic_batch_next(txbuf, txused, &pos, &frame) > 0)
        n++;
    return n;
}

int nicif_flush(void)
{
    if (!txused)
        return 0;
    if (!attached) {
        tx_dropped += (uint64_t)tx_count();
        txused = 0;
        return 0;
    }
    struct msg m = { TAG(NIC_SEND, txused), 0, 0, 0, 0, 0 };
    long n = nic_call(&m, txbuf, txused, NULL, 0);
    if (n == -EAGAIN)
        return 1;
    if (n < 0) {
        tx_dropped += (uint64_t)tx_count();
        txused = 0;
        return 0;
    }
    tx_drop_front(n);
    return txused != 0;
}

// lwIP's output: the frame joins the batch (sent at the end of the loop).
static err_t nicif_output(struct netif *nif, struct pbuf *p)
{
    (void)nif;
    static uint8_t frame[NIC_FRAME_MAX];
    if (p->tot_len > NIC_FRAME_MAX) {
        tx_dropped++;
        return ERR_IF;
    }
    uint32_t len = pbuf_copy_partial(p, frame, p->tot_len, 0);
    if (len < NIC_FRAME_MIN) {
        tx_dropped++;
        return ERR_IF;
    }
    if (nic_batch_put(txbuf, sizeof(txbuf), &txused, frame, len) < 0) {
        nicif_flush();            // full: hand it over now and try again
        if (nic_batch_put(txbuf, sizeof(txbuf), &txused, frame, len) < 0) {
            tx_dropped++;         // the ring is full: lost like on a wire
            return ERR_OK;
        }
    }
    tx_frames++;
    tx_bytes += len;
    return ERR_OK;
}

// Says on the console when DHCP changes the address it gave before. The
// first address is not announced: it comes at no fixed moment, often
// after the shell's prompt, and would land in the middle of what someone
// types (ifconfig shows it).
static void status_changed(struct netif *nif)
{
    static uint32_t first;
    uint32_t a = ip4_addr_get_u32(netif_ip4_addr(nif));
    if (a && first && a != first)
        printf("net: %s up\n", ip4addr_ntoa(netif_ip4_addr(nif)));
    if (a && !first)
        first = a;
}

static err_t nicif_init(struct netif *nif)
{
    nif->name[0] = 'e';
    nif->name[1] = 'n';
    nif->output = etharp_output;
    nif->linkoutput = nicif_output;
    nif->mtu = NIC_MTU;
    nif->hwaddr_len = 6;
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    netif_set_hostname(nif, "os");
    return ERR_OK;
}

void nicif_start(long notif, long svc, const char *driver)
{
    svc_ep = svc;
    driver_name = driver;
    notif_copy = sys_handle_mint(notif, R_SIGNAL | R_GRANT, 0);
    if (notif_copy < 0)
        printf("net: cannot make the notification copy (error %ld)\n", notif_copy);
    netif_add(&nicif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, nicif_init,
              ethernet_input);
    netif_set_status_callback(&nicif, status_changed);
    netif_set_default(&nicif);
    nicif_check_driver();
    if (!attached)
        printf("net: no NIC driver '%s' yet, waiting for it\n", driver);
    netif_set_up(&nicif);
    err_t e = dhcp_start(&nicif);
    if (e != ERR_OK)
        printf("net: cannot start DHCP (%d)\n", e);
}

void nicif_info(struct net_ifinfo *info)
{
    memset(info, 0, sizeof(*info));
    strcpy(info->name, "eth0");
    info->addr = ip4_addr_get_u32(netif_ip4_addr(&nicif));
    info->netmask = ip4_addr_get_u32(netif_ip4_netmask(&nicif));
    info->gateway = ip4_addr_get_u32(netif_ip4_gw(&nicif));
    memcpy(info->mac, nicif.hwaddr, 6);
    info->up = netif_is_up(&nicif);
    info->link = attached && netif_is_link_up(&nicif);
    info->mtu = nicif.mtu;
    info->dhcp = dhcp_supplied_address(&nicif);
    info->driver_attaches = (uint32_t)attaches;
    info->rx_frames = rx_frames;
    info->rx_bytes = rx_bytes;
    info->rx_dropped = rx_dropped;
    info->tx_frames = tx_frames;
    info->tx_bytes = tx_bytes;
    info->tx_dropped = tx_dropped;
    info->rx_err_eth = lwip_stats.etharp.drop;
    info->rx_err_ip = lwip_stats.ip.drop;
    info->rx_err_icmp = lwip_stats.icmp.drop + lwip_stats.icmp.chkerr + lwip_stats.icmp.lenerr
                        + lwip_stats.icmp.err;   // lwIP counts these apart from drop
    info->rx_err_udp = lwip_stats.udp.drop;
    info->rx_err_tcp = lwip_stats.tcp.drop;
}
