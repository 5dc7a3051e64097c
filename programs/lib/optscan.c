// Option scanning for the programs in /bin (see optscan.h).
#include <stddef.h>
#include <string.h>
#include "optscan.h"

void optscan_init(struct optscan *s, int argc, char **argv)
{
    *s = (struct optscan){ .argc = argc, .argv = argv, .i = 1 };
}

// Moves to the letters of argv[i] when it is an option word; else ends
// the options (skipping a "--"). Returns 0 when they have ended.
static int enter_word(struct optscan *s)
{
    const char *a = s->i < s->argc ? s->argv[s->i] : NULL;
    if (!a || a[0] != '-' || !a[1]) {
        s->done = 1;
        return 0;
    }
    if (strcmp(a, "--") == 0) {
        s->i++;
        s->done = 1;
        return 0;
    }
    s->p = a + 1;
    return 1;
}

int optscan_next(struct optscan *s)
{
    while (!s->done) {
        if (!s->p && !enter_word(s))
            return 0;
        if (*s->p)
            return (unsigned char)*s->p++;
        s->p = NULL;
        s->i++;
    }
    return 0;
}

const char *optscan_value(struct optscan *s)
{
    const char *v = NULL;
    if (s->p && *s->p)
        v = s->p;
    else if (s->i + 1 < s->argc)
        v = s->argv[++s->i];
    else
        s->i = s->argc - 1;             // the scan ends at argc
    s->p = NULL;
    s->i++;
    return v;
}
