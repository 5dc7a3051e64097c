// chmod: changes the permission bits of files.
// usage: chmod [-R] MODE FILE...
// MODE is octal (755, 4755) or symbolic: comma-separated clauses
// [ugoa]*[-+=][rwxXst]* or [ugoa]*[-+=][ugo] (copy another class's bits),
// e.g. u+x,go-w,a=r. X adds execute only for directories and files that
// already have an execute bit. There are no users, so no umask: a clause
// without [ugoa] acts on all three classes. As GNU chmod does, an octal
// MODE of fewer than five digits keeps a directory's set-user-ID and
// set-group-ID bits (00755 clears them). -R also changes everything under
// a directory operand; symbolic links met there are left alone (a link
// has no mode of its own), as GNU chmod -R does. Messages follow GNU
// chmod's.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "prog.h"

#define USAGE "[-R] MODE FILE..."
#define BAD_MODE 0x10000

// The bits of the class letters "ugoa" at *p (none: all three).
static mode_t who_mask(const char **p)
{
    mode_t m = 0;
    for (;; (*p)++) {
        switch (**p) {
        case 'u': m |= S_ISUID | S_IRWXU; break;
        case 'g': m |= S_ISGID | S_IRWXG; break;
        case 'o': m |= S_ISVTX | S_IRWXO; break;     // the sticky bit goes with "other"
        case 'a': m |= 07777; break;
        default: return m ? m : 07777;
        }
    }
}

// The permission letters after an operator, as bits for all classes.
static mode_t perm_bits(const char **p, mode_t old, int isdir)
{
    mode_t b = 0;
    for (;; (*p)++) {
        switch (**p) {
        case 'r': b |= 0444; break;
        case 'w': b |= 0222; break;
        case 'x': b |= 0111; break;
        case 'X': if (isdir || (old & 0111)) b |= 0111; break;
        case 's': b |= S_ISUID | S_ISGID; break;
        case 't': b |= S_ISVTX; break;
        default: return b;
        }
    }
}

// A class letter after an operator: that class's rwx copied to all.
static mode_t copy_bits(char c, mode_t old)
{
    mode_t rwx = c == 'u' ? (old >> 6) & 7 : c == 'g' ? (old >> 3) & 7 : old & 7;
    return rwx * 0111;
}

// Applies one clause at *p to mode; BAD_MODE when it does not parse.
static mode_t apply_clause(const char **p, mode_t mode, int isdir)
{
    mode_t who = who_mask(p);
    if (**p != '+' && **p != '-' && **p != '=')
        return BAD_MODE;
    while (**p == '+' || **p == '-' || **p == '=') {
        char op = *(*p)++;
        mode_t bits;
        if (**p == 'u' || **p == 'g' || **p == 'o')
            bits = copy_bits(*(*p)++, mode);
        else
            bits = perm_bits(p, mode, isdir);
        bits &= who;
        if (op == '=')
            mode &= ~who;
        mode = op == '-' ? mode & ~bits : mode | bits;
    }
    return mode;
}

// The new mode for a file whose mode is old; BAD_MODE for a bad MODE.
static mode_t mode_compute(const char *spec, mode_t old, int isdir)
{
    if (spec[0] >= '0' && spec[0] <= '7') {
        mode_t m = 0;
        for (const char *p = spec; *p; p++) {
            if (*p < '0' || *p > '7' || m > 07777)
                return BAD_MODE;
            m = m * 8 + (mode_t)(*p - '0');
        }
        if (isdir && strlen(spec) < 5)
            m |= old & (S_ISUID | S_ISGID);          // kept unless given in 5 digits
        return m > 07777 ? BAD_MODE : m;
    }
    mode_t mode = old & 07777;
    for (const char *p = spec;;) {
        mode = apply_clause(&p, mode, isdir);
        if (mode == BAD_MODE || (*p && *p != ','))
            return BAD_MODE;
        if (!*p++)
            return mode;
    }
}

static int chmod_path(const char *spec, const char *path, int recurse, int top);

// Changes everything in directory dir (recursively); 0 or 1.
static int chmod_below(const char *spec, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int status = 0;
    if (!d) {
        prog_warn_errno("cannot read directory '%s'", dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *path = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!path) {
            prog_warn("out of memory");
            status = 1;
            break;
        }
        sprintf(path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        status |= chmod_path(spec, path, 1, 0);
        free(path);
    }
    closedir(d);
    return status;
}

// Changes path (an operand when top: a symbolic link is followed; below
// one, it is skipped); 0 or 1.
static int chmod_path(const char *spec, const char *path, int recurse, int top)
{
    struct stat st;
    if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
        prog_warn_errno("cannot access '%s'", path);
        return 1;
    }
    if (S_ISLNK(st.st_mode))
        return 0;
    if (chmod(path, mode_compute(spec, st.st_mode, S_ISDIR(st.st_mode))) < 0) {
        prog_warn_errno("changing permissions of '%s'", path);
        return 1;
    }
    return recurse && S_ISDIR(st.st_mode) ? chmod_below(spec, path) : 0;
}

int main(int argc, char **argv)
{
    int status = 0, recurse = 0;
    prog_init(argv[0]);
    if (argc > 1 && (!strcmp(argv[1], "-R") || !strcmp(argv[1], "--recursive"))) {
        recurse = 1;
        argv++;
        argc--;
    }
    if (argc < 3) {
        prog_warn(argc < 2 ? "missing operand" : "missing operand after '%s'", argv[argc - 1]);
        prog_usage(USAGE, 1);
    }
    if (mode_compute(argv[1], 0, 0) == BAD_MODE) {
        prog_warn("invalid mode: '%s'", argv[1]);
        prog_usage(USAGE, 1);
    }
    for (int i = 2; i < argc; i++)
        status |= chmod_path(argv[1], argv[i], recurse, 1);
    return status;
}
