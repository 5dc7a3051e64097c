// Host tests for kernel/core/fmt.c.
#include "core/fmt.c"
#include <limits.h>
#include "check.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static char out[256];
static int ret;

// Formats into `out` through fmt_vsnprintf; no format attribute, so that
// unusual formats (e.g. "%010p") can be tested without compiler warnings.
static const char *F(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    memset(out, '#', sizeof out);
    ret = fmt_vsnprintf(out, sizeof out, fmt, ap);
    va_end(ap);
    CHECK_EQ(ret, (long long)strlen(out));      // untruncated: returns what it wrote
    return out;
}

TEST(signed_decimal)
{
    CHECK_STR(F("%d", 0), "0");
    CHECK_STR(F("%d", 7), "7");
    CHECK_STR(F("%d", -1), "-1");
    CHECK_STR(F("%d", -123456), "-123456");
    CHECK_STR(F("%d", INT_MAX), "2147483647");
    CHECK_STR(F("%d", INT_MIN), "-2147483648");
    CHECK_STR(F("%i", -42), "-42");
    CHECK_STR(F("%ld", (long)INT_MIN - 1), "-2147483649");
    CHECK_STR(F("%ld", LONG_MAX), "9223372036854775807");
    CHECK_STR(F("%ld", LONG_MIN), "-9223372036854775808");
    CHECK_STR(F("%li", -1L), "-1");
}

TEST(unsigned_decimal)
{
    CHECK_STR(F("%u", 0u), "0");
    CHECK_STR(F("%u", 4000000000u), "4000000000");
    CHECK_STR(F("%u", UINT_MAX), "4294967295");
    CHECK_STR(F("%u", -1), "4294967295");         // an int's bits, not sign-extended
    CHECK_STR(F("%lu", ULONG_MAX), "18446744073709551615");
    CHECK_STR(F("%lu", 1ul << 32), "4294967296");
    CHECK_STR(F("%zu", (size_t)123), "123");
}

TEST(hex)
{
    CHECK_STR(F("%x", 0u), "0");
    CHECK_STR(F("%x", 0xdeadbeefu), "deadbeef");
    CHECK_STR(F("%x", -1), "ffffffff");
    CHECK_STR(F("%x", 0xau), "a");
    CHECK_STR(F("%lx", 0x123456789abcdef0ul), "123456789abcdef0");
    CHECK_STR(F("%lx", ~0ul), "ffffffffffffffff");
    CHECK_STR(F("%lx", 0xffffffff80000000ul), "ffffffff80000000");
    CHECK_STR(F("%lx", 1ul << 63), "8000000000000000");
    CHECK_STR(F("%lx", 0x100000000ul), "100000000");
    CHECK_STR(F("%zx", (size_t)0xfff), "fff");
    CHECK_STR(F("%llx", 0xfedcba9876543210ull), "fedcba9876543210");
}

TEST(pointer)
{
    CHECK_STR(F("%p", (void *)0x1234), "0x1234");
    CHECK_STR(F("%p", (void *)0), "0x0");
    CHECK_STR(F("%p", (void *)0xffff800000000000ul), "0xffff800000000000");
    CHECK_STR(F("%p", (void *)~0ul), "0xffffffffffffffff");
}

TEST(string_and_char)
{
    CHECK_STR(F("%s", "abc"), "abc");
    CHECK_STR(F("%s", ""), "");
    CHECK_STR(F("%s", (char *)NULL), "(null)");
    CHECK_STR(F("[%8s]", (char *)NULL), "[  (null)]");
    CHECK_STR(F("%s-%s", "a", "b"), "a-b");
    CHECK_STR(F("%c", 'A'), "A");
    CHECK_STR(F("%c%c%c", 'x', 'y', 'z'), "xyz");
    CHECK_STR(F("%c", 'A' + 256), "A");            // converted to char
    CHECK_STR(F("<%c>", ' '), "< >");
}

TEST(width_and_zero_padding)
{
    CHECK_STR(F("[%5d]", 42), "[   42]");
    CHECK_STR(F("[%05d]", 42), "[00042]");
    CHECK_STR(F("[%5d]", -42), "[  -42]");
    CHECK_STR(F("[%2d]", 12345), "[12345]");        // width is a minimum
    CHECK_STR(F("[%1d]", 0), "[0]");
    CHECK_STR(F("[%08x]", 0xbeefu), "[0000beef]");
    CHECK_STR(F("[%8x]", 0xbeefu), "[    beef]");
    CHECK_STR(F("[%016lx]", 0xffffffff8010a000ul), "[ffffffff8010a000]");
    CHECK_STR(F("[%016lx]", 0x1000ul), "[0000000000001000]");
    CHECK_STR(F("[%10u]", 4000000000u), "[4000000000]");
    CHECK_STR(F("[%012lu]", 123ul), "[000000000123]");
    CHECK_STR(F("[%6s]", "ab"), "[    ab]");
    CHECK_STR(F("[%06s]", "ab"), "[    ab]");         // strings pad with spaces
    CHECK_STR(F("[%1s]", "abc"), "[abc]");
    CHECK_STR(F("[%40d]", 1), "[                                       1]");
    CHECK_STR(F("[%03d]", 7), "[007]");
}

