// basename: prints a path's last component, without a suffix.
// usage: basename NAME [SUFFIX]
//        basename -a [-s SUFFIX] NAME...
// Trailing slashes are ignored; a name made only of slashes gives "/".
// SUFFIX is removed when it ends the component and is not all of it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "optscan.h"
#include "prog.h"

#define USAGE "NAME [SUFFIX] | -a [-s SUFFIX] NAME..."

// Prints the base name of path with suffix (may be NULL) removed.
static void print_base(const char *path, const char *suffix)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (end == 1 && path[0] == '/')
        start = 0;                          // "/", "//", ...
    size_t len = end - start, slen = suffix ? strlen(suffix) : 0;
    if (slen > 0 && slen < len && memcmp(path + end - slen, suffix, slen) == 0)
        len -= slen;
    printf("%.*s\n", (int)len, path + start);
}

int main(int argc, char **argv)
{
    int all = 0;
    const char *suffix = NULL;
    struct optscan s;
    prog_init(argv[0]);
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'a') {
            all = 1;
        } else if (c == 's') {
            suffix = optscan_value(&s);
            if (!suffix)
                prog_usage(USAGE, 1);
            all = 1;
        } else {
            prog_warn("invalid option -- '%c'", c);
            prog_usage(USAGE, 1);
        }
    }
    int i = s.i;
    if (i >= argc) {
        prog_warn("missing operand");
        prog_usage(USAGE, 1);
    }
    if (!all) {
        if (argc - i > 2) {
            prog_warn("extra operand '%s'", argv[i + 2]);
            prog_usage(USAGE, 1);
        }
        print_base(argv[i], argv[i + 1]);
        return 0;
    }
    for (; i < argc; i++)
        print_base(argv[i], suffix);
    return 0;
}
