// Bitmap frame allocator. No locking: the kernel runs with interrupts off.
#include "frame.h"

bool frame_in_use(const struct frame_pool *p, u64 f)
{
    return f >= p->nframes || (p->bitmap[f / 64] >> (f % 64)) & 1;
}

static void set_bit(struct frame_pool *p, u64 f, bool used)
{
    u64 mask = 1ull << (f % 64);
    bool was = p->bitmap[f / 64] & mask;
    if (was == used)
        return;
    if (used) {
        p->bitmap[f / 64] |= mask;
        p->nfree--;
    } else {
        p->bitmap[f / 64] &= ~mask;
        p->nfree++;
    }
}

void frame_pool_init(struct frame_pool *p, u64 *bitmap, u64 nframes)
{
    p->bitmap = bitmap;
    p->nframes = nframes;
    p->nfree = 0;
    p->hint = 0;
    for (u64 i = 0; i < (nframes + 63) / 64; i++)
        bitmap[i] = ~0ull;
}

void frame_mark_free(struct frame_pool *p, u64 first, u64 count)
{
    for (u64 f = first; f < first + count && f < p->nframes; f++)
        set_bit(p, f, false);
}

void frame_mark_used(struct frame_pool *p, u64 first, u64 count)
{
    for (u64 f = first; f < first + count && f < p->nframes; f++)
        set_bit(p, f, true);
}

// Finds count free frames in a row starting the search at `from`.
static i64 find_run(const struct frame_pool *p, u64 from, u64 to, u64 count)
{
    u64 run = 0;
    for (u64 f = from; f < to; f++) {
        u64 w = p->bitmap[f / 64];
        if ((f % 64) == 0 && (w == ~0ull || w == 0) && f + 64 <= to) {
            run = w ? 0 : run + 64;        // a whole word at once: all used, or all free
            f += 63;
            if (run >= count)
                return (i64)(f + 1 - run);
            continue;
        }
        run = frame_in_use(p, f) ? 0 : run + 1;
        if (run == count)
            return (i64)(f + 1 - count);
    }
    return -1;
}

i64 frame_alloc_run(struct frame_pool *p, u64 count)
{
    if (count == 0 || count > p->nfree)
        return -1;
    i64 f = find_run(p, p->hint, p->nframes, count);
    if (f < 0)
        f = find_run(p, 0, p->nframes, count);
    if (f < 0)
        return -1;
    frame_mark_used(p, (u64)f, count);
    p->hint = (u64)f + count;
    return f;
}

void frame_free_run(struct frame_pool *p, u64 first, u64 count)
{
    frame_mark_free(p, first, count);
    if (first < p->hint)
        p->hint = first;
}
