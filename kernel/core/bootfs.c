// Boot file set lookup with bounds checks on every entry.
#include "bootfs.h"
#include "uapi/errors.h"

struct bootfs_header {
    char magic[8];
    uint32_t count, reserved;
};

int bootfs_check(const void *img, uint64_t size)
{
    const struct bootfs_header *h = img;
    static const char magic[8] = "BOOTFS01";
    if (!img || size < sizeof(*h))
        return -E_INVAL;
    for (int i = 0; i < 8; i++)
        if (h->magic[i] != magic[i])
            return -E_INVAL;
    if (h->count > 4096 || sizeof(*h) + (uint64_t)h->count * sizeof(struct bootfs_entry) > size)
        return -E_INVAL;
    const struct bootfs_entry *e = (const void *)(h + 1);
    for (uint32_t i = 0; i < h->count; i++) {
        if (e[i].offset > size || e[i].size > size - e[i].offset)
            return -E_INVAL;
        if (e[i].name[BOOTFS_NAME_MAX - 1] != 0 || e[i].name[0] == 0)
            return -E_INVAL;
    }
    return (int)h->count;
}

const struct bootfs_entry *bootfs_entry(const void *img, uint64_t size, int i)
{
    int n = bootfs_check(img, size);
    if (i < 0 || i >= n)
        return 0;
    return (const struct bootfs_entry *)((const struct bootfs_header *)img + 1) + i;
}

static int name_eq(const char *a, const char *b)
{
    int i = 0;
    while (i < BOOTFS_NAME_MAX && a[i] && a[i] == b[i])
        i++;
    return i < BOOTFS_NAME_MAX && a[i] == b[i];
}

int bootfs_find(const void *img, uint64_t size, const char *name, const void **data, uint64_t *len)
{
    int n = bootfs_check(img, size);
    for (int i = 0; i < n; i++) {
        const struct bootfs_entry *e = (const struct bootfs_entry *)((const struct bootfs_header *)img + 1) + i;
        if (name_eq(e->name, name)) {
            *data = (const uint8_t *)img + e->offset;
            *len = e->size;
            return 0;
        }
    }
    return -E_NOENT;
}
