// proc: the process manager. Spawns programs (spawn.c), keeps the table
// of the processes it started, learns of their deaths from the kernel,
// answers wait, kill, the process list and poweroff. The table outlives
// us (table.h, restore.c): each change of a record is written there, and
// a restarted proc carries on from it; waits are numbered by the caller's
// libc, so a wait sent again after our crash gets the answer it missed.
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "port.h"
#include "pipe_proto.h"
#include "svc_proto.h"
#include "fs_proto.h"

struct child children[MAX_CHILDREN];
long death_notif;

// A blocked wait: dies with this incarnation (the caller's libc sends it again).
struct waiter { int used; uint32_t token; int ppid, pid, options; uint64_t seq; };
static struct waiter waiters[64];

int child_live(const struct child *c)
{
    return c->e.state == PR_STARTING || c->e.state == PR_RUNNING || c->e.state == PR_DEAD;
}

struct child *child_find(int pid)
{
    for (int i = 0; i < children_top; i++)
        if (child_live(&children[i]) && children[i].e.pid == pid)
            return &children[i];
    return NULL;
}

// The <sys/wait.h> status for how the kernel says a process ended.
static int wait_status(long st, int signal)
{
    int code = PROC_CODE(st);
    switch ((int)PROC_STATE((uint64_t)st)) {
    case PROC_EXITED: return (code & 0xff) << 8;
    case PROC_KILLED: return signal ? signal : SIGKILL;
    default: return code == 0 ? SIGFPE : code == 6 ? SIGILL : SIGSEGV;
    }
}

static bool matches(const struct child *c, int ppid, int pid)
{
    return child_live(c) && c->e.ppid == ppid && (pid == -1 || c->e.pid == pid);
}

// A dead child's status goes to its parent's wait number seq: the record
// stays (PR_REAPED) until the parent's next request, so that the same
// wait sent again after our crash gets the same answer.
static void reap(struct child *c, uint64_t seq)
{
    c->e.state = seq ? PR_REAPED : PR_FREE;
    c->e.reap_seq = seq;
    child_save(c);
}

// Parent ppid sent a request other than wait number seq: the answers of
// its earlier waits arrived.
void reaped_forget(int ppid, uint64_t seq)
{
    for (int i = 0; i < children_top; i++) {
        struct child *c = &children[i];
        if (c->e.state == PR_REAPED && c->e.ppid == ppid && (!seq || c->e.reap_seq != seq)) {
            c->e.state = PR_FREE;
            child_save(c);
        }
    }
}

// Hands a dead child to a waiting parent; returns true if one took it.
static bool deliver_to_waiter(struct child *c)
{
    for (int i = 0; i < 64; i++) {
        struct waiter *w = &waiters[i];
        if (w->used && matches(c, w->ppid, w->pid)) {
            reap(c, w->seq);
            server_reply(w->token, (uint64_t)c->e.pid, (uint64_t)c->e.status, 0, NULL, 0);
            w->used = 0;
            return true;
        }
    }
    return false;
}

// Tells pipe that pid's ends are gone; sent again when pipe's crash cuts
// it (pipe applies it once: it drops every reference pid still has).
void pipe_gone(int pid)
{
    for (int attempt = 0; attempt < 3000; attempt++) {
        struct msg m = { TAG(PIPE_PROC_GONE, 0), (uint64_t)pid, 0, 0, 0, 0 };
        if (ipc_call(H_PIPE, &m, NULL) != -E_DEAD)
            return;
        sys_sleep(10);
    }
}

// c ended with kernel status st: its record says so before its handle
// (ours and init's copy) goes, so a crash in between loses nothing.
static void child_died(struct child *c, long st)
{
    int pid = c->e.pid;
    pipe_gone(pid);
    netwatch_died(c);
    c->e.state = PR_DEAD;
    c->e.status = wait_status(st, c->e.signal);
    child_save(c);
    sys_handle_close(c->handle);
    c->handle = -1;
    keep_drop(pid);
    for (int i = 0; i < children_top; i++) {          // orphans: nobody will wait
        struct child *o = &children[i];
        if (o->e.state == PR_FREE || o->e.ppid != pid)
            continue;
        o->e.ppid = 0;
        o->e.state = o->e.state == PR_DEAD || o->e.state == PR_REAPED ? PR_FREE : o->e.state;
        child_save(o);
    }
    if (c->e.ppid == 0) {
        c->e.state = PR_FREE;
        child_save(c);
    } else {
        deliver_to_waiter(c);
    }
}

// Death notification bits: child i signals bit i % 64.
void children_reap(uint64_t bits)
{
    for (int i = 0; i < children_top; i++) {
        struct child *c = &children[i];
        if (c->e.state != PR_RUNNING || c->handle < 0 || !(bits & (1ul << (i % 64))))
            continue;
        long st = sys_proc_status(c->handle, 0);
        if (PROC_STATE((uint64_t)st) != PROC_RUNNING)
            child_died(c, st);
    }
}

