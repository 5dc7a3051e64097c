// The one list of system calls: number, name, argument count.
// The kernel builds its dispatch table from it and libc its stubs.
// Arguments: rdi, rsi, rdx, r10, r8, r9; number in rax; result in rax
// (negative = error, see errors.h). IPC calls also return message registers.
#ifndef UAPI_SYSCALLS_H
#define UAPI_SYSCALLS_H

#define SYSCALL_LIST(X) \
    X(0,  log,            2) /* (buf, len): kernel log line on serial */   \
    X(1,  yield,          0)                                               \
    X(2,  exit,           1) /* (code): end the calling process */         \
    X(3,  thread_exit,    0)                                               \
    X(4,  thread_create,  5) /* (proc, entry, stack, arg, prio) -> h */    \
    X(5,  thread_prio,    2) /* (thread, prio) */                          \
    X(6,  proc_create,    4) /* (name, len, notif, bits) -> proc handle */ \
    X(7,  proc_kill,      1) /* (proc) */                                  \
    X(8,  proc_status,    2) /* (proc, struct proc_exit * or 0) -> status */ \
    X(9,  vm_map,         4) /* (proc, vaddr, len, prot) */                \
    X(10, vm_unmap,       3) /* (proc, vaddr, len) */                      \
    X(11, vm_write,       4) /* (proc, dst vaddr, src, len) */             \
    X(12, handle_grant,   4) /* (proc, h, rights, badge) -> slot there */  \
    X(13, handle_close,   1) /* (h) */                                     \
    X(14, handle_mint,    3) /* (h, rights, badge) -> new h */             \
    X(15, endpoint_create,0)                                               \
    X(16, notif_create,   0)                                               \
    X(17, notif_signal,   2) /* (h, bits) */                               \
    X(18, notif_wait,     1) /* (h) -> bits */                             \
    X(19, call,           6) /* (h, tag, w0, w1, w2, bufs) */              \
    X(20, recv,           6) /* (h, -, -, -, -, bufs) */                   \
    X(21, reply,          5) /* (tag, w0, w1, w2, bufs) */                 \
    X(22, reply_recv,     6) /* (h, tag, w0, w1, w2, bufs) */              \
    X(23, irq_get,        2) /* (root, irq) -> h */                        \
    X(24, irq_bind,       3) /* (irq, notif, bits) */                      \
    X(25, irq_ack,        1) /* (irq) */                                   \
    X(26, ioport_get,     3) /* (root, base, count) -> h */                \
    X(27, ioport_enable,  1) /* (h): let the caller use those ports */     \
    X(28, time,           0) /* -> nanoseconds since boot */               \
    X(29, sleep,          1) /* (ms) */                                    \
    X(30, thread_self,    0) /* -> small thread id */                      \
    X(31, proc_self,      0) /* -> pid */                                  \
    X(32, proc_pid,       1) /* (proc) -> its pid */                       \
    X(33, proc_info,      3) /* (root, index, struct proc_info *) */       \
    X(34, mmio_get,       3) /* (root, paddr, len) -> h */                 \
    X(35, mmio_map,       2) /* (mmio, vaddr): map into the caller */      \
    X(36, endpoint_bind,  2) /* (endpoint, notif): recv also gets it */   \
    X(37, proc_fault,     3) /* (proc, 1 crash | 2 hang | 3 wild, seed) */ \
    X(38, wallclock,      0) /* -> nanoseconds since 1970 (from the RTC) */ \
    X(39, boot_tsc,       0) /* -> time stamp counter at the kernel's entry */ \
    X(40, busy_tsc,       0) /* -> time stamp counter less the idle thread's share */ \
    X(41, irq_wait,       1) /* (irq): irq_ack, then notif_wait on its notification */ \
    X(42, tick_info,      1) /* (struct tick_info *): the latest timer IRQ */ \
    X(43, mem_info,       1) /* (struct mem_info *): frames in the machine */ \
    X(44, dma_alloc,      3) /* (root R_DMA, vaddr, len) -> physical address */ \
    X(50, cpu_info,       2) /* (index, struct cpu_info *): -E_NOENT past the last CPU */ \
    X(51, thread_cpus,    2) /* (thread, mask): the CPUs it may run on (bit n: CPU n) */ \
    X(52, proc_cpus,      2) /* (proc, mask): the same for all its threads, now and later */ \
    X(53, cpu_self,       0) /* -> the CPU the caller runs on */ \
    X(54, trace,          5) /* (root R_TRACE, op, a, b, c): see uapi/trace.h */ \
    X(55, recv_buf,       2) /* (buf, max): this thread's receive buffer when recv and reply_recv get no bufs */ \
    X(56, kcheck,         2) /* (buf, len): test builds: kernel consistency, 0 or problems */

#define SYS_NUM_(num, name, argc) SYS_##name = num,
enum { SYSCALL_LIST(SYS_NUM_) SYS_COUNT };
#undef SYS_NUM_

#endif
