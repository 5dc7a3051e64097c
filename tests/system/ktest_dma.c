// In-system tests of dma_alloc: the right it needs, its bad arguments, that
// the frames are contiguous, zeroed and at the physical address returned,
// and that they outlive an unmapping and the death of their process: they
// are freed with the process object, once the last handle to it is closed
// (a transfer still in flight must not land in frames given to another).
#include "ktest.h"
#include "uapi/limits.h"

#define DMA_AREA  0x520000000l
#define ALIAS     0x530000000l
#define PAGES     16

static long dma_right(void)
{
    return sys_handle_mint(H_ROOT_TEST, R_DMA | R_GRANT, 0);
}

const char *t_dma_needs_right(void)
{
    long no_dma = sys_handle_mint(H_ROOT_TEST, R_MANAGE, 0);
    EXPECT(no_dma >= 0, "mint %ld", no_dma);
    long r = sys_dma_alloc(no_dma, DMA_AREA, 4096);
    sys_handle_close(no_dma);
    EXPECT(r == -E_PERM, "root without R_DMA: %ld", r);
    EXPECT(sys_dma_alloc(H_SELF, DMA_AREA, 4096) == -E_BADHANDLE, "a process handle");
    EXPECT(sys_dma_alloc(100, DMA_AREA, 4096) == -E_BADHANDLE, "an empty slot");
    long dma = dma_right();
    EXPECT(sys_irq_get(dma, 8) == -E_PERM, "the DMA right cannot get IRQs");
    EXPECT(sys_mmio_get(dma, 0xb8000, 4096) == -E_PERM, "nor device memory");
    sys_handle_close(dma);
    return NULL;
}

const char *t_dma_bad_arguments(void)
{
    long dma = dma_right();
    struct { long va, len; const char *what; } bad[] = {
        { DMA_AREA + 8, 4096, "unaligned address" }, { DMA_AREA, 100, "unaligned length" },
        { DMA_AREA, 0, "empty" }, { DMA_AREA, 8l << 20, "8 MiB, above the 4 MiB limit" },
        { DMA_AREA, -4096l, "negative length" },
        { (long)0xffff800000000000ul, 4096, "kernel address" },
        { 0x7ffffffff000l, 8192, "past the top of user space" },
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long r = sys_dma_alloc(dma, bad[i].va, bad[i].len);
        EXPECT(r == -E_INVAL, "%s: %ld", bad[i].what, r);
    }
    sys_handle_close(dma);
    return NULL;
}

// Past the per-process limit: with all but about 700 pages of LIMIT_PAGES
// mapped (an alias of physical memory, which costs only page tables),
// 4 MiB more is refused with -E_NOMEM and no frame stays taken.
const char *t_dma_past_limit(void)
{
    struct mem_info a, b;
    long own = own_pages();
    EXPECT(own > 0, "own pages: %ld", own);
    long dma = dma_right(), len = ((LIMIT_PAGES - own) * 511 / 512 - 700) * 4096l;
    long m = sys_mmio_get(H_ROOT_TEST, 0, len);
    EXPECT(m >= 0, "mmio_get: %ld", m);
    long e = sys_mmio_map(m, ALIAS);
    sys_mem_info((long)&a);
    long r = e ? e : sys_dma_alloc(dma, DMA_AREA, 4l << 20);
    sys_mem_info((long)&b);
    sys_vm_unmap(H_SELF, ALIAS, len);
    sys_handle_close(m);
    long small = sys_dma_alloc(dma, DMA_AREA, 4l << 20);       // fine once below it again
    sys_vm_unmap(H_SELF, DMA_AREA, 4l << 20);
    sys_handle_close(dma);
    EXPECT(e == 0, "alias of %ld pages: %ld", len / 4096, e);
    EXPECT(r == -E_NOMEM, "4 MiB past the limit: %ld", r);
    EXPECT(b.free == a.free, "free %lu -> %lu: frames kept after a refusal", a.free, b.free);
    EXPECT(small > 0, "4 MiB below the limit: %ld", small);
    return NULL;
}

