// Host tests for kernel/core/elf.c. Images are built byte by byte at the
// offsets of the ELF64 specification, independently of the parser's structs.
#include "core/elf.c"
#include "check.h"

#define BUFSZ 0x4000
static uint64_t store[BUFSZ / 8 + 2];          // 8-byte aligned, with slack
static uint8_t *const buf = (uint8_t *)store;
static struct elf_image img;

struct seg { uint32_t type, flags; uint64_t offset, vaddr, filesz, memsz; };

#define PF_X 1
#define PF_W 2
#define PF_R 4
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551u

// ELF64 header field offsets.
enum { E_CLASS = 4, E_DATA = 5, E_IDVER = 6, E_TYPE = 16, E_MACHINE = 18, E_VERSION = 20,
       E_ENTRY = 24, E_PHOFF = 32, E_PHENTSIZE = 54, E_PHNUM = 56 };
// Program header field offsets, relative to the header.
enum { P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_FILESZ = 32, P_MEMSZ = 40 };
#define PH(i, field) (64 + 56 * (i) + (field))   // with phoff = 64

static void put(uint64_t off, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        buf[off + i] = (uint8_t)(v >> (8 * i));
}

static void build(uint64_t entry, const struct seg *s, int n, uint64_t phoff)
{
    memset(store, 0, sizeof store);
    memcpy(buf, "\x7f" "ELF", 4);
    buf[E_CLASS] = 2;                     // ELFCLASS64
    buf[E_DATA] = 1;                      // little endian
    buf[E_IDVER] = 1;
    put(E_TYPE, 2, 2);                    // ET_EXEC
    put(E_MACHINE, 62, 2);                // EM_X86_64
    put(E_VERSION, 1, 4);
    put(E_ENTRY, entry, 8);
    put(E_PHOFF, phoff, 8);
    put(52, 64, 2);                       // ehsize
    put(E_PHENTSIZE, 56, 2);
    put(E_PHNUM, (uint64_t)n, 2);
    put(58, 64, 2);                       // shentsize
    for (int i = 0; i < n; i++) {
        uint64_t ph = phoff + 56 * (uint64_t)i;
        put(ph + P_TYPE, s[i].type, 4);
        put(ph + P_FLAGS, s[i].flags, 4);
        put(ph + P_OFFSET, s[i].offset, 8);
        put(ph + P_VADDR, s[i].vaddr, 8);
        put(ph + 24, s[i].vaddr, 8);      // paddr
        put(ph + P_FILESZ, s[i].filesz, 8);
        put(ph + P_MEMSZ, s[i].memsz, 8);
        put(ph + 48, 0x1000, 8);          // align
    }
}

// A typical static executable: text (R-X), data+bss (RW-), and a stack note.
#define STD_SIZE 0x2000ull
#define STD_ENTRY 0x400100ull
static uint64_t std_image(void)
{
    static const struct seg s[] = {
        { PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000 },
        { PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x800, 0x2000 },
        { PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0 },
    };
    build(STD_ENTRY, s, 3, 64);
    return STD_SIZE;
}

static int parse(const void *data, uint64_t size)
{
    memset(&img, 0xa5, sizeof img);
    return elf_parse(data, size, &img);
}

// Builds the standard image, applies `change` (which may modify `size`),
// and expects the result to be rejected.
#define REJECT(change) do { uint64_t size = std_image(); change; (void)size; \
    CHECK_EQ(parse(buf, size), -E_BADELF); } while (0)

