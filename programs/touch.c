// touch: creates files that do not exist and sets the modification time
// of those that do.
// usage: touch file...
// A missing file is created empty with mode 0644 (less the umask). An
// existing file gets its modification time set to now by truncating it to
// its own size (this system has no utime); its contents stay as they are.
// An existing directory is accepted as it is.
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
        if (access(path, W_OK) < 0 ||     // this system opens read-only files too
            ftruncate(fd, st.st_size) < 0) {  // same size: sets the modification time
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
