// nicping: talks to the NIC driver directly (no IP stack): asks the
// address of a host on QEMU's user network with ARP, then pings it with
// ICMP echo requests built here, and prints the driver's counters.
// Usage: nicping [-c COUNT] [ADDR]   (ADDR default 10.0.2.2, the gateway;
// this machine is 10.0.2.15). Exit 0 when every echo was answered.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "os.h"
#include "services.h"
#include "svc_proto.h"
#include "nic_proto.h"

extern struct startinfo os_start;               // our priority (libc/posix)

#define MY_IP     0x0a00020fu                    // 10.0.2.15
#define ECHO_DATA 56
#define TIMEOUT_MS 2000

static long nic = -1;
static uint8_t my_mac[6], peer_mac[6];
static uint32_t peer_ip;
static const char *peer_name;
static volatile int wakeups;                     // the driver's notifications
static uint8_t batch[16384];

static long nic_call(unsigned op, uint64_t w0, const void *send, uint64_t len, void *recv,
                     uint64_t max, struct msg *m)
{
    *m = (struct msg){ TAG(op, 0), w0, 0, 0, 0, 0 };
    struct ipc_bufs b = { send, len, recv, max };
    long e = ipc_call(nic, m, &b);
    return e < 0 ? e : (long)m->w0;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

static uint16_t checksum(const uint8_t *p, int len)
{
    uint32_t sum = 0;
    for (int i = 0; i + 1 < len; i += 2)
        sum += get16(p + i);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void eth_header(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, my_mac, 6);
    put16(f + 12, type);
}

static int send_frame(const uint8_t *f, uint32_t len)
{
    uint8_t out[NIC_FRAME_MAX + 2];
    uint32_t used = 0;
    struct msg m;
    if (nic_batch_put(out, sizeof(out), &used, f, len))
        return -1;
    long r = nic_call(NIC_SEND, 0, out, used, NULL, 0, &m);
    return r == 1 ? 0 : -1;
}

// Receives until match() accepts a frame or timeout_ms pass; 0 or -1.
static int wait_for(int (*match)(const uint8_t *f, int len, long arg), long arg, int timeout_ms)
{
    long end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        struct msg m;
        long n = nic_call(NIC_RECV, sizeof(batch), NULL, 0, batch, sizeof(batch), &m);
        if (n < 0)
            return -1;
        uint32_t pos = 0, len = (uint32_t)TAG_LEN(m.tag);
        const uint8_t *f;
        int fl;
        while ((fl = nic_batch_next(batch, len, &pos, &f)) > 0)
            if (match(f, fl, arg))
                return 0;
        if (!n)
            usleep(5000);
    }
    return -1;
}

static int arp_reply(const uint8_t *f, int len, long arg)
{
    (void)arg;
    if (len < 42 || get16(f + 12) != 0x0806 || get16(f + 20) != 2 || get32(f + 28) != peer_ip)
        return 0;
    memcpy(peer_mac, f + 22, 6);
    return 1;
}

static int arp(void)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint8_t f[42] = { 0 };
    eth_header(f, bcast, 0x0806);
    put16(f + 14, 1);                            // Ethernet
    put16(f + 16, 0x0800);                       // IPv4
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, 1);                            // request
    memcpy(f + 22, my_mac, 6);
    put32(f + 28, MY_IP);
    put32(f + 38, peer_ip);
    for (int tries = 0; tries < 3; tries++)
        if (send_frame(f, sizeof(f)) == 0 && wait_for(arp_reply, 0, TIMEOUT_MS) == 0)
            return 0;
    return -1;
}

static int echo_reply(const uint8_t *f, int len, long seq)
{
    if (len < 34 + 8 + ECHO_DATA || get16(f + 12) != 0x0800 || f[23] != 1 ||
        get32(f + 26) != peer_ip || (f[14] & 0x0f) != 5)
        return 0;
    const uint8_t *icmp = f + 34;
    if (icmp[0] != 0 || get16(icmp + 4) != (uint16_t)getpid() || get16(icmp + 6) != seq)
        return 0;
    for (int i = 0; i < ECHO_DATA; i++)
        if (icmp[8 + i] != (uint8_t)(i + seq))
            return 0;
    return checksum(icmp, 8 + ECHO_DATA) == 0;
}