TEST(standard_image_accepted)
{
    uint64_t size = std_image();
    CHECK_EQ(parse(buf, size), 0);
    CHECK_EQ(img.entry, STD_ENTRY);
    CHECK_EQ(img.nsegs, 2);                       // PT_GNU_STACK skipped
    CHECK_EQ(img.segs[0].vaddr, 0x400000);
    CHECK_EQ(img.segs[0].memsz, 0x1000);
    CHECK_EQ(img.segs[0].offset, 0);
    CHECK_EQ(img.segs[0].filesz, 0x1000);
    CHECK_EQ(img.segs[0].prot, PROT_READ | PROT_EXEC);
    CHECK_EQ(img.segs[1].vaddr, 0x401000);
    CHECK_EQ(img.segs[1].memsz, 0x2000);
    CHECK_EQ(img.segs[1].offset, 0x1000);
    CHECK_EQ(img.segs[1].filesz, 0x800);
    CHECK_EQ(img.segs[1].prot, PROT_READ | PROT_WRITE);
}

TEST(accepted_variants)
{
    // One RWX segment with an unaligned start, bss only after the file.
    struct seg one = { PT_LOAD, PF_R | PF_W | PF_X, 0x123, 0x10123, 0x100, 0x5000 };
    build(0x10123, &one, 1, 64);
    CHECK_EQ(parse(buf, 0x223), 0);                // file ends exactly at offset+filesz
    CHECK_EQ(img.nsegs, 1);
    CHECK_EQ(img.segs[0].prot, PROT_READ | PROT_WRITE | PROT_EXEC);
    CHECK_EQ(img.segs[0].vaddr, 0x10123);
    CHECK_EQ(img.segs[0].offset, 0x123);
    // Entry on the last byte of the executable segment.
    build(0x10123 + 0x5000 - 1, &one, 1, 64);
    CHECK_EQ(parse(buf, 0x223), 0);
    // Flags map bit by bit, and a no-access segment is kept (prot 0).
    struct seg s[] = {
        { PT_LOAD, PF_X, 0, 0x1000, 0, 0x1000 },
        { PT_LOAD, 0, 0, 0x2000, 0, 0x1000 },
        { PT_LOAD, PF_W, 0, 0x3000, 0, 0x1000 },
        { PT_LOAD, PF_R, 0, 0x7ffffffff000, 0, 0x800 },   // high in user space
        { PT_NOTE, PF_R, ~0ull, ~0ull, ~0ull, 1 },        // garbage, but not PT_LOAD
    };
    build(0x1000, s, 5, 64);
    CHECK_EQ(parse(buf, 64 + 5 * 56), 0);
    CHECK_EQ(img.nsegs, 4);
    CHECK_EQ(img.segs[0].prot, PROT_EXEC);
    CHECK_EQ(img.segs[1].prot, 0);
    CHECK_EQ(img.segs[2].prot, PROT_WRITE);
    CHECK_EQ(img.segs[3].prot, PROT_READ);
    CHECK_EQ(img.segs[3].vaddr, 0x7ffffffff000);
    // Program headers at the end of the file, not right after the ehdr.
    struct seg t = { PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000 };
    build(0x400000, &t, 1, 0x1000);
    CHECK_EQ(parse(buf, 0x1000 + 56), 0);
    CHECK_EQ(img.entry, 0x400000);
    // Exactly ELF_MAX_SEGS loadable segments, adjacent pages.
    struct seg m[ELF_MAX_SEGS];
    for (int i = 0; i < ELF_MAX_SEGS; i++)
        m[i] = (struct seg){ PT_LOAD, PF_R | PF_X, 0, 0x400000 + 0x1000 * (uint64_t)i, 0x40, 0x1000 };
    build(0x407fff, m, ELF_MAX_SEGS, 64);
    CHECK_EQ(parse(buf, 0x1000), 0);
    CHECK_EQ(img.nsegs, ELF_MAX_SEGS);
}

TEST(reject_bad_magic)
{
    for (int i = 0; i < 4; i++)
        REJECT(buf[i] ^= 0x20);
    REJECT(memset(buf, 0, 4));
}

TEST(reject_32bit_class)
{
    REJECT(buf[E_CLASS] = 1);
    REJECT(buf[E_CLASS] = 0);
}

TEST(reject_big_endian)
{
    REJECT(buf[E_DATA] = 2);
    REJECT(buf[E_DATA] = 0);
}

