// Host tests of the console's line discipline (drivers/console/line.c).
#include "check.h"
#include "../../drivers/console/line.c"

static struct line L;
static char echoed[4 * LINE_ECHO_MAX];
static unsigned echoed_len;

// Feeds n bytes; collects their echo in `echoed` and returns the OR of the
// events. Stops (returning -1) if the discipline refuses input.
static int feed_n(const char *s, size_t n)
{
    struct line_echo e;
    int ev = 0;
    echoed_len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!line_accepting(&L))
            return -1;
        ev |= line_input(&L, (unsigned char)s[i], &e);
        for (unsigned k = 0; k < e.len && echoed_len < sizeof echoed - 1; k++)
            echoed[echoed_len++] = e.buf[k];
    }
    echoed[echoed_len] = 0;
    return ev;
}

static int feed(const char *s)
{
    return feed_n(s, strlen(s));
}

// Reads one record of up to max bytes as a string; "<none>" when nothing
// is queued, "<eof>" for an end-of-input mark.
static const char *get(unsigned max)
{
    static char buf[LINE_MAX + 1];
    long n = line_read(&L, buf, max);
    if (n == LINE_NONE)
        return "<none>";
    if (n == 0)
        return "<eof>";
    buf[n] = 0;
    return buf;
}

static void reset(void)
{
    line_init(&L);
}

TEST(typing_echoes_without_completing)
{
    reset();
    CHECK_EQ(feed("abc"), 0);
    CHECK_STR(echoed, "abc");
    CHECK_STR(get(100), "<none>");
}

TEST(cr_completes_line)
{
    reset();
    CHECK_EQ(feed("ab\r"), LINE_EV_LINE);
    CHECK_STR(echoed, "ab\r\n");
    CHECK_STR(get(100), "ab\n");
    CHECK_STR(get(100), "<none>");
}

TEST(lf_completes_line)
{
    reset();
    CHECK_EQ(feed("ls -l\n"), LINE_EV_LINE);
    CHECK_STR(echoed, "ls -l\r\n");
    CHECK_STR(get(100), "ls -l\n");
}

TEST(crlf_is_one_line_end)
{
    reset();
    feed("a\r\nb\r\n");
    CHECK_STR(echoed, "a\r\nb\r\n");
    CHECK_STR(get(100), "a\n");
    CHECK_STR(get(100), "b\n");
    CHECK_STR(get(100), "<none>");
    CHECK_EQ(feed("\n"), LINE_EV_LINE);  // a later lone '\n' still counts
    CHECK_STR(get(100), "\n");
}

TEST(empty_lines_count)
{
    reset();
    feed("\r\r\n\n");                    // CR, CRLF, LF: three empty lines
    CHECK_STR(get(100), "\n");
    CHECK_STR(get(100), "\n");
    CHECK_STR(get(100), "\n");
    CHECK_STR(get(100), "<none>");
}

TEST(cr_then_text_then_lf)
{
    reset();
    feed("\ra\n");
    CHECK_STR(get(100), "\n");
    CHECK_STR(get(100), "a\n");
}

TEST(backspace_and_del_erase)
{
    reset();
    CHECK_EQ(feed("abc\b\x7f"), 0);
    CHECK_STR(echoed, "abc\b \b\b \b");
    feed("\n");
    CHECK_STR(get(100), "a\n");
}

TEST(backspace_on_empty_line_does_nothing)
{
    reset();
    feed("\b\x7f\b");
    CHECK_EQ(echoed_len, 0);
    feed("x\b\by\n");
    CHECK_STR(echoed, "x\b \by\r\n");
    CHECK_STR(get(100), "y\n");
}

TEST(backspace_erases_utf8_character)
{
    reset();
    feed("a\xc3\xa9\b");                 // a, e-acute, backspace
    CHECK_STR(echoed, "a\xc3\xa9\b \b");
    feed("\n");
    CHECK_STR(get(100), "a\n");
}

TEST(ctrl_u_erases_line)
{
    reset();
    feed("hello\x15");
    CHECK_STR(echoed, "hello\b \b\b \b\b \b\b \b\b \b");
    feed("\x15");
    CHECK_EQ(echoed_len, 0);             // nothing left to erase
    feed("ok\n");
    CHECK_STR(get(100), "ok\n");
    CHECK_STR(get(100), "<none>");
}

TEST(ctrl_c_discards_line_and_interrupts)
{
    reset();
    CHECK_EQ(feed("abc\x03"), LINE_EV_INTR);
    CHECK_STR(echoed, "abc^C\r\n");
    CHECK_STR(get(100), "<none>");
    feed("d\n");
    CHECK_STR(get(100), "d\n");
}

TEST(ctrl_c_keeps_completed_lines)
{
    reset();
    feed("x\ny");
    CHECK_EQ(feed("\x03"), LINE_EV_INTR);
    CHECK_STR(get(100), "x\n");
    CHECK_STR(get(100), "<none>");
}

TEST(ctrl_c_on_empty_line)
{
    reset();
    CHECK_EQ(feed("\x03"), LINE_EV_INTR);
    CHECK_STR(echoed, "^C\r\n");
    CHECK_STR(get(100), "<none>");
}

TEST(ctrl_d_on_empty_line_is_end_of_input)
{
    reset();
    CHECK_EQ(feed("\x04"), LINE_EV_LINE);
    CHECK_EQ(echoed_len, 0);
    CHECK_STR(get(100), "<eof>");
    CHECK_STR(get(100), "<none>");       // one ^D, one end of input
}

