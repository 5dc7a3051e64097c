// A helper of the scenario tests, not a test: the first seed for which
// `svc fault NAME code SEED` makes the given mutation at the given
// address of a program, as init would pick it (servers/init/codefault.c).
// Usage: codefault_find ELF KIND ADDR   (KIND: bitflip, branch, nop, reg;
// ADDR in hex). Prints the seed, or exits 1 if none of the first million
// seeds does.
#include "../../servers/init/x86len.c"
#include "../../servers/init/codefault.c"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: codefault_find ELF KIND ADDR\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t data[8 << 20];
    size_t len = fread(data, 1, sizeof(data), f);
    fclose(f);
    uint64_t addr = strtoull(argv[3], NULL, 16);
    for (uint64_t seed = 1; seed < 1000000; seed++) {
        struct code_fault cf;
        if (!code_fault_pick(data, len, seed, -1, &cf) && cf.vaddr == addr &&
            !strcmp(x86_mut_names[cf.kind], argv[2])) {
            printf("%lu\n", (unsigned long)seed);
            return 0;
        }
    }
    return 1;
}
