// The kernel's tracer: a traced IPC round trip gives exactly its four
// records in order, a small ring wraps without corrupting records, a
// process without the trace right cannot use it, bad arguments are errors.
#include "ktest.h"
#include "uapi/trace.h"

#define RING_MAX 4096

static struct trace_rec recs[RING_MAX];
static struct trace_status st;

// Reads every CPU's kept records into recs, ordered by time; returns the count.
static long read_all(void)
{
    long n = 0;
    if (sys_trace(H_ROOT_TEST, TRACE_STATUS, (long)&st, 0, 0))
        return -1;
    for (uint32_t c = 0; c < st.ncpus && c < TRACE_CPUS_MAX; c++) {
        long got = sys_trace(H_ROOT_TEST, TRACE_READ, c, (long)(recs + n),
                             (long)((RING_MAX - n) * sizeof(recs[0])));
        if (got < 0)
            return got;
        n += got;
    }
    for (long i = 1; i < n; i++)                     // insertion sort by tsc
        for (long j = i; j > 0 && recs[j].tsc < recs[j - 1].tsc; j--) {
            struct trace_rec t = recs[j];
            recs[j] = recs[j - 1];
            recs[j - 1] = t;
        }
    return n;
}

static int is_ipc(const struct trace_rec *r) { return r->type >= TR_CALL && r->type <= TR_RETURN; }

const char *t_trace_ipc_four_events(void)
{
    const char *e = start_echo();
    if (e)
        return e;
    uint32_t me = (uint32_t)sys_proc_self(), self_tid = (uint32_t)sys_thread_self();
    EXPECT(payload(0) == NULL, "warm-up round trip");          // t_echo waits in recv now
    EXPECT(sys_trace(H_ROOT_TEST, TRACE_START, 64 * 1024, 0, 0) == 0, "start");
    struct msg m = { TAG(7, 0), 1, 2, 3, 0, 0 };
    long r = ipc_call(echo_ep, &m, NULL);
    EXPECT(sys_trace(H_ROOT_TEST, TRACE_STOP, 0, 0, 0) == 0, "stop");
    EXPECT(r == 0 && m.w1 == 3, "round trip: %ld w1 %lu", r, m.w1);
    long n = read_all(), k = 0;
    EXPECT(n > 0, "read: %ld", n);
    static const uint8_t want[4] = { TR_CALL, TR_RECV, TR_REPLY, TR_RETURN };
    const struct trace_rec *got[4];
    for (long i = 0; i < n; i++) {
        if (!is_ipc(&recs[i]) || (recs[i].a_pid != me && recs[i].b_pid != me))
            continue;
        EXPECT(k < 4, "more than four IPC records (type %d)", recs[i].type);
        got[k] = &recs[i];
        EXPECT(got[k]->type == want[k], "record %ld has type %d, not %d", k, got[k]->type, want[k]);
        EXPECT(got[k]->op == 7, "record %ld has op %u", k, got[k]->op);
        k++;
    }
    EXPECT(k == 4, "%ld IPC records, not 4", k);
    uint32_t echo = got[0]->b_pid;
    EXPECT(echo && echo != me, "server pid %u", echo);
    EXPECT(got[0]->a_pid == me && got[1]->a_pid == echo && got[1]->b_pid == me &&
           got[2]->a_pid == echo && got[2]->b_pid == me && got[3]->a_pid == me &&
           got[3]->b_pid == echo, "who: %u>%u %u<%u %u>%u %u<%u", got[0]->a_pid, got[0]->b_pid,
           got[1]->a_pid, got[1]->b_pid, got[2]->a_pid, got[2]->b_pid, got[3]->a_pid, got[3]->b_pid);
    EXPECT((got[0]->a_tid & 1023) == self_tid && got[3]->a_tid == got[0]->a_tid, "caller thread");
    EXPECT(got[0]->tsc <= got[1]->tsc && got[1]->tsc <= got[2]->tsc && got[2]->tsc <= got[3]->tsc,
           "out of order");
    return NULL;
}

// 1000 marks into a one-page ring on CPU 0: the kept ones are the last,
// consecutive and whole; every record in the ring is well-formed.
const char *t_trace_ring_wraps(void)
{
    enum { MARKS = 1000 };
    EXPECT(sys_proc_cpus(H_SELF, 1) == 0, "pin to CPU 0");
    long e = sys_trace(H_ROOT_TEST, TRACE_START, 4096, 0, 0);
    for (uint64_t i = 0; e == 0 && i < MARKS; i++)
        e = sys_trace(H_ROOT_TEST, TRACE_EVENT, TRU_MARK, (long)i, (long)"ktest mark\0\0\0\0\0");
    sys_trace(H_ROOT_TEST, TRACE_STOP, 0, 0, 0);
    sys_proc_cpus(H_SELF, ~0l);
    EXPECT(e == 0, "start or event: %ld", e);
    long n = read_all();
    uint64_t cap = 4096 / sizeof(struct trace_rec);
    EXPECT(n > 0 && st.kept[0] == cap && st.written[0] >= MARKS, "kept %lu of %lu (cap %lu)",
           st.kept[0], st.written[0], cap);
    long marks = 0;
    uint64_t next = 0;
    for (long i = 0; i < n; i++) {
        const struct trace_rec *r = &recs[i];
        EXPECT(r->type > TR_NONE && r->type < TR_TYPES && r->cpu < st.ncpus, "record %ld: type %d cpu %d",
               i, r->type, r->cpu);
        EXPECT(i == 0 || r->tsc >= recs[i - 1].tsc, "time goes back at %ld", i);
        if (r->type != TR_USER || r->cpu != 0)
            continue;
        EXPECT(r->op == TRU_MARK && !memcmp(r->name, "ktest mark", 11), "mark %ld corrupt", i);
        EXPECT(!marks || r->arg == next, "mark %lu after %lu", r->arg, next - 1);
        next = r->arg + 1;
        marks++;
    }
    EXPECT(next == MARKS && marks > (long)cap / 2 && marks < MARKS, "%ld marks kept, last %lu",
           marks, next - 1);
    return NULL;
}

