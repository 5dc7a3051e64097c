// Host tests for kernel/core/handle.c. The reference hooks count holds and
// releases on the object itself and log every call.
#include "core/handle.c"
#include "uapi/abi.h"
#include "check.h"

static int holds, releases;

void kobj_hold(struct handle *h)
{
    CHECK(h->obj != NULL);          // the hook must see the installed object
    h->obj->refs++;
    holds++;
}

void kobj_release(struct handle *h)
{
    CHECK(h->obj != NULL && h->obj->refs > 0);
    h->obj->refs--;
    releases++;
}

static struct handle_table *new_table(void)
{
    static struct handle_table tables[4];
    static int next;
    struct handle_table *t = &tables[next++ % 4];
    memset(t, 0, sizeof *t);
    holds = releases = 0;
    return t;
}

TEST(install_lowest_free_slot)
{
    struct handle_table *t = new_table();
    struct kobj ep = { KOBJ_ENDPOINT, 0 }, n = { KOBJ_NOTIF, 0 };
    CHECK_EQ(handle_install(t, &ep, R_SEND, 0), 0);
    CHECK_EQ(handle_install(t, &ep, R_RECV, 7), 1);
    CHECK_EQ(handle_install(t, &n, R_SIGNAL, 0), 2);
    CHECK_EQ(ep.refs, 2);
    CHECK_EQ(n.refs, 1);
    CHECK_EQ(holds, 3);
    CHECK(t->slot[1].obj == &ep);
    CHECK_EQ(t->slot[1].rights, R_RECV);
    CHECK_EQ(t->slot[1].badge, 7);
    CHECK_EQ(handle_close(t, 1), 0);
    CHECK_EQ(handle_install(t, &n, R_WAIT, 0), 1);    // reuses the hole
    CHECK_EQ(handle_install(t, &n, R_WAIT, 0), 3);
    CHECK_EQ(handle_close(t, 0), 0);
    CHECK_EQ(handle_close(t, 2), 0);
    CHECK_EQ(handle_install(t, &ep, R_ALL, 0), 0);    // lowest, not the last freed
    CHECK_EQ(handle_install(t, &ep, R_ALL, 0), 2);
}

TEST(table_full)
{
    struct handle_table *t = new_table();
    struct kobj o = { KOBJ_PROC, 0 };
    for (long i = 0; i < HANDLES_MAX; i++)
        CHECK_EQ(handle_install(t, &o, R_ALL, 0), i);
    CHECK_EQ(o.refs, HANDLES_MAX);
    CHECK_EQ(handle_install(t, &o, R_ALL, 0), -E_NOSPACE);
    CHECK_EQ(o.refs, HANDLES_MAX);                     // no hold on failure
    CHECK_EQ(holds, HANDLES_MAX);
    CHECK_EQ(handle_close(t, HANDLES_MAX - 1), 0);
    CHECK_EQ(handle_install(t, &o, R_ALL, 0), HANDLES_MAX - 1);
    CHECK_EQ(handle_install(t, &o, R_ALL, 0), -E_NOSPACE);
}

TEST(lookup_type_and_rights)
{
    struct handle_table *t = new_table();
    struct kobj ep = { KOBJ_ENDPOINT, 0 };
    struct handle *out = NULL;
    long h = handle_install(t, &ep, R_SEND | R_GRANT, 5);
    CHECK_EQ(h, 0);
    CHECK_EQ(handle_lookup(t, h, KOBJ_ENDPOINT, R_SEND, &out), 0);
    CHECK(out == &t->slot[0]);
    CHECK(out->obj == &ep);
    CHECK_EQ(out->badge, 5);
    out = NULL;
    CHECK_EQ(handle_lookup(t, h, KOBJ_NONE, 0, &out), 0);          // any type
    CHECK(out == &t->slot[0]);
    CHECK_EQ(handle_lookup(t, h, KOBJ_ENDPOINT, R_SEND | R_GRANT, &out), 0);
    out = NULL;
    CHECK_EQ(handle_lookup(t, h, KOBJ_NOTIF, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, h, KOBJ_PROC, R_SEND, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, h, KOBJ_ENDPOINT, R_RECV, &out), -E_PERM);
    CHECK_EQ(handle_lookup(t, h, KOBJ_ENDPOINT, R_SEND | R_RECV, &out), -E_PERM);  // all needed
    CHECK_EQ(handle_lookup(t, h, KOBJ_NONE, R_MANAGE, &out), -E_PERM);
    CHECK(out == NULL);                                            // untouched on error
}

