// Per-process handle tables: a handle is an index into the table and gives
// access to one kernel object with some rights. Pure logic, host-tested;
// object reference counting is done by the two hooks below.
#ifndef HANDLE_H
#define HANDLE_H
#include "types.h"
#include "uapi/errors.h"
#include "uapi/limits.h"

enum kobj_type { KOBJ_NONE, KOBJ_PROC, KOBJ_THREAD, KOBJ_ENDPOINT, KOBJ_NOTIF,
                 KOBJ_IRQ, KOBJ_IOPORT, KOBJ_ROOT, KOBJ_MMIO };

struct kobj {
    u32 type;
    u32 refs;
};

struct handle {
    struct kobj *obj;
    u32 rights;
    u64 badge;
};

#define HANDLES_MAX LIMIT_HANDLES

struct handle_table {
    struct handle slot[HANDLES_MAX];
};

// Called when a handle starts or stops referring to an object.
void kobj_hold(struct handle *h);
void kobj_release(struct handle *h);

// Installs a handle in the lowest free slot; returns the slot or -E_NOSPACE.
long handle_install(struct handle_table *t, struct kobj *obj, u32 rights, u64 badge);
// Looks up slot h; it must hold an object of `type` (or any type when
// KOBJ_NONE) with all of `rights`. Returns 0 or -E_BADHANDLE / -E_PERM.
// Inline: every system call on a handle starts here.
static inline int handle_lookup(struct handle_table *t, long h, u32 type, u32 rights,
                                struct handle **out)
{
    if (h < 0 || h >= HANDLES_MAX)
        return -E_BADHANDLE;
    struct handle *s = &t->slot[h];
    if (!s->obj || (type != KOBJ_NONE && s->obj->type != type))
        return -E_BADHANDLE;
    if ((s->rights & rights) != rights)
        return -E_PERM;
    *out = s;
    return 0;
}
int handle_close(struct handle_table *t, long h);
// Copies handle h of src into dst with rights reduced to `rights`; a badge
// may be set only on an unbadged handle (badge 0 keeps the old one).
long handle_copy(struct handle_table *dst, struct handle_table *src, long h, u32 rights, u64 badge);
void handle_table_clear(struct handle_table *t);

#endif
