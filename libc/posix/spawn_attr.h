// posix_spawnattr_t as this system keeps it (libc/posix/spawn*.c).
#ifndef SPAWN_ATTR_H
#define SPAWN_ATTR_H
#include <sched.h>
#include <signal.h>
#include <sys/types.h>

struct __posix_spawnattr {
    short flags;                 // POSIX_SPAWN_*
    pid_t pgroup;
    int policy;
    struct sched_param param;
    sigset_t sigdef, sigmask;
};

#endif