TEST(reject_bad_versions)
{
    REJECT(buf[E_IDVER] = 0);
    REJECT(put(E_VERSION, 0, 4));
    REJECT(put(E_VERSION, 2, 4));
}

TEST(reject_wrong_machine)
{
    REJECT(put(E_MACHINE, 3, 2));                  // EM_386
    REJECT(put(E_MACHINE, 183, 2));                // EM_AARCH64
    REJECT(put(E_MACHINE, 62 | 0x100, 2));
}

TEST(reject_et_dyn_and_others)
{
    REJECT(put(E_TYPE, 3, 2));                     // ET_DYN
    REJECT(put(E_TYPE, 1, 2));                     // ET_REL
    REJECT(put(E_TYPE, 4, 2));                     // ET_CORE
    REJECT(put(E_TYPE, 0x102, 2));
}

TEST(reject_wrong_phentsize)
{
    REJECT(put(E_PHENTSIZE, 32, 2));               // Elf32_Phdr size
    REJECT(put(E_PHENTSIZE, 55, 2));
    REJECT(put(E_PHENTSIZE, 57, 2));
    REJECT(put(E_PHENTSIZE, 64, 2));
    REJECT(put(E_PHENTSIZE, 0, 2));
}

TEST(reject_phoff_past_end)
{
    REJECT(put(E_PHOFF, STD_SIZE, 8));
    REJECT(put(E_PHOFF, STD_SIZE + 8, 8));
    REJECT(put(E_PHOFF, ~0ull << 3, 8));           // huge, 8-aligned
    REJECT(put(E_PHOFF, 65, 8));                   // misaligned
    REJECT(put(E_PHOFF, 68, 8));
    // A well-formed table at a misaligned offset is still refused.
    static const struct seg s[] = { { PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000 } };
    build(0x400000, s, 1, 68);
    CHECK_EQ(parse(buf, 0x1000), -E_BADELF);
    build(0x400000, s, 1, 72);                     // control: aligned is fine
    CHECK_EQ(parse(buf, 0x1000), 0);
}

TEST(reject_phdrs_past_end)
{
    // The table starts inside the file but runs past its end.
    REJECT(put(E_PHOFF, STD_SIZE - 56, 8));        // 3 entries from 56 bytes before the end
    REJECT(put(E_PHOFF, STD_SIZE - 2 * 56 - 8, 8));
    REJECT(put(E_PHNUM, 0xffff, 2));               // 0xffff * 56 bytes
    REJECT(put(E_PHNUM, 65, 2));                   // fits in the file but too many
    REJECT(put(E_PHNUM, 0, 2));
    // A bss-only image, so that the file can end right after the table.
    struct seg bss = { PT_LOAD, PF_R | PF_X, 0, 0x400000, 0, 0x1000 };
    build(0x400000, &bss, 1, 64);
    CHECK_EQ(parse(buf, 64 + 56), 0);              // table ends exactly at the end
    CHECK_EQ(parse(buf, 64 + 56 - 1), -E_BADELF);  // one byte short
    put(E_PHNUM, 2, 2);
    CHECK_EQ(parse(buf, 64 + 56), -E_BADELF);      // a second entry past the end
    // The table at the very end of the standard image.
    static const struct seg s[] = {
        { PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000 },
        { PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x800, 0x2000 },
    };
    build(STD_ENTRY, s, 2, STD_SIZE - 2 * 56);
    CHECK_EQ(parse(buf, STD_SIZE), 0);
    CHECK_EQ(parse(buf, STD_SIZE - 8), -E_BADELF);
}

TEST(reject_filesz_gt_memsz)
{
    REJECT(put(PH(1, P_FILESZ), 0x2001, 8));
    REJECT(put(PH(0, P_MEMSZ), 0xfff, 8));
    REJECT(put(PH(0, P_MEMSZ), 0, 8));             // filesz 0x1000 > memsz 0
    REJECT(put(PH(1, P_MEMSZ), 0, 8); put(PH(1, P_FILESZ), 0, 8));   // empty segment
}

