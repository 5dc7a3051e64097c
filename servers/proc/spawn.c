// Spawning a program: get its ELF image (image.c: proc's cache or the
// file system), create the process, give it the service handles (badged
// with its pid), its start block and its pipe references, then start it.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"
#include "fs_proto.h"
#include "pipe_proto.h"
#include "uapi/limits.h"
#include "uapi/trace.h"

extern long death_notif;

// Splits the request's strings into path, argv and envp (pointers into
// the request). Returns 0 or -EINVAL for a malformed request.
static int unpack(struct request *rq, const struct proc_spawn **sp, const char **path,
                  const char **argv, const char **envp)
{
    const struct proc_spawn *s = rq->data;
    if (rq->len < sizeof(*s) || s->strings_len != rq->len - sizeof(*s) || s->argc < 0 ||
        s->envc < 0 || s->argc > 256 || s->envc > 256 || s->cwd[sizeof(s->cwd) - 1])
        return -EINVAL;
    const char *p = (const char *)(s + 1), *end = p + s->strings_len;
    const char **slots[2] = { argv, envp };
    int counts[2] = { s->argc, s->envc };
    if (!memchr(p, 0, (size_t)(end - p)))
        return -EINVAL;
    *path = p;
    p += strlen(p) + 1;
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < counts[k]; i++) {
            if (p >= end || !memchr(p, 0, (size_t)(end - p)))
                return -EINVAL;
            slots[k][i] = p;
            p += strlen(p) + 1;
        }
        slots[k][counts[k]] = NULL;
    }
    *sp = s;
    return 0;
}

// Gives pid pipe references for its pipe ends (fds without one become
// FD_NONE). A call cut by pipe's crash may have been applied: pid's
// references are all dropped then, and made again.
static void pipe_refs(struct startinfo *si, int pid)
{
    struct fd_desc want[3];
    memcpy(want, si->fds, sizeof(want));
    for (int attempt = 0; attempt < 100; attempt++) {
        int cut = 0;
        memcpy(si->fds, want, sizeof(want));
        for (int i = 0; i < 3 && !cut; i++) {
            int t = (int)si->fds[i].type;
            if (t != FD_PIPE_R && t != FD_PIPE_W)
                continue;
            struct msg m = { TAG(PIPE_ADDREF, 0), si->fds[i].id, t == FD_PIPE_W, (uint64_t)pid,
                             0, 0 };
            long e = ipc_call(H_PIPE, &m, NULL);
            cut = e == -E_DEAD;
            if (e < 0 || (long)m.w0 < 0)
                si->fds[i].type = FD_NONE;
        }
        if (!cut)
            return;
        pipe_gone(pid);
        sys_sleep(10);
    }
}

// Gives the child its standard handles, start block and pipe ends.
static long setup_child(long h, int pid, const struct proc_spawn *s, int pgid, int prio)
{
    struct startinfo si = { .magic = STARTINFO_MAGIC, .pid = pid, .pgid = pgid, .prio = prio };
    for (int i = 0; i < N_MINT; i++)
        if (sys_handle_grant(h, H_MINT_FIRST + i, R_SEND, (long)pid) != i + 1)
            return -ENOMEM;
    memcpy(si.fds, s->fds, sizeof(si.fds));
    memcpy(si.cwd, s->cwd, sizeof(si.cwd));
    pipe_refs(&si, pid);
    long e = sys_vm_map(h, (long)STARTINFO_VADDR, 4096, PROT_READ | PROT_WRITE);
    return e ? e : sys_vm_write(h, (long)STARTINFO_VADDR, (long)&si, sizeof(si));
}

// A spawn request that passed a handle (TAG_HANDLE) passes the trace
// right: if it is one (the trace syscall accepts it), the child gets it
// in slot H_TRACE (the first after the service handles), else nothing; a
// spawn never fails for it. The server loop closes proc's copy.
static long pass_trace(struct request *rq, long h)
{
    struct trace_status st;
    if (!rq->handle || sys_trace((long)rq->w2, TRACE_STATUS, (long)&st, 0, 0) < 0)
        return 0;
    sys_handle_grant(h, (long)rq->w2, R_TRACE | R_GRANT, 0);   // lands in H_TRACE
    return 0;
}

