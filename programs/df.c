// df: shows how full the file system is.
// usage: df
// One line for the root file system, under the same header as GNU df:
// its type stands in the Filesystem column, sizes are in KiB (rounded
// up), Available is the free space, and Use% is used / (used + available)
// rounded up to a whole percent ("-" for a file system of no size).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <osapi.h>

// count blocks of block_size bytes, in KiB rounded up.
static unsigned long long kib(unsigned long count, unsigned long block_size)
{
    unsigned long long bytes = (unsigned long long)count * block_size;
    return bytes / 1024 + (bytes % 1024 != 0);
}

int main(int argc, char **argv)
{
    struct os_statfs fs;

    if (argc > 1) {
        fprintf(stderr, "df: unexpected argument %s\nusage: df\n", argv[1]);
        return 1;
    }
    if (os_statfs("/", &fs) < 0) {
        fprintf(stderr, "df: /: %s\n", strerror(errno));
        return 1;
    }
    unsigned long free_blocks = fs.free_blocks < fs.blocks ? fs.free_blocks : fs.blocks;
    unsigned long used = fs.blocks - free_blocks;
    char pct[8] = "-";
    if (used + free_blocks > 0) {
        unsigned long long u100 = (unsigned long long)used * 100, total = used + free_blocks;
        snprintf(pct, sizeof pct, "%llu%%", u100 / total + (u100 % total != 0));
    }
    printf("Filesystem     1K-blocks      Used Available Use%% Mounted on\n");
    printf("%-14s %9llu %9llu %9llu %4s /\n", fs.type[0] ? fs.type : "none",
           kib(fs.blocks, fs.block_size), kib(used, fs.block_size),
           kib(free_blocks, fs.block_size), pct);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "df: write error: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
