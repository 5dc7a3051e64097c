// proc's cache of program images: the last programs spawned, whole ELF
// files kept in proc's memory so spawning one again costs a lookup, not
// a read of the file. An entry is current while the file has the same
// inode, size and fs change stamp (FS_LOOKUP_STAMP: it grows with every
// write, truncate or create of the file, and across fs restarts), so a
// program rewritten on disk is read again. At most IMAGE_SLOTS entries
// and IMAGE_BYTES in all (counted in proc's own memory, as ps shows it);
// the least recently used goes first, and a file bigger than IMAGE_MAX
// is read for one spawn and not kept. A restart of proc starts empty.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"
#include "fs_proto.h"

#define ELF_MAX     (16ul << 20)
#define IMAGE_SLOTS 8
#define IMAGE_BYTES (4ul << 20)
#define IMAGE_MAX   (1ul << 20)

struct image {
    uint8_t *data;               // NULL: a free slot
    uint64_t ino, size, stamp, last_use;
};

static struct image images[IMAGE_SLOTS];
static uint64_t use_clock, cached_bytes;

static long fs_call(unsigned op, uint64_t w0, uint64_t w1, uint64_t w2, const void *data,
                    uint64_t len, void *rbuf, uint64_t rmax, struct msg *m)
{
    struct ipc_bufs b = { data, len, rbuf, rmax };
    *m = (struct msg){ TAG(op, 0), w0, w1, w2, 0, 0 };
    long e = ipc_call(H_FS, m, &b);
    return e < 0 ? -EIO : (long)m->w0;
}

// Reads size bytes of file ino; a malloc'd buffer or NULL with *err.
static uint8_t *read_file(long ino, uint64_t size, int *err)
{
    struct msg m;
    uint8_t *buf = malloc(size ? size : 1);
    for (uint64_t off = 0; buf && off < size;) {
        long n = fs_call(FS_READ, (uint64_t)ino, off, FS_IO_MAX, NULL, 0, buf + off, FS_IO_MAX, &m);
        if (n <= 0) {
            free(buf);
            *err = n < 0 ? (int)-n : EIO;
            return NULL;
        }
        off += (uint64_t)n;
    }
    if (!buf)
        *err = ENOMEM;
    return buf;
}

static void image_drop(struct image *im)
{
    cached_bytes -= im->size;
    free(im->data);
    im->data = NULL;
}

// Makes room for size bytes and returns a free slot.
static struct image *image_slot(uint64_t size)
{
    for (;;) {
        struct image *free_one = NULL, *oldest = NULL;
        for (int i = 0; i < IMAGE_SLOTS; i++) {
            struct image *im = &images[i];
            if (!im->data)
                free_one = free_one ? free_one : im;
            else if (!oldest || im->last_use < oldest->last_use)
                oldest = im;
        }
        if (free_one && cached_bytes + size <= IMAGE_BYTES)
            return free_one;
        image_drop(oldest);          // size <= IMAGE_MAX < IMAGE_BYTES: one exists
    }
}

const uint8_t *image_get(const char *path, uint64_t *size, int *err)
{
    struct msg m;
    uint64_t stamp = 0;
    struct ipc_bufs b = { path, strlen(path) + 1, &stamp, sizeof(stamp) };
    m = (struct msg){ TAG(FS_LOOKUP, 0), FS_LOOKUP_STAMP, 0, 0, 0, 0 };
    long ino = ipc_call(H_FS, &m, &b) < 0 ? -EIO : (long)m.w0;
    if (ino < 0 || m.w1 != FS_TYPE_FILE || m.w2 > ELF_MAX) {
        *err = ino < 0 ? (int)-ino : m.w1 != FS_TYPE_FILE ? EACCES : ENOEXEC;
        return NULL;
    }
    *size = m.w2;
    for (int i = 0; i < IMAGE_SLOTS; i++) {
        struct image *im = &images[i];
        if (im->data && im->ino == (uint64_t)ino && im->size == *size && im->stamp == stamp) {
            im->last_use = ++use_clock;
            return im->data;
        }
        if (im->data && im->ino == (uint64_t)ino)
            image_drop(im);          // an older version of the file
    }
    uint8_t *data = read_file(ino, *size, err);
    if (!data || *size > IMAGE_MAX || !stamp)
        return data;
    struct image *im = image_slot(*size);
    *im = (struct image){ data, (uint64_t)ino, *size, stamp, ++use_clock };
    cached_bytes += *size;
    return data;
}

void image_put(const uint8_t *data)
{
    for (int i = 0; i < IMAGE_SLOTS; i++)
        if (images[i].data == data)
            return;
    free((void *)data);
}
