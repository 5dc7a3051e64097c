// Processes: os_spawn, waitpid, kill, getpid, _exit and the other calls
// of osapi.h, as requests to the proc and console servers. A request cut
// by proc's death is sent again by rpc_call, with the same number.
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "libc.h"
#include "osapi.h"
#include "proc_proto.h"
#include "console_proto.h"
#include "svc_proto.h"
#include "uapi/trace.h"

// Numbers this process's spawn and wait requests: one sent again after
// proc's crash (rpc_call) is applied once, or answered as it was.
static uint64_t proc_seq;
static uint64_t proc_next_seq(void) { return __atomic_add_fetch(&proc_seq, 1, __ATOMIC_RELAXED); }

// What descriptor fd is, for a child: one closed here (or -1) is closed
// there too, as a child started by fork and exec would have it.
static int describe_fd(int fd, struct fd_desc *d)
{
    struct ofile *f = fd_get(fd);
    if (fd < -1 || fd >= OPEN_MAX)
        return -EBADF;
    if (!f) {
        *d = (struct fd_desc){ FD_NONE, 0, 0, 0 };
        return 0;
    }
    *d = (struct fd_desc){ (uint32_t)f->type, (uint32_t)f->flags, f->id, f->off };
    return 0;
}

// Appends the strings of a NULL-terminated vector; returns how many.
static int pack_strings(char *const *v, char *buf, uint32_t *len, uint32_t max)
{
    int n = 0;
    for (; v && v[n]; n++) {
        size_t l = strlen(v[n]) + 1;
        if (*len + l > max)
            return -E2BIG;
        memcpy(buf + *len, v[n], l);
        *len += (uint32_t)l;
    }
    return n;
}

static unsigned spawn_cpus;                  // os_spawn_cpus

void os_spawn_cpus(unsigned mask) { spawn_cpus = mask; }

int os_cpu_count(void)
{
    struct cpu_info ci;
    int n = 0;
    while (sys_cpu_info(n, (long)&ci) == 0)
        n++;
    return n;
}

// True if this process holds the trace right (H_TRACE): its children get
// it too. Asked at every spawn (the slot may have been closed since).
static int has_trace_right(void)
{
    struct trace_status st;
    return sys_trace(H_TRACE, TRACE_STATUS, (long)&st, 0, 0) == 0;
}

// Starts the ELF program at path (os_spawn without the #! handling);
// returns its pid or a negative errno.
static long spawn_elf(const char *path, char *const argv[], char *const envp[], const int fds[3],
                       int prio, pid_t pgid)
{
    static char req[IPC_MAX_PAYLOAD];
    struct proc_spawn *s = (struct proc_spawn *)req;
    uint32_t max = sizeof(req) - sizeof(*s), len = 0;
    char *strings = req + sizeof(*s);
    memset(s, 0, sizeof(*s));
    s->prio = prio;
    s->pgid = pgid;
    s->cpus = spawn_cpus;
    for (int i = 0; i < 3; i++)
        if (describe_fd(fds[i], &s->fds[i]))
            return -EBADF;
    int e = path_resolve(path, strings);
    if (e)
        return e;
    len = (uint32_t)strlen(strings) + 1;
    s->argc = pack_strings(argv, strings, &len, max);
    s->envc = s->argc < 0 ? -1 : pack_strings(envp, strings, &len, max);
    if (s->argc < 0 || s->envc < 0)
        return -E2BIG;
    s->strings_len = len;
    strcpy(s->cwd, os_start.cwd);
    struct rpc r = { .op = PROC_SPAWN, .w0 = proc_next_seq(), .data = req, .len = sizeof(*s) + len,
                     .xfer = has_trace_right() ? H_TRACE : 0 };
    return rpc_call(H_PROC, &r);
}

// A script (#!) runs under its interpreter (libc/posix/shebang.c). proc
// refuses what is no ELF program (ENOEXEC): only then is the file read
// here for a "#!" line, so a program's spawn does not read it twice.
pid_t os_spawn(const char *path, char *const argv[], char *const envp[], const int fds[3],
               int prio, pid_t pgid)
{
    char **script_argv;
    long pid = spawn_elf(path, argv, envp, fds, prio, pgid);
    if (pid != -ENOEXEC)
        return (pid_t)rpc_result(pid);
    int sb = shebang_argv(path, argv, &script_argv);
    if (sb <= 0)
        return (pid_t)rpc_result(sb < 0 ? sb : -ENOEXEC);
    pid = spawn_elf(script_argv[0], script_argv, envp, fds, prio, pgid);
    shebang_free(script_argv);
    return (pid_t)rpc_result(pid);
}

