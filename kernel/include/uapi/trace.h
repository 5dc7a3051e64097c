// The trace buffer's records and the dump file format, shared by the
// kernel (kernel/core/trace.c), the trace program (programs/trace.c) and
// the host tools (tools/trace2json, tools/trace2svg; their tests read the
// same layout). All fields little-endian, as x86-64 stores them.
#ifndef UAPI_TRACE_H
#define UAPI_TRACE_H
#include <stdint.h>

// Record types.
enum trace_type {
    TR_NONE,
    TR_CALL,      // a: caller, b: the server thread that takes it, op: label, len, arg: badge
    TR_RECV,      // a: server thread, b: caller, op, len, arg: badge (same call as TR_CALL)
    TR_REPLY,     // a: server thread, b: caller, op: reply label, len
    TR_RETURN,    // a: caller, b: server thread: the call returned with the reply
    TR_SWITCH,    // a: thread that stops (0: idle), b: thread that runs (0: idle)
    TR_IRQ,       // op: IRQ line, a: thread interrupted
    TR_NOTIFY,    // a: signaller (0: the kernel), b: thread woken (0: none), arg: bits
    TR_FAULT,     // a: faulting thread, op: exception vector, arg: address (cr2 or rip)
    TR_START,     // a_pid: new process, b_pid slot: see name; op: parent pid
    TR_EXIT,      // a_pid: process, op: PROC_EXITED/FAULTED/KILLED, arg: code; name
    TR_USER,      // a: thread, op: event code, arg: value, name: text (up to 16 bytes)
    TR_TYPES
};

// User events init sends (op).
#define TRU_RESTART  1    // name: service, arg: restarts so far
#define TRU_MARK     2    // a program's own mark (tests)
#define TRU_RESTARTED 3   // name: service, arg: its new pid (init started it again)

// One record, 48 bytes. A thread is named by its kernel id (tid) and its
// process (pid); tid 0 / pid 0 is the idle thread or the kernel.
struct trace_rec {
    uint64_t tsc;                // time stamp counter of the CPU that wrote it
    uint8_t type, cpu;
    uint16_t flags;
    uint32_t op;
    uint32_t a_tid, a_pid;
    union {
        struct { uint32_t b_tid, b_pid, len, pad; };
        char name[16];           // TR_START, TR_EXIT, TR_USER: not NUL-terminated at 16
    };
    uint64_t arg;
};
_Static_assert(sizeof(struct trace_rec) == 48, "trace_rec layout");

// System call trace(handle with R_TRACE, op, a, b, c).
enum trace_op {
    TRACE_START = 1,   // a: buffer bytes (all CPUs together): drops old records
    TRACE_STOP,        // recording off; the records stay until the next start
    TRACE_STATUS,      // a: struct trace_status *
    TRACE_READ,        // a: CPU, b: buffer, c: its size in bytes -> records copied,
                       //    oldest first (those kept: the ring overwrites the oldest)
    TRACE_EVENT,       // a: event code, b: value, c: text (16 bytes, NUL-padded) or 0
    TRACE_THREADS,     // a: struct trace_thread[], b: how many fit -> how many there are
};

#define TRACE_MAX_BYTES  (64ul << 20)
#define TRACE_CPUS_MAX   8

struct trace_status {
    uint32_t on, ncpus;
    uint64_t bytes;              // buffer size (all CPUs)
    uint64_t tsc_hz;             // time stamp counter ticks per second (0: unknown)
    uint64_t written[TRACE_CPUS_MAX];   // records written per CPU since the start
    uint64_t kept[TRACE_CPUS_MAX];      // of which still in the ring
};

struct trace_thread {
    uint32_t tid, pid, ppid, pad;
    char name[16];               // its process's name (cut at 16 bytes)
};
_Static_assert(sizeof(struct trace_thread) == 32, "trace_thread layout");

// The dump file written by `trace dump`: a header, then nproc process
// entries, then nthread thread entries, then the records of every CPU
// (each CPU's oldest first; the converters sort by tsc).
#define TRACE_MAGIC    0x31435254u   /* "TRC1" */
#define TRACE_VERSION  1

struct trace_file_hdr {
    uint32_t magic, version;
    uint32_t ncpus, rec_size;    // rec_size: sizeof(struct trace_rec)
    uint64_t tsc_hz;             // 0: unknown
    uint32_t nproc, nthread;
    uint64_t nrec;
    uint64_t lost;               // records the rings overwrote
};
_Static_assert(sizeof(struct trace_file_hdr) == 48, "trace_file_hdr layout");

struct trace_file_proc {
    uint32_t pid, ppid;
    char name[24];
};
_Static_assert(sizeof(struct trace_file_proc) == 32, "trace_file_proc layout");
// Thread entries are struct trace_thread.

#endif
