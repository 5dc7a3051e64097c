// httpd: serves the files of a folder over HTTP/1.1 (GET and HEAD) with
// keep-alive. One poll loop over non-blocking sockets serves several
// clients at once; a file is read a piece at a time as its client takes
// the bytes (opened for each piece, so idle clients hold no file); a
// connection quiet for IDLE_SEC seconds is closed. Paths
// with a ".." part are refused: nothing outside the folder is served.
// usage: httpd [-p PORT] [DIR]       (port 80 and / by default)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include "prog.h"

#define USAGE       "[-p PORT] [DIR]"
#define MAX_CLIENTS 56            // sockets and a file must fit in OPEN_MAX (64)
#define IN_MAX      4096          // longest request head
#define OUT_MAX     16384
#define PATH_MAX_   512
#define IDLE_SEC    30            // a connection quiet this long is closed

struct client {
    int fd;                       // -1: free slot
    char in[IN_MAX];
    size_t in_len;
    char out[OUT_MAX];            // bytes to send: [out_off, out_len)
    size_t out_len, out_off;
    char path[PATH_MAX_];         // the file being sent
    long long file_off, file_left;
    int keep;                     // keep the connection after this reply
    int sending;
    time_t last;                  // when it last moved data (monotonic seconds)
};

static struct client clients[MAX_CLIENTS];
static const char *root = "/";

static time_t now_sec(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec;
}

static void client_close(struct client *c)
{
    close(c->fd);
    c->fd = -1;
}

static const char *status_text(int code)
{
    switch (code) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Internal Server Error";
    }
}

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
        return "text/html";
    if (!strcasecmp(dot, ".txt") || !strcasecmp(dot, ".c") || !strcasecmp(dot, ".h"))
        return "text/plain";
    return "application/octet-stream";
}

// Queues the head of a reply, and the body when head_only is 0.
static void reply(struct client *c, int code, const char *type, long long len, const char *body,
                  int head_only)
{
    int n = snprintf(c->out, OUT_MAX,
                     "HTTP/1.1 %d %s\r\nServer: httpd\r\nContent-Type: %s\r\n"
                     "Content-Length: %lld\r\nConnection: %s\r\n%s\r\n",
                     code, status_text(code), type, len, c->keep ? "keep-alive" : "close",
                     code == 405 ? "Allow: GET, HEAD\r\n" : "");
    if (body && !head_only)
        n += snprintf(c->out + n, OUT_MAX - (size_t)n, "%s", body);
    c->out_len = (size_t)n;
    c->out_off = 0;
    c->sending = 1;
}

static void error_reply(struct client *c, int code, const char *why, int head_only)
{
    char body[256];
    snprintf(body, sizeof(body), "%d %s: %s\n", code, status_text(code), why);
    reply(c, code, "text/plain", (long long)strlen(body), body, head_only);
}

// Decodes %XX escapes and cuts the query; 0 if malformed.
static int url_decode(const char *in, size_t n, char *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && in[i] != '?' && in[i] != '#'; i++) {
        char ch = in[i];
        if (ch == '%') {
            if (i + 2 >= n || !isxdigit((unsigned char)in[i + 1]) ||
                !isxdigit((unsigned char)in[i + 2]))
                return 0;
            char hex[3] = { in[i + 1], in[i + 2], 0 };
            long v = strtol(hex, NULL, 16);
            if (v == 0)
                return 0;
            ch = (char)v;
            i += 2;
        }
        if (k + 1 >= max)
            return 0;
        out[k++] = ch;
    }
    out[k] = 0;
    return 1;
}

// True if a part of path between slashes is "..".
static int escapes(const char *path)
{
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += len + (p[len] == '/');
    }
    return 0;
}

// Appends s to the listing at *n, HTML-escaped when esc; 0 when it no
// longer fits.
static int put(char *out, size_t *n, size_t max, const char *s, int esc)
{
    for (; *s; s++) {
        const char *e = !esc ? NULL : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                      : *s == '&' ? "&amp;" : *s == '"' ? "&quot;" : NULL;
        size_t len = e ? strlen(e) : 1;
        if (*n + len >= max)
            return 0;
        memcpy(out + *n, e ? e : s, len);
        *n += len;
    }
    return 1;
}

