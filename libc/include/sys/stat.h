// newlib's <sys/stat.h>, plus lstat, which newlib declares only for a few
// targets; this system has symbolic links (libc/posix/link.c).
#ifndef OS_SYS_STAT_H
#define OS_SYS_STAT_H
#include_next <sys/stat.h>

int lstat(const char *__restrict path, struct stat *__restrict st);

#endif