TEST(reject_data_past_end)
{
    REJECT(put(PH(1, P_FILESZ), 0x1001, 8));       // offset + filesz = size + 1
    REJECT(size = 0x17ff);                         // data's last byte missing
    REJECT(put(PH(1, P_OFFSET), STD_SIZE + 0x1000, 8));           // offset past end
    REJECT(put(PH(1, P_OFFSET), 0xfffffffffffff000ull, 8));       // offset + filesz wraps
    REJECT(put(PH(1, P_FILESZ), ~0ull, 8); put(PH(1, P_MEMSZ), ~0ull, 8));
    // Control: offset + filesz == size is fine.
    uint64_t size = std_image();
    put(PH(1, P_FILESZ), 0x1000, 8);
    CHECK_EQ(parse(buf, size), 0);
}

TEST(reject_null_page)
{
    REJECT(put(PH(0, P_VADDR), 0, 8); put(E_ENTRY, 0x100, 8));
    REJECT(put(PH(0, P_VADDR), 0xfff, 8); put(PH(0, P_OFFSET), 0xfff, 8);
           put(PH(0, P_FILESZ), 0x1, 8); put(E_ENTRY, 0xfff, 8));
    // Control: the first page above the null page is allowed.
    struct seg s = { PT_LOAD, PF_R | PF_X, 0, 0x1000, 0x100, 0x100 };
    build(0x1000, &s, 1, 64);
    CHECK_EQ(parse(buf, 0x100), 0);
}

TEST(reject_kernel_half)
{
    REJECT(put(PH(1, P_VADDR), 0xffffffff80000000ull, 8));
    REJECT(put(PH(1, P_VADDR), 0xffff800000001000ull, 8));
    REJECT(put(PH(1, P_VADDR), 0x0000800000000000ull, 8));    // non-canonical
    // Entry point and text in the kernel half.
    REJECT(put(PH(0, P_VADDR), 0xffffffff80000000ull, 8); put(E_ENTRY, 0xffffffff80000100ull, 8));
}

TEST(reject_vaddr_memsz_overflow)
{
    REJECT(put(PH(1, P_MEMSZ), ~0ull, 8));                       // wraps around
    REJECT(put(PH(1, P_MEMSZ), 0ull - 0x401000, 8));             // wraps exactly to 0
    REJECT(put(PH(1, P_MEMSZ), USER_TOP - 0x401000 + 1, 8));     // ends past USER_TOP
    REJECT(put(PH(1, P_VADDR), 0x7ffffffff000ull, 8); put(PH(1, P_MEMSZ), 0x2000, 8));
}

TEST(reject_overlapping_segments)
{
    REJECT(put(PH(1, P_VADDR), 0x400000, 8));                   // same start
    REJECT(put(PH(1, P_VADDR), 0x3ff000, 8));                   // data [3ff000,401000) covers text
    REJECT(put(PH(0, P_MEMSZ), 0x1001, 8));                     // text spills into data's page
    // Different bytes, same page: text ends at 0x400800, data starts 0x400900.
    REJECT(put(PH(0, P_MEMSZ), 0x800, 8); put(PH(0, P_FILESZ), 0x800, 8);
           put(PH(1, P_VADDR), 0x400900, 8); put(PH(1, P_OFFSET), 0x900, 8));
    // Later segment below the earlier one.
    REJECT(put(PH(1, P_VADDR), 0x3fe000, 8); put(PH(1, P_MEMSZ), 0x2001, 8));
    // Later segment ends in the page where the earlier one starts (no byte
    // in common): [0x400900, 0x401000) then [0x3ff000, 0x400800).
    static const struct seg s[] = {
        { PT_LOAD, PF_R | PF_X, 0x900, 0x400900, 0x100, 0x700 },
        { PT_LOAD, PF_R | PF_W, 0, 0x3ff000, 0x100, 0x1800 },
    };
    build(0x400900, s, 2, 64);
    CHECK_EQ(parse(buf, 0x1000), -E_BADELF);
    put(PH(1, P_MEMSZ), 0x1000, 8);                // control: ends at 0x400000
    CHECK_EQ(parse(buf, 0x1000), 0);
}

