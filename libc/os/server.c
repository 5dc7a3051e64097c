// The shared receive loop of servers and drivers (see server.h).
#include "server.h"

static uint8_t request_buf[IPC_MAX_PAYLOAD];

long server_reply(uint32_t token, uint64_t r0, uint64_t r1, uint64_t r2, const void *data, uint64_t len)
{
    struct msg m = { TAG(0, 0), r0, r1, r2, 0, 0 };
    struct ipc_bufs b = { data, len, NULL, 0 };
    return ipc_reply(token, &m, len ? &b : NULL);
}

// Runs the handler for one request; fills the reply into m and b.
static int dispatch(struct server *s, struct msg *m, struct ipc_bufs *b)
{
    struct request rq = { .label = TAG_LABEL(m->tag), .w0 = m->w0, .w1 = m->w1, .w2 = m->w2,
                          .badge = m->badge, .token = m->token, .data = s->buf,
                          .handle = !!(m->tag & TAG_HANDLE),
                          .len = TAG_LEN(m->tag), .r0 = (uint64_t)-SERVER_ENOSYS };
    if (rq.label == LABEL_PING) {
        m->tag = TAG(0, 0);
        m->w0 = 0;
        b->send_len = 0;
        return 0;
    }
    if (rq.label == LABEL_NOTIFY) {
        if (s->on_notify)
            s->on_notify(m->w0);
        return SERVER_DEFER;                     // nobody to reply to
    }
    int r = 0;
    if (rq.label < s->nops && s->ops[rq.label])
        r = s->ops[rq.label](&rq);
    if (rq.handle)
        sys_handle_close((long)rq.w2);           // passed, but the handler did not keep it
    m->tag = TAG(0, 0);
    m->w0 = rq.r0;
    m->w1 = rq.r1;
    m->w2 = rq.r2;
    b->send = rq.reply_data;
    b->send_len = rq.reply_data ? rq.reply_len : 0;
    return r;
}

_Noreturn void server_run(struct server *s)
{
    struct msg m = { 0, 0, 0, 0, 0, 0 };
    if (!s->buf)
        s->buf = request_buf;
    struct ipc_bufs b = { NULL, 0, s->buf, IPC_MAX_PAYLOAD };
    if (s->notif >= 0)
        sys_endpoint_bind(s->endpoint, s->notif);
    long r = sys_recv_buf((long)s->buf, IPC_MAX_PAYLOAD);   // requests go there
    if (r == 0)
        r = ipc_recv(s->endpoint, &m, NULL);
    for (;;) {
        if (r < 0 && r != -E_DEAD) {
            printf("server: cannot receive on handle %ld (error %ld)\n", s->endpoint, r);
            exit(1);
        }
        if (r < 0) {
            r = ipc_recv(s->endpoint, &m, NULL);
            continue;
        }
        uint32_t token = m.token;
        if (dispatch(s, &m, &b) == SERVER_DEFER)
            token = 0;                           // answered later (or never)
        b.recv = s->buf;                         // afresh each time: a stray write into
        b.recv_max = IPC_MAX_PAYLOAD;            // this frame must not misdirect every request
        r = ipc_reply_recv(s->endpoint, token, &m, b.send_len ? &b : NULL);
    }
}

int server_announce(const char *name, int argc, char **argv)
{
    int restarts = 0;
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "restart=", 8))
            restarts = (int)atol(argv[i] + 8);
    if (restarts)
        printf("%s: restarted (%d)\n", name, restarts);
    else
        printf("%s: ready\n", name);
    return restarts;
}
