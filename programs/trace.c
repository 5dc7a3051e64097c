// trace: the kernel's event recorder at the shell.
// usage: trace start [-b KiB]        recording on, into a fresh buffer
//        trace stop                  recording off (the records stay)
//        trace dump FILE             stops recording, writes the records
//        trace [-b KiB] [-o FILE] -- cmd [arg...]
//                                    records around one command (dump to
//                                    /trace.bin unless -o); exits with the
//                                    command's status
// Needs the trace right (handle H_TRACE), which init gives the shell and
// the shell its programs. The dump format is in uapi/trace.h; the host's
// tools/trace2json and tools/trace2svg read it.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <osapi.h>
#include "os.h"
#include "services.h"
#include "uapi/trace.h"
#include "prog.h"
#include "run.h"

#define DEFAULT_KIB 4096
#define MAX_THREADS 1024
#define MAX_PROCS   2048

static long trace_call(long op, long a, long b, long c)
{
    return sys_trace(H_TRACE, op, a, b, c);
}

static int fail(const char *what, long err)
{
    fprintf(stderr, "trace: %s: %s\n", what,
            err == -E_BADHANDLE || err == -E_PERM ? "no trace right (start it from the shell)"
            : err == -E_INVAL ? "bad argument" : err == -E_NOMEM ? "out of memory" : "error");
    return 1;
}

static int start(long kib)
{
    long e = trace_call(TRACE_START, kib * 1024, 0, 0);
    return e < 0 ? fail("start", e) : 0;
}

// The process table: live threads' processes, then processes named by
// start and exit records that are gone. Returns the count.
static uint32_t procs_collect(struct trace_file_proc *p, const struct trace_thread *th,
                              long nth, const struct trace_rec *r, uint64_t nrec)
{
    uint32_t n = 0;
    for (long i = 0; i < nth + (long)nrec && n < MAX_PROCS; i++) {
        struct trace_file_proc e = { 0 };
        if (i < nth) {
            e.pid = th[i].pid;
            e.ppid = th[i].ppid;
            memcpy(e.name, th[i].name, sizeof(th[i].name));
        } else {
            const struct trace_rec *x = &r[i - nth];
            if (x->type != TR_START && x->type != TR_EXIT)
                continue;
            e.pid = x->a_pid;
            e.ppid = x->type == TR_START ? x->op : 0;
            memcpy(e.name, x->name, sizeof(x->name));
        }
        uint32_t k = 0;
        while (k < n && p[k].pid != e.pid)
            k++;
        if (k == n)
            p[n++] = e;
    }
    return n;
}

// Reads every CPU's kept records into one array (CPU 0's first).
static struct trace_rec *records_read(const struct trace_status *st, uint64_t *nrec)
{
    uint64_t total = 0;
    for (uint32_t c = 0; c < st->ncpus && c < TRACE_CPUS_MAX; c++)
        total += st->kept[c];
    struct trace_rec *r = malloc((total ? total : 1) * sizeof(*r));
    *nrec = 0;
    for (uint32_t c = 0; r && c < st->ncpus && c < TRACE_CPUS_MAX; c++) {
        long n = trace_call(TRACE_READ, c, (long)(r + *nrec), (long)(st->kept[c] * sizeof(*r)));
        if (n < 0) {
            free(r);
            return NULL;
        }
        *nrec += (uint64_t)n;
    }
    return r;
}

static int write_all(FILE *f, const void *p, size_t len)
{
    return len == 0 || fwrite(p, len, 1, f) == 1 ? 0 : -1;
}

static int dump(const char *path)
{
    static struct trace_thread th[MAX_THREADS];
    static struct trace_file_proc procs[MAX_PROCS];
    struct trace_status st;
    long e = trace_call(TRACE_STOP, 0, 0, 0);
    if (e < 0 || (e = trace_call(TRACE_STATUS, (long)&st, 0, 0)) < 0)
        return fail("dump", e);
    long nth = trace_call(TRACE_THREADS, (long)th, MAX_THREADS, 0);
    uint64_t nrec;
    struct trace_rec *r = nth < 0 ? NULL : records_read(&st, &nrec);
    if (!r)
        return fail("dump", nth < 0 ? nth : -E_NOMEM);
    nth = nth > MAX_THREADS ? MAX_THREADS : nth;
    struct trace_file_hdr h = { .magic = TRACE_MAGIC, .version = TRACE_VERSION,
                                .ncpus = st.ncpus, .rec_size = sizeof(struct trace_rec),
                                .tsc_hz = st.tsc_hz, .nthread = (uint32_t)nth, .nrec = nrec };
    h.nproc = procs_collect(procs, th, nth, r, nrec);
    for (uint32_t c = 0; c < st.ncpus && c < TRACE_CPUS_MAX; c++)
        h.lost += st.written[c] - st.kept[c];
    FILE *f = fopen(path, "wb");
    int bad = !f || write_all(f, &h, sizeof(h)) || write_all(f, procs, h.nproc * sizeof(*procs)) ||
              write_all(f, th, (size_t)nth * sizeof(*th)) || write_all(f, r, nrec * sizeof(*r));
    if (f && fclose(f))
        bad = 1;
    free(r);
    if (bad) {
        fprintf(stderr, "trace: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(stderr, "trace: %llu records (%llu lost) from %u CPUs in %s\n", (unsigned long long)nrec,
           (unsigned long long)h.lost, st.ncpus, path);
    return 0;
}

// trace [-b KiB] [-o FILE] -- cmd args: start, run, wait, stop, dump.
static int around(long kib, const char *out, char **cmd)
{
    if (start(kib))
        return 1;
    int status = prog_run(cmd);
    if (status < 0)
        fprintf(stderr, "trace: %s: %s\n", cmd[0], strerror(errno));
    if (dump(out))
        return 1;
    if (status < 0)
        return 127;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

static long kib_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 4 || v > (long)(TRACE_MAX_BYTES / 1024)) {
        fprintf(stderr, "trace: -b %s: give KiB from 4 to %lu\n", s, TRACE_MAX_BYTES / 1024);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    prog_init("trace");
    const char *usage = "start [-b KiB] | stop | dump FILE | [-b KiB] [-o FILE] -- cmd [arg...]";
    long kib = DEFAULT_KIB;
    const char *out = "/trace.bin";
    int i = 1;
    if (argc >= 2 && !strcmp(argv[1], "stop") && argc == 2) {
        long e = trace_call(TRACE_STOP, 0, 0, 0);
        return e < 0 ? fail("stop", e) : 0;
    }
    if (argc == 3 && !strcmp(argv[1], "dump"))
        return dump(argv[2]);
    int is_start = argc >= 2 && !strcmp(argv[1], "start");
    for (i = is_start ? 2 : 1; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "-b") && i + 1 < argc)
            kib = kib_arg(argv[++i]);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc && !is_start)
            out = argv[++i];
        else
            prog_usage(usage, 2);
    }
    if (is_start)
        return i == argc ? start(kib) : (prog_usage(usage, 2), 2);
    if (i + 1 >= argc)
        prog_usage(usage, 2);
    return around(kib, out, argv + i + 1);
}
