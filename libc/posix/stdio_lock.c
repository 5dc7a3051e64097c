// flockfile, ftrylockfile, funlockfile. Programs here have one thread
// using stdio (newlib is built without its locks), so nothing can hold a
// stream but the caller: the lock is a per-stream count kept so that the
// calls nest and pair as POSIX says; ftrylockfile always succeeds.
#include <stdio.h>

#define LOCK_SLOTS 64

static struct { FILE *f; int depth; } locks[LOCK_SLOTS];

// The slot recording f's lock depth (a free one when make), or NULL.
static int *lock_depth(FILE *f, int make)
{
    int *free_slot = NULL;
    for (int i = 0; i < LOCK_SLOTS; i++) {
        if (locks[i].f == f && locks[i].depth)
            return &locks[i].depth;
        if (!locks[i].depth && !free_slot && make) {
            locks[i].f = f;
            free_slot = &locks[i].depth;
        }
    }
    return free_slot;
}

void flockfile(FILE *f)
{
    int *d = lock_depth(f, 1);
    if (d)
        (*d)++;
}

int ftrylockfile(FILE *f)
{
    flockfile(f);
    return 0;
}

void funlockfile(FILE *f)
{
    int *d = lock_depth(f, 0);
    if (d && *d > 0)
        (*d)--;
}
