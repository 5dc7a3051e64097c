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
    default: return -EIO;
    }
}

long rpc_call(long handle, struct rpc *r)
{
    struct msg m = { TAG(r->op, 0), r->w0, r->w1, r->w2, 0, 0 };
    struct ipc_bufs b = { r->data, r->len, r->rbuf, r->rmax };
    long e = ipc_call(handle, &m, &b);
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
