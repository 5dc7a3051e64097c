// Running another program (see run.h): os_spawn on this system,
// posix_spawn in the host builds of the programs.
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "run.h"

extern char **environ;

#ifdef OS_NEWLIB
#include "osapi.h"

// Finds name in $PATH into out (PATH_MAX bytes). Returns 0 or -1 (ENOENT).
static int find_in_path(const char *name, char *out)
{
    const char *path = getenv("PATH");
    if (strchr(name, '/')) {
        snprintf(out, PATH_MAX, "%s", name);
        return 0;
    }
    if (!path || !*path)
        path = "/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(out, PATH_MAX, "%.*s/%s", (int)n, n ? path : ".", name);
        if (access(out, X_OK) == 0)
            return 0;
        path += n + (path[n] == ':');
    }
    errno = ENOENT;
    return -1;
}

// Starts argv with os_spawn; returns the pid or -1. (There is no
// getpgrp here yet, so the child leads a process group of its own.)
static pid_t start(char *const argv[])
{
    static char path[PATH_MAX];
    const int fds[3] = { 0, 1, 2 };
    if (find_in_path(argv[0], path) < 0)
        return -1;
    return os_spawn(path, argv, environ, fds, 0, 0);
}
#else                           // the host build
#include <spawn.h>

// Starts argv with posix_spawnp; returns the pid or -1 (errno set).
static pid_t start(char *const argv[])
{
    pid_t pid;
    int e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (e) {
        errno = e;
        return -1;
    }
    return pid;
}
#endif

int prog_run(char *const argv[])
{
    int status;
    fflush(stdout);
    pid_t pid = start(argv);
    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return status;
}
