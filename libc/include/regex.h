// newlib's <regex.h> uses off_t without including <sys/types.h>; POSIX
// programs include <regex.h> alone.
#ifndef OS_REGEX_H
#define OS_REGEX_H
#include <sys/types.h>
#include_next <regex.h>
#endif
