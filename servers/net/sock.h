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

#endif
