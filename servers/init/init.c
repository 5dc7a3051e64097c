// init: the first process. It starts the programs the boot file set lists
// in init.rc, watches their deaths, and in test mode (kernel command line
// word "test") runs the in-system test program and powers off after it.
#include "os.h"
#include "core/bootfs.h"

#define INIT_PRIO 40

static const void *bootfs;
static uint64_t bootfs_len;

static int has_word(const char *cmd, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = cmd; *p; p++)
        if ((p == cmd || p[-1] == ' ') && !strncmp(p, w, n) && (p[n] == ' ' || !p[n]))
            return 1;
    return 0;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port));
}

// QEMU's PC machine powers off on 0x2000 written to port 0x604.
static _Noreturn void poweroff(void)
{
    long io = sys_ioport_get(H_ROOT, 0x604, 2);
    if (io >= 0 && sys_ioport_enable(io) == 0)
        outw(0x604, 0x2000);
    printf("init: poweroff failed\n");
    for (;;)
        sys_sleep(1000);
}

// Spawns a program of the boot file set.
static long start(struct spawn_req *r)
{
    if (bootfs_find(bootfs, bootfs_len, r->name, &r->elf, &r->elf_len)) {
        printf("init: no program '%s'\n", r->name);
        return -E_NOENT;
    }
    long p = spawn(r);
    if (p < 0)
        printf("init: cannot start %s: error %ld\n", r->name, p);
    return p;
}

static void report(const char *name, long status)
{
    int state = (int)PROC_STATE((uint64_t)status), code = PROC_CODE(status);
    if (state == PROC_EXITED)
        printf("init: %s exited with status %d\n", name, code);
    else if (state == PROC_FAULTED)
        printf("init: %s faulted (exception %d)\n", name, code);
    else
        printf("init: %s was killed\n", name);
}

// Test mode: ktest gets the boot files, the RTC's ports and IRQ 8 (for the
// IRQ test) and the root capability; init powers off when it ends.
static _Noreturn void run_tests(long deaths)
{
    char len[24];
    snprintf(len, sizeof(len), "%lu", bootfs_len);
    const char *argv[] = { "ktest", len, NULL };
    long grants[3] = { sys_ioport_get(H_ROOT, 0x70, 2), sys_irq_get(H_ROOT, 8), H_ROOT };
    struct spawn_req r = { .name = "ktest", .argv = argv, .prio = 30, .notif = deaths, .bits = 1,
                           .grants = grants, .ngrants = 3, .data = bootfs,
                           .data_len = bootfs_len, .data_at = BOOTFS_VADDR };
    long p = start(&r);
    if (p >= 0) {
        sys_notif_wait(deaths);
        report("ktest", sys_proc_status(p));
    }
    poweroff();
}

// Starts each program named on a line of init.rc; returns how many.
static int start_rc(long deaths, long *procs, const char **names, int max)
{
    const void *rc;
    uint64_t rc_len;
    static char lines[32][BOOTFS_NAME_MAX];
    int n = 0;
    if (bootfs_find(bootfs, bootfs_len, "init.rc", &rc, &rc_len))
        return 0;
    for (uint64_t i = 0, k = 0; i <= rc_len && n < max && n < 32; i++) {
        char *line = lines[n];
        char c = i < rc_len ? ((const char *)rc)[i] : '\n';
        if (c != '\n') {
            if (k < BOOTFS_NAME_MAX - 1)
                line[k++] = c;
            continue;
        }
        line[k] = 0;
        k = 0;
        if (!line[0] || line[0] == '#')
            continue;
        const char *argv[] = { line, NULL };
        struct spawn_req r = { .name = line, .argv = argv, .prio = 20, .notif = deaths,
                               .bits = 1ul << n };
        procs[n] = start(&r);
        if (procs[n] >= 0)
            names[n++] = line;
    }
    return n;
}

int main(void)
{
    bootfs = (const void *)os_boot_arg[0];
    bootfs_len = os_boot_arg[1];
    const char *cmdline = (const char *)os_boot_arg[2];
    printf("init: started, %d boot files\n", bootfs_check(bootfs, bootfs_len));
    long deaths = sys_notif_create();
    if (has_word(cmdline, "test"))
        run_tests(deaths);
    long procs[32];
    const char *names[32];
    int n = start_rc(deaths, procs, names, 32);
    for (;;) {
        long bits = sys_notif_wait(deaths);
        for (int i = 0; i < n && bits > 0; i++)
            if (bits & (1l << i))
                report(names[i], sys_proc_status(procs[i]));
    }
}
