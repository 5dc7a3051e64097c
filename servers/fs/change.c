// Change stamps: a number per inode that grows whenever the file's
// contents may have changed (write, truncate, create), so a client that
// keeps a copy of a file (proc's cache of program images) knows when to
// read it again. The server keeps the stamps of the last CHANGE_SLOTS
// inodes changed; any other inode reports the floor, the highest stamp
// dropped from the table, which is at least its own last stamp. main
// starts the stamps at the time stamp counter, so those of a restarted
// server are above any the previous one gave (it would have had to make
// more than one change per cycle of its life to reach them).
#include "change.h"

#define CHANGE_SLOTS 64

static struct { uint64_t ino, stamp; } slots[CHANGE_SLOTS];
static uint64_t counter, floor_stamp;
static unsigned next_slot;

void change_start(uint64_t base)
{
    for (unsigned i = 0; i < CHANGE_SLOTS; i++)
        slots[i].stamp = 0;
    counter = floor_stamp = base + 1;
    next_slot = 0;
}

void change_note(uint64_t ino)
{
    counter++;
    for (unsigned i = 0; i < CHANGE_SLOTS; i++)
        if (slots[i].stamp && slots[i].ino == ino) {
            slots[i].stamp = counter;
            return;
        }
    unsigned i = next_slot++ % CHANGE_SLOTS;
    if (slots[i].stamp > floor_stamp)
        floor_stamp = slots[i].stamp;
    slots[i].ino = ino;
    slots[i].stamp = counter;
}

uint64_t change_stamp(uint64_t ino)
{
    for (unsigned i = 0; i < CHANGE_SLOTS; i++)
        if (slots[i].stamp && slots[i].ino == ino)
            return slots[i].stamp;
    return floor_stamp;
}
