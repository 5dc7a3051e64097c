// stat: shows what the file system knows about files.
// usage: stat file...
// For each file (a symbolic link itself, not what it points to), in a
// simpler form of GNU stat's default layout:
//     File: NAME                           (NAME -> TARGET for a symbolic link)
//     Size: N<tab>Blocks: N<tab>IO Block: N<tab>TYPE
//   Inode: N<tab>Links: N
//   Access: (0644/-rw-r--r--)
//   Modify: YYYY-MM-DD HH:MM:SS           (UTC)
// Blocks counts 512-byte units. A file that cannot be looked at is
// reported and skipped; the exit status is then 1.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fileinfo.h"

static const char *type_name(mode_t m)
{
    return S_ISREG(m) ? "regular file" : S_ISDIR(m) ? "directory"
         : S_ISLNK(m) ? "symbolic link" : S_ISCHR(m) ? "character special file"
         : S_ISBLK(m) ? "block special file" : S_ISFIFO(m) ? "fifo"
         : S_ISSOCK(m) ? "socket" : "unknown";
}

static int show(const char *path)
{
    struct stat st;
    char mode[11], when[32] = "?";

    if (lstat(path, &st) < 0) {
        fprintf(stderr, "stat: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fileinfo_mode_string(st.st_mode, mode);
    time_t t = st.st_mtime;
    struct tm *tm = gmtime(&t);
    if (tm)
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", tm);
    printf("  File: %s", path);
    if (S_ISLNK(st.st_mode))
        fileinfo_print_link(path);
    putchar('\n');
    printf("  Size: %lld\tBlocks: %lld\tIO Block: %lld\t%s\n", (long long)st.st_size,
           (long long)st.st_blocks, (long long)st.st_blksize, type_name(st.st_mode));
    printf("Inode: %llu\tLinks: %lu\n", (unsigned long long)st.st_ino,
           (unsigned long)st.st_nlink);
    printf("Access: (%04o/%s)\n", (unsigned)(st.st_mode & 07777), mode);
    printf("Modify: %s\n", when);
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;

    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
        fprintf(stderr, "stat: unknown option %s\nusage: stat file...\n", argv[i]);
        return 1;
    }
    if (i == argc) {
        fprintf(stderr, "usage: stat file...\n");
        return 1;
    }
    for (; i < argc; i++)
        if (show(argv[i]) < 0)
            status = 1;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "stat: write error: %s\n", strerror(errno));
        return 1;
    }
    return status;
}
