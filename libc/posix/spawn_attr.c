// The posix_spawnattr_t calls: a record of what the caller set, read by
// posix_spawn (libc/posix/spawn.c says which fields it acts on).
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include "spawn_attr.h"

#define FLAGS_KNOWN (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSCHEDPARAM | \
                     POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)

int posix_spawnattr_init(posix_spawnattr_t *a)
{
    *a = calloc(1, sizeof(**a));
    return *a ? 0 : ENOMEM;
}

int posix_spawnattr_destroy(posix_spawnattr_t *a)
{
    if (!a || !*a)
        return EINVAL;
    free(*a);
    *a = NULL;
    return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *a, short flags)
{
    if (flags & ~FLAGS_KNOWN)
        return EINVAL;
    (*a)->flags = flags;
    return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict a, short *__restrict flags)
{
    *flags = (*a)->flags;
    return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *a, pid_t pgroup)
{
    (*a)->pgroup = pgroup;
    return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict a, pid_t *__restrict pgroup)
{
    *pgroup = (*a)->pgroup;
    return 0;
}

int posix_spawnattr_setschedparam(posix_spawnattr_t *__restrict a,
                                  const struct sched_param *__restrict p)
{
    (*a)->param = *p;
    return 0;
}

int posix_spawnattr_getschedparam(const posix_spawnattr_t *__restrict a,
                                  struct sched_param *__restrict p)
{
    *p = (*a)->param;
    return 0;
}

int posix_spawnattr_setschedpolicy(posix_spawnattr_t *a, int policy)
{
    (*a)->policy = policy;
    return 0;
}

int posix_spawnattr_getschedpolicy(const posix_spawnattr_t *__restrict a, int *__restrict policy)
{
    *policy = (*a)->policy;
    return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict a, const sigset_t *__restrict s)
{
    (*a)->sigdef = *s;
    return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict a, sigset_t *__restrict s)
{
    *s = (*a)->sigdef;
    return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict a, const sigset_t *__restrict s)
{
    (*a)->sigmask = *s;
    return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *__restrict a, sigset_t *__restrict s)
{
    *s = (*a)->sigmask;
    return 0;
}
