// posix_spawn and posix_spawnp over os_spawn (there is no fork here), with
// their file actions and attributes. A child gets only descriptors 0, 1
// and 2 (os_spawn passes nothing else), so the file actions are played on
// a table of what each of the child's descriptors would be, and only its
// first three entries reach the child. Without POSIX_SPAWN_SETPGROUP the
// child joins the caller's process group; POSIX_SPAWN_SETSCHEDPARAM gives
// it sched_priority as its priority (1..OS_PRIO_MAX). Signal masks and
// defaults are kept for the getters: a child here always starts with
// default actions and nothing blocked, which is what they ask for.
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"
#include "osapi.h"
#include "fs_proto.h"

enum { ACT_OPEN, ACT_DUP2, ACT_CLOSE };

struct spawn_act {
    int kind, fd, newfd, oflag;
    mode_t mode;
    char *path;
};

struct __posix_spawn_file_actions {
    int n, cap;
    struct spawn_act *acts;
};

#include "spawn_attr.h"

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
    *fa = calloc(1, sizeof(**fa));
    return *fa ? 0 : ENOMEM;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
    if (!fa || !*fa)
        return EINVAL;
    for (int i = 0; i < (*fa)->n; i++)
        free((*fa)->acts[i].path);
    free((*fa)->acts);
    free(*fa);
    *fa = NULL;
    return 0;
}

// Appends an action (fd checked against the descriptor range).
static int act_add(posix_spawn_file_actions_t *fa, struct spawn_act a)
{
    struct __posix_spawn_file_actions *f = *fa;
    if (a.fd < 0 || a.fd >= OPEN_MAX || (a.kind == ACT_DUP2 && (a.newfd < 0 || a.newfd >= OPEN_MAX)))
        return EBADF;
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 4;
        struct spawn_act *bigger = realloc(f->acts, (size_t)cap * sizeof(*bigger));
        if (!bigger)
            return ENOMEM;
        f->acts = bigger;
        f->cap = cap;
    }
    f->acts[f->n++] = a;
    return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa, int fd,
                                     const char *__restrict path, int oflag, mode_t mode)
{
    char *copy = strdup(path);
    if (!copy)
        return ENOMEM;
    int e = act_add(fa, (struct spawn_act){ ACT_OPEN, fd, 0, oflag, mode, copy });
    if (e)
        free(copy);
    return e;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
    return act_add(fa, (struct spawn_act){ ACT_DUP2, fd, newfd, 0, 0, NULL });
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
    return act_add(fa, (struct spawn_act){ ACT_CLOSE, fd, 0, 0, 0, NULL });
}

// The caller's process group (its own pid when proc does not list it).
pid_t spawn_own_pgid(void)
{
    static struct os_procinfo procs[128];
    int n = os_proc_list(procs, 128);
    for (int i = 0; i < n; i++)
        if (procs[i].pid == getpid())
            return procs[i].pgid;
    return getpid();
}

// Plays the file actions on child[] (the caller's descriptor that each
// child descriptor would be, -1 for closed); descriptors opened for the
// child are recorded in opened[] (closed by the caller afterwards).
static int acts_play(const struct __posix_spawn_file_actions *f, int *child, int *opened, int *nopened)
{
    for (int i = 0; f && i < f->n; i++) {
        const struct spawn_act *a = &f->acts[i];
        if (a->kind == ACT_OPEN) {
            int fd = open(a->path, a->oflag, a->mode);
            if (fd < 0)
                return errno;
            opened[(*nopened)++] = fd;
            child[a->fd] = fd;
        } else if (a->kind == ACT_DUP2) {
            if (child[a->fd] < 0)
                return EBADF;
            child[a->newfd] = child[a->fd];
        } else {
            child[a->fd] = -1;
        }
    }
    return 0;
}

// Priority and process group from the attributes.
static void attr_apply(const posix_spawnattr_t *attr, int *prio, pid_t *pgid)
{
    const struct __posix_spawnattr *a = attr ? *attr : NULL;
    *prio = 0;
    *pgid = a && (a->flags & POSIX_SPAWN_SETPGROUP) ? a->pgroup : spawn_own_pgid();
    if (a && (a->flags & POSIX_SPAWN_SETSCHEDPARAM)) {
        int p = a->param.sched_priority;
        *prio = p < 1 ? 1 : p > OS_PRIO_MAX ? OS_PRIO_MAX : p;
    }
}

int posix_spawn(pid_t *__restrict pid, const char *__restrict path,
                const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *__restrict attr,
                char *const argv[], char *const envp[])
{
    int child[OPEN_MAX], opened[OPEN_MAX], nopened = 0, prio, saved = errno;
    pid_t pgid;
    for (int i = 0; i < OPEN_MAX; i++)
        child[i] = fd_get(i) ? i : -1;
    int e = acts_play(fa ? *fa : NULL, child, opened, &nopened);
    if (!e) {
        attr_apply(attr, &prio, &pgid);
        pid_t p = os_spawn(path, argv, envp, child, prio, pgid);
        e = p < 0 ? errno : 0;
        if (p >= 0 && pid)
            *pid = p;
    }
    while (nopened > 0)
        close(opened[--nopened]);
    errno = saved;
    return e;
}

int posix_spawnp(pid_t *__restrict pid, const char *__restrict file,
                 const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *__restrict attr,
                 char *const argv[], char *const envp[])
{
    const char *dirs = getenv("PATH");
    char path[FS_PATH_MAX];
    if (strchr(file, '/'))
        return posix_spawn(pid, file, fa, attr, argv, envp);
    for (dirs = dirs && *dirs ? dirs : "/bin"; *dirs;) {
        size_t n = strcspn(dirs, ":");
        if (n + strlen(file) + 2 <= sizeof(path)) {
            memcpy(path, dirs, n);
            snprintf(path + n, sizeof(path) - n, "%s%s", n ? "/" : "", file);
            if (access(path, X_OK) == 0)
                return posix_spawn(pid, path, fa, attr, argv, envp);
        }
        dirs += n + (dirs[n] == ':');
    }
    return ENOENT;
}
