// The PS/2 keyboard: scancode set 1 (the controller translates) to ASCII
// for a US layout, with shift, caps lock and ctrl. Only make codes give
// characters; break codes only update the modifiers. The editing keys
// (arrows, Home, End, Insert, Delete, PgUp, PgDn) become the escape
// sequences an xterm or VT220 sends for them, so a program reads the same
// bytes from the PS/2 keyboard as from a serial terminal.
#include "console.h"

#define KBD_DATA    0x60
#define KBD_CMD     0x64         // status when read, command when written
#define ST_OUT_FULL 0x01         // a byte waits in port 0x60
#define ST_IN_FULL  0x02         // the controller has not taken our last byte
#define ST_AUX      0x20         // the waiting byte is from the mouse

#define SC_LCTRL    0x1D         // 0xE0 0x1D: right ctrl
#define SC_LSHIFT   0x2A
#define SC_RSHIFT   0x36
#define SC_CAPS     0x3A
#define SC_ENTER    0x1C
#define SC_SLASH    0x35
#define SC_KEYS     0x54         // the table covers 0x00..0x53

static const char keymap[SC_KEYS + 1] =
    "\0\x1b" "1234567890-=" "\b\t" "qwertyuiop[]" "\r\0" "asdfghjkl;'`" "\0\\"
    "zxcvbnm,./" "\0*\0 \0" "\0\0\0\0\0\0\0\0\0\0" "\0\0" "789-456+1230.";
static const char keymap_shift[SC_KEYS + 1] =
    "\0\x1b" "!@#$%^&*()_+" "\b\t" "QWERTYUIOP{}" "\r\0" "ASDFGHJKL:\"~" "\0|"
    "ZXCVBNM<>?" "\0*\0 \0" "\0\0\0\0\0\0\0\0\0\0" "\0\0" "789-456+1230.";

static struct {
    uint8_t shift_l, shift_r, ctrl_l, ctrl_r, caps;
    uint8_t e0;                  // the previous byte was the 0xE0 prefix
    uint8_t skip;                // bytes left of a Pause sequence (0xE1 ...)
} kb;

// Tracks shift, ctrl and caps lock; returns 1 if sc was one of them.
static int modifier(uint8_t sc, int ext, int down)
{
    if (sc == SC_LCTRL) {
        *(ext ? &kb.ctrl_r : &kb.ctrl_l) = (uint8_t)down;
        return 1;
    }
    if (ext)
        return 0;                // 0xE0 0x2A etc. are fake shifts: ignore
    if (sc == SC_LSHIFT || sc == SC_RSHIFT) {
        *(sc == SC_LSHIFT ? &kb.shift_l : &kb.shift_r) = (uint8_t)down;
        return 1;
    }
    if (sc == SC_CAPS) {
        kb.caps ^= (uint8_t)down;
        return 1;
    }
    return 0;
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The character of a plain (not extended) key press, or -1.
static int key_char(uint8_t sc)
{
    if (sc >= SC_KEYS)
        return -1;
    char c = kb.shift_l || kb.shift_r ? keymap_shift[sc] : keymap[sc];
    if (!c)
        return -1;
    if (kb.caps && is_letter(c))
        c ^= 0x20;
    if ((kb.ctrl_l || kb.ctrl_r) && (is_letter(c) || (c >= '@' && c <= '_')))
        c &= 0x1f;
    return (uint8_t)c;
}

// The escape sequence of an editing key (KBD_UP ...), or NULL.
const char *kbd_sequence(int key)
{
    static const char *const seq[KBD_KEY_END - KBD_UP] = {
        [KBD_UP - KBD_UP] = "\x1b[A",      [KBD_DOWN - KBD_UP] = "\x1b[B",
        [KBD_RIGHT - KBD_UP] = "\x1b[C",   [KBD_LEFT - KBD_UP] = "\x1b[D",
        [KBD_HOME - KBD_UP] = "\x1b[H",    [KBD_END - KBD_UP] = "\x1b[F",
        [KBD_INSERT - KBD_UP] = "\x1b[2~", [KBD_DELETE - KBD_UP] = "\x1b[3~",
        [KBD_PGUP - KBD_UP] = "\x1b[5~",   [KBD_PGDN - KBD_UP] = "\x1b[6~",
    };
    return key >= KBD_UP && key < KBD_KEY_END ? seq[key - KBD_UP] : NULL;
}

// The editing key of an extended (0xE0) scancode, or -1.
static int ext_key(uint8_t sc)
{
    switch (sc) {
    case 0x48: return KBD_UP;
    case 0x50: return KBD_DOWN;
    case 0x4D: return KBD_RIGHT;
    case 0x4B: return KBD_LEFT;
    case 0x47: return KBD_HOME;
    case 0x4F: return KBD_END;
    case 0x52: return KBD_INSERT;
    case 0x53: return KBD_DELETE;
    case 0x49: return KBD_PGUP;
    case 0x51: return KBD_PGDN;
    case SC_ENTER: return '\r';
    case SC_SLASH: return '/';
    default: return -1;
    }
}

// Feeds one scancode byte; returns the character it completes, an
// editing key (KBD_UP ..., see kbd_sequence), or -1.
int kbd_translate(uint8_t sc)
{
    if (kb.skip) {
        kb.skip--;
        return -1;
    }
    if (sc == 0xE1) {
        kb.skip = 5;
        return -1;
    }
    if (sc == 0xE0) {
        kb.e0 = 1;
        return -1;
    }
    int ext = kb.e0, down = !(sc & 0x80);
    kb.e0 = 0;
    sc &= 0x7f;
    if (modifier(sc, ext, down) || !down)
        return -1;
    if (ext)
        return ext_key(sc);
    return key_char(sc);
}

static const char *pending;      // the rest of an editing key's sequence

// Returns the next byte typed, or -1 when no more bytes wait. Bounded,
// so a missing controller (status 0xFF) cannot hang the driver.
int kbd_getc(void)
{
    if (pending && *pending)
        return (uint8_t)*pending++;
    for (int i = 0; i < 64; i++) {
        uint8_t st = inb(KBD_CMD);
        if (!(st & ST_OUT_FULL))
            return -1;
        uint8_t sc = inb(KBD_DATA);
        if (st & ST_AUX)
            continue;            // a mouse byte: not ours
        int c = kbd_translate(sc);
        if ((pending = kbd_sequence(c)))
            return (uint8_t)*pending++;
        if (c >= 0)
            return c;
    }
    return -1;
}

static int wait_status(uint8_t mask, uint8_t want)
{
    for (int i = 0; i < 100000; i++)
        if ((inb(KBD_CMD) & mask) == want)
            return 0;
    return -1;
}

// Makes sure the controller interrupts on keyboard bytes, translates to
// set 1 and has the keyboard clock on. Drops bytes still waiting (stale).
void kbd_init(void)
{
    for (int i = 0; i < 32 && (inb(KBD_CMD) & ST_OUT_FULL); i++)
        inb(KBD_DATA);
    if (wait_status(ST_IN_FULL, 0))
        return;
    outb(KBD_CMD, 0x20);                         // read the configuration byte
    if (wait_status(ST_OUT_FULL, ST_OUT_FULL))
        return;
    uint8_t cfg = inb(KBD_DATA);
    cfg = (uint8_t)((cfg | 0x01 | 0x40) & ~0x10); // IRQ 1 on, translation on, clock on
    if (wait_status(ST_IN_FULL, 0))
        return;
    outb(KBD_CMD, 0x60);                         // write the configuration byte
    if (wait_status(ST_IN_FULL, 0))
        return;
    outb(KBD_DATA, cfg);
}
