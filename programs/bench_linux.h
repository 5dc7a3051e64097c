// bench_linux.h: Linux's counterparts of the calls programs/bench.c makes,
// for its Linux build (make compare; bench_linux_main.h has its main):
//   sys_proc_self   getppid (a system call that does next to nothing)
//   sys_busy_tsc    rdtsc (a cached read never waits idle)
//   os_spawn        posix_spawn
#ifndef BENCH_LINUX_H
#define BENCH_LINUX_H
#include <spawn.h>

extern char **environ;

static inline long sys_proc_self(void)
{
    return (long)getppid();
}

static inline long sys_busy_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (long)(((uint64_t)hi << 32) | lo);
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
