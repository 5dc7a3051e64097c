// sysconf, pathconf, fpathconf and getpgrp: this system's figures.
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>
#include "libc.h"
#include "fs_proto.h"
#include "pipe_proto.h"
#include "uapi/limits.h"

pid_t spawn_own_pgid(void);

// Physical pages of the machine (total, or free ones).
static long mem_pages(int free_ones)
{
    struct mem_info mi;
    if (sys_mem_info((long)&mi) < 0)
        return rpc_result(-EINVAL);
    return (long)(free_ones ? mi.free : mi.total);
}

long sysconf(int name)
{
    switch (name) {
    case _SC_ARG_MAX:     return IPC_MAX_PAYLOAD - 512;   // one spawn request, less its header
    case _SC_CHILD_MAX:   return LIMIT_CHILDREN;
    case _SC_CLK_TCK:     return CLOCKS_PER_SEC;
    case _SC_OPEN_MAX:    return OPEN_MAX;
    case _SC_PAGESIZE:    return 4096;
    case _SC_PHYS_PAGES:  return mem_pages(0);
    case _SC_AVPHYS_PAGES: return mem_pages(1);
    default:              return rpc_result(-EINVAL);
    }
}

// The limits of the one file system type served (ext2 as the fs server
// has it) and of pipes; name is a _PC_ value.
static long path_limit(int name)
{
    switch (name) {
    case _PC_LINK_MAX:  return 32000;
    case _PC_NAME_MAX:  return FS_NAME_MAX;
    case _PC_PATH_MAX:  return FS_PATH_MAX;
    case _PC_PIPE_BUF:  return PIPE_BUF_SIZE;
    default:            return rpc_result(-EINVAL);
    }
}

long pathconf(const char *path, int name)
{
    if (access(path, F_OK) < 0)
        return -1;
    return path_limit(name);
}

long fpathconf(int fd, int name)
{
    return fd_get(fd) ? path_limit(name) : rpc_result(-EBADF);
}

pid_t getpgrp(void) { return spawn_own_pgid(); }
