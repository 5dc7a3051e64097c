// poll and select over the console, pipes, sockets and files together.
//
// How a wait across several servers works: the process keeps one
// notification, bound to a private endpoint nobody else can call. A scan
// asks the server of each descriptor what is ready (CON_POLL, PIPE_POLL,
// NET_POLL; files and the kernel log are always ready). When nothing is, the scan
// is made again with a signal-only copy of the notification handle passed
// along (TAG_HANDLE): a server with nothing ready keeps that copy and
// signals it once something becomes ready (the asking and the keeping are
// one request, so no event falls between them). The process then blocks
// in ipc_recv_timeout on its endpoint until the notification arrives or
// the timeout ends, and scans again. A server signals once and drops the
// copy; a newer copy from the same process replaces an older one, so a
// wakeup left over from an earlier poll costs one extra scan at most. The
// wait is cut into slices of at most a second, so a copy lost in a
// server's restart delays readiness by a second, never forever.
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include "libc.h"
#include "console_proto.h"
#include "pipe_proto.h"
#include "net_proto.h"

#define WAIT_SLICE_MS 1000

static long wake_ep = -1, wake_notif = -1, wake_copy = -1;

// Makes the notification, its endpoint and the copy passed to servers,
// once. Returns 0 or a negative errno.
static int wake_init(void)
{
    if (wake_copy >= 0)
        return 0;
    long n = sys_notif_create(), ep = sys_endpoint_create();
    long c = n >= 0 ? sys_handle_mint(n, R_SIGNAL | R_GRANT, 0) : -1;
    if (n < 0 || ep < 0 || c < 0 || sys_endpoint_bind(ep, n) < 0) {
        if (n >= 0)
            sys_handle_close(n);
        if (ep >= 0)
            sys_handle_close(ep);
        if (c >= 0)
            sys_handle_close(c);
        return -ENOMEM;
    }
    wake_notif = n, wake_ep = ep, wake_copy = c;
    return 0;
}

// One readiness request; with arm, passes the notification copy. Returns
// the ready bits or a negative errno.
static long ask(long server, unsigned op, uint64_t id, uint64_t events, int arm)
{
    struct msg m = { TAG(op, 0), id, events, 0, 0, 0 };
    if (op == CON_POLL)
        m = (struct msg){ TAG(op, 0), events, 1, 0, 0, 0 };
    if (arm) {
        m.tag |= TAG_HANDLE;
        m.w2 = (uint64_t)wake_copy;
    }
    struct msg sent = m;
    long e = ipc_call(server, &m, NULL);
    for (int again = 0; e == -E_DEAD && again < 500; again++) {   // cut by its restart
        sys_sleep(10);
        m = sent;
        e = ipc_call(server, &m, NULL);
    }
    return e < 0 ? -EIO : (long)m.w0;
}

// The revents of a socket; a dead net server reads as an error.
static short sock_revents(struct ofile *f, short events, short want, int arm)
{
    uint64_t ev = (events & POLLIN ? NET_POLL_IN : 0) | (events & POLLOUT ? NET_POLL_OUT : 0);
    long r = sock_poll(f, ev, arm ? wake_copy : -1);
    if (r < 0)
        return POLLERR & want;
    return (short)((r & NET_POLL_IN ? POLLIN | POLLRDNORM : 0) | (r & NET_POLL_OUT ? POLLOUT | POLLWRNORM : 0) |
                   (r & NET_POLL_HUP ? POLLHUP : 0) | (r & NET_POLL_ERR ? POLLERR : 0)) & want;
}

