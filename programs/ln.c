// ln: makes links between files.
// usage: ln [-s] [-f] TARGET [LINK_NAME]   or   ln [-s] [-f] TARGET... DIRECTORY
// A hard link (a second name for the same inode) by default; -s makes a
// symbolic link holding TARGET as written; -f removes an existing
// LINK_NAME first. With one operand the link goes into the working
// directory under TARGET's last name. Messages follow GNU ln's.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "prog.h"
#include "optscan.h"

#define USAGE "[-s] [-f] TARGET [LINK_NAME] | TARGET... DIRECTORY"

struct opts { int sym, force; };

// TARGET's last name (without trailing slashes) into buf.
static void last_name(const char *path, char *buf, size_t cap)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    snprintf(buf, cap, "%.*s", (int)(n - start), path + start);
}

// Makes one link name -> target; 0 or 1 (reported).
static int link_one(const struct opts *o, const char *target, const char *name)
{
    struct stat st;
    const char *kind = o->sym ? "symbolic" : "hard";
    if (!o->sym && stat(target, &st) < 0) {
        prog_warn_errno("failed to access '%s'", target);
        return 1;
    }
    if (!o->sym && S_ISDIR(st.st_mode)) {
        prog_warn("%s: hard link not allowed for directory", target);
        return 1;
    }
    if (o->force && lstat(name, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(name) < 0) {
        prog_warn_errno("cannot remove '%s'", name);
        return 1;
    }
    if ((o->sym ? symlink(target, name) : link(target, name)) < 0) {
        prog_warn_errno("failed to create %s link '%s'", kind, name);
        return 1;
    }
    return 0;
}

// Links each target into directory dir under its last name.
static int link_into(const struct opts *o, char **targets, int n, const char *dir)
{
    int status = 0;
    for (int i = 0; i < n; i++) {
        char base[256], path[1024];
        last_name(targets[i], base, sizeof(base));
        snprintf(path, sizeof(path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", base);
        status |= link_one(o, targets[i], path);
    }
    return status;
}

// Reads the options; the index of the first operand.
static int parse_opts(int argc, char **argv, struct opts *o)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 's')
            o->sym = 1;
        else if (c == 'f')
            o->force = 1;
        else {
            prog_warn("invalid option -- '%c'", c);
            prog_usage(USAGE, 1);
        }
    }
    return s.i;
}

int main(int argc, char **argv)
{
    struct opts o = { 0, 0 };
    struct stat st;
    prog_init(argv[0]);
    int first = parse_opts(argc, argv, &o), n = argc - first;
    if (n < 1) {
        prog_warn("missing file operand");
        prog_usage(USAGE, 1);
    }
    if (n == 1)
        return link_into(&o, argv + first, 1, ".");
    const char *last = argv[argc - 1];
    if (stat(last, &st) == 0 && S_ISDIR(st.st_mode))
        return link_into(&o, argv + first, n - 1, last);
    if (n > 2) {
        prog_warn("target '%s' is not a directory", last);
        return 1;
    }
    return link_one(&o, argv[first], last);
}
