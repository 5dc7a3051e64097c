// DMA memory for drivers: physically contiguous, zeroed frames mapped into
// the caller at an address it picks, with their physical address returned
// so it can aim its device at them. The frames are owned pages of its
// address space: unmapping them or the death of the process frees them.
// There is no IOMMU: a driver with this right can make its device write
// anywhere, so only the supervisor hands the right out.
#include "mm.h"

#define DMA_MAX_BYTES (4ul << 20)       // largest single allocation

// Allocates len bytes (page multiple, at most DMA_MAX_BYTES) at va in as.
// Returns the physical address, or -E_INVAL (bad range or size) or
// -E_NOMEM (no contiguous run, or past the process's LIMIT_PAGES).
long dma_alloc(struct addrspace *as, u64 va, u64 len)
{
    if (!len || len > DMA_MAX_BYTES || (len | va) & (PAGE_SIZE - 1) || va >= USER_TOP ||
        len > USER_TOP - va)
        return -E_INVAL;
    void *frames = page_alloc_n(len / PAGE_SIZE);
    if (!frames)
        return -E_NOMEM;
    u64 pa = V2P(frames);
    int err = as_map_owned(as, va, pa, len, PROT_READ | PROT_WRITE);
    return err ? err : (long)pa;
}
