// date: prints the date and time.
// usage: date [-u] [-d @SECONDS] [-R | -I[date|hours|minutes|seconds] | +FORMAT]
// The time is the real-time clock's (read from the CMOS clock at boot).
// Without FORMAT the output is GNU date's default in the C locale,
// "%a %b %e %H:%M:%S %Z %Y". The time zone is UTC unless TZ is set (a
// POSIX TZ string such as "EST5EDT"); -u forces UTC. -d @SECONDS shows
// that moment (seconds since 1970) instead of now. -R is RFC 5322's form
// ("Tue, 14 Nov 2023 22:13:20 +0000"), -I ISO 8601's to the precision
// named ("2023-11-14T22:13+00:00"; the date alone by default).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "prog.h"

#define USAGE "[-u] [-d @SECONDS] [-R | -I[date|hours|minutes|seconds] | +FORMAT]"
#define ISO_ZONE "\x01"                  // stands for the zone as +hh:mm (made by show)

// The strftime format for -I with precision spec ("" as "date"), or NULL.
static const char *iso_format(const char *spec)
{
    static const char *const names[] = { "", "date", "hours", "minutes", "seconds" };
    static const char *const formats[] = { "%F", "%F", "%FT%H" ISO_ZONE, "%FT%H:%M" ISO_ZONE,
                                           "%FT%H:%M:%S" ISO_ZONE };
    for (int i = 0; i < 5; i++)
        if (!strcmp(spec, names[i]))
            return formats[i];
    return NULL;
}

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
    char *zone = strchr(buf, ISO_ZONE[0]);
    if (zone) {                              // ISO 8601 wants the zone as +hh:mm
        char z[8];
        strftime(z, sizeof(z), "%z", tm);
        *zone = 0;
        printf("%s%.3s:%.2s\n", buf, z, z + 3);
    } else {
        printf("%s\n", buf);
    }
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
        } else if (!strcmp(argv[i], "-R")) {
            fmt = "%a, %d %b %Y %H:%M:%S %z";
        } else if (!strncmp(argv[i], "-I", 2)) {
            if (!(fmt = iso_format(argv[i] + 2))) {
                prog_warn("invalid argument '%s' for '--iso-8601'", argv[i] + 2);
                prog_usage(USAGE, 1);
            }
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
