// Change stamps of inodes (change.c).
#ifndef FS_CHANGE_H
#define FS_CHANGE_H
#include <stdint.h>

void change_start(uint64_t base);        // at start: stamps above base
void change_note(uint64_t ino);          // ino's contents may have changed
uint64_t change_stamp(uint64_t ino);     // grows with every change of ino

#endif
