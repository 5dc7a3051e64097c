// In-system tests of calls a server holds on to: a caller waiting for
// its reply is held by the server thread's serving link alone (the IPC
// fast path, arch/x86_64/fastipc.asm, keeps no list) until that thread
// receives again or dies; then it is on its process's callers, where a
// later reply, from that thread or another, finds it (ipc.c,
// keep_caller). ktest itself is the server here, its clients threads of
// its own at a lower priority.
#include "ktest.h"

#define CLIENT_PRIO 20
#define BIT_CLIENT(i) (1ul << (20 + (i)))

static long hold_ep;
static volatile long hold_got[2][2];          // per client, per call: w0 of the reply

// Client i calls twice (w0 = i, then i + 10) and keeps each reply's w0.
static void hold_client(long i)
{
    for (int k = 0; k < 2; k++) {
        struct msg m = { TAG(1, 0), (uint64_t)(i + 10 * k), 0, 0, 0, 0 };
        long r = ipc_call(hold_ep, &m, NULL);
        hold_got[i][k] = r ? -1000 + r : (long)m.w0;
    }
    sys_notif_signal(done_notif, BIT_CLIENT(i));
}

// Client 0's first call is answered by reply_recv (which parks us on the
// fast path's frame), so its second call arrives by the fast path; we
// hold it, receive client 1's call, and answer the two in reverse order.
const char *t_ipc_hold_and_receive_again(void)
{
    hold_ep = sys_endpoint_create();
    EXPECT(hold_ep >= 0, "endpoint_create: %ld", hold_ep);
    for (int i = 0; i < 4; i++)
        hold_got[i / 2][i % 2] = -1;
    EXPECT(thread_start(hold_client, 0, CLIENT_PRIO, 16384) >= 0, "client 0");
    struct msg m = { 0, 0, 0, 0, 0, 0 };
    EXPECT(ipc_recv(hold_ep, &m, NULL) == 0 && m.w0 == 0, "first call: w0 %lu", m.w0);
    m.w0 = 100;
    EXPECT(ipc_reply_recv(hold_ep, m.token, &m, NULL) == 0 && m.w0 == 10,
           "second call: w0 %lu", m.w0);
    uint32_t held = m.token;
    EXPECT(thread_start(hold_client, 1, CLIENT_PRIO, 16384) >= 0, "client 1");
    EXPECT(ipc_recv(hold_ep, &m, NULL) == 0 && m.w0 == 1, "client 1's call: w0 %lu", m.w0);
    m.w0 = 201;
    EXPECT(ipc_reply(m.token, &m, NULL) == 0, "reply to client 1");
    m = (struct msg){ TAG(1, 0), 110, 0, 0, 0, 0 };
    EXPECT(ipc_reply(held, &m, NULL) == 0, "reply to the held call");
    EXPECT(ipc_reply(held, &m, NULL) == -E_DEAD, "a second reply to it");
    EXPECT(ipc_recv(hold_ep, &m, NULL) == 0 && m.w0 == 11, "client 1's second call: w0 %lu",
           m.w0);
    m.w0 = 211;
    EXPECT(ipc_reply(m.token, &m, NULL) == 0, "reply to client 1's second call");
    wait_bits(BIT_CLIENT(0) | BIT_CLIENT(1));
    EXPECT(hold_got[0][0] == 100 && hold_got[0][1] == 110 && hold_got[1][0] == 201 &&
           hold_got[1][1] == 211, "replies %ld %ld, %ld %ld", hold_got[0][0], hold_got[0][1],
           hold_got[1][0], hold_got[1][1]);
    sys_handle_close(hold_ep);
    return NULL;
}

static volatile uint32_t dying_token;

// Takes one call, hands its token over and ends without answering.
static void dying_server(long unused)
{
    (void)unused;
    struct msg m;
    if (ipc_recv(hold_ep, &m, NULL) == 0)
        dying_token = m.token;
    sys_notif_signal(done_notif, BIT_CLIENT(1));
}

// A server thread dies holding a call it took (held by its serving link
// alone): the call stays with its process, and another of its threads
// (we) answers it.
const char *t_ipc_holder_thread_dies(void)
{
    hold_ep = sys_endpoint_create();
    EXPECT(hold_ep >= 0, "endpoint_create: %ld", hold_ep);
    hold_got[0][0] = hold_got[0][1] = -1;
    dying_token = 0;
    EXPECT(thread_start(hold_client, 0, CLIENT_PRIO, 16384) >= 0, "client");
    struct msg m = { 0, 0, 0, 0, 0, 0 };
    EXPECT(ipc_recv(hold_ep, &m, NULL) == 0 && m.w0 == 0, "first call: w0 %lu", m.w0);
    m.w0 = 100;
    EXPECT(ipc_reply(m.token, &m, NULL) == 0, "first reply");
    EXPECT(thread_start(dying_server, 0, MY_PRIO, 16384) >= 0, "server thread");
    wait_bits(BIT_CLIENT(1));                  // it took the second call and ended
    EXPECT(dying_token != 0, "the server thread got no call");
    sys_sleep(2);                              // its exit done
    m = (struct msg){ TAG(1, 0), 110, 0, 0, 0, 0 };
    EXPECT(ipc_reply(dying_token, &m, NULL) == 0, "reply for the dead thread");
    wait_bits(BIT_CLIENT(0));
    EXPECT(hold_got[0][0] == 100 && hold_got[0][1] == 110, "replies %ld %ld", hold_got[0][0],
           hold_got[0][1]);
    sys_handle_close(hold_ep);
    return NULL;
}

static long held_result;
static volatile int held_done;

static void held_client(long ep)
{
    struct msg m = { TAG(97, 0), 0, 0, 0, 0, 0 };
    held_result = ipc_call(ep, &m, NULL);
    held_done = 1;
}

// A server process holds a call while it receives the next one (label
// 97: the held call goes from the serving link to the callers), then
// exits (label 99): both callers learn that it died.
const char *t_ipc_held_call_server_dies(void)
{
    uint64_t bit;
    long ep = sys_endpoint_create();
    EXPECT(ep >= 0, "endpoint_create: %ld", ep);
    long p = run("t_echo", NULL, &ep, 1, &bit);
    EXPECT(p >= 0, "spawn t_echo: %ld", p);
    held_done = 0;
    EXPECT(thread_start(held_client, ep, MY_PRIO, 16384) >= 0, "client");
    sys_sleep(5);                              // its call held, the server receiving
    EXPECT(!held_done, "the held call came back: %ld", held_result);
    struct msg m = { TAG(99, 0), 0, 0, 0, 0, 0 };
    long r = ipc_call(ep, &m, NULL);
    EXPECT(r == -E_DEAD, "call to a dying server returned %ld", r);
    wait_death(p, bit);
    for (int i = 0; i < 100 && !held_done; i++)
        sys_sleep(1);
    EXPECT(held_done && held_result == -E_DEAD, "held call: %s %ld",
           held_done ? "returned" : "still waiting", held_result);
    sys_handle_close(ep);
    return NULL;
}
