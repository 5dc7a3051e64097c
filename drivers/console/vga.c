// The VGA text screen: 80x25 cells of (attribute << 8 | character) in the
// mapped buffer at 0xB8000, with the hardware cursor moved through the
// CRTC ports 0x3D4/0x3D5. Output is interpreted as a VT100/xterm would
// for what full-screen programs use: cursor movement (CSI A B C D E F G d
// H f), erasing (J, K), inserting and deleting characters (@, P), colours
// and reverse video (SGR m), showing and hiding the cursor (?25 h/l), and
// saving and restoring the cursor (ESC 7/8, CSI s/u).
#include "console.h"

#define VGA_COLS  80
#define VGA_ROWS  25
#define VGA_ATTR  0x07           // light grey on black
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
#define MAX_PARAMS 8

enum { ESC_NONE, ESC_START, ESC_CSI };

static volatile uint16_t *screen;
static unsigned row, col;        // col == VGA_COLS: wrap before the next character
static uint8_t esc;
static unsigned params[MAX_PARAMS], nparams;
static uint8_t private_mode;     // the sequence began "ESC [ ?"
static struct {
    uint8_t fg, bg;              // VGA colours 0..7
    uint8_t bold, reverse, hidden_cursor;
} sgr = { 7, 0, 0, 0, 0 };
static unsigned saved_row, saved_col;

// The attribute byte of drawn characters.
static uint8_t attr(void)
{
    uint8_t fg = (uint8_t)(sgr.fg | (sgr.bold ? 8 : 0)), bg = sgr.bg;
    return sgr.reverse ? (uint8_t)(fg << 4 | bg) : (uint8_t)(bg << 4 | fg);
}

static uint16_t cell(char c)
{
    return (uint16_t)((uint8_t)c | attr() << 8);
}

// A blank in the current background colour (what erasing leaves).
static uint16_t blank(void)
{
    return (uint16_t)(' ' | (sgr.bg << 4 | 7) << 8);
}

static void clear_cells(unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++)
        screen[i] = blank();
}

static void clear_rows(unsigned from, unsigned to)
{
    clear_cells(from * VGA_COLS, to * VGA_COLS);
}

static void scroll(void)
{
    for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
        screen[i] = screen[i + VGA_COLS];
    clear_rows(VGA_ROWS - 1, VGA_ROWS);
}

static void newline(void)
{
    col = 0;
    if (++row == VGA_ROWS) {
        scroll();
        row = VGA_ROWS - 1;
    }
}

static void cursor_move(void)
{
    unsigned pos = row * VGA_COLS + (col < VGA_COLS ? col : VGA_COLS - 1);
    outb(CRTC_INDEX, 0x0A);                 // cursor start line; bit 5 hides it
    outb(CRTC_DATA, sgr.hidden_cursor ? 0x20 : 0x0E);
    outb(CRTC_INDEX, 0x0F);
    outb(CRTC_DATA, (uint8_t)pos);
    outb(CRTC_INDEX, 0x0E);
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
}

static void put(char c)
{
    if (col == VGA_COLS)
        newline();
    screen[row * VGA_COLS + col++] = cell(c);
}

// Moves one cell left; at the start of a row, to the end of the one above.
static void back(void)
{
    if (col > 0)
        col--;
    else if (row > 0) {
        row--;
        col = VGA_COLS - 1;
    }
}

// Parameter i of the sequence, or def when it is missing or 0.
static unsigned param(unsigned i, unsigned def)
{
    return i < nparams && params[i] ? params[i] : def;
}

static unsigned clamp(unsigned v, unsigned max)
{
    return v > max ? max : v;
}

// CSI J (erase in display) and K (erase in line): 0 from the cursor on,
// 1 up to the cursor, 2 (3) all.
static void erase(char final)
{
    unsigned here = row * VGA_COLS + clamp(col, VGA_COLS - 1);
    unsigned start = final == 'J' ? 0 : row * VGA_COLS;
    unsigned end = final == 'J' ? VGA_ROWS * VGA_COLS : (row + 1) * VGA_COLS;
    unsigned how = nparams ? params[0] : 0;
    if (how == 0)
        clear_cells(here, end);
    else if (how == 1)
        clear_cells(start, here + 1);
    else
        clear_cells(start, end);
}

// CSI @ (insert n blanks) and P (delete n characters) within the row.
static void shift_row(char final)
{
    unsigned c0 = clamp(col, VGA_COLS - 1), n = clamp(param(0, 1), VGA_COLS - c0);
    volatile uint16_t *r = screen + row * VGA_COLS;
    if (final == 'P') {
        for (unsigned c = c0; c + n < VGA_COLS; c++)
            r[c] = r[c + n];
        clear_cells(row * VGA_COLS + VGA_COLS - n, (row + 1) * VGA_COLS);
    } else {
        for (unsigned c = VGA_COLS - 1; c >= c0 + n; c--)
            r[c] = r[c - n];
        clear_cells(row * VGA_COLS + c0, row * VGA_COLS + c0 + n);
    }
}

