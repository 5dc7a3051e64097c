// Host tests of the console's terminal modes in the line discipline
// (drivers/console/line.c): non-canonical input, echo off, signals off,
// CR/NL translation and VMIN readiness.
#include "check.h"
#include "../../drivers/console/line.c"

static struct line L;
static char echoed[256];

// Feeds s; returns the OR of the events, the echo in `echoed`.
static int feed(const char *s)
{
    struct line_echo e;
    int ev = 0;
    size_t k = 0;
    for (; *s; s++) {
        CHECK(line_accepting(&L));
        ev |= line_input(&L, (unsigned char)*s, &e);
        for (unsigned i = 0; i < e.len && k < sizeof echoed - 1; i++)
            echoed[k++] = e.buf[i];
    }
    echoed[k] = 0;
    return ev;
}

static const char *get(unsigned max)
{
    static char buf[LINE_MAX + 1];
    long n = line_read(&L, buf, max);
    if (n == LINE_NONE)
        return "<none>";
    buf[n] = 0;
    return buf;
}

#define RAW_IFLAG 0u
#define RAW_LFLAG 0u

TEST(default_mode_is_cooked)
{
    line_init(&L);
    CHECK_EQ(L.lflag, CON_ICANON | CON_ECHO | CON_ISIG);
    CHECK_EQ(L.iflag, CON_ICRNL);
    feed("ab");
    CHECK(!line_ready(&L, 0));
    feed("\r");
    CHECK(line_ready(&L, 0));
    CHECK_STR(get(100), "ab\n");
}

TEST(raw_bytes_come_at_once_without_echo)
{
    line_init(&L);
    line_set_mode(&L, RAW_IFLAG, RAW_LFLAG, 0);
    CHECK(!line_ready(&L, 1));
    CHECK_EQ(feed("x"), LINE_EV_LINE);
    CHECK_STR(echoed, "");
    CHECK(line_ready(&L, 1));
    CHECK(!line_ready(&L, 2));
    feed("\x7f\x03\r\x1b[A");            // erase, ^C, CR and an arrow are data
    CHECK(line_ready(&L, 7));
    CHECK_STR(get(100), "x\x7f\x03\r\x1b[A");
    CHECK_STR(get(100), "<none>");
}

TEST(raw_reads_take_part_of_the_input)
{
    line_init(&L);
    line_set_mode(&L, RAW_IFLAG, RAW_LFLAG, 0);
    feed("hello");
    CHECK_STR(get(2), "he");
    feed("!");                           // joins what is left
    CHECK_STR(get(100), "llo!");
}

TEST(noncanonical_with_echo_and_icrnl)
{
    line_init(&L);
    line_set_mode(&L, CON_ICRNL, CON_ECHO, 0);
    feed("a\rb");
    CHECK_STR(echoed, "a\nb");
    CHECK_STR(get(100), "a\nb");
    line_set_mode(&L, CON_INLCR, 0, 0);
    feed("\n");
    CHECK_STR(get(100), "\r");
    line_set_mode(&L, CON_IGNCR, 0, 0);
    feed("\rz");
    CHECK_STR(get(100), "z");
}

TEST(isig_in_raw_mode)
{
    line_init(&L);
    line_set_mode(&L, 0, CON_ISIG, 0);
    CHECK_EQ(feed("\x03"), LINE_EV_INTR);
    CHECK_STR(get(100), "<none>");
    line_set_mode(&L, 0, 0, 0);
    CHECK_EQ(feed("\x03"), LINE_EV_LINE);
    CHECK_STR(get(100), "\x03");
}

TEST(canonical_without_echo_or_isig)
{
    line_init(&L);
    line_set_mode(&L, CON_ICRNL, CON_ICANON, 0);
    CHECK_EQ(feed("pw\x7fx\x03\r"), LINE_EV_LINE);
    CHECK_STR(echoed, "");               // editing works, nothing shows
    CHECK_STR(get(100), "px\x03\n");
}

TEST(leaving_canonical_keeps_the_partial_line)
{
    line_init(&L);
    feed("done\rpart");
    line_set_mode(&L, 0, 0, 0);
    feed("X");
    CHECK_STR(get(100), "done\n");
    CHECK_STR(get(100), "part");
    CHECK_STR(get(100), "X");
}

TEST(back_to_canonical_closes_raw_input)
{
    line_init(&L);
    line_set_mode(&L, 0, 0, 0);
    feed("ab");
    line_set_mode(&L, CON_ICRNL, CON_ICANON | CON_ECHO | CON_ISIG, 0);
    CHECK(line_ready(&L, 0));            // what was typed raw is readable
    feed("cd\r");
    CHECK_STR(get(100), "ab");
    CHECK_STR(get(100), "cd\n");
}

TEST(flush_drops_pending_input)
{
    line_init(&L);
    feed("one\rtwo");
    line_set_mode(&L, 0, 0, 1);
    CHECK_STR(get(100), "<none>");
    feed("k");
    CHECK_STR(get(100), "k");
}

TEST(long_raw_input_spans_records)
{
    line_init(&L);
    line_set_mode(&L, 0, 0, 0);
    for (int i = 0; i < LINE_MAX + 10; i++)
        feed("z");
    CHECK(line_ready(&L, 255));
    CHECK_EQ(strlen(get(LINE_MAX)), LINE_MAX - 1);
    CHECK_EQ(strlen(get(LINE_MAX)), 11);
    CHECK_STR(get(10), "<none>");
    CHECK(!L.raw_open);
}
