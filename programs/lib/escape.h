// Backslash escapes as printf(1), tr(1) and echo -e read them, shared by
// the programs in /bin.
#ifndef ESCAPE_H
#define ESCAPE_H
#include <stddef.h>

enum esc_kind {
    ESC_BYTE,       // *value holds one byte
    ESC_STOP,       // \c: stop all output
    ESC_LITERAL,    // not an escape: the backslash stands for itself
};

// Decodes the escape whose backslash is at s[-1]; s points at the letter
// after it. octal_0: a leading 0 in \0NNN is not one of the (up to 3)
// octal digits (printf's %b); otherwise \NNN takes up to 3 digits.
// Known letters: \" \\ \a \b \c \e \f \n \r \t \v, \xHH (1-2 hex digits),
// \NNN. Sets *used to the characters consumed after the backslash (0 for
// ESC_LITERAL at the end of the string) and *value to the byte.
enum esc_kind esc_decode(const char *s, int octal_0, size_t *used, int *value);

#endif
