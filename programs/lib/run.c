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

// This process's group (so that ^C at the console reaches the child
// too), found in the process list; 0 (a new group) if it is not there.
static pid_t own_pgid(void)
{
    enum { MAX_PROCS = 512 };
    struct os_procinfo *list = malloc(MAX_PROCS * sizeof(*list));
    pid_t me = getpid(), pgid = 0;
    int n = list ? os_proc_list(list, MAX_PROCS) : 0;
    for (int i = 0; i < n; i++)
        if (list[i].pid == me)
            pgid = list[i].pgid;
    free(list);
    return pgid;
}

// Starts argv with os_spawn in this process's group; returns the pid or -1.
static pid_t start(char *const argv[])
{
    static char path[PATH_MAX];
    static pid_t pgid = -1;
    const int fds[3] = { 0, 1, 2 };
    if (find_in_path(argv[0], path) < 0)
        return -1;
    if (pgid < 0)
        pgid = own_pgid();
    return os_spawn(path, argv, environ, fds, 0, pgid);
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
