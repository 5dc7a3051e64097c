// In-system tests of memory: the frame counts follow mappings, and lazy
// mappings (PROT_LAZY) take a frame per page only when it is touched.
#include "ktest.h"

// This process's pages as proc_info counts them, or -1.
long own_pages(void)
{
    struct proc_info pi;
    for (long i = 0; sys_proc_info(H_ROOT_TEST, i, (long)&pi) == 0; i++)
        if (pi.pid == sys_proc_self())
            return (long)pi.pages;
    return -1;
}

// mem_info's free frames and proc_info's pages follow a 1 MiB mapping.
const char *t_mem_info(void)
{
    struct mem_info a, b, c;
    long area = 0x510000000l, p0 = own_pages();
    EXPECT(sys_mem_info((long)&a) == 0, "mem_info");
    EXPECT(a.total > 16384 && a.free < a.total, "total %lu free %lu", a.total, a.free);
    EXPECT(sys_vm_map(H_SELF, area, 1 << 20, PROT_READ | PROT_WRITE) == 0, "map 1 MiB");
    long p1 = own_pages();
    EXPECT(sys_mem_info((long)&b) == 0 && a.free - b.free >= 256, "free %lu -> %lu", a.free, b.free);
    EXPECT(p0 > 0 && p1 - p0 >= 256, "pages %ld -> %ld", p0, p1);
    EXPECT(sys_vm_unmap(H_SELF, area, 1 << 20) == 0, "unmap");
    EXPECT(sys_mem_info((long)&c) == 0 && c.free - b.free >= 256 && c.total == a.total,
           "free after unmap %lu (mapped %lu)", c.free, b.free);
    EXPECT(own_pages() <= p1 - 256, "pages after unmap %ld", own_pages());
    EXPECT(sys_mem_info(0) == -E_FAULT, "null buffer");
    return NULL;
}

// A lazy mapping (PROT_LAZY) takes a frame per page only when the page is
// first touched: by the program, by the kernel copying into it (a syscall
// that writes there, vm_write into another process) or out of it; the
// pages read as zeros; unmapping gives back what was taken; a read-only
// lazy page stays read-only.
#define LAZY_VA 0x540000000l
const char *t_lazy_pages(void)
{
    struct mem_info a, b, c, d;
    long p0 = own_pages();
    sys_mem_info((long)&a);
    EXPECT(sys_vm_map(H_SELF, LAZY_VA, 256 * 4096, PROT_READ | PROT_WRITE | PROT_LAZY) == 0, "map");
    sys_mem_info((long)&b);
    EXPECT((long)(a.free - b.free) < 16, "mapping 256 pages took %ld frames", (long)(a.free - b.free));
    EXPECT(own_pages() - p0 >= 256, "pages %ld -> %ld", p0, own_pages());
    volatile uint64_t *v = (volatile uint64_t *)LAZY_VA;
    EXPECT(v[0] == 0 && v[511] == 0, "not zero");
    for (int i = 0; i < 128; i++)              // the first half: a frame each
        v[512 * i + 1] = 0x1234 + (uint64_t)i;
    sys_mem_info((long)&c);
    EXPECT((long)(b.free - c.free) >= 120 && (long)(b.free - c.free) < 140,
           "touching 128 pages took %ld frames", (long)(b.free - c.free));
    EXPECT(v[1] == 0x1234 && v[512 * 127 + 1] == 0x1234 + 127, "lost a write");
    struct proc_info pi;                       // the kernel writes into an untouched page
    EXPECT(sys_proc_info(H_ROOT_TEST, 0, LAZY_VA + 200 * 4096 + 8) == 0, "proc_info into a lazy page");
    memcpy(&pi, (void *)(LAZY_VA + 200 * 4096 + 8), sizeof(pi));
    EXPECT(pi.pid == 1, "proc_info wrote pid %d", pi.pid);
    static uint64_t buf[4] = { 1, 2, 3, 4 };   // and reads one it never touched
    EXPECT(sys_vm_write(H_SELF, (long)buf, LAZY_VA + 209 * 4096, 32) == 0 && buf[0] == 0 && buf[3] == 0,
           "copy out of a lazy page");
    uint64_t bit;                              // another process's lazy page, written by vm_write
    long p = run("t_fault", "spin", NULL, 0, &bit);
    EXPECT(p >= 0, "spawn");
    EXPECT(sys_vm_map(p, LAZY_VA, 8 * 4096, PROT_READ | PROT_WRITE | PROT_LAZY) == 0, "map there");
    EXPECT(sys_vm_write(p, LAZY_VA + 4096 + 100, (long)buf, 32) == 0, "write there");
    sys_proc_kill(p);
    wait_death(p, bit);
    EXPECT(sys_vm_unmap(H_SELF, LAZY_VA, 256 * 4096) == 0, "unmap");
    sys_mem_info((long)&d);
    EXPECT((long)(d.free - c.free) >= 120, "frames not given back: %lu -> %lu", c.free, d.free);
    EXPECT(own_pages() <= p0 + 4, "pages after unmap %ld (before %ld; tables stay)", own_pages(), p0);
    p = run("t_fault", "lazy_ro", NULL, 0, &bit);
    long st = wait_death(p, bit);
    EXPECT(PROC_STATE((uint64_t)st) == PROC_FAULTED && PROC_CODE(st) == 14,
           "read-only lazy page written: status %lx (exit 3: not zero)", st);
    EXPECT(last_exit.fault_addr == LAZY_VA + 24, "fault at %lx", last_exit.fault_addr);
    return NULL;
}

// A spawned program's .bss past the file's bytes is mapped lazy: it reads
// zero and keeps writes; its code is read-only (a write faults in it).
const char *t_program_pages(void)
{
    uint64_t bit;
    long p = run("t_fault", "bss", NULL, 0, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    long st = wait_death(p, bit);
    EXPECT(st == (((long)PROC_EXITED << 32) | 42), "bss: status %lx (exit 3: not zero, 4: lost)", st);
    p = run("t_fault", "text_write", NULL, 0, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    st = wait_death(p, bit);
    EXPECT(PROC_STATE((uint64_t)st) == PROC_FAULTED && PROC_CODE(st) == 14,
           "write into code: status %lx, not a page fault", st);
    EXPECT(last_exit.fault_addr >= 0x401000 && last_exit.fault_addr < 0x800000,
           "fault at %lx, not in the code", last_exit.fault_addr);
    return NULL;
}
