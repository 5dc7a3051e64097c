// proc's side of closing a dead process's sockets: net asks proc to watch
// a process when it makes its first socket (PROC_NET_WATCH); when a watched
// process dies, proc keeps its pid and signals net's notification, and net
// collects the pids (PROC_NET_GONE). proc never calls net, so a process
// that never used a socket costs nothing at its death, and net being slow,
// hung or restarting never holds proc up. net's notification is kept at
// init too (keep.c), so a restarted proc still has it.
#include <errno.h>
#include <string.h>
#include "proc.h"
#include "svc_proto.h"

#define SVC_MS 200               // the supervisor answers its list in this long

static long net_notif = -1;      // net's notification (signal right), from PROC_NET_WATCH
static uint64_t net_bit;
static int net_pid = -1;         // the pid of the service "net", as last looked up
static int32_t gone[PROC_GONE_MAX];
static int ngone, lost;

// The pid the supervisor lists for the service "net", or -1.
static int net_lookup(void)
{
    static struct svc_entry e;
    for (uint64_t i = 0; i < 64; i++) {
        struct msg m = { TAG(SVC_LIST, 0), i, 0, 0, 0, 0 };
        struct ipc_bufs b = { NULL, 0, &e, sizeof(e) };
        if (ipc_call_timeout(H_SVC, &m, &b, SVC_MS) < 0 || m.w0 != 1)
            return -1;
        e.name[sizeof(e.name) - 1] = 0;
        if (!strcmp(e.name, "net"))
            return e.state == SVC_RUNNING ? e.pid : -1;
    }
    return -1;
}

// Whether the caller is the net server (a restarted net has a new pid:
// asks the supervisor then).
static int from_net(const struct request *rq)
{
    int pid = (int)(rq->badge & (BADGE_SYSTEM - 1));
    if (pid != net_pid)
        net_pid = net_lookup();
    return pid == net_pid;
}

// Whether pid is a living process that proc did not start.
static int alive_elsewhere(int pid)
{
    struct proc_info pi;
    for (long i = 0; sys_proc_info(H_ROOT_CAP, i, (long)&pi) == 0; i++)
        if (pi.pid == pid)
            return 1;
    return 0;
}

int op_net_watch(struct request *rq)
{
    if (!from_net(rq)) {
        rq->r0 = (uint64_t)-EPERM;
        return 0;
    }
    if (rq->handle && rq->w1) {
        if (net_notif >= 0)
            sys_handle_close(net_notif);
        net_notif = (long)rq->w2;
        net_bit = rq->w1;
        rq->handle = 0;                            // kept, and a copy at init's
        keep_put(0, net_notif, net_bit);
    }
    struct child *c = child_find((int)rq->w0);
    if (c && c->e.state == PR_RUNNING) {
        c->e.net_watch = 1;
        child_save(c);
        rq->r0 = 0;
    } else {
        rq->r0 = !c && alive_elsewhere((int)rq->w0) ? 1 : (uint64_t)-ESRCH;
    }
    return 0;
}

int op_net_gone(struct request *rq)
{
    static int32_t out[PROC_GONE_MAX];
    if (!from_net(rq)) {
        rq->r0 = (uint64_t)-EPERM;
        return 0;
    }
    memcpy(out, gone, (size_t)ngone * sizeof(gone[0]));
    rq->r0 = (uint64_t)ngone;
    rq->r1 = (uint64_t)lost;
    rq->reply_data = out;
    rq->reply_len = (uint64_t)ngone * sizeof(out[0]);
    ngone = lost = 0;
    return 0;
}

// After our restart: net's notification back from init; the pids of
// deaths net had not yet collected died with our last incarnation, so net
// is told to ask about every process it holds sockets for again.
void netwatch_restore(void)
{
    net_notif = keep_get(0, &net_bit);
    lost = 1;
    if (net_notif >= 0)
        sys_notif_signal(net_notif, net_bit);
}

// c died: if net holds sockets of it, keeps its pid for net and tells net.
void netwatch_died(struct child *c)
{
    if (!c->e.net_watch)
        return;
    c->e.net_watch = 0;
    if (ngone < PROC_GONE_MAX)
        gone[ngone++] = c->e.pid;
    else
        lost = 1;
    if (net_notif >= 0)
        sys_notif_signal(net_notif, net_bit);
}
