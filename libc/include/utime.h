// newlib's <utime.h> (struct utimbuf) and the utime call, which newlib
// leaves to each system; this one has it (libc/posix/link.c).
#ifndef OS_UTIME_H
#define OS_UTIME_H
#include_next <utime.h>

int utime(const char *path, const struct utimbuf *times);

#endif