// A folder without index.html: an HTML list of its entries (as many as
// fit in one reply buffer).
static void list_folder(struct client *c, const char *dir, const char *rel, int head_only)
{
    static char body[OUT_MAX - 512];
    size_t n = 0, max = sizeof(body) - 64;
    const char *slash = rel[strlen(rel) - 1] == '/' ? "" : "/";
    DIR *d = opendir(dir);
    if (!d) {
        error_reply(c, 404, "cannot read the folder", head_only);
        return;
    }
    n += (size_t)snprintf(body, max, "<html><body><h1>");
    put(body, &n, max, rel, 1);
    n += (size_t)snprintf(body + n, max - n, "</h1><ul>\n");
    for (struct dirent *e; (e = readdir(d)) && n < max - 32;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t mark = n;
        int ok = put(body, &n, max, "<li><a href=\"", 0) && put(body, &n, max, rel, 1) &&
                 put(body, &n, max, slash, 0) && put(body, &n, max, e->d_name, 1) &&
                 put(body, &n, max, "\">", 0) && put(body, &n, max, e->d_name, 1) &&
                 put(body, &n, max, "</a></li>\n", 0);
        if (!ok) {
            n = mark;
            break;
        }
    }
    closedir(d);
    n += (size_t)snprintf(body + n, sizeof(body) - n, "</ul></body></html>\n");
    reply(c, 200, "text/html", (long long)n, body, head_only);
    c->file_left = 0;
}

// Starts the reply to GET or HEAD of url.
static void serve_file(struct client *c, const char *url, size_t url_len, int head_only)
{
    char rel[PATH_MAX_ - 64];
    struct stat st;
    if (url_len == 0 || url[0] != '/' || !url_decode(url, url_len, rel, sizeof(rel))) {
        error_reply(c, 400, "malformed path", head_only);
        return;
    }
    if (escapes(rel)) {
        error_reply(c, 400, "the path leaves the served folder", head_only);
        return;
    }
    snprintf(c->path, sizeof(c->path), "%s%s", root, rel + (root[strlen(root) - 1] == '/'));
    if (stat(c->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char dir[PATH_MAX_];
        snprintf(dir, sizeof(dir), "%s", c->path);
        size_t l = strlen(c->path);
        snprintf(c->path + l, sizeof(c->path) - l, "%sindex.html", c->path[l - 1] == '/' ? "" : "/");
        if (stat(c->path, &st) < 0) {
            list_folder(c, dir, rel, head_only);
            return;
        }
    }
    if (stat(c->path, &st) < 0 || !S_ISREG(st.st_mode)) {
        error_reply(c, 404, "no such file", head_only);
        return;
    }
    reply(c, 200, content_type(c->path), (long long)st.st_size, NULL, head_only);
    c->file_off = 0;
    c->file_left = head_only ? 0 : (long long)st.st_size;
}

// True if the head has the header name with a value containing word.
static int header_has(const char *head, const char *name, const char *word)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (strncasecmp(line, name, nl) || line[nl] != ':')
            continue;
        const char *end = strstr(line, "\r\n");
        for (const char *q = line + nl + 1; q + strlen(word) <= end; q++)
            if (!strncasecmp(q, word, strlen(word)))
                return 1;
    }
    return 0;
}

// Answers the request whose head is the first head_len bytes of c->in.
static void handle_request(struct client *c, size_t head_len)
{
    char *head = c->in;
    head[head_len - 2] = 0;                       // ends after the last header's \r\n
    char *sp1 = strchr(head, ' ');
    char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    char *eol = strstr(head, "\r\n");
    c->keep = 0;
    if (!sp1 || !sp2 || !eol || sp2 > eol || strncmp(sp2 + 1, "HTTP/1.", 7) ||
        (sp2[8] != '0' && sp2[8] != '1') || sp2 + 9 != eol) {
        error_reply(c, 400, "the request line is not METHOD PATH HTTP/1.x", 0);
        return;
    }
    int v11 = sp2[8] == '1';
    c->keep = v11 ? !header_has(head, "Connection", "close") : header_has(head, "Connection", "keep-alive");
    size_t mlen = (size_t)(sp1 - head);
    int get = mlen == 3 && !strncmp(head, "GET", 3), hd = mlen == 4 && !strncmp(head, "HEAD", 4);
    if (!get && !hd) {
        error_reply(c, 405, "only GET and HEAD are served", 0);
        return;
    }
    serve_file(c, sp1 + 1, (size_t)(sp2 - sp1 - 1), hd);
}

// Reads what has come; answers a whole request head once there is one.
static void on_readable(struct client *c)
{
    ssize_t n = recv(c->fd, c->in + c->in_len, IN_MAX - 1 - c->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        client_close(c);
        return;
    }
    c->in_len += (size_t)n;
    c->in[c->in_len] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end && c->in_len >= IN_MAX - 1) {
        c->keep = 0;
        error_reply(c, 400, "request head too long", 0);
        c->in_len = 0;
        return;
    }
    if (!end)
        return;
    size_t head_len = (size_t)(end - c->in) + 4;
    handle_request(c, head_len);
    memmove(c->in, c->in + head_len, c->in_len - head_len);   // a pipelined next request
    c->in_len -= head_len;
    c->in[c->in_len] = 0;
}

