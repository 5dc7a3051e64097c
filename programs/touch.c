// touch: creates files that do not exist.
// usage: touch file...
// A missing file is created empty with mode 0644 (less the umask). This
// system has no call that sets a file's times (no utime, utimes or
// futimens), so for a file that already exists touch only checks that it
// is writable (it opens for writing), and leaves its times and contents
// alone; an existing directory is accepted as it is.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *path, int err)
{
    fprintf(stderr, "touch: %s: %s\n", path, strerror(err));
    return -1;
}

static int touch(const char *path)
{
    struct stat st;

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 && errno != EEXIST)
        return fail(path, errno);
    if (fd < 0) {                          // it exists: is it writable?
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0)
            return fail(path, errno);
        if (access(path, W_OK) < 0) {      // this system opens read-only files too
            int err = errno;
            close(fd);
            return fail(path, err);
        }
    }
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
