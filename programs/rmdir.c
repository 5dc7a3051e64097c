// rmdir: removes empty directories.
// usage: rmdir dir...
// A directory that is not empty, or is not a directory, is reported and
// left alone; the exit status is then 1.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int i = 1, status = 0;

    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        fprintf(stderr, "rmdir: unknown option %s\nusage: rmdir dir...\n", argv[i]);
        return 1;
    }
    if (i == argc) {
        fprintf(stderr, "usage: rmdir dir...\n");
        return 1;
    }
    for (; i < argc; i++) {
        if (rmdir(argv[i]) < 0) {
            fprintf(stderr, "rmdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
