// newlib's <sys/resource.h> (getrusage) plus getrlimit and setrlimit,
// which report this system's per-process limits (kernel/include/uapi/
// limits.h, libc/posix/rlimit.c).
#ifndef OS_SYS_RESOURCE_H
#define OS_SYS_RESOURCE_H
#include_next <sys/resource.h>

typedef unsigned long rlim_t;
#define RLIM_INFINITY  (~0ul)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

struct rlimit {
    rlim_t rlim_cur, rlim_max;
};

#define RLIMIT_CPU     0
#define RLIMIT_FSIZE   1
#define RLIMIT_DATA    2
#define RLIMIT_STACK   3
#define RLIMIT_CORE    4
#define RLIMIT_RSS     5
#define RLIMIT_NPROC   6
#define RLIMIT_NOFILE  7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS      9

int getrlimit(int resource, struct rlimit *rl);
int setrlimit(int resource, const struct rlimit *rl);

#endif
