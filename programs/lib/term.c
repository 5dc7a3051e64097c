// Terminal helpers for full-screen programs (see term.h).
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "term.h"

static struct termios saved;
static int saved_fd = -1;

int term_keyboard(void)
{
    int fd = open("/dev/tty", O_RDONLY);
    if (fd >= 0)
        return fd;
    for (fd = 2; fd >= 0; fd--)
        if (isatty(fd))
            return fd;
    return -1;
}

int term_raw(int fd, int keep_signals, int keep_output)
{
    struct termios t;
    if (tcgetattr(fd, &t) < 0)
        return -1;
    saved = t;
    saved_fd = fd;
    t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON | ISTRIP);
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN | (keep_signals ? 0 : ISIG));
    if (!keep_output)
        t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSAFLUSH, &t);
}

void term_restore(void)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSANOW, &saved);
    saved_fd = -1;
}

void term_size(int fd, int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row >= 2 && ws.ws_col >= 10) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

// How long the rest of an escape sequence may take to come. A terminal
// sends it in one go, but a busy machine (or a slow serial line) may hand
// it over a byte at a time: the bytes of one arrow key were seen 50 ms
// apart on four loaded virtual CPUs. A lone Esc costs this long.
#define ESC_WAIT_MS 500

static int pushed = -1;          // a byte read after a lone ESC, for the next key

// The next byte if one comes within ms milliseconds, else -1.
static int byte_soon(int fd, int ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    unsigned char c;
    if (poll(&p, 1, ms) <= 0 || read(fd, &c, 1) != 1)
        return -1;
    return c;
}

// The key of "ESC [ n ~" (n is 1..8), or -1.
static int tilde_key(int n)
{
    static const int keys[] = { -1, KEY_HOME, KEY_INSERT, KEY_DELETE, KEY_END,
                                KEY_PGUP, KEY_PGDN, KEY_HOME, KEY_END };
    return n >= 1 && n <= 8 ? keys[n] : -1;
}

// The key of a final byte of "ESC [ x" or "ESC O x", or -1.
static int letter_key(int c)
{
    switch (c) {
    case 'A': return KEY_UP;
    case 'B': return KEY_DOWN;
    case 'C': return KEY_RIGHT;
    case 'D': return KEY_LEFT;
    case 'H': return KEY_HOME;
    case 'F': return KEY_END;
    default: return -1;
    }
}

// Decodes what follows an ESC; unknown sequences are swallowed whole. A
// byte after a lone ESC is kept for the next key (Alt+x: ESC, then x).
static int escape_key(int fd)
{
    int c = byte_soon(fd, ESC_WAIT_MS);
    if (c != '[' && c != 'O') {
        pushed = c;
        return KEY_ESC;
    }
    int n = 0, k = byte_soon(fd, ESC_WAIT_MS);
    while (k >= '0' && k <= '9') {
        n = n * 10 + (k - '0');
        k = byte_soon(fd, ESC_WAIT_MS);
    }
    while (k == ';' || (k >= '0' && k <= '9'))
        k = byte_soon(fd, ESC_WAIT_MS);       // modifiers: ignored
    int key = k == '~' ? tilde_key(n) : letter_key(k);
    return key < 0 ? KEY_ESC : key;
}

int term_key(int fd)
{
    unsigned char c;
    if (pushed >= 0) {
        c = (unsigned char)pushed;
        pushed = -1;
    } else if (read(fd, &c, 1) != 1) {
        return KEY_EOF;
    }
    return c == 0x1b ? escape_key(fd) : c;
}
