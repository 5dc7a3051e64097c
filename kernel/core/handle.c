// Handle tables. No locking: the kernel runs with interrupts off.
#include "handle.h"
#include "uapi/errors.h"

long handle_install(struct handle_table *t, struct kobj *obj, u32 rights, u64 badge)
{
    for (long i = 0; i < HANDLES_MAX; i++) {
        struct handle *s = &t->slot[i];
        if (!s->obj) {
            s->obj = obj;
            s->rights = rights;
            s->badge = badge;
            kobj_hold(s);
            return i;
        }
    }
    return -E_NOSPACE;
}

int handle_close(struct handle_table *t, long h)
{
    struct handle *s;
    int err = handle_lookup(t, h, KOBJ_NONE, 0, &s);
    if (err)
        return err;
    kobj_release(s);
    s->obj = 0;
    s->rights = 0;
    s->badge = 0;
    return 0;
}

long handle_copy(struct handle_table *dst, struct handle_table *src, long h, u32 rights, u64 badge)
{
    struct handle *s;
    int err = handle_lookup(src, h, KOBJ_NONE, 0, &s);
    if (err)
        return err;
    if (badge && s->badge && badge != s->badge)
        return -E_PERM;
    return handle_install(dst, s->obj, s->rights & rights, badge ? badge : s->badge);
}

void handle_table_clear(struct handle_table *t)
{
    for (long i = 0; i < HANDLES_MAX; i++)
        if (t->slot[i].obj)
            handle_close(t, i);
}
