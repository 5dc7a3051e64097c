// Fault victims and helpers for the in-system tests; argv[1] picks one:
// kread, kexec, hlt, cli, div0, io: take that CPU fault; io_granted: use
// the granted RTC ports and exit 42; io_outside: then touch port 0x72;
// spin: loop until killed; work: compute for a while, exit 0 if right.
#include "os.h"

static uint64_t hash_rounds(uint64_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (uint64_t i = 0; i < n; i++)
        h = (h ^ i) * 1099511628211ull;
    return h;
}

static int work(void)
{
    uint64_t first = hash_rounds(200000);
    for (int round = 0; round < 8; round++) {
        sys_sleep(5);
        if (hash_rounds(200000) != first)
            return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    volatile int zero = 0, seven = 7;
    if (!strcmp(m, "kread"))
        return (int)*(volatile uint64_t *)0xffffffff80100000ul;
    if (!strcmp(m, "kexec"))
        ((void (*)(void))0xffffffff80100000ul)();
    if (!strcmp(m, "hlt"))
        __asm__ volatile("hlt");
    if (!strcmp(m, "cli"))
        __asm__ volatile("cli");
    if (!strcmp(m, "div0"))
        return seven / zero;
    if (!strcmp(m, "io")) {
        uint8_t v;
        __asm__ volatile("inb $0x60, %0" : "=a"(v));
        return v;
    }
    if (!strcmp(m, "io_granted") || !strcmp(m, "io_outside")) {
        uint8_t v;
        if (sys_ioport_enable(1))               // handle 1: ports 0x70-0x71
            return 7;
        __asm__ volatile("inb $0x71, %0" : "=a"(v));
        if (!strcmp(m, "io_granted"))
            return 42;
        __asm__ volatile("inb $0x72, %0" : "=a"(v));
        return 8;
    }
    if (!strcmp(m, "spin"))
        for (;;)
            ;
    if (!strcmp(m, "work"))
        return work();
    return 100;
}
