// init: the first process. It creates the service endpoints (so they
// outlive the servers behind them), starts the console, fs, pipe and proc
// servers with exactly the handles each needs, then asks proc for a shell
// on the console and starts a new one whenever it ends. In test mode
// (kernel command line word "test") it runs the in-system tests instead
// and powers off after them.
#include "os.h"
#include "core/bootfs.h"
#include "services.h"
#include "proc_proto.h"

#define PRIO_CONSOLE 30
#define PRIO_PROC    28
#define PRIO_PIPE    27
#define PRIO_FS      26
#define PRIO_DISK    29
#define PRIO_SHELL   25

enum { SVC_PROC, SVC_FS, SVC_CONSOLE, SVC_PIPE, SVC_DISK, NSVC };
static const char *const svc_names[NSVC] = { "proc", "fs", "console", "pipe", "ata" };
static long endpoints[NSVC];
static long procs[NSVC];

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

static int find_program(struct spawn_req *r)
{
    char path[BOOTFS_NAME_MAX];
    snprintf(path, sizeof(path), "bin/%s", r->name);
    if (bootfs_find(bootfs, bootfs_len, path, &r->elf, &r->elf_len)) {
        printf("init: no program '%s' in the boot files\n", path);
        return -E_NOENT;
    }
    return 0;
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

// Starts a boot program with the handles in `grants` (slots 1, 2, ...);
// a grant of -1 - N passes service endpoint N badged with the child's
// pid (with BADGE_SYSTEM when `system`).
static long start(struct spawn_req *r, const long *grants, int n, int system)
{
    if (find_program(r))
        return -E_NOENT;
    long p = spawn_load(r), err = 0;
    if (p < 0) {
        printf("init: cannot load %s: error %ld\n", r->name, p);
        return p;
    }
    long pid = sys_proc_pid(p);
    for (int i = 0; i < n && err >= 0; i++) {
        if (grants[i] >= 0)
            err = sys_handle_grant(p, grants[i], R_ALL, 0);
        else
            err = sys_handle_grant(p, endpoints[-1 - grants[i]], R_SEND,
                                   pid | (system ? (long)BADGE_SYSTEM : 0));
    }
    if (err >= 0)
        err = spawn_start(p, r);
    if (err < 0) {
        printf("init: cannot start %s: error %ld\n", r->name, err);
        return err;
    }
    return p;
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define STD_GRANTS -1 - SVC_PROC, -1 - SVC_FS, -1 - SVC_CONSOLE, -1 - SVC_PIPE

static void start_services(long deaths)
{
    char len[24];
    snprintf(len, sizeof(len), "%lu", bootfs_len);
    const char *fs_argv[] = { "fs", len, NULL };
    long mint[NSVC];
    for (int i = 0; i < NSVC; i++)
        mint[i] = sys_handle_mint(endpoints[i], R_SEND | R_GRANT, 0);
    long console_grants[] = { endpoints[SVC_CONSOLE], sys_ioport_get(H_ROOT, 0x3f8, 8),
                              sys_irq_get(H_ROOT, 4), sys_ioport_get(H_ROOT, 0x60, 5),
                              sys_irq_get(H_ROOT, 1), sys_mmio_get(H_ROOT, 0xb8000, 4096),
                              sys_ioport_get(H_ROOT, 0x3d4, 2), -1 - SVC_PROC };
    long fs_grants[] = { STD_GRANTS, endpoints[SVC_FS], mint[SVC_DISK] };
    long disk_grants[] = { endpoints[SVC_DISK], sys_ioport_get(H_ROOT, 0x1f0, 8),
                           sys_ioport_get(H_ROOT, 0x3f6, 1), sys_irq_get(H_ROOT, 14) };
    long pipe_grants[] = { STD_GRANTS, endpoints[SVC_PIPE] };
    long proc_grants[] = { STD_GRANTS, endpoints[SVC_PROC], H_ROOT, sys_ioport_get(H_ROOT, 0x604, 2),
                           mint[SVC_PROC], mint[SVC_FS], mint[SVC_CONSOLE], mint[SVC_PIPE] };
    struct spawn_req r[NSVC] = {
        [SVC_CONSOLE] = { .name = "console", .prio = PRIO_CONSOLE },
        [SVC_FS] = { .name = "fs", .prio = PRIO_FS, .argv = fs_argv, .data = bootfs,
                     .data_len = bootfs_len, .data_at = BOOTFS_VADDR },
        [SVC_PIPE] = { .name = "pipe", .prio = PRIO_PIPE },
        [SVC_PROC] = { .name = "proc", .prio = PRIO_PROC },
        [SVC_DISK] = { .name = "ata", .prio = PRIO_DISK },
    };
    for (int i = 0; i < NSVC; i++) {
        r[i].notif = deaths;
        r[i].bits = 1ul << i;
    }
    procs[SVC_CONSOLE] = start(&r[SVC_CONSOLE], console_grants, NELEM(console_grants), 1);
    procs[SVC_DISK] = start(&r[SVC_DISK], disk_grants, NELEM(disk_grants), 1);
    procs[SVC_FS] = start(&r[SVC_FS], fs_grants, NELEM(fs_grants), 0);
    procs[SVC_PIPE] = start(&r[SVC_PIPE], pipe_grants, NELEM(pipe_grants), 0);
    procs[SVC_PROC] = start(&r[SVC_PROC], proc_grants, NELEM(proc_grants), 1);
}

// Asks proc to start a shell on the console; returns its pid or an error.
static long spawn_shell(long proc)
{
    static char req[sizeof(struct proc_spawn) + 64];
    static const char strings[] = "/boot/bin/sh\0sh\0PATH=/bin:/boot/bin\0HOME=/";
    struct proc_spawn *s = (struct proc_spawn *)req;
    struct fd_desc con = { FD_CONSOLE, 2 /* O_RDWR */, 0, 0 };
    memset(req, 0, sizeof(req));
    *s = (struct proc_spawn){ .prio = PRIO_SHELL, .argc = 1, .envc = 2,
                              .fds = { con, con, con }, .strings_len = sizeof(strings) };
    s->cwd[0] = '/';
    memcpy(s + 1, strings, sizeof(strings));
    struct ipc_bufs b = { req, sizeof(*s) + sizeof(strings), NULL, 0 };
    struct msg m = { TAG(PROC_SPAWN, 0), 0, 0, 0, 0, 0 };
    long e = ipc_call(proc, &m, &b);
    return e < 0 ? e : (long)m.w0;
}

// The shell keeper: a thread that starts the shell and waits for it.
static void shell_keeper(long proc)
{
    for (;;) {
        long pid = spawn_shell(proc);
        if (pid < 0) {
            printf("init: cannot start the shell: error %ld\n", pid);
            sys_sleep(1000);
            continue;
        }
        struct msg m = { TAG(PROC_WAIT, 0), (uint64_t)pid, 0, 0, 0, 0 };
        ipc_call(proc, &m, NULL);
        printf("init: shell exited (status %lu), starting a new one\n", m.w1);
    }
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
                           .data = bootfs, .data_len = bootfs_len, .data_at = BOOTFS_VADDR };
    long p = start(&r, grants, NELEM(grants), 0);
    if (p >= 0) {
        sys_notif_wait(deaths);
        report("ktest", sys_proc_status(p, 0));
    }
    poweroff();
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
    for (int i = 0; i < NSVC; i++)
        endpoints[i] = sys_endpoint_create();
    start_services(deaths);
    long my_proc = sys_handle_mint(endpoints[SVC_PROC], R_SEND, 1);   // badge: init's pid
    thread_start(shell_keeper, my_proc, PRIO_PROC, 65536);
    for (;;) {
        long bits = sys_notif_wait(deaths);
        for (int i = 0; i < NSVC; i++)
            if ((bits & (1l << i)) && procs[i] >= 0)
                report(svc_names[i], sys_proc_status(procs[i], 0));
    }
}
