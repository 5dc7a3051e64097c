// Starting processes from an ELF image in memory, and threads.
#include "os.h"
#include "core/elf.h"
#include "uapi/limits.h"

#define STACK_TOP  0x00007ffffff00000ul
#define STACK_SIZE (128 * 1024ul)      // unless the program asks for more
#define PAGE 4096ul
#define PT_GNU_STACK 0x6474e551u

static char block[65536];           // argument block being built

// Maps a segment: the pages that hold bytes of the file get frames now
// and the copy; those past them (the rest of .bss) are lazy, each gets
// its zeroed frame when first touched.
static long load_segment(long proc, const uint8_t *file, const struct elf_seg *s)
{
    uint64_t start = s->vaddr & ~(PAGE - 1);
    uint64_t filled = s->filesz ? (s->vaddr + s->filesz + PAGE - 1) & ~(PAGE - 1) : start;
    uint64_t end = (s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);
    long err = filled > start ? sys_vm_map(proc, (long)start, (long)(filled - start), s->prot) : 0;
    if (!err && end > filled)
        err = sys_vm_map(proc, (long)filled, (long)(end - filled), s->prot | PROT_LAZY);
    if (!err && s->filesz)
        err = sys_vm_write(proc, (long)s->vaddr, (long)(file + s->offset), (long)s->filesz);
    return err;
}

static uint64_t vec_len(const char *const *v, uint64_t *strings)
{
    uint64_t n = 0;
    for (; v && v[n]; n++)
        *strings += strlen(v[n]) + 1;
    return n;
}

// Copies a vector's strings into the block and their future addresses
// into vec; returns the position after the strings.
static char *vec_put(const char *const *v, uint64_t n, uint64_t *vec, char *str, uint64_t sp)
{
    for (uint64_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        memcpy(str, v[i], len);
        vec[i] = sp + (uint64_t)(str - block);
        str += len;
    }
    vec[n] = 0;
    return str;
}

// Writes argc, argv[] and envp[] (SysV layout) at the top of the new
// stack; returns the initial stack pointer or 0.
static uint64_t push_args(long proc, const char *const *argv, const char *const *envp)
{
    uint64_t strings = 0;
    uint64_t argc = vec_len(argv, &strings), envc = vec_len(envp, &strings);
    uint64_t ptrs = (argc + envc + 3) * 8;
    uint64_t total = (ptrs + strings + 15) & ~15ul;
    if (total > sizeof(block))
        return 0;
    uint64_t sp = STACK_TOP - total;
    uint64_t *vec = (uint64_t *)block;
    vec[0] = argc;
    char *str = vec_put(argv, argc, vec + 1, block + ptrs, sp);
    vec_put(envp, envc, vec + 2 + argc, str, sp);
    return sys_vm_write(proc, (long)sp, (long)block, (long)total) ? 0 : sp;
}

// The main stack a program asks for: its PT_GNU_STACK header's size (ld
// -z stack-size=N; tools/cc asks for 8 MiB), at least STACK_SIZE and at
// most LIMIT_STACK, in whole pages. The image passed elf_parse, so its
// program headers lie inside it.
static uint64_t stack_size_of(const uint8_t *elf)
{
    uint64_t phoff, want = 0, memsz;
    uint16_t phnum;
    memcpy(&phoff, elf + 0x20, 8);
    memcpy(&phnum, elf + 0x38, 2);
    for (uint16_t i = 0; i < phnum; i++) {
        uint32_t type;
        memcpy(&type, elf + phoff + 56ul * i, 4);
        memcpy(&memsz, elf + phoff + 56ul * i + 0x28, 8);
        if (type == PT_GNU_STACK)
            want = memsz;
    }
    want = want > LIMIT_STACK ? LIMIT_STACK : want < STACK_SIZE ? STACK_SIZE : want;
    return (want + PAGE - 1) & ~(PAGE - 1);
}

long spawn_load(const struct spawn_req *r)
{
    struct elf_image img;
    int err = elf_parse(r->elf, r->elf_len, &img);
    if (err)
        return err;
    long proc = sys_proc_create((long)r->name, (long)strlen(r->name), r->notif, (long)r->bits);
    if (proc < 0)
        return proc;
    long e = 0;
    for (int i = 0; i < img.nsegs && !e; i++)
        e = load_segment(proc, r->elf, &img.segs[i]);
    if (!e)
        e = sys_vm_map(proc, (long)(STACK_TOP - stack_size_of((const uint8_t *)r->elf)), (long)stack_size_of((const uint8_t *)r->elf),
                       PROT_READ | PROT_WRITE | PROT_LAZY);    // a frame per page as it is used
    if (!e && r->data_len) {
        uint64_t len = (r->data_len + PAGE - 1) & ~(PAGE - 1);
        e = sys_vm_map(proc, (long)r->data_at, (long)len, PROT_READ | PROT_WRITE);
        if (!e)
            e = sys_vm_write(proc, (long)r->data_at, (long)r->data, (long)r->data_len);
    }
    for (int i = 0; i < r->ngrants && !e; i++)
        e = sys_handle_grant(proc, r->grants[i], R_ALL, 0) < 0 ? -E_BADHANDLE : 0;
    if (e) {
        sys_proc_kill(proc);
        sys_handle_close(proc);
        return e;
    }
    return proc;
}

long spawn_start(long proc, const struct spawn_req *r)
{
    struct elf_image img;
    long t = elf_parse(r->elf, r->elf_len, &img);
    uint64_t sp = t ? 0 : push_args(proc, r->argv, r->envp);
    if (!t)
        t = sp ? sys_thread_create(proc, (long)img.entry, (long)sp, 0, r->prio) : -E_NOMEM;
    if (t < 0) {
        sys_proc_kill(proc);
        sys_handle_close(proc);
        return t;
    }
    sys_handle_close(t);
    return 0;
}

long spawn(const struct spawn_req *r)
{
    long proc = spawn_load(r);
    if (proc < 0)
        return proc;
    long err = spawn_start(proc, r);
    return err ? err : proc;
}

// Thread stacks come from a simple bump region below the main stack area.
static uint64_t next_stack = 0x00006f0000000000ul;

__attribute__((used)) static _Noreturn void thread_entry(long arg, void (*fn)(long))
{
    fn(arg);
    sys_thread_exit();
    for (;;)
        ;
}

// New threads start here with rdi = arg and fn on the stack.
__asm__(".globl os_thread_trampoline\n"
        "os_thread_trampoline:\n"
        "  mov 8(%rsp), %rsi\n"
        "  call thread_entry\n"
        "  ud2\n");
extern char os_thread_trampoline[];

long thread_start(void (*fn)(long), long arg, int prio, uint64_t stack_size)
{
    stack_size = (stack_size + PAGE - 1) & ~(PAGE - 1);
    uint64_t base = next_stack;
    long err = sys_vm_map(H_SELF, (long)base, (long)stack_size, PROT_READ | PROT_WRITE | PROT_LAZY);
    if (err)
        return err;
    next_stack += stack_size + PAGE;         // one unmapped guard page between stacks
    uint64_t *sp = (uint64_t *)(base + stack_size);
    *--sp = (uint64_t)fn;                    // popped by the trampoline
    *--sp = 0;
    return sys_thread_create(H_SELF, (long)os_thread_trampoline, (long)(base + stack_size - 16), arg, prio);
}
