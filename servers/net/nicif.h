// The net server's Ethernet interface: an lwIP netif whose frames go to
// and come from the NIC driver (nic_proto.h). It tracks the driver: when
// a call fails or the supervisor shows a new driver process, it attaches
// again; frames sent while no driver answers are lost, and TCP's
// retransmission sends them again.
#ifndef NICIF_H
#define NICIF_H
#include <stdint.h>
#include "lwip/netif.h"
#include "net_proto.h"

#define NICIF_NOTIFY_BIT  1ull     // the driver's "frames arrived" bit

// Brings the interface up (DHCP) over the NIC driver, the service named
// driver, whose endpoint the supervisor (endpoint handle svc) hands out
// (SVC_CONNECT) and whose restarts it lists (SVC_LIST). notif is the
// notification bound to this server's endpoint (a signal-only copy goes
// to the driver).
void nicif_start(long notif, long svc, const char *driver);
// Takes the frames the driver holds and gives them to lwIP.
void nicif_poll(void);
// Sends the frames lwIP queued. Returns 1 if some are still waiting for
// room in the driver's ring (call again soon), else 0.
int nicif_flush(void);
// Once in a while: checks the driver is the one attached to, attaches
// again if not. Frames are taken only when the driver signals them: the
// driver serves one client, and a diagnostic program that attaches to it
// (nicping) has them until the driver restarts.
void nicif_check_driver(void);
// Fills in the interface's description and counters.
void nicif_info(struct net_ifinfo *info);
extern struct netif nicif;

#endif