TEST(lookup_bad_indices)
{
    struct handle_table *t = new_table();
    struct kobj o = { KOBJ_THREAD, 0 };
    struct handle *out = NULL;
    handle_install(t, &o, R_ALL, 0);
    CHECK_EQ(handle_lookup(t, 1, KOBJ_NONE, 0, &out), -E_BADHANDLE);         // empty slot
    CHECK_EQ(handle_lookup(t, -1, KOBJ_NONE, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, -HANDLES_MAX, KOBJ_NONE, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, HANDLES_MAX, KOBJ_NONE, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, HANDLES_MAX - 1, KOBJ_NONE, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, 0x7fffffffffffffffL, KOBJ_NONE, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, (long)0x8000000000000000UL, KOBJ_NONE, 0, &out), -E_BADHANDLE);
    CHECK_EQ(handle_lookup(t, 1L << 32, KOBJ_NONE, 0, &out), -E_BADHANDLE);   // not truncated to 0
    CHECK(out == NULL);
    CHECK_EQ(handle_close(t, -1), -E_BADHANDLE);
    CHECK_EQ(handle_close(t, HANDLES_MAX), -E_BADHANDLE);
    CHECK_EQ(handle_close(t, 5), -E_BADHANDLE);
    CHECK_EQ(releases, 0);
    CHECK_EQ(o.refs, 1);
}

TEST(close_releases_once)
{
    struct handle_table *t = new_table();
    struct kobj o = { KOBJ_IRQ, 0 };
    long h = handle_install(t, &o, R_WAIT, 9);
    CHECK_EQ(o.refs, 1);
    CHECK_EQ(handle_close(t, h), 0);
    CHECK_EQ(releases, 1);
    CHECK_EQ(o.refs, 0);
    CHECK(t->slot[h].obj == NULL);
    CHECK_EQ(t->slot[h].rights, 0);
    CHECK_EQ(t->slot[h].badge, 0);
    CHECK_EQ(handle_close(t, h), -E_BADHANDLE);    // second close does nothing
    CHECK_EQ(releases, 1);
    struct handle *out;
    CHECK_EQ(handle_lookup(t, h, KOBJ_NONE, 0, &out), -E_BADHANDLE);
}

TEST(copy_reduces_rights)
{
    struct handle_table *src = new_table(), *dst = new_table();
    struct kobj ep = { KOBJ_ENDPOINT, 0 };
    long h = handle_install(src, &ep, R_SEND | R_RECV | R_GRANT, 0);
    long c = handle_copy(dst, src, h, R_SEND | R_MANAGE, 0);
    CHECK_EQ(c, 0);
    CHECK(dst->slot[c].obj == &ep);
    CHECK_EQ(dst->slot[c].rights, R_SEND);          // intersection, R_MANAGE not gained
    CHECK_EQ(ep.refs, 2);
    CHECK_EQ(holds, 2);
    c = handle_copy(dst, src, h, R_ALL, 0);
    CHECK_EQ(c, 1);
    CHECK_EQ(dst->slot[c].rights, R_SEND | R_RECV | R_GRANT);
    c = handle_copy(dst, src, h, 0, 0);
    CHECK_EQ(c, 2);
    CHECK_EQ(dst->slot[c].rights, 0);
    CHECK_EQ(src->slot[h].rights, R_SEND | R_RECV | R_GRANT);   // source unchanged
    // Copy within one table.
    CHECK_EQ(handle_copy(src, src, h, R_RECV, 0), 1);
    CHECK_EQ(src->slot[1].rights, R_RECV);
    CHECK_EQ(ep.refs, 5);
    // Bad source handle; full destination.
    CHECK_EQ(handle_copy(dst, src, 77, R_ALL, 0), -E_BADHANDLE);
    CHECK_EQ(handle_copy(dst, src, -3, R_ALL, 0), -E_BADHANDLE);
    for (long i = 3; i < HANDLES_MAX; i++)
        handle_install(dst, &ep, R_ALL, 0);
    int refs = ep.refs;
    CHECK_EQ(handle_copy(dst, src, h, R_ALL, 0), -E_NOSPACE);
    CHECK_EQ(ep.refs, refs);
}

