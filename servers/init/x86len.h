// x86-64 instruction lengths and the one-instruction mutations of code
// fault injection (svc fault NAME code). Pure C: used by init and by the
// host tests (tests/host/test_x86len.c).
#ifndef X86LEN_H
#define X86LEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// One decoded instruction: offsets are from its first byte, -1 if absent.
struct x86_insn {
    int len;
    int rex;                     // the REX byte, 0 if none
    int map;                     // 0: one-byte map, 1: 0F, 2: 0F 38, 3: 0F 3A
    uint8_t op;                  // the opcode byte in that map
    int op_at, modrm_at;
    int disp_at, disp_len;       // displacement (or a moffs address)
    int imm_at, imm_len;         // immediate or relative branch target
    bool vex;
};

// Decodes the instruction at p (at most avail bytes). Returns its length,
// or -1 if it is not a valid 64-bit instruction or runs past avail.
int x86_decode(const uint8_t *p, size_t avail, struct x86_insn *out);

// The mutations of a code fault.
enum x86_mut {
    MUT_BITFLIP,                 // one bit of a displacement or immediate
    MUT_BRANCH,                  // a conditional branch's condition inverted
    MUT_NOP,                     // the whole instruction becomes NOPs
    MUT_REG,                     // a ModRM register field (source or destination) changed
    MUT_KINDS
};

extern const char *const x86_mut_names[MUT_KINDS];

// True if mutation kind applies to instruction in.
bool x86_mut_fits(const struct x86_insn *in, int kind);

// Changes the instruction at code (in->len bytes) as kind says; rnd picks
// the bit or register. Returns 0, or -1 if kind does not fit.
int x86_mutate(uint8_t *code, const struct x86_insn *in, int kind, uint64_t rnd);

#endif
