// date: prints the date and time.
// usage: date [-u] [-d @SECONDS] [+FORMAT]
// The time is the real-time clock's (read from the CMOS clock at boot).
// Without FORMAT the output is GNU date's default in the C locale,
// "%a %b %e %H:%M:%S %Z %Y". The time zone is UTC unless TZ is set (a
// POSIX TZ string such as "EST5EDT"); -u forces UTC. -d @SECONDS shows
// that moment (seconds since 1970) instead of now.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "prog.h"

#define USAGE "[-u] [-d @SECONDS] [+FORMAT]"

// Parses "@SECONDS" into *t; 0, or -1 for anything else.
static int parse_at(const char *s, time_t *t)
{
    char *end;
    if (s[0] != '@' || !s[1])
        return -1;
    errno = 0;
    long long v = strtoll(s + 1, &end, 10);
    if (*end || errno)
        return -1;
    *t = (time_t)v;
    return 0;
}

// Formats t with fmt on standard output; 0 or 1 (the exit status).
static int show(time_t t, const char *fmt)
{
    struct tm *tm = localtime(&t);
    size_t cap = strlen(fmt) * 8 + 256;
    char *buf = malloc(cap);
    if (!tm || !buf) {
        prog_warn("cannot format the time");
        free(buf);
        return 1;
    }
    size_t n = *fmt ? strftime(buf, cap, fmt, tm) : 0;
    buf[n] = 0;
    printf("%s\n", buf);
    free(buf);
    return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
    time_t t = time(NULL);
    int utc = 0;

    prog_init(argv[0]);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-u")) {
            utc = 1;
        } else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
            if (parse_at(argv[++i], &t) < 0) {
                prog_warn("invalid date '%s'", argv[i]);
                return 1;
            }
        } else if (argv[i][0] == '+') {
            fmt = argv[i] + 1;
        } else {
            prog_warn("invalid argument '%s'", argv[i]);
            prog_usage(USAGE, 1);
        }
    }
    if (utc || !getenv("TZ"))
        setenv("TZ", "UTC0", 1);
    tzset();
    return show(t, fmt);
}
