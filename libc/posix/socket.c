// BSD sockets over the net server (net_proto.h): a socket is a file
// descriptor (FD_SOCKET) whose id is the server's socket number; read,
// write and close on it work too (fd.c calls sock_read, sock_write and
// sock_release). The server's endpoint comes from the supervisor
// (SVC_CONNECT "net") on first use. A call cut by the server's death is
// not sent again (the new server knows none of the old sockets): it fails
// with ECONNRESET, as does a later call on a socket the new server does
// not know (it answers -EBADF).
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <osapi.h>
#include "libc.h"
#include "net_proto.h"
#include "svc_proto.h"

static long net_h = -1;

// The net server's endpoint handle, or a negative errno.
static long net_handle(void)
{
    if (net_h >= 0)
        return net_h;
    static const char name[] = "net";
    struct msg m = { TAG(SVC_CONNECT, 0), 0, 0, 0, 0, 0 };
    struct ipc_bufs b = { name, sizeof(name), NULL, 0 };
    long e = ipc_call(H_SVC, &m, &b);
    if (e < 0 || !(m.tag & TAG_HANDLE))
        return e < 0 || (long)m.w0 >= 0 ? -ENETDOWN : (long)m.w0;
    net_h = (long)m.w2;
    return net_h;
}

// One request to the net server; r0 or a negative errno.
static long net_call(struct rpc *r)
{
    long h = net_handle();
    if (h < 0)
        return h;
    struct msg m = { TAG(r->op, 0), r->w0, r->w1, r->w2, 0, 0 };
    struct ipc_bufs b = { r->data, r->len, r->rbuf, r->rmax };
    long e = ipc_call(h, &m, &b);
    if (e == -E_DEAD)
        return -ECONNRESET;
    if (e < 0)
        return e == -E_TOOBIG ? -EMSGSIZE : -EIO;
    if ((long)m.w0 == -EBADF)         // we send only ids we hold: a restarted
        return -ECONNRESET;           // server lost this one with its predecessor
    r->r1 = m.w1;
    r->r2 = m.w2;
    r->rlen = TAG_LEN(m.tag);
    return (long)m.w0;
}

// The socket behind a descriptor, or NULL with errno set.
static struct ofile *sock_of(int fd)
{
    struct ofile *f = fd_get(fd);
    if (!f || f->type != FD_SOCKET) {
        errno = f ? ENOTSOCK : EBADF;
        return NULL;
    }
    return f;
}

static unsigned io_flags(const struct ofile *f, int flags)
{
    unsigned n = 0;
    if ((f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT))
        n |= NET_NONBLOCK;
    if (flags & MSG_PEEK)
        n |= NET_PEEK;
    return n;
}

// sockaddr_in <-> the protocol's address word.
static int addr_in(const struct sockaddr *sa, socklen_t len, uint64_t *out)
{
    const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
    if (!sa || len < sizeof(*sin))
        return -EINVAL;
    if (sin->sin_family != AF_INET)
        return -EAFNOSUPPORT;
    *out = net_addr(sin->sin_addr.s_addr, ntohs(sin->sin_port));
    return 0;
}

static void addr_out(uint64_t a, struct sockaddr *sa, socklen_t *len)
{
    if (!sa || !len)
        return;
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(net_addr_port(a)),
                               .sin_addr = { net_addr_ip(a) } };
    memcpy(sa, &sin, *len < sizeof(sin) ? *len : sizeof(sin));
    *len = sizeof(sin);
}

int socket(int domain, int type, int protocol)
{
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain != AF_INET)
        return (int)rpc_result(-EAFNOSUPPORT);
    if ((kind != SOCK_STREAM && kind != SOCK_DGRAM) ||
        (protocol && protocol != (kind == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP)))
        return (int)rpc_result(-EPROTONOSUPPORT);
    struct rpc r = { .op = NET_SOCKET, .w0 = kind == SOCK_STREAM ? NET_TCP : NET_UDP };
    long id = net_call(&r);
    if (id < 0)
        return (int)rpc_result(id);
    struct fd_desc d = { FD_SOCKET, O_RDWR | (type & SOCK_NONBLOCK ? O_NONBLOCK : 0),
                         (uint64_t)id, 0 };
    int fd = fd_install(&d);
    if (fd < 0) {
        struct rpc c = { .op = NET_CLOSE, .w0 = (uint64_t)id };
        net_call(&c);
        return (int)rpc_result(fd);
    }
    if (type & SOCK_CLOEXEC)
        *fd_flags_of(fd) = FD_CLOEXEC;
    return fd;
}

