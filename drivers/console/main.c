// The console driver: sets up COM1, the VGA screen and the PS/2 keyboard,
// then serves the console protocol through the shared receive loop. The
// IRQs of COM1 and the keyboard, and the VTIME timer, arrive as bits of
// one notification bound to the endpoint (on_notify).
//
// Input flows device -> line discipline -> queued lines -> readers. While
// the discipline's queue is full, bytes are left in the devices (which
// then hold back their senders) and are fetched once a read made room.
//
// The terminal mode (termios) is one for the console. So that a program
// that dies or exits in raw mode cannot leave the shell without echo and
// editing, the console puts the default mode back when the foreground is
// taken from a group (CON_SET_FG from a group to 0 or to another one: the
// shell's call once a foreground job has ended, however it ended). Giving
// the foreground to a job (from 0) keeps the mode, so a job that set raw
// mode before the shell's call is not undone.
#include "os.h"
#include "server.h"
#include "console_proto.h"
#include "proc_proto.h"
#include "console.h"
#include "line.h"

#define MAX_READERS 32
#define MAX_POLLERS 16
#define SIGINT      2
#define CON_BIT_TIMER (1ul << 2)
#define TIMER_PRIO  30           // init's PRIO_CONSOLE: a thread may not outrank its creator
#define SERIAL_ROWS 24
#define VGA_ROWS    25
#define COLS        80

struct reader {
    uint32_t token;              // the deferred CON_READ to answer
    uint64_t max;
    uint64_t deadline;           // sys_time() when VTIME runs out (0: never)
};

static struct con_mode mode;
static struct { long handle; uint64_t bit, pid; } pollers[MAX_POLLERS];
static unsigned npollers;
static unsigned serial_rows = SERIAL_ROWS, serial_cols = COLS;
static int last_from_kbd;                    // the last key came from PS/2
static long notif = -1, timer_kick = -1;     // ours; the timer thread's
static volatile uint64_t timer_deadline;     // the earliest reader deadline

static struct line line;
static struct reader readers[MAX_READERS];   // waiting, oldest first (a ring)
static unsigned readers_head, readers_count;
static uint64_t fg_pgid;                     // ^C ends this group (0: none)
static int intr_pending;                     // ^C came while no group had the foreground
static char read_buf[LINE_MAX];              // payload of a direct reply
static char defer_buf[LINE_MAX];             // payload of a deferred reply
static struct line_echo echo;

static void con_out(const char *s, size_t n)
{
    uart_write(s, n, (mode.oflag & (CON_OPOST | CON_ONLCR)) == (CON_OPOST | CON_ONLCR));
    vga_write(s, n);
}

// The default mode: canonical, echo, signals, CR to NL, NL to CRNL.
static void mode_default(struct con_mode *m)
{
    *m = (struct con_mode){ .iflag = CON_ICRNL, .oflag = CON_OPOST | CON_ONLCR,
                            .cflag = CON_CS8 | CON_CREAD,
                            .lflag = CON_ISIG | CON_ICANON | CON_ECHO | CON_ECHOE | CON_ECHOK };
    const uint8_t cc[] = { 3, 28, 127, 21, 4, 0, 1 };  // INTR QUIT ERASE KILL EOF TIME MIN
    memcpy(m->cc, cc, sizeof cc);
}

static void mode_set(const struct con_mode *m, int flush)
{
    mode = *m;
    if (!(mode.lflag & CON_ISIG))
        intr_pending = 0;        // e.g. the shell's editor at the prompt: ^C is its key now
    line_set_mode(&line, mode.iflag, mode.lflag, flush);
}

static int canonical(void)
{
    return mode.lflag & CON_ICANON;
}

// The VTIME deadline a new non-canonical read gets (0: none).
static uint64_t read_deadline(void)
{
    if (canonical() || !mode.cc[CON_VTIME])
        return 0;
    return (uint64_t)sys_time() + mode.cc[CON_VTIME] * 100000000ull;
}

// Whether a read of up to max bytes can be answered now: canonical, when
// a line is complete; otherwise with VMIN bytes, or when VTIME ran out
// (for VMIN > 0 counted once a byte came: the inter-byte timer), or at
// once for VMIN = VTIME = 0.
static int read_ready(uint64_t max, uint64_t deadline)
{
    if (canonical())
        return line_ready(&line, 0);
    unsigned vmin = mode.cc[CON_VMIN] < max ? mode.cc[CON_VMIN] : (unsigned)max;
    if (!vmin && !mode.cc[CON_VTIME])
        return 1;
    if (deadline && (uint64_t)sys_time() >= deadline && (!vmin || line_ready(&line, 1)))
        return 1;
    return line_ready(&line, vmin ? vmin : 1);
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
    readers[(readers_head + readers_count++) % MAX_READERS] = (struct reader){ token, max, read_deadline() };
    return 0;
}

