// newlib's <time.h>, plus what this system provides that newlib declares
// only for targets with POSIX timers: nanosleep and the clocks.
#ifndef OS_TIME_H
#define OS_TIME_H
#include_next <time.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(clockid_t clock, struct timespec *ts);
int clock_getres(clockid_t clock, struct timespec *res);

#endif
