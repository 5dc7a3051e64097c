// wget: fetches one file over HTTP into a file. The request is HTTP/1.0
// (so the reply is never chunked); the body goes to FILE ("-": standard
// output), by default the last part of the path (index.html for "/").
// A reply other than 200, or one shorter than its Content-Length, is an
// error and the file is removed.
// usage: wget [-O FILE] http://IP[:PORT]/PATH      (numeric IPv4 only)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "prog.h"

#define USAGE    "[-O FILE] http://IP[:PORT]/PATH"
#define HEAD_MAX 8192
#define BUF_SIZE 16384

struct url {
    char host[64];
    int port;
    const char *path;
};

// Splits http://IP[:PORT]/PATH; 0 if malformed (reported).
static int parse_url(const char *s, struct url *u)
{
    if (strncmp(s, "http://", 7)) {
        prog_warn("%s: only http:// addresses are fetched", s);
        return 0;
    }
    s += 7;
    size_t hl = strcspn(s, ":/");
    u->path = strchr(s, '/') ? strchr(s, '/') : "/";
    u->port = 80;
    if (s[hl] == ':') {
        char *end;
        long p = strtol(s + hl + 1, &end, 10);
        if (end == s + hl + 1 || (*end && *end != '/') || p < 1 || p > 65535) {
            prog_warn("bad port in %s", s - 7);
            return 0;
        }
        u->port = (int)p;
    }
    if (!hl || hl >= sizeof(u->host)) {
        prog_warn("no host in %s", s - 7);
        return 0;
    }
    memcpy(u->host, s, hl);
    u->host[hl] = 0;
    return 1;
}

static int dial(const struct url *u)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)u->port) };
    if (inet_pton(AF_INET, u->host, &a.sin_addr) != 1) {
        prog_warn("%s: not a numeric IPv4 address (there is no DNS)", u->host);
        return -1;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        prog_warn_errno("cannot connect to %s port %d", u->host, u->port);
        if (s >= 0)
            close(s);
        return -1;
    }
    return s;
}

static int send_all(int s, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = send(s, buf, n, 0);
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static int write_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

// Reads the reply head into head (NUL-ended); returns its length
// including the blank line, with *got the bytes read so far, or -1.
static long read_head(int s, char *head, long *got)
{
    *got = 0;
    for (;;) {
        char *end = strstr(head, "\r\n\r\n");
        if (end)
            return end - head + 4;
        if (*got >= HEAD_MAX - 1) {
            prog_warn("the reply head is too long");
            return -1;
        }
        ssize_t n = recv(s, head + *got, (size_t)(HEAD_MAX - 1 - *got), 0);
        if (n <= 0) {
            if (n < 0)
                prog_warn_errno("cannot receive");
            else
                prog_warn("the server closed the connection before its reply head");
            return -1;
        }
        *got += n;
        head[*got] = 0;
    }
}

// The Content-Length of a head, or -1 if it has none.
static long long content_length(const char *head)
{
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n"))
        if (!strncasecmp(p + 2, "Content-Length:", 15))
            return strtoll(p + 17, NULL, 10);
    return -1;
}

// Fetches u into out; returns 0 or 1 (reported).
static int fetch(const struct url *u, int s, int out)
{
    static char head[HEAD_MAX], buf[BUF_SIZE];
    char req[1024];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: wget\r\n\r\n",
                     u->path, u->host);
    if (n >= (int)sizeof(req) || send_all(s, req, (size_t)n) < 0) {
        prog_warn_errno("cannot send the request");
        return 1;
    }
    long got, hl = read_head(s, head, &got);
    if (hl < 0)
        return 1;
    if (strncmp(head, "HTTP/1.", 7) || strlen(head) < 12) {
        prog_warn("not an HTTP reply");
        return 1;
    }
    if (strncmp(head + 9, "200", 3)) {
        prog_warn("the server answered: %.*s", (int)strcspn(head + 9, "\r\n"), head + 9);
        return 1;
    }
    long long want = content_length(head), have = got - hl;
    if (have && write_all(out, head + hl, (size_t)have) < 0)
        goto write_failed;
    for (;;) {
        ssize_t r = recv(s, buf, sizeof(buf), 0);
        if (r < 0) {
            prog_warn_errno("cannot receive");
            return 1;
        }
        if (r == 0)
            break;
        if (write_all(out, buf, (size_t)r) < 0)
            goto write_failed;
        have += r;
    }
    if (want >= 0 && have != want) {
        prog_warn("the connection ended after %lld of %lld bytes", have, want);
        return 1;
    }
    return 0;
write_failed:
    prog_warn_errno("cannot write the file");
    return 1;
}

// The default file name: the path's last part, or index.html.
static const char *file_for(const char *path)
{
    static char name[256];
    const char *slash = strrchr(path, '/');
    size_t len = strcspn(slash + 1, "?#");
    if (!len || len >= sizeof(name))
        return "index.html";
    memcpy(name, slash + 1, len);
    name[len] = 0;
    return name;
}

int main(int argc, char **argv)
{
    const char *file = NULL;
    struct url u;
    int i = 1;
    prog_init(argv[0]);
    if (i + 1 < argc && !strcmp(argv[i], "-O")) {
        file = argv[i + 1];
        i += 2;
    }
    if (i != argc - 1)
        prog_usage(USAGE, 2);
    if (!parse_url(argv[i], &u))
        return 2;
    if (!file)
        file = file_for(u.path);
    int s = dial(&u);
    if (s < 0)
        return 1;
    int to_stdout = !strcmp(file, "-");
    int out = to_stdout ? 1 : open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        prog_warn_errno("%s", file);
        close(s);
        return 1;
    }
    int r = fetch(&u, s, out);
    close(s);
    if (!to_stdout && close(out) < 0 && !r) {
        prog_warn_errno("%s", file);
        r = 1;
    }
    if (r && !to_stdout)
        unlink(file);
    return r;
}
