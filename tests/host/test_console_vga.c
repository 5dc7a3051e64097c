// Host tests of the console's text-screen drawing (drivers/console/vga.c):
// vga_putc on a buffer in memory; the cursor ports are not touched.
#include "check.h"
#include "../../drivers/console/vga.c"

static uint16_t buf[VGA_ROWS * VGA_COLS];

static void reset(void)
{
    screen = buf;
    clear_rows(0, VGA_ROWS);
    row = col = 0;
    esc = ESC_NONE;
}

static void put_str(const char *s)
{
    while (*s)
        vga_putc(*s++);
}

// The characters of one row, trailing blanks dropped.
static const char *row_text(unsigned r)
{
    static char out[VGA_COLS + 1];
    int end = 0;
    for (unsigned c = 0; c < VGA_COLS; c++) {
        out[c] = (char)(buf[r * VGA_COLS + c] & 0xff);
        if (out[c] != ' ')
            end = (int)c + 1;
    }
    out[end] = 0;
    return out;
}

TEST(text_and_attribute)
{
    reset();
    put_str("hi");
    CHECK_STR(row_text(0), "hi");
    CHECK_EQ(buf[0], 'h' | 0x0700);
    CHECK_EQ(col, 2);
}

TEST(newline_and_carriage_return)
{
    reset();
    put_str("abc\ndef\rX\r\nz");
    CHECK_STR(row_text(0), "abc");
    CHECK_STR(row_text(1), "Xef");
    CHECK_STR(row_text(2), "z");
}

TEST(backspace_space_backspace_erases)
{
    reset();
    put_str("abc\b \b\bZ");
    CHECK_STR(row_text(0), "aZ");
    CHECK_EQ(col, 2);
    put_str("\b\b\b\b");
    CHECK_EQ(col, 0);                    // stops at the top-left corner
}

TEST(tab_stops)
{
    reset();
    put_str("a\tb\t\tc");
    CHECK_STR(row_text(0), "a       b               c");
}

TEST(wrap_is_deferred)
{
    reset();
    for (int i = 0; i < VGA_COLS; i++)
        vga_putc('x');
    CHECK_EQ(row, 0);                    // a full row and '\n' make no blank row
    put_str("\ny");
    CHECK_STR(row_text(1), "y");
    for (int i = 0; i < VGA_COLS - 1; i++)
        vga_putc('w');                   // row 1 is now full
    put_str("v\b \b\b \b");              // erase back across the wrap
    CHECK_EQ(row, 1);
    CHECK_EQ(col, VGA_COLS - 1);
    CHECK_EQ(buf[2 * VGA_COLS] & 0xff, ' ');
    CHECK_EQ(buf[2 * VGA_COLS - 1] & 0xff, ' ');
}

TEST(scrolls_at_bottom)
{
    reset();
    char line[32];
    for (int i = 0; i < 30; i++) {
        snprintf(line, sizeof line, "line %d\n", i);
        put_str(line);
    }
    CHECK_STR(row_text(0), "line 6");
    CHECK_STR(row_text(VGA_ROWS - 2), "line 29");
    CHECK_STR(row_text(VGA_ROWS - 1), "");
    CHECK_EQ(row, VGA_ROWS - 1);
}

TEST(escape_sequences)
{
    reset();
    put_str("junk\n\x1b[1;31mred\x1b[0m");
    CHECK_STR(row_text(1), "red");
    put_str("\x1b[2J\x1b[Htop");
    CHECK_STR(row_text(0), "top");
    CHECK_STR(row_text(1), "");
    put_str("\x1b\nnext");               // a control byte ends a sequence
    CHECK_STR(row_text(1), "next");
}

TEST(control_bytes_ignored)
{
    reset();
    put_str("a\x07\x01" "b");
    CHECK_STR(row_text(0), "ab");
}
