// bench_linux.h: Linux's counterparts of the calls programs/bench.c makes,
// for its Linux build (make compare; bench_linux_main.h has its main):
//   sys_proc_self   getppid (a system call that does next to nothing)
//   sys_busy_tsc    rdtsc (a cached read never waits idle); for the network
//                   keys (busy_less_idle set) less the time the kernel
//                   counted idle, read from /proc/timer_list
//   os_spawn        posix_spawn
#ifndef BENCH_LINUX_H
#define BENCH_LINUX_H
#include <spawn.h>
#include <string.h>
#include <fcntl.h>

extern char **environ;

static inline long sys_proc_self(void)
{
    return (long)getppid();
}

// Reads /proc/timer_list (proc must be mounted): *now the nanoseconds
// since the kernel's clock started, *idle the part of them CPU 0 spent
// idle (its tick's idle_sleeptime). Under -icount a nanosecond is one
// instruction's time. 0 if both were found.
static int linux_clock(long *now, long *idle)
{
    static char text[1 << 16];
    int fd = open("/proc/timer_list", O_RDONLY);
    long len = 0, r;
    while (fd >= 0 && len < (long)sizeof(text) - 1 &&
           (r = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
        len += r;
    text[len] = 0;
    if (fd >= 0)
        close(fd);
    char *n = strstr(text, "now at "), *i = strstr(text, ".idle_sleeptime");
    if (!n || !i)
        return -1;
    i += strlen(".idle_sleeptime");
    while (*i == ' ' || *i == ':')                    // "  .idle_sleeptime  : N nsecs"
        i++;
    *now = strtol(n + strlen("now at "), NULL, 10);
    *idle = strtol(i, NULL, 10);
    return 0;
}

static int busy_less_idle;

static inline long sys_busy_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    long t = (long)(((uint64_t)hi << 32) | lo), now, idle;
    if (busy_less_idle && linux_clock(&now, &idle) == 0)
        t -= idle;
    return t;
}

// Starts path with argv and envp; the standard descriptors are shared.
static inline pid_t os_spawn(const char *path, char **argv, char **envp, int fds[3],
                             int flags, int prio)
{
    (void)fds, (void)flags, (void)prio;
    pid_t pid;
    return posix_spawn(&pid, path, NULL, NULL, argv, envp) ? -1 : pid;
}

#endif
