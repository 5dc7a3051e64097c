// Kernel memory: physical pages through the direct map, small objects,
// and user address spaces.
#ifndef MM_H
#define MM_H
#include "kernel.h"

#define MAX_PHYS (4ul << 30)   /* the direct map covers the first 4 GiB */

void page_init_begin(void);
void page_add_free(u64 base, u64 len);
void page_reserve(u64 base, u64 len);
void *page_alloc(void);                 // one zeroed page, or NULL
void *page_alloc_n(u64 n);              // n contiguous zeroed pages, or NULL
void page_free(void *va);
void page_free_n(void *va, u64 n);
u64 page_free_count(void);
u64 page_total_count(void);   // usable frames from the memory map

void *kalloc(size_t size);              // zeroed, size <= 2048, or NULL
void kfree(void *p, size_t size);

// Address spaces (vm.c).
struct addrspace {
    u64 *pml4;                          // direct-mapped
    u64 pages;                          // user pages mapped
    u64 tables;                         // page-table pages of the lower half
};

void vm_kernel_init(void);
u64 sched_as_cpus(const struct addrspace *as);   // other CPUs that have it loaded
struct addrspace *as_create(void);
void as_destroy(struct addrspace *as);
void as_activate(struct addrspace *as);
int as_map(struct addrspace *as, u64 va, u64 len, int prot);
bool as_fault_fill(struct addrspace *as, u64 va);     // a lazy page touched: true to retry
int as_map_phys(struct addrspace *as, u64 va, u64 pa, u64 len, int prot);
#define PROT_DEVICE 0x100                  // as_map_phys: uncached (device registers)
// DMA memory for drivers (dma.c): len bytes of contiguous zeroed frames
// mapped at va in p, kept until p itself is freed; returns their physical
// address or an error. dma_free frees them.
struct proc;
long dma_alloc(struct proc *p, u64 va, u64 len);
void dma_free(struct proc *p);
int as_unmap(struct addrspace *as, u64 va, u64 len);
// The one checked path for user memory: copies between a user range of
// as (or kernel memory when as is NULL) and another. Fails with -E_FAULT
// on a null, kernel-half, unmapped, straddling or (for dst) read-only range.
int vm_copy(struct addrspace *dst_as, u64 dst, struct addrspace *src_as, u64 src, u64 len);
// The same, but may write read-only pages of dst_as (loading a program).
int vm_poke(struct addrspace *dst_as, u64 dst, struct addrspace *src_as, u64 src, u64 len);
static inline int copy_in(struct addrspace *as, void *dst, u64 usrc, u64 len)
{
    return vm_copy(NULL, (u64)dst, as, usrc, len);
}
static inline int copy_out(struct addrspace *as, u64 udst, const void *src, u64 len)
{
    return vm_copy(as, udst, NULL, (u64)src, len);
}

#endif
