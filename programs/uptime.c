// uptime: how long the system has been running.
// usage: uptime [-p | -s]
// Default: " HH:MM:SS up DURATION" as procps prints the start of its line
// (DURATION is "N min", "H:MM", with "D day(s), " before it); this system
// has no logins and keeps no load average, so those fields are left out.
// -p: "up 2 hours, 5 minutes" (pretty); -s: the boot moment,
// "YYYY-MM-DD HH:MM:SS". Times are UTC unless TZ is set.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "prog.h"

// Appends "N unit(s)" to buf (with ", " before all but the first).
static void pretty_part(char *buf, size_t cap, long n, const char *unit)
{
    size_t len = strlen(buf);
    if (n == 0)
        return;
    snprintf(buf + len, cap - len, "%s%ld %s%s", len > 2 ? ", " : " ", n, unit, n == 1 ? "" : "s");
}

static void print_pretty(long up)
{
    char buf[128] = "up";
    long days = up / 86400, hours = up / 3600 % 24, mins = up / 60 % 60;
    pretty_part(buf, sizeof(buf), days / 7, "week");
    pretty_part(buf, sizeof(buf), days % 7, "day");
    pretty_part(buf, sizeof(buf), hours, "hour");
    pretty_part(buf, sizeof(buf), mins, "minute");
    if (up < 60)
        strcat(buf, " 0 minutes");
    printf("%s\n", buf);
}

static void print_default(time_t now, long up)
{
    struct tm *tm = localtime(&now);
    long days = up / 86400, hours = up / 3600 % 24, mins = up / 60 % 60;
    printf(" %02d:%02d:%02d up ", tm->tm_hour, tm->tm_min, tm->tm_sec);
    if (days)
        printf("%ld day%s, ", days, days == 1 ? "" : "s");
    if (hours)
        printf("%2ld:%02ld\n", hours, mins);
    else
        printf("%ld min\n", mins);
}

int main(int argc, char **argv)
{
    struct timespec mono, real;
    prog_init(argv[0]);
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "-p") && strcmp(argv[1], "-s"))) {
        prog_warn("invalid argument '%s'", argv[argc - 1]);
        prog_usage("[-p | -s]", 1);
    }
    if (!getenv("TZ"))
        setenv("TZ", "UTC0", 1);
    tzset();
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_REALTIME, &real);
    long up = (long)mono.tv_sec;
    if (argc == 1) {
        print_default(real.tv_sec, up);
    } else if (argv[1][1] == 'p') {
        print_pretty(up);
    } else {
        time_t boot = real.tv_sec - up;
        char buf[32];
        strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", localtime(&boot));
        printf("%s\n", buf);
    }
    return fflush(stdout) ? 1 : 0;
}
