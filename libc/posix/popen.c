// popen and pclose over os_spawn: the command runs as "sh -c COMMAND" in
// the caller's process group, with one end of a pipe as its standard
// output ("r") or input ("w"); its other two descriptors are the caller's.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "osapi.h"

#define POPEN_MAX 16

pid_t spawn_own_pgid(void);
extern char **environ;

static struct { FILE *f; pid_t pid; } opened[POPEN_MAX];

// The shell: /bin/sh, or the boot file set's when the disk has none.
static const char *shell_path(void)
{
    return access("/bin/sh", X_OK) == 0 ? "/bin/sh" : "/boot/bin/sh";
}

// Starts the command with the child's end of the pipe as its standard
// output (reading) or input.
static pid_t popen_spawn(const char *cmd, int p[2], int reading)
{
    char *argv[] = { "sh", "-c", (char *)cmd, NULL };
    int fds[3] = { 0, 1, 2 };               // one closed here is closed there
    fds[reading ? 1 : 0] = p[reading ? 1 : 0];
    return os_spawn(shell_path(), argv, environ, fds, 0, spawn_own_pgid());
}

FILE *popen(const char *cmd, const char *mode)
{
    int p[2], slot = 0, reading = mode && mode[0] == 'r';
    if (!mode || (mode[0] != 'r' && mode[0] != 'w') || (mode[1] && strcmp(mode + 1, "e"))) {
        errno = EINVAL;
        return NULL;
    }
    while (slot < POPEN_MAX && opened[slot].f)
        slot++;
    if (slot == POPEN_MAX) {
        errno = EMFILE;
        return NULL;
    }
    if (pipe(p) < 0)
        return NULL;
    pid_t pid = popen_spawn(cmd, p, reading);
    int keep = reading ? p[0] : p[1], err = errno;
    close(reading ? p[1] : p[0]);
    FILE *f = pid < 0 ? NULL : fdopen(keep, reading ? "r" : "w");
    if (!f) {
        err = pid < 0 ? err : errno;
        close(keep);
        errno = err;
        return NULL;
    }
    opened[slot].f = f;
    opened[slot].pid = pid;
    return f;
}

// Closes the stream, waits for its command; its wait status, or -1.
int pclose(FILE *f)
{
    int status, slot = 0;
    while (slot < POPEN_MAX && opened[slot].f != f)
        slot++;
    if (!f || slot == POPEN_MAX) {
        errno = ECHILD;
        return -1;
    }
    pid_t pid = opened[slot].pid;
    opened[slot].f = NULL;
    fclose(f);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}
