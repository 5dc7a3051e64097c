// An x86-64 instruction-length decoder, from the opcode maps of the Intel
// SDM (volume 2, appendix A): legacy prefixes, REX, the one-byte, 0F,
// 0F 38 and 0F 3A maps, VEX, ModRM, SIB, displacements and immediates.
// It finds where instructions start and which bytes are operands, which
// is what code fault injection needs; it does not name instructions.
#include "x86len.h"

// One letter per opcode: . nothing follows, m ModRM, b imm8, z imm16/32,
// M ModRM + imm8, Z ModRM + imm16/32, w imm16, e imm16 + imm8, a moffs,
// v imm16/32/64 (MOV r, imm), f ModRM + an immediate for /0 and /1 only,
// j rel8, J rel32, p a prefix, 0 the 0F escape, V VEX, T 0F 38, t 0F 3A,
// x not valid in 64-bit mode.
static const char map1[] =
    "mmmmbzxxmmmmbzx0" "mmmmbzxxmmmmbzxx" "mmmmbzpxmmmmbzpx" "mmmmbzpxmmmmbzpx"
    "pppppppppppppppp" "................" "xxxmppppzZbM...." "jjjjjjjjjjjjjjjj"
    "MZxMmmmmmmmmmmmm" "..........x....." "aaaa....bz......" "bbbbbbbbvvvvvvvv"
    "MMw.VVMZe.w..bx." "mmmmxxx.mmmmmmmm" "jjjjbbbbJJxj...." "p.pp..ff......mm";
static const char map2[] =
    "mmmmx.....x.xm.M" "mmmmmmmmmmmmmmmm" "mmmmxxxxmmmmmmmm" "........Txtxxxxx"
    "mmmmmmmmmmmmmmmm" "mmmmmmmmmmmmmmmm" "mmmmmmmmmmmmmmmm" "MMMMmmm.mmmmmmmm"
    "JJJJJJJJJJJJJJJJ" "mmmmmmmmmmmmmmmm" "...mMmxx...mMmmm" "mmmmmmmmmmMmmmmm"
    "mmMmMMMm........" "mmmmmmmmmmmmmmmm" "mmmmmmmmmmmmmmmm" "mmmmmmmmmmmmmmmm";

const char *const x86_mut_names[MUT_KINDS] = { "bitflip", "branch", "nop", "reg" };

struct cursor {
    const uint8_t *p;
    size_t avail, at;
    bool opsize, addrsize;
};

static int take(struct cursor *c)
{
    return c->at < c->avail ? c->p[c->at++] : -1;
}

// ModRM, then SIB and displacement. Returns -1 past the end.
static int decode_modrm(struct cursor *c, struct x86_insn *in)
{
    in->modrm_at = (int)c->at;
    int m = take(c);
    if (m < 0)
        return -1;
    int mod = m >> 6, rm = m & 7, disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
    if (mod == 3)
        return 0;
    if (rm == 4) {
        int sib = take(c);
        if (sib < 0)
            return -1;
        if (mod == 0 && (sib & 7) == 5)
            disp = 4;
    } else if (mod == 0 && rm == 5) {
        disp = 4;                                 // RIP-relative
    }
    in->disp_at = disp ? (int)c->at : -1;
    in->disp_len = disp;
    c->at += (size_t)disp;
    return c->at <= c->avail ? 0 : -1;
}

// The immediate's size for letter k (after the ModRM, if any).
static int imm_size(char k, const struct cursor *c, const struct x86_insn *in)
{
    bool w = in->rex & 8;
    int z = c->opsize && !w ? 2 : 4;
    switch (k) {
    case 'b': case 'M': case 'j': return 1;
    case 'z': case 'Z': return z;
    case 'w': return 2;
    case 'e': return 3;
    case 'J': return 4;
    case 'v': return w ? 8 : z;
    case 'f': {
        int reg = (c->p[in->modrm_at] >> 3) & 7;
        return reg > 1 ? 0 : in->op == 0xf6 ? 1 : z;
    }
    default: return 0;
    }
}

// The operands that follow an opcode of letter k.
static int decode_operands(struct cursor *c, struct x86_insn *in, char k)
{
    if (k == 'x' || k == 'p')
        return -1;
    if (k == 'a') {                               // a 64-bit (or 32-bit) address
        in->disp_at = (int)c->at;
        in->disp_len = c->addrsize ? 4 : 8;
        c->at += (size_t)in->disp_len;
        return c->at <= c->avail ? 0 : -1;
    }
    if ((k == 'm' || k == 'M' || k == 'Z' || k == 'f') && decode_modrm(c, in) < 0)
        return -1;
    int n = imm_size(k, c, in);
    if (n) {
        in->imm_at = (int)c->at;
        in->imm_len = n;
        c->at += (size_t)n;
    }
    return c->at <= c->avail ? 0 : -1;
}

// The letter of VEX-encoded opcode op in map (1 to 3).
static char vex_letter(int map, uint8_t op)
{
    if (map == 3)
        return 'M';
    if (map == 1 && op == 0x77)
        return '.';                               // vzeroupper, vzeroall
    return map == 1 && map2[op] == 'M' ? 'M' : 'm';
}

