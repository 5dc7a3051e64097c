// Code fault injection: picks one instruction of a program and a mutation
// of it, the way software-implemented fault injection does. The program's
// ELF symbol table gives the functions (their bounds are instruction
// boundaries); without one, the executable sections are swept from their
// start. Every offset and size read from the file is checked.
#include "codefault.h"
#include "core/elf.h"

struct elf_shdr {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

struct elf_sym {
    uint32_t name;
    uint8_t info, other;
    uint16_t shndx;
    uint64_t value, size;
};

#define SHT_SYMTAB     2
#define SHF_EXECINSTR  4
#define STT_FUNC       2

// A stretch of code: where it is in the program and in the file.
struct range {
    uint64_t vaddr, len;
    const uint8_t *bytes;
    const char *name;
};

struct elf_view {
    const uint8_t *base;
    uint64_t size;
    const struct elf_shdr *sh;
    int nsh;
    const struct elf_sym *syms;  // NULL without a symbol table
    uint64_t nsyms;
    const char *strs;
    uint64_t strs_len;
};

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int fits_file(const struct elf_view *v, uint64_t off, uint64_t len)
{
    return off <= v->size && len <= v->size - off;
}

static int view_open(struct elf_view *v, const void *elf, uint64_t size)
{
    const struct elf_ehdr *h = elf;
    *v = (struct elf_view){ .base = elf, .size = size };
    if (size < sizeof(*h) || h->ident[0] != 0x7f || h->ident[1] != 'E' || h->ident[2] != 'L' ||
        h->ident[3] != 'F' || h->ident[4] != 2 || h->shentsize != sizeof(struct elf_shdr) ||
        (h->shoff & 7) || !fits_file(v, h->shoff, (uint64_t)h->shnum * sizeof(struct elf_shdr)))
        return -1;
    v->sh = (const struct elf_shdr *)(v->base + h->shoff);
    v->nsh = h->shnum;
    for (int i = 0; i < v->nsh; i++) {
        const struct elf_shdr *s = &v->sh[i];
        if (s->type != SHT_SYMTAB || s->link >= (uint32_t)v->nsh || (s->offset & 7) ||
            !fits_file(v, s->offset, s->size) || !fits_file(v, v->sh[s->link].offset,
                                                            v->sh[s->link].size))
            continue;
        v->syms = (const struct elf_sym *)(v->base + s->offset);
        v->nsyms = s->size / sizeof(struct elf_sym);
        v->strs = (const char *)(v->base + v->sh[s->link].offset);
        v->strs_len = v->sh[s->link].size;
    }
    return 0;
}

// Section i if it holds code that is in the file, else NULL.
static const struct elf_shdr *code_section(const struct elf_view *v, uint64_t i)
{
    if (i == 0 || i >= (uint64_t)v->nsh)
        return NULL;
    const struct elf_shdr *s = &v->sh[i];
    return (s->flags & SHF_EXECINSTR) && s->type != 8 /* NOBITS */ &&
           fits_file(v, s->offset, s->size) ? s : NULL;
}

// Symbol i as a range if it is a function with a size inside a code section.
static int sym_range(const struct elf_view *v, uint64_t i, struct range *r)
{
    const struct elf_sym *y = &v->syms[i];
    const struct elf_shdr *s = code_section(v, y->shndx);
    if ((y->info & 0xf) != STT_FUNC || !y->size || !s || y->value < s->addr ||
        y->value - s->addr > s->size || y->size > s->size - (y->value - s->addr))
        return -1;
    r->vaddr = y->value;
    r->len = y->size;
    r->bytes = v->base + s->offset + (y->value - s->addr);
    r->name = y->name < v->strs_len ? v->strs + y->name : "?";
    return 0;
}

// The n-th range of code: functions if there are symbols, else sections.
// Returns the number of ranges when n < 0.
static int64_t nth_range(const struct elf_view *v, int64_t n, struct range *r)
{
    int64_t count = 0;
    struct range tmp;
    for (uint64_t i = 0; i < v->nsyms; i++)
        if (sym_range(v, i, &tmp) == 0 && count++ == n) {
            *r = tmp;
            return 0;
        }
    if (count)
        return n < 0 ? count : -1;
    for (int i = 0; i < v->nsh; i++) {
        const struct elf_shdr *s = code_section(v, (uint64_t)i);
        if (s && count++ == n) {
            *r = (struct range){ s->addr, s->size, v->base + s->offset, "?" };
            return 0;
        }
    }
    return n < 0 ? count : -1;
}

// The first instruction at or after offset `from` in r that kind fits,
// decoding from r's start. Its offset, or -1.
static int64_t find_insn(const struct range *r, uint64_t from, int kind, struct x86_insn *in)
{
    uint64_t at = 0;
    while (at < r->len) {
        if (x86_decode(r->bytes + at, r->len - at, in) < 0)
            return -1;
        if (at >= from && x86_mut_fits(in, kind))
            return (int64_t)at;
        at += (uint64_t)in->len;
    }
    return -1;
}

static void fill(struct code_fault *f, const struct range *r, uint64_t at,
                 const struct x86_insn *in, int kind, uint64_t rnd)
{
    f->vaddr = r->vaddr + at;
    f->len = in->len;
    f->kind = kind;
    for (int i = 0; i < in->len; i++)
        f->old[i] = f->new[i] = r->bytes[at + (uint64_t)i];
    x86_mutate(f->new, in, kind, rnd);
    int i = 0;
    for (; i < (int)sizeof(f->func) - 1 && r->name[i]; i++)
        f->func[i] = r->name[i];
    f->func[i] = 0;
}

int code_fault_pick(const void *elf, uint64_t size, uint64_t seed, int kind,
                    struct code_fault *out)
{
    struct elf_view v;
    struct range r;
    struct x86_insn in;
    uint64_t s = seed | 1;
    if (view_open(&v, elf, size) < 0)
        return -1;
    int64_t n = nth_range(&v, -1, &r);
    for (int try = 0; n > 0 && try < 256; try++) {
        int k = kind >= 0 ? kind : (int)(rng_next(&s) % MUT_KINDS);
        if (nth_range(&v, (int64_t)(rng_next(&s) % (uint64_t)n), &r) < 0)
            continue;
        int64_t at = find_insn(&r, rng_next(&s) % r.len, k, &in);
        if (at >= 0) {
            fill(out, &r, (uint64_t)at, &in, k, rng_next(&s));
            return 0;
        }
    }
    return -1;
}
