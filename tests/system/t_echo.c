// IPC test server: receives on handle 1 and replies with the payload
// XORed with 0x5a, w0 = payload length, w1 = w0 + w1, w2 = the badge.
// A passed handle's slot comes back in w1. Label 99 makes it exit
// without replying (to test a dying server); label 97 leaves the call
// unanswered and receives the next one (a call held on to). Label 98 is slow work: it
// computes for w0 milliseconds and replies w0 = how many label-98
// requests came before this one, w1 unchanged. Requests arrive in the
// receive buffer registered with recv_buf; a reply without payload passes
// no struct ipc_bufs.
#include "os.h"

#define EP 1

int main(void)
{
    static uint8_t buf[IPC_MAX_PAYLOAD];
    struct ipc_bufs b = { buf, 0, buf, sizeof(buf) };
    struct msg m = { 0, 0, 0, 0, 0, 0 };
    uint64_t slow_served = 0;
    long r = sys_recv_buf((long)buf, sizeof(buf));
    if (r == 0)
        r = ipc_recv(EP, &m, NULL);
    for (;;) {
        if (r < 0) {
            printf("t_echo: recv failed: %ld\n", r);
            return 1;
        }
        unsigned label = TAG_LABEL(m.tag);
        uint64_t len = TAG_LEN(m.tag);
        if (label == 99)
            return 0;
        if (label == 97) {
            r = ipc_recv(EP, &m, NULL);
            continue;
        }
        if (label == 98) {
            long t0 = sys_time();
            while (sys_time() - t0 < (long)m.w0 * 1000000)
                ;
            m.w0 = slow_served++;
            m.tag = TAG(label, 0);
            r = ipc_reply_recv(EP, m.token, &m, NULL);
            continue;
        }
        for (uint64_t i = 0; i < len; i++)
            buf[i] ^= 0x5a;
        m.w1 = m.w0 + m.w1;
        if (m.tag & TAG_HANDLE) {              // report the slot and drop it
            m.w1 = m.w2;
            sys_handle_close((long)m.w2);
        }
        m.w0 = len;
        m.w2 = m.badge;
        m.tag = TAG(label, 0);
        b.send_len = len;
        r = ipc_reply_recv(EP, m.token, &m, len ? &b : NULL);
    }
}