TEST(ctrl_d_on_non_empty_line_sends_it_without_newline)
{
    reset();
    CHECK_EQ(feed("ab\x04"), LINE_EV_LINE);
    CHECK_STR(echoed, "ab");             // ^D itself is not echoed
    CHECK_STR(get(100), "ab");
    CHECK_STR(get(100), "<none>");
    feed("\x04");
    CHECK_STR(get(100), "<eof>");
}

TEST(end_of_input_comes_after_queued_lines)
{
    reset();
    feed("one\ntwo\n\x04three\n");
    CHECK_STR(get(100), "one\n");
    CHECK_STR(get(100), "two\n");
    CHECK_STR(get(100), "<eof>");
    CHECK_STR(get(100), "three\n");
    CHECK_STR(get(100), "<none>");
}

TEST(several_lines_queue_in_order)
{
    reset();
    char msg[32];
    for (int i = 0; i < 50; i++) {
        snprintf(msg, sizeof msg, "line %d\n", i);
        feed(msg);
    }
    for (int i = 0; i < 50; i++) {
        snprintf(msg, sizeof msg, "line %d\n", i);
        CHECK_STR(get(100), msg);
    }
    CHECK_STR(get(100), "<none>");
}

TEST(partial_reads_keep_the_rest)
{
    reset();
    feed("hello\nab\n");
    CHECK_STR(get(2), "he");
    CHECK_STR(get(2), "ll");
    CHECK_STR(get(2), "o\n");
    CHECK_STR(get(100), "ab\n");         // a read never spans two lines
    CHECK_STR(get(100), "<none>");
}

TEST(read_returns_one_line_at_most)
{
    reset();
    feed("ab\ncd\n");
    CHECK_STR(get(100), "ab\n");
    CHECK_STR(get(100), "cd\n");
}

TEST(peek_does_not_consume)
{
    reset();
    char buf[16];
    feed("xyz\n");
    CHECK_EQ(line_peek(&L, buf, sizeof buf), 4);
    CHECK_EQ(line_peek(&L, buf, 2), 2);
    CHECK_EQ(line_peek(&L, buf, 0), 0);
    line_consume(&L, 0);                 // not an end mark: nothing goes
    CHECK_STR(get(100), "xyz\n");
    CHECK_EQ(line_peek(&L, buf, sizeof buf), LINE_NONE);
    line_consume(&L, 5);                 // harmless when empty
}

TEST(tab_is_data)
{
    reset();
    feed("a\tb\n");
    CHECK_STR(echoed, "a\tb\r\n");
    CHECK_STR(get(100), "a\tb\n");
}

TEST(other_control_bytes_ignored)
{
    reset();
    feed("\x01" "a\x07\x12" "b\n");
    CHECK_STR(echoed, "ab\r\n");
    CHECK_STR(get(100), "ab\n");
}

TEST(escape_sequences_swallowed)
{
    reset();
    feed("a\x1b[A\x1b[1;5Cb\x1bOPc\x1b" "d\n");   // arrows, ctrl-right, F1, Alt-d
    CHECK_STR(echoed, "abcd\r\n");
    CHECK_STR(get(100), "abcd\n");
}

TEST(control_byte_ends_escape_sequence)
{
    reset();
    CHECK_EQ(feed("x\x1b[\x03"), LINE_EV_INTR);
    feed("\x1b\n");
    CHECK_STR(get(100), "\n");
}

TEST(long_line_is_split_not_lost)
{
    reset();
    static char big[LINE_MAX + 20];
    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = '\n';
    CHECK_EQ(feed_n(big, sizeof big), LINE_EV_LINE);
    CHECK_EQ(strlen(get(LINE_MAX)), LINE_MAX - 1);
    CHECK_EQ(strlen(get(LINE_MAX)), sizeof big - (LINE_MAX - 1));
    CHECK_STR(get(LINE_MAX), "<none>");
}

TEST(full_queue_refuses_input_until_read)
{
    reset();
    static char line_in[101];
    memset(line_in, 'q', 99);
    line_in[99] = '\n';
    int lines = 0;
    while (line_accepting(&L) && lines < 1000) {
        line_in[0] = (char)('A' + lines % 26);
        if (feed_n(line_in, 100) < 0)
            break;
        lines++;
    }
    CHECK(!line_accepting(&L));
    CHECK(lines * 100 <= LINE_QUEUE);
    CHECK(lines >= LINE_QUEUE / 100 - 1);
    const char *got = get(LINE_MAX);
    CHECK_EQ(got[0], 'A');
    CHECK_EQ(strlen(got), 100);
    CHECK(line_accepting(&L));           // room again after a read
}

TEST(record_limit_refuses_input)
{
    reset();
    int n = 0;
    while (line_accepting(&L) && n < 10000) {
        line_input(&L, '\n', &(struct line_echo){ 0 });
        n++;
    }
    CHECK_EQ(n, LINE_RECORDS);
    CHECK_STR(get(10), "\n");
    CHECK(line_accepting(&L));
}

TEST(queue_wraps_around)
{
    reset();
    char msg[64];
    for (int i = 0; i < 1000; i++) {
        snprintf(msg, sizeof msg, "round %d of the ring buffer\n", i);
        feed(msg);
        CHECK_STR(get(6), "round ");
        CHECK_STR(get(100), msg + 6);
    }
    CHECK_STR(get(100), "<none>");
}
