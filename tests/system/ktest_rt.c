// In-system tests of priority inheritance over IPC and of timeouts.
// The server is t_echo at priority 5; label 98 makes it compute for w0
// milliseconds before it answers (see t_echo.c).
#include "ktest.h"

#define MS 1000000l

static long slow_ep = -1, slow_proc = -1;
static volatile int hog_done;
static volatile long low_result, queued_order[2];

static const char *start_slow_server(void)
{
    if (slow_ep >= 0)
        return NULL;
    uint64_t bit;
    slow_ep = sys_endpoint_create();
    EXPECT(slow_ep >= 0, "endpoint_create: %ld", slow_ep);
    slow_proc = run_prio("t_echo", NULL, &slow_ep, 1, &bit, 5);
    EXPECT(slow_proc >= 0, "spawn t_echo: %ld", slow_proc);
    return NULL;
}

static long slow_call(uint64_t ms, uint64_t w1, struct msg *m, unsigned timeout)
{
    *m = (struct msg){ TAG(98, 0), ms, w1, 0, 0, 0 };
    return ipc_call_timeout(slow_ep, m, NULL, timeout);
}

static void low_client(long ms)               // holds the server for ms
{
    struct msg m;
    low_result = slow_call((uint64_t)ms, 0, &m, 0);
    sys_notif_signal(done_notif, 1 << 8);
}

static void hog(long ms)                      // computes for ms
{
    long t0 = sys_time();
    while (sys_time() - t0 < ms * MS)
        ;
    hog_done = 1;
    sys_notif_signal(done_notif, 1 << 9);
}

// A low client holds the server, a medium hog takes the CPU from it, and
// a high client calls the same server: the server inherits the high
// priority, finishes the low client's work and serves the high client
// while the hog is still running. The server and the hog run on the CPUs
// in cpus, the clients on ours.
const char *t_pi_high_client_not_blocked_by_hog_on(uint64_t cpus)
{
    const char *e = start_slow_server();
    if (e)
        return e;
    EXPECT(sys_proc_cpus(slow_proc, (long)cpus) == 0, "server's CPUs");
    hog_done = 0;
    low_result = 1;
    EXPECT(thread_start(low_client, 40, 10, 16384) >= 0, "low client");
    sys_sleep(5);                              // the server works for it at 10
    long h = thread_start(hog, 300, 20, 16384);
    EXPECT(h >= 0 && sys_thread_cpus(h, (long)cpus) == 0, "hog");
    sys_sleep(5);                              // the hog starves the server
    struct msg m;
    long t0 = sys_time();
    long r = slow_call(1, 7, &m, 0);            // we are the high client (30)
    long waited = (sys_time() - t0) / MS;
    int hog_finished_first = hog_done;
    wait_bits(3 << 8);
    EXPECT(r == 0 && m.w1 == 7, "high call: %ld, w1 %lu", r, m.w1);
    EXPECT(low_result == 0, "low call: %ld", low_result);
    EXPECT(!hog_finished_first, "the high client waited %ld ms, until the hog was done", waited);
    sys_proc_cpus(slow_proc, ~0l);
    return NULL;
}

const char *t_pi_high_client_not_blocked_by_hog(void)
{
    return t_pi_high_client_not_blocked_by_hog_on(~0ul);
}

static void queued_client(long i)
{
    struct msg m;
    long r = slow_call(2, 0, &m, 0);
    queued_order[i] = r == 0 ? (long)m.w0 : -1;
    sys_notif_signal(done_notif, 1 << (10 + i));
}

// Two clients queue while the server is busy, the lower-priority one
// first: the higher-priority one is served first.
const char *t_pi_senders_in_priority_order(void)
{
    const char *e = start_slow_server();
    if (e)
        return e;
    EXPECT(thread_start(low_client, 30, 10, 16384) >= 0, "client holding the server");
    sys_sleep(5);
    EXPECT(thread_start(queued_client, 0, 12, 16384) >= 0, "first, low sender");
    sys_sleep(3);
    EXPECT(thread_start(queued_client, 1, 22, 16384) >= 0, "second, high sender");
    wait_bits(1 << 8 | 3 << 10);
    EXPECT(low_result == 0, "holding call: %ld", low_result);
    EXPECT(queued_order[0] >= 0 && queued_order[1] >= 0, "calls failed");
    EXPECT(queued_order[1] < queued_order[0], "served in arrival order: high %ld, low %ld",
           queued_order[1], queued_order[0]);
    return NULL;
}

const char *t_call_timeout_no_receiver(void)
{
    long ep = sys_endpoint_create();
    struct msg m = { TAG(1, 0), 1, 2, 3, 0, 0 };
    long t0 = sys_time();
    long r = ipc_call_timeout(ep, &m, NULL, 20);
    long took = sys_time() - t0;
    EXPECT(r == -E_TIMEOUT, "call with nobody receiving returned %ld", r);
    EXPECT(took >= 19 * MS, "timed out after %ld us, before 20 ms", took / 1000);
    // The timed-out message is gone from the queue: nothing to receive.
    r = ipc_recv_timeout(ep, &m, NULL, 5);
    EXPECT(r == -E_TIMEOUT, "recv found the timed-out call: %ld, label %u", r, TAG_LABEL(m.tag));
    sys_handle_close(ep);
    return NULL;
}

const char *t_recv_timeout(void)
{
    long ep = sys_endpoint_create();
    struct msg m;
    long t0 = sys_time();
    long r = ipc_recv_timeout(ep, &m, NULL, 15);
    long took = sys_time() - t0;
    EXPECT(r == -E_TIMEOUT, "recv returned %ld", r);
    EXPECT(took >= 14 * MS, "timed out after %ld us, before 15 ms", took / 1000);
    EXPECT(ipc_recv_timeout(77, &m, NULL, 15) == -E_BADHANDLE, "recv on an empty slot");
    sys_handle_close(ep);
    return payload(16);                        // untimed IPC unaffected
}

// The server takes the call but is slower than the timeout. Its late
// reply must not reach the caller's next call.
const char *t_call_timeout_slow_server(void)
{
    const char *e = start_slow_server();
    if (e)
        return e;
    struct msg m;
    long r = slow_call(100, 1, &m, 20);
    EXPECT(r == -E_TIMEOUT, "slow call returned %ld", r);
    r = slow_call(1, 0x77, &m, 0);
    EXPECT(r == 0, "next call: %ld", r);
    EXPECT(m.w1 == 0x77, "the next call got the late reply (w1 %lx)", m.w1);
    uint64_t before = m.w0;
    r = slow_call(1, 0x78, &m, 1000);           // a timeout that does not fire
    EXPECT(r == 0 && m.w1 == 0x78 && m.w0 == before + 1, "timed call: %ld, w1 %lx", r, m.w1);
    return NULL;
}

const char *t_sleep_resolution(void)
{
    long t0 = sys_time();
    for (int i = 0; i < 10; i++)
        EXPECT(sys_sleep(1) == 0, "sleep 1");
    long took = sys_time() - t0;
    EXPECT(took >= 9 * MS, "ten 1 ms sleeps took %ld us", took / 1000);
    t0 = sys_time();
    sys_sleep(25);
    took = sys_time() - t0;
    EXPECT(took >= 24 * MS, "a 25 ms sleep took %ld us", took / 1000);
    return NULL;
}
