// sleep: waits for a number of seconds, which may have a fraction.
// usage: sleep N          e.g. "sleep 2", "sleep 0.5"
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    unsigned long secs = 0, usecs = 0, scale = 100000;
    const char *p;

    if (argc != 2) {
        fprintf(stderr, "usage: sleep N\n");
        return 1;
    }
    // Whole seconds, then up to six digits of fraction (the rest ignored).
    p = argv[1];
    for (; *p >= '0' && *p <= '9'; p++)
        secs = secs * 10 + (unsigned long)(*p - '0');
    int digits = (int)(p - argv[1]);
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            usecs += (unsigned long)(*p - '0') * scale;
            scale /= 10;
        }
    }
    if (*p != '\0' || digits == 0) {
        fprintf(stderr, "sleep: %s: not a valid number of seconds\n", argv[1]);
        return 1;
    }

    // sleep() returns the time left if a signal cut it short.
    while (secs > 0) {
        unsigned chunk = secs > 1000000 ? 1000000 : (unsigned)secs;
        unsigned left = sleep(chunk);
        if (left == chunk)
            break;               // no progress at all: don't spin
        secs -= chunk - left;
    }
    if (usecs > 0)
        usleep((useconds_t)usecs);
    return 0;
}
