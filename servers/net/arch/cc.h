// lwIP's architecture header for this system (newlib, x86-64) and for the
// host test (glibc): types come from <stdint.h>, diagnostics go to stdout,
// a failed assertion ends the process, and random numbers come from
// net_rand(), which the program provides.
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <sys/types.h>

// newlib's <limits.h> has no SSIZE_MAX; lwIP would then define its own
// ssize_t, which clashes with <sys/types.h>'s.
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif


uint32_t net_rand(void);
#define LWIP_RAND() net_rand()

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) \
    do { printf("lwip: assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
         fflush(stdout); abort(); } while (0)

#endif
