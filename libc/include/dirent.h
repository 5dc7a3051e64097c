// Directory reading for this system (replaces newlib's, which has none).
#ifndef _DIRENT_H_
#define _DIRENT_H_
#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10

struct dirent {
    ino_t d_ino;
    unsigned char d_type;
    unsigned short d_reclen;    // the size of this record (newlib's scandir copies it)
    char d_name[256];
};

typedef struct {
    int fd;
    struct dirent ent;
} DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
void rewinddir(DIR *d);

// newlib's scandir and alphasort (libc/newlib.mk builds them).
int scandir(const char *dir, struct dirent ***names,
            int (*select)(const struct dirent *),
            int (*compar)(const struct dirent **, const struct dirent **));
int alphasort(const struct dirent **a, const struct dirent **b);

#endif
