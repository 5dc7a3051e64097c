// Forced into every source of newlib's libc/posix folder (libc/newlib.mk):
// the calls they use that newlib's headers declare only for other systems.
#include <sys/stat.h>
int lstat(const char *path, struct stat *st);
