// hog: takes one resource until the system refuses it, prints the error it
// got, and gives everything back. The limits are per process (see
// kernel/include/uapi/limits.h), so the shell and the services keep working.
// Usage: hog spawn | hog mem | hog ipc [SECONDS]
//   spawn  starts children (/bin/sleep 60) until proc refuses (EAGAIN)
//   mem    mallocs 1 MiB blocks until malloc returns NULL (ENOMEM)
//   ipc    starts threads until the kernel refuses one, then has every
//          thread call the file server without pause for SECONDS (default 3)
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <osapi.h>
#include "os.h"
#include "fs_proto.h"
#include "services.h"
#include "uapi/limits.h"

static int hog_spawn(void)
{
    static pid_t kids[1024];
    char *argv[] = { "sleep", "60", NULL };
    int fds[3] = { 0, 1, 2 }, n = 0;
    while (n < 1024) {
        pid_t pid = os_spawn("/bin/sleep", argv, NULL, fds, 0, 0);
        if (pid < 0)
            break;
        kids[n++] = pid;
    }
    if (n == 1024) {
        printf("hog: spawn never refused (1024 children)\n");
        return 1;
    }
    printf("hog: spawn refused after %d children: %s (limit %d per process)\n", n,
           strerror(errno), LIMIT_CHILDREN);
    for (int i = 0; i < n; i++)
        kill(kids[i], SIGKILL);
    for (int i = 0; i < n; i++)
        waitpid(kids[i], NULL, 0);
    printf("hog: ended its %d children\n", n);
    return 0;
}

static int hog_mem(void)
{
    void *head = NULL;
    int mib = 0;
    for (;;) {
        void **block = malloc(1 << 20);
        if (!block)
            break;
        memset(block, 0xa5, 1 << 20);                 // really use it
        *block = head;
        head = block;
        mib++;
    }
    printf("hog: malloc refused after %d MiB: %s (limit %lu MiB per process)\n", mib,
           strerror(errno), (unsigned long)LIMIT_PAGES / 256);
    while (head) {
        void *next = *(void **)head;
        free(head);
        head = next;
    }
    return mib > 0 ? 0 : 1;
}

static volatile int flooding = 1;
static volatile unsigned long flood_calls[LIMIT_THREADS + 1];

// Calls the file server without pause (lookups of "/") until told to stop.
static void flood_thread(long i)
{
    while (flooding) {
        struct msg m = { TAG(FS_LOOKUP, 0), 0, 0, 0, 0, 0 };
        struct ipc_bufs b = { "/", 2, NULL, 0 };
        if (ipc_call(H_FS, &m, &b) == 0)
            flood_calls[i]++;
    }
    sys_thread_exit();
}

static int hog_ipc(int seconds)
{
    int threads = 1;                                   // the main thread
    long err = 0;
    while (threads <= LIMIT_THREADS + 1) {
        err = thread_start(flood_thread, threads, 10, 16384);
        if (err < 0)
            break;
        threads++;
    }
    if (err >= 0) {
        printf("hog: threads never refused (%d threads)\n", threads);
        return 1;
    }
    printf("hog: thread refused after %d threads: %s (limit %d per process)\n", threads,
           err == -E_NOMEM ? "out of memory or of a per-process limit" : "other error",
           LIMIT_THREADS);
    sleep((unsigned)seconds);
    flooding = 0;
    unsigned long total = 0;
    for (int i = 0; i <= LIMIT_THREADS; i++)
        total += flood_calls[i];
    printf("hog: %lu calls to fs from %d threads in %d s\n", total, threads - 1, seconds);
    return total > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "spawn"))
        return hog_spawn();
    if (argc >= 2 && !strcmp(argv[1], "mem"))
        return hog_mem();
    if (argc >= 2 && !strcmp(argv[1], "ipc"))
        return hog_ipc(argc >= 3 ? atoi(argv[2]) : 3);
    fprintf(stderr, "usage: hog spawn | hog mem | hog ipc [SECONDS]\n");
    return 2;
}
