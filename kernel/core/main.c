// Kernel entry: reads the multiboot2 information, sets up memory, the CPU
// and the scheduler, loads init from the boot file set and runs it.
#include "object.h"
#include "elf.h"
#include "bootfs.h"

#define INIT_STACK_TOP  0x00007ffffff00000ul
#define INIT_STACK_SIZE (64 * 1024ul)
#define INIT_PRIO       48

struct boot_info {
    const char *cmdline;
    u64 bootfs_pa, bootfs_len;
    u64 symbols_pa, symbols_len;
    const u8 *rsdp;             // ACPI root pointer (a copy in the boot information)
};

struct mb2_tag { u32 type, size; };
extern char kernel_end[];
u64 boot_epoch;                 // wall-clock seconds when the timer started

static void mb2_module(const u32 *m, struct boot_info *bi)
{
    const char *name = (const char *)(m + 2);
    u64 start = m[0], len = m[1] - m[0];
    if (!strncmp(name, "bootfs", 7)) {
        bi->bootfs_pa = start;
        bi->bootfs_len = len;
    } else if (!strncmp(name, "symbols", 8)) {
        bi->symbols_pa = start;
        bi->symbols_len = len;
    }
    page_reserve(start, len);
}

// Walks the multiboot2 tags: frees usable RAM, reserves the modules.
static void mb2_parse(u64 mbi_pa, struct boot_info *bi)
{
    u8 *mbi = P2V(mbi_pa);
    u32 total = *(u32 *)mbi;
    page_init_begin();
    for (u8 *p = mbi + 8; p < mbi + total; p += ALIGN_UP(((struct mb2_tag *)p)->size, 8)) {
        struct mb2_tag *tag = (struct mb2_tag *)p;
        if (tag->type == 0)
            break;
        if (tag->type == 1)
            bi->cmdline = (const char *)(tag + 1);
        if ((tag->type == 14 && !bi->rsdp) || tag->type == 15)   // ACPI 1.0 / 2.0+
            bi->rsdp = (const u8 *)(tag + 1);
        if (tag->type == 6) {
            u32 esize = ((u32 *)(tag + 1))[0];
            for (u8 *e = p + 16; e < p + tag->size; e += esize)
                if (((u32 *)e)[4] == 1 && *(u64 *)e < MAX_PHYS)
                    page_add_free(*(u64 *)e, ((u64 *)e)[1]);
        }
    }
    page_reserve(0, 0x100000);                              // BIOS area, boot code
    page_reserve(0x100000, V2P(kernel_end) - 0x100000);
    page_reserve(mbi_pa, total);
    for (u8 *p = mbi + 8; p < mbi + total; p += ALIGN_UP(((struct mb2_tag *)p)->size, 8)) {
        struct mb2_tag *tag = (struct mb2_tag *)p;
        if (tag->type == 0)
            break;
        if (tag->type == 3)
            mb2_module((const u32 *)(tag + 1), bi);
    }
}

// Maps and fills one ELF segment of init.
static int load_segment(struct proc *p, const u8 *file, const struct elf_seg *s)
{
    u64 start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
    u64 end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
    int err = as_map(p->as, start, end - start, s->prot);
    if (!err && s->filesz)
        err = vm_poke(p->as, s->vaddr, NULL, (u64)(file + s->offset), s->filesz);
    return err;
}

// Creates the init process from the boot file set. init gets its own
// process (H_SELF), the root capability (H_ROOT), the boot files mapped
// read-only, and the kernel command line on its stack.
static void start_init(const struct boot_info *bi)
{
    const void *bootfs = P2V(bi->bootfs_pa), *elf;
    u64 elf_len;
    struct elf_image img;
    if (!bi->bootfs_len || bootfs_find(bootfs, bi->bootfs_len, "bin/init", &elf, &elf_len))
        panic("no init in the boot file set");
    if (elf_parse(elf, elf_len, &img))
        panic("init: corrupt ELF");
    struct proc *p = proc_create("init", NULL, 0);
    if (!p)
        panic("out of memory for init");
    handle_install(p->handles, &root_obj, R_ALL, 0);        // H_ROOT
    for (int i = 0; i < img.nsegs; i++)
        if (load_segment(p, elf, &img.segs[i]))
            panic("init: cannot load segment %d", i);
    if (as_map_phys(p->as, BOOTFS_VADDR, bi->bootfs_pa, ALIGN_UP(bi->bootfs_len, PAGE_SIZE), PROT_READ) ||
        as_map(p->as, INIT_STACK_TOP - INIT_STACK_SIZE, INIT_STACK_SIZE, PROT_READ | PROT_WRITE))
        panic("init: cannot map memory");
    const char *cmd = bi->cmdline ? bi->cmdline : "";
    u64 cmd_len = strlen(cmd) + 1, sp = ALIGN_DOWN(INIT_STACK_TOP - cmd_len, 16);
    vm_poke(p->as, sp, NULL, (u64)cmd, cmd_len);
    struct thread *t = thread_create(p, img.entry, sp, BOOTFS_VADDR, INIT_PRIO);
    if (!t)
        panic("init: no thread");
    t->tf->rsi = bi->bootfs_len;
    t->tf->rdx = sp;                                        // command line
    kprintf("[kernel] starting init (pid %d)\n", p->pid);
}

static bool cmdline_has(const char *cmdline, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = cmdline; p && *p; p++)
        if ((p == cmdline || p[-1] == ' ') && !strncmp(p, word, n) && (p[n] == ' ' || !p[n]))
            return true;
    return false;
}

void arch_apic_init(const void *rsdp);
void arch_ap_init(void);

// An application processor, from trampoline.asm on its own stack: it
// sets itself up, then waits for the kernel lock and schedules.
void ap_main(struct cpu *c)
{
    arch_cpu_init(c);
    as_activate(NULL);
    arch_ap_init();
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
    kernel_lock();
    sched_start();
}

void kmain(u32 magic, u64 mbi_pa)
{
    struct boot_info bi = { 0 };
    arch_early_init();
    kprintf("\nmicrokernel x86-64: booting\n");
    if (magic != 0x36d76289)
        panic("not booted by a multiboot2 loader (magic %x)", magic);
    mb2_parse(mbi_pa, &bi);
    if (bi.symbols_len)
        symbols_init(P2V(bi.symbols_pa), bi.symbols_len);
    vm_kernel_init();
    arch_init();
    kernel_lock();                                          // until init first runs
    cpus[0].online = true;
    arch_apic_init(bi.rsdp);
    sched_init();
    kprintf("[kernel] %lu MiB free, command line '%s'\n", page_free_count() / 256,
            bi.cmdline ? bi.cmdline : "");
    if (cmdline_has(bi.cmdline, "nofastpath"))
        syscall_no_fastpath();
    kcheck_enabled = cmdline_has(bi.cmdline, "test") || cmdline_has(bi.cmdline, "kcheck");
    if (cmdline_has(bi.cmdline, "kpanic"))
        *(volatile u64 *)0xdead000 = 1;                     // test: a ring-0 fault
    start_init(&bi);
    boot_epoch = arch_rtc_epoch();
    arch_timer_init();
    arch_start_cpus(MAX_CPUS);
    kprintf("[kernel] %d CPU%s up\n", ncpus, ncpus == 1 ? "" : "s");
    sched_start();
}
