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

long ipc_call(long h, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_call, (uint64_t)h, m, b);
}

long ipc_recv(long h, struct msg *m, const struct ipc_bufs *b)
{
    m->tag = 0;
    return ipc_syscall(SYS_recv, (uint64_t)h, m, b);
}

long ipc_reply(uint32_t token, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_reply, token, m, b);
}

long ipc_reply_recv(long h, uint32_t token, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_reply_recv, (uint64_t)(uint32_t)h | ((uint64_t)token << 32), m, b);
}
