// The system interface for programs built without newlib (init and the
// in-system tests): syscall stubs generated from the one syscall list,
// IPC, printing, a few string functions and spawning from an ELF image.
#ifndef OS_H
#define OS_H
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include "uapi/syscalls.h"
#include "uapi/abi.h"
#include "uapi/errors.h"

static inline long syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r10 __asm__("r10") = a3, r8 __asm__("r8") = a4, r9 __asm__("r9") = a5;
    __asm__ volatile("syscall" : "+a"(n) : "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return n;
}

#define OS_STUB_0(name, num) static inline long sys_##name(void) { return syscall6(num, 0, 0, 0, 0, 0, 0); }
#define OS_STUB_1(name, num) static inline long sys_##name(long a) { return syscall6(num, a, 0, 0, 0, 0, 0); }
#define OS_STUB_2(name, num) static inline long sys_##name(long a, long b) { return syscall6(num, a, b, 0, 0, 0, 0); }
#define OS_STUB_3(name, num) static inline long sys_##name(long a, long b, long c) { return syscall6(num, a, b, c, 0, 0, 0); }
#define OS_STUB_4(name, num) static inline long sys_##name(long a, long b, long c, long d) { return syscall6(num, a, b, c, d, 0, 0); }
#define OS_STUB_5(name, num) static inline long sys_##name(long a, long b, long c, long d, long e) { return syscall6(num, a, b, c, d, e, 0); }
#define OS_STUB_6(name, num) static inline long sys_##name(long a, long b, long c, long d, long e, long f) { return syscall6(num, a, b, c, d, e, f); }
#define OS_STUB_(num, name, argc) OS_STUB_##argc(name, num)
SYSCALL_LIST(OS_STUB_)

// An IPC message: tag (label and payload length), three words, and on
// receipt the sender's badge and the reply token.
struct msg {
    uint64_t tag, w0, w1, w2;
    uint64_t badge;
    uint32_t token;
};

// The IPC system calls, inline (they are on every round trip): the
// message goes out in rsi rdx r10 r8 and comes back in the same
// registers, with the badge in rdi and the token in r9.
// out is the message sent, m the one received.
static inline long ipc_syscall(long num, uint64_t first, const struct msg *out, struct msg *m,
                               const struct ipc_bufs *b)
{
    register uint64_t rdi __asm__("rdi") = first, rsi __asm__("rsi") = out->tag;
    register uint64_t rdx __asm__("rdx") = out->w0, r10 __asm__("r10") = out->w1;
    register uint64_t r8 __asm__("r8") = out->w2, r9 __asm__("r9") = (uint64_t)b;
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
static inline uint64_t ipc_handle_timeout(long h, unsigned timeout_ms)
{
    return (uint64_t)(uint32_t)h | (uint64_t)timeout_ms << 32;
}

// The same, ending with -E_TIMEOUT after timeout_ms milliseconds (0: never).
static inline long ipc_call_timeout(long h, struct msg *m, const struct ipc_bufs *b, unsigned timeout_ms)
{
    return ipc_syscall(SYS_call, ipc_handle_timeout(h, timeout_ms), m, m, b);
}

static inline long ipc_call(long h, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_call_timeout(h, m, b, 0);
}

static inline long ipc_recv_timeout(long h, struct msg *m, const struct ipc_bufs *b, unsigned timeout_ms)
{
    static const struct msg none;                   // sends nothing
    m->tag = 0;
    return ipc_syscall(SYS_recv, ipc_handle_timeout(h, timeout_ms), &none, m, b);
}

static inline long ipc_recv(long h, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_recv_timeout(h, m, b, 0);
}

static inline long ipc_reply(uint32_t token, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_reply, token, m, m, b);
}

static inline long ipc_reply_recv(long h, uint32_t token, struct msg *m, const struct ipc_bufs *b)
{
    return ipc_syscall(SYS_reply_recv, (uint64_t)(uint32_t)h | ((uint64_t)token << 32), m, m, b);
}

// Registers the kernel passed at process start (init: boot files, command line).
extern uint64_t os_boot_arg[3];

#ifndef OS_NEWLIB   /* newlib programs get these from newlib */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *h, const char *n);
long atol(const char *s);
_Noreturn void exit(int code);
#endif

struct spawn_req {
    const char *name;
    const void *elf;
    uint64_t elf_len;
    const char *const *argv;        // NULL-terminated, may be NULL
    const char *const *envp;        // NULL-terminated, may be NULL
    int prio;
    long notif;                     // death notification handle, or -1
    uint64_t bits;
    const long *grants;             // handles passed on; they land in slots 1, 2, ...
    int ngrants;
    const void *data;               // optional bytes copied to data_at before start
    uint64_t data_len, data_at;
};

// Creates a process from an ELF image and starts its first thread.
// Returns the process handle or a negative error (-E_BADELF for a corrupt ELF).
long spawn(const struct spawn_req *r);
// The same in two steps, so the caller can grant handles or write memory
// (knowing the pid) before the program runs: spawn_load creates the
// process with its image, grants and data; spawn_start gives it its
// arguments and first thread (on failure the process is killed).
long spawn_load(const struct spawn_req *r);
long spawn_start(long proc, const struct spawn_req *r);
// Starts a thread in this process on a fresh stack of `stack_size` bytes.
long thread_start(void (*fn)(long), long arg, int prio, uint64_t stack_size);

#endif
