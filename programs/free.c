// free: how much of the machine's memory is in use and free.
// usage: free [-b | -k | -m | -g]
// The header and the Mem: row as GNU free prints them (total, used, free;
// this system has no swap, shared memory or reclaimable caches, so those
// columns are left out and Swap: reads all zeros). Sizes in KiB by
// default, -b bytes, -m MiB, -g GiB (each rounded down, as GNU does).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <osapi.h>
#include "prog.h"

// The unit shift asked for by one option, or -1 for an unknown one.
static int unit_shift(const char *opt)
{
    if (!strcmp(opt, "-b") || !strcmp(opt, "--bytes"))
        return 0;
    if (!strcmp(opt, "-k") || !strcmp(opt, "--kibi"))
        return 10;
    if (!strcmp(opt, "-m") || !strcmp(opt, "--mebi"))
        return 20;
    if (!strcmp(opt, "-g") || !strcmp(opt, "--gibi"))
        return 30;
    return -1;
}

int main(int argc, char **argv)
{
    int shift = 10;
    struct os_meminfo mi;

    prog_init(argv[0]);
    for (int i = 1; i < argc; i++) {
        shift = unit_shift(argv[i]);
        if (shift < 0) {
            if (argv[i][0] == '-' && argv[i][1] && argv[i][1] != '-')
                prog_warn("invalid option -- '%c'", argv[i][1]);
            else
                prog_warn("unrecognized option '%s'", argv[i]);
            prog_usage("[-b | -k | -m | -g]", 1);
        }
    }
    if (os_meminfo(&mi) < 0) {
        prog_warn_errno("cannot read the memory figures");
        return 1;
    }
    printf("%20s %11s %11s\n", "total", "used", "free");
    printf("%-7s %12lu %11lu %11lu\n", "Mem:", mi.total >> shift, mi.used >> shift,
           mi.free >> shift);
    printf("%-7s %12d %11d %11d\n", "Swap:", 0, 0, 0);
    return fflush(stdout) ? 1 : 0;
}