// C semantics: the sign comes before the zero padding, "-0042".
TEST(zero_padding_negative)
{
    CHECK_STR(F("[%05d]", -42), "[-0042]");
    CHECK_STR(F("[%04ld]", -1L), "[-001]");
}

// Width applies to the whole field "0x...", as in C: padding must not be
// inserted between the "0x" prefix and the digits.
TEST(pointer_width)
{
    CHECK_STR(F("[%10p]", (void *)0x1234), "[    0x1234]");
    CHECK_STR(F("[%018p]", (void *)0x1234), "[0x0000000000001234]");
}

// The header promises width for all conversions; %c is a field too.
TEST(char_width)
{
    CHECK_STR(F("[%3c]", 'x'), "[  x]");
}

TEST(percent_and_odd_formats)
{
    CHECK_STR(F("%%"), "%");
    CHECK_STR(F("100%%"), "100%");
    CHECK_STR(F("%%d", 5), "%d");
    CHECK_STR(F("a%%b%%c"), "a%b%c");
    CHECK_STR(F("%q"), "%q");                        // unknown conversion echoed
    CHECK_STR(F("abc%"), "abc");                     // lone trailing '%'
    CHECK_STR(F("abc%05"), "abc");
    CHECK_STR(F("abc%l"), "abc");
    CHECK_STR(F(""), "");
    CHECK_STR(F("no conversions"), "no conversions");
}

TEST(mixed_arguments)
{
    CHECK_STR(F("%s=%d (0x%08x) at %p, %lu%c", "pid", -3, 0xabcu, (void *)0x1000, 99ul, '!'),
              "pid=-3 (0x00000abc) at 0x1000, 99!");
    // Alternating 32/64-bit arguments keep va_list in step.
    CHECK_STR(F("%d %ld %d %lx %u", 1, 2L, 3, 0x4ul, 5u), "1 2 3 4 5");
    CHECK_STR(F("%lx %x %lx", ~0ul, 0x12345678u, 1ul), "ffffffffffffffff 12345678 1");
}

TEST(truncation)
{
    char b[8];
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 5, "hello world"), 11);
    CHECK_STR(b, "hell");
    CHECK_EQ(b[5], '#');                             // nothing past size
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 4, "%d", 123456), 6);
    CHECK_STR(b, "123");
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 8, "%lx", 0x123456789abcdef0ul), 16);
    CHECK_STR(b, "1234567");
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 6, "%s", "abcde"), 5);  // fits exactly
    CHECK_STR(b, "abcde");
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 5, "%s", "abcde"), 5);  // one short
    CHECK_STR(b, "abcd");
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 1, "%d", 42), 2);      // only the NUL fits
    CHECK_EQ(b[0], 0);
    CHECK_EQ(b[1], '#');
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 0, "%s", "xyz"), 3);   // size 0: nothing written
    CHECK_EQ(b[0], '#');
    CHECK_EQ(fmt_snprintf(NULL, 0, "%05d%s", 1, "abc"), 8);
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 3, "%8s", "x"), 8);     // truncated inside padding
    CHECK_STR(b, "  ");
    memset(b, '#', sizeof b);
    CHECK_EQ(fmt_snprintf(b, 4, "%p", (void *)0xabcdef), 8);
    CHECK_STR(b, "0xa");
}

// Cross-check against the host C library where the semantics are standard.
TEST(matches_libc)
{
    static const char *const ifmts[] = { "%d", "%i", "%u", "%x", "%8d", "%08x", "%3u", "%1x" };
    static const int ivals[] = { 0, 1, -1, 9, 10, 15, 16, 255, -255, 65535, INT_MAX, INT_MIN, 123456789 };
    static const char *const lfmts[] = { "%ld", "%lu", "%lx", "%20lu", "%016lx", "%zx" };
    static const long lvals[] = { 0, 1, -1, LONG_MAX, LONG_MIN, 0x7fffffffffffL, -4096, 1L << 40 };
    char want[64];
    for (size_t i = 0; i < NELEM(ifmts); i++)
        for (size_t j = 0; j < NELEM(ivals); j++) {
            snprintf(want, sizeof want, ifmts[i], ivals[j]);
            CHECK_STR(F(ifmts[i], ivals[j]), want);
        }
    for (size_t i = 0; i < NELEM(lfmts); i++)
        for (size_t j = 0; j < NELEM(lvals); j++) {
            snprintf(want, sizeof want, lfmts[i], lvals[j]);
            CHECK_STR(F(lfmts[i], lvals[j]), want);
        }
}
