// Types and constants shared by the kernel and user space.
#ifndef UAPI_ABI_H
#define UAPI_ABI_H

// Handle rights.
#define R_SEND    (1u << 0)   /* endpoint: call */
#define R_RECV    (1u << 1)   /* endpoint: recv, reply_recv */
#define R_SIGNAL  (1u << 2)   /* notification: signal */
#define R_WAIT    (1u << 3)   /* notification: wait; irq: bind, ack */
#define R_GRANT   (1u << 4)   /* may be passed to another process */
#define R_MANAGE  (1u << 5)   /* process: map, write, threads, handles */
#define R_KILL    (1u << 6)   /* process: kill, status */
#define R_DMA     (1u << 7)   /* root: dma_alloc (contiguous frames for a device) */
#define R_TRACE   (1u << 8)   /* root: the trace system call (kernel event recording) */
#define R_ALL     0xffffffffu

// Handles the kernel gives the first process (init).
#define H_SELF    0   /* init's own process */
#define H_ROOT    1   /* root capability: IRQ lines and I/O ports */

// vm_map protection bits.
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4
#define PROT_LAZY  8   /* vm_map: each page gets its (zeroed) frame when first touched */

// Message tag: label in bits 0..31, payload length in 32..48, flags above.
#define TAG(label, len)      ((unsigned long)(unsigned)(label) | ((unsigned long)(len) << 32))
#define TAG_LABEL(tag)       ((unsigned)(tag))
#define TAG_LEN(tag)         (((tag) >> 32) & 0x1ffff)
#define TAG_HANDLE           (1ul << 62)  /* w2 carries a handle to pass */
#define IPC_MAX_PAYLOAD      65536

// Payload buffers of an IPC call, passed by pointer (or 0 for none).
struct ipc_bufs {
    const void *send;
    unsigned long send_len;
    void *recv;
    unsigned long recv_max;
};

// recv on an endpoint with a bound notification returns its bits as a
// message with this label, the bits in w0, badge 0 and token 0.
#define LABEL_NOTIFY 0xffffffffu
// A liveness ping from the supervisor; the shared server loop answers it.
#define LABEL_PING   0xfffffffeu

// proc_info result: one live process.
struct proc_info {
    int pid, ppid, prio, threads;
    int state;                   // 0 running, 1 all threads blocked
    char name[32];
    unsigned long pages;         // user pages and page tables it holds (4 KiB)
    int cpu;                     // the CPU its (running or first) thread ran on last
    int base_prio;               // the highest base priority of its threads (prio: with
                                 // what IPC lends them)
    unsigned long ticks;         // timer ticks (1 ms) that found one of its threads running
    unsigned long calls;         // IPC calls its threads made
    unsigned long served;        // IPC calls its threads received
};

// mem_info result: the machine's physical memory in 4 KiB frames.
struct mem_info {
    unsigned long total;         // usable RAM the memory map gave the kernel
    unsigned long free;          // not in use by anything
};

// cpu_info result: one CPU that runs.
struct cpu_info {
    unsigned long ticks;         // its timer interrupts so far (a watchdog sees them move)
    unsigned long idle_tsc;      // time stamp counter spent idle
    int id;
    int pid;                     // the process it runs now, 0 if idle
    int prio;                    // the priority it runs at, -1 if idle
    int pad;
};

// The latest timer interrupt (tick_info), for latency measurements.
struct tick_info {
    unsigned long tsc;           // time stamp counter at its entry
    unsigned long tick;          // its number since boot
    unsigned long woken;         // sleeping threads it made ready
};

// Where a process that died of a CPU exception was (proc_status).
struct proc_exit {
    unsigned long fault_addr;    // the address it touched (page faults) or rip
    unsigned long fault_rip;
};

// proc_status result.
#define PROC_RUNNING  0
#define PROC_EXITED   1   /* low 32 bits: exit code */
#define PROC_FAULTED  2   /* low 32 bits: exception vector */
#define PROC_KILLED   3
#define PROC_STATE(s) ((s) >> 32)
#define PROC_CODE(s)  ((int)(s))

#define PRIO_MAX      63
#define PRIO_DEFAULT  16

// User address space limits.
#define USER_TOP      0x00007fffffffffffUL
#define BOOTFS_VADDR  0x0000100000000000UL  /* where init sees the boot files */

#endif
