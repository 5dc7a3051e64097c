// bench_linux_main.h: the end of programs/bench.c built for Linux (make
// compare), where bench is the /init of an initramfs: it measures the
// operations both systems have with the same functions of bench.c as on
// this system, prints "bench: NAME N" lines on the console and powers
// the machine off. The round trip through two pipes between two
// processes stands beside this system's IPC round trip.
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>

static void die(const char *what)
{
    printf("bench: %s failed\n", what);
    fflush(stdout);
    reboot(RB_POWER_OFF);
    exit(1);
}

// One byte to a child through one pipe and back through another.
static void bench_pipe(void)
{
    int there[2], back[2];
    char c = 1;
    if (pipe(there) || pipe(back))
        die("pipe");
    pid_t child = fork();
    if (child < 0)
        die("fork");
    if (child == 0) {
        close(there[1]);                             // so that ours closing ends the loop
        close(back[0]);
        while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1)
            ;
        _exit(0);
    }
    if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)   // warm up
        die("pipe round trip");
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = tsc();
        for (int k = 0; k < INNER; k++)
            if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
                die("pipe round trip");
        samples[i] = (tsc() - t0) / INNER;
    }
    report("pipe_roundtrip", SAMPLES);
    close(there[1]);
    waitpid(child, NULL, 0);
    close(there[0]);
    close(back[0]);
    close(back[1]);
}

// An 8 MiB file in the initramfs's file system (in memory), read 4 KiB
// at a time as on this system.
static void bench_linux_files(void)
{
    int fd = open("/tmp/bench.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die("open /tmp/bench.dat");
    memset(page2, 0x5a, sizeof(page2));
    for (int i = 0; i < 8 * 256; i++)
        if (write(fd, page2, 4096) != 4096)
            die("write /tmp/bench.dat");
    bench_read_cached(fd);
    close(fd);
    unlink("/tmp/bench.dat");
}

// A number from /proc/timer_list: the one after the first "key" (-1 if
// there is none). Its "now at N nsecs" is the time since the kernel's
// clock started, and CPU 0's ".idle_sleeptime: N nsecs" the part of it
// spent idle; under -icount a nanosecond is one instruction's time.
static long timer_list(const char *key)
{
    static char text[1 << 16];
    static long len = -1;
    if (len < 0) {
        mkdir("/proc", 0555);
        mount("proc", "/proc", "proc", 0, NULL);
        int fd = open("/proc/timer_list", O_RDONLY);
        long r;
        len = 0;
        while (fd >= 0 && len < (long)sizeof(text) - 1 &&
               (r = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
            len += r;
        text[len] = 0;
        close(fd);
    }
    char *at = strstr(text, key);
    if (!at)
        return -1;
    at += strlen(key);
    while (*at == ' ' || *at == ':')
        at++;
    return *at >= '0' && *at <= '9' ? strtol(at, NULL, 10) : -1;
}

int main(void)
{
    uint64_t boot = tsc();        // first: time since reset (idle too)
    long now = timer_list("now at"), idle = timer_list(".idle_sleeptime");
    cpu_model();
    printf("bench: boot_to_init_raw %lu\n", (unsigned long)boot);
    if (now > 0 && idle >= 0 && idle < now) {        // the kernel's part, idle excluded
        printf("bench: boot_idle %ld\n", idle);
        printf("bench: boot_to_init %ld\n", now - idle);
    }
    fflush(stdout);
    bench_null_syscall();
    bench_pipe();
    bench_spawn();
    bench_linux_files();
    printf("bench: done\n");
    fflush(stdout);
    reboot(RB_POWER_OFF);
    return 0;
}
