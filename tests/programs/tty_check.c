// Uses the terminal as a third-party program would (termios, isatty,
// TIOCGWINSZ, poll and select on a pipe, a file and the terminal) and
// prints what it saw. Run on the console of this system and on a host
// pseudo-terminal of 24x80, typing the same keys after each "type" prompt,
// it prints the same text. With the argument "raw-exit" it only puts the
// terminal in raw mode and exits (the shell must still work after it);
// with "poll-stdin" it waits in poll for its standard input.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/time.h>

static void say(const char *fmt, const char *what, long v)
{
    printf(fmt, what, v);
    fflush(stdout);
}

static void modes(const char *when)
{
    struct termios t;
    if (tcgetattr(0, &t) < 0) {
        printf("%s: tcgetattr failed: %s\n", when, strerror(errno));
        return;
    }
    printf("%s: icanon=%d echo=%d isig=%d icrnl=%d opost=%d vmin=%d vtime=%d\n", when,
           !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG),
           !!(t.c_iflag & ICRNL), !!(t.c_oflag & OPOST), t.c_cc[VMIN], t.c_cc[VTIME]);
}

static void not_a_tty(void)
{
    int p[2];
    struct termios t;
    struct winsize ws;
    pipe(p);
    say("%s %ld\n", "isatty(0)", isatty(0));
    errno = 0;
    say("%s %ld", "isatty(pipe)", isatty(p[0]));
    printf(" %s\n", errno == ENOTTY ? "ENOTTY" : "other errno");
    int r = tcgetattr(p[0], &t);
    printf("tcgetattr(pipe) %d %s\n", r, errno == ENOTTY ? "ENOTTY" : "other errno");
    r = ioctl(p[1], TIOCGWINSZ, &ws);
    printf("TIOCGWINSZ(pipe) %d %s\n", r, errno == ENOTTY ? "ENOTTY" : "other errno");
    r = tcsetattr(0, 99, &t);
    printf("tcsetattr(0, bad action) %d %s\n", r, errno == EINVAL ? "EINVAL" : "other errno");
    if (ioctl(0, TIOCGWINSZ, &ws) == 0)
        printf("window %d rows %d columns\n", ws.ws_row, ws.ws_col);
    close(p[0]);
    close(p[1]);
}

static void show_poll(const char *what, struct pollfd *p, int n, int timeout)
{
    int r = poll(p, (nfds_t)n, timeout);
    printf("%s: %d", what, r);
    for (int i = 0; i < n; i++)
        printf(" [%s%s%s%s]", p[i].revents & POLLIN ? "in" : "", p[i].revents & POLLOUT ? "out" : "",
               p[i].revents & POLLHUP ? "hup" : "", p[i].revents & POLLERR ? "err" : "");
    printf("\n");
}

static void pipes(void)
{
    int a[2], b[2];
    char c;
    pipe(a);
    pipe(b);
    struct pollfd p[2] = { { a[0], POLLIN, 0 }, { a[1], POLLOUT, 0 } };
    show_poll("empty pipe", p, 2, 50);
    write(a[1], "x", 1);
    show_poll("one byte", p, 2, 0);
    close(a[1]);
    show_poll("writer closed", p, 1, -1);
    read(a[0], &c, 1);
    show_poll("drained", p, 1, 0);
    close(b[0]);
    struct pollfd w = { b[1], POLLOUT, 0 };
    show_poll("reader closed", &w, 1, 0);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(a[0], &rd);
    struct timeval tv = { 0, 0 };
    int r = select(a[0] + 1, &rd, NULL, NULL, &tv);
    printf("select at eof: %d %d\n", r, !!FD_ISSET(a[0], &rd));
    close(a[0]);
    close(b[1]);
    pipe(a);
    FD_ZERO(&rd);
    FD_SET(a[0], &rd);
    tv = (struct timeval){ 0, 30000 };
    r = select(a[0] + 1, &rd, NULL, NULL, &tv);
    printf("select empty: %d %d\n", r, !!FD_ISSET(a[0], &rd));
    write(a[1], "yz", 2);
    FD_SET(a[0], &rd);
    r = select(a[0] + 1, &rd, NULL, NULL, NULL);
    printf("select ready: %d %d\n", r, !!FD_ISSET(a[0], &rd));
    close(a[0]);
    close(a[1]);
}

// Reads one key in raw mode and prints it in hex.
static void read_key(const char *prompt)
{
    unsigned char buf[16];
    printf("type %s\n", prompt);
    fflush(stdout);
    long n = read(0, buf, sizeof buf);
    printf("got %ld:", n);
    for (long i = 0; i < n; i++)
        printf(" %02x", buf[i]);
    printf("\n");
}

static void raw_mode(const char *file)
{
    struct termios orig, raw;
    tcgetattr(0, &orig);
    raw = orig;
    cfmakeraw(&raw);
    tcsetattr(0, TCSAFLUSH, &raw);
    modes("raw");
    read_key("a key");
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 2;
    tcsetattr(0, TCSANOW, &raw);
    char c;
    printf("vtime read with nothing typed: %ld\n", (long)read(0, &c, 1));
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);
    struct pollfd p[1] = { { 0, POLLIN, 0 } };
    show_poll("console idle", p, 1, 100);
    int fd = open(file, O_RDONLY), pp[2];
    pipe(pp);
    struct pollfd q[3] = { { 0, POLLIN, 0 }, { pp[0], POLLIN, 0 }, { fd, POLLIN, 0 } };
    show_poll("console, pipe, file", q, 3, 1000);
    printf("type a key to wake poll\n");
    fflush(stdout);
    show_poll("console, pipe", q, 2, 20000);
    read_key("(the same key was read)");
    close(fd);
    close(pp[0]);
    close(pp[1]);
    tcsetattr(0, TCSANOW, &orig);
    modes("restored");
}

// Waits in poll for standard input (a pipe whose writer is another
// process) and says what woke it and whether it really waited.
static int poll_stdin(void)
{
    struct timeval t0, t1;
    struct pollfd p = { 0, POLLIN, 0 };
    gettimeofday(&t0, NULL);
    int r = poll(&p, 1, 10000);
    gettimeofday(&t1, NULL);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
    printf("poll stdin: %d [%s%s] %s\n", r, p.revents & POLLIN ? "in" : "",
           p.revents & POLLHUP ? "hup" : "", ms >= 400 ? "after waiting" : "at once");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "poll-stdin"))
        return poll_stdin();
    if (argc > 1 && !strcmp(argv[1], "raw-exit")) {
        struct termios t;
        tcgetattr(0, &t);
        cfmakeraw(&t);
        tcsetattr(0, TCSANOW, &t);
        modes("left raw");
        return 0;
    }
    modes("start");
    not_a_tty();
    pipes();
    raw_mode(argc > 1 ? argv[1] : argv[0]);
    return 0;
}
