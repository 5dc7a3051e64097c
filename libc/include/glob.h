// newlib's <glob.h> (the old BSD glob, built by libc/newlib.mk), made to
// answer as POSIX says: a pattern that matches nothing gives GLOB_NOMATCH
// (newlib's returns 0 with no paths). Programs call os_glob under the
// name glob (libc/posix/glob.c); newlib's own sources, built with
// OS_GLOB_IMPL, keep the plain name.
#ifndef OS_GLOB_H
#define OS_GLOB_H
#include_next <glob.h>

#ifndef GLOB_NOMATCH
#define GLOB_NOMATCH (-3)
#endif

#ifndef OS_GLOB_IMPL
int os_glob(const char *__restrict pattern, int flags, int (*errfunc)(const char *, int),
            glob_t *__restrict g);
#define glob(pattern, flags, errfunc, g) os_glob(pattern, flags, errfunc, g)
#endif

#endif
