// newlib's <sys/stat.h>, plus lstat and the special times of utimensat
// and futimens, which newlib declares only for a few targets; this system
// has them (libc/posix/link.c).
#ifndef OS_SYS_STAT_H
#define OS_SYS_STAT_H
#include_next <sys/stat.h>

int lstat(const char *__restrict path, struct stat *__restrict st);
#ifndef UTIME_NOW
#define UTIME_NOW  -2L
#define UTIME_OMIT -1L
#endif

#endif
