// The handles init keeps for proc (SVC_KEEP, SVC_RECLAIM, SVC_UNKEEP): a
// copy of the process handle of each child proc starts. Handles die with
// the process that holds them, and a child's exit status with its last
// handle, so a restarted proc takes them back from here; the rest of its
// state is in its table (servers/proc/table.h). Besides the children's
// handles (key: the pid), proc keeps net's notification here (key 0).
// Only proc may call.
#include "supervisor.h"
#include "server.h"
#include "services.h"

#define KEEP_MAX 256
#define EPERM 1
#define ESRCH 3
#define EAGAIN 11

struct kept { int pid; long handle; uint64_t word; };
static struct kept kept[KEEP_MAX];
static int top;                  // every slot in use is below it
static const struct service *proc_svc;

void keeper_init(const struct service *proc) { proc_svc = proc; }

static int from_proc(const struct request *rq)
{
    return proc_svc && proc_svc->state == SVC_RUNNING &&
           rq->badge == ((uint64_t)proc_svc->pid | BADGE_SYSTEM);
}

static struct kept *find(int pid)
{
    for (int i = 0; i < top; i++)
        if (kept[i].handle > 0 && kept[i].pid == pid)
            return &kept[i];
    return NULL;
}

static void drop(int pid)
{
    struct kept *k = find(pid);
    if (k) {
        sys_handle_close(k->handle);
        *k = (struct kept){ 0, 0, 0 };
    }
    while (top > 0 && kept[top - 1].handle <= 0)
        top--;
}

int keeper_keep(struct request *rq)
{
    rq->r0 = (uint64_t)-EPERM;
    if (!from_proc(rq) || !rq->handle)
        return 0;
    drop((int)rq->w0);
    struct kept *k = NULL;
    for (int i = 0; i < KEEP_MAX && !k; i++)
        if (kept[i].handle <= 0)
            k = &kept[i];
    rq->r0 = k ? 0 : (uint64_t)-EAGAIN;
    if (k) {
        *k = (struct kept){ (int)rq->w0, (long)rq->w2, rq->w1 };
        top = k - kept >= top ? (int)(k - kept) + 1 : top;
        rq->handle = 0;                              // kept
    }
    return 0;
}

// Replies itself, passing a copy of the kept handle.
int keeper_reclaim(struct request *rq)
{
    struct kept *k = from_proc(rq) ? find((int)rq->w0) : NULL;
    rq->r0 = from_proc(rq) ? (uint64_t)-ESRCH : (uint64_t)-EPERM;
    if (!k)
        return 0;
    struct msg m = { TAG(0, 0) | TAG_HANDLE, 0, k->word, (uint64_t)k->handle, 0, 0 };
    ipc_reply(rq->token, &m, NULL);                  // (fails only if the caller is gone)
    return SERVER_DEFER;
}

int keeper_unkeep(struct request *rq)
{
    rq->r0 = (uint64_t)-EPERM;
    if (from_proc(rq)) {
        drop((int)rq->w0);
        rq->r0 = 0;
    }
    return 0;
}
