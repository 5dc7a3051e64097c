// Host tests for servers/init/ping.h: the supervisor's reading of a
// pending ping's age, with the races of a pinger on another CPU.
#include "../../servers/init/ping.h"
#include "check.h"

TEST(no_ping_pending_is_no_wait)
{
    CHECK_EQ(ping_wait_ms(0, 100, 5000), 0);
}

TEST(pending_ping_waits_since_sent)
{
    CHECK_EQ(ping_wait_ms(1000, 100, 4500), 3500);
    CHECK_EQ(ping_wait_ms(4499, 100, 4500), 1);
}

// The pinger stamped its ping after the supervisor read its clock: not
// 2^64 milliseconds old (the false "hung" verdicts on several CPUs).
TEST(ping_newer_than_the_clock_is_no_wait)
{
    CHECK_EQ(ping_wait_ms(2033, 100, 2032), 0);
    CHECK_EQ(ping_wait_ms(2032, 100, 2032), 0);
}

// A ping still pending from before the service was (re)started says
// nothing about the new incarnation.
TEST(ping_to_an_earlier_incarnation_is_no_wait)
{
    CHECK_EQ(ping_wait_ms(900, 1000, 9000), 0);
    CHECK_EQ(ping_wait_ms(1000, 1000, 9000), 0);
}

