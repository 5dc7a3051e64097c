// nc: one TCP connection between standard input/output and the network.
// Connects to HOST PORT, or with -l waits for one connection on PORT.
// What standard input gives goes to the peer, what the peer sends goes
// to standard output (poll on both). At end of standard input the
// sending half is shut (the peer sees end of stream); nc ends when the
// peer closes its side.
// usage: nc HOST PORT | nc -l PORT      (HOST: a numeric IPv4 address)
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "prog.h"

#define USAGE "HOST PORT | nc -l PORT"
#define BUF_SIZE 16384

static int port_arg(const char *s)
{
    char *end;
    long p = strtol(s, &end, 10);
    if (!*s || *end || p < 1 || p > 65535) {
        prog_warn("bad port: %s", s);
        prog_usage(USAGE, 2);
    }
    return (int)p;
}

// Connected to host:port, or -1 (reported).
static int dial(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        prog_warn("bad address (numeric IPv4 only): %s", host);
        return -1;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        prog_warn_errno("cannot connect to %s port %d", host, port);
        return -1;
    }
    return s;
}

// The one connection accepted on port, or -1 (reported).
static int wait_one(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        prog_warn_errno("cannot make a socket");
        return -1;
    }
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0) {
        prog_warn_errno("cannot listen on port %d", port);
        return -1;
    }
    int c = accept(s, NULL, NULL);
    if (c < 0)
        prog_warn_errno("cannot accept on port %d", port);
    close(s);
    return c;
}

static int write_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

// Moves data both ways until the peer closes. Returns the exit status.
static int relay(int s)
{
    static char buf[BUF_SIZE];
    struct pollfd p[2] = { { 0, POLLIN, 0 }, { s, POLLIN, 0 } };
    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            prog_warn_errno("poll");
            return 1;
        }
        if (p[1].revents) {
            ssize_t n = read(s, buf, sizeof(buf));
            if (n < 0) {
                prog_warn_errno("cannot receive");
                return 1;
            }
            if (n == 0)
                return 0;                  // the peer closed its side
            if (write_all(1, buf, (size_t)n) < 0) {
                prog_warn_errno("cannot write standard output");
                return 1;
            }
        }
        if (p[0].revents) {
            ssize_t n = read(0, buf, sizeof(buf));
            if (n < 0 && errno != EINTR) {
                prog_warn_errno("cannot read standard input");
                return 1;
            }
            if (n == 0) {
                shutdown(s, SHUT_WR);      // the peer sees end of stream
                p[0].fd = -1;
            } else if (n > 0 && send(s, buf, (size_t)n, 0) != n) {
                prog_warn_errno("cannot send");
                return 1;
            }
        }
    }
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    int s;
    if (argc == 3 && !strcmp(argv[1], "-l"))
        s = wait_one(port_arg(argv[2]));
    else if (argc == 3 && argv[1][0] != '-')
        s = dial(argv[1], port_arg(argv[2]));
    else
        prog_usage(USAGE, 2);
    if (s < 0)
        return 1;
    int r = relay(s);
    close(s);
    return r;
}
