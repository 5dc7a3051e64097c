// Requests to the servers, and kernel IPC errors mapped to errno values.
#include <errno.h>
#include "libc.h"

static long ipc_errno(long e)
{
    switch (-e) {
    case E_NOMEM: return -ENOMEM;
    case E_FAULT: return -EFAULT;
    case E_TOOBIG: return -E2BIG;
    case E_BADHANDLE: case E_PERM: return -EPERM;
    case E_TIMEOUT: return -ETIMEDOUT;
    default: return -EIO;
    }
}

// A call cut by the server's death (-E_DEAD) is sent again: the endpoint
// outlives the server, so the retry waits for its successor. The
// protocols are stateless, so a retried request does the same thing.
long rpc_call(long handle, struct rpc *r)
{
    struct msg m;
    struct ipc_bufs b = { r->data, r->len, r->rbuf, r->rmax };
    long e;
    for (int attempt = 0;; attempt++) {
        m = (struct msg){ TAG(r->op, 0), r->w0, r->w1, r->w2, 0, 0 };
        if (r->xfer > 0) {
            m.tag |= TAG_HANDLE;
            m.w2 = (uint64_t)r->xfer;
        }
        e = ipc_call_timeout(handle, &m, &b, r->timeout_ms);
        if (e != -E_DEAD || attempt == 3000)
            break;
        if (attempt)
            sys_sleep(10);
    }
    if (e < 0)
        return ipc_errno(e);
    r->r1 = m.w1;
    r->r2 = m.w2;
    r->rlen = TAG_LEN(m.tag);
    return (long)m.w0;
}

long rpc_result(long r)
{
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return r;
}
