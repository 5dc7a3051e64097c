// Checks poll and select over sockets, pipes and the console together,
// and EAGAIN on non-blocking sockets (built with tools/cc). Run with a
// pipe holding a line on standard input (`echo typed | poll_check`) and
// the console on standard output. Prints "ok NAME" / "not ok NAME: why",
// then POLL-CHECK OK when all passed.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
    if (ok)
        printf("ok %s\n", name);
    else
        printf("not ok %s: %s (errno %d %s)\n", name, why, errno, strerror(errno));
    fflush(stdout);
    failures += !ok;
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct sockaddr_in loop_addr(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int listener(int port, int flags)
{
    struct sockaddr_in a = loop_addr(port);
    int l = socket(AF_INET, SOCK_STREAM | flags, 0), one = 1;
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
        return -1;
    return l;
}

// Non-blocking connect, accept and recv: EINPROGRESS, then POLLOUT once
// connected; EAGAIN while nothing is there; POLLIN once data is.
static void nonblocking(void)
{
    int l = listener(7201, SOCK_NONBLOCK);
    check("nb_listener", l >= 0, "cannot listen");
    int r = accept(l, NULL, NULL);
    check("nb_accept_eagain", r < 0 && errno == EAGAIN, "accept with nobody waiting");
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = loop_addr(7201);
    r = connect(c, (struct sockaddr *)&a, sizeof(a));
    check("nb_connect_einprogress", r == 0 || errno == EINPROGRESS, "connect");
    struct pollfd p[2] = { { c, POLLOUT, 0 }, { l, POLLIN, 0 } };
    r = poll(p, 2, 5000);
    check("nb_poll_connected_writable", r >= 1 && (p[0].revents & POLLOUT), "poll");
    int err = -1;
    socklen_t len = sizeof(err);
    check("nb_so_error_zero", getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0,
          "SO_ERROR");
    p[0] = (struct pollfd){ l, POLLIN, 0 };
    check("nb_poll_listener_readable", poll(p, 1, 5000) == 1 && (p[0].revents & POLLIN), "poll");
    int s = accept(l, NULL, NULL);
    check("nb_accept", s >= 0, "accept");
    char buf[16];
    fcntl(s, F_SETFL, O_NONBLOCK);
    check("nb_recv_eagain", recv(s, buf, sizeof(buf), 0) < 0 && errno == EAGAIN, "recv");
    check("nb_read_eagain", read(s, buf, sizeof(buf)) < 0 && errno == EAGAIN, "read");
    p[0] = (struct pollfd){ s, POLLIN, 0 };
    long t0 = now_ms();
    r = poll(p, 1, 300);
    long dt = now_ms() - t0;
    check("poll_timeout_idle_socket", r == 0 && dt >= 250 && dt < 3000, "poll timeout");
    send(c, "x", 1, 0);
    check("poll_readable_after_send", poll(p, 1, 5000) == 1 && p[0].revents == POLLIN, "poll");
    check("nb_recv_data", recv(s, buf, sizeof(buf), 0) == 1 && buf[0] == 'x', "recv");
    close(c);
    check("poll_eof_readable", poll(p, 1, 5000) == 1 && (p[0].revents & POLLIN) &&
          recv(s, buf, sizeof(buf), 0) == 0, "end of stream");
    close(s);
    close(l);
}

// A wait that really blocks: a shell sends to the listener a second
// later; poll over the listener, the stdin pipe (already drained) and the
// console's output; then select over the accepted socket.
static void blocking_wait(void)
{
    char buf[64];
    ssize_t n = read(0, buf, sizeof(buf));
    check("stdin_pipe_read", n > 0, "stdin");
    int l = listener(7202, 0);
    check("bl_listener", l >= 0, "cannot listen");
    FILE *f = popen("sleep 1; echo late | nc 127.0.0.1 7202", "r");
    check("bl_popen", f != NULL, "popen");
    struct pollfd p[3] = { { l, POLLIN, 0 }, { 0, POLLIN, 0 }, { 1, POLLOUT, 0 } };
    int r = poll(p, 3, 10000);
    check("poll_console_writable", r >= 1 && (p[2].revents & POLLOUT), "console");
    check("poll_pipe_eof_hup", (p[1].revents & (POLLHUP | POLLIN)) != 0, "stdin pipe");
    p[1].fd = p[2].fd = -1;                    // now only the socket can wake us
    long t0 = now_ms();
    r = poll(p, 3, 10000);
    long dt = now_ms() - t0;
    check("poll_blocks_until_connection", r == 1 && (p[0].revents & POLLIN) && dt >= 300,
          "accept readiness");
    int s = accept(l, NULL, NULL);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    struct timeval tv = { 10, 0 };
    r = select(s + 1, &rd, NULL, NULL, &tv);
    check("select_socket_readable", r == 1 && FD_ISSET(s, &rd), "select");
    n = recv(s, buf, sizeof(buf) - 1, 0);
    check("select_then_recv", n == 5 && !memcmp(buf, "late\n", 5), "recv");
    close(s);
    close(l);
    if (f)
        pclose(f);
}

int main(void)
{
    nonblocking();
    blocking_wait();
    if (!failures)
        printf("POLL-CHECK OK\n");
    return failures != 0;
}
