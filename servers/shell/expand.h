// Internals of word expansion shared by expand.c and param.c.
#ifndef EXPAND_H
#define EXPAND_H
#include <stddef.h>

// An expanded word being built: each character has a quoting mark.
enum { Q_LIT = 0, Q_QUOTED = 1, Q_EXP = 2 };   // literal, quoted, from an unquoted expansion

struct xbuf {
    char *s, *q;            // text and marks, both len long
    size_t len, cap;
    size_t *breaks;         // field breaks (between $@ members): position * 2 + soft
    int nbreaks;
    int any_quoted;         // the word had quotes: "" is a field
    int at_empty;           // "$@" with no parameters
};

void xput(struct xbuf *b, const char *s, size_t n, char q);
void xbreak(struct xbuf *b, int soft);   // soft: unquoted $@, no empty fields
void xfree(struct xbuf *b);
// Expands raw (a whole word, or the word of ${x-word}) into b; in_dq if
// inside "...". Returns -1 after an error message.
int expand_into(const char *raw, struct xbuf *b, int in_dq);
#endif
