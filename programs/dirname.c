// dirname: prints a path without its last component.
// usage: dirname NAME...
// Trailing slashes are ignored; a name without a slash gives "."; the
// root gives "/".
#include <stdio.h>
#include <string.h>
#include "prog.h"

// Prints the folder part of path.
static void print_dir(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')       // trailing slashes
        end--;
    while (end > 0 && path[end - 1] != '/')       // the last component
        end--;
    if (end == 0) {
        puts(path[0] == '/' ? "/" : ".");
        return;
    }
    while (end > 1 && path[end - 1] == '/')       // the slashes before it
        end--;
    printf("%.*s\n", (int)end, path);
}

int main(int argc, char **argv)
{
    int i = 1;
    prog_init(argv[0]);
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
        prog_warn("invalid option -- '%c'", argv[i][1]);
        prog_usage("NAME...", 1);
    }
    if (i >= argc) {
        prog_warn("missing operand");
        prog_usage("NAME...", 1);
    }
    for (; i < argc; i++)
        print_dir(argv[i]);
    return 0;
}
