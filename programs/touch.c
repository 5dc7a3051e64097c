// touch: creates files that do not exist and sets the modification time
// of those that do.
// usage: touch file...
// A missing file is created empty with mode 0644 (less the umask). An
// existing file or directory gets its access and modification times set
// to now (utimes); its contents stay as they are.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static int fail(const char *path, int err)
{
    fprintf(stderr, "touch: %s: %s\n", path, strerror(err));
    return -1;
}

static int touch(const char *path)
{
    if (utimes(path, NULL) == 0)           // it exists: the times only
        return 0;
    if (errno != ENOENT)
        return fail(path, errno);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);   // through a dangling link too
    if (fd < 0)
        return fail(path, errno);
    if (close(fd) < 0)
        return fail(path, errno);
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;

    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        fprintf(stderr, "touch: unknown option %s\nusage: touch file...\n", argv[i]);
        return 1;
    }
    if (i == argc) {
        fprintf(stderr, "usage: touch file...\n");
        return 1;
    }
    for (; i < argc; i++)
        if (touch(argv[i]) < 0)
            status = 1;
    return status;
}
