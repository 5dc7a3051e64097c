// Terminal helpers for the full-screen programs (more, edit): the
// keyboard (even when standard input is a pipe), raw mode and its undoing,
// the screen size and key decoding (arrows and the editing keys arrive as
// VT100/xterm escape sequences from serial terminals and the PS/2 keyboard
// alike).
#ifndef TERM_H
#define TERM_H

enum term_key {
    KEY_UP = 0x100, KEY_DOWN, KEY_RIGHT, KEY_LEFT, KEY_HOME, KEY_END,
    KEY_INSERT, KEY_DELETE, KEY_PGUP, KEY_PGDN, KEY_ESC,
    KEY_EOF = -1,
};

// A descriptor to read keys from: /dev/tty, else the first of 2, 1, 0
// that is a terminal; -1 if there is none.
int term_keyboard(void);

// Puts the terminal behind fd in non-canonical mode without echo (and
// with signals when keep_signals, with output processing when
// keep_output); term_restore puts back what was there. Returns 0 or -1.
int term_raw(int fd, int keep_signals, int keep_output);
void term_restore(void);

// The screen's rows and columns (TIOCGWINSZ on fd; 24x80 if unknown).
void term_size(int fd, int *rows, int *cols);

// Reads one key: a byte, or KEY_* for an escape sequence, KEY_ESC for a
// lone Escape, KEY_EOF at end of input or on an error.
int term_key(int fd);

#endif
