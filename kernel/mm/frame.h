// Physical frame allocator: one bit per 4 KiB frame (1 = in use).
// Pure logic, unit-tested on the host.
#ifndef FRAME_H
#define FRAME_H
#include "types.h"

struct frame_pool {
    u64 *bitmap;
    u64 nframes;     // frames covered by the bitmap
    u64 nfree;
    u64 hint;        // where the next search starts
};

// All frames start in use; the caller frees the usable ranges.
void frame_pool_init(struct frame_pool *p, u64 *bitmap, u64 nframes);
void frame_mark_free(struct frame_pool *p, u64 first, u64 count);
void frame_mark_used(struct frame_pool *p, u64 first, u64 count);
// Allocates count contiguous frames; returns the first index or -1.
i64 frame_alloc_run(struct frame_pool *p, u64 count);
// Frees a run; freeing a frame that is not in use is ignored.
void frame_free_run(struct frame_pool *p, u64 first, u64 count);
bool frame_in_use(const struct frame_pool *p, u64 frame);

#endif
