// sync: writes everything the file systems hold in memory out to disk.
// usage: sync
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "sync: unexpected argument %s\nusage: sync\n", argv[1]);
        return 1;
    }
    sync();
    return 0;
}
