// The net server's NET_PING: ICMP echo over lwIP's raw API (ping.c).
#ifndef PING_H
#define PING_H
#include <stdint.h>
#include "server.h"

// NET_PING's handler: sends the echo request, defers the reply.
int ping_op(struct request *rq);
// Answers the pings whose time ran out; now is in milliseconds.
void ping_tick(uint64_t now);

#endif
