// Code fault injection: where in a service's program one instruction is
// changed (svc fault NAME code), chosen from its ELF file with a seed.
#ifndef CODEFAULT_H
#define CODEFAULT_H
#include <stdint.h>
#include "x86len.h"

struct code_fault {
    uint64_t vaddr;              // the instruction's address in the program
    int len, kind;               // its length; the mutation (enum x86_mut)
    uint8_t old[16], new[16];    // its bytes before and after
    char func[32];               // the function it is in ("?" without symbols)
};

// Picks an instruction in the executable code of the ELF file elf (size
// bytes) and a mutation of it (of kind, or any if kind < 0) from seed.
// Returns 0, or -1 if the file is not an ELF with code, or no instruction
// fits after many tries.
int code_fault_pick(const void *elf, uint64_t size, uint64_t seed, int kind,
                    struct code_fault *out);

#endif
