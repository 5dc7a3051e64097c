// bench_linux_main.h: the end of programs/bench.c built for Linux (make
// compare), where bench is the /init of an initramfs: it measures the
// operations both systems have with the same functions of bench.c as on
// this system, prints "bench: NAME N" lines on the console and powers
// the machine off. The round trip through two pipes between two
// processes stands beside this system's IPC round trip.
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
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

// Brings interface name up with address addr/mask.
static void if_up(int s, const char *name, const char *addr, const char *mask)
{
    struct ifreq r = { 0 };
    struct sockaddr_in a = { .sin_family = AF_INET };
    strncpy(r.ifr_name, name, IFNAMSIZ - 1);
    inet_pton(AF_INET, addr, &a.sin_addr);
    memcpy(&r.ifr_addr, &a, sizeof(a));
    if (ioctl(s, SIOCSIFADDR, &r))
        die(name);
    inet_pton(AF_INET, mask, &a.sin_addr);
    memcpy(&r.ifr_netmask, &a, sizeof(a));
    if (ioctl(s, SIOCSIFNETMASK, &r) || ioctl(s, SIOCGIFFLAGS, &r))
        die(name);
    r.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &r))
        die(name);
}

// Loads the e1000 driver (/e1000.ko, from the kernel's package) and
// configures eth0 as QEMU's user network expects it (10.0.2.15/24) and
// lo. 0 when there is no /e1000.ko.
static int net_up(void)
{
    int fd = open("/e1000.ko", O_RDONLY);
    if (fd < 0)
        return 0;
    if (syscall(SYS_finit_module, fd, "", 0))
        die("finit_module e1000.ko");
    close(fd);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if_up(s, "lo", "127.0.0.1", "255.0.0.0");
    if_up(s, "eth0", "10.0.2.15", "255.255.255.0");
    close(s);
    return 1;
}

int main(void)
{
    uint64_t boot = tsc();        // first: time since reset (idle too)
    long now = -1, idle = -1;
    mkdir("/proc", 0555);
    if (mount("proc", "/proc", "proc", 0, NULL) || linux_clock(&now, &idle))
        die("reading /proc/timer_list");
    cpu_model();
    printf("bench: boot_to_init_raw %lu\n", (unsigned long)boot);
    if (idle < now) {                                // the kernel's part, idle excluded
        printf("bench: boot_idle %ld\n", idle);
        printf("bench: boot_to_init %ld\n", now - idle);
    }
    fflush(stdout);
    bench_null_syscall();
    bench_pipe();
    bench_spawn();
    bench_linux_files();
    if (net_up()) {
        busy_less_idle = 1;
        uint64_t t0 = busy();
        printf("bench: busy_cost %lu\n", (unsigned long)(busy() - t0));
        bench_net();
    }
    printf("bench: done\n");
    fflush(stdout);
    reboot(RB_POWER_OFF);
    return 0;
}
