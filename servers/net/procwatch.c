// Closing the sockets of processes that end. When a process makes its
// first socket, net asks proc to watch it (PROC_NET_WATCH, passing a copy
// of our notification); when it dies, proc signals PROCWATCH_BIT and we
// collect the dead pids (PROC_NET_GONE). proc never calls us, so a process
// without sockets costs nothing at its death and neither server can wait
// for the other in a circle.
#include <errno.h>
#include <stdio.h>
#include "os.h"
#include "services.h"
#include "proc_proto.h"
#include "sock.h"

#define PROC_MS 500              // proc answers in this long, or we go on without

static long notif_copy = -1;     // for proc; passed until proc has kept one
static int proc_has_copy;

void procwatch_start(long notif)
{
    notif_copy = sys_handle_mint(notif, R_SIGNAL | R_GRANT, 0);
    if (notif_copy < 0)
        printf("net: cannot make proc's notification copy (error %ld)\n", notif_copy);
}

long procwatch_watch(uint64_t owner)
{
    int pass = !proc_has_copy && notif_copy >= 0;
    struct msg m = { TAG(PROC_NET_WATCH, 0) | (pass ? TAG_HANDLE : 0), owner,
                     pass ? PROCWATCH_BIT : 0, pass ? (uint64_t)notif_copy : 0, 0, 0 };
    long e = ipc_call_timeout(H_PROC, &m, NULL, PROC_MS);
    if (e < 0)
        return 0;                  // proc is away: the socket is made, not watched
    if (pass && (long)m.w0 != -EPERM)
        proc_has_copy = 1;
    return (long)m.w0 == -ESRCH ? -ESRCH : 0;
}

// proc lost pids (more died than it keeps): every owner is asked about
// again, and the gone ones' sockets are closed.
static void rewatch_all(void)
{
    static uint64_t owners[256];
    int n = sock_owners(owners, 256);
    for (int i = 0; i < n; i++)
        if (procwatch_watch(owners[i]) == -ESRCH)
            sock_owner_gone(owners[i]);
}

void procwatch_collect(void)
{
    static int32_t pids[PROC_GONE_MAX];
    struct msg m = { TAG(PROC_NET_GONE, 0), 0, 0, 0, 0, 0 };
    struct ipc_bufs b = { NULL, 0, pids, sizeof(pids) };
    if (ipc_call_timeout(H_PROC, &m, &b, PROC_MS) < 0 || (long)m.w0 < 0)
        return;
    uint64_t n = TAG_LEN(m.tag) / sizeof(pids[0]);
    for (uint64_t i = 0; i < n && i < PROC_GONE_MAX; i++)
        sock_owner_gone((uint64_t)pids[i]);
    if (m.w1)
        rewatch_all();
}
