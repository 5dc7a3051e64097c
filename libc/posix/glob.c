// glob as POSIX specifies it, over newlib's: GLOB_NOMATCH when the pattern
// matched nothing and neither GLOB_NOCHECK nor GLOB_NOMAGIC put it in.
#define OS_GLOB_IMPL
#include <glob.h>

int os_glob(const char *__restrict pattern, int flags, int (*errfunc)(const char *, int),
            glob_t *__restrict g)
{
    int before = (flags & GLOB_APPEND) ? g->gl_pathc : 0;
    int r = glob(pattern, flags, errfunc, g);
    if (r == 0 && g->gl_pathc == before)
        return GLOB_NOMATCH;
    return r;
}
