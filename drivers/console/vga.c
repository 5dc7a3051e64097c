// The VGA text screen: 80x25 cells of (attribute << 8 | character) in the
// mapped buffer at 0xB8000, with the hardware cursor moved through the
// CRTC ports 0x3D4/0x3D5.
#include "console.h"

#define VGA_COLS  80
#define VGA_ROWS  25
#define VGA_ATTR  0x07           // light grey on black
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5

enum { ESC_NONE, ESC_START, ESC_CSI };

static volatile uint16_t *screen;
static unsigned row, col;        // col == VGA_COLS: wrap before the next character
static uint8_t esc;

static uint16_t cell(char c)
{
    return (uint16_t)((uint8_t)c | VGA_ATTR << 8);
}

static void clear_rows(unsigned from, unsigned to)
{
    for (unsigned i = from * VGA_COLS; i < to * VGA_COLS; i++)
        screen[i] = cell(' ');
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

// Swallows ANSI escape sequences; understands ESC[...J (clear the screen)
// and ESC[...H (cursor home), ignoring their parameters. A control byte
// ends a sequence and is drawn as usual. Returns 1 if c was taken.
static int escape(char c)
{
    if (c == 0x1b) {
        esc = ESC_START;
        return 1;
    }
    if (esc != ESC_NONE && (uint8_t)c < 0x20)
        esc = ESC_NONE;                     // a control byte ends it
    if (esc == ESC_START) {
        esc = c == '[' ? ESC_CSI : ESC_NONE;
        return 1;
    }
    if (esc != ESC_CSI)
        return 0;
    if (c >= 0x40 && c <= 0x7e) {
        esc = ESC_NONE;
        if (c == 'J')
            clear_rows(0, VGA_ROWS);
        if (c == 'H')
            row = col = 0;
    }
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
