// getrlimit and setrlimit: the per-process limits of uapi/limits.h as
// POSIX names them. Data and address space: LIMIT_PAGES pages; files:
// OPEN_MAX descriptors; processes: LIMIT_CHILDREN children; stack: the
// main stack this process was given (found by probing its top pages);
// core files: none are written (0); the rest have no limit. The limits
// are fixed: setrlimit accepts only the values they already have (so
// setting RLIMIT_CORE to 0 works) and refuses any change with EPERM.
#include <errno.h>
#include <sys/resource.h>
#include "libc.h"
#include "uapi/limits.h"

#define STACK_TOP 0x00007ffffff00000ul   // as libc/os/spawn.c maps it
#define PAGE      4096ul

// True when the page at va is mapped in this process.
static int mapped(unsigned long va)
{
    char probe;
    return sys_vm_write(H_SELF, (long)&probe, (long)va, 1) == 0;
}

// The size of the main stack: mapped pages below STACK_TOP, found by a
// binary search over whole pages (the stack is one contiguous mapping).
static unsigned long stack_size(void)
{
    unsigned long lo = 1, hi = LIMIT_STACK / PAGE + 1;  // lo pages mapped, hi not
    if (!mapped(STACK_TOP - PAGE))
        return 0;
    while (hi - lo > 1) {
        unsigned long mid = (lo + hi) / 2;
        if (mapped(STACK_TOP - mid * PAGE))
            lo = mid;
        else
            hi = mid;
    }
    return lo * PAGE;
}

// The fixed limit of a resource, or -EINVAL.
static long limit_of(int resource, rlim_t *out)
{
    switch (resource) {
    case RLIMIT_DATA:
    case RLIMIT_AS:     *out = (rlim_t)LIMIT_PAGES * PAGE; return 0;
    case RLIMIT_STACK:  *out = stack_size(); return 0;
    case RLIMIT_CORE:   *out = 0; return 0;
    case RLIMIT_NPROC:  *out = LIMIT_CHILDREN; return 0;
    case RLIMIT_NOFILE: *out = OPEN_MAX; return 0;
    case RLIMIT_CPU:
    case RLIMIT_FSIZE:
    case RLIMIT_RSS:
    case RLIMIT_MEMLOCK: *out = RLIM_INFINITY; return 0;
    default:            return -EINVAL;
    }
}

int getrlimit(int resource, struct rlimit *rl)
{
    rlim_t v;
    long e = limit_of(resource, &v);
    if (e < 0)
        return (int)rpc_result(e);
    rl->rlim_cur = rl->rlim_max = v;
    return 0;
}

int setrlimit(int resource, const struct rlimit *rl)
{
    rlim_t v;
    long e = limit_of(resource, &v);
    if (e == 0 && (rl->rlim_cur > rl->rlim_max))
        e = -EINVAL;
    else if (e == 0 && (rl->rlim_cur != v || rl->rlim_max != v))
        e = -EPERM;
    return (int)rpc_result(e);
}
