// DMA memory for drivers: physically contiguous, zeroed frames mapped into
// the caller at an address it picks, with their physical address returned
// so it can aim its device at them. The frames outlive the mapping and the
// process's death: they are freed with the process object, once the last
// handle to it is closed. Its supervisor turns the device's bus mastering
// off before it lets go of that handle, so a transfer still in flight when
// the driver died lands in frames nobody else has been given.
// There is no IOMMU: a driver with this right can make its device write
// anywhere, so only the supervisor hands the right out.
#include "core/object.h"

#define DMA_MAX_BYTES (4ul << 20)       // largest single allocation

// Allocates len bytes (page multiple, at most DMA_MAX_BYTES) at va in p.
// Returns the physical address, or -E_INVAL (bad range or size), -E_NOMEM
// (no contiguous run, or past the process's LIMIT_PAGES) or -E_NOSPACE
// (PROC_DMA_RUNS allocations already).
long dma_alloc(struct proc *p, u64 va, u64 len)
{
    if (!len || len > DMA_MAX_BYTES || (len | va) & (PAGE_SIZE - 1) || va >= USER_TOP ||
        len > USER_TOP - va)
        return -E_INVAL;
    int i = 0;
    while (i < PROC_DMA_RUNS && p->dma[i].pages)
        i++;
    if (i == PROC_DMA_RUNS)
        return -E_NOSPACE;
    void *frames = page_alloc_n(len / PAGE_SIZE);
    if (!frames)
        return -E_NOMEM;
    int err = as_map_phys(p->as, va, V2P(frames), len, PROT_READ | PROT_WRITE);
    if (err) {
        page_free_n(frames, len / PAGE_SIZE);
        return err;
    }
    p->dma[i].pa = V2P(frames);
    p->dma[i].pages = len / PAGE_SIZE;
    return (long)p->dma[i].pa;
}

// Frees p's DMA frames (from kobj_destroy).
void dma_free(struct proc *p)
{
    for (int i = 0; i < PROC_DMA_RUNS; i++)
        if (p->dma[i].pages)
            page_free_n(P2V(p->dma[i].pa), p->dma[i].pages);
}
