// The net server's sockets (net_proto.h) over lwIP's raw TCP and UDP API.
// Calls that must wait keep their reply token and are answered from
// lwIP's callbacks (data arrived, data acknowledged, connected, error)
// or by sock_tick when their timeout passes.
#ifndef SOCK_H
#define SOCK_H
#include <stdint.h>
#include "server.h"

// The request handlers, indexed by enum net_op (NET_IFINFO excluded).
extern const server_op sock_ops[];
// Answers the waiting calls whose time ran out; now is in milliseconds.
void sock_tick(uint64_t now);
// Closes every socket of owner (a pid): it ended.
void sock_owner_gone(uint64_t owner);
// Every distinct owner of a socket, at most max of them; their count.
int sock_owners(uint64_t *out, int max);

// procwatch.c: proc tells us when a process that holds sockets dies.
#define PROCWATCH_BIT 2ull       // our notification's bit for "a watched process died"
// Gives proc a copy of notif (signal right) to signal PROCWATCH_BIT with.
void procwatch_start(long notif);
// Asks proc to tell us of owner's death: 0, or -ESRCH if it is gone.
long procwatch_watch(uint64_t owner);
// Our notification had PROCWATCH_BIT: closes the dead processes' sockets.
void procwatch_collect(void);

#endif
