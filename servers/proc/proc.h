// proc: the process manager (see proc_proto.h).
#ifndef PROC_H
#define PROC_H
#include <stdint.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "proc_proto.h"

// Handles init gives proc (slots 1-5 are the standard service handles).
#define H_MY_ENDPOINT 6
#define H_ROOT_CAP    7           // process list
#define H_POWER_IO    8           // port 0x604
#define H_MINT_FIRST  9           // unbadged proc, fs, console, pipe, svc endpoints
#define N_MINT        5

#define MAX_CHILDREN 256

struct child {
    int used, dead;
    int pid, ppid, pgid, prio;
    uint32_t cpus;               // its CPU set (0: all), inherited by its children
    int status;                  // wait status once dead
    int signal;                  // signal that killed it, if we did
    long handle;
    int net_watch;               // net holds sockets of it: tell net at its death
    char name[32];
};

extern struct child children[MAX_CHILDREN];

int spawn_program(struct request *rq);     // spawn.c
const uint8_t *image_get(const char *path, uint64_t *size, int *err);   // image.c
void image_put(const uint8_t *elf);       // after a spawn: frees it unless cached
int op_wait(struct request *rq);           // wait.c
void children_reap(uint64_t bits);
int op_net_watch(struct request *rq);      // netwatch.c
int op_net_gone(struct request *rq);
void netwatch_died(struct child *c);
struct child *child_find(int pid);

#endif