// The revents of one descriptor (POLL* bits).
static short fd_revents(const struct pollfd *p, int arm)
{
    struct ofile *f = fd_get(p->fd);
    short want = (short)(p->events | POLLERR | POLLHUP);
    long r;
    if (!f)
        return POLLNVAL;
    switch (f->type) {
    case FD_CONSOLE:
        r = ask(H_CONSOLE, CON_POLL, 0, (p->events & POLLIN ? CON_POLL_IN : 0) | CON_POLL_OUT, arm);
        return r < 0 ? POLLERR : (short)((r & CON_POLL_IN ? POLLIN | POLLRDNORM : 0) |
                                         (r & CON_POLL_OUT ? POLLOUT | POLLWRNORM : 0)) & want;
    case FD_PIPE_R:
    case FD_PIPE_W:
        r = ask(H_PIPE, PIPE_POLL, f->id, f->type == FD_PIPE_R ? PIPE_POLL_IN : PIPE_POLL_OUT, arm);
        if (r < 0)
            return POLLERR;
        return (short)((r & PIPE_POLL_IN ? POLLIN | POLLRDNORM : 0) | (r & PIPE_POLL_OUT ? POLLOUT | POLLWRNORM : 0) |
                       (r & PIPE_POLL_HUP ? POLLHUP : 0) | (r & PIPE_POLL_ERR ? POLLERR : 0)) & want;
    case FD_SOCKET:
        return sock_revents(f, p->events, want, arm);
    default:
        return (short)(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM) & want;
    }
}

// Fills every revents; returns how many descriptors have any.
static int scan(struct pollfd *fds, nfds_t nfds, int arm)
{
    int n = 0;
    for (nfds_t i = 0; i < nfds; i++) {
        fds[i].revents = fds[i].fd < 0 ? 0 : fd_revents(&fds[i], arm);
        n += fds[i].revents != 0;
    }
    return n;
}

// Blocks until the notification arrives or ms milliseconds pass.
static void wait_wakeup(long ms)
{
    struct msg m;
    if (ms <= 0)
        return;
    ipc_recv_timeout(wake_ep, &m, NULL, (unsigned)(ms > WAIT_SLICE_MS ? WAIT_SLICE_MS : ms));
}

static long now_ms(void)
{
    return sys_time() / 1000000;
}

// poll(2): timeout_ms < 0 waits for ever, 0 only looks. Blocks in the
// kernel (see the top of this file), never spins.
int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
    long end = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    int n = scan(fds, nfds, 0);
    if (n || timeout_ms == 0)
        return n;
    if (wake_init() < 0)
        return (int)rpc_result(-ENOMEM);
    for (;;) {
        n = scan(fds, nfds, 1);
        long left = end < 0 ? WAIT_SLICE_MS : end - now_ms();
        if (n || left <= 0)
            return n;
        wait_wakeup(left);
    }
}

// select(2) as a poll over the descriptors in the three sets. An
// exceptional condition is never reported (there are none).
int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
    struct pollfd p[FD_SETSIZE];
    int n = 0;
    if (nfds < 0 || nfds > FD_SETSIZE || (tv && (tv->tv_sec < 0 || tv->tv_usec < 0)))
        return (int)rpc_result(-EINVAL);
    for (int fd = 0; fd < nfds; fd++) {
        short ev = (short)((rd && FD_ISSET(fd, rd) ? POLLIN : 0) | (wr && FD_ISSET(fd, wr) ? POLLOUT : 0));
        if (ev || (ex && FD_ISSET(fd, ex)))
            p[n++] = (struct pollfd){ fd, ev, 0 };
    }
    long ms = tv ? tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000 : -1;
    int r = poll(p, (nfds_t)n, ms > 0x7fffffff ? 0x7fffffff : (int)ms);
    if (r < 0)
        return r;
    for (int i = 0; i < n; i++)
        if (p[i].revents & POLLNVAL)
            return (int)rpc_result(-EBADF);
    int count = 0;
    for (int i = 0; i < n; i++) {
        int fd = p[i].fd;
        int in = rd && FD_ISSET(fd, rd) && (p[i].revents & (POLLIN | POLLHUP | POLLERR));
        int out = wr && FD_ISSET(fd, wr) && (p[i].revents & (POLLOUT | POLLERR));
        if (rd && !in)
            FD_CLR(fd, rd);
        if (wr && !out)
            FD_CLR(fd, wr);
        if (ex)
            FD_CLR(fd, ex);
        count += in + out;
    }
    return count;
}
