// The pipe table's operations and its consistency check (see table.h).
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "table.h"

#define SIZE PIPE_BUF_SIZE
#define barrier() __asm__ volatile("" ::: "memory")

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ul;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ul;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebul;
    return x ^ (x >> 31);
}

// The checksum term of byte b at stream position pos.
static uint64_t data_weight(uint64_t pos, uint8_t b) { return (b + 1ul) * (mix(pos) | 1); }

uint64_t pt_meta_sum(const struct pt_meta *m)
{
    const uint8_t *p = (const uint8_t *)m;
    uint64_t h = 0xcbf29ce484222325ul;
    for (size_t i = 0; i < offsetof(struct pt_meta, sum); i++)
        h = (h ^ p[i]) * 0x100000001b3ul;
    return h;
}

uint64_t pt_data_sum(const struct pt_pipe *p)
{
    uint64_t s = 0;
    for (uint64_t q = p->m.rpos; q < p->m.rpos + p->m.count; q++)
        s += data_weight(q, p->buf[q % SIZE]);
    return s;
}

// Replaces pipe i's record by m through the journal.
static void commit(struct pipe_table *t, int i, struct pt_meta *m)
{
    m->sum = pt_meta_sum(m);
    t->j.m = *m;
    t->j.index = (uint32_t)i;
    barrier();
    t->j.busy = 1;
    barrier();
    t->pipes[i].m = t->j.m;
    barrier();
    t->j.busy = 0;
    barrier();
}

const char *pt_check(const struct pipe_table *t, int i)
{
    const struct pt_pipe *p = &t->pipes[i];
    const struct pt_meta *m = &p->m;
    if (m->sum != pt_meta_sum(m))
        return "record checksum";
    if (m->state != PS_USED)
        return m->state == PS_FREE || m->state == PS_BROKEN ? NULL : "bad state";
    if (m->count > SIZE)
        return "count past the buffer";
    if (m->rd.busy > 1 || (m->rd.busy && (m->rd.n == 0 || m->rd.n > m->count)))
        return "pending read";
    for (int k = 0; k < PT_HOLDERS; k++) {
        const struct pt_holder *h = &m->holders[k];
        if (h->refs[0] < 0 || h->refs[1] < 0 || h->refs[0] > PT_MAX_REFS || h->refs[1] > PT_MAX_REFS)
            return "holder references";
        if ((h->refs[0] || h->refs[1]) && (h->pid <= 0 || h->pid >= PT_MAX_PID))
            return "holder pid";
    }
    if (m->dsum != pt_data_sum(p))
        return "data checksum";
    return NULL;
}

// Marks pipe i broken: its holders get -EIO until the slot is reused.
static void drop(struct pipe_table *t, int i)
{
    struct pt_meta m;
    memset(&m, 0, sizeof(m));
    m.state = PS_BROKEN;
    m.gen = t->pipes[i].m.gen;
    commit(t, i, &m);
}

struct pt_report pt_open(struct pipe_table *t, void (*log)(int index, const char *why))
{
    struct pt_report r = { 0, 0, 0, 0 };
    if (t->magic != PT_MAGIC || t->version != PT_VERSION) {
        memset(t, 0, sizeof(*t));
        t->version = PT_VERSION;
        barrier();
        for (int i = 0; i < PT_PIPES; i++)
            pt_free(t, i);
        barrier();
        t->magic = PT_MAGIC;
        r.fresh = 1;
        return r;
    }
    if (t->j.busy) {
        if (t->j.index < PT_PIPES && t->j.m.sum == pt_meta_sum(&t->j.m)) {
            t->pipes[t->j.index].m = t->j.m;
            r.redone = 1;
        }
        barrier();
        t->j.busy = 0;
    }
    for (int i = 0; i < PT_PIPES; i++) {
        const char *why = pt_check(t, i);
        if (why) {
            if (log)
                log(i, why);
            drop(t, i);
            r.dropped++;
        } else if (t->pipes[i].m.state == PS_USED) {
            r.kept++;
        }
    }
    return r;
}

int pt_lookup(const struct pipe_table *t, uint64_t id)
{
    uint64_t i = PT_INDEX(id);
    if (i >= PT_PIPES || t->pipes[i].m.gen != PT_GEN(id))
        return -EBADF;
    const struct pt_meta *m = &t->pipes[i].m;
    return m->state == PS_USED ? (int)i : m->state == PS_BROKEN ? -EIO : -EBADF;
}

int pt_refs(const struct pipe_table *t, int i, int end)
{
    int n = 0;
    for (int k = 0; k < PT_HOLDERS; k++)
        n += t->pipes[i].m.holders[k].refs[end];
    return n;
}

// pid's holder record in m, or a free one (create), or NULL.
static struct pt_holder *holder(struct pt_meta *m, int pid, int create)
{
    for (int k = 0; k < PT_HOLDERS; k++)
        if (m->holders[k].pid == pid && (m->holders[k].refs[0] || m->holders[k].refs[1]))
            return &m->holders[k];
    for (int k = 0; create && k < PT_HOLDERS; k++)
        if (!m->holders[k].refs[0] && !m->holders[k].refs[1]) {
            memset(&m->holders[k], 0, sizeof(m->holders[k]));
            m->holders[k].pid = pid;
            return &m->holders[k];
        }
    return NULL;
}

