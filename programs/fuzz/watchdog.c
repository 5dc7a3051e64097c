// A watchdog over the CPUs for long test programs (fuzz, and chaos, which
// links this file too): every CPU must keep taking timer interrupts. A
// CPU stuck with interrupts off (a deadlock in the kernel, say) stops
// counting them.
#include <stdio.h>
#include "os.h"
#include "watchdog.h"

#define WATCH_MAX 8

static unsigned long last_ticks[WATCH_MAX];
static long since;                               // system time of the last look
static int stalls;

// Looks at the CPUs' tick counts; over each second (or more) of system
// time since the last look, every CPU must have moved on. Prints a line
// for each that did not and returns the number of stalls seen so far.
int prog_watchdog(const char *name)
{
    long now = sys_time();
    if (since && now - since < 1000000000l)
        return stalls;
    struct cpu_info ci;
    for (int i = 0; i < WATCH_MAX && sys_cpu_info(i, (long)&ci) == 0; i++) {
        if (since && ci.ticks == last_ticks[i]) {
            printf("%s: watchdog: CPU %d took no timer interrupt in %ld ms\n", name, i,
                   (now - since) / 1000000);
            stalls++;
        }
        last_ticks[i] = ci.ticks;
    }
    since = now;
    return stalls;
}
