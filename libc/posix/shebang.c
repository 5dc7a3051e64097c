// Scripts as programs: a file that starts with "#!interpreter [arg]" is
// run as `interpreter [arg] path args...`, as execve does on Unix, so any
// program that spawns a script (the shell, xargs, find -exec) runs it.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"

#define SHEBANG_MAX 256

// Reads the "#!" line of path into line; returns 1 for a script, 0 if the
// file is something else (or cannot be read: the spawn reports that).
static int read_shebang(const char *path, char *line)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, line, SHEBANG_MAX - 1);
    close(fd);
    if (n < 2 || line[0] != '#' || line[1] != '!')
        return 0;
    line[n] = 0;
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = 0;
    return 1;
}

// If path is a script, sets *interp and *new_argv (interpreter, its one
// optional argument, path, then argv[1...]; free new_argv and its [0]
// with shebang_free) and returns 1; returns 0 if it is not a script and
// a negative errno for a bad "#!" line.
int shebang_argv(const char *path, char *const argv[], char ***new_argv)
{
    char line[SHEBANG_MAX];
    if (!read_shebang(path, line))
        return 0;
    char *p = line + 2, *arg = NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    char *end = p + strcspn(p, " \t");
    if (end == p)
        return -ENOEXEC;
    if (*end) {
        *end++ = 0;
        while (*end == ' ' || *end == '\t')
            end++;
        size_t n = strlen(end);
        while (n && (end[n - 1] == ' ' || end[n - 1] == '\t' || end[n - 1] == '\r'))
            end[--n] = 0;
        if (n)
            arg = end;
    }
    int argc = 0;
    while (argv && argv[argc])
        argc++;
    char **v = calloc((size_t)argc + 4, sizeof(char *));
    char *copy = malloc(strlen(p) + (arg ? strlen(arg) : 0) + 2);
    if (!v || !copy) {
        free(v);
        free(copy);
        return -ENOMEM;
    }
    strcpy(copy, p);
    int k = 0;
    v[k++] = copy;
    if (arg)
        v[k++] = strcpy(copy + strlen(p) + 1, arg);
    v[k++] = (char *)path;
    for (int i = 1; i < argc; i++)
        v[k++] = argv[i];
    *new_argv = v;
    return 1;
}

void shebang_free(char **new_argv)
{
    free(new_argv[0]);
    free(new_argv);
}
