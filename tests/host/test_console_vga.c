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

// The attribute byte of the cell at (r, c).
static unsigned attr_at(unsigned r, unsigned c)
{
    return buf[r * VGA_COLS + c] >> 8;
}

TEST(cursor_position_and_relative_moves)
{
    reset();
    put_str("\x1b[5;10HX");
    CHECK_EQ(buf[4 * VGA_COLS + 9] & 0xff, 'X');
    put_str("\x1b[2A\x1b[3DY");             // up 2, back 3
    CHECK_EQ(buf[2 * VGA_COLS + 7] & 0xff, 'Y');
    put_str("\x1b[B\x1b[4CZ\x1b[H");         // down 1, forward 4, home
    CHECK_EQ(buf[3 * VGA_COLS + 12] & 0xff, 'Z');
    CHECK_EQ(row, 0);
    CHECK_EQ(col, 0);
    put_str("\x1b[99;999H");                 // clamped to the screen
    CHECK_EQ(row, VGA_ROWS - 1);
    CHECK_EQ(col, VGA_COLS - 1);
    put_str("\x1b[99A\x1b[99D");
    CHECK_EQ(row, 0);
    CHECK_EQ(col, 0);
    put_str("\x1b[7G\x1b[3d");
    CHECK_EQ(col, 6);
    CHECK_EQ(row, 2);
}

TEST(erase_in_line_and_display)
{
    reset();
    put_str("abcdef\nghijkl\nmnopqr");
    put_str("\x1b[1;3H\x1b[K");              // from the cursor to the end of row 0
    CHECK_STR(row_text(0), "ab");
    put_str("\x1b[2;3H\x1b[1K");             // row 1 up to and with the cursor
    CHECK_EQ(buf[VGA_COLS + 2] & 0xff, ' ');
    CHECK_EQ(buf[VGA_COLS + 3] & 0xff, 'j');
    put_str("\x1b[2K");
    CHECK_STR(row_text(1), "");
    put_str("\x1b[3;2H\x1b[J");              // from the cursor to the end of the screen
    CHECK_STR(row_text(2), "m");
    CHECK_STR(row_text(0), "ab");
    put_str("\x1b[1J");
    CHECK_STR(row_text(0), "");
}

TEST(sgr_reverse_and_colours)
{
    reset();
    put_str("\x1b[7mR\x1b[0mN\x1b[31;44mC\x1b[1;32mB\x1b[39;49mD\x1b[mE");
    CHECK_EQ(attr_at(0, 0), 0x70);           // reverse: black on grey
    CHECK_EQ(attr_at(0, 1), 0x07);
    CHECK_EQ(attr_at(0, 2), 0x14);           // red on blue
    CHECK_EQ(attr_at(0, 3), 0x1A);           // bright green on blue
    CHECK_EQ(attr_at(0, 4), 0x0F);           // bold stays, colours default
    CHECK_EQ(attr_at(0, 5), 0x07);
    put_str("\x1b[7m\x1b[27mx\x1b[95my");
    CHECK_EQ(attr_at(0, 6), 0x07);
    CHECK_EQ(attr_at(0, 7), 0x0D);           // bright magenta
    sgr_one(0);
}

TEST(cursor_hide_show_and_save_restore)
{
    reset();
    put_str("\x1b[?25l");
    CHECK(sgr.hidden_cursor);
    put_str("\x1b[?25h");
    CHECK(!sgr.hidden_cursor);
    put_str("\x1b[3;4H\x1b" "7\x1b[10;10Hq\x1b" "8w\x1b[s\x1b[H\x1b[u");
    CHECK_EQ(buf[2 * VGA_COLS + 3] & 0xff, 'w');
    CHECK_EQ(row, 2);
    CHECK_EQ(col, 4);
}

TEST(insert_and_delete_characters)
{
    reset();
    put_str("abcdef\x1b[1;3H\x1b[2P");
    CHECK_STR(row_text(0), "abef");
    put_str("\x1b[3@");
    CHECK_STR(row_text(0), "ab   ef");
    put_str("\x1b[200P");
    CHECK_STR(row_text(0), "ab");
}

TEST(full_screen_redraw_as_an_editor_does)
{
    reset();
    put_str("\x1b[H\x1b[2J");
    for (int r = 1; r <= VGA_ROWS; r++) {
        char s[64];
        snprintf(s, sizeof s, "\x1b[%d;1H\x1b[Kline%d", r, r);
        put_str(s);
    }
    CHECK_STR(row_text(0), "line1");
    CHECK_STR(row_text(VGA_ROWS - 1), "line25");   // no scroll at the last row
}