// The frames are contiguous at the address returned: seen through a
// device-memory mapping of that physical range, they hold what was written.
const char *t_dma_contiguous_and_freed(void)
{
    struct mem_info a, b, c;
    long dma = dma_right(), len = PAGES * 4096;
    sys_mem_info((long)&a);
    long pa = sys_dma_alloc(dma, DMA_AREA, len);
    sys_handle_close(dma);
    EXPECT(pa > 0 && !(pa & 4095), "dma_alloc: %lx", pa);
    sys_mem_info((long)&b);
    EXPECT(a.free - b.free >= PAGES, "free %lu -> %lu", a.free, b.free);
    volatile uint64_t *v = (volatile uint64_t *)DMA_AREA;
    for (long i = 0; i < len / 8; i++)
        EXPECT(v[i] == 0, "not zeroed at %ld", i * 8);
    for (long p = 0; p < PAGES; p++)
        v[p * 512] = 0x1234000 + (uint64_t)p;
    long m = sys_mmio_get(H_ROOT_TEST, pa, len);
    EXPECT(m >= 0 && sys_mmio_map(m, ALIAS) == 0, "alias of %lx: %ld", pa, m);
    volatile uint64_t *alias = (volatile uint64_t *)ALIAS;
    for (long p = 0; p < PAGES; p++)
        EXPECT(alias[p * 512] == 0x1234000 + (uint64_t)p, "page %ld not at pa + %ld pages", p, p);
    sys_vm_unmap(H_SELF, ALIAS, len);
    sys_handle_close(m);
    sys_mem_info((long)&b);                        // the alias's page table stays
    EXPECT(sys_vm_unmap(H_SELF, DMA_AREA, len) == 0, "unmap");
    sys_mem_info((long)&c);
    EXPECT(c.free < b.free + PAGES, "free after unmap %lu (mapped %lu): the frames went", c.free,
           b.free);
    return NULL;
}

// Runs t_fault in `mode` with the DMA right; waits until it holds its 256
// pages (free frames fell by that much), kills it unless it exits by
// itself (then checks that they stay taken while the handle is open), and
// checks that the frames came back once the handle is closed.
static const char *freed_at_death(const char *mode, int kill)
{
    struct mem_info a, b;
    uint64_t bit;
    long dma = dma_right();
    sys_mem_info((long)&a);
    long p = run("t_fault", mode, &dma, 1, &bit);
    sys_handle_close(dma);
    EXPECT(p >= 0, "spawn: %ld", p);
    for (int ms = 0; kill && ms < 2000; ms += 10) {
        sys_mem_info((long)&b);
        if (a.free - b.free >= 256)
            break;
        sys_sleep(10);
    }
    if (kill) {
        sys_proc_kill(p);
        for (int ms = 0; ms < 1000 && PROC_STATE((uint64_t)sys_proc_status(p, 0)) ==
                                          PROC_RUNNING; ms += 10)
            sys_sleep(10);
        sys_sleep(20);                             // its last thread reaped, its memory gone
        sys_mem_info((long)&b);
        EXPECT(a.free - b.free >= 256, "free %lu before, %lu dead but held: the DMA frames went "
               "before the handle", a.free, b.free);
    }
    long st = wait_death(p, bit);                  // closes the last handle: the frames go
    int want = kill ? PROC_KILLED : PROC_EXITED;
    EXPECT(PROC_STATE((uint64_t)st) == (uint64_t)want && (kill || PROC_CODE(st) == 42),
           "child status %lx", st);
    for (int ms = 0; ms < 1000; ms += 10) {       // the last thread is reaped soon after
        sys_mem_info((long)&b);
        if (b.free + 8 >= a.free)
            break;
        sys_sleep(10);
    }
    EXPECT(b.free + 8 >= a.free, "free %lu before, %lu after (the child took 256 pages)", a.free,
           b.free);
    return NULL;
}

const char *t_dma_freed_at_death(void)
{
    const char *e = freed_at_death("dma_spin", 1);
    return e ? e : freed_at_death("dma", 0);
}
