// The boot file set: one GRUB module holding the files needed before a
// disk exists. Format (little endian): "BOOTFS01", u32 count, u32 0, then
// count entries of { char name[48] (NUL-padded); u64 offset; u64 size },
// then the file data. tools/mkbootfs.py writes it. Pure, host-tested.
#ifndef BOOTFS_H
#define BOOTFS_H
#include <stdint.h>

#define BOOTFS_NAME_MAX 48

struct bootfs_entry {
    char name[BOOTFS_NAME_MAX];
    uint64_t offset, size;
};

// Checks the header and every entry; returns the entry count or -E_BADELF
// style error (-E_INVAL) for a corrupt image.
int bootfs_check(const void *img, uint64_t size);
// Finds a file by name; returns 0 and its bytes, or -E_NOENT.
int bootfs_find(const void *img, uint64_t size, const char *name, const void **data, uint64_t *len);
// The i-th entry (after bootfs_check), or NULL.
const struct bootfs_entry *bootfs_entry(const void *img, uint64_t size, int i);

#endif
