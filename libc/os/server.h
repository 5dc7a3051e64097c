// The receive loop every server and driver shares: it receives a request,
// finds the handler for its label in the server's ops table, and replies
// with what the handler filled in (or leaves the caller waiting when the
// handler defers the reply, to answer it later with server_reply).
#ifndef SERVER_H
#define SERVER_H
#include "os.h"

#define SERVER_DEFER 1           // handler's return value: reply later
#define SERVER_ENOSYS 88         // r0 for an unknown label: -ENOSYS (newlib's value)

// One request as handlers see it. The payload is in `data` (len bytes,
// up to IPC_MAX_PAYLOAD). A handler sets the reply words and optionally
// a reply payload (reply_data/reply_len), and returns 0 or SERVER_DEFER.
struct request {
    unsigned label;
    uint64_t w0, w1, w2;
    uint64_t badge;              // who is calling (set when the handle was granted)
    int handle;                  // TAG_HANDLE: w2 is a handle the caller passed; a handler
                                 // that keeps it clears this, else it is closed after
    uint32_t token;              // reply token, for a deferred reply
    const void *data;
    uint64_t len;
    uint64_t r0, r1, r2;         // reply words
    const void *reply_data;
    uint64_t reply_len;
};

typedef int (*server_op)(struct request *rq);

struct server {
    long endpoint;
    const server_op *ops;        // indexed by label
    unsigned nops;
    long notif;                  // if >= 0: a notification handle to watch too
    void (*on_notify)(uint64_t bits);
    void *buf;                   // where requests go (IPC_MAX_PAYLOAD bytes; NULL: a
                                 // static buffer); a driver's DMA buffer, say
};

// Serves requests forever. Unknown labels get r0 = -SERVER_ENOSYS.
_Noreturn void server_run(struct server *s);
// Says on the log that the server is up, fresh or restarted: init passes
// "restart=N" among the arguments of a restarted service. Returns N.
int server_announce(const char *name, int argc, char **argv);
// Answers a deferred request.
long server_reply(uint32_t token, uint64_t r0, uint64_t r1, uint64_t r2, const void *data, uint64_t len);

#endif
