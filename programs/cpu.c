// cpu: runs a command on a set of CPUs and waits for it (like taskset).
// usage: cpu LIST cmd [arg...]
// LIST is CPU numbers and ranges, e.g. 1 or 0,2 or 1-3. The command and
// the programs it starts run only there. A cmd without '/' is looked up
// as /bin/cmd. The exit status is the command's, or 128 + the signal
// number if a signal ended it.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <osapi.h>
#include "prog.h"

extern char **environ;

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
    const char *cmd = argv[2];
    char *path = (char *)cmd;
    if (!strchr(cmd, '/')) {
        path = malloc(strlen(cmd) + sizeof "/bin/");
        if (!path) {
            fprintf(stderr, "cpu: out of memory\n");
            return 1;
        }
        sprintf(path, "/bin/%s", cmd);
    }
    os_spawn_cpus(mask);
    const int fds[3] = { 0, 1, 2 };
    pid_t pid = os_spawn(path, argv + 2, environ, fds, 0, 0);
    if (pid < 0) {
        fprintf(stderr, "cpu: %s: %s\n", cmd, strerror(errno));
        return 1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "cpu: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}
