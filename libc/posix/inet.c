// IPv4 addresses as text (inet_pton, inet_ntop, inet_aton, inet_addr,
// inet_ntoa) and numeric getaddrinfo: host names must be dotted quads
// (or empty: any/loopback), services decimal port numbers. Pure code,
// host-tested (tests/host/test_inet.c).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

// Strict dotted quad for inet_pton: four decimal parts 0-255, no leading
// zeros (so "010" is not read as octal by mistake), nothing after.
static int parse_quad(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        if (*s < '0' || *s > '9')
            return 0;
        unsigned v = 0;
        const char *start = s;
        while (*s >= '0' && *s <= '9' && s - start < 4)
            v = v * 10 + (unsigned)(*s++ - '0');
        if (v > 255 || s - start > 3 || (start[0] == '0' && s - start > 1))
            return 0;
        out[i] = (uint8_t)v;
        if (i < 3 && *s++ != '.')
            return 0;
    }
    return *s == 0;
}

int inet_pton(int af, const char *src, void *dst)
{
    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    uint8_t b[4];
    if (!src || !parse_quad(src, b))
        return 0;
    memcpy(dst, b, 4);
    return 1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    const uint8_t *b = src;
    char tmp[INET_ADDRSTRLEN];
    int n = snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    if (n < 0 || (socklen_t)n >= size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(dst, tmp, (size_t)n + 1);
    return dst;
}

// One part of inet_aton's form: decimal, 0x hex or 0 octal, up to max.
static const char *aton_part(const char *s, uint32_t max, uint32_t *out)
{
    unsigned base = 10;
    uint64_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s || *s == '.')
            return NULL;
    } else if (s[0] == '0') {
        base = 8;
    }
    const char *start = s;
    for (;; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            break;
        if (d >= base)
            return NULL;
        v = v * base + d;
        if (v > max)
            return NULL;
    }
    if (s == start)
        return NULL;
    *out = (uint32_t)v;
    return s;
}

// The classic forms a, a.b, a.b.c and a.b.c.d, each part in C notation.
int inet_aton(const char *cp, struct in_addr *inp)
{
    uint32_t part[4];
    int n = 0;
    const char *s = cp;
    if (!s)
        return 0;
    for (;;) {
        s = aton_part(s, 0xffffffffu, &part[n]);
        if (!s)
            return 0;
        n++;
        if (*s == 0)
            break;
        if (*s != '.' || n == 4)
            return 0;
        s++;
    }
    uint32_t v = part[n - 1];
    static const uint32_t last_max[4] = { 0xffffffffu, 0xffffff, 0xffff, 0xff };
    if (v > last_max[n - 1])
        return 0;
    for (int i = 0; i < n - 1; i++) {
        if (part[i] > 255)
            return 0;
        v |= part[i] << (24 - 8 * i);
    }
    if (inp)
        inp->s_addr = htonl(v);
    return 1;
}

in_addr_t inet_addr(const char *cp)
{
    struct in_addr a;
    return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
    static char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in, buf, sizeof(buf));
    return buf;
}

// ---- getaddrinfo, numeric only -------------------------------------------

static int parse_port(const char *s, uint16_t *port)
{
    if (!s) {
        *port = 0;
        return 0;
    }
    if (!*s)
        return EAI_SERVICE;
    unsigned long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return EAI_SERVICE;          // no service names: there is no /etc/services
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 65535)
            return EAI_SERVICE;
    }
    *port = (uint16_t)v;
    return 0;
}

// One result: the address and, for socktype 0, one per socket type.
static struct addrinfo *ai_new(uint32_t addr, uint16_t port, int socktype, int flags,
                               struct addrinfo *next)
{
    struct addrinfo *ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_in));
    if (!ai)
        return NULL;
    struct sockaddr_in *sin = (struct sockaddr_in *)(ai + 1);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr.s_addr = addr;
    ai->ai_flags = flags;
    ai->ai_family = AF_INET;
    ai->ai_socktype = socktype;
    ai->ai_protocol = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    ai->ai_addrlen = sizeof(*sin);
    ai->ai_addr = (struct sockaddr *)sin;
    ai->ai_next = next;
    return ai;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    int flags = hints ? hints->ai_flags : 0, family = hints ? hints->ai_family : AF_UNSPEC;
    int socktype = hints ? hints->ai_socktype : 0;
    if (!node && !service)
        return EAI_NONAME;
    if (family != AF_UNSPEC && family != AF_INET)
        return EAI_FAMILY;
    if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM)
        return EAI_SOCKTYPE;
    uint16_t port;
    int e = parse_port(service, &port);
    if (e)
        return e;
    struct in_addr a;
    if (!node)
        a.s_addr = flags & AI_PASSIVE ? htonl(INADDR_ANY) : htonl(INADDR_LOOPBACK);
    else if (!strcmp(node, "localhost"))
        a.s_addr = htonl(INADDR_LOOPBACK);
    else if (!inet_aton(node, &a))
        return EAI_NONAME;               // no resolver: numeric hosts only
    struct addrinfo *list = NULL;
    if (socktype == 0 || socktype == SOCK_DGRAM)
        list = ai_new(a.s_addr, port, SOCK_DGRAM, flags, NULL);
    if (socktype == 0 || socktype == SOCK_STREAM) {
        struct addrinfo *s = ai_new(a.s_addr, port, SOCK_STREAM, flags, list);
        if (!s)
            freeaddrinfo(list);
        list = s;
    }
    if (!list)
        return EAI_MEMORY;
    *res = list;
    return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
    while (res) {
        struct addrinfo *next = res->ai_next;
        free(res);
        res = next;
    }
}

const char *gai_strerror(int err)
{
    switch (err) {
    case 0: return "Success";
    case EAI_BADFLAGS: return "Bad value for ai_flags";
    case EAI_NONAME: return "Name or service not known";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_FAIL: return "Non-recoverable failure in name resolution";
    case EAI_FAMILY: return "ai_family not supported";
    case EAI_SOCKTYPE: return "ai_socktype not supported";
    case EAI_SERVICE: return "Servname not supported for ai_socktype";
    case EAI_MEMORY: return "Memory allocation failure";
    case EAI_SYSTEM: return "System error";
    default: return "Unknown error";
    }
}
