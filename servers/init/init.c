// init: the first process. It creates the service endpoints (so they
// outlive the servers behind them), starts the console, fs, pipe, proc and net
// servers with exactly the handles each needs, then asks proc for a shell
// on the console and starts a new one whenever it ends. In test mode
// (kernel command line word "test") it runs the in-system tests instead
// and powers off after them.
#include "os.h"
#include "core/bootfs.h"
#include "services.h"
#include "proc_proto.h"
#include "supervisor.h"
#include "port.h"
#include "pci.h"
#include "../pipe/table.h"
#include "../proc/table.h"

#define PRIO_CONSOLE 30
#define PRIO_PROC    28
#define PRIO_PIPE    27
#define PRIO_FS      26
#define PRIO_DISK    29
#define PRIO_SHELL   25
#define PRIO_NIC     29
#define PRIO_NET     27

enum { SVC_PROC, SVC_FS, SVC_CONSOLE, SVC_PIPE, SVC_DISK, SVC_SUPERVISOR, SVC_NIC, SVC_NET, NSVC };
static long endpoints[NSVC];

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

int service_elf(const struct service *s, const void **elf, uint64_t *len)
{
    char path[BOOTFS_NAME_MAX];
    snprintf(path, sizeof(path), "bin/%s", s->name);
    return bootfs_find(bootfs, bootfs_len, path, elf, len);
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

// Starts a service's program with its grants (slots 1, 2, ...): a grant
// of -1 - N passes service endpoint N badged with the child's pid (with
// BADGE_SYSTEM for system services). A restarted service gets "restart=N",
// and "check" when it must check the data a faulty one may have written.
long service_spawn(struct service *s, int restarts, long deaths, uint64_t bit)
{
    char restart_arg[24];
    const char *argv[8] = { s->name };
    int argc = 1;
    for (int i = 0; i < 4 && s->args[i]; i++)
        argv[argc++] = s->args[i];
    snprintf(restart_arg, sizeof(restart_arg), "restart=%d", restarts);
    if (restarts)
        argv[argc++] = restart_arg;
    if (s->check_next)
        argv[argc++] = "check";
    struct spawn_req r = { .name = s->name, .argv = argv, .prio = s->prio, .notif = deaths,
                           .bits = bit, .data = s->data, .data_len = s->data_len,
                           .data_at = s->data_at };
    if (find_program(&r))
        return -E_NOENT;
    long p = spawn_load(&r), err = 0;
    if (p < 0) {
        printf("init: cannot load %s: error %ld\n", s->name, p);
        return p;
    }
    s->pid = (int)sys_proc_pid(p);
    for (int i = 0; i < s->ngrants && err >= 0; i++) {
        long g = s->grants[i];
        err = g >= 0 ? sys_handle_grant(p, g, R_ALL, 0)
                     : sys_handle_grant(p, endpoints[-1 - g], R_SEND,
                                        s->pid | (s->system ? (long)BADGE_SYSTEM : 0));
    }
    if (err >= 0)
        err = spawn_start(p, &r);
    if (err < 0) {
        printf("init: cannot start %s: error %ld\n", s->name, err);
        return err;
    }
    return p;
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define STD_GRANTS -1 - SVC_PROC, -1 - SVC_FS, -1 - SVC_CONSOLE, -1 - SVC_PIPE, -1 - SVC_SUPERVISOR

static void grants_set(struct service *s, const long *g, int n)
{
    memcpy(s->grants, g, (size_t)n * sizeof(long));
    s->ngrants = n;
}

// The pipe and process tables: memory that outlives the pipe server and
// proc, made once here and handed to each of their incarnations
// (servers/pipe/table.h, servers/proc/table.h). The frames are init's,
// mapped where init never looks; the server maps them through the
// handle. Returns the handle, or -1 (the server then keeps its table in
// its own memory, lost when it dies).
#define PIPE_TABLE_VADDR 0x500000000000l
#define PROC_TABLE_VADDR 0x510000000000l
static long table_make(const char *what, long vaddr, uint64_t size)
{
    long len = (long)((size + 4095) & ~4095ul);
    long pa = sys_dma_alloc(H_ROOT, vaddr, len);
    long h = pa < 0 ? pa : sys_mmio_get(H_ROOT, pa, len);
    if (h < 0)
        printf("init: no memory for the %s table (error %ld)\n", what, h);
    return h < 0 ? -1 : h;
}

// PCI: init holds the configuration ports, enumerates the bus once at
// boot (before any driver runs: sizing a BAR turns its decoding off for a
// moment) and hands each claimed device's BAR, IRQ line and, for a DMA
// device, the DMA right to its one driver.
static struct pci_dev pci_devs[PCI_MAX_DEVS];
static int pci_ndevs;
static const struct pci_dev *nic_dev, *ide_dev;
static int nodma;                                // kernel command line word: the disk by PIO

const struct pci_dev *pci_device(uint64_t index)
{
    return index < (uint64_t)pci_ndevs ? &pci_devs[index] : NULL;
}

static void pci_init(void)
{
    long io = sys_ioport_get(H_ROOT, PCI_PORT_ADDR, PCI_PORTS);
    if (io < 0 || sys_ioport_enable(io) < 0) {
        printf("init: no access to the PCI configuration ports\n");
        return;
    }
    pci_ndevs = pci_scan(pci_devs, PCI_MAX_DEVS);
    for (int i = 0; i < pci_ndevs; i++) {
        const struct pci_dev *d = &pci_devs[i];
        if (d->vendor == 0x8086 && d->device == 0x100e && !d->bar[0].io && d->bar[0].size &&
            d->irq < 16)
            nic_dev = d;
        if (d->class == 1 && d->subclass == 1 && (d->progif & 0x80) && d->bar[4].io &&
            d->bar[4].size >= 8)                 // an IDE controller that can bus-master
            ide_dev = d;
    }
}

// The IDE controller's bus mastering, as nic_device does it for the NIC
// (its I/O decoding stays on: the legacy ports go through it).
static void ide_device(int on)
{
    pci_command_set(ide_dev, on ? PCI_CMD_IO | PCI_CMD_MASTER : PCI_CMD_IO, on ? 0 : PCI_CMD_MASTER);
}

// The services and exactly the handles each gets.
static void services_define(struct service *t, const long *mint)
{
    static char len[24];
    snprintf(len, sizeof(len), "%lu", bootfs_len);
    long console[] = { endpoints[SVC_CONSOLE], sys_ioport_get(H_ROOT, 0x3f8, 8),
                       sys_irq_get(H_ROOT, 4), sys_ioport_get(H_ROOT, 0x60, 5),
                       sys_irq_get(H_ROOT, 1), sys_mmio_get(H_ROOT, 0xb8000, 4096),
                       sys_ioport_get(H_ROOT, 0x3d4, 2), -1 - SVC_PROC };
    // the disk: its ports and IRQ, and with a bus-master IDE controller the
    // primary channel's bus-master ports (named in "bm=PORT"), the DMA
    // right and init's endpoint (SVC_BUSMASTER)
    static char bm_arg[24];
    uint64_t bm = ide_dev && !nodma ? ide_dev->bar[4].base : 0;
    snprintf(bm_arg, sizeof(bm_arg), "bm=%lu", (unsigned long)bm);
    long disk[] = { endpoints[SVC_DISK], sys_ioport_get(H_ROOT, 0x1f0, 8),
                    sys_ioport_get(H_ROOT, 0x3f6, 1), sys_irq_get(H_ROOT, 14),
                    bm ? sys_ioport_get(H_ROOT, (long)bm, 8) : -1,
                    bm ? sys_handle_mint(H_ROOT, R_DMA | R_GRANT, 0) : -1, -1 - SVC_SUPERVISOR };
    long fs[] = { STD_GRANTS, endpoints[SVC_FS], mint[SVC_DISK] };
    long pipe[] = { STD_GRANTS, endpoints[SVC_PIPE],
                    table_make("pipe", PIPE_TABLE_VADDR, sizeof(struct pipe_table)) };
    // proc's children signal init's notification (their deaths while proc
    // is away are not lost), and its table is in init's memory like pipe's
    long proc[] = { STD_GRANTS, endpoints[SVC_PROC], H_ROOT, sys_ioport_get(H_ROOT, 0x604, 2),
                    mint[SVC_PROC], mint[SVC_FS], mint[SVC_CONSOLE], mint[SVC_PIPE],
                    mint[SVC_SUPERVISOR], sys_notif_create(),
                    table_make("process", PROC_TABLE_VADDR, sizeof(struct proc_table)) };
    t[0] = (struct service){ .name = "console", .prio = PRIO_CONSOLE, .system = 1, .may_stop = 1,
                             .endpoint = endpoints[SVC_CONSOLE] };
    grants_set(&t[0], console, NELEM(console));
    t[1] = (struct service){ .name = "ata", .prio = PRIO_DISK, .may_stop = 1,
                             .endpoint = endpoints[SVC_DISK], .args = { bm ? bm_arg : NULL },
                             .device = bm ? ide_device : NULL };
    grants_set(&t[1], disk, bm ? NELEM(disk) : 4);
    t[2] = (struct service){ .name = "fs", .prio = PRIO_FS, .may_stop = 1, .args = { len },
                             .data = bootfs, .data_len = bootfs_len, .data_at = BOOTFS_VADDR,
                             .endpoint = endpoints[SVC_FS] };
    grants_set(&t[2], fs, NELEM(fs));
    t[1].checker = t[2].checker = &t[2];
    t[3] = (struct service){ .name = "pipe", .prio = PRIO_PIPE, .may_stop = 1,
                             .endpoint = endpoints[SVC_PIPE] };
    grants_set(&t[3], pipe, NELEM(pipe) - (pipe[NELEM(pipe) - 1] < 0));
    t[4] = (struct service){ .name = "proc", .prio = PRIO_PROC, .system = 1, .may_stop = 1,
                             .endpoint = endpoints[SVC_PROC] };
    grants_set(&t[4], proc, NELEM(proc) - (proc[NELEM(proc) - 1] < 0));
    keeper_init(&t[4]);
}

// The TCP/IP server: the usual handles and its endpoint, which any
// program may ask for (SVC_CONNECT); it finds its NIC driver the same way.
static void net_define(struct service *t)
{
    long net[] = { STD_GRANTS, endpoints[SVC_NET] };
    *t = (struct service){ .name = "net", .prio = PRIO_NET, .may_stop = 1, .public = 1,
                           .args = { "e1000" }, .endpoint = endpoints[SVC_NET] };
    grants_set(t, net, NELEM(net));
}


// The NIC's bus mastering: off before its driver starts and when it dies
// (the device must not write into the frames the kernel just freed), on
// when the driver asks, once it has reset the device (SVC_BUSMASTER).
static void nic_device(int on)
{
    uint16_t bits = PCI_CMD_MEM | PCI_CMD_MASTER;
    pci_command_set(nic_dev, on ? bits : PCI_CMD_MEM, on ? 0 : PCI_CMD_MASTER);
}

// The e1000 service, when the bus has one: its endpoint, BAR 0, IRQ line,
// the root capability with only the DMA right, and the supervisor's
// endpoint (for SVC_BUSMASTER). Returns 1, or 0 if none.
static int nic_define(struct service *t)
{
    if (!nic_dev)
        return 0;
    const struct pci_bar *b = &nic_dev->bar[0];
    long dma = sys_handle_mint(H_ROOT, R_DMA | R_GRANT, 0);
    long grants[] = { endpoints[SVC_NIC], sys_mmio_get(H_ROOT, (long)b->base, (long)b->size),
                      sys_irq_get(H_ROOT, nic_dev->irq), dma, -1 - SVC_SUPERVISOR };
    *t = (struct service){ .name = "e1000", .prio = PRIO_NIC, .may_stop = 1, .public = 1,
                           .endpoint = endpoints[SVC_NIC], .device = nic_device };
    grants_set(t, grants, NELEM(grants));
    return 1;
}

// The root capability with only R_TRACE (and R_GRANT, to pass it on):
// proc hands it to the shell, the shell to the programs it runs.
static long trace_right;

// Numbers init's requests to proc: one sent again after proc's crash is
// applied once (a spawn would otherwise start a second shell).
static uint64_t proc_seq;

// Asks proc to start a shell on the console, with the trace right;
// returns its pid or an error. A call cut by proc's death goes again.
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
    uint64_t seq = ++proc_seq;
    struct msg m;
    long e;
    do {
        m = (struct msg){ TAG(PROC_SPAWN, 0) | TAG_HANDLE, seq, 0, trace_right, 0, 0 };
        e = ipc_call(proc, &m, &b);
    } while (e == -E_DEAD);
    return e < 0 ? e : (long)m.w0;
}

// The shell keeper: a thread that starts the shell and waits for it.
static void shell_keeper(long proc)
{
    int restarts = 0;
    for (;;) {
        long pid = spawn_shell(proc);
        if (pid < 0) {
            printf("init: cannot start the shell: error %ld\n", pid);
            sys_sleep(1000);
            continue;
        }
        supervise_note_shell((int)pid, restarts++);
        struct msg m;
        long e;
        uint64_t seq = ++proc_seq;
        do {                                      // a call cut by proc's death: again
            m = (struct msg){ TAG(PROC_WAIT, 0), (uint64_t)pid, 0, seq, 0, 0 };
            e = ipc_call(proc, &m, NULL);
        } while (e == -E_DEAD);
        printf("init: shell exited (status %lu), starting a new one\n", m.w1);
    }
}

// Test mode: ktest gets the boot files, the RTC's ports and IRQ 8 (for the
// IRQ test) and the root capability; init powers off when it ends.
static _Noreturn void run_tests(long deaths)
{
    char len[24];
    snprintf(len, sizeof(len), "%lu", bootfs_len);
    long grants[3] = { sys_ioport_get(H_ROOT, 0x70, 2), sys_irq_get(H_ROOT, 8), H_ROOT };
    struct service t = { .name = "ktest", .prio = 30, .data = bootfs, .data_len = bootfs_len,
                         .data_at = BOOTFS_VADDR, .args = { len } };
    grants_set(&t, grants, NELEM(grants));
    long p = service_spawn(&t, 0, deaths, 1);
    if (p >= 0) {
        sys_notif_wait(deaths);
        report("ktest", sys_proc_status(p, 0));
    }
    poweroff();
}

int main(void)
{
    static struct service table[7];
    long mint[NSVC];
    bootfs = (const void *)os_boot_arg[0];
    bootfs_len = os_boot_arg[1];
    const char *cmdline = (const char *)os_boot_arg[2];
    printf("init: started, %d boot files\n", bootfs_check(bootfs, bootfs_len));
    long deaths = sys_notif_create();
    if (has_word(cmdline, "test"))
        run_tests(deaths);
    for (int i = 0; i < NSVC; i++) {
        endpoints[i] = sys_endpoint_create();
        mint[i] = sys_handle_mint(endpoints[i], R_SEND | R_GRANT, 0);
    }
    pci_init();
    nodma = has_word(cmdline, "nodma");
    services_define(table, mint);
    int nsvc = 5 + nic_define(&table[5]);
    net_define(&table[nsvc++]);                    // after its driver
    long my_proc = sys_handle_mint(endpoints[SVC_PROC], R_SEND, 1);   // badge: init's pid
    trace_right = sys_handle_mint(H_ROOT, R_TRACE | R_GRANT, 0);
    thread_start(shell_keeper, my_proc, 46, 65536);
    supervise(table, nsvc, endpoints[SVC_SUPERVISOR], deaths);
}
