// Process manager protocol (servers/proc). The badge is the caller's pid.
// Replies: r0 = result (>= 0) or a negative errno (newlib values).
#ifndef PROC_PROTO_H
#define PROC_PROTO_H
#include <stdint.h>
#include "services.h"

enum proc_op {
    PROC_SPAWN = 1,    // payload: struct proc_spawn + strings -> r0 = pid
    PROC_WAIT,         // w0 = pid (-1: any child), w1 = WNOHANG -> r0 = pid (0: none yet
                       //    with WNOHANG), r1 = wait status (as in <sys/wait.h>).
                       //    Blocks until a matching child ends.
    PROC_KILL,         // w0 = pid, w1 = signal -> r0 = 0
    PROC_KILL_GROUP,   // w0 = process group, w1 = signal
    PROC_LIST,         // w0 = index -> payload: struct proc_entry, r0 = 1; 0 past the end
    PROC_POWEROFF,     // ends the system
    PROC_NET_WATCH,    // from net only (-EPERM else): w0 = pid, w1 = notification bit,
                       //    w2 = notification (TAG_HANDLE, kept: replaces the last one).
                       //    proc signals it when that process dies -> r0 = 0 watched,
                       //    1 alive but not proc's child (not watched), -ESRCH gone
    PROC_NET_GONE,     // from net only: -> payload: int32_t pids of watched processes
                       //    that died since the last call (at most PROC_GONE_MAX), r0 =
                       //    their count, r1 = 1 if more died than proc could keep (net
                       //    then watches every pid it holds sockets for again)
    PROC_OPS
};

#define PROC_GONE_MAX 64

// A spawn request: fixed part, then `strings_len` bytes holding the path,
// then argc arguments, then envc environment strings, each NUL-terminated.
struct proc_spawn {
    int32_t prio;                // 0: default
    int32_t pgid;                // 0: a new group led by the child
    int32_t argc, envc;
    struct fd_desc fds[3];
    char cwd[256];
    uint32_t strings_len;
    uint32_t cpus;               // CPUs it may run on (bit n: CPU n); 0: the parent's
};
_Static_assert(sizeof(struct proc_spawn) == 16 + 72 + 256 + 8, "proc_spawn layout");

struct proc_entry {
    int32_t pid, ppid, pgid, prio;
    int32_t threads, state;      // state: 0 running, 1 sleeping
    char name[32];
    uint64_t pages;              // user pages and page tables (4 KiB each)
    int32_t cpu;                 // the CPU it runs or last ran on
    int32_t base_prio;           // its threads' highest base priority (prio: with IPC's loans)
    uint64_t ticks;              // 1 ms timer ticks that found it running (per CPU)
    uint64_t calls, served;      // IPC calls its threads made, and received
};
_Static_assert(sizeof(struct proc_entry) == 96, "proc_entry layout");

#endif
