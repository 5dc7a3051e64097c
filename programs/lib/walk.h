// Walking a file tree: what find, du and grep -r share.
#ifndef WALK_H
#define WALK_H
#include <sys/stat.h>

struct walk {
    // Called for every path before its entries; return 1 to skip what is
    // below it, 0 to go on.
    int (*enter)(struct walk *w, const char *path, const struct stat *st, int depth);
    // Called (if set) for every path after its entries.
    void (*leave)(struct walk *w, const char *path, const struct stat *st, int depth);
    int maxdepth;       // -1: no limit; 0: only the operand
    int follow_top;     // stat (not lstat) the operand itself
    int errors;         // paths that could not be read (already reported)
    void *ctx;
};

// Visits path and, when it is a directory (links are not followed), all
// that is below it, depth first in directory order. Entries are named
// path/NAME (no second '/' when path ends with one). Problems are reported
// as "PROG: path: reason" and counted in w->errors. Blocks on the fs.
void walk_tree(struct walk *w, const char *path);

#endif
