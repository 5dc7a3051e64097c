// x86-64 page tables: the kernel's mappings (direct map, image with NX on
// data), per-process address spaces in the lower half, and vm_copy, the
// single checked path between user memory and the kernel. A mapping
// removed from a space loaded on other CPUs is shot down there (an IPI
// that flushes their TLB) before its frame is freed and the call returns.
#include "mm/mm.h"
#include <arch/cpu.h>
#include "uapi/limits.h"

#define PTE_P     (1ul << 0)
#define PTE_W     (1ul << 1)
#define PTE_U     (1ul << 2)
#define PTE_PWT   (1ul << 3)
#define PTE_PCD   (1ul << 4)
#define PTE_PS    (1ul << 7)
#define PTE_G     (1ul << 8)
#define PTE_OWNED (1ul << 9)      /* software bit: frame freed with the space */
#define PTE_LAZY  (1ul << 10)     /* software bit, not present: a page to give on first touch */
#define PTE_NX    (1ul << 63)
#define PTE_ADDR  0x000ffffffffff000ul

static u64 *kernel_pml4;

static inline int pt_index(u64 va, int level) { return (va >> (12 + 9 * level)) & 511; }

// Returns the level-0 entry for va, creating tables when asked (counted
// in *tables if not NULL); NULL if absent (or out of memory).
static u64 *pt_walk_n(u64 *pml4, u64 va, bool create, u64 table_flags, u64 *tables)
{
    u64 *table = pml4;
    for (int level = 3; level > 0; level--) {
        u64 *e = &table[pt_index(va, level)];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            void *next = page_alloc();
            if (!next)
                return NULL;
            *e = V2P(next) | table_flags;
            if (tables)
                (*tables)++;
        }
        if (*e & PTE_PS)
            return NULL;
        table = P2V(*e & PTE_ADDR);
    }
    return &table[pt_index(va, 0)];
}

static u64 *pt_walk(u64 *pml4, u64 va, bool create, u64 table_flags)
{
    return pt_walk_n(pml4, va, create, table_flags, NULL);
}

// Bytes from va to the end of the region an absent table entry leaves
// unmapped, or 0 if va has a last-level table (unmap skips holes this way,
// so a huge range costs time only where something is mapped).
static u64 absent_span(u64 *pml4, u64 va)
{
    u64 *table = pml4;
    for (int level = 3; level > 0; level--) {
        u64 e = table[pt_index(va, level)];
        u64 span = 1ul << (12 + 9 * level);
        if (!(e & PTE_P) || (e & PTE_PS))
            return span - (va & (span - 1));
        table = P2V(e & PTE_ADDR);
    }
    return 0;
}

static void kmap_range(u64 va, u64 end, u64 flags)
{
    for (; va < end; va += PAGE_SIZE) {
        u64 *pte = pt_walk(kernel_pml4, va, true, PTE_P | PTE_W);
        assert(pte);
        *pte = V2P(va) | flags | PTE_P | PTE_G;
    }
}

// Builds the kernel's own tables and switches to them. Called once.
void vm_kernel_init(void)
{
    extern char kernel_text_start[], kernel_rodata_start[], kernel_data_start[], kernel_end[];
    kernel_pml4 = page_alloc();
    u64 *pdpt = page_alloc();
    kernel_pml4[256] = V2P(pdpt) | PTE_P | PTE_W;
    for (u64 g = 0; g < MAX_PHYS >> 30; g++) {
        u64 *pd = page_alloc();
        pdpt[g] = V2P(pd) | PTE_P | PTE_W;
        for (u64 i = 0; i < 512; i++) {
            u64 pa = (g << 30) + (i << 21);
            pd[i] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX |
                    (pa >= 0xFE000000ul ? PTE_PCD | PTE_PWT : 0);   // the APICs: uncached
        }
    }
    kmap_range(KBASE + 0x100000, (u64)kernel_text_start, PTE_W | PTE_NX);  // boot stack
    kmap_range((u64)kernel_text_start, (u64)kernel_rodata_start, 0);
    kmap_range((u64)kernel_rodata_start, (u64)kernel_data_start, PTE_NX);
    kmap_range((u64)kernel_data_start, (u64)kernel_end, PTE_W | PTE_NX);
    for (int i = 256; i < 512; i++)        // pre-create so every space shares them
        if (!(kernel_pml4[i] & PTE_P))
            kernel_pml4[i] = V2P(page_alloc()) | PTE_P | PTE_W;
    write_cr3(V2P(kernel_pml4));
}

