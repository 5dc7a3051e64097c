// The supervisor (reincarnation server). The main thread serves the svc
// protocol; the kernel's death notifications and a ticker's bit arrive on
// the same endpoint. A service that dies is started again from its
// binary, at once the first time and with exponential backoff when it
// keeps dying. A pinger thread per service calls it every 50 ms. A
// service whose ping waits while it runs on a CPU without making or
// serving a single call for FAST_MS is spinning: hung, and killed. One
// that has not answered for three seconds at all is hung too. Nothing is
// judged just after a gap in the ticker (the host did not run the guest).
#include "supervisor.h"
#include "server.h"
#include "ping.h"
#include "codefault.h"
#include <stdbool.h>

#define TICK_BIT      (1ul << 63)
#define TICK_MS       50
#define GAP_MS        (4 * TICK_MS)  // a tick this late: the guest was not running
#define PING_MS       50
#define FAST_MS       300           // spinning without IPC while a ping waits
#define HUNG_MS       3000
#define BACKOFF_MAX   5000
#define QUICK_MS      5000          // a death this soon after start counts as quick

// newlib errno values (replies go to newlib programs)
#define ENOENT 2
#define ESRCH  3
#define EPERM  1
#define EINVAL 22
#define EAGAIN 11

static struct service *svcs;
static int nsvcs;
static long deaths;
static struct service shell_entry = { .name = "sh" };
static uint64_t grace_until;                 // no slow hang verdicts before this

uint64_t now_ms(void) { return (uint64_t)sys_time() / 1000000; }

void supervise_note_shell(int pid, int restarts)
{
    shell_entry.pid = pid;
    shell_entry.restarts = restarts;
}

// A user event in the kernel's trace (recorded only while tracing is on).
static void trace_note(uint32_t code, const char *name, uint64_t value)
{
    char text[16] = { 0 };
    for (size_t i = 0; i < sizeof(text) && name[i]; i++)
        text[i] = name[i];
    sys_trace(H_ROOT, TRACE_EVENT, code, (long)value, (long)text);
}

static void start_service(struct service *s)
{
    if (s->device)
        s->device(0);                             // until the driver has reset it
    s->proc = service_spawn(s, s->restarts, deaths, 1ul << (s - svcs));
    s->check_next &= s->proc < 0;                 // asked once it runs
    s->started_ms = now_ms();
    s->state = s->proc >= 0 ? SVC_RUNNING : SVC_STOPPED;
    if (s->restarts && s->proc >= 0)
        trace_note(TRU_RESTARTED, s->name, (uint64_t)s->pid);
    s->pong_ms = 0;
    if (grace_until < s->started_ms + HUNG_MS)    // its callers catch up: no slow verdicts
        grace_until = s->started_ms + HUNG_MS;
}

// Why a process ended, in words, for the restart line and svc list.
static void describe_death(struct service *s)
{
    struct proc_exit ex = { 0, 0 };
    long st = sys_proc_status(s->proc, (long)&ex);
    int state = (int)PROC_STATE((uint64_t)st), code = PROC_CODE(st);
    s->tainted |= state == PROC_FAULTED && !s->cause[0];  // a fault nobody injected
    if (state == PROC_FAULTED)
        snprintf(s->reason, sizeof(s->reason), "%sexception %d at %lx (rip %lx)", s->cause,
                 code, ex.fault_addr, ex.fault_rip);
    else if (state == PROC_EXITED)
        snprintf(s->reason, sizeof(s->reason), "%sexited with status %d", s->cause, code);
    else
        snprintf(s->reason, sizeof(s->reason), "%s", s->cause[0] ? s->cause : "killed");
    s->cause[0] = 0;
}

static void stop_service(struct service *s, const char *why);

// A tainted service (see struct service) may have handed wrong data to
// the disk: a journal replays that as faithfully as right data. Its
// checker starts next with "check" (fs runs its repair pass), at once if
// it is another service (fs, after the disk driver).
static void taint_check(struct service *s)
{
    if (s->tainted && s->checker) {
        s->checker->check_next = 1;
        if (s->checker != s && s->checker->state == SVC_RUNNING)
            stop_service(s->checker, "to check after a faulty driver");
    }
    s->tainted = 0;
}

