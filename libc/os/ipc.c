// IPC system calls, which return message registers as well as rax.
#include "os.h"

// One IPC syscall: the message goes out in rsi rdx r10 r8 and comes back
// in the same registers, with the badge in rdi and the token in r9.
static long ipc_syscall(long num, uint64_t first, struct msg *m, const struct ipc_bufs *b)
{
    register uint64_t rdi __asm__("rdi") = first, rsi __asm__("rsi") = m->tag;
    register uint64_t rdx __asm__("rdx") = m->w0, r10 __asm__("r10") = m->w1;
    register uint64_t r8 __asm__("r8") = m->w2, r9 __asm__("r9") = (uint64_t)b;
    __asm__ volatile("syscall"
                     : "+a"(num), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                     :: "rcx", "r11", "memory");
    if (num >= 0) {
        m->tag = rsi;
        m->w0 = rdx;
        m->w1 = r10;
        m->w2 = r8;
        m->badge = rdi;
        m->token = (uint32_t)r9;
    }
    return num;
}

// The handle goes in the low half of rdi, a timeout in milliseconds
// (0: none) in the high half.
static uint64_t handle_timeout(long h, unsigned timeout_ms)
{
    return (uint64_t)(uint32_t)h | (uint64_t)timeout_ms << 32;
}

long ipc_call(long h, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_call, handle_timeout(h, 0), m, b);
}

long ipc_call_timeout(long h, struct msg *m, const struct ipc_bufs *b, unsigned timeout_ms)
{
    return ipc_syscall(SYS_call, handle_timeout(h, timeout_ms), m, b);
}

long ipc_recv(long h, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_recv_timeout(h, m, b, 0);
}

long ipc_recv_timeout(long h, struct msg *m, const struct ipc_bufs *b, unsigned timeout_ms)
{
    m->tag = 0;
    return ipc_syscall(SYS_recv, handle_timeout(h, timeout_ms), m, b);
}

long ipc_reply(uint32_t token, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_reply, token, m, b);
}

long ipc_reply_recv(long h, uint32_t token, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_reply_recv, (uint64_t)(uint32_t)h | ((uint64_t)token << 32), m, b);
}
