// Shared by the in-system test files: the test table, spawning helpers
// and the echo server (t_echo) they talk to.
#ifndef KTEST_H
#define KTEST_H
#include "os.h"

#define H_IOPORT_RTC 1          // granted by init
#define H_IRQ_RTC    2
#define H_ROOT_TEST  3
#define MY_PRIO      30         // ktest's own priority

extern char why[160];
#define FAIL(...) do { snprintf(why, sizeof(why), __VA_ARGS__); return why; } while (0)
#define EXPECT(c, ...) do { if (!(c)) FAIL(__VA_ARGS__); } while (0)

struct test { const char *name; const char *(*fn)(void); };
struct smp_test { const char *name; const char *(*fn)(void); int cpus; };   // cpus: at least

// Spawns a test program from the boot files; its death sets *bit.
long run(const char *name, const char *arg, const long *grants, int ngrants, uint64_t *bit);
long run_prio(const char *name, const char *arg, const long *grants, int ngrants, uint64_t *bit,
              int prio);
long wait_death(long proc, uint64_t bit);     // -> proc_status
extern struct proc_exit last_exit;

extern long echo_ep;                          // t_echo's endpoint, after start_echo
const char *start_echo(void);
const char *payload(uint64_t len);            // a round trip of len bytes, checked

extern long done_notif;                       // threads signal their bit here
void wait_bits(uint64_t want);

// ktest_rt.c: priority inheritance and timeouts.
const char *t_pi_high_client_not_blocked_by_hog(void);
const char *t_pi_high_client_not_blocked_by_hog_on(uint64_t cpus);
const char *t_pi_senders_in_priority_order(void);
const char *t_call_timeout_no_receiver(void);
const char *t_recv_timeout(void);
const char *t_call_timeout_slow_server(void);
const char *t_sleep_resolution(void);
#define KTEST_RT_TESTS \
    { "pi_high_client_not_blocked_by_hog", t_pi_high_client_not_blocked_by_hog }, \
    { "pi_senders_in_priority_order", t_pi_senders_in_priority_order }, \
    { "call_timeout_no_receiver", t_call_timeout_no_receiver }, \
    { "recv_timeout", t_recv_timeout }, \
    { "call_timeout_slow_server", t_call_timeout_slow_server }, \
    { "sleep_resolution", t_sleep_resolution },

// ktest_ipchold.c: calls a server holds on to.
const char *t_ipc_hold_and_receive_again(void);
const char *t_ipc_holder_thread_dies(void);
const char *t_ipc_held_call_server_dies(void);
#define KTEST_IPCHOLD_TESTS \
    { "ipc_hold_and_receive_again", t_ipc_hold_and_receive_again }, \
    { "ipc_holder_thread_dies", t_ipc_holder_thread_dies }, \
    { "ipc_held_call_server_dies", t_ipc_held_call_server_dies },

// ktest_smp.c: several CPUs (ktest.c runs each only with enough of them;
// with fewer it is neither run nor reported).
const char *t_smp_parallel(void);
const char *t_smp_ipi_preempt(void);
const char *t_smp_unmap_shootdown(void);
const char *t_smp_kill_running(void);
const char *t_smp_kill_death_prompt(void);
const char *t_smp_pi_cross_cpu(void);
const char *t_smp_wait_in_place(void);
#define KTEST_SMP_TESTS \
    { "smp_parallel", t_smp_parallel, 3 }, \
    { "smp_ipi_preempt", t_smp_ipi_preempt, 2 }, \
    { "smp_unmap_shootdown", t_smp_unmap_shootdown, 2 }, \
    { "smp_kill_running", t_smp_kill_running, 4 }, \
    { "smp_kill_death_prompt", t_smp_kill_death_prompt, 2 }, \
    { "smp_pi_cross_cpu", t_smp_pi_cross_cpu, 2 }, \
    { "smp_wait_in_place", t_smp_wait_in_place, 2 },

// ktest_iso.c: no handle, no access.
const char *t_isolation_no_handle(void);
#define KTEST_ISO_TESTS \
    { "isolation_no_handle", t_isolation_no_handle },

// ktest_trace.c: the kernel's event recorder.
const char *t_trace_ipc_four_events(void);
const char *t_trace_ring_wraps(void);
const char *t_trace_needs_right(void);
const char *t_trace_bad_arguments(void);
#define KTEST_TRACE_TESTS \
    { "trace_ipc_four_events", t_trace_ipc_four_events }, \
    { "trace_ring_wraps", t_trace_ring_wraps }, \
    { "trace_needs_right", t_trace_needs_right }, \
    { "trace_bad_arguments", t_trace_bad_arguments },

// ktest_mem.c: frame counts and lazy pages.
long own_pages(void);
const char *t_mem_info(void);
const char *t_lazy_pages(void);
const char *t_program_pages(void);
#define KTEST_MEM_TESTS \
    { "mem_info", t_mem_info }, \
    { "lazy_pages", t_lazy_pages }, \
    { "program_pages", t_program_pages },

// ktest_dma.c: contiguous frames for drivers.
const char *t_dma_needs_right(void);
const char *t_dma_bad_arguments(void);
const char *t_dma_past_limit(void);
const char *t_dma_contiguous_and_freed(void);
const char *t_dma_freed_at_death(void);
#define KTEST_DMA_TESTS \
    { "dma_needs_right", t_dma_needs_right }, \
    { "dma_bad_arguments", t_dma_bad_arguments }, \
    { "dma_past_limit", t_dma_past_limit }, \
    { "dma_contiguous_and_freed", t_dma_contiguous_and_freed }, \
    { "dma_freed_at_death", t_dma_freed_at_death },

#endif