TEST(copy_badge_rules)
{
    struct handle_table *src = new_table(), *dst = new_table();
    struct kobj ep = { KOBJ_ENDPOINT, 0 };
    long plain = handle_install(src, &ep, R_SEND, 0);
    long badged = handle_install(src, &ep, R_SEND, 42);
    // An unbadged handle may be given a badge.
    long c = handle_copy(dst, src, plain, R_ALL, 7);
    CHECK(c >= 0);
    if (c >= 0)
        CHECK_EQ(dst->slot[c].badge, 7);
    // Badge 0 keeps the old one (none, or 42).
    c = handle_copy(dst, src, plain, R_ALL, 0);
    CHECK(c >= 0);
    if (c >= 0)
        CHECK_EQ(dst->slot[c].badge, 0);
    c = handle_copy(dst, src, badged, R_ALL, 0);
    CHECK(c >= 0);
    if (c >= 0)
        CHECK_EQ(dst->slot[c].badge, 42);
    // A badged handle cannot be rebadged.
    int before = ep.refs;
    CHECK_EQ(handle_copy(dst, src, badged, R_ALL, 43), -E_PERM);
    CHECK_EQ(handle_copy(dst, src, badged, R_ALL, ~0ull), -E_PERM);
    CHECK_EQ(ep.refs, before);
    CHECK_EQ(src->slot[badged].badge, 42);
    // Chains: a copy of a badged copy keeps the badge.
    long c2 = handle_copy(src, dst, 0, R_ALL, 0);
    CHECK(c2 >= 0);
    if (c2 >= 0)
        CHECK_EQ(src->slot[c2].badge, 7);
    CHECK_EQ(handle_copy(src, dst, 0, R_ALL, 8), -E_PERM);
}

TEST(clear_releases_everything)
{
    struct handle_table *t = new_table();
    struct kobj a = { KOBJ_PROC, 0 }, b = { KOBJ_NOTIF, 0 };
    for (int i = 0; i < 10; i++)
        handle_install(t, i & 1 ? &a : &b, R_ALL, (u64)i);
    handle_install(t, &a, R_ALL, 0);
    CHECK_EQ(handle_close(t, 3), 0);                 // a hole in the middle
    long last = handle_install(t, &b, R_ALL, 0);
    CHECK_EQ(last, 3);
    t->slot[HANDLES_MAX - 1] = (struct handle){ &a, R_SEND, 0 };   // the very last slot
    a.refs++;
    holds = releases = 0;
    int total = a.refs + b.refs;
    handle_table_clear(t);
    CHECK_EQ(releases, total);
    CHECK_EQ(a.refs, 0);
    CHECK_EQ(b.refs, 0);
    for (int i = 0; i < HANDLES_MAX; i++)
        CHECK(t->slot[i].obj == NULL);
    handle_table_clear(t);                            // clearing an empty table is a no-op
    CHECK_EQ(releases, total);
    CHECK_EQ(handle_install(t, &a, R_ALL, 0), 0);
}