// Refills the output from the file; 0 on error (the connection ends).
static int refill(struct client *c)
{
    int fd = open(c->path, O_RDONLY);
    if (fd < 0 || lseek(fd, c->file_off, SEEK_SET) < 0) {
        prog_warn_errno("%s", c->path);
        if (fd >= 0)
            close(fd);
        return 0;
    }
    size_t want = c->file_left < OUT_MAX ? (size_t)c->file_left : OUT_MAX;
    ssize_t n = read(fd, c->out, want);
    close(fd);
    if (n <= 0) {
        prog_warn("%s: shorter than announced", c->path);
        return 0;
    }
    c->out_len = (size_t)n, c->out_off = 0;
    c->file_off += n, c->file_left -= n;
    return 1;
}

// Sends what it can; at the end of a reply, waits for the next request
// or closes.
static void on_writable(struct client *c)
{
    for (;;) {
        if (c->out_off == c->out_len) {
            if (c->file_left > 0 && refill(c))
                continue;
            if (c->file_left > 0 || !c->keep) {
                client_close(c);
                return;
            }
            c->sending = 0;
            if (strstr(c->in, "\r\n\r\n"))         // a pipelined request waits
                on_readable(c);
            return;
        }
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            client_close(c);
            return;
        }
        c->out_off += (size_t)n;
    }
}

static void take_new(int ls)
{
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd < 0) {
            int fd = accept(ls, NULL, NULL);
            if (fd < 0)
                return;
            fcntl(fd, F_SETFL, O_NONBLOCK);
            memset(&clients[i], 0, sizeof(clients[i]));
            clients[i].fd = fd;
            clients[i].last = now_sec();
            return;
        }
}

static int listen_on(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1, s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (s < 0) {
        prog_warn_errno("cannot make a socket");
        return -1;
    }
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 64) < 0) {
        prog_warn_errno("cannot listen on port %d", port);
        close(s);
        return -1;
    }
    return s;
}

static _Noreturn void serve(int ls)
{
    static struct pollfd p[MAX_CLIENTS + 1];
    for (;;) {
        int n = 0, free_slot = 0;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            struct client *c = &clients[i];
            free_slot |= c->fd < 0;
            p[i] = (struct pollfd){ c->fd, (short)(c->fd < 0 ? 0 : c->sending ? POLLOUT : POLLIN), 0 };
        }
        p[MAX_CLIENTS] = (struct pollfd){ free_slot ? ls : -1, POLLIN, 0 };
        n = poll(p, MAX_CLIENTS + 1, 1000);
        if (n < 0 && errno != EINTR) {
            prog_warn_errno("poll");
            exit(1);
        }
        time_t now = now_sec();
        for (int i = 0; i < MAX_CLIENTS; i++) {
            struct client *c = &clients[i];
            if (c->fd >= 0 && !p[i].revents && now - c->last > IDLE_SEC)
                client_close(c);           // idle (or a peer that stopped reading)
            if (c->fd < 0 || !p[i].revents)
                continue;
            c->last = now;
            if (c->sending)
                on_writable(c);
            else
                on_readable(c);
            if (c->fd >= 0 && c->sending)
                on_writable(c);            // send at once what can go
        }
        if (n > 0 && p[MAX_CLIENTS].revents)
            take_new(ls);
    }
}

int main(int argc, char **argv)
{
    int port = 80, i = 1;
    prog_init(argv[0]);
    if (i + 1 < argc && !strcmp(argv[i], "-p")) {
        char *end;
        long v = strtol(argv[i + 1], &end, 10);
        if (!*argv[i + 1] || *end || v < 1 || v > 65535) {
            prog_warn("bad port: %s", argv[i + 1]);
            prog_usage(USAGE, 2);
        }
        port = (int)v;
        i += 2;
    }
    if (i < argc && argv[i][0] == '-')
        prog_usage(USAGE, 2);
    if (i < argc)
        root = argv[i++];
    if (i < argc)
        prog_usage(USAGE, 2);
    struct stat st;
    if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
        prog_warn("%s: not a folder", root);
        return 1;
    }
    for (int k = 0; k < MAX_CLIENTS; k++)
        clients[k].fd = -1;
    int ls = listen_on(port);
    if (ls < 0)
        return 1;
    printf("httpd: serving %s on port %d\n", root, port);
    fflush(stdout);
    serve(ls);
}
