// The console's line discipline (see line.h). Pure: no I/O, no globals.
#include "line.h"
#include "console_proto.h"

#define CTRL(c) ((c) & 0x1f)

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

void line_init(struct line *l)
{
    l->cur_len = 0;
    l->q_head = l->q_len = 0;
    l->rec_head = l->rec_count = 0;
    l->last_cr = 0;
    l->esc = ESC_NONE;
    l->raw_open = 0;
    l->iflag = CON_ICRNL;
    l->lflag = CON_ISIG | CON_ICANON | CON_ECHO;
}

static void echo_put(struct line_echo *e, const char *s)
{
    while (*s && e->len < LINE_ECHO_MAX)
        e->buf[e->len++] = *s++;
}

// Queues cur[0..cur_len) plus an optional '\n' as one record and empties
// cur. Needs the room line_accepting promised.
static void push_record(struct line *l, int newline)
{
    unsigned n = l->cur_len;
    for (unsigned i = 0; i < n; i++)
        l->q[(l->q_head + l->q_len + i) % LINE_QUEUE] = l->cur[i];
    if (newline)
        l->q[(l->q_head + l->q_len + n++) % LINE_QUEUE] = '\n';
    l->q_len += n;
    l->rec[(l->rec_head + l->rec_count) % LINE_RECORDS] = (uint16_t)n;
    l->rec_count++;
    l->cur_len = 0;
    l->raw_open = 0;
}

// Queues one byte of non-canonical input: it joins the last record while
// that one is open and short of LINE_MAX - 1, else starts a new one.
static void push_raw(struct line *l, char c)
{
    l->q[(l->q_head + l->q_len++) % LINE_QUEUE] = c;
    uint16_t *last = &l->rec[(l->rec_head + l->rec_count + LINE_RECORDS - 1) % LINE_RECORDS];
    if (l->raw_open && l->rec_count && *last < LINE_MAX - 1) {
        (*last)++;
        return;
    }
    l->rec[(l->rec_head + l->rec_count++) % LINE_RECORDS] = 1;
    l->raw_open = 1;
}