static int ping(int seq)
{
    uint8_t f[34 + 8 + ECHO_DATA] = { 0 };
    eth_header(f, peer_mac, 0x0800);
    uint8_t *ip = f + 14, *icmp = f + 34;
    ip[0] = 0x45;
    put16(ip + 2, 20 + 8 + ECHO_DATA);
    put16(ip + 4, (uint16_t)seq);
    ip[8] = 64;
    ip[9] = 1;                                   // ICMP
    put32(ip + 12, MY_IP);
    put32(ip + 16, peer_ip);
    put16(ip + 10, checksum(ip, 20));
    icmp[0] = 8;                                 // echo request
    put16(icmp + 4, (uint16_t)getpid());
    put16(icmp + 6, (uint16_t)seq);
    for (int i = 0; i < ECHO_DATA; i++)
        icmp[8 + i] = (uint8_t)(i + seq);
    put16(icmp + 2, checksum(icmp, 8 + ECHO_DATA));
    long t0 = now_ms();
    if (send_frame(f, sizeof(f)) || wait_for(echo_reply, seq, TIMEOUT_MS))
        return -1;
    printf("%d bytes from %s: icmp_seq=%d time=%ld ms\n", 8 + ECHO_DATA, peer_name, seq,
           now_ms() - t0);
    return 0;
}

static void waiter(long notif)
{
    for (;;) {
        sys_notif_wait(notif);
        wakeups++;
    }
}

// Gets a handle to the driver from init, its MAC, and attaches a notification.
static int connect_nic(void)
{
    static const char name[] = "e1000";
    struct msg m = { TAG(SVC_CONNECT, 0), 0, 0, 0, 0, 0 };
    struct ipc_bufs b = { name, sizeof(name), NULL, 0 };
    long e = ipc_call(H_SVC, &m, &b);
    if (e < 0 || !(m.tag & TAG_HANDLE)) {
        fprintf(stderr, "nicping: no NIC driver (error %ld)\n", e < 0 ? e : (long)m.w0);
        return -1;
    }
    nic = (long)m.w2;
    if (nic_call(NIC_INFO, 0, NULL, 0, NULL, 0, &m) < 0)
        return -1;
    for (int i = 0; i < 6; i++)
        my_mac[i] = (uint8_t)(m.w1 >> (8 * i));
    long notif = sys_notif_create();
    if (notif < 0 || thread_start(waiter, notif, os_start.prio, 16384) < 0) {
        fprintf(stderr, "nicping: cannot start the notification waiter\n");
        return -1;
    }
    m = (struct msg){ TAG(NIC_ATTACH, 0) | TAG_HANDLE, 1, 0, (uint64_t)notif, 0, 0 };
    e = ipc_call(nic, &m, NULL);
    return e < 0 || m.w0 ? -1 : 0;
}

static void print_stats(void)
{
    struct nic_stats st;
    struct msg m;
    if (nic_call(NIC_STATS, 0, NULL, 0, &st, sizeof(st), &m) < 0)
        return;
    printf("nic: rx %lu frames %lu bytes, %lu dropped, %lu errors; tx %lu frames %lu bytes, "
           "%lu errors; %lu irqs; %d notifications\n", (unsigned long)st.rx_frames,
           (unsigned long)st.rx_bytes, (unsigned long)st.rx_dropped, (unsigned long)st.rx_errors,
           (unsigned long)st.tx_frames, (unsigned long)st.tx_bytes, (unsigned long)st.tx_errors,
           (unsigned long)st.irqs, wakeups);
}

int main(int argc, char **argv)
{
    int count = 3, a, b, c, d;
    if (argc >= 3 && !strcmp(argv[1], "-c")) {
        count = atoi(argv[2]);
        argc -= 2;
        argv += 2;
    }
    const char *addr = argc >= 2 ? argv[1] : "10.0.2.2";
    peer_name = addr;
    if (sscanf(addr, "%d.%d.%d.%d", &a, &b, &c, &d) != 4 || count < 1) {
        fprintf(stderr, "usage: nicping [-c COUNT] [ADDR]\n");
        return 2;
    }
    peer_ip = (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d;
    if (connect_nic())
        return 1;
    if (arp()) {
        fprintf(stderr, "nicping: no ARP reply from %s\n", addr);
        print_stats();
        return 1;
    }
    printf("arp: %s is at %02x:%02x:%02x:%02x:%02x:%02x\n", addr, peer_mac[0], peer_mac[1],
           peer_mac[2], peer_mac[3], peer_mac[4], peer_mac[5]);
    int lost = 0;
    for (int seq = 1; seq <= count; seq++)
        if (ping(seq)) {
            printf("no reply to icmp_seq=%d\n", seq);
            lost++;
        }
    printf("%d sent, %d received\n", count, count - lost);
    print_stats();
    return lost ? 1 : 0;
}
