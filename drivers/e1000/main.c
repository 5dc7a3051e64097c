// The e1000 driver's server: sets up the device, then serves the NIC
// protocol (nic_proto.h) through the shared receive loop. Its interrupt
// arrives as a bit of a notification bound to the endpoint; the driver
// reads the causes, signals the attached client (the network server) when
// frames came in or the link changed, and acknowledges the line. Frames
// wait in the receive ring until the client asks for them (NIC_RECV).
#include "os.h"
#include "server.h"
#include "nic_proto.h"
#include "e1000.h"

#define IRQ_BIT  1ul
#define EINVAL   22                  // newlib errno values
#define EAGAIN   11

static uint8_t mac[6];
static struct nic_stats stats;
static long client = -1;             // the attached client's notification
static uint64_t client_bits;
static uint8_t reply_buf[IPC_MAX_PAYLOAD];

static int reply_error(struct request *rq, int err)
{
    rq->r0 = (uint64_t)(long)-err;
    return 0;
}

// NIC_INFO: link, MAC (byte 0 lowest), MTU.
static int nic_info(struct request *rq)
{
    uint64_t m = 0;
    for (int i = 5; i >= 0; i--)
        m = m << 8 | mac[i];
    rq->r0 = (uint64_t)e1000_link_up();
    rq->r1 = m;
    rq->r2 = NIC_MTU;
    return 0;
}

// NIC_ATTACH: keeps the passed notification (replacing an earlier one).
static int nic_attach(struct request *rq)
{
    if (!rq->handle)
        return reply_error(rq, EINVAL);
    if (client >= 0)
        sys_handle_close(client);
    client = (long)rq->w2;
    client_bits = rq->w0 ? rq->w0 : 1;
    rq->handle = 0;                             // kept
    rq->r0 = 0;
    return 0;
}

// NIC_SEND: a whole well-formed batch, queued frame by frame until the
// ring is full.
static int nic_send(struct request *rq)
{
    const uint8_t *frame;
    uint32_t pos = 0;
    int n, sent = 0;
    while ((n = nic_batch_next(rq->data, (uint32_t)rq->len, &pos, &frame)) > 0)
        ;
    if (n < 0 || !rq->len) {
        stats.tx_errors++;
        return reply_error(rq, EINVAL);
    }
    pos = 0;
    while ((n = nic_batch_next(rq->data, (uint32_t)rq->len, &pos, &frame)) > 0 &&
           e1000_send(frame, (uint32_t)n, &stats) == 0)
        sent++;
    if (!sent)
        return reply_error(rq, EAGAIN);
    rq->r0 = (uint64_t)sent;
    return 0;
}

// NIC_RECV: what the receive ring holds, up to w0 bytes of batch.
static int nic_recv(struct request *rq)
{
    uint32_t used = 0, cap = rq->w0 < sizeof(reply_buf) ? (uint32_t)rq->w0 : sizeof(reply_buf);
    rq->r0 = (uint64_t)e1000_recv(reply_buf, cap, &used, &stats);
    rq->reply_data = reply_buf;
    rq->reply_len = used;
    return 0;
}

static int nic_get_stats(struct request *rq)
{
    static struct nic_stats copy;
    e1000_tx_reclaim();
    copy = stats;
    rq->r0 = 0;
    rq->reply_data = &copy;
    rq->reply_len = sizeof(copy);
    return 0;
}

static void on_irq(uint64_t bits)
{
    if (!(bits & IRQ_BIT))
        return;
    uint32_t cause = e1000_irq();
    stats.irqs++;
    e1000_tx_reclaim();
    if ((cause & (ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC)) && client >= 0)
        sys_notif_signal(client, (long)client_bits);
    sys_irq_ack(E1000_H_IRQ);
}

static const server_op ops[NIC_OPS] = {
    [NIC_INFO] = nic_info, [NIC_ATTACH] = nic_attach, [NIC_SEND] = nic_send,
    [NIC_RECV] = nic_recv, [NIC_STATS] = nic_get_stats,
};

int main(int argc, char **argv)
{
    int err = e1000_init(mac);
    if (err) {
        printf("e1000: cannot set up the device (error %d)\n", err);
        return 1;
    }
    long notif = sys_notif_create();
    if (notif < 0 || sys_irq_bind(E1000_H_IRQ, notif, IRQ_BIT) < 0) {
        printf("e1000: cannot bind the interrupt\n");
        return 1;
    }
    printf("e1000: MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", mac[0], mac[1], mac[2],
           mac[3], mac[4], mac[5], e1000_link_up() ? "up" : "down");
    server_announce("e1000", argc, argv);
    struct server s = { E1000_H_ENDPOINT, ops, NIC_OPS, notif, on_irq, NULL };
    server_run(&s);
}
