// Host tests of libc/posix/inet.c (address text, numeric getaddrinfo) and
// of the socket protocol's address word (libc/proto/net_proto.h). The
// functions are renamed so that they do not replace the host C library's.
#define inet_pton t_inet_pton
#define inet_ntop t_inet_ntop
#define inet_aton t_inet_aton
#define inet_addr t_inet_addr
#define inet_ntoa t_inet_ntoa
#define getaddrinfo t_getaddrinfo
#define freeaddrinfo t_freeaddrinfo
#define gai_strerror t_gai_strerror
#include "check.h"
#include "../../libc/posix/inet.c"
#include "net_proto.h"

TEST(pton_accepts_dotted_quads)
{
    uint8_t b[4];
    CHECK_EQ(inet_pton(AF_INET, "10.0.2.15", b), 1);
    CHECK(b[0] == 10 && b[1] == 0 && b[2] == 2 && b[3] == 15);
    CHECK_EQ(inet_pton(AF_INET, "255.255.255.255", b), 1);
    CHECK(b[0] == 255 && b[3] == 255);
    CHECK_EQ(inet_pton(AF_INET, "0.0.0.0", b), 1);
}

TEST(pton_rejects_bad_text)
{
    static const char *const bad[] = {
        "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4", "1..2.3",
        "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.4x", "0x1.2.3.4", "1.2.3.1000", "1.2.3.",
    };
    uint8_t b[4] = { 7, 7, 7, 7 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (inet_pton(AF_INET, bad[i], b) != 0)
            CHECK_STR(bad[i], "(rejected)");
    CHECK(b[0] == 7 && b[3] == 7);                  // untouched
    errno = 0;
    CHECK_EQ(inet_pton(10 /* AF_INET6 */, "::1", b), -1);
    CHECK_EQ(errno, EAFNOSUPPORT);
}

TEST(ntop_formats_and_checks_room)
{
    uint8_t b[4] = { 192, 168, 0, 1 };
    char s[INET_ADDRSTRLEN];
    CHECK_STR(inet_ntop(AF_INET, b, s, sizeof(s)), "192.168.0.1");
    char small[11];
    errno = 0;
    CHECK(inet_ntop(AF_INET, b, small, sizeof(small)) == NULL);
    CHECK_EQ(errno, ENOSPC);
    char exact[12];
    CHECK(inet_ntop(AF_INET, b, exact, sizeof(exact)) == exact);
}

TEST(aton_classic_forms)
{
    struct in_addr a;
    CHECK_EQ(inet_aton("127.0.0.1", &a), 1);
    CHECK_EQ(ntohl(a.s_addr), 0x7f000001);
    CHECK_EQ(inet_aton("127.1", &a), 1);           // a.b: b fills 24 bits
    CHECK_EQ(ntohl(a.s_addr), 0x7f000001);
    CHECK_EQ(inet_aton("0x7f.0.0.1", &a), 1);
    CHECK_EQ(ntohl(a.s_addr), 0x7f000001);
    CHECK_EQ(inet_aton("010.0.0.1", &a), 1);       // octal
    CHECK_EQ(ntohl(a.s_addr), 0x08000001);
    CHECK_EQ(inet_aton("3232235521", &a), 1);      // one 32-bit number
    CHECK_EQ(ntohl(a.s_addr), 0xc0a80001);
    CHECK_EQ(inet_aton("1.2.3.256", &a), 0);
    CHECK_EQ(inet_aton("1.2.65536", &a), 0);
    CHECK_EQ(inet_aton("08.1.1.1", &a), 0);
    CHECK_EQ(inet_aton("0x", &a), 0);
    CHECK_EQ(inet_aton("1.2.3.4.5", &a), 0);
    CHECK_EQ(inet_aton("4294967296", &a), 0);
    CHECK_EQ(inet_addr("bogus"), INADDR_NONE);
    a.s_addr = htonl(0x0a00020f);
    CHECK_STR(inet_ntoa(a), "10.0.2.15");
}

TEST(getaddrinfo_numeric_only)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    CHECK_EQ(getaddrinfo("10.0.2.2", "8080", &hints, &res), 0);
    int n = 0, stream = 0, dgram = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next, n++) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
        CHECK_EQ(ai->ai_family, AF_INET);
        CHECK_EQ(ntohs(sin->sin_port), 8080);
        CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0x0a000202);
        stream += ai->ai_socktype == SOCK_STREAM && ai->ai_protocol == IPPROTO_TCP;
        dgram += ai->ai_socktype == SOCK_DGRAM && ai->ai_protocol == IPPROTO_UDP;
    }
    CHECK(n == 2 && stream == 1 && dgram == 1);
    freeaddrinfo(res);

    hints.ai_flags = AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    CHECK_EQ(getaddrinfo(NULL, "80", &hints, &res), 0);
    CHECK(res && !res->ai_next);
    CHECK_EQ(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, htonl(INADDR_ANY));
    freeaddrinfo(res);
    hints.ai_flags = 0;
    CHECK_EQ(getaddrinfo(NULL, "80", &hints, &res), 0);
    CHECK_EQ(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    freeaddrinfo(res);

    CHECK_EQ(getaddrinfo("example.org", "80", &hints, &res), EAI_NONAME);
    CHECK_EQ(getaddrinfo("1.2.3.4", "http", &hints, &res), EAI_SERVICE);
    CHECK_EQ(getaddrinfo("1.2.3.4", "65536", &hints, &res), EAI_SERVICE);
    CHECK_EQ(getaddrinfo("1.2.3.4", "", &hints, &res), EAI_SERVICE);
    CHECK_EQ(getaddrinfo(NULL, NULL, &hints, &res), EAI_NONAME);
    hints.ai_family = 10;
    CHECK_EQ(getaddrinfo("1.2.3.4", "1", &hints, &res), EAI_FAMILY);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = 5;
    CHECK_EQ(getaddrinfo("1.2.3.4", "1", &hints, &res), EAI_SOCKTYPE);
    CHECK_STR(gai_strerror(EAI_NONAME), "Name or service not known");
}

TEST(protocol_address_word)
{
    // The word holds in_addr's bytes as they are and the port in host order.
    struct in_addr a;
    CHECK_EQ(inet_pton(AF_INET, "10.0.2.15", &a), 1);
    uint64_t w = net_addr(a.s_addr, 8080);
    CHECK_EQ(net_addr_ip(w), a.s_addr);
    CHECK_EQ(net_addr_port(w), 8080);
    CHECK_EQ(net_addr_ip(w), net_ip4(10, 0, 2, 15));
    CHECK(net_addr_valid(w));
    CHECK(!net_addr_valid(w | 1ull << 48));
    CHECK_EQ(w, 0x00001f900f02000aull);
    CHECK_EQ(sizeof(struct net_ifinfo), 112);
}