// t_fault trace: every trace call through each of its handles must be
// refused (exit 42); given the right it may (exit 43).
const char *t_trace_needs_right(void)
{
    long no = sys_handle_mint(H_ROOT_TEST, R_DMA | R_MANAGE | R_GRANT, 0);
    long yes = sys_handle_mint(H_ROOT_TEST, R_TRACE | R_GRANT, 0);
    EXPECT(no >= 0 && yes >= 0, "mint: %ld %ld", no, yes);
    EXPECT(sys_trace(no, TRACE_STATUS, (long)&st, 0, 0) == -E_PERM, "minted without the right");
    EXPECT(sys_trace(echo_ep >= 0 ? echo_ep : 99, TRACE_STATUS, (long)&st, 0, 0) == -E_BADHANDLE,
           "not a root handle");
    EXPECT(sys_trace(H_ROOT_TEST, TRACE_START, 64 * 1024, 0, 0) == 0, "start");
    sys_trace(H_ROOT_TEST, TRACE_EVENT, TRU_MARK, 1, 0);
    uint64_t bit;
    long p = run("t_fault", "trace", &no, 1, &bit);
    long st1 = p >= 0 ? wait_death(p, bit) : p;
    p = run("t_fault", "trace", &yes, 1, &bit);
    long st2 = p >= 0 ? wait_death(p, bit) : p;
    sys_trace(H_ROOT_TEST, TRACE_STOP, 0, 0, 0);
    sys_handle_close(no);
    sys_handle_close(yes);
    EXPECT(st1 == ((long)PROC_EXITED << 32 | 42), "without the right: status %lx", st1);
    EXPECT(st2 == ((long)PROC_EXITED << 32 | 43), "with the right: status %lx", st2);
    return NULL;
}

const char *t_trace_bad_arguments(void)
{
    long h = H_ROOT_TEST;
    EXPECT(sys_trace(h, TRACE_START, 0, 0, 0) == -E_INVAL, "size 0");
    EXPECT(sys_trace(h, TRACE_START, 100, 0, 0) == -E_INVAL, "size 100");
    EXPECT(sys_trace(h, TRACE_START, (long)TRACE_MAX_BYTES + 4096, 0, 0) == -E_INVAL, "too big");
    EXPECT(sys_trace(h, TRACE_START, -1, 0, 0) == -E_INVAL, "size -1");
    EXPECT(sys_trace(h, 99, 0, 0, 0) == -E_INVAL && sys_trace(h, 0, 0, 0, 0) == -E_INVAL, "op");
    EXPECT(sys_trace(h, TRACE_STATUS, 0, 0, 0) == -E_FAULT, "status to NULL");
    EXPECT(sys_trace(h, TRACE_STATUS, (long)0xffffffff80100000ul, 0, 0) == -E_FAULT, "kernel ptr");
    EXPECT(sys_proc_cpus(H_SELF, 1) == 0, "pin to CPU 0");      // a record in CPU 0's ring
    EXPECT(sys_trace(h, TRACE_START, 8192, 0, 0) == 0, "start");
    sys_trace(h, TRACE_EVENT, TRU_MARK, 1, 0);
    long bad_text = sys_trace(h, TRACE_EVENT, TRU_MARK, 1, 16);
    sys_trace(h, TRACE_STOP, 0, 0, 0);
    sys_proc_cpus(H_SELF, ~0l);
    EXPECT(bad_text == -E_FAULT, "event text at 16: %ld", bad_text);
    EXPECT(sys_trace(h, TRACE_READ, 99, (long)recs, sizeof(recs)) == -E_INVAL, "CPU 99");
    EXPECT(sys_trace(h, TRACE_READ, 0, 16, sizeof(recs)) == -E_FAULT, "read to 16");
    EXPECT(sys_trace(h, TRACE_READ, 0, (long)0xffffffff80100000ul, sizeof(recs)) == -E_FAULT,
           "read into the kernel");
    EXPECT(sys_trace(h, TRACE_READ, 0, (long)recs, 10) == 0, "a buffer smaller than a record");
    EXPECT(sys_trace(h, TRACE_THREADS, 16, 100, 0) == -E_FAULT, "threads to 16");
    EXPECT(sys_trace(h, TRACE_THREADS, 0, 0, 0) > 0, "thread count");
    return NULL;
}
