// How ls -l and stat show a file: its mode as "-rwxr-xr-x" and the
// target of a symbolic link.
#ifndef FILEINFO_H
#define FILEINFO_H
#include <sys/types.h>

// "-rwxr-xr-x" (type letter, permission bits, s/S/t/T for the set-id and
// sticky bits) from st_mode, NUL-terminated.
void fileinfo_mode_string(mode_t m, char out[11]);

// Prints " -> TARGET" for the symbolic link at path (an empty target when
// it cannot be read).
void fileinfo_print_link(const char *path);

#endif