// How many children ppid has that are running or not yet waited for.
static int children_of(int ppid)
{
    int n = 0;
    for (int i = 0; i < children_top; i++)
        if (child_live(&children[i]) && children[i].e.ppid == ppid)
            n++;
    return n;
}

static struct child *child_slot(void)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i].e.state == PR_FREE)
            return &children[i];
    return NULL;
}

// A spawn sent again after our crash: the pid of the child it made, or 0.
static int spawn_done_before(int ppid, uint64_t seq)
{
    for (int i = 0; i < children_top && seq; i++)
        if (child_live(&children[i]) && children[i].e.ppid == ppid &&
            children[i].e.spawn_seq == seq)
            return children[i].e.pid;
    return 0;
}

// The child's record, PR_STARTING until it runs (a restart in between
// undoes the spawn), and init's copy of its handle.
static void record(struct child *c, long h, const struct pr_entry *e, const char *name)
{
    c->e = *e;
    c->handle = h;
    memset(c->e.name, 0, sizeof(c->e.name));
    strncpy(c->e.name, name, sizeof(c->e.name) - 1);
    child_save(c);
    keep_put(e->pid, h, 0);
}

// A spawn that failed after its process was made: no trace of it stays.
static void undo(struct child *c)
{
    sys_proc_kill(c->handle);
    sys_handle_close(c->handle);
    c->handle = -1;
    pipe_gone(c->e.pid);
    keep_drop(c->e.pid);
    c->e.state = PR_FREE;
    child_save(c);
}

// PROC_SPAWN: w0 = the caller's request number (a spawn sent again after
// our crash is not applied twice), payload: struct proc_spawn + strings.
int spawn_program(struct request *rq)
{
    static const char *argv[257], *envp[257];
    const struct proc_spawn *s;
    const char *path;
    int err = 0, ppid = (int)rq->badge, done = spawn_done_before(ppid, rq->w0);
    if (done) {
        rq->r0 = (uint64_t)done;
        return 0;
    }
    reaped_forget(ppid, 0);
    struct child *c = children_of(ppid) < LIMIT_CHILDREN ? child_slot() : NULL;
    if (!c || unpack(rq, &s, &path, argv, envp)) {      // no slot or over the limit: EAGAIN
        rq->r0 = (uint64_t)(c ? -EINVAL : -EAGAIN);
        return 0;
    }
    uint64_t size;
    const uint8_t *elf = image_get(path, &size, &err);
    if (!elf) {
        rq->r0 = (uint64_t)-err;
        return 0;
    }
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int max = rq->badge == 1 ? 27 : 24;             // init may start the shell higher
    int prio = s->prio > 0 && s->prio <= max ? s->prio : 10;
    struct spawn_req r = { .name = name, .elf = elf, .elf_len = size, .argv = argv, .envp = envp,
                           .prio = prio, .notif = death_notif,
                           .bits = 1ul << ((c - children) % 64) };
    long h = spawn_load(&r), e = 0;
    int pid = h < 0 ? 0 : (int)sys_proc_pid(h), pgid = s->pgid > 0 ? s->pgid : pid;
    struct child *parent = child_find(ppid);
    uint32_t cpus = s->cpus ? s->cpus : parent ? parent->e.cpus : 0;
    if (h >= 0) {
        struct pr_entry rec = { .state = PR_STARTING, .pid = pid, .ppid = ppid, .pgid = pgid,
                                .prio = prio, .cpus = cpus, .spawn_seq = rq->w0 };
        record(c, h, &rec, name);
    }
    if (h >= 0 && (e = setup_child(h, pid, s, pgid, prio)) == 0 &&
        (e = pass_trace(rq, h)) == 0 && (!cpus || (e = sys_proc_cpus(h, cpus)) == 0))
        e = spawn_start(h, &r);
    image_put(elf);
    if (h < 0 || e < 0) {
        if (h >= 0)
            undo(c);
        rq->r0 = (uint64_t)(h == -E_BADELF ? -ENOEXEC : e == -E_INVAL ? -EINVAL : -ENOMEM);
        return 0;
    }
    c->e.state = PR_RUNNING;
    child_save(c);
    rq->r0 = (uint64_t)pid;
    return 0;
}
