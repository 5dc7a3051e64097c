// The console driver: sets up COM1, the VGA screen and the PS/2 keyboard,
// then serves CON_WRITE, CON_READ and CON_SET_FG through the shared
// receive loop. The IRQs of COM1 and the keyboard arrive as bits of one
// notification bound to the endpoint (on_notify).
//
// Input flows device -> line discipline -> queued lines -> readers. While
// the discipline's queue is full, bytes are left in the devices (which
// then hold back their senders) and are fetched once a read made room.
#include "os.h"
#include "server.h"
#include "console_proto.h"
#include "proc_proto.h"
#include "console.h"
#include "line.h"

#define MAX_READERS 32
#define SIGINT      2

struct reader {
    uint32_t token;              // the deferred CON_READ to answer
    uint64_t max;
};

static struct line line;
static struct reader readers[MAX_READERS];   // waiting, oldest first (a ring)
static unsigned readers_head, readers_count;
static uint64_t fg_pgid;                     // ^C ends this group (0: none)
static char read_buf[LINE_MAX];              // payload of a direct reply
static char defer_buf[LINE_MAX];             // payload of a deferred reply
static struct line_echo echo;

static void con_out(const char *s, size_t n)
{
    uart_write(s, n);
    vga_write(s, n);
}

static unsigned clamp_max(uint64_t max)
{
    return max < LINE_MAX ? (unsigned)max : LINE_MAX;
}

// Queues a deferred reader; returns 0, or -1 when too many wait. A thread
// blocked in its call cannot call again, so an older entry with the same
// token belongs to a caller that died (its token was reused): drop it.
static int readers_push(uint32_t token, uint64_t max)
{
    for (unsigned i = 0; i < readers_count; i++) {
        struct reader *r = &readers[(readers_head + i) % MAX_READERS];
        if (r->token == token)
            r->token = 0;        // answered as dead when its turn comes
    }
    if (readers_count == MAX_READERS)
        return -1;
    readers[(readers_head + readers_count++) % MAX_READERS] = (struct reader){ token, max };
    return 0;
}

static void readers_pop(void)
{
    readers_head = (readers_head + 1) % MAX_READERS;
    readers_count--;
}

// Answers waiting readers, oldest first, while complete lines are queued.
// A line is consumed only once a reply reached its reader, so a reader
// that died while waiting (e.g. by ^C) loses nothing.
static void serve_readers(void)
{
    while (readers_count) {
        struct reader *r = &readers[readers_head];
        long n = line_peek(&line, defer_buf, clamp_max(r->max));
        if (n < 0)
            return;
        if (r->token && server_reply(r->token, (uint64_t)n, 0, 0, defer_buf, (uint64_t)n) == 0)
            line_consume(&line, (unsigned)n);
        readers_pop();
    }
}

// ^C: asks proc to send SIGINT to the foreground group. Blocks on proc;
// errors (no proc handle yet, proc gone) are ignored.
static void interrupt_fg(void)
{
    if (!fg_pgid)
        return;
    struct msg m = { TAG(PROC_KILL_GROUP, 0), fg_pgid, SIGINT, 0, 0, 0 };
    ipc_call(CON_H_PROC, &m, NULL);
}

// Feeds one input byte to the line discipline and echoes what it says.
static void input_byte(int c)
{
    int ev = line_input(&line, (unsigned char)c, &echo);
    if (echo.len)
        con_out(echo.buf, echo.len);
    if (ev & LINE_EV_INTR)
        interrupt_fg();
}

// Takes input from both devices while the line discipline has room,
// answering waiting readers as lines complete.
static void input_poll(void)
{
    int progress = 1;
    while (progress) {
        int c;
        progress = 0;
        if (line_accepting(&line) && (c = uart_getc()) >= 0) {
            input_byte(c);
            progress = 1;
        }
        if (line_accepting(&line) && (c = kbd_getc()) >= 0) {
            input_byte(c);
            progress = 1;
        }
        serve_readers();
    }
}

static void on_notify(uint64_t bits)
{
    input_poll();
    if (bits & CON_BIT_UART)
        sys_irq_ack(CON_H_UART_IRQ);
    if (bits & CON_BIT_KBD)
        sys_irq_ack(CON_H_KBD_IRQ);
}

// CON_WRITE: payload to serial and screen; replies when all is out.
static int con_write(struct request *rq)
{
    con_out(rq->data, rq->len);
    rq->r0 = rq->len;
    return 0;
}

// CON_READ: one queued line (up to w0 bytes), 0 at end of input, or the
// reply is deferred until a line completes.
static int con_read(struct request *rq)
{
    if (rq->w0 == 0) {
        rq->r0 = 0;
        return 0;
    }
    long n = readers_count ? LINE_NONE : line_read(&line, read_buf, clamp_max(rq->w0));
    if (n >= 0) {
        rq->r0 = (uint64_t)n;
        rq->reply_data = read_buf;
        rq->reply_len = (uint64_t)n;
        input_poll();            // a read may have made room for held input
        return 0;
    }
    if (readers_push(rq->token, rq->w0) < 0) {
        rq->r0 = (uint64_t)-CON_EAGAIN;
        return 0;
    }
    return SERVER_DEFER;
}

// CON_SET_FG: w0 is the process group ^C interrupts (0: none).
static int con_set_fg(struct request *rq)
{
    fg_pgid = rq->w0;
    rq->r0 = 0;
    return 0;
}

static const server_op ops[CON_OPS] = {
    [CON_WRITE] = con_write,
    [CON_READ] = con_read,
    [CON_SET_FG] = con_set_fg,
};

// Opens the devices' ports, maps the screen and initialises the devices.
static void devices_init(void)
{
    sys_ioport_enable(CON_H_UART_PORTS);
    sys_ioport_enable(CON_H_KBD_PORTS);
    sys_ioport_enable(CON_H_VGA_PORTS);
    uart_init();
    if (sys_mmio_map(CON_H_VGA_MEM, (long)CON_VGA_VADDR) == 0)
        vga_init((volatile uint16_t *)CON_VGA_VADDR);
    else
        printf("console: no VGA memory\n");
    kbd_init();
    line_init(&line);
}

// Routes both IRQs to one notification; returns it (or -1).
static long irqs_bind(void)
{
    long n = sys_notif_create();
    if (n < 0)
        return -1;
    if (sys_irq_bind(CON_H_UART_IRQ, n, (long)CON_BIT_UART) < 0)
        printf("console: cannot bind IRQ 4\n");
    if (sys_irq_bind(CON_H_KBD_IRQ, n, (long)CON_BIT_KBD) < 0)
        printf("console: cannot bind IRQ 1\n");
    return n;
}

int main(int argc, char **argv)
{
    devices_init();
    struct server s = { CON_H_ENDPOINT, ops, CON_OPS, irqs_bind(), on_notify };
    server_announce("console", argc, argv);
    input_poll();                // input that arrived before the IRQs were bound
    server_run(&s);
}
