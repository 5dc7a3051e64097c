// Error codes returned (negated) by system calls.
#ifndef UAPI_ERRORS_H
#define UAPI_ERRORS_H

#define E_NOSYS     1   /* no such system call */
#define E_INVAL     2   /* bad argument */
#define E_BADHANDLE 3   /* no such handle, or of the wrong type */
#define E_PERM      4   /* the handle lacks the right */
#define E_FAULT     5   /* bad user pointer */
#define E_NOMEM     6   /* out of memory or of a per-process limit */
#define E_DEAD      7   /* the peer died or the object is gone */
#define E_TOOBIG    8   /* message larger than the receiver's buffer */
#define E_NOSPACE   9   /* handle table full */
#define E_STATE     10  /* operation not valid now (e.g. no one to reply to) */
#define E_BUSY      11  /* already bound or in use */
#define E_AGAIN     12
#define E_BADELF    13  /* corrupt or unsupported ELF */
#define E_NOENT     14
#define E_TIMEOUT   15  /* an IPC wait ran out of time */

#endif
