// Host tests for servers/init/x86len.c and codefault.c: instruction
// boundaries agree with objdump's on the system's own programs (build/bin),
// hand-picked encodings have the right lengths and operand offsets, and
// each mutation kind changes what it says and keeps the length.
#include "../../servers/init/x86len.c"
#include "../../servers/init/codefault.c"
#include "check.h"
#include <stdlib.h>
#include <unistd.h>

static uint8_t *file_data;
static long file_len;

// build/bin/NAME, found beside this test's binary (build/host/).
static const char *bin_path(const char *name)
{
    static char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 64);
    if (n < 0)
        return NULL;
    path[n] = 0;
    char *slash = strrchr(path, '/');
    snprintf(slash, 64, "/../bin/%s", name);
    return path;
}

static int load(const char *name)
{
    FILE *f = fopen(bin_path(name), "rb");
    if (!f)
        return -1;
    free(file_data);
    file_data = malloc(64 << 20);
    file_len = (long)fread(file_data, 1, 64 << 20, f);
    fclose(f);
    return 0;
}

// The instruction addresses objdump finds in the code sections, in order.
static long objdump_addrs(const char *name, uint64_t *out, long max)
{
    char cmd[4200], line[512];
    snprintf(cmd, sizeof(cmd), "objdump -d -w --no-show-raw-insn '%s'", bin_path(name));
    FILE *p = popen(cmd, "r");
    long n = 0;
    while (p && fgets(line, sizeof(line), p)) {
        char *end;
        unsigned long a = strtoul(line, &end, 16);
        if (line[0] == ' ' && *end == ':' && end[1] == '\t' && n < max)
            out[n++] = a;
    }
    if (p)
        pclose(p);
    return n;
}

// Sweeps every code section of the loaded file with x86_decode.
static long sweep(uint64_t *out, long max, char *why, size_t why_len)
{
    struct elf_view v;
    long n = 0;
    if (view_open(&v, file_data, (uint64_t)file_len) < 0)
        return -1;
    for (int i = 0; i < v.nsh; i++) {
        const struct elf_shdr *s = code_section(&v, (uint64_t)i);
        for (uint64_t at = 0; s && at < s->size && n < max;) {
            struct x86_insn in;
            const uint8_t *b = v.base + s->offset + at;
            if (x86_decode(b, s->size - at, &in) < 0) {
                snprintf(why, why_len, "cannot decode at %lx: %02x %02x %02x %02x",
                         (unsigned long)(s->addr + at), b[0], b[1], b[2], b[3]);
                return -1;
            }
            out[n++] = s->addr + at;
            at += (uint64_t)in.len;
        }
    }
    return n;
}

static void agree_with_objdump(const char *name)
{
    static uint64_t ours[1 << 20], theirs[1 << 20];
    char why[128] = "";
    if (load(name) < 0) {
        CHECK(!"build/bin has the program (make all first)");
        return;
    }
    long a = sweep(ours, 1 << 20, why, sizeof(why));
    long b = objdump_addrs(name, theirs, 1 << 20);
    if (a < 0)
        check_fail_(__FILE__, __LINE__, "%s: %s", name, why);
    CHECK(b > 1000);
    for (long i = 0; a >= 0 && i < a && i < b; i++)
        if (ours[i] != theirs[i]) {
            check_fail_(__FILE__, __LINE__, "%s: instruction %ld at %lx, objdump says %lx", name,
                        i, (unsigned long)ours[i], (unsigned long)theirs[i]);
            return;
        }
    CHECK_EQ(a, b);
}

TEST(fs_boundaries_as_objdump) { agree_with_objdump("fs"); }
TEST(net_boundaries_as_objdump) { agree_with_objdump("net"); }
TEST(console_boundaries_as_objdump) { agree_with_objdump("console"); }
TEST(ata_boundaries_as_objdump) { agree_with_objdump("ata"); }
TEST(sh_boundaries_as_objdump) { agree_with_objdump("sh"); }

static struct x86_insn dec(const char *hex)
{
    uint8_t b[16];
    int n = 0;
    for (; hex[0] && hex[1] && n < 16; hex += 2 + (hex[2] == ' '))
        sscanf(hex, "%2hhx", &b[n++]);
    struct x86_insn in = { 0 };
    if (x86_decode(b, (size_t)n, &in) != n)
        in.len = -1;
    return in;
}

TEST(lengths_and_operands)
{
    struct x86_insn in = dec("48 8b 44 24 08");       // mov rax, [rsp+8]
    CHECK_EQ(in.len, 5);
    CHECK_EQ(in.rex, 0x48);
    CHECK_EQ(in.modrm_at, 2);
    CHECK_EQ(in.disp_at, 4);
    CHECK_EQ(in.disp_len, 1);
    in = dec("48 b8 88 77 66 55 44 33 22 11");        // movabs rax, imm64
    CHECK_EQ(in.len, 10);
    CHECK_EQ(in.imm_len, 8);
    in = dec("66 b8 34 12");                          // mov ax, imm16
    CHECK_EQ(in.imm_len, 2);
    in = dec("f7 c1 01 00 00 00");                    // test ecx, imm32
    CHECK_EQ(in.len, 6);
    in = dec("f7 d9");                                // neg ecx: no immediate
    CHECK_EQ(in.len, 2);
    in = dec("8b 05 10 20 30 40");                    // mov eax, [rip+...]
    CHECK_EQ(in.disp_len, 4);
    in = dec("8b 04 25 00 10 00 00");                 // mov eax, [abs32] via SIB
    CHECK_EQ(in.len, 7);
    in = dec("0f 85 00 01 00 00");                    // jne rel32
    CHECK_EQ(in.map, 1);
    CHECK_EQ(in.op_at, 1);
    CHECK_EQ(in.imm_len, 4);
    in = dec("66 0f 3a 0f c1 08");                    // palignr xmm0, xmm1, 8
    CHECK_EQ(in.len, 6);
    CHECK_EQ(in.map, 3);
    in = dec("c5 f8 77");                             // vzeroupper
    CHECK_EQ(in.len, 3);
    in = dec("c4 e2 79 18 07");                       // vbroadcastss xmm0, [rdi]
    CHECK_EQ(in.len, 5);
    in = dec("f3 0f 1e fa");                          // endbr64
    CHECK_EQ(in.len, 4);
    in = dec("a1 00 00 00 00 00 00 00 80");           // mov eax, moffs64
    CHECK_EQ(in.len, 9);
    in = dec("c8 10 00 01");                          // enter 16, 1
    CHECK_EQ(in.len, 4);
}