struct addrspace *as_create(void)
{
    struct addrspace *as = kalloc(sizeof(*as));
    if (!as)
        return NULL;
    as->pml4 = page_alloc();
    if (!as->pml4) {
        kfree(as, sizeof(*as));
        return NULL;
    }
    memcpy(as->pml4 + 256, kernel_pml4 + 256, 256 * sizeof(u64));
    return as;
}

static void free_table(u64 *table, int level)
{
    for (int i = 0; i < 512; i++) {
        u64 e = table[i];
        if (!(e & PTE_P))
            continue;
        if (level > 0)
            free_table(P2V(e & PTE_ADDR), level - 1);
        else if (e & PTE_OWNED)
            page_free(P2V(e & PTE_ADDR));
    }
    page_free(table);
}

// Frees every user page and table. The space must not be active.
void as_destroy(struct addrspace *as)
{
    for (int i = 0; i < 256; i++)
        if (as->pml4[i] & PTE_P)
            free_table(P2V(as->pml4[i] & PTE_ADDR), 2);
    page_free(as->pml4);
    kfree(as, sizeof(*as));
}

void as_activate(struct addrspace *as)
{
    u64 pa = (u64)(as ? as->pml4 : kernel_pml4) - PHYS_BASE;    // both in the direct map
    if (read_cr3() != pa)
        write_cr3(pa);
}

static bool user_range_ok(u64 va, u64 len)
{
    return !(va & (PAGE_SIZE - 1)) && !(len & (PAGE_SIZE - 1)) && len &&
           va < USER_TOP && len <= USER_TOP - va;
}

static u64 prot_flags(int prot)
{
    return PTE_P | PTE_U | (prot & PROT_WRITE ? PTE_W : 0) | (prot & PROT_EXEC ? 0 : PTE_NX) |
           (prot & PROT_DEVICE ? PTE_PCD | PTE_PWT : 0);
}

// Frames unmapped by one call, freed once no CPU can reach them through
// its TLB: after the shootdown, if the space is live on another CPU.
struct unmapped {
    struct addrspace *as;
    u64 remote;                   // other CPUs that have the space loaded
    int n;
    void *frames[64];
};

static void unmapped_flush(struct unmapped *u)
{
    if (u->remote)
        arch_tlb_shootdown(u->remote);
    for (int i = 0; i < u->n; i++)
        if (u->frames[i])
            page_free(u->frames[i]);
    u->n = 0;
}

static void unmap_page(struct unmapped *u, u64 va)
{
    struct addrspace *as = u->as;
    u64 *pte = pt_walk(as->pml4, va, false, 0);
    if (pte && (*pte & (PTE_P | PTE_LAZY)) == PTE_LAZY) {
        *pte = 0;                         // never touched: no frame, in no TLB
        as->pages--;
        return;
    }
    if (!pte || !(*pte & PTE_P))
        return;
    if (u->n == 64)
        unmapped_flush(u);
    if (*pte & PTE_OWNED)
        u->frames[u->n++] = P2V(*pte & PTE_ADDR);
    else if (!u->n)
        u->frames[u->n++] = NULL;         // nothing to free, but a flush is due
    *pte = 0;
    as->pages--;
    invlpg(va);
}

static void unmapped_init(struct unmapped *u, struct addrspace *as)
{
    u->as = as;
    u->remote = sched_as_cpus(as);
    u->n = 0;
}

static void unmapped_done(struct unmapped *u)
{
    if (u->n)
        unmapped_flush(u);
}

