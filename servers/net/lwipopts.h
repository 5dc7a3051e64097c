// lwIP's configuration for the net server (and the host test that runs
// the same configuration): NO_SYS=1 (the raw API driven from one loop),
// IPv4 with ARP, ICMP, UDP, TCP and DHCP over one Ethernet interface,
// plus the loopback interface. Sized for at least 50 concurrent TCP
// connections, each with a 64 KB window and send buffer.
#ifndef LWIPOPTS_H
#define LWIPOPTS_H

#define NO_SYS                    1
#define SYS_LIGHTWEIGHT_PROT      0
#define LWIP_SOCKET               0
#define LWIP_NETCONN              0
#define LWIP_NETIF_API            0

#define LWIP_IPV4                 1
#define LWIP_IPV6                 0
#define LWIP_ARP                  1
#define LWIP_ETHERNET             1
#define LWIP_ICMP                 1
#define LWIP_RAW                  1      // ping's ICMP echo (ping.c)
#define LWIP_UDP                  1
#define LWIP_TCP                  1
#define LWIP_DHCP                 1
#define DHCP_DOES_ARP_CHECK       0      // QEMU's DHCP server hands out a free address
#define LWIP_AUTOIP               0
#define LWIP_IGMP                 0
#define LWIP_DNS                  0
#define IP_REASSEMBLY             1
#define IP_FRAG                   1

#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK  1
#define LWIP_NETIF_HOSTNAME       1
#define LWIP_SINGLE_NETIF         0
#define LWIP_HAVE_LOOPIF          1
#define LWIP_NETIF_LOOPBACK       1
#define LWIP_LOOPBACK_MAX_PBUFS   64

// Memory: lwIP's heap holds the copies of data being sent (TCP_SND_BUF
// per connection), the pool the frames received and data not yet read
// (TCP_WND per connection).
#define MEM_ALIGNMENT             8
#define MEM_SIZE                  (8 * 1024 * 1024)
#define MEMP_NUM_PBUF             256
#define PBUF_POOL_SIZE            4096
#define PBUF_POOL_BUFSIZE         1536
#define MEMP_NUM_UDP_PCB          32
#define MEMP_NUM_TCP_PCB          128
#define MEMP_NUM_TCP_PCB_LISTEN   32
#define MEMP_NUM_TCP_SEG          8192
#define MEMP_NUM_REASSDATA        8
#define IP_REASS_MAX_PBUFS        64
#define MEMP_NUM_FRAG_PBUF        64
#define MEMP_NUM_ARP_QUEUE        64
#define ARP_TABLE_SIZE            16
#define ARP_QUEUEING              1

// TCP: 44 segments of 1460 bytes = 64240 bytes, the largest window
// without window scaling.
#define TCP_MSS                   1460
#define TCP_WND                   (44 * TCP_MSS)
#define TCP_SND_BUF               (44 * TCP_MSS)
#define TCP_SND_QUEUELEN          (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT              (TCP_SND_BUF / 2)
#define TCP_QUEUE_OOSEQ           1
#define TCP_LISTEN_BACKLOG        1
#define TCP_DEFAULT_LISTEN_BACKLOG 64
#define LWIP_TCP_KEEPALIVE        1
#define SO_REUSE                  1
#define LWIP_CALLBACK_API         1

#define LWIP_STATS                1
#define LWIP_STATS_LARGE          1      // 32-bit counters (ifconfig's RX errors)
#define LWIP_STATS_DISPLAY        0
#define MIB2_STATS                0

#define LWIP_CHECKSUM_ON_COPY     1
#define LWIP_NETIF_TX_SINGLE_PBUF 1      // one frame = one contiguous pbuf

#endif
