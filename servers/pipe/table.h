// The pipe table: every pipe's bytes, open ends and the requests it has
// applied, kept in memory that outlives the pipe server (init allocates
// it once and hands it to each incarnation). Pure logic, no system calls,
// so the host tests (tests/host/test_pipe_table.c) run it as it is.
//
// Every change of a pipe's record goes through a one-entry journal: the
// new record is written beside it, marked valid, copied over the old one,
// then unmarked, so a crash at any instruction leaves either the old or
// the new record (pt_open redoes a valid journal). Each record carries a
// checksum of itself and one of the bytes in its ring; pt_open checks
// both, and the invariants, before it trusts a pipe, and drops (marks
// broken: its requests get -EIO) one that fails.
//
// Exactly once across a crash: a write is applied with the writer's
// sequence number in its holder record, so a retried write (same pid,
// same number) is answered from the record, not applied again. A read is
// recorded first (who, which number, how many bytes), answered, and only
// then takes the bytes out; a retried read gets the same bytes again, and
// the reader's next request (or its close, or its death) commits it.
#ifndef PIPE_TABLE_H
#define PIPE_TABLE_H
#include <stdint.h>
#include "pipe_proto.h"

#define PT_MAGIC    0x5441425045504950ul     // "PIPETABT"
#define PT_VERSION  1
#define PT_PIPES    64
#define PT_HOLDERS  16
#define PT_MAX_PID  (1 << 24)
#define PT_MAX_REFS (1 << 20)

enum { PS_FREE, PS_USED, PS_BROKEN };

struct pt_holder {
    int32_t pid, refs[2];
    uint32_t pad;
    uint64_t seq;                // its last applied write or close
    int64_t res;                 // and that request's answer
};

struct pt_read {                 // a read answered but not yet taken out
    uint32_t busy;
    int32_t pid;
    uint64_t seq;
    uint32_t n, pad;
};

struct pt_meta {
    uint32_t state, gen;         // gen: bumped at each create, part of the id
    uint64_t rpos;               // bytes read since creation (ring head = rpos % size)
    uint32_t count, pad;         // bytes in the ring
    int32_t create_pid, pad2;
    uint64_t create_seq;         // the create request, for a retried one
    uint64_t dsum;               // checksum of the ring's bytes (data_weight)
    struct pt_read rd;
    struct pt_holder holders[PT_HOLDERS];
    uint64_t sum;                // checksum of everything above
};

struct pt_pipe {
    struct pt_meta m;
    uint8_t buf[PIPE_BUF_SIZE];
};

struct pt_journal {
    uint32_t busy, index;
    struct pt_meta m;
};

struct pipe_table {
    uint64_t magic;
    uint32_t version, pad;
    struct pt_journal j;
    struct pt_pipe pipes[PT_PIPES];
};

// Ids: slot index in the low 8 bits, generation above.
#define PT_ID(i, gen)   ((uint64_t)(i) | (uint64_t)(gen) << 8)
#define PT_INDEX(id)    ((id) & 0xff)
#define PT_GEN(id)      ((id) >> 8)

// What pt_open found: pipes kept, dropped, and whether it started afresh.
struct pt_report { int kept, dropped, fresh, redone; };

// Checks the table (formatting it when it is not one), redoes the
// journal, drops pipes that fail the check; log(index, why) says why.
struct pt_report pt_open(struct pipe_table *t, void (*log)(int index, const char *why));
// Why pipe i is not to be trusted, or NULL when it passes.
const char *pt_check(const struct pipe_table *t, int i);

// The pipe of an id: its index, or -EBADF (unknown), -EIO (dropped).
int pt_lookup(const struct pipe_table *t, uint64_t id);
int pt_refs(const struct pipe_table *t, int i, int end);
long pt_create(struct pipe_table *t, int pid, uint64_t seq);
// Bytes taken (0: full); a retried write gets its first answer.
long pt_write(struct pipe_table *t, int i, int pid, uint64_t seq, const uint8_t *data, uint64_t len);
// Starts a read of at most max bytes into out: the count, 0 when empty, or
// -EAGAIN while another reader's read is unresolved. pt_read_commit
// takes the bytes out once the answer is delivered.
long pt_read_begin(struct pipe_table *t, int i, int pid, uint64_t seq, uint64_t max, uint8_t *out);
void pt_read_commit(struct pipe_table *t, int i);
// Drops one reference (close); a retried close does nothing.
void pt_close(struct pipe_table *t, int i, int pid, int end, uint64_t seq);
int pt_addref(struct pipe_table *t, int i, int pid, int end);
// Every reference of a dead process; its unresolved read is committed.
void pt_proc_gone(struct pipe_table *t, int pid);
// Frees pipe i (nobody holds it).
void pt_free(struct pipe_table *t, int i);

uint64_t pt_meta_sum(const struct pt_meta *m);
uint64_t pt_data_sum(const struct pt_pipe *p);

#endif