// The calls with a socket and an address.
static int addr_op(int fd, unsigned op, const struct sockaddr *sa, socklen_t len, uint64_t w2)
{
    struct ofile *f = sock_of(fd);
    uint64_t a;
    if (!f)
        return -1;
    long e = addr_in(sa, len, &a);
    if (e < 0)
        return (int)rpc_result(e);
    struct rpc r = { .op = op, .w0 = f->id, .w1 = a, .w2 = w2 };
    return (int)rpc_result(net_call(&r));
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    return addr_op(fd, NET_BIND, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct ofile *f = sock_of(fd);
    return f ? addr_op(fd, NET_CONNECT, addr, len, io_flags(f, 0)) : -1;
}

int listen(int fd, int backlog)
{
    struct ofile *f = sock_of(fd);
    if (!f)
        return -1;
    struct rpc r = { .op = NET_LISTEN, .w0 = f->id, .w1 = backlog < 1 ? 1 : (uint64_t)backlog };
    return (int)rpc_result(net_call(&r));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    struct ofile *f = sock_of(fd);
    if (!f)
        return -1;
    struct rpc r = { .op = NET_ACCEPT, .w0 = f->id, .w1 = io_flags(f, 0) };
    long id = net_call(&r);
    if (id < 0)
        return (int)rpc_result(id);
    struct fd_desc d = { FD_SOCKET, O_RDWR, (uint64_t)id, 0 };
    int nfd = fd_install(&d);
    if (nfd < 0) {
        struct rpc c = { .op = NET_CLOSE, .w0 = (uint64_t)id };
        net_call(&c);
        return (int)rpc_result(nfd);
    }
    addr_out(r.r1, addr, len);
    return nfd;
}

// One request's worth of sending: bytes taken or a negative errno.
static long send_some(struct ofile *f, const void *buf, size_t n, unsigned op, uint64_t to,
                      int flags)
{
    struct rpc r = { .op = op, .w0 = f->id, .data = buf, .len = n > NET_IO_MAX ? NET_IO_MAX : n };
    if (op == NET_SENDTO) {
        r.w1 = to;
        r.w2 = io_flags(f, flags);
    } else {
        r.w1 = io_flags(f, flags);
    }
    return net_call(&r);
}

static ssize_t send_all(struct ofile *f, const void *buf, size_t n, unsigned op, uint64_t to,
                        int flags)
{
    size_t done = 0;
    do {
        long put = send_some(f, (const char *)buf + done, n - done, op, to, flags);
        if (put < 0)
            return done ? (ssize_t)done : rpc_result(put);
        done += (size_t)put;
    } while (done < n && !(io_flags(f, flags) & NET_NONBLOCK));
    return (ssize_t)done;
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    struct ofile *f = sock_of(fd);
    return f ? send_all(f, buf, n, NET_SEND, 0, flags) : -1;
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    struct ofile *f = sock_of(fd);
    uint64_t a = 0;
    if (!f)
        return -1;
    if (!to)
        return send_all(f, buf, n, NET_SEND, 0, flags);
    long e = addr_in(to, tolen, &a);
    if (e < 0)
        return rpc_result(e);
    return send_all(f, buf, n, NET_SENDTO, a, flags);
}

static long recv_some(struct ofile *f, void *buf, size_t n, int flags, uint64_t *from)
{
    if (n > NET_IO_MAX)
        n = NET_IO_MAX;
    struct rpc r = { .op = NET_RECV, .w0 = f->id, .w1 = n, .w2 = io_flags(f, flags),
                     .rbuf = buf, .rmax = n };
    long got = net_call(&r);
    if (from)
        *from = r.r1;
    return got;
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    struct ofile *f = sock_of(fd);
    uint64_t a = 0;
    if (!f)
        return -1;
    long got = recv_some(f, buf, n, flags, &a);
    if (got >= 0)
        addr_out(a, from, fromlen);
    return rpc_result(got);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    return recvfrom(fd, buf, n, flags, NULL, NULL);
}

int shutdown(int fd, int how)
{
    struct ofile *f = sock_of(fd);
    if (!f)
        return -1;
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return (int)rpc_result(-EINVAL);
    struct rpc r = { .op = NET_SHUTDOWN, .w0 = f->id, .w1 = (uint64_t)how };
    return (int)rpc_result(net_call(&r));
}

// The protocol's option for a level and name, or 0.
static unsigned opt_of(int level, int name)
{
    if (level == IPPROTO_TCP)
        return name == TCP_NODELAY ? NET_OPT_NODELAY : 0;
    if (level != SOL_SOCKET)
        return 0;
    switch (name) {
    case SO_REUSEADDR: return NET_OPT_REUSEADDR;
    case SO_KEEPALIVE: return NET_OPT_KEEPALIVE;
    case SO_RCVTIMEO: return NET_OPT_RCVTIMEO;
    case SO_SNDTIMEO: return NET_OPT_SNDTIMEO;
    case SO_ERROR: return NET_OPT_ERROR;
    case SO_TYPE: return NET_OPT_TYPE;
    case SO_ACCEPTCONN: return NET_OPT_ACCEPTCONN;
    case SO_RCVBUF: return NET_OPT_RCVBUF;
    case SO_SNDBUF: return NET_OPT_SNDBUF;
    default: return 0;
    }
}

static int is_timeo(unsigned opt) { return opt == NET_OPT_RCVTIMEO || opt == NET_OPT_SNDTIMEO; }

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    struct ofile *f = sock_of(fd);
    unsigned opt = opt_of(level, name);
    uint64_t v;
    if (!f)
        return -1;
    if (!opt)
        return (int)rpc_result(-ENOPROTOOPT);
    if (!val)
        return (int)rpc_result(-EFAULT);
    if (is_timeo(opt)) {
        struct timeval tv;
        if (len < sizeof(tv))
            return (int)rpc_result(-EINVAL);
        memcpy(&tv, val, sizeof(tv));
        if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
            return (int)rpc_result(-EDOM);
        v = (uint64_t)tv.tv_sec * 1000 + (uint64_t)(tv.tv_usec + 999) / 1000;
    } else {
        int i;
        if (len < sizeof(i))
            return (int)rpc_result(-EINVAL);
        memcpy(&i, val, sizeof(i));
        v = i != 0;
    }
    if (opt == NET_OPT_RCVBUF || opt == NET_OPT_SNDBUF || opt == NET_OPT_ERROR ||
        opt == NET_OPT_TYPE || opt == NET_OPT_ACCEPTCONN)
        return 0;                        // fixed sizes, read-only values: accepted, unchanged
    struct rpc r = { .op = NET_SETSOCKOPT, .w0 = f->id, .w1 = opt, .w2 = v };
    return (int)rpc_result(net_call(&r));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    struct ofile *f = sock_of(fd);
    unsigned opt = opt_of(level, name);
    if (!f)
        return -1;
    if (!opt)
        return (int)rpc_result(-ENOPROTOOPT);
    if (!val || !len)
        return (int)rpc_result(-EFAULT);
    struct rpc r = { .op = NET_GETSOCKOPT, .w0 = f->id, .w1 = opt };
    long e = net_call(&r);
    if (e < 0)
        return (int)rpc_result(e);
    if (is_timeo(opt)) {
        struct timeval tv = { (time_t)(r.r1 / 1000), (suseconds_t)(r.r1 % 1000 * 1000) };
        if (*len < sizeof(tv))
            return (int)rpc_result(-EINVAL);
        memcpy(val, &tv, sizeof(tv));
        *len = sizeof(tv);
        return 0;
    }
    int i = opt == NET_OPT_TYPE ? (r.r1 == NET_TCP ? SOCK_STREAM : SOCK_DGRAM) : (int)r.r1;
    if (*len < sizeof(i))
        return (int)rpc_result(-EINVAL);
    memcpy(val, &i, sizeof(i));
    *len = sizeof(i);
    return 0;
}