// A free slot for a new pipe: a free one first, else a broken one.
static int free_slot(const struct pipe_table *t)
{
    for (int want = PS_FREE; want <= PS_BROKEN; want += PS_BROKEN - PS_FREE)
        for (int i = 0; i < PT_PIPES; i++)
            if (t->pipes[i].m.state == (uint32_t)want)
                return i;
    return -ENFILE;
}

long pt_create(struct pipe_table *t, int pid, uint64_t seq)
{
    for (int i = 0; i < PT_PIPES; i++) {
        const struct pt_meta *o = &t->pipes[i].m;
        if (o->state == PS_USED && o->create_pid == pid && o->create_seq == seq && seq)
            return (long)PT_ID(i, o->gen);      // a retried create
    }
    int i = free_slot(t);
    if (i < 0)
        return i;
    struct pt_meta m;
    memset(&m, 0, sizeof(m));
    m.state = PS_USED;
    m.gen = (t->pipes[i].m.gen + 1) & 0xffffff;
    m.create_pid = pid;
    m.create_seq = seq;
    m.holders[0] = (struct pt_holder){ pid, { 1, 1 }, 0, 0, 0 };
    commit(t, i, &m);
    return (long)PT_ID(i, m.gen);
}

long pt_write(struct pipe_table *t, int i, int pid, uint64_t seq, const uint8_t *data, uint64_t len)
{
    struct pt_pipe *p = &t->pipes[i];
    if (p->m.rd.busy && p->m.rd.pid == pid)
        pt_read_commit(t, i);                   // it has moved on: it got them
    struct pt_meta m = p->m;
    struct pt_holder *h = holder(&m, pid, 0);
    if (h && seq && h->seq == seq)
        return h->res;                          // applied before a crash
    uint64_t n = SIZE - m.count < len ? SIZE - m.count : len;
    if (!n)
        return 0;
    uint64_t at = m.rpos + m.count;
    for (uint64_t k = 0; k < n; k++) {          // past count: not yet in the pipe
        p->buf[(at + k) % SIZE] = data[k];
        m.dsum += data_weight(at + k, data[k]);
    }
    m.count += (uint32_t)n;
    if (h && seq) {
        h->seq = seq;
        h->res = (int64_t)n;
    }
    commit(t, i, &m);
    return (long)n;
}

long pt_read_begin(struct pipe_table *t, int i, int pid, uint64_t seq, uint64_t max, uint8_t *out)
{
    struct pt_pipe *p = &t->pipes[i];
    if (p->m.rd.busy && p->m.rd.pid == pid && (p->m.rd.seq != seq || !seq))
        pt_read_commit(t, i);                   // it has moved on: it got them
    struct pt_meta m = p->m;
    uint64_t n = m.count < max ? m.count : max;
    if (m.rd.busy && m.rd.pid == pid)
        n = m.rd.n;                             // its read again: the same bytes
    else if (m.rd.busy)
        return -EAGAIN;
    else if (!n)
        return 0;
    for (uint64_t k = 0; k < n; k++)
        out[k] = p->buf[(m.rpos + k) % SIZE];
    if (!m.rd.busy) {
        m.rd = (struct pt_read){ 1, pid, seq, (uint32_t)n, 0 };
        commit(t, i, &m);
    }
    return (long)n;
}

void pt_read_commit(struct pipe_table *t, int i)
{
    struct pt_pipe *p = &t->pipes[i];
    struct pt_meta m = p->m;
    if (!m.rd.busy)
        return;
    for (uint64_t q = m.rpos; q < m.rpos + m.rd.n; q++)
        m.dsum -= data_weight(q, p->buf[q % SIZE]);
    m.rpos += m.rd.n;
    m.count -= m.rd.n;
    memset(&m.rd, 0, sizeof(m.rd));
    commit(t, i, &m);
}

void pt_close(struct pipe_table *t, int i, int pid, int end, uint64_t seq)
{
    struct pt_meta *cur = &t->pipes[i].m;
    if (cur->rd.busy && cur->rd.pid == pid)
        pt_read_commit(t, i);
    struct pt_meta m = t->pipes[i].m;
    struct pt_holder *h = holder(&m, pid, 0);
    if (!h || (seq && h->seq == seq) || h->refs[end] <= 0)
        return;
    h->refs[end]--;
    h->seq = seq;
    h->res = 0;
    commit(t, i, &m);
}

int pt_addref(struct pipe_table *t, int i, int pid, int end)
{
    struct pt_meta m = t->pipes[i].m;
    struct pt_holder *h = pid > 0 && pid < PT_MAX_PID ? holder(&m, pid, 1) : NULL;
    if (!h || h->refs[end] >= PT_MAX_REFS)
        return -EBADF;
    h->refs[end]++;
    commit(t, i, &m);
    return 0;
}

void pt_proc_gone(struct pipe_table *t, int pid)
{
    for (int i = 0; i < PT_PIPES; i++) {
        if (t->pipes[i].m.state != PS_USED)
            continue;
        if (t->pipes[i].m.rd.busy && t->pipes[i].m.rd.pid == pid)
            pt_read_commit(t, i);
        struct pt_meta m = t->pipes[i].m;
        struct pt_holder *h = holder(&m, pid, 0);
        if (!h)
            continue;
        h->refs[0] = h->refs[1] = 0;
        commit(t, i, &m);
    }
}

void pt_free(struct pipe_table *t, int i)
{
    struct pt_meta m;
    memset(&m, 0, sizeof(m));
    m.state = PS_FREE;
    m.gen = t->pipes[i].m.gen;
    commit(t, i, &m);
}
