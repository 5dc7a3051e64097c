// ping: ICMP echo requests through the net server (NET_PING), printed as
// Linux's ping prints them: a line per reply and a summary.
// Usage: ping [-c COUNT] [-i SECONDS] [-s BYTES] [-W SECONDS] ADDR
// (COUNT default 4, interval 1 s, 56 data bytes, 2 s wait per reply).
// Exit 0 when at least one reply came, 1 when none did, 2 on bad usage.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <osapi.h>
#include "net_proto.h"
#include "prog.h"

#define USAGE "[-c COUNT] [-i SECONDS] [-s BYTES] [-W SECONDS] ADDR"

struct stats {
    int sent, received, errors;
    unsigned long min, max, sum;         // round trips, microseconds
    unsigned long long sum2;
};

static unsigned long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

static unsigned long isqrt(unsigned long long v)
{
    unsigned long long r = 0;
    while ((r + 1) * (r + 1) <= v)
        r++;
    return (unsigned long)r;
}

// A number argument in [lo, hi], else the usage message.
static double number(const char *s, double lo, double hi)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        prog_usage(USAGE, 2);
    return v;
}

// One echo request; prints its reply line or error.
static void ping_once(struct stats *st, struct in_addr to, const char *name, int seq,
                      unsigned bytes, unsigned wait_ms)
{
    struct os_ping_reply r;
    st->sent++;
    if (os_net_ping(to.s_addr, (unsigned)seq, bytes, wait_ms, &r) < 0) {
        if (errno != ETIMEDOUT) {
            prog_warn("%s: icmp_seq=%d: %s", name, seq, strerror(errno));
            st->errors++;
        }
        return;
    }
    st->received++;
    st->sum += r.rtt_us;
    st->sum2 += (unsigned long long)r.rtt_us * r.rtt_us;
    if (st->received == 1 || r.rtt_us < st->min)
        st->min = r.rtt_us;
    if (r.rtt_us > st->max)
        st->max = r.rtt_us;
    printf("%u bytes from %s: icmp_seq=%d ttl=%u time=%lu.%03lu ms\n", r.bytes + 8, name, seq,
           r.ttl, r.rtt_us / 1000, r.rtt_us % 1000);
    fflush(stdout);
}

static void summary(const struct stats *st, const char *name, unsigned long ms)
{
    printf("\n--- %s ping statistics ---\n", name);
    printf("%d packets transmitted, %d received, ", st->sent, st->received);
    if (st->errors)
        printf("+%d errors, ", st->errors);
    printf("%d%% packet loss, time %lums\n",
           st->sent ? (st->sent - st->received) * 100 / st->sent : 0, ms);
    if (!st->received)
        return;
    unsigned long avg = st->sum / (unsigned long)st->received;
    unsigned long long mean2 = st->sum2 / (unsigned long long)st->received;
    unsigned long mdev = isqrt(mean2 > (unsigned long long)avg * avg
                               ? mean2 - (unsigned long long)avg * avg : 0);
    printf("rtt min/avg/max/mdev = %lu.%03lu/%lu.%03lu/%lu.%03lu/%lu.%03lu ms\n",
           st->min / 1000, st->min % 1000, avg / 1000, avg % 1000,
           st->max / 1000, st->max % 1000, mdev / 1000, mdev % 1000);
}

int main(int argc, char **argv)
{
    int count = 4, opt;
    double interval = 1.0, wait = 2.0;
    unsigned bytes = 56;
    prog_init(argv[0]);
    while ((opt = getopt(argc, argv, "c:i:s:W:")) != -1) {
        if (opt == 'c')
            count = (int)number(optarg, 1, 1000000);
        else if (opt == 'i')
            interval = number(optarg, 0, 3600);
        else if (opt == 's')
            bytes = (unsigned)number(optarg, 0, NET_PING_MAX);
        else if (opt == 'W')
            wait = number(optarg, 0.001, 60);
        else
            prog_usage(USAGE, 2);
    }
    struct in_addr to;
    if (optind != argc - 1)
        prog_usage(USAGE, 2);
    const char *name = argv[optind];
    if (inet_pton(AF_INET, name, &to) != 1) {
        prog_warn("%s: not an IPv4 address", name);
        return 2;
    }
    printf("PING %s (%s) %u(%u) bytes of data.\n", name, name, bytes, bytes + 28);
    fflush(stdout);
    struct stats st = { 0 };
    unsigned long start = now_ms();
    for (int seq = 1; seq <= count; seq++) {
        unsigned long t0 = now_ms();
        ping_once(&st, to, name, seq, bytes, (unsigned)(wait * 1000));
        unsigned long spent = now_ms() - t0, want = (unsigned long)(interval * 1000);
        if (seq < count && spent < want)
            usleep((useconds_t)((want - spent) * 1000));
    }
    summary(&st, name, now_ms() - start);
    if (!st.received)
        prog_warn("no reply from %s", name);
    return st.received ? 0 : 1;
}
