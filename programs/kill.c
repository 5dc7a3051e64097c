// kill: sends a signal to processes.
// usage: kill [-SIGNAL] pid...
// SIGNAL is a number (-9) or a name with or without "SIG" (-KILL, -SIGINT);
// the default is TERM. A negative pid after the signal means a process group.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int sig; } signals[] = {
    { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
    { "KILL", SIGKILL }, { "TERM", SIGTERM }, { "ALRM", SIGALRM },
    { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "STOP", SIGSTOP },
    { "CONT", SIGCONT },
};

// A whole-string decimal integer, or 0 if s is not one.
static int parse_int(const char *s, long *out)
{
    char *end;

    if (*s == '\0')
        return 0;
    errno = 0;
    *out = strtol(s, &end, 10);
    return *end == '\0' && errno == 0;
}

// The signal named by s (without the leading '-'), or -1.
static int parse_signal(const char *s)
{
    long n;

    if (parse_int(s, &n))
        return n >= 0 && n < 128 ? (int)n : -1;
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (strcmp(s, signals[i].name) == 0)
            return signals[i].sig;
    return -1;
}

int main(int argc, char **argv)
{
    int sig = SIGTERM, i = 1, status = 0;

    if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        if (strcmp(argv[i], "--") != 0) {
            sig = parse_signal(argv[i] + 1);
            if (sig < 0) {
                fprintf(stderr, "kill: %s: unknown signal\n", argv[i] + 1);
                return 1;
            }
        }
        i++;
    }
    if (i == argc) {
        fprintf(stderr, "usage: kill [-SIGNAL] pid...\n");
        return 1;
    }
    for (; i < argc; i++) {
        long pid;
        if (!parse_int(argv[i], &pid) || pid == 0 || (pid_t)pid != pid) {
            fprintf(stderr, "kill: %s: not a valid pid\n", argv[i]);
            status = 1;
        } else if (kill((pid_t)pid, sig) < 0) {
            fprintf(stderr, "kill: %s: %s%s\n", argv[i], strerror(errno),
                    errno == EPERM ? " (init refuses to be killed)" : "");
            status = 1;
        }
    }
    return status;
}