static int name_op(int fd, unsigned op, struct sockaddr *addr, socklen_t *len)
{
    struct ofile *f = sock_of(fd);
    if (!f)
        return -1;
    if (!addr || !len)
        return (int)rpc_result(-EFAULT);
    struct rpc r = { .op = op, .w0 = f->id };
    long e = net_call(&r);
    if (e < 0)
        return (int)rpc_result(e);
    addr_out(r.r1, addr, len);
    return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    return name_op(fd, NET_GETSOCKNAME, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    return name_op(fd, NET_GETPEERNAME, addr, len);
}

int os_net_ifinfo(int index, struct net_ifinfo *out)
{
    struct rpc r = { .op = NET_IFINFO, .w0 = (uint64_t)index, .rbuf = out, .rmax = sizeof(*out) };
    long e = net_call(&r);
    if (e >= 0 && r.rlen != sizeof(*out))
        e = -EIO;
    return (int)rpc_result(e < 0 ? e : 0);
}

int os_net_ping(unsigned addr, unsigned seq, unsigned bytes, unsigned timeout_ms,
                struct os_ping_reply *out)
{
    struct rpc r = { .op = NET_PING, .w0 = addr,
                     .w1 = (seq & 0xffffu) | (uint64_t)(bytes & 0xffffu) << 16, .w2 = timeout_ms };
    if (bytes > NET_PING_MAX)
        return (int)rpc_result(-EINVAL);
    long e = net_call(&r);
    if (e >= 0)
        *out = (struct os_ping_reply){ (unsigned)e, (unsigned long)r.r1, (unsigned)r.r2 };
    return (int)rpc_result(e < 0 ? e : 0);
}

// ---- for fd.c --------------------------------------------------------------

long sock_read(struct ofile *f, void *buf, size_t n)
{
    return recv_some(f, buf, n, 0, NULL);
}

long sock_write(struct ofile *f, const void *buf, size_t n)
{
    return send_some(f, buf, n, NET_SEND, 0, 0);
}

void sock_release(struct ofile *f)
{
    struct rpc r = { .op = NET_CLOSE, .w0 = f->id };
    net_call(&r);
}

long sock_poll(struct ofile *f, uint64_t events, long copy)
{
    long h = net_handle();
    if (h < 0)
        return h;
    struct msg m = { TAG(NET_POLL, 0), f->id, events, 0, 0, 0 };
    if (copy >= 0) {
        m.tag |= TAG_HANDLE;
        m.w2 = (uint64_t)copy;
    }
    long e = ipc_call(h, &m, NULL);
    if (e < 0)
        return e == -E_DEAD ? -ECONNRESET : -EIO;
    return (long)m.w0;
}