// A death: note why, and plan the restart (with backoff if it is quick).
// Until it is back (and HUNG_MS after), services that call it wait
// for it: no hang verdicts meanwhile.
static void service_died(struct service *s)
{
    describe_death(s);
    taint_check(s);
    if (s->device)
        s->device(0);                             // no DMA into its freed frames
    sys_handle_close(s->proc);
    s->proc = -1;
    s->died_ms = now_ms();
    s->quick_deaths = s->died_ms - s->started_ms < QUICK_MS ? s->quick_deaths + 1 : 0;
    uint64_t delay = s->quick_deaths <= 1 ? 0 : 50ul << (s->quick_deaths - 1);
    s->restart_at_ms = s->died_ms + (delay > BACKOFF_MAX ? BACKOFF_MAX : delay);
    if (grace_until < s->restart_at_ms + HUNG_MS)
        grace_until = s->restart_at_ms + HUNG_MS;
    s->state = SVC_RESTARTING;
    s->restarts++;
    s->announce = 1;
    trace_note(TRU_RESTART, s->name, (uint64_t)s->restarts);
    printf("init: %s died (%s), restarting%s\n", s->name, s->reason,
           delay ? " after a pause" : "");
    if (!delay)
        start_service(s);
}

static void stop_service(struct service *s, const char *why)
{
    snprintf(s->cause, sizeof(s->cause), "%s", why);
    if (s->hang_injected_ms && !strncmp(why, "hung", 4))
        printf("init: %s found hung %lu ms after the injected hang\n", s->name,
               now_ms() - s->hang_injected_ms);
    s->hang_injected_ms = 0;
    if (s->device)
        s->device(0);                             // DMA off before its frames are freed
    sys_proc_kill(s->proc);                       // the death notification follows
}

// How long the ping now pending has waited, 0 if none (always 0 for a
// service that may not be stopped, proc: killing it on a wrong verdict
// would cost the system). Its pinger thread runs beside this one on
// another CPU and may clear the time stamp, or set it to a time after
// `now`, at any moment: it is read once.
static uint64_t ping_age(const struct service *s, uint64_t now)
{
    uint64_t sent = s->ping_sent_ms;
    return s->may_stop && s->state == SVC_RUNNING ? ping_wait_ms(sent, s->started_ms, now) : 0;
}

// True if every thread of process pid is blocked (waiting, not spinning).
static bool all_blocked(int pid)
{
    struct proc_info info;
    for (long i = 0; sys_proc_info(H_ROOT, i, (long)&info) == 0; i++)
        if (info.pid == pid)
            return info.state == 1;
    return false;
}

// The hung service, once some service has not answered a ping for HUNG_MS:
// of those whose ping has waited nearly as long (within one ping period),
// one that is running before one whose threads all wait (a service blocked
// in a call to a spinning one, say proc calling a hung pipe, is not the
// culprit), then the one of highest priority (a spinning service starves
// the ones below it on its CPU, which then look hung too). A service that
// is merely waiting a moment for another (with several CPUs, the others
// run on) is not taken for the culprit; nor is anyone while a service is
// restarting (its callers wait for it) and for HUNG_MS after. NULL if
// nobody is overdue.
static struct service *find_hung(uint64_t now)
{
    struct service *worst = NULL;
    bool overdue = false, worst_waits = true;
    for (int i = 0; i < nsvcs; i++)
        if (svcs[i].state == SVC_RESTARTING)   // others may wait for it: no verdicts
            grace_until = now + HUNG_MS;
    for (int i = 0; i < nsvcs && now >= grace_until; i++) {
        struct service *s = &svcs[i];
        uint64_t age = ping_age(s, now);
        if (age <= HUNG_MS - PING_MS)
            continue;
        overdue |= age > HUNG_MS;
        bool waits = all_blocked(s->pid);
        if (!worst || (worst_waits && !waits) || (waits == worst_waits && s->prio > worst->prio)) {
            worst = s;
            worst_waits = waits;
        }
    }
    return overdue ? worst : NULL;
}

// The IPC calls made and served by process pid, and its CPU ticks.
// Returns -1 if it is not found.
static int progress(int pid, uint64_t *ipc, uint64_t *ticks)
{
    struct proc_info info;
    for (long i = 0; sys_proc_info(H_ROOT, i, (long)&info) == 0; i++)
        if (info.pid == pid) {
            *ipc = info.calls + info.served;
            *ticks = info.ticks;
            return 0;
        }
    return -1;
}

// True if s has spun for FAST_MS: a ping of it waits, and since it began
// to wait s made and served no call while it ran on a CPU at least half
// the time (a service starved by another, or waiting for another, does
// not). Only for a service that answered since it started.
static bool spinning(struct service *s, uint64_t now)
{
    uint64_t ipc, ticks;
    if (!ping_age(s, now) || s->pong_ms <= s->started_ms || progress(s->pid, &ipc, &ticks) < 0) {
        s->watch_ms = 0;
        return false;
    }
    if (!s->watch_ms || ipc != s->watch_ipc) {
        s->watch_ms = now;
        s->watch_ipc = ipc;
        s->watch_ticks = ticks;
        return false;
    }
    return now - s->watch_ms >= FAST_MS && (ticks - s->watch_ticks) * 2 >= now - s->watch_ms;
}

