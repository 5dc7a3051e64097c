// ifconfig: the network interfaces of the net server: address, netmask,
// gateway, MAC, link and packet counters.
// usage: ifconfig [NAME]
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <osapi.h>
#include "net_proto.h"
#include "prog.h"

static const char *ip(uint32_t a, char *buf)
{
    struct in_addr in = { a };
    return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static void show(const struct net_ifinfo *f)
{
    char a[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
    printf("%s: flags=<%s%s> mtu %u\n", f->name, f->up ? "UP" : "DOWN",
           f->link ? ",RUNNING" : "", f->mtu);
    printf("        inet %s  netmask %s  gateway %s%s\n", ip(f->addr, a), ip(f->netmask, m),
           ip(f->gateway, g), f->dhcp ? "  (dhcp)" : "");
    if (strcmp(f->name, "lo")) {
        printf("        ether %02x:%02x:%02x:%02x:%02x:%02x  driver attaches %u\n", f->mac[0],
               f->mac[1], f->mac[2], f->mac[3], f->mac[4], f->mac[5], f->driver_attaches);
        printf("        RX packets %llu  bytes %llu  dropped %llu\n",
               (unsigned long long)f->rx_frames, (unsigned long long)f->rx_bytes,
               (unsigned long long)f->rx_dropped);
        printf("        TX packets %llu  bytes %llu  dropped %llu\n",
               (unsigned long long)f->tx_frames, (unsigned long long)f->tx_bytes,
               (unsigned long long)f->tx_dropped);
        printf("        RX errors eth %u  ip %u  icmp %u  udp %u  tcp %u\n", f->rx_err_eth,
               f->rx_err_ip, f->rx_err_icmp, f->rx_err_udp, f->rx_err_tcp);
    }
}

int main(int argc, char **argv)
{
    struct net_ifinfo f;
    int shown = 0;
    prog_init(argv[0]);
    if (argc > 2)
        prog_usage("[NAME]", 1);
    for (int i = 0; os_net_ifinfo(i, &f) == 0; i++)
        if (argc < 2 || !strcmp(argv[1], f.name)) {
            show(&f);
            shown++;
        }
    if (errno != ENODEV) {
        prog_warn_errno("cannot ask the net server");
        return 1;
    }
    if (!shown && argc == 2) {
        prog_warn("%s: no such interface", argv[1]);
        return 1;
    }
    return 0;
}