static void readers_pop(void)
{
    readers_head = (readers_head + 1) % MAX_READERS;
    readers_count--;
}

// Sets the time the timer thread wakes us at (0: none) and wakes it.
static void timer_arm(uint64_t deadline)
{
    uint64_t was = timer_deadline;
    timer_deadline = deadline;
    if (deadline && !was && timer_kick >= 0)
        sys_notif_signal(timer_kick, 1);
}

// The timer thread: while a deadline is set, sleeps until it (in slices
// of at most 100 ms, so a deadline moved earlier is seen) and then
// signals the driver's notification (CON_BIT_TIMER); otherwise waits to
// be kicked. Keeps nothing of its own: the deadline is the driver's.
static void timer_thread(long unused)
{
    (void)unused;
    for (;;) {
        sys_notif_wait(timer_kick);
        uint64_t d;
        while ((d = timer_deadline)) {
            uint64_t now = (uint64_t)sys_time();
            if (now < d) {
                uint64_t ms = (d - now) / 1000000 + 1;
                sys_sleep((long)(ms > 100 ? 100 : ms));
                continue;
            }
            sys_notif_signal(notif, (long)CON_BIT_TIMER);
            sys_sleep(10);       // the driver clears or moves the deadline
        }
    }
}

// Wakes every poller waiting for input (each once) and forgets it.
static void pollers_wake(void)
{
    for (unsigned i = 0; i < npollers; i++) {
        sys_notif_signal(pollers[i].handle, (long)pollers[i].bit);
        sys_handle_close(pollers[i].handle);
    }
    npollers = 0;
}

// Answers waiting readers, oldest first, while complete lines are queued.
// A line is consumed only once a reply reached its reader, so a reader
// that died while waiting (e.g. by ^C) loses nothing.
static void serve_readers(void)
{
    while (readers_count) {
        struct reader *r = &readers[readers_head];
        if (r->token && !read_ready(r->max, r->deadline))
            break;
        long n = line_peek(&line, defer_buf, clamp_max(r->max));
        if (n < 0)
            n = 0;               // VTIME ran out (or VMIN 0) with nothing typed
        if (r->token && server_reply(r->token, (uint64_t)n, 0, 0, defer_buf, (uint64_t)n) == 0)
            line_consume(&line, (unsigned)n);
        readers_pop();
    }
    timer_arm(readers_count ? readers[readers_head].deadline : 0);
}

// ^C: asks proc to send SIGINT to the foreground group. Blocks on proc;
// errors (no proc handle yet, proc gone) are ignored. A ^C typed after a
// command line was entered but before the shell gave its job the
// foreground is kept for that job (see con_set_fg).
static void interrupt_fg(void)
{
    if (!fg_pgid) {
        intr_pending = 1;
        return;
    }
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
    if ((ev & LINE_EV_LINE) && npollers && line_ready(&line, canonical() ? 0 : 1))
        pollers_wake();
    if ((ev & LINE_EV_LINE) && readers_count && mode.cc[CON_VMIN])
        readers[readers_head].deadline = read_deadline();   // VTIME is inter-byte
}

