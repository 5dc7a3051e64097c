// read [-r] [name...]: one line of standard input split into variables.
// (test, [, printf and echo are the programs' code: programs/lib/cmds.h.)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

// Reads one line from fd 0 a byte at a time (so that nothing after it is
// taken from a shared input). -r: backslashes are kept. Returns -1 at the
// end of the input with nothing read.
static int read_line0(char **line, int raw)
{
    size_t len = 0, cap = 64;
    char *s = malloc(cap), c;
    int got_any = 0;
    if (!s)
        abort();
    for (;;) {
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got_any = 1;
        if (c == '\\' && !raw) {
            if (read(0, &c, 1) != 1)
                break;
            if (c == '\n')
                continue;
            if (len + 3 > cap && !(s = realloc(s, cap *= 2)))
                abort();
            s[len++] = '\\';          // kept to mark the next character as literal
        } else if (c == '\n') {
            s[len] = 0;
            *line = s;
            return 0;
        }
        if (len + 3 > cap && !(s = realloc(s, cap *= 2)))
            abort();
        s[len++] = c;
    }
    s[len] = 0;
    *line = s;
    return got_any ? 1 : -1;
}

// Takes the next field off *p by IFS; the last name gets the rest.
static char *take_field(char **p, const char *ifs, int last, int raw)
{
    char *s = *p, *o, *start;
    while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
        s++;
    start = o = s;
    while (*s) {
        if (!raw && *s == '\\' && s[1]) {
            *o++ = s[1];
            s += 2;
            continue;
        }
        if (!last && strchr(ifs, *s))
            break;
        *o++ = *s++;
    }
    char *end = o;
    if (*s)
        s++;
    while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
        s++;
    if (last)
        while (end > start && strchr(ifs, end[-1]) && strchr(" \t\n", end[-1]))
            end--;
    *end = 0;
    *p = s;
    return start;
}

int b_read(int argc, char **argv, int out, int err)
{
    int i = 1, raw = 0;
    (void)out;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-r")) {
            fdprintf(err, "sh: read: %s: unknown option\n", argv[i]);
            return 2;
        }
        raw = 1;
    }
    char *line, *p;
    int r = read_line0(&line, raw);
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    p = line;
    if (i == argc) {
        var_set("REPLY", take_field(&p, "", 1, raw));
    }
    for (; i < argc; i++) {
        char *f = take_field(&p, ifs, i == argc - 1, raw);
        if (var_set(argv[i], f) < 0)
            fdprintf(err, "sh: read: %s: bad variable name\n", argv[i]);
    }
    free(line);
    return r != 0;
}
