// Running another program (see run.h): posix_spawnp, which this system's
// libc does over os_spawn with the child in the caller's process group
// (so ^C at the console ends both).
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include "run.h"

extern char **environ;

int prog_run(char *const argv[])
{
    pid_t pid;
    int status;
    fflush(stdout);
    int e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (e) {
        errno = e;
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return status;
}
