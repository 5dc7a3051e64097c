// Kernel log output, panic, string functions and the boot symbol table.
#include "kernel.h"
#include "fmt.h"
#include <stdarg.h>
#include <arch/cpu.h>

void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    kputs_raw(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

_Noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    void arch_stop_others(void);
    arch_stop_others();
    kprintf("KERNEL PANIC: %s\n", buf);
    arch_backtrace((u64)__builtin_frame_address(0));
    arch_poweroff();
    for (;;)
        ;
}

// (Under QEMU's icount each rep iteration counts as an instruction, so
// whole words are moved where alignment allows.)
void *memset(void *d, int c, size_t n)
{
    void *r = d;
    if (!((n | (u64)d) & 7)) {
        u64 v = 0x0101010101010101ull * (u8)c;
        n /= 8;
        __asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(v) : "memory");
    } else {
        __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    }
    return r;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *r = d;
    if (!((n | (u64)d | (u64)s) & 7)) {
        n /= 8;
        __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
    } else {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
    }
    return r;
}




// The symbol table GRUB loaded as a module: `nm -n` lines "addr type name".
static const char *sym_text;
static size_t sym_len;

void symbols_init(const char *text, size_t len)
{
    sym_text = text;
    sym_len = len;
}

static u64 parse_hex(const char *s, const char *end, const char **next)
{
    u64 v = 0;
    for (; s < end && *s != ' '; s++)
        v = v * 16 + (u64)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    *next = s;
    return v;
}

// Returns the name of the function containing addr, or "?" (static buffer).
const char *symbol_name(u64 addr)
{
    static char name[64];
    const char *p = sym_text, *end = sym_text + sym_len, *best = NULL;
    while (p && p < end) {
        const char *q;
        u64 a = parse_hex(p, end, &q);
        if (a > addr)
            break;
        best = q + 3 <= end ? q + 3 : NULL;     // skip " T "
        while (p < end && *p != '\n')
            p++;
        p++;
    }
    if (!best)
        return "?";
    size_t n = 0;
    while (best + n < end && best[n] != '\n' && n < sizeof(name) - 1)
        n++;
    memcpy(name, best, n);
    name[n] = 0;
    return name;
}
