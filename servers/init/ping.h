// How long a liveness ping has waited, as the supervisor judges it. Pure
// (host-tested in tests/host/test_ping.c): the pinger threads write the
// send time while the supervisor's main thread reads it, on another CPU
// perhaps, so the caller reads it once and passes the value.
#ifndef PING_H
#define PING_H
#include <stdint.h>

// sent: when the pending ping went out (0: none pending); started: when
// the service was started; now: the supervisor's clock, read before sent
// (so a ping sent since looks newer than now). 0 when nothing is pending,
// the ping went to an earlier incarnation, or it is newer than now.
static inline uint64_t ping_wait_ms(uint64_t sent, uint64_t started, uint64_t now)
{
    if (!sent || sent <= started || sent >= now)
        return 0;
    return now - sent;
}

#endif
