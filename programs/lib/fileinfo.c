// Mode strings and link targets for ls and stat (see fileinfo.h).
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fileinfo.h"

void fileinfo_mode_string(mode_t m, char out[11])
{
    static const char rwx[] = "rwxrwxrwx";

    out[0] = S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b'
           : S_ISFIFO(m) ? 'p' : S_ISLNK(m) ? 'l' : S_ISSOCK(m) ? 's' : '-';
    for (int i = 0; i < 9; i++)
        out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
    if (m & S_ISUID)
        out[3] = out[3] == 'x' ? 's' : 'S';
    if (m & S_ISGID)
        out[6] = out[6] == 'x' ? 's' : 'S';
    if (m & S_ISVTX)
        out[9] = out[9] == 'x' ? 't' : 'T';
    out[10] = '\0';
}

void fileinfo_print_link(const char *path)
{
    char target[1024];
    ssize_t n = readlink(path, target, sizeof(target) - 1);
    target[n < 0 ? 0 : n] = '\0';
    printf(" -> %s", target);
}
