// Host tests of the console's scancode translation (drivers/console/kbd.c;
// only kbd_translate runs here, nothing touches the ports).
#include "check.h"
#include "../../drivers/console/kbd.c"

// Feeds scancode bytes; returns the characters they produced.
static const char *keys(const uint8_t *sc, size_t n)
{
    static char out[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int c = kbd_translate(sc[i]);
        const char *seq = kbd_sequence(c);
        for (; seq && *seq && k < sizeof out - 1; seq++)
            out[k++] = *seq;
        if (!seq && c >= 0 && k < sizeof out - 1)
            out[k++] = (char)c;
    }
    out[k] = 0;
    return out;
}

#define KEYS(...) keys((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void reset(void)
{
    memset(&kb, 0, sizeof kb);
}

TEST(letters_and_digits)
{
    reset();
    CHECK_STR(KEYS(0x23, 0xA3, 0x17, 0x97, 0x02, 0x82, 0x0B, 0x8B), "hi10");
}

TEST(tables_are_aligned)
{
    reset();
    CHECK_STR(KEYS(0x10, 0x1E, 0x2C, 0x32, 0x1A, 0x27, 0x28, 0x29, 0x2B, 0x35, 0x39), "qazm[;'`\\/ ");
    CHECK_STR(KEYS(0x47, 0x4A, 0x4E, 0x52, 0x53, 0x37), "7-+0.*");
    CHECK_EQ(kbd_translate(0x01), 0x1b);
    CHECK_EQ(kbd_translate(0x0E), '\b');
    CHECK_EQ(kbd_translate(0x0F), '\t');
    CHECK_EQ(kbd_translate(0x1C), '\r');
    CHECK_EQ(kbd_translate(0x3B), -1);   // F1
    CHECK_EQ(kbd_translate(0x58), -1);   // F12: past the table
}

TEST(shift_both_sides)
{
    reset();
    CHECK_STR(KEYS(0x2A, 0x1E, 0x02, 0xAA, 0x1E), "A!a");
    CHECK_STR(KEYS(0x36, 0x28, 0x0D, 0x33, 0x35, 0xB6, 0x28), "\"+<?'");
}

TEST(caps_lock_only_letters)
{
    reset();
    CHECK_STR(KEYS(0x3A, 0xBA, 0x1E, 0x02, 0x2A, 0x1E, 0xAA, 0x3A, 0xBA, 0x1E), "A1aa");
}

TEST(ctrl_letters)
{
    reset();
    CHECK_STR(KEYS(0x1D, 0x2E, 0x20, 0x16, 0x9D, 0x2E), "\x03\x04\x15" "c");
    CHECK_STR(KEYS(0xE0, 0x1D, 0x2E, 0xE0, 0x9D, 0x2E), "\x03" "c");   // right ctrl
}

TEST(break_codes_give_nothing)
{
    reset();
    CHECK_STR(KEYS(0x9E, 0x82, 0x9C), "");
}

TEST(extended_keys)
{
    reset();
    CHECK_STR(KEYS(0xE0, 0x1C, 0xE0, 0x35), "\r/");    // kp enter, kp /
    CHECK_STR(KEYS(0xE0, 0x2A, 0xE0, 0x37, 0x1E), "a");       // print screen's fake shift
}

TEST(pause_sequence_skipped)
{
    reset();
    CHECK_STR(KEYS(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E), "a");
    CHECK(!kb.ctrl_l);
}

TEST(editing_keys_send_vt_sequences)
{
    reset();
    CHECK_STR(KEYS(0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x50, 0xE0, 0x4D, 0xE0, 0x4B), "\x1b[A\x1b[B\x1b[C\x1b[D");
    CHECK_STR(KEYS(0xE0, 0x47, 0xE0, 0x4F), "\x1b[H\x1b[F");
    CHECK_STR(KEYS(0xE0, 0x52, 0xE0, 0x53, 0xE0, 0x49, 0xE0, 0x51), "\x1b[2~\x1b[3~\x1b[5~\x1b[6~");
    CHECK_STR(KEYS(0xE0, 0xC8, 0xE0, 0xD3), "");           // releases give nothing
    CHECK_STR(KEYS(0x47, 0x48, 0x53), "78.");              // the keypad (num lock) stays digits
    CHECK(kbd_sequence('a') == NULL);
    CHECK(kbd_sequence(-1) == NULL);
}

TEST(shifted_arrow_is_still_an_arrow)
{
    reset();
    CHECK_STR(KEYS(0x2A, 0xE0, 0x48, 0xAA, 0x1D, 0xE0, 0x4B, 0x9D), "\x1b[A\x1b[D");
}
