// The console as a terminal: termios (tcgetattr, tcsetattr, cfmakeraw and
// the rest of <termios.h>) and ioctl (window size). The mode lives in the
// console driver (CON_GET_MODE / CON_SET_MODE); only a descriptor on the
// console is a terminal.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "libc.h"
#include "console_proto.h"

_Static_assert(ICANON == CON_ICANON && ECHO == CON_ECHO && ISIG == CON_ISIG, "lflag values");
_Static_assert(ICRNL == CON_ICRNL && INLCR == CON_INLCR && IGNCR == CON_IGNCR, "iflag values");
_Static_assert(OPOST == CON_OPOST && ONLCR == CON_ONLCR, "oflag values");
_Static_assert(ECHOE == CON_ECHOE && ECHOK == CON_ECHOK && CS8 == CON_CS8 && CREAD == CON_CREAD,
               "default flag values");
_Static_assert(VMIN == CON_VMIN && VTIME == CON_VTIME && VINTR == CON_VINTR, "cc indices");
_Static_assert(NCCS == CON_NCCS, "cc count");

// 0 if fd is the console, else -ENOTTY or -EBADF.
static int console_fd(int fd)
{
    struct ofile *f = fd_get(fd);
    return !f ? -EBADF : f->type == FD_CONSOLE ? 0 : -ENOTTY;
}

int tcgetattr(int fd, struct termios *t)
{
    struct con_mode m;
    int e = console_fd(fd);
    struct rpc r = { .op = CON_GET_MODE, .rbuf = &m, .rmax = sizeof(m) };
    long got = e ? e : rpc_call(H_CONSOLE, &r);
    if (got < 0)
        return (int)rpc_result(got);
    memset(t, 0, sizeof(*t));
    t->c_iflag = m.iflag;
    t->c_oflag = m.oflag;
    t->c_cflag = m.cflag;
    t->c_lflag = m.lflag;
    memcpy(t->c_cc, m.cc, NCCS);
    t->c_ispeed = t->c_ospeed = B115200;
    return 0;
}

// Sets the mode; TCSAFLUSH also drops input not yet read. Output is
// written synchronously, so TCSADRAIN has nothing to wait for.
int tcsetattr(int fd, int action, const struct termios *t)
{
    int e = console_fd(fd);
    if (!e && action != TCSANOW && action != TCSADRAIN && action != TCSAFLUSH)
        e = -EINVAL;
    if (e)
        return (int)rpc_result(e);
    struct con_mode m = { t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag, { 0 } };
    memcpy(m.cc, t->c_cc, NCCS);
    struct rpc r = { .op = CON_SET_MODE, .w0 = action == TCSAFLUSH, .data = &m, .len = sizeof(m) };
    return (int)rpc_result(rpc_call(H_CONSOLE, &r));
}

// As cfmakeraw(3): no editing, echo, signals or translations; reads
// return each byte as it comes (VMIN 1, VTIME 0).
void cfmakeraw(struct termios *t)
{
    t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t->c_cflag |= CS8;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t) { return t->c_ispeed; }
speed_t cfgetospeed(const struct termios *t) { return t->c_ospeed; }

int cfsetispeed(struct termios *t, speed_t s)
{
    t->c_ispeed = s;
    return 0;
}

int cfsetospeed(struct termios *t, speed_t s)
{
    t->c_ospeed = s;
    return 0;
}

int cfsetspeed(struct termios *t, speed_t s)
{
    t->c_ispeed = t->c_ospeed = s;
    return 0;
}

int tcdrain(int fd)
{
    return (int)rpc_result(console_fd(fd));
}

// Drops unread input (TCIFLUSH, TCIOFLUSH); output is never held back.
int tcflush(int fd, int queue)
{
    struct termios t;
    if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH)
        return (int)rpc_result(console_fd(fd) ? console_fd(fd) : -EINVAL);
    if (tcgetattr(fd, &t) < 0)
        return -1;
    return queue == TCOFLUSH ? 0 : tcsetattr(fd, TCSAFLUSH, &t);
}

int tcflow(int fd, int action)
{
    int e = console_fd(fd);
    return (int)rpc_result(e ? e : action >= TCOOFF && action <= TCION ? 0 : -EINVAL);
}

int tcsendbreak(int fd, int duration)
{
    (void)duration;
    return (int)rpc_result(console_fd(fd));
}

static int winsize_get(struct winsize *ws)
{
    struct rpc r = { .op = CON_WINSIZE };
    long rows = rpc_call(H_CONSOLE, &r);
    if (rows < 0)
        return (int)rpc_result(rows);
    *ws = (struct winsize){ (unsigned short)rows, (unsigned short)r.r1, 0, 0 };
    return 0;
}

static int winsize_set(const struct winsize *ws)
{
    struct rpc r = { .op = CON_SET_WINSIZE, .w0 = ws->ws_row, .w1 = ws->ws_col };
    return (int)rpc_result(rpc_call(H_CONSOLE, &r));
}

// The console's requests (see <sys/ioctl.h>); the argument is a pointer.
int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    int e = console_fd(fd);
    if (e)
        return (int)rpc_result(e);
    switch (request) {
    case TIOCGWINSZ: return winsize_get(arg);
    case TIOCSWINSZ: return winsize_set(arg);
    case TCGETS:     return tcgetattr(fd, arg);
    case TCSETS:     return tcsetattr(fd, TCSANOW, arg);
    case TCSETSW:    return tcsetattr(fd, TCSADRAIN, arg);
    case TCSETSF:    return tcsetattr(fd, TCSAFLUSH, arg);
    default:         return (int)rpc_result(-ENOTTY);
    }
}

// open() of "/dev/tty" or "/dev/console": a new descriptor on the console
// (there is no /dev in the file system). Returns -ENOENT for other paths.
int tty_open(const char *path, int flags)
{
    if (strcmp(path, "/dev/tty") && strcmp(path, "/dev/console"))
        return -ENOENT;
    struct fd_desc d = { FD_CONSOLE, (uint32_t)(flags & O_ACCMODE), 0, 0 };
    return fd_install(&d);
}
