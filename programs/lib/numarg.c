// Number arguments of the programs in /bin (see numarg.h).
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "numarg.h"

// Multiplier for a count's suffix, or 0 when the suffix is unknown.
static unsigned long long suffix_value(const char *s)
{
    static const struct { const char *name; unsigned long long value; } table[] = {
        { "", 1 }, { "b", 512 }, { "K", 1024 }, { "KiB", 1024 }, { "kB", 1000 },
        { "M", 1024 * 1024 }, { "MiB", 1024 * 1024 }, { "MB", 1000 * 1000 },
        { "G", 1024ULL * 1024 * 1024 }, { "GiB", 1024ULL * 1024 * 1024 },
        { "GB", 1000ULL * 1000 * 1000 },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(s, table[i].name) == 0)
            return table[i].value;
    return 0;
}

int numarg_count(const char *s, unsigned long long *out)
{
    char *end;
    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    unsigned long long mul = suffix_value(end);
    if (errno == ERANGE || mul == 0)
        return -1;
    if (n != 0 && mul > ~0ULL / n)
        return -1;
    *out = n * mul;
    return 0;
}

int numarg_integer(const char *s, long long *out)
{
    char *end;
    while (isblank((unsigned char)*s))
        s++;
    const char *digits = s + (*s == '-' || *s == '+');
    if (!isdigit((unsigned char)*digits))
        return -1;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    while (isblank((unsigned char)*end))
        end++;
    if (errno == ERANGE || *end != '\0')
        return -1;
    *out = n;
    return 0;
}