static void watch_reset(void)
{
    for (int i = 0; i < nsvcs; i++)
        svcs[i].watch_ms = 0;
}

// The spinning service of highest priority, or NULL.
static struct service *find_spinning(uint64_t now)
{
    struct service *worst = NULL;
    for (int i = 0; i < nsvcs; i++)
        if (spinning(&svcs[i], now) && (!worst || svcs[i].prio > worst->prio))
            worst = &svcs[i];
    return worst;
}

// Every tick: due restarts, hung services, restart lines to print.
static void tick(void)
{
    static uint64_t last;
    uint64_t now = now_ms();
    struct service *hung = NULL;
    if (last && now - last > GAP_MS) {           // the guest stood still: judge nobody
        grace_until = now + HUNG_MS;
        watch_reset();
    } else if ((hung = find_spinning(now)) != NULL) {
        stop_service(hung, "hung: spinning, no answer");
        grace_until = now + HUNG_MS;             // its callers waited for it
        watch_reset();
    } else if ((hung = find_hung(now)) != NULL) {
        stop_service(hung, "hung: no answer to pings");
        grace_until = now + HUNG_MS;             // let the others catch up
    }
    last = now;
    for (int i = 0; i < nsvcs; i++) {
        struct service *s = &svcs[i];
        if (s->state == SVC_RESTARTING && now >= s->restart_at_ms)
            start_service(s);
        if (s->announce && s->state == SVC_RUNNING && s->pong_ms > s->started_ms) {
            s->last_restart_ms = s->pong_ms - s->died_ms;
            printf("init: %s restarted in %lu ms (pid %d) after: %s\n", s->name,
                   s->last_restart_ms, s->pid, s->reason);
            s->announce = 0;
        }
    }
}

static void on_notify(uint64_t bits)
{
    for (int i = 0; i < nsvcs; i++) {
        struct service *s = &svcs[i];
        if ((bits & (1ul << i)) && s->proc >= 0 &&
            PROC_STATE((uint64_t)sys_proc_status(s->proc, 0)) != PROC_RUNNING)
            service_died(s);
    }
    if (bits & TICK_BIT)
        tick();
}

static struct service *by_name(const struct request *rq)
{
    const char *name = rq->data;
    if (!rq->len || name[rq->len - 1])
        return NULL;
    for (int i = 0; i < nsvcs; i++)
        if (!strcmp(svcs[i].name, name))
            return &svcs[i];
    return NULL;
}

static int op_list(struct request *rq)
{
    static struct svc_entry e;
    struct service *s = rq->w0 < (uint64_t)nsvcs ? &svcs[rq->w0]
                      : rq->w0 == (uint64_t)nsvcs && shell_entry.pid ? &shell_entry : NULL;
    rq->r0 = 0;
    if (!s)
        return 0;
    memset(&e, 0, sizeof(e));
    snprintf(e.name, sizeof(e.name), "%s", s->name);
    snprintf(e.reason, sizeof(e.reason), "%s", s->reason);
    e.pid = s->pid;
    e.state = s->state;
    e.restarts = s->restarts;
    e.last_restart_ms = s->last_restart_ms;
    rq->r0 = 1;
    rq->reply_data = &e;
    rq->reply_len = sizeof(e);
    return 0;
}

static int op_restart(struct request *rq)
{
    struct service *s = by_name(rq);
    rq->r0 = !s ? (uint64_t)-ENOENT : !s->may_stop ? (uint64_t)-EPERM : 0;
    if (!rq->r0 && s->state == SVC_RUNNING)
        stop_service(s, "restart requested");
    return 0;
}

// A code fault: one instruction of s's text changed in its memory (the
// supervisor holds s's process with the right to write it). It fires when
// s runs that instruction, if ever; a restart loads the program afresh.
static int code_fault(struct service *s, uint64_t seed)
{
    const void *elf;
    uint64_t len;
    struct code_fault f;
    if (service_elf(s, &elf, &len) || code_fault_pick(elf, len, seed, -1, &f) ||
        sys_vm_write(s->proc, (long)f.vaddr, (long)f.new, f.len))
        return -1;
    printf("init: code fault in %s: %s at %lx in %s\n", s->name, x86_mut_names[f.kind],
           f.vaddr, f.func);
    return 0;
}

