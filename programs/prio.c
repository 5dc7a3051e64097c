// prio: runs a command at a given scheduling priority and waits for it.
// usage: prio N cmd [arg...]
// N is 0 (the default priority) up to OS_PRIO_MAX and at most our own. A
// cmd without '/' is looked up as /bin/cmd. The exit status is the
// command's, or 128 + the signal number if a signal ended it.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <osapi.h>

extern char **environ;

int main(int argc, char **argv)
{
    char *end, *path;
    long prio;

    if (argc < 3) {
        fprintf(stderr, "usage: prio N cmd [arg...]\n");
        return 1;
    }
    errno = 0;
    prio = strtol(argv[1], &end, 10);
    if (argv[1][0] == '\0' || *end != '\0' || errno != 0 || prio < 0 || prio > OS_PRIO_MAX) {
        fprintf(stderr, "prio: %s: not a priority (0..%d)\n", argv[1], OS_PRIO_MAX);
        return 1;
    }

    const char *cmd = argv[2];
    if (strchr(cmd, '/')) {
        path = (char *)cmd;
    } else {
        path = malloc(strlen(cmd) + sizeof "/bin/");
        if (!path) {
            fprintf(stderr, "prio: out of memory\n");
            return 1;
        }
        sprintf(path, "/bin/%s", cmd);
    }

    const int fds[3] = { 0, 1, 2 };
    pid_t pid = os_spawn(path, argv + 2, environ, fds, (int)prio, 0);
    if (pid < 0) {
        fprintf(stderr, "prio: %s: %s\n", cmd, strerror(errno));
        return 1;
    }

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "prio: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}
