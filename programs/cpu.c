// cpu: runs a command on a set of CPUs and waits for it (like taskset).
// usage: cpu LIST cmd [arg...]
// LIST is CPU numbers and ranges, e.g. 1 or 0,2 or 1-3. The command and
// the programs it starts run only there; it runs in our process group
// (^C ends it). The exit status is the command's, 127 if it cannot be
// started, or 128 + the signal number if a signal ended it.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <osapi.h>
#include "prog.h"
#include "run.h"

// The mask for a list like "0,2-3" over n CPUs, or 0 if it is malformed
// or names a CPU that does not run.
static unsigned parse_list(const char *s, int n)
{
    unsigned mask = 0;
    while (*s) {
        char *end;
        long a = strtol(s, &end, 10), b = a;
        if (end == s || a < 0)
            return 0;
        if (*end == '-') {
            s = end + 1;
            b = strtol(s, &end, 10);
            if (end == s || b < a)
                return 0;
        }
        if (b >= n)
            return 0;
        for (long i = a; i <= b; i++)
            mask |= 1u << i;
        if (*end == ',' && end[1])
            end++;
        else if (*end)
            return 0;
        s = end;
    }
    return mask;
}

int main(int argc, char **argv)
{
    prog_init("cpu");
    if (argc < 3)
        prog_usage("LIST cmd [arg...]", 1);
    int n = os_cpu_count();
    unsigned mask = parse_list(argv[1], n);
    if (!mask) {
        fprintf(stderr, "cpu: %s: not a list of CPUs 0..%d (e.g. 1 or 0,2 or 1-3)\n", argv[1], n - 1);
        return 1;
    }
    os_spawn_cpus(mask);
    int status = prog_run(argv + 2);
    if (status < 0) {
        fprintf(stderr, "cpu: %s: %s\n", argv[2], strerror(errno));
        return 127;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}
