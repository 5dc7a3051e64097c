// Copies of our children's process handles, kept by init (SVC_KEEP,
// servers/init/keeper.c): handles die with us, and a child's exit status
// lives only as long as someone holds a handle to it. A restarted proc
// gets them back (SVC_RECLAIM) and learns of the deaths it missed.
#include "proc.h"
#include "svc_proto.h"

void keep_put(int pid, long h, uint64_t word)
{
    struct msg m = { TAG(SVC_KEEP, 0) | TAG_HANDLE, (uint64_t)pid, word, (uint64_t)h, 0, 0 };
    ipc_call(H_SVC, &m, NULL);              // passes a copy: ours stays
}

long keep_get(int pid, uint64_t *word)
{
    struct msg m = { TAG(SVC_RECLAIM, 0), (uint64_t)pid, 0, 0, 0, 0 };
    if (ipc_call(H_SVC, &m, NULL) < 0 || (long)m.w0 < 0 || !(m.tag & TAG_HANDLE))
        return -1;
    if (word)
        *word = m.w1;
    return (long)m.w2;
}

void keep_drop(int pid)
{
    struct msg m = { TAG(SVC_UNKEEP, 0), (uint64_t)pid, 0, 0, 0, 0 };
    ipc_call(H_SVC, &m, NULL);
}
