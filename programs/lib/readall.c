// Whole inputs in memory (see readall.h).
#include <errno.h>
#include <stdlib.h>
#include "readall.h"

int read_all(FILE *f, char **buf, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);

    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (ferror(f)) {
            int err = errno;
            free(b);
            *buf = NULL;
            *len = 0;
            errno = err ? err : EIO;
            return -1;
        }
        if (n < cap) {
            *buf = b;
            *len = n;
            return 0;
        }
        char *bigger = realloc(b, cap * 2);
        if (!bigger)
            free(b);
        b = bigger;
        cap *= 2;
    }
    errno = ENOMEM;
    *buf = NULL;
    *len = 0;
    return -1;
}

size_t last_lines_start(const char *buf, size_t len, unsigned long long n)
{
    size_t pos = len;

    if (n == 0)
        return len;
    if (pos > 0 && buf[pos - 1] == '\n')
        pos--;
    for (; pos > 0; pos--)
        if (buf[pos - 1] == '\n' && --n == 0)
            return pos;
    return 0;
}
