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

// Gives the child its standard handles, start block and pipe ends.
static long setup_child(long h, int pid, const struct proc_spawn *s, int pgid, int prio)
{
    struct startinfo si = { .magic = STARTINFO_MAGIC, .pid = pid, .pgid = pgid, .prio = prio };
    for (int i = 0; i < N_MINT; i++)
        if (sys_handle_grant(h, H_MINT_FIRST + i, R_SEND, (long)pid) != i + 1)
            return -ENOMEM;
    memcpy(si.fds, s->fds, sizeof(si.fds));
    memcpy(si.cwd, s->cwd, sizeof(si.cwd));
    for (int i = 0; i < 3; i++) {
        int t = (int)si.fds[i].type;
        if (t != FD_PIPE_R && t != FD_PIPE_W)
            continue;
        struct msg m = { TAG(PIPE_ADDREF, 0), si.fds[i].id, t == FD_PIPE_W, (uint64_t)pid, 0, 0 };
        if (ipc_call(H_PIPE, &m, NULL) < 0 || (long)m.w0 < 0)
            si.fds[i].type = FD_NONE;
    }
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
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i].used && children[i].ppid == ppid)
            n++;
    return n;
}

static struct child *child_slot(void)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (!children[i].used)
            return &children[i];
    return NULL;
}

int spawn_program(struct request *rq)
{
    static const char *argv[257], *envp[257];
    const struct proc_spawn *s;
    const char *path;
    int err = 0;
    struct child *c = children_of((int)rq->badge) < LIMIT_CHILDREN ? child_slot() : NULL;
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
    struct child *parent = child_find((int)rq->badge);
    uint32_t cpus = s->cpus ? s->cpus : parent ? parent->cpus : 0;
    if (h >= 0 && (e = setup_child(h, pid, s, pgid, prio)) == 0 &&
        (e = pass_trace(rq, h)) == 0 && (!cpus || (e = sys_proc_cpus(h, cpus)) == 0))
        e = spawn_start(h, &r);
    else if (h >= 0) {
        sys_proc_kill(h);
        sys_handle_close(h);
    }
    image_put(elf);
    if (h < 0 || e < 0) {
        rq->r0 = (uint64_t)(h == -E_BADELF ? -ENOEXEC : e == -E_INVAL ? -EINVAL : -ENOMEM);
        return 0;
    }
    *c = (struct child){ .used = 1, .pid = pid, .ppid = (int)rq->badge, .pgid = pgid,
                         .prio = prio, .cpus = cpus, .handle = h };
    strncpy(c->name, name, sizeof(c->name) - 1);
    rq->r0 = (uint64_t)pid;
    return 0;
}
