// ioctl on the console: the window size (TIOCGWINSZ; TIOCSWINSZ sets the
// serial terminal's) and the termios calls in their ioctl form (TCGETS,
// TCSETS, TCSETSW, TCSETSF take a struct termios *). Other requests, and
// any on a descriptor that is not the console, fail with ENOTTY.
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

struct winsize {
    unsigned short ws_row, ws_col;
    unsigned short ws_xpixel, ws_ypixel;
};

#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414

#ifdef __cplusplus
extern "C" {
#endif
int ioctl(int fd, unsigned long request, ...);
#ifdef __cplusplus
}
#endif

#endif