// PROC_WAIT: w0 = pid, w1 = options, w2 = the caller's request number.
static int op_wait(struct request *rq)
{
    int pid = (int)(long)rq->w0, ppid = (int)rq->badge, have = 0;
    uint64_t seq = rq->w2;
    for (int i = 0; i < children_top && seq; i++) {
        struct child *c = &children[i];
        if (c->e.state == PR_REAPED && c->e.ppid == ppid && c->e.reap_seq == seq) {
            rq->r0 = (uint64_t)c->e.pid;         // sent again: the same answer
            rq->r1 = (uint64_t)c->e.status;
            return 0;
        }
    }
    reaped_forget(ppid, seq);
    for (int i = 0; i < children_top; i++) {
        struct child *c = &children[i];
        if (!matches(c, ppid, pid))
            continue;
        have = 1;
        if (c->e.state == PR_DEAD) {
            rq->r0 = (uint64_t)c->e.pid;
            rq->r1 = (uint64_t)c->e.status;
            reap(c, seq);
            return 0;
        }
    }
    rq->r0 = have ? 0 : (uint64_t)-ECHILD;
    if (!have || (rq->w1 & WNOHANG))
        return 0;
    for (int i = 0; i < 64; i++)
        if (!waiters[i].used) {
            waiters[i] = (struct waiter){ 1, rq->token, ppid, pid, (int)rq->w1, seq };
            return SERVER_DEFER;
        }
    rq->r0 = (uint64_t)-EAGAIN;
    return 0;
}

static void kill_child(struct child *c, int sig)
{
    if (c->e.state != PR_RUNNING || sig == 0 || c->handle < 0)
        return;
    c->e.signal = sig;
    child_save(c);
    sys_proc_kill(c->handle);
}

static int op_kill(struct request *rq)
{
    int pid = (int)(long)rq->w0, sig = (int)rq->w1;
    struct child *c = child_find(pid);
    struct proc_info pi;
    if (sig < 0 || sig >= NSIG) {
        rq->r0 = (uint64_t)-EINVAL;
    } else if (c) {                                  // a zombie takes it too (sent again)
        kill_child(c, sig);
        rq->r0 = 0;
    } else if (pid == sys_proc_self() && sig) {      // us: answered first, init restarts us
        server_reply(rq->token, 0, 0, 0, NULL, 0);
        struct msg m = { TAG(SVC_KILL, 0), (uint64_t)pid, 0, 0, 0, 0 };
        ipc_call(H_SVC, &m, NULL);
        return SERVER_DEFER;
    } else {                                         // a service: init decides
        struct msg m = { TAG(SVC_KILL, 0), (uint64_t)pid, 0, 0, 0, 0 };
        long e = sig == 0 ? -1 : ipc_call(H_SVC, &m, NULL);
        rq->r0 = e == 0 ? m.w0 : (uint64_t)-ESRCH;
        for (long i = 0; e != 0 && sys_proc_info(H_ROOT_CAP, i, (long)&pi) == 0; i++)
            if (pi.pid == pid)
                rq->r0 = sig == 0 ? 0 : (uint64_t)-EPERM;
    }
    return 0;
}

static int op_kill_group(struct request *rq)
{
    int n = 0;
    for (int i = 0; i < children_top; i++)
        if (children[i].e.state == PR_RUNNING && children[i].e.pgid == (int)rq->w0 && rq->w0) {
            kill_child(&children[i], (int)rq->w1);
            n++;
        }
    rq->r0 = n ? 0 : (uint64_t)-ESRCH;
    return 0;
}

static int op_list(struct request *rq)
{
    static struct proc_entry e;
    struct proc_info pi;
    if (sys_proc_info(H_ROOT_CAP, (long)rq->w0, (long)&pi) < 0) {
        rq->r0 = 0;
        return 0;
    }
    struct child *c = child_find(pi.pid);
    e = (struct proc_entry){ pi.pid, pi.ppid, c ? c->e.pgid : pi.pid, pi.prio, pi.threads, pi.state, "",
                             pi.pages, pi.cpu, pi.base_prio, pi.ticks, pi.calls, pi.served };
    if (c && c->e.ppid)
        e.ppid = c->e.ppid;
    memcpy(e.name, pi.name, sizeof(e.name));
    rq->r0 = 1;
    rq->reply_data = &e;
    rq->reply_len = sizeof(e);
    return 0;
}

static int op_poweroff(struct request *rq)
{
    struct msg m = { TAG(FS_SYNC, 0), 0, 0, 0, 0, 0 };
    ipc_call(H_FS, &m, NULL);                     // leave the disk marked clean
    printf("proc: power off\n");
    if (sys_ioport_enable(H_POWER_IO) == 0) {
        outw(0x604, 0x2000);
        usleep(500000);        // QEMU stops the machine a moment after the write
    }
    rq->r0 = (uint64_t)-EIO;
    return 0;
}

static int op_spawn(struct request *rq) { return spawn_program(rq); }

static const server_op ops[PROC_OPS] = {
    [PROC_SPAWN] = op_spawn, [PROC_WAIT] = op_wait, [PROC_KILL] = op_kill,
    [PROC_KILL_GROUP] = op_kill_group, [PROC_LIST] = op_list, [PROC_POWEROFF] = op_poweroff,
    [PROC_NET_WATCH] = op_net_watch, [PROC_NET_GONE] = op_net_gone,
};

int main(int argc, char **argv)
{
    int restarts = server_announce("proc", argc, argv);
    table_start(&death_notif);
    (void)restarts;
    struct server s = { H_MY_ENDPOINT, ops, PROC_OPS, death_notif, children_reap, NULL };
    server_run(&s);
}
