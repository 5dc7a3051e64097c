// Backslash escapes (see escape.h).
#include <ctype.h>
#include <string.h>
#include "escape.h"

static int hex_digit(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

// The byte a one-letter escape stands for, or -1 for none.
static int letter_value(char c)
{
    static const char letters[] = "\"\\abefnrtv";
    static const char values[] = "\"\\\a\b\033\f\n\r\t\v";
    const char *p = c ? strchr(letters, c) : NULL;
    return p ? (unsigned char)values[p - letters] : -1;
}

enum esc_kind esc_decode(const char *s, int octal_0, size_t *used, int *value)
{
    size_t n = 0;
    int v = 0;

    if (s[0] == 'x' && isxdigit((unsigned char)s[1])) {
        for (n = 1; n < 3 && isxdigit((unsigned char)s[n]); n++)
            v = v * 16 + hex_digit((unsigned char)s[n]);
    } else if (s[0] >= '0' && s[0] <= '7') {
        size_t start = (octal_0 && s[0] == '0') ? 1 : 0;
        for (n = start; n < start + 3 && s[n] >= '0' && s[n] <= '7'; n++)
            v = v * 8 + (s[n] - '0');
    } else if (s[0] == 'c') {
        *used = 1;
        return ESC_STOP;
    } else if ((v = letter_value(s[0])) >= 0) {
        n = 1;
    } else {
        *used = 0;
        *value = '\\';
        return ESC_LITERAL;
    }
    *used = n;
    *value = v & 0xff;
    return ESC_BYTE;
}
