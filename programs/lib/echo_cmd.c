// echo: prints its arguments separated by single spaces, then a newline
// (see cmds.h). No backslash escapes, as dash's echo without them.
// usage: echo [-n] [ARG...]      -n: leave out the trailing newline
#include <string.h>
#include "cmdio.h"
#include "cmds.h"

int echo_cmd(int argc, char **argv, int out_fd, int err_fd)
{
    struct cmd_out o;
    int first = 1, newline = 1;
    cmd_out_init(&o, argc > 0 ? argv[0] : "echo", out_fd, err_fd);
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        first = 2;
    }
    for (int i = first; i < argc; i++) {
        if (i > first)
            cmd_putc(&o, ' ');
        cmd_put(&o, argv[i], strlen(argv[i]));
    }
    if (newline)
        cmd_putc(&o, '\n');
    if (cmd_flush(&o) < 0) {
        cmd_warn(&o, "write error: %s", strerror(o.failed));
        return 1;
    }
    return 0;
}
