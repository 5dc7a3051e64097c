// svc: the supervisor's services.
// Usage: svc list | svc restart NAME | svc fault NAME crash|hang|wild|code|kill [SEED]
// code changes one instruction of the service's program (init prints
// which); kill ends it as kill would.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <osapi.h>

static int usage(void)
{
    fprintf(stderr, "usage: svc list | svc restart NAME | svc fault NAME crash|hang|wild|code|kill [SEED]\n");
    return 1;
}

static int list(void)
{
    static const char *const states[] = { "running", "restarting", "stopped" };
    struct os_svc s[32];
    int n = os_svc_list(s, 32);
    if (n < 0) {
        fprintf(stderr, "svc: %s\n", strerror(errno));
        return 1;
    }
    printf("%-8s %5s %-10s %8s  %s\n", "NAME", "PID", "STATE", "RESTARTS", "LAST");
    for (int i = 0; i < n; i++)
        printf("%-8s %5d %-10s %8d  %s\n", s[i].name, s[i].pid,
               s[i].state >= 0 && s[i].state < 3 ? states[s[i].state] : "?", s[i].restarts,
               s[i].restarts ? s[i].reason : "");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "list"))
        return list();
    int r;
    if (argc == 3 && !strcmp(argv[1], "restart")) {
        r = os_svc_restart(argv[2]);
    } else if ((argc == 4 || argc == 5) && !strcmp(argv[1], "fault")) {
        static const char *const kinds[] = { "crash", "hang", "wild", "code", "kill" };
        int kind = 0;
        for (int k = 0; k < 5; k++)
            if (!strcmp(argv[3], kinds[k]))
                kind = k + 1;
        if (!kind)
            return usage();
        r = os_svc_fault(argv[2], kind, argc == 5 ? strtoul(argv[4], NULL, 0) : 1);
    } else {
        return usage();
    }
    if (r < 0) {
        fprintf(stderr, "svc: %s: %s%s\n", argv[2], strerror(errno),
                errno == EPERM ? " (init refuses)" : errno == ENOENT ? " (no such service)" : "");
        return 1;
    }
    return 0;
}
