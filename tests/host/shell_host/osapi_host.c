// Host (Linux) stand-ins for the system calls of libc/include/osapi.h, so
// that the shell in servers/shell/ builds and runs on Linux for testing:
//   gcc -Wall -Wextra -Werror -std=gnu11 -Ilibc/include servers/shell/*.c
//       tests/host/shell_host/osapi_host.c -o /tmp/hsh
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "osapi.h"

// The child's half of os_spawn: moves fds[0..2] to 0..2, closes the rest
// and executes path; on failure writes errno to report and exits.
static _Noreturn void child(const char *path, char *const argv[], char *const envp[],
                            const int fds[3], pid_t pgid, int report)
{
    int tmp[3];
    setpgid(0, pgid);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    for (int i = 0; i < 3; i++)        // first out of the way of 0..2
        tmp[i] = fcntl(fds[i], F_DUPFD, 10);
    for (int i = 0; i < 3; i++)
        if (tmp[i] < 0 || dup2(tmp[i], i) < 0)
            goto fail;
    for (int fd = 3; fd < 1024; fd++)
        if (fd != report)
            close(fd);
    execve(path, argv, envp);
fail:;
    int e = errno;
    if (write(report, &e, sizeof e) < 0)
        _exit(127);
    _exit(127);
}

pid_t os_spawn(const char *path, char *const argv[], char *const envp[],
               const int fds[3], int prio, pid_t pgid)
{
    int rep[2], e;
    (void)prio;
    if (pipe(rep) < 0)
        return -1;
    fcntl(rep[0], F_SETFD, FD_CLOEXEC);
    fcntl(rep[1], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0) {
        close(rep[0]);
        child(path, argv, envp, fds, pgid, rep[1]);
    }
    close(rep[1]);
    if (pid < 0) {
        close(rep[0]);
        return -1;
    }
    setpgid(pid, pgid ? pgid : pid);   // both sides, against the race
    ssize_t n;
    while ((n = read(rep[0], &e, sizeof e)) < 0 && errno == EINTR)
        ;
    close(rep[0]);
    if (n == sizeof e) {               // exec failed: reap the child, report
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        errno = e;
        return -1;
    }
    return pid;
}

int os_set_foreground(pid_t pgid)
{
    (void)pgid;
    return 0;
}

// Only the calling process: enough for the shell to find its own group.
int os_proc_list(struct os_procinfo *out, int max)
{
    if (max < 1)
        return 0;
    memset(out, 0, sizeof *out);
    out->pid = getpid();
    out->ppid = getppid();
    out->pgid = getpgrp();
    out->running = 1;
    strcpy(out->name, "sh");
    return 1;
}

unsigned long os_busy_count(void) { return __builtin_ia32_rdtsc(); }

int os_poweroff(void)
{
    errno = ENOSYS;
    return -1;
}