// True if len more bytes of pages (and the few tables they may need)
// stay within the per-process limit, LIMIT_PAGES.
static bool within_limit(struct addrspace *as, u64 len)
{
    u64 want = len / PAGE_SIZE + 3;
    return want <= LIMIT_PAGES && as->pages + as->tables <= LIMIT_PAGES - want;
}

// Maps fresh zeroed pages over [va, va+len), replacing what was there.
// With PROT_LAZY a page gets its frame when first touched (as_fault_fill):
// until then its entry is not present and holds only the page's flags;
// it counts in as->pages (and the limit) from here all the same. On
// failure nothing stays mapped of the new range. -E_NOMEM past the
// per-process limit.
int as_map(struct addrspace *as, u64 va, u64 len, int prot)
{
    if (!user_range_ok(va, len))
        return -E_INVAL;
    if (!within_limit(as, len))
        return -E_NOMEM;
    struct unmapped u;
    unmapped_init(&u, as);
    for (u64 off = 0; off < len; off += PAGE_SIZE) {
        unmap_page(&u, va + off);
        u64 *pte = pt_walk_n(as->pml4, va + off, true, PTE_P | PTE_W | PTE_U, &as->tables);
        void *page = pte && !(prot & PROT_LAZY) ? page_alloc() : NULL;
        if (!pte || (!page && !(prot & PROT_LAZY))) {
            unmapped_done(&u);
            as_unmap(as, va, off);
            return -E_NOMEM;
        }
        if (page)
            *pte = V2P(page) | prot_flags(prot) | PTE_OWNED;
        else
            *pte = (prot_flags(prot) & ~PTE_P) | PTE_LAZY;
        as->pages++;
    }
    unmapped_done(&u);
    return 0;
}

// Gives the lazy page at va of as its zeroed frame. True if va's page is
// now present (given here, or by another CPU a moment ago): the access
// that faulted on it may be retried. False if it is no lazy page, or
// there is no memory (the access then fails as on an unmapped page).
static __attribute__((noinline, cold)) bool lazy_fill(struct addrspace *as, u64 va)
{
    u64 *pte = va < USER_TOP ? pt_walk(as->pml4, va, false, 0) : NULL;
    if (!pte || !(*pte & (PTE_P | PTE_LAZY)))
        return false;
    if (*pte & PTE_P)
        return true;
    void *page = page_alloc();
    if (!page)
        return false;
    *pte = (*pte & ~PTE_LAZY) | V2P(page) | PTE_P | PTE_OWNED;
    return true;
}

// Maps the physical range at pa with the given entry flags. On failure
// nothing of the new range stays mapped; *done is what had been mapped.
static int map_phys(struct addrspace *as, u64 va, u64 pa, u64 len, u64 flags, u64 *done)
{
    *done = 0;
    if (!user_range_ok(va, len))
        return -E_INVAL;
    if (!within_limit(as, len))
        return -E_NOMEM;
    struct unmapped u;
    unmapped_init(&u, as);
    int err = 0;
    for (u64 off = 0; off < len && !err; off += PAGE_SIZE) {
        unmap_page(&u, va + off);
        u64 *pte = pt_walk_n(as->pml4, va + off, true, PTE_P | PTE_W | PTE_U, &as->tables);
        if (!pte) {
            err = -E_NOMEM;
            break;
        }
        *pte = (pa + off) | flags;
        as->pages++;
        *done = off + PAGE_SIZE;
    }
    unmapped_done(&u);
    if (err)
        as_unmap(as, va, *done);
    return err;
}

// Maps existing physical memory (not freed with the space). PROT_DEVICE
// makes it uncached (PCD|PWT), for device registers.
int as_map_phys(struct addrspace *as, u64 va, u64 pa, u64 len, int prot)
{
    u64 done;
    return map_phys(as, va, pa, len, prot_flags(prot), &done);
}