// Kinds: 1 crash, 2 hang, 3 wild (by the kernel), 4 code, 5 kill.
static int op_fault(struct request *rq)
{
    static const char *const kinds[6] = { "", "crash", "hang", "wild", "code", "kill" };
    struct service *s = by_name(rq);
    rq->r0 = !s ? (uint64_t)-ENOENT : !s->may_stop ? (uint64_t)-EPERM
           : rq->w0 < 1 || rq->w0 > 5 ? (uint64_t)-EINVAL : 0;
    if (rq->r0 || s->state != SVC_RUNNING)
        return 0;
    snprintf(s->cause, sizeof(s->cause), "injected %s: ", kinds[rq->w0]);
    if (rq->w0 == 5) {
        stop_service(s, "injected kill");
        return 0;
    }
    long e = rq->w0 == 4 ? code_fault(s, rq->w1)
                         : sys_proc_fault(s->proc, (long)rq->w0, (long)rq->w1);
    rq->r0 = e ? (uint64_t)-EINVAL : 0;
    s->tainted |= !rq->r0 && (rq->w0 == 3 || rq->w0 == 4);   // wild or code: see taint_check
    if (rq->r0 || rq->w0 == 2 || rq->w0 == 4)
        s->cause[0] = 0;                      // a hang is found by the pings
    if (!rq->r0 && rq->w0 == 2)
        s->hang_injected_ms = now_ms();
    return 0;
}

static int op_kill(struct request *rq)
{
    int pid = (int)rq->w0;
    rq->r0 = pid == 1 ? (uint64_t)-EPERM : (uint64_t)-ESRCH;
    for (int i = 0; i < nsvcs; i++) {
        struct service *s = &svcs[i];
        if (s->pid != pid || s->state != SVC_RUNNING)
            continue;
        rq->r0 = s->may_stop ? 0 : (uint64_t)-EPERM;
        if (s->may_stop)
            stop_service(s, "killed");
    }
    return 0;
}

static int op_pci(struct request *rq)
{
    const struct pci_dev *d = pci_device(rq->w0);
    rq->r0 = d != NULL;
    rq->reply_data = d;
    rq->reply_len = d ? sizeof(*d) : 0;
    return 0;
}

// Replies itself, with a send handle to the service's endpoint (badged as
// the caller's), then drops its own copy of that handle.
static int op_connect(struct request *rq)
{
    struct service *s = by_name(rq);
    rq->r0 = !s ? (uint64_t)-ENOENT : !s->public ? (uint64_t)-EPERM : 0;
    long h = rq->r0 ? -1 : sys_handle_mint(s->endpoint, R_SEND | R_GRANT, rq->badge);
    if (h < 0) {
        rq->r0 = rq->r0 ? rq->r0 : (uint64_t)-EAGAIN;
        return 0;
    }
    struct msg m = { TAG(0, 0) | TAG_HANDLE, 0, 0, (uint64_t)h, 0, 0 };
    ipc_reply(rq->token, &m, NULL);
    sys_handle_close(h);
    return SERVER_DEFER;
}

// A driver's device may do DMA once the driver has reset it: before, it
// may still aim at the frames of the driver's previous life.
static int op_busmaster(struct request *rq)
{
    rq->r0 = (uint64_t)-EPERM;
    for (int i = 0; i < nsvcs; i++) {
        struct service *s = &svcs[i];
        if (s->device && s->state == SVC_RUNNING && (uint64_t)s->pid == rq->badge) {
            s->device(1);
            rq->r0 = 0;
        }
    }
    return 0;
}

static void ticker(long notif)
{
    for (;;) {
        sys_sleep(TICK_MS);
        sys_notif_signal(notif, (long)TICK_BIT);
    }
}

static void pinger(long i)
{
    struct service *s = &svcs[i];
    for (;;) {
        sys_sleep(PING_MS);
        struct msg m = { TAG(LABEL_PING, 0), 0, 0, 0, 0, 0 };
        s->ping_sent_ms = now_ms();
        ipc_call(s->endpoint, &m, NULL);
        s->pong_ms = now_ms();
        s->ping_sent_ms = 0;
    }
}

_Noreturn void supervise(struct service *table, int n, long svc_endpoint, long deaths_notif)
{
    static const server_op ops[SVC_OPS] = {
        [SVC_LIST] = op_list, [SVC_RESTART] = op_restart,
        [SVC_FAULT] = op_fault, [SVC_KILL] = op_kill,
        [SVC_PCI] = op_pci, [SVC_CONNECT] = op_connect, [SVC_BUSMASTER] = op_busmaster,
        [SVC_KEEP] = keeper_keep, [SVC_RECLAIM] = keeper_reclaim, [SVC_UNKEEP] = keeper_unkeep,
    };
    svcs = table;
    nsvcs = n;
    deaths = deaths_notif;
    for (int i = 0; i < n; i++)
        start_service(&svcs[i]);
    thread_start(ticker, deaths, 47, 16384);
    for (int i = 0; i < n; i++)
        if (svcs[i].endpoint >= 0)
            thread_start(pinger, i, 47, 16384);
    struct server srv = { svc_endpoint, ops, SVC_OPS, deaths, on_notify, NULL };
    server_run(&srv);
}