TEST(bad_input_is_refused)
{
    uint8_t b[16] = { 0x06 };                          // push es: not in 64-bit mode
    struct x86_insn in;
    CHECK_EQ(x86_decode(b, 16, &in), -1);
    b[0] = 0x48, b[1] = 0x8b, b[2] = 0x84;             // SIB and disp32 missing
    CHECK_EQ(x86_decode(b, 3, &in), -1);
    memset(b, 0x66, sizeof(b));                        // prefixes past 15 bytes
    CHECK_EQ(x86_decode(b, 16, &in), -1);
    CHECK_EQ(x86_decode(b, 0, &in), -1);
}

static int mutate(const char *hex, int kind, uint64_t rnd, uint8_t *out)
{
    struct x86_insn in = dec(hex);
    int n = 0;
    for (; hex[0] && hex[1]; hex += 2 + (hex[2] == ' '))
        sscanf(hex, "%2hhx", &out[n++]);
    int r = x86_mutate(out, &in, kind, rnd);
    struct x86_insn after;
    if (r == 0 && kind != MUT_NOP && x86_decode(out, (size_t)n, &after) != in.len)
        return -2;                                     // the length changed (NOPs: one byte each)
    return r;
}

TEST(each_mutation_kind)
{
    uint8_t b[16];
    CHECK_EQ(mutate("74 05", MUT_BRANCH, 0, b), 0);    // je -> jne
    CHECK_EQ(b[0], 0x75);
    CHECK_EQ(mutate("0f 8e 10 00 00 00", MUT_BRANCH, 0, b), 0);   // jle -> jg
    CHECK_EQ(b[1], 0x8f);
    CHECK_EQ(mutate("48 89 c3", MUT_BRANCH, 0, b), -1);  // not a branch
    CHECK_EQ(mutate("83 c0 01", MUT_BITFLIP, 3, b), 0);  // add eax, 1: bit 3 of the imm
    CHECK_EQ(b[2], 0x09);
    CHECK_EQ(mutate("48 8b 44 24 08", MUT_BITFLIP, 1, b), 0);     // the displacement
    CHECK_EQ(b[4], 0x0a);
    CHECK_EQ(mutate("48 89 c3", MUT_BITFLIP, 0, b), -1);  // no operand bytes
    CHECK_EQ(mutate("48 89 c3", MUT_NOP, 0, b), 0);
    CHECK(b[0] == 0x90 && b[1] == 0x90 && b[2] == 0x90);
    CHECK_EQ(mutate("48 89 c3", MUT_REG, 0, b), 0);     // mov rbx, rax: reg field
    CHECK(b[2] != 0xc3 && (b[2] & 0xc7) == 0xc3);
    CHECK_EQ(mutate("48 89 c3", MUT_REG, 1, b), 0);     // or the r/m field
    CHECK(b[2] != 0xc3 && (b[2] & 0xf8) == 0xc0);
    CHECK_EQ(mutate("48 8b 44 24 08", MUT_REG, 1, b), 0);  // memory operand: reg only
    CHECK(b[2] != 0x44 && (b[2] & 0xc7) == 0x44);
    CHECK_EQ(mutate("ff d0", MUT_REG, 0, b), -1);       // call rax: /2 is the opcode
    CHECK_EQ(mutate("c3", MUT_REG, 0, b), -1);
}

TEST(pick_in_a_real_program)
{
    if (load("fs") < 0) {
        CHECK(!"build/bin/fs");
        return;
    }
    int kinds[MUT_KINDS] = { 0 };
    for (uint64_t seed = 1; seed <= 400; seed++) {
        struct code_fault f;
        if (code_fault_pick(file_data, (uint64_t)file_len, seed, -1, &f) < 0) {
            CHECK(!"a fault for every seed");
            return;
        }
        kinds[f.kind]++;
        CHECK(memcmp(f.old, f.new, (size_t)f.len) != 0);
        CHECK(f.vaddr >= 0x400000 && f.vaddr < 0x1000000);
        struct code_fault g;                          // the same seed, the same fault
        code_fault_pick(file_data, (uint64_t)file_len, seed, -1, &g);
        CHECK(g.vaddr == f.vaddr && !memcmp(g.new, f.new, (size_t)f.len));
    }
    for (int k = 0; k < MUT_KINDS; k++)
        CHECK(kinds[k] > 40);
    struct code_fault f;
    CHECK_EQ(code_fault_pick(file_data, (uint64_t)file_len, 9, MUT_BRANCH, &f), 0);
    CHECK(f.kind == MUT_BRANCH && ((f.old[0] & 0xf0) == 0x70 || f.old[f.len - 6] == 0x0f));
    CHECK_EQ(code_fault_pick(file_data, 100, 9, -1, &f), -1);       // cut short
    CHECK_EQ(code_fault_pick("not an elf", 10, 9, -1, &f), -1);
}
