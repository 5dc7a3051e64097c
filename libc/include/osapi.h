// This system's calls beyond POSIX, for programs built with tools/cc.
// Everything else is ordinary newlib/POSIX: open, read, write, close,
// lseek, stat, lstat, fstat, pipe, dup, dup2, fcntl, waitpid, kill, getpid,
// chdir, getcwd, opendir/readdir/closedir, scandir, link, symlink,
// readlink, realpath, chmod, fchmod, umask, truncate, fsync, posix_spawn,
// popen, wordexp (over sh), glob, fnmatch, regcomp/regexec, sysconf,
// gettimeofday, time, localtime (TZ: UTC unless set), flockfile, sleep,
// usleep, nanosleep, malloc ... (there is no fork or exec: os_spawn).
#ifndef OSAPI_H
#define OSAPI_H
#include <sys/types.h>

// Starts the program at `path` (absolute, or relative to the working
// directory) with argv and envp. fds[0..2] are this process's descriptors
// that become the child's 0, 1 and 2 (-1, or one closed here: that one is
// closed in the child). prio 0 means the default priority
// (10); at most the caller's own. pgid 0 puts the child in a new process
// group of its own; otherwise it joins pgid. Returns the pid, or -1 with
// errno set (ENOENT: no such file, ENOEXEC: not a valid program).
pid_t os_spawn(const char *path, char *const argv[], char *const envp[],
               const int fds[3], int prio, pid_t pgid);

// The CPUs the programs this process starts from now on may run on (bit
// n: CPU n; 0: the same as this process). os_spawn fails with EINVAL if
// the set holds no CPU that runs.
void os_spawn_cpus(unsigned mask);

// The number of CPUs that run.
int os_cpu_count(void);

// Makes `pgid` the console's foreground process group: ^C ends it.
int os_set_foreground(pid_t pgid);

struct os_procinfo {
    int pid, ppid, pgid, prio, threads;
    int running;                 // 1 runnable, 0 blocked
    char name[32];
    unsigned long pages;         // memory it holds: 4 KiB pages (with page tables)
    int cpu;                     // the CPU it runs or last ran on
    int base_prio;               // its threads' highest base priority (prio: with what
                                 // IPC lends them)
    unsigned long ticks;         // 1 ms timer ticks that found it running, summed over CPUs
    unsigned long calls, served; // IPC calls its threads made, and received
};

// Fills up to max entries with the live processes; returns the count.
int os_proc_list(struct os_procinfo *out, int max);

// The machine's memory in bytes: usable RAM, in use (kernel, processes,
// caches) and free. 0, or -1 with errno set.
struct os_meminfo {
    unsigned long total, used, free;
};
int os_meminfo(struct os_meminfo *out);

struct os_statfs {
    unsigned long block_size, blocks, free_blocks, inodes, free_inodes;
    char type[8];                // "ext2", "memfs"
};

// Describes the file system holding path (for df).
int os_statfs(const char *path, struct os_statfs *out);

// The supervisor's services (init): list, restart, fault injection.
struct os_svc {
    char name[16];
    int pid, state, restarts;    // state: 0 running, 1 restarting, 2 stopped
    unsigned long last_restart_ms;
    char reason[64];
};
int os_svc_list(struct os_svc *out, int max);
int os_svc_restart(const char *name);
// kind: 1 crash (a real CPU fault), 2 hang (spins without end), 3 wild
// (random registers and memory words), 4 code (one instruction of its
// program changed), 5 kill; the same seed, the same damage.
int os_svc_fault(const char *name, int kind, unsigned long seed);

// The kernel's consistency check (kernel command line "test" or
// "kcheck" only): 0 if consistent, else the number of problems with their
// description in report; negative if this kernel has no check.
long os_kcheck(char *report, unsigned long len);

// The time stamp counter less the time the CPU spent idle; under QEMU's
// -icount that is the number of instructions executed (make bench).
unsigned long os_busy_count(void);

// Powers the machine off (QEMU exits with status 0).
int os_poweroff(void);

#define OS_PRIO_DEFAULT 10
#define OS_PRIO_MAX     24       // the highest a program may ask for

// The network interfaces of the net server (net_proto.h's struct
// net_ifinfo): index 0 is the Ethernet one, 1 the loopback. 0, or -1 with
// errno set (ENODEV past the last, ENETDOWN without the net server).
struct net_ifinfo;
int os_net_ifinfo(int index, struct net_ifinfo *out);

// One ICMP echo through the net server (NET_PING): to addr (network
// order, as in struct in_addr) with sequence seq and bytes of data,
// waiting at most timeout_ms. Blocks. 0 with *out filled, or -1 with errno
// set (ETIMEDOUT: no reply; EHOSTUNREACH; ENETDOWN without the net server).
struct os_ping_reply {
    unsigned bytes;              // ICMP data bytes in the reply
    unsigned long rtt_us;        // round trip, microseconds
    unsigned ttl;
};
int os_net_ping(unsigned addr, unsigned seq, unsigned bytes, unsigned timeout_ms,
                struct os_ping_reply *out);

#endif