// A VEX prefix (C4 or C5, already taken) and the opcode after it.
static int decode_vex(struct cursor *c, struct x86_insn *in, int first)
{
    int b1 = take(c), map = 1;
    if (b1 < 0 || (first == 0xc4 && take(c) < 0))
        return -1;
    if (first == 0xc4)
        map = b1 & 0x1f;
    if (map < 1 || map > 3)
        return -1;
    in->vex = true;
    in->map = map;
    in->op_at = (int)c->at;
    int op = take(c);
    if (op < 0)
        return -1;
    in->op = (uint8_t)op;
    return decode_operands(c, in, vex_letter(map, in->op));
}

// The opcode bytes after the 0F escape.
static int decode_0f(struct cursor *c, struct x86_insn *in)
{
    int op = take(c);
    if (op < 0)
        return -1;
    char k = map2[op];
    if (k == 'T' || k == 't') {
        in->map = k == 'T' ? 2 : 3;
        op = take(c);
        if (op < 0)
            return -1;
        k = in->map == 2 ? 'm' : 'M';
    } else {
        in->map = 1;
    }
    in->op_at = (int)c->at - 1;
    in->op = (uint8_t)op;
    return decode_operands(c, in, k);
}

static bool legacy_prefix(int b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
           b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

int x86_decode(const uint8_t *p, size_t avail, struct x86_insn *out)
{
    struct cursor c = { p, avail > 15 ? 15 : avail, 0, false, false };
    struct x86_insn in = { .op_at = -1, .modrm_at = -1, .disp_at = -1, .imm_at = -1 };
    int b;
    for (;;) {
        if ((b = take(&c)) < 0)
            return -1;
        if (legacy_prefix(b)) {
            c.opsize |= b == 0x66;
            c.addrsize |= b == 0x67;
            in.rex = 0;                           // a REX counts only just before the opcode
        } else if ((b & 0xf0) == 0x40) {
            in.rex = b;
        } else {
            break;
        }
    }
    in.op_at = (int)c.at - 1;
    in.op = (uint8_t)b;
    char k = map1[b];
    int err = k == 'V' ? decode_vex(&c, &in, b) : k == '0' ? decode_0f(&c, &in)
                                                  : decode_operands(&c, &in, k);
    if (err < 0 || c.at > c.avail)
        return -1;
    in.len = (int)c.at;
    *out = in;
    return in.len;
}

static bool is_jcc(const struct x86_insn *in)
{
    return !in->vex && ((in->map == 0 && (in->op & 0xf0) == 0x70) ||
                        (in->map == 1 && (in->op & 0xf0) == 0x80));
}

// Opcodes whose ModRM reg field selects the operation, not a register.
static bool reg_is_opcode(const struct x86_insn *in)
{
    if (in->vex)
        return in->map == 1 && in->op >= 0x71 && in->op <= 0x73;
    if (in->map == 0)
        return (in->op >= 0x80 && in->op <= 0x83) || in->op == 0x8f || in->op == 0xc0 ||
               in->op == 0xc1 || in->op == 0xc6 || in->op == 0xc7 ||
               (in->op >= 0xd0 && in->op <= 0xdf) || in->op == 0xf6 || in->op == 0xf7 ||
               in->op == 0xfe || in->op == 0xff;
    return in->map == 1 && (in->op <= 0x01 || in->op == 0x0d || (in->op >= 0x18 && in->op <= 0x1f) ||
                            (in->op >= 0x71 && in->op <= 0x73) || in->op == 0xae ||
                            in->op == 0xba || in->op == 0xc7);
}

bool x86_mut_fits(const struct x86_insn *in, int kind)
{
    switch (kind) {
    case MUT_BITFLIP: return in->disp_len + in->imm_len > 0;
    case MUT_BRANCH:  return is_jcc(in);
    case MUT_NOP:     return in->len > 0;
    case MUT_REG:     return in->modrm_at >= 0 && !reg_is_opcode(in);
    default:          return false;
    }
}

// A register field of the ModRM byte m changed: the reg field, or with a
// register operand (mod 3) perhaps the r/m field. Keeps the length.
static uint8_t other_reg(uint8_t m, uint64_t rnd)
{
    uint8_t x = (uint8_t)(1 + (rnd >> 1) % 7);
    if ((m >> 6) == 3 && (rnd & 1))
        return m ^ x;
    return m ^ (uint8_t)(x << 3);
}

int x86_mutate(uint8_t *code, const struct x86_insn *in, int kind, uint64_t rnd)
{
    if (!x86_mut_fits(in, kind))
        return -1;
    if (kind == MUT_BITFLIP) {
        int bits = (in->disp_len + in->imm_len) * 8, bit = (int)(rnd % (uint64_t)bits);
        int at = bit / 8 < in->disp_len ? in->disp_at + bit / 8
                                        : in->imm_at + bit / 8 - in->disp_len;
        code[at] ^= (uint8_t)(1u << (bit % 8));
    } else if (kind == MUT_BRANCH) {
        code[in->op_at] ^= 1;                     // condition cc becomes not-cc
    } else if (kind == MUT_NOP) {
        for (int i = 0; i < in->len; i++)
            code[i] = 0x90;
    } else {
        code[in->modrm_at] = other_reg(code[in->modrm_at], rnd);
    }
    return 0;
}
