// Walking a file tree (see walk.h).
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "prog.h"
#include "walk.h"

#ifdef OS_NEWLIB
// newlib declares lstat only for a few targets; the POSIX layer has it.
int lstat(const char *path, struct stat *st);
#endif

// "dir/name", or "dir" + "name" when dir ends with '/'; malloc'd.
static char *walk_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] == '/' ? 0 : 1;
    char *p = malloc(dl + slash + nl + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    if (slash)
        p[dl] = '/';
    memcpy(p + dl + slash, name, nl + 1);
    return p;
}

static void walk_at(struct walk *w, const char *path, int depth);

// Visits the entries of directory path (at depth + 1).
static void walk_dir(struct walk *w, const char *path, int depth)
{
    DIR *d = opendir(path);
    struct dirent *e;
    if (!d) {
        prog_warn_errno("%s", path);
        w->errors++;
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *sub = walk_join(path, e->d_name);
        if (!sub) {
            prog_warn("%s: out of memory", path);
            w->errors++;
            break;
        }
        walk_at(w, sub, depth + 1);
        free(sub);
    }
    closedir(d);
}

// Visits one path found at depth (0: an operand).
static void walk_at(struct walk *w, const char *path, int depth)
{
    struct stat st;
    int r = depth == 0 && w->follow_top ? stat(path, &st) : lstat(path, &st);
    if (r < 0) {
        prog_warn_errno("%s", path);
        w->errors++;
        return;
    }
    if (w->enter(w, path, &st, depth))
        return;
    if (S_ISDIR(st.st_mode) && (w->maxdepth < 0 || depth < w->maxdepth))
        walk_dir(w, path, depth);
    if (w->leave)
        w->leave(w, path, &st, depth);
}

void walk_tree(struct walk *w, const char *path)
{
    walk_at(w, path, 0);
}