TEST(reject_too_many_segments)
{
    struct seg m[ELF_MAX_SEGS + 1];
    for (int i = 0; i <= ELF_MAX_SEGS; i++)
        m[i] = (struct seg){ PT_LOAD, PF_R | PF_X, 0, 0x400000 + 0x1000 * (uint64_t)i, 0x40, 0x1000 };
    build(0x400000, m, ELF_MAX_SEGS + 1, 64);
    CHECK_EQ(parse(buf, 0x1000), -E_BADELF);
    // Non-loadable headers do not count towards the limit.
    m[3].type = PT_NOTE;
    build(0x400000, m, ELF_MAX_SEGS + 1, 64);
    CHECK_EQ(parse(buf, 0x1000), 0);
    CHECK_EQ(img.nsegs, ELF_MAX_SEGS);
}

TEST(reject_bad_entry)
{
    REJECT(put(E_ENTRY, 0x401100, 8));          // inside the RW data segment
    REJECT(put(E_ENTRY, 0x400000 + 0x1000, 8)); // one past the end of text
    REJECT(put(E_ENTRY, 0x3fffff, 8));          // just below text
    REJECT(put(E_ENTRY, 0, 8));
    REJECT(put(E_ENTRY, 0x500000, 8));          // unmapped
    REJECT(put(PH(0, P_FLAGS), PF_R, 4));       // text no longer executable
    // Executable PT_NOTE covering the entry does not count.
    REJECT(put(PH(0, P_FLAGS), PF_R, 4); put(PH(2, P_TYPE), PT_NOTE, 4);
           put(PH(2, P_FLAGS), PF_R | PF_X, 4); put(PH(2, P_VADDR), 0x400000, 8);
           put(PH(2, P_MEMSZ), 0x1000, 8));
    // No loadable segment at all.
    REJECT(put(PH(0, P_TYPE), PT_NOTE, 4); put(PH(1, P_TYPE), PT_NOTE, 4));
}

TEST(reject_truncated_file)
{
    uint64_t size = std_image();
    CHECK_EQ(parse(buf, size), 0);
    CHECK_EQ(parse(buf, 0), -E_BADELF);
    CHECK_EQ(parse(buf, 4), -E_BADELF);
    CHECK_EQ(parse(buf, 63), -E_BADELF);                 // not even a full ehdr
    CHECK_EQ(parse(buf, 64), -E_BADELF);                 // ehdr but no phdrs
    CHECK_EQ(parse(buf, 64 + 56), -E_BADELF);            // part of the phdr table
    CHECK_EQ(parse(buf, 0x1000), -E_BADELF);             // text present, data missing
    CHECK_EQ(parse(buf, 0x17ff), -E_BADELF);             // data's last byte missing
    CHECK_EQ(parse(buf, 0x1800), 0);                     // nothing after the data needed
    CHECK_EQ(parse(NULL, size), -E_BADELF);
}

TEST(reject_misaligned_buffer)
{
    uint64_t size = std_image();
    CHECK_EQ(parse(buf, size), 0);
    static uint64_t copy[BUFSZ / 8 + 2];
    for (int off = 1; off < 8; off++) {
        memset(copy, 0, sizeof copy);
        memcpy((uint8_t *)copy + off, buf, size);
        CHECK_EQ(parse((uint8_t *)copy + off, size), -E_BADELF);
    }
    memcpy((uint8_t *)copy + 8, buf, size);                   // aligned again: fine
    CHECK_EQ(parse((uint8_t *)copy + 8, size), 0);
}

TEST(reject_offset_vaddr_misaligned)
{
    // vaddr and offset must agree modulo the page size to be mappable.
    REJECT(put(PH(1, P_OFFSET), 0x1008, 8));
    REJECT(put(PH(1, P_VADDR), 0x401010, 8));
}
