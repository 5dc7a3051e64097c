// ELF64 executable validation. Pure: shared by the kernel (which loads
// init), user-space loaders and host tests. Every field that the loader
// uses is checked; anything odd is rejected with -E_BADELF.
#ifndef ELF_H
#define ELF_H
#include <stdint.h>

#define ELF_MAX_SEGS 8

// The file header as it lies at the start of an ELF64 file.
struct elf_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_seg {
    uint64_t vaddr, memsz;        // page-aligned range to map is derived by the loader
    uint64_t offset, filesz;      // bytes to copy from the file
    int prot;                     // PROT_READ | PROT_WRITE | PROT_EXEC
};

struct elf_image {
    uint64_t entry;
    int nsegs;
    struct elf_seg segs[ELF_MAX_SEGS];
};

int elf_parse(const void *data, uint64_t size, struct elf_image *out);

#endif
