// What every program started by proc finds at start: the services'
// endpoints in fixed handle slots (badged with the program's pid) and a
// start block describing its pid, process group, first three file
// descriptors and working directory.
#ifndef PROTO_SERVICES_H
#define PROTO_SERVICES_H
#include <stdint.h>

#define H_PROC     1
#define H_FS       2
#define H_CONSOLE  3
#define H_PIPE     4
#define H_SVC      5              // the supervisor (init)
#define H_TRACE    6              // the root capability with R_TRACE only, if the parent
                                  // had it (init gives it to the shell): the trace syscall

// Badge bit of the handles init gives system servers (proc): requests
// only they may make (pipe references of other processes) check it.
#define BADGE_SYSTEM (1ull << 40)

#define STARTINFO_VADDR 0x00007ffff0000000ul
#define STARTINFO_MAGIC 0x4f5354415254ul          /* "OSTART" */

// Kinds of file descriptor.
enum fd_type { FD_NONE, FD_KLOG, FD_CONSOLE, FD_FILE, FD_PIPE_R, FD_PIPE_W, FD_DIR, FD_SOCKET };

struct fd_desc {
    uint32_t type;               // enum fd_type
    uint32_t flags;              // O_APPEND etc. (newlib values)
    uint64_t id;                 // file: inode, pipe: pipe id
    uint64_t off;                // file offset
};

struct startinfo {
    uint64_t magic;
    int32_t pid, ppid, pgid, prio;
    struct fd_desc fds[3];
    char cwd[256];
};
_Static_assert(sizeof(struct startinfo) == 24 + 72 + 256, "startinfo layout");

#endif