// One SGR parameter: 0 plain, 1 bold, 22 not bold, 7 reverse, 27 not,
// 30-37 / 90-97 foreground, 40-47 / 100-107 background, 39 / 49 default.
static void sgr_one(unsigned p)
{
    static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
    if (p == 0)
        sgr.fg = 7, sgr.bg = 0, sgr.bold = sgr.reverse = 0;
    else if (p == 1)
        sgr.bold = 1;
    else if (p == 22)
        sgr.bold = 0;
    else if (p == 7)
        sgr.reverse = 1;
    else if (p == 27)
        sgr.reverse = 0;
    else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97))
        sgr.fg = ansi_to_vga[p % 10], sgr.bold |= p >= 90;
    else if (p == 39)
        sgr.fg = 7;
    else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107))
        sgr.bg = ansi_to_vga[p % 10];
    else if (p == 49)
        sgr.bg = 0;
}

static void sgr_all(void)
{
    if (!nparams)
        sgr_one(0);
    for (unsigned i = 0; i < nparams; i++)
        sgr_one(params[i]);
}

// Cursor movement: CSI A B C D (relative), E F (lines, to column 0),
// G (column), d (row), H f (row;column). Positions count from 1.
static int move(char final)
{
    unsigned n = param(0, 1), c = clamp(col, VGA_COLS - 1);
    switch (final) {
    case 'A': row -= clamp(n, row); break;
    case 'B': row = clamp(row + n, VGA_ROWS - 1); break;
    case 'C': col = clamp(c + n, VGA_COLS - 1); break;
    case 'D': col = c - clamp(n, c); break;
    case 'E': row = clamp(row + n, VGA_ROWS - 1); col = 0; break;
    case 'F': row -= clamp(n, row); col = 0; break;
    case 'G': col = clamp(n, VGA_COLS) - 1; break;
    case 'd': row = clamp(n, VGA_ROWS) - 1; break;
    case 'H':
    case 'f':
        row = clamp(param(0, 1), VGA_ROWS) - 1;
        col = clamp(param(1, 1), VGA_COLS) - 1;
        break;
    default: return 0;
    }
    return 1;
}

// Acts on a complete control sequence.
static void csi_final(char final)
{
    if (private_mode) {
        if ((final == 'h' || final == 'l') && param(0, 0) == 25)
            sgr.hidden_cursor = final == 'l';
        return;
    }
    if (move(final))
        return;
    switch (final) {
    case 'J': case 'K': erase(final); break;
    case '@': case 'P': shift_row(final); break;
    case 'm': sgr_all(); break;
    case 's': saved_row = row, saved_col = col; break;
    case 'u': row = saved_row, col = saved_col; break;
    }
}

// Collects a control sequence's parameters (digits and ';').
static void csi_byte(char c)
{
    if (c == '?' && !nparams && !private_mode) {
        private_mode = 1;
    } else if (c >= '0' && c <= '9') {
        if (!nparams)
            nparams = 1;
        unsigned *p = &params[nparams - 1];
        *p = *p > 9999 ? *p : *p * 10 + (unsigned)(c - '0');
    } else if (c == ';') {
        if (!nparams)
            nparams = 1;
        if (nparams < MAX_PARAMS)
            params[nparams++] = 0;
    } else if (c >= 0x40 && c <= 0x7e) {
        esc = ESC_NONE;
        csi_final(c);
    }
}

// ESC followed by c: '[' starts a control sequence; 7 and 8 save and
// restore the cursor; 'c' resets the screen.
static void esc_byte(char c)
{
    esc = ESC_NONE;
    if (c == '[') {
        esc = ESC_CSI;
        nparams = 0;
        private_mode = 0;
        params[0] = 0;
    } else if (c == '7') {
        saved_row = row, saved_col = col;
    } else if (c == '8') {
        row = saved_row, col = saved_col;
    } else if (c == 'c') {
        vga_reset();
        clear_rows(0, VGA_ROWS);
        row = col = 0;
    }
}

// Takes the bytes of escape sequences. A control byte ends a sequence
// and is drawn as usual. Returns 1 if c was taken.
static int escape(char c)
{
    if (c == 0x1b) {
        esc = ESC_START;
        return 1;
    }
    if (esc != ESC_NONE && (uint8_t)c < 0x20)
        esc = ESC_NONE;
    if (esc == ESC_START)
        esc_byte(c);
    else if (esc == ESC_CSI)
        csi_byte(c);
    else
        return 0;
    return 1;
}

// Draws one byte at the cursor: '\n' (to the start of the next line),
// '\r', '\b' (moves left, does not erase), tab (to a multiple of 8);
// other control bytes are ignored. Scrolls at the bottom.
void vga_putc(char c)
{
    if (!screen || escape(c))
        return;
    switch (c) {
    case '\n': newline(); break;
    case '\r': col = 0; break;
    case '\b': back(); break;
    case '\t':
        do
            put(' ');
        while (col % 8 && col < VGA_COLS);
        break;
    default:
        if ((uint8_t)c >= 0x20)
            put(c);
    }
}

// Draws n bytes, then moves the hardware cursor.
void vga_write(const char *s, size_t n)
{
    if (!screen)
        return;
    for (size_t i = 0; i < n; i++)
        vga_putc(s[i]);
    cursor_move();
}

// Plain attributes, a visible cursor, no half-read sequence (when a
// program that changed them ends).
void vga_reset(void)
{
    sgr_one(0);
    sgr.hidden_cursor = 0;
    esc = ESC_NONE;
    if (screen)
        cursor_move();
}

// Takes the mapped text buffer (NULL: no screen), clears it and homes
// the cursor.
void vga_init(volatile uint16_t *mem)
{
    screen = mem;
    if (!screen)
        return;
    clear_rows(0, VGA_ROWS);
    row = col = 0;
    cursor_move();
}
