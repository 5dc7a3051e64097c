// ELF64 parsing with full bounds checks (see elf.h).
#include "elf.h"
#include "uapi/abi.h"
#include "uapi/errors.h"

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PAGE 4096ull

static int ehdr_ok(const struct elf_ehdr *e, uint64_t size)
{
    return e->ident[0] == 0x7f && e->ident[1] == 'E' && e->ident[2] == 'L' &&
           e->ident[3] == 'F' && e->ident[4] == 2 /* 64-bit */ && e->ident[5] == 1 /* LE */ &&
           e->ident[6] == 1 && e->type == 2 /* EXEC */ && e->machine == 62 /* x86-64 */ &&
           e->version == 1 && e->phentsize == sizeof(struct phdr) && e->phnum > 0 &&
           e->phnum <= 64 && e->phoff < size &&
           e->phoff + (uint64_t)e->phnum * sizeof(struct phdr) <= size && (e->phoff & 7) == 0;
}

// A loadable segment must lie inside the file and inside user space,
// above the null page.
static int seg_ok(const struct phdr *p, uint64_t size)
{
    return p->filesz <= p->memsz && p->offset <= size && p->filesz <= size - p->offset &&
           p->vaddr >= PAGE && p->vaddr < USER_TOP && p->memsz < USER_TOP - p->vaddr &&
           p->memsz > 0 && (p->vaddr % PAGE) == (p->offset % PAGE);
}

static int overlaps(const struct elf_image *img, uint64_t start, uint64_t end)
{
    for (int i = 0; i < img->nsegs; i++) {
        uint64_t s = img->segs[i].vaddr & ~(PAGE - 1);
        uint64_t e = (img->segs[i].vaddr + img->segs[i].memsz + PAGE - 1) & ~(PAGE - 1);
        if (start < e && s < end)
            return 1;
    }
    return 0;
}

int elf_parse(const void *data, uint64_t size, struct elf_image *out)
{
    const struct elf_ehdr *e = data;
    if (!data || size < sizeof(*e) || ((uintptr_t)data & 7) || !ehdr_ok(e, size))
        return -E_BADELF;
    out->nsegs = 0;
    out->entry = e->entry;
    int entry_ok = 0;
    for (int i = 0; i < e->phnum; i++) {
        const struct phdr *p = (const struct phdr *)((const uint8_t *)data + e->phoff) + i;
        if (p->type != PT_LOAD)
            continue;
        if (!seg_ok(p, size) || out->nsegs == ELF_MAX_SEGS)
            return -E_BADELF;
        uint64_t start = p->vaddr & ~(PAGE - 1), end = (p->vaddr + p->memsz + PAGE - 1) & ~(PAGE - 1);
        if (overlaps(out, start, end))
            return -E_BADELF;
        struct elf_seg *s = &out->segs[out->nsegs++];
        s->vaddr = p->vaddr;
        s->memsz = p->memsz;
        s->offset = p->offset;
        s->filesz = p->filesz;
        s->prot = (p->flags & 4 ? PROT_READ : 0) | (p->flags & 2 ? PROT_WRITE : 0) |
                  (p->flags & 1 ? PROT_EXEC : 0);
        if ((p->flags & 1) && e->entry >= p->vaddr && e->entry < p->vaddr + p->memsz)
            entry_ok = 1;
    }
    return out->nsegs && entry_ok ? 0 : -E_BADELF;
}