int as_unmap(struct addrspace *as, u64 va, u64 len)
{
    if (len == 0)
        return 0;
    if (!user_range_ok(va, len))
        return -E_INVAL;
    struct unmapped u;
    unmapped_init(&u, as);
    for (u64 off = 0; off < len;) {
        u64 hole = absent_span(as->pml4, va + off);
        if (hole) {
            off += hole;
            continue;
        }
        unmap_page(&u, va + off);
        off += PAGE_SIZE;
    }
    unmapped_done(&u);
    return 0;
}

// The level-0 entry for va, or NULL: a lookup only, for the copy path.
static u64 *pte_find(u64 *pml4, u64 va)
{
    u64 *table = pml4;
    for (int level = 3; level > 0; level--) {
        u64 e = table[pt_index(va, level)];
        if ((e & (PTE_P | PTE_PS)) != PTE_P)
            return NULL;
        table = P2V(e & PTE_ADDR);
    }
    return &table[pt_index(va, 0)];
}

// Kernel pointer for one user byte, or NULL if not accessible. A lazy
// page gets its frame here.
static void *user_ptr(struct addrspace *as, u64 va, bool write)
{
    u64 need = PTE_P | PTE_U | (write ? PTE_W : 0);
    u64 *pte = pte_find(as->pml4, va);
    if (!pte || (unlikely(!(*pte & PTE_P)) && !lazy_fill(as, va)) || (*pte & need) != need)
        return NULL;
    return (u8 *)P2V(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

// True if as is the space the CPU has loaded: its user half can then be
// reached directly, the MMU checking each access (arch_user_copy).
static bool as_is_active(struct addrspace *as)
{
    return as && read_cr3() == (u64)as->pml4 - PHYS_BASE;      // pml4: direct map
}

// A page fault at va (page not present) in the active space, as: true if
// it was a lazy page, now given its frame (the access is retried).
bool as_fault_fill(struct addrspace *as, u64 va)
{
    return as_is_active(as) && lazy_fill(as, va);
}

// Copies page by page; `force` lets a manager write read-only pages. A
// side in the active space is reached directly (arch_user_copy) instead.
static int copy_pages(struct addrspace *dst_as, u64 dst, struct addrspace *src_as, u64 src,
                      u64 len, bool force)
{
    if ((dst_as && (dst >= USER_TOP || len > USER_TOP - dst)) ||
        (src_as && (src >= USER_TOP || len > USER_TOP - src)))
        return -E_FAULT;
    bool direct = false;
    if (!force && as_is_active(dst_as)) {
        dst_as = NULL;
        direct = true;
    }
    if (as_is_active(src_as)) {
        src_as = NULL;
        direct = true;
    }
    while (len) {
        u64 n = len;
        if (dst_as && n > PAGE_SIZE - (dst & (PAGE_SIZE - 1)))
            n = PAGE_SIZE - (dst & (PAGE_SIZE - 1));
        if (src_as && n > PAGE_SIZE - (src & (PAGE_SIZE - 1)))
            n = PAGE_SIZE - (src & (PAGE_SIZE - 1));
        void *d = dst_as ? user_ptr(dst_as, dst, !force) : (void *)dst;
        void *s = src_as ? user_ptr(src_as, src, false) : (void *)src;
        if (!d || !s)
            return -E_FAULT;
        if (!direct)
            memcpy(d, s, n);
        else if (arch_user_copy(d, s, n))
            return -E_FAULT;
        dst += n;
        src += n;
        len -= n;
    }
    return 0;
}

// Between the kernel and the active space: one direct copy.
int vm_copy(struct addrspace *dst_as, u64 dst, struct addrspace *src_as, u64 src, u64 len)
{
    u64 user = dst_as ? dst : src;
    if (!dst_as != !src_as && as_is_active(dst_as ? dst_as : src_as) &&
        user < USER_TOP && len <= USER_TOP - user)
        return arch_user_copy((void *)dst, (const void *)src, len) ? -E_FAULT : 0;
    return copy_pages(dst_as, dst, src_as, src, len, false);
}

int vm_poke(struct addrspace *dst_as, u64 dst, struct addrspace *src_as, u64 src, u64 len)
{
    return copy_pages(dst_as, dst, src_as, src, len, true);
}