static int is_utf8_tail(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

// Removes the last character (a UTF-8 sequence counts as one); returns
// whether there was one.
static int erase_char(struct line *l)
{
    if (!l->cur_len)
        return 0;
    while (l->cur_len > 1 && is_utf8_tail(l->cur[l->cur_len - 1]))
        l->cur_len--;
    l->cur_len--;
    return 1;
}

// Appends a data byte and echoes it. A line that reached LINE_MAX - 1
// bytes is first queued without a '\n', so over-long input is not lost.
static int append(struct line *l, char c, struct line_echo *e)
{
    int ev = 0;
    if (l->cur_len == LINE_MAX - 1) {
        push_record(l, 0);
        ev = LINE_EV_LINE;
    }
    l->cur[l->cur_len++] = c;
    e->buf[e->len++] = c;
    return ev;
}

// Swallows the bytes of an ANSI escape sequence. Returns 1 if c was part
// of one; a control byte ends the sequence and is processed normally.
static int escape_step(struct line *l, unsigned char c)
{
    if (c == 0x1b) {
        l->esc = ESC_START;
        return 1;
    }
    if (l->esc == ESC_NONE)
        return 0;
    if (c < 0x20) {
        l->esc = ESC_NONE;
        return 0;
    }
    if (l->esc == ESC_START) {
        l->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
        return l->esc != ESC_NONE;   // ESC x (Alt+x): drop the ESC, keep x
    }
    if (l->esc == ESC_SS3 || (c >= 0x40 && c <= 0x7e))
        l->esc = ESC_NONE;           // the final byte
    return 1;
}

// Handles a control byte; returns LINE_EV_* bits.
static int control(struct line *l, unsigned char c, struct line_echo *e)
{
    switch (c) {
    case '\r':
    case '\n':
        push_record(l, 1);
        echo_put(e, "\r\n");
        return LINE_EV_LINE;
    case 0x08:
    case 0x7f:
        if (erase_char(l))
            echo_put(e, "\b \b");
        return 0;
    case CTRL('U'):
        while (erase_char(l))
            echo_put(e, "\b \b");
        return 0;
    case CTRL('C'):
        l->cur_len = 0;
        echo_put(e, "^C\r\n");
        return LINE_EV_INTR;
    case CTRL('D'):
        push_record(l, 0);           // empty: the end-of-input mark
        return LINE_EV_LINE;
    default:
        return 0;                    // other control bytes are ignored
    }
}

// Non-canonical input: no editing, every byte is data at once.
static int raw_input(struct line *l, unsigned char c, struct line_echo *e)
{
    if (c == '\r' && (l->iflag & CON_IGNCR))
        return 0;
    if (c == '\r' && (l->iflag & CON_ICRNL))
        c = '\n';
    else if (c == '\n' && (l->iflag & CON_INLCR))
        c = '\r';
    if (c == CTRL('C') && (l->lflag & CON_ISIG)) {
        echo_put(e, "^C");
        return LINE_EV_INTR;
    }
    push_raw(l, (char)c);
    e->buf[e->len++] = (char)c;
    return LINE_EV_LINE;
}

// Canonical input: line editing (see line.h).
static int cooked_input(struct line *l, unsigned char c, struct line_echo *e)
{
    int after_cr = l->last_cr;
    l->last_cr = c == '\r';
    if (c == '\n' && after_cr)
        return 0;                    // "\r\n" is one line end
    if (escape_step(l, c))
        return 0;
    if (c == CTRL('C') && !(l->lflag & CON_ISIG))
        return append(l, (char)c, e);
    if ((c < 0x20 && c != '\t') || c == 0x7f)
        return control(l, c, e);
    return append(l, (char)c, e);
}

int line_input(struct line *l, unsigned char c, struct line_echo *e)
{
    e->len = 0;
    int ev = l->lflag & CON_ICANON ? cooked_input(l, c, e) : raw_input(l, c, e);
    if (!(l->lflag & CON_ECHO))
        e->len = 0;
    return ev;
}

void line_set_mode(struct line *l, uint32_t iflag, uint32_t lflag, int flush)
{
    if (flush) {
        l->q_head = l->q_len = 0;
        l->rec_head = l->rec_count = 0;
        l->cur_len = 0;
    }
    if ((l->lflag & CON_ICANON) && !(lflag & CON_ICANON) && l->cur_len)
        push_record(l, 0);
    if (lflag & CON_ICANON)
        l->raw_open = 0;
    l->esc = ESC_NONE;
    l->last_cr = 0;
    l->iflag = iflag;
    l->lflag = lflag;
}

int line_ready(const struct line *l, unsigned vmin)
{
    if (!l->rec_count)
        return 0;
    if (l->rec_count > 1 || !l->raw_open)
        return 1;                    // a finished record
    return l->rec[l->rec_head] >= vmin;
}

int line_accepting(const struct line *l)
{
    return l->rec_count < LINE_RECORDS && LINE_QUEUE - l->q_len >= l->cur_len + 1;
}

long line_peek(const struct line *l, char *buf, unsigned max)
{
    if (!l->rec_count)
        return LINE_NONE;
    unsigned n = l->rec[l->rec_head];
    if (n > max)
        n = max;
    for (unsigned i = 0; i < n; i++)
        buf[i] = l->q[(l->q_head + i) % LINE_QUEUE];
    return n;
}

static void pop_record(struct line *l)
{
    l->rec_head = (l->rec_head + 1) % LINE_RECORDS;
    if (!--l->rec_count)
        l->raw_open = 0;
}

void line_consume(struct line *l, unsigned n)
{
    if (!l->rec_count)
        return;
    uint16_t *r = &l->rec[l->rec_head];
    if (*r == 0) {
        if (n == 0)
            pop_record(l);           // the end-of-input mark
        return;
    }
    if (n > *r)
        n = *r;
    l->q_head = (l->q_head + n) % LINE_QUEUE;
    l->q_len -= n;
    *r = (uint16_t)(*r - n);
    if (*r == 0)
        pop_record(l);
}

long line_read(struct line *l, char *buf, unsigned max)
{
    long n = line_peek(l, buf, max);
    if (n >= 0)
        line_consume(l, (unsigned)n);
    return n;
}
