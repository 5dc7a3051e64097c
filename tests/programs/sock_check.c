// Checks the BSD sockets of this system's libc over the net server, as a
// third-party program would use them (built with tools/cc).
//
//   sock_check local        TCP and UDP over the loopback interface, errors
//                           and options; prints "ok NAME" / "not ok NAME: why"
//   sock_check serve PORT   accepts one TCP connection on PORT, reads to the
//                           end, answers "got N bytes sum S" (S: the sum of
//                           the bytes mod 2^32) and closes
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
    if (ok)
        printf("ok %s\n", name);
    else
        printf("not ok %s: %s (errno %d %s)\n", name, why, errno, strerror(errno));
    failures += !ok;
}

static struct sockaddr_in addr(const char *ip, int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static uint8_t pattern(size_t i) { return (uint8_t)(i * 31 + (i >> 10)); }

// A listener on 127.0.0.1:port, a client connected to it, the accepted end.
static int tcp_pair(int port, int *client, int *server)
{
    struct sockaddr_in a = addr("127.0.0.1", port);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
        return -1;
    *client = socket(AF_INET, SOCK_STREAM, 0);
    if (*client < 0 || connect(*client, (struct sockaddr *)&a, sizeof(a)))
        return -1;
    struct sockaddr_in peer;
    socklen_t plen = sizeof(peer);
    *server = accept(l, (struct sockaddr *)&peer, &plen);
    if (*server < 0 || plen != sizeof(peer) || peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
        return -1;
    return l;
}

// 1 MiB from client to server in steps (one process plays both ends).
static void tcp_stream(int client, int server)
{
    static uint8_t out[16384], in[16384];
    size_t total = 1 << 20, sent = 0, got = 0;
    int bad = 0;
    while (got < total) {
        if (sent < total) {
            for (size_t i = 0; i < sizeof(out); i++)
                out[i] = pattern(sent + i);
            ssize_t n = send(client, out, sizeof(out), 0);
            if (n <= 0)
                break;
            sent += (size_t)n;
        }
        while (got < sent) {
            ssize_t n = recv(server, in, sizeof(in), 0);
            if (n <= 0)
                goto out;
            for (ssize_t i = 0; i < n; i++)
                bad += in[i] != pattern(got + (size_t)i);
            got += (size_t)n;
        }
    }
out:
    check("tcp_loopback_1mib", got == total && !bad, "short or corrupt stream");
}

static void tcp_checks(void)
{
    int c, s, l = tcp_pair(7001, &c, &s);
    check("tcp_connect_accept", l >= 0, "listener, connect or accept failed");
    if (l < 0)
        return;
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    check("getsockname", !getsockname(s, (struct sockaddr *)&a, &len) && ntohs(a.sin_port) == 7001,
          "wrong local port");
    len = sizeof(a);
    check("getpeername", !getpeername(c, (struct sockaddr *)&a, &len) && ntohs(a.sin_port) == 7001 &&
          a.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "wrong peer");
    struct stat st;
    check("fstat_is_socket", !fstat(c, &st) && S_ISSOCK(st.st_mode), "not S_IFSOCK");
    tcp_stream(c, s);

    // write/read work on sockets too; shutdown gives the peer end of stream.
    char buf[16];
    check("write_read", write(c, "hello", 5) == 5 && read(s, buf, sizeof(buf)) == 5 &&
          !memcmp(buf, "hello", 5), "write/read on a socket");
    check("shutdown_eof", !shutdown(c, SHUT_WR) && recv(s, buf, sizeof(buf), 0) == 0,
          "no end of stream after shutdown");

    // Nothing to read: non-blocking gives EAGAIN, SO_RCVTIMEO times out.
    check("recv_dontwait", recv(c, buf, 1, MSG_DONTWAIT) == -1 && errno == EAGAIN,
          "expected EAGAIN");
    struct timeval tv = { 0, 200000 };
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    struct timeval t0, t1;
    gettimeofday(&t0, NULL);
    ssize_t r = recv(c, buf, 1, 0);
    gettimeofday(&t1, NULL);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
    check("recv_timeout", r == -1 && errno == EAGAIN && ms >= 150, "expected EAGAIN after 200 ms");
    int fl = fcntl(l, F_GETFL);
    fcntl(l, F_SETFL, fl | O_NONBLOCK);
    check("accept_nonblocking", accept(l, NULL, NULL) == -1 && errno == EAGAIN, "expected EAGAIN");
    int one = 1, v = 0;
    socklen_t vl = sizeof(v);
    check("tcp_nodelay", !setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) &&
          !getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &vl) && v == 1, "option not kept");
    vl = sizeof(v);
    check("so_type", !getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &vl) && v == SOCK_STREAM, "type");
    close(c);
    close(s);
    close(l);

    // A port nobody listens on: refused.
    struct sockaddr_in none = addr("127.0.0.1", 7999);
    int x = socket(AF_INET, SOCK_STREAM, 0);
    check("connect_refused", connect(x, (struct sockaddr *)&none, sizeof(none)) == -1 &&
          errno == ECONNREFUSED, "expected ECONNREFUSED");
    close(x);
    check("bad_descriptor", send(999, "x", 1, 0) == -1 && errno == EBADF, "expected EBADF");
    check("not_a_socket", send(1, "x", 1, 0) == -1 && errno == ENOTSOCK, "expected ENOTSOCK");
}

