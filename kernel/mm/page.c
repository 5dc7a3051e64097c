// Physical pages for the kernel (from the frame pool, used through the
// direct map) and kalloc, a size-class allocator for small objects.
#include "mm.h"
#include "frame.h"

static u64 frame_bitmap[MAX_PHYS / PAGE_SIZE / 64];
static struct frame_pool pool;
static u64 usable;               // frames the memory map gave (before reservations)

void page_init_begin(void)
{
    frame_pool_init(&pool, frame_bitmap, MAX_PHYS / PAGE_SIZE);
}

void page_add_free(u64 base, u64 len)
{
    u64 first = ALIGN_UP(base, PAGE_SIZE) / PAGE_SIZE;
    u64 last = ALIGN_DOWN(base + len, PAGE_SIZE) / PAGE_SIZE;
    if (last > first) {
        frame_mark_free(&pool, first, last - first);
        usable += last - first;
    }
}

void page_reserve(u64 base, u64 len)
{
    u64 first = base / PAGE_SIZE;
    frame_mark_used(&pool, first, ALIGN_UP(base + len, PAGE_SIZE) / PAGE_SIZE - first);
}

u64 page_free_count(void) { return pool.nfree; }
u64 page_total_count(void) { return usable; }

void *page_alloc_n(u64 n)
{
    i64 f = frame_alloc_run(&pool, n);
    if (f < 0)
        return NULL;
    void *va = P2V((u64)f * PAGE_SIZE);
    memset(va, 0, n * PAGE_SIZE);
    return va;
}

void *page_alloc(void) { return page_alloc_n(1); }

void page_free_n(void *va, u64 n)
{
    frame_free_run(&pool, V2P(va) / PAGE_SIZE, n);
}

void page_free(void *va) { page_free_n(va, 1); }

// kalloc: power-of-two classes from 32 to 2048 bytes, carved from pages.
#define KCLASSES 7
static void *kfree_list[KCLASSES];

static int size_class(size_t size)
{
    int c = 0;
    while ((32ul << c) < size)
        c++;
    return c;
}

void *kalloc(size_t size)
{
    int c = size_class(size);
    if (c >= KCLASSES)
        return NULL;
    if (!kfree_list[c]) {
        u8 *page = page_alloc();
        if (!page)
            return NULL;
        for (size_t off = 0; off < PAGE_SIZE; off += 32ul << c) {
            *(void **)(page + off) = kfree_list[c];
            kfree_list[c] = page + off;
        }
    }
    void *p = kfree_list[c];
    kfree_list[c] = *(void **)p;
    memset(p, 0, 32ul << c);
    return p;
}

void kfree(void *p, size_t size)
{
    if (!p)
        return;
    int c = size_class(size);
    *(void **)p = kfree_list[c];
    kfree_list[c] = p;
}
