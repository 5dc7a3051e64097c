// Background jobs: each `... &` becomes a job with a number, the pids of
// its processes and its command line. Finished jobs are reaped without
// blocking before each prompt (and by `jobs`), which reports them like a
// Unix shell does: "[1] Done  sleep 1".
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "shell.h"

#define MAX_JOBS 64

struct job {
    int id;                 // 0: free slot
    pid_t *pids;            // 0 once reaped
    int npids;
    int status;             // wait status of the last process
    char *text;
};

static struct job jobs[MAX_JOBS];

// What a shell says when a foreground job dies of a signal.
const char *signal_text(int sig)
{
    static const struct { int sig; const char *text; } names[] = {
        { SIGHUP, "Hangup" }, { SIGINT, "Interrupted" }, { SIGQUIT, "Quit" },
        { SIGILL, "Illegal instruction" }, { SIGABRT, "Aborted" },
        { SIGFPE, "Floating point exception" }, { SIGKILL, "Killed" },
        { SIGSEGV, "Segmentation fault" }, { SIGPIPE, "Broken pipe" },
        { SIGALRM, "Alarm clock" }, { SIGTERM, "Terminated" },
#ifdef SIGBUS
        { SIGBUS, "Bus error" },
#endif
    };
    static char other[32];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].text;
    snprintf(other, sizeof other, "Signal %d", sig);
    return other;
}

// A wait status as $? shows it: the exit code, or 128 + the signal.
int status_code(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return 1;
}

// Adds a job; returns its number, or -1 if the table is full.
int job_add(const pid_t *pids, int npids, const char *text)
{
    int id = 1;
    struct job *free_slot = NULL;
    for (int i = 0; i < MAX_JOBS; i++) {
        if (jobs[i].id >= id)
            id = jobs[i].id + 1;          // one more than the highest in use
        if (!jobs[i].id && !free_slot)
            free_slot = &jobs[i];
    }
    if (!free_slot)
        return -1;
    free_slot->pids = malloc((size_t)npids * sizeof(pid_t));
    free_slot->text = strdup(text);
    if (!free_slot->pids || !free_slot->text)
        abort();
    memcpy(free_slot->pids, pids, (size_t)npids * sizeof(pid_t));
    free_slot->npids = npids;
    free_slot->status = 0;
    free_slot->id = id;
    return id;
}

static void job_free(struct job *j)
{
    free(j->pids);
    free(j->text);
    *j = (struct job){ 0 };
}

// Waits for process i of job j (flags 0 or WNOHANG); returns 1 if it has
// ended (or is not ours to wait for), 0 if still running. Its wait status
// goes to *st, and to the job's status if it is the last process.
static int reap_pid(struct job *j, int i, int flags, int *st)
{
    pid_t r;
    *st = 0;
    if (!j->pids[i])
        return 1;
    while ((r = waitpid(j->pids[i], st, flags)) < 0 && errno == EINTR)
        ;
    if (r == 0)
        return 0;
    if (r > 0 && i == j->npids - 1)
        j->status = *st;
    j->pids[i] = 0;
    return 1;
}

// Reaps what has ended of job j; returns 1 when all of it has.
static int reap_job(struct job *j, int flags)
{
    int done = 1, st;
    for (int i = 0; i < j->npids; i++)
        done &= reap_pid(j, i, flags, &st);
    return done;
}

// "Done", "Exit 3" or a signal's description.
static void print_state(int fd, const struct job *j)
{
    int st = j->status;
    if (WIFSIGNALED(st))
        fdprintf(fd, "[%d] %s  %s\n", j->id, signal_text(WTERMSIG(st)), j->text);
    else if (WEXITSTATUS(st))
        fdprintf(fd, "[%d] Exit %d  %s\n", j->id, WEXITSTATUS(st), j->text);
    else
        fdprintf(fd, "[%d] Done  %s\n", j->id, j->text);
}

// Reaps finished jobs without blocking and reports them on fd.
void jobs_reap(int fd)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        if (jobs[i].id && reap_job(&jobs[i], WNOHANG)) {
            print_state(fd, &jobs[i]);
            job_free(&jobs[i]);
        }
    }
}

// `jobs`: reports the finished jobs, then lists the running ones in the
// order they were started.
void jobs_list(int fd)
{
    jobs_reap(fd);
    for (int id = 1, left = 1; left; id++) {
        left = 0;
        for (int i = 0; i < MAX_JOBS; i++) {
            left |= jobs[i].id > id;
            if (jobs[i].id != id)
                continue;
            pid_t pid = 0;
            for (int k = 0; k < jobs[i].npids; k++)
                pid = jobs[i].pids[k] ? jobs[i].pids[k] : pid;
            fdprintf(fd, "[%d] %d Running  %s\n", id, (int)pid, jobs[i].text);
        }
    }
}

// `wait`: waits for every background job; they are not reported.
int jobs_wait_all(void)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        if (jobs[i].id) {
            reap_job(&jobs[i], 0);
            job_free(&jobs[i]);
        }
    }
    return 0;
}

// `wait PID`: waits for one process of a job and sets *status to its wait
// status; returns -1 if no job has it.
int jobs_wait_pid(pid_t pid, int *status)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        for (int k = 0; jobs[i].id && k < jobs[i].npids; k++) {
            if (jobs[i].pids[k] != pid)
                continue;
            reap_pid(&jobs[i], k, 0, status);
            if (reap_job(&jobs[i], WNOHANG))
                job_free(&jobs[i]);
            return 0;
        }
    }
    return -1;
}