// Takes input from both devices while the line discipline has room,
// answering waiting readers as lines complete.
static void input_poll(void)
{
    int progress = 1;
    while (progress) {
        progress = 0;
        int c = line_accepting(&line) ? uart_getc() : -1;
        if (c >= 0) {
            last_from_kbd = 0;
            input_byte(c);
            progress = 1;
        }
        c = line_accepting(&line) ? kbd_getc() : -1;
        if (c >= 0) {
            last_from_kbd = 1;
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
    if (bits & CON_BIT_TIMER)
        serve_readers();
}

// CON_WRITE: payload to serial and screen; replies when all is out.
static int con_write(struct request *rq)
{
    con_out(rq->data, rq->len);
    rq->r0 = rq->len;
    return 0;
}

// CON_READ: one queued line (up to w0 bytes), 0 at end of input, or the
// reply is deferred until a line completes; non-canonical, as VMIN and
// VTIME say.
static int con_read(struct request *rq)
{
    if (rq->w0 == 0) {
        rq->r0 = 0;
        return 0;
    }
    long n = LINE_NONE;
    if (!readers_count && read_ready(rq->w0, 0))
        n = line_read(&line, read_buf, clamp_max(rq->w0));
    if (n == LINE_NONE && !canonical() && !mode.cc[CON_VMIN] && !mode.cc[CON_VTIME] && !readers_count)
        n = 0;                   // a poll: nothing waits
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
    timer_arm(readers[readers_head].deadline);
    return SERVER_DEFER;
}

// CON_SET_FG: w0 is the process group ^C interrupts (0: none). When the
// foreground is taken from a group, the terminal goes back to its default
// mode and the screen's attributes to plain (see the top of this file).
// A ^C that came while no group had the foreground goes to the group that
// gets it now: the user pressed it for the job just started.
static int con_set_fg(struct request *rq)
{
    struct con_mode m;
    if (fg_pgid && rq->w0 != fg_pgid) {
        mode_default(&m);
        mode_set(&m, 0);
        vga_reset();
        serve_readers();
    }
    int deliver = !fg_pgid && rq->w0 && intr_pending;
    fg_pgid = rq->w0;
    intr_pending = 0;
    if (deliver)
        interrupt_fg();
    rq->r0 = 0;
    return 0;
}

static int con_get_mode(struct request *rq)
{
    rq->reply_data = &mode;
    rq->reply_len = sizeof(mode);
    rq->r0 = 0;
    return 0;
}

// CON_SET_MODE: the new mode in the payload; w0 = 1 drops pending input.
// Readers already waiting are answered by the new mode's rules.
static int con_set_mode(struct request *rq)
{
    if (rq->len != sizeof(struct con_mode)) {
        rq->r0 = (uint64_t)-CON_EINVAL;
        return 0;
    }
    struct con_mode m;
    memcpy(&m, rq->data, sizeof(m));
    mode_set(&m, rq->w0 == 1);
    if (npollers && line_ready(&line, canonical() ? 0 : 1))
        pollers_wake();
    for (unsigned i = 0; i < readers_count; i++)
        readers[(readers_head + i) % MAX_READERS].deadline = read_deadline();
    serve_readers();
    rq->r0 = 0;
    return 0;
}

// CON_WINSIZE: the size of the screen the last key came from: VGA's
// 80x25 when it was the PS/2 keyboard, else the serial terminal's.
static int con_winsize(struct request *rq)
{
    rq->r0 = last_from_kbd ? VGA_ROWS : serial_rows;
    rq->r1 = last_from_kbd ? COLS : serial_cols;
    return 0;
}

static int con_set_winsize(struct request *rq)
{
    int ok = rq->w0 >= 2 && rq->w0 <= 1000 && rq->w1 >= 2 && rq->w1 <= 1000;
    if (ok) {
        serial_rows = (unsigned)rq->w0;
        serial_cols = (unsigned)rq->w1;
    }
    rq->r0 = ok ? 0 : (uint64_t)-CON_EINVAL;
    return 0;
}

// Keeps a poller's handle; a newer one from the same pid replaces its
// older one. When the table is full the oldest entry is woken and dropped
// (a live poller then asks again; a dead one's entry is gone).
static void pollers_add(long handle, uint64_t bit, uint64_t pid)
{
    unsigned i = 0;
    while (i < npollers && pollers[i].pid != pid)
        i++;
    if (i == MAX_POLLERS) {
        sys_notif_signal(pollers[0].handle, (long)pollers[0].bit);
        sys_handle_close(pollers[0].handle);
        for (unsigned k = 1; k < MAX_POLLERS; k++)
            pollers[k - 1] = pollers[k];
        i = --npollers;
    }
    if (i < npollers)
        sys_handle_close(pollers[i].handle);
    else
        npollers++;
    pollers[i].handle = handle;
    pollers[i].bit = bit;
    pollers[i].pid = pid;
}

// CON_POLL: what is ready now; with a handle and nothing ready, keeps it
// to signal when input comes (see console_proto.h).
static int con_poll(struct request *rq)
{
    uint64_t ready = rq->w0 & CON_POLL_OUT;
    if ((rq->w0 & CON_POLL_IN) && line_ready(&line, canonical() ? 0 : 1))
        ready |= CON_POLL_IN;
    rq->r0 = ready;
    if (!rq->handle)
        return 0;
    if (ready || !(rq->w0 & CON_POLL_IN))
        return 0;                // the loop closes the handle
    pollers_add((long)rq->w2, rq->w1, rq->badge);
    rq->handle = 0;              // kept until input comes
    return 0;
}

static const server_op ops[CON_OPS] = {
    [CON_WRITE] = con_write,
    [CON_READ] = con_read,
    [CON_SET_FG] = con_set_fg,
    [CON_GET_MODE] = con_get_mode,
    [CON_SET_MODE] = con_set_mode,
    [CON_WINSIZE] = con_winsize,
    [CON_SET_WINSIZE] = con_set_winsize,
    [CON_POLL] = con_poll,
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
    mode_default(&mode);
}

// Routes both IRQs to one notification; returns it (or -1).
static long irqs_bind(void)
{
    long n = notif = sys_notif_create();
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
    struct server s = { CON_H_ENDPOINT, ops, CON_OPS, irqs_bind(), on_notify, NULL };
    timer_kick = sys_notif_create();
    long t = timer_kick < 0 ? timer_kick : thread_start(timer_thread, 0, TIMER_PRIO, 16384);
    if (t < 0) {
        printf("console: no timer thread (error %ld): VTIME waits for a key\n", t);
        timer_kick = -1;
    }
    server_announce("console", argc, argv);
    input_poll();                // input that arrived before the IRQs were bound
    server_run(&s);
}
