// Lines of any length (see linebuf.h).
#include <errno.h>
#include <stdlib.h>
#include "linebuf.h"

ssize_t linebuf_read(FILE *f, char **buf, size_t *cap)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (n + 2 > *cap) {
            size_t bigger = *cap ? *cap * 2 : 128;
            char *b = realloc(*buf, bigger);
            if (!b) {
                errno = ENOMEM;
                return -1;
            }
            *buf = b;
            *cap = bigger;
        }
        (*buf)[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (n == 0)
        return -1;
    (*buf)[n] = '\0';
    return (ssize_t)n;
}