// proc answers a WNOHANG wait at once. One it holds instead (a fault in
// proc: it still answers init's pings) must not hang the caller for as
// long as the child runs: after WNOHANG_MS it fails with ETIMEDOUT.
#define WNOHANG_MS 10000

pid_t waitpid(pid_t pid, int *status, int options)
{
    struct rpc r = { .op = PROC_WAIT, .w0 = (uint64_t)(long)pid, .w1 = (uint64_t)options,
                     .w2 = proc_next_seq(), .timeout_ms = options & WNOHANG ? WNOHANG_MS : 0 };
    long got = rpc_call(H_PROC, &r);
    if (got > 0 && status)
        *status = (int)r.r1;
    return (pid_t)rpc_result(got);
}

pid_t wait(int *status) { return waitpid(-1, status, 0); }

int kill(int pid, int sig)
{
    struct rpc r = { .op = PROC_KILL, .w0 = (uint64_t)(long)pid, .w1 = (uint64_t)sig };
    return (int)rpc_result(rpc_call(H_PROC, &r));
}

int os_set_foreground(pid_t pgid)
{
    struct rpc r = { .op = CON_SET_FG, .w0 = (uint64_t)(long)pgid };
    return (int)rpc_result(rpc_call(H_CONSOLE, &r));
}

int os_proc_list(struct os_procinfo *out, int max)
{
    int n = 0;
    for (; n < max; n++) {
        struct proc_entry e;
        struct rpc r = { .op = PROC_LIST, .w0 = (uint64_t)n, .rbuf = &e, .rmax = sizeof(e) };
        long got = rpc_call(H_PROC, &r);
        if (got <= 0)
            return got < 0 && n == 0 ? (int)rpc_result(got) : n;
        out[n] = (struct os_procinfo){ e.pid, e.ppid, e.pgid, e.prio, e.threads, e.state == 0, "",
                                       e.pages, e.cpu, e.base_prio, e.ticks, e.calls, e.served };
        memcpy(out[n].name, e.name, sizeof(out[n].name));
    }
    return n;
}

int os_poweroff(void)
{
    struct rpc r = { .op = PROC_POWEROFF };
    return (int)rpc_result(rpc_call(H_PROC, &r));
}

int os_meminfo(struct os_meminfo *out)
{
    struct mem_info mi;
    long e = sys_mem_info((long)&mi);
    if (e < 0)
        return (int)rpc_result(-EFAULT);
    *out = (struct os_meminfo){ mi.total * 4096, (mi.total - mi.free) * 4096, mi.free * 4096 };
    return 0;
}

unsigned long os_busy_count(void) { return (unsigned long)sys_busy_tsc(); }

long os_kcheck(char *report, unsigned long len) { return sys_kcheck((long)report, (long)len); }

pid_t getpid(void) { return os_start.pid; }
pid_t getppid(void) { return os_start.ppid; }

void _exit(int code)
{
    sys_exit(code & 0xff);
    for (;;)
        ;
}

int os_svc_list(struct os_svc *out, int max)
{
    int n = 0;
    for (; n < max; n++) {
        struct svc_entry e;
        struct rpc r = { .op = SVC_LIST, .w0 = (uint64_t)n, .rbuf = &e, .rmax = sizeof(e) };
        long got = rpc_call(H_SVC, &r);
        if (got <= 0)
            return got < 0 && n == 0 ? (int)rpc_result(got) : n;
        out[n] = (struct os_svc){ "", e.pid, e.state, e.restarts, e.last_restart_ms, "" };
        memcpy(out[n].name, e.name, sizeof(out[n].name));
        memcpy(out[n].reason, e.reason, sizeof(out[n].reason));
        out[n].name[sizeof(out[n].name) - 1] = out[n].reason[sizeof(out[n].reason) - 1] = 0;
    }
    return n;
}

static int svc_named(unsigned op, const char *name, uint64_t w0, uint64_t w1)
{
    struct rpc r = { .op = op, .w0 = w0, .w1 = w1, .data = name, .len = strlen(name) + 1 };
    return (int)rpc_result(rpc_call(H_SVC, &r));
}

int os_svc_restart(const char *name) { return svc_named(SVC_RESTART, name, 0, 0); }

int os_svc_fault(const char *name, int kind, unsigned long seed)
{
    return svc_named(SVC_FAULT, name, (uint64_t)kind, seed);
}