static void udp_checks(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in aa = addr("127.0.0.1", 7101), ba = addr("127.0.0.1", 7102), from;
    check("udp_bind", a >= 0 && b >= 0 && !bind(a, (struct sockaddr *)&aa, sizeof(aa)) &&
          !bind(b, (struct sockaddr *)&ba, sizeof(ba)), "bind");
    char buf[64];
    socklen_t fl = sizeof(from);
    ssize_t n = sendto(a, "datagram", 8, 0, (struct sockaddr *)&ba, sizeof(ba));
    ssize_t m = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
    check("udp_sendto_recvfrom", n == 8 && m == 8 && !memcmp(buf, "datagram", 8) &&
          ntohs(from.sin_port) == 7101 && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "datagram lost or wrong sender");
    check("udp_connected_send", !connect(b, (struct sockaddr *)&aa, sizeof(aa)) &&
          send(b, "back", 4, 0) == 4 && recv(a, buf, sizeof(buf), 0) == 4, "connected send");
    close(a);
    close(b);
}

static void name_checks(void)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    int e = getaddrinfo("10.0.2.2", "80", &hints, &res);
    check("getaddrinfo_numeric", !e && res && res->ai_family == AF_INET &&
          ((struct sockaddr_in *)res->ai_addr)->sin_port == htons(80), gai_strerror(e));
    if (!e)
        freeaddrinfo(res);
    check("getaddrinfo_no_resolver", getaddrinfo("example.org", "80", &hints, &res) == EAI_NONAME,
          "a name resolved without a resolver");
}

// perror's line in one write, so that other processes' output on the
// console (the shell's prompt, init's messages) cannot land inside it.
static void say_error(const char *what)
{
    char line[160];
    int n = snprintf(line, sizeof(line), "sock_check: %s: %s\n", what, strerror(errno));
    if (n > 0)
        write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static int serve(int port)
{
    struct sockaddr_in a = addr("0.0.0.0", port);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1)) {
        say_error("listen");
        return 1;
    }
    printf("listening on %d\n", port);
    fflush(stdout);
    int c = accept(l, NULL, NULL);
    if (c < 0) {
        say_error("accept");
        return 1;
    }
    static uint8_t buf[65536];
    unsigned long total = 0;
    uint32_t sum = 0;
    ssize_t n;
    while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            sum += buf[i];
        total += (unsigned long)n;
    }
    if (n < 0)
        say_error("recv");
    char reply[64];
    int len = snprintf(reply, sizeof(reply), "got %lu bytes sum %lu\n", total, (unsigned long)sum);
    send(c, reply, (size_t)len, 0);
    close(c);
    close(l);
    printf("served %lu bytes\n", total);
    return n < 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "serve"))
        return serve(atoi(argv[2]));
    if (argc != 2 || strcmp(argv[1], "local")) {
        fprintf(stderr, "usage: sock_check local | sock_check serve PORT\n");
        return 2;
    }
    tcp_checks();
    udp_checks();
    name_checks();
    printf("%s\n", failures ? "SOCK-CHECK FAILED" : "SOCK-CHECK OK");
    return failures != 0;
}
