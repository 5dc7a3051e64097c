// Program start under newlib: the start block, the first descriptors,
// the environment; and the small system calls newlib needs (sbrk, time,
// sleeping, and the ones this system does not have).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/times.h>
#include "libc.h"

struct startinfo os_start;
char **environ;
int main(int argc, char **argv, char **envp);

// Reads the start block proc wrote; a program started otherwise (by
// init) without one writes to the kernel log.
static void start_block_load(void)
{
    const struct startinfo *si = (const struct startinfo *)STARTINFO_VADDR;
    static const struct fd_desc klog = { FD_KLOG, 2 /* O_RDWR */, 0, 0 };
    struct startinfo tmp;
    if (sys_vm_write(H_SELF, (long)&tmp, (long)si, sizeof(tmp)) == 0 && tmp.magic == STARTINFO_MAGIC) {
        os_start = tmp;
    } else {
        memset(&os_start, 0, sizeof(os_start));
        os_start.pid = (int)sys_proc_self();
        for (int i = 0; i < 3; i++)
            os_start.fds[i] = klog;
        strcpy(os_start.cwd, "/");
    }
    for (int i = 0; i < 3; i++)              // a closed one leaves its number free
        if (os_start.fds[i].type != FD_NONE)
            fd_install_at(i, &os_start.fds[i]);
}

__attribute__((used)) static _Noreturn void libc_start(uint64_t *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    environ = argv + argc + 1;
    start_block_load();
    exit(main(argc, argv, environ));
}

__asm__(".globl _start\n"
        "_start:\n"
        "  mov %rsp, %rdi\n"
        "  xor %ebp, %ebp\n"
        "  and $-16, %rsp\n"
        "  call libc_start\n"
        "  ud2\n");

void _init(void) {}
void _fini(void) {}

#define HEAP_BASE 0x0000600000000000ul
#define HEAP_MAX  (1ul << 30)

void *sbrk(ptrdiff_t inc)
{
    static uint64_t brk = HEAP_BASE, mapped = HEAP_BASE;
    uint64_t old = brk;
    if (inc < 0 || brk + (uint64_t)inc > HEAP_BASE + HEAP_MAX) {
        errno = ENOMEM;
        return (void *)-1;
    }
    uint64_t want = (brk + (uint64_t)inc + 4095) & ~4095ul;
    if (want > mapped) {
        if (sys_vm_map(H_SELF, (long)mapped, (long)(want - mapped), PROT_READ | PROT_WRITE)) {
            errno = ENOMEM;
            return (void *)-1;
        }
        mapped = want;
    }
    brk += (uint64_t)inc;
    return (void *)old;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    long ns = sys_wallclock();
    tv->tv_sec = ns / 1000000000;
    tv->tv_usec = (ns % 1000000000) / 1000;
    return 0;
}

clock_t times(struct tms *t)
{
    clock_t ticks = (clock_t)(sys_time() / (1000000000 / CLOCKS_PER_SEC));
    if (t)
        *t = (struct tms){ ticks, 0, 0, 0 };
    return ticks;
}

// CLOCK_REALTIME comes from the RTC read at boot, CLOCK_MONOTONIC counts
// from boot; both advance with the 1 ms timer tick.
int clock_gettime(clockid_t clock, struct timespec *ts)
{
    long ns;
    if (clock == CLOCK_REALTIME)
        ns = sys_wallclock();
    else if (clock == CLOCK_MONOTONIC)
        ns = sys_time();
    else
        return (int)rpc_result(-EINVAL);
    *ts = (struct timespec){ ns / 1000000000, ns % 1000000000 };
    return 0;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
        return (int)rpc_result(-EINVAL);
    if (res)
        *res = (struct timespec){ 0, 1000000 };
    return 0;
}

// Sleeps with the timer's millisecond resolution, rounding up; long sleeps
// go in hour-long steps (the kernel's limit for one sleep is a day).
int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000)
        return (int)rpc_result(-EINVAL);
    uint64_t ms = (uint64_t)req->tv_sec * 1000 + ((uint64_t)req->tv_nsec + 999999) / 1000000;
    for (; ms > 3600000; ms -= 3600000)
        sys_sleep(3600000);
    if (ms)
        sys_sleep((long)ms);
    if (rem)
        *rem = (struct timespec){ 0, 0 };
    return 0;
}

int usleep(useconds_t us)
{
    struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
    return nanosleep(&ts, NULL);
}

unsigned sleep(unsigned s)
{
    struct timespec ts = { (time_t)s, 0 };
    nanosleep(&ts, NULL);
    return 0;
}

int fork(void) { return (int)rpc_result(-ENOSYS); }
int execve(const char *p, char *const a[], char *const e[]) { (void)p; (void)a; (void)e; return (int)rpc_result(-ENOSYS); }
