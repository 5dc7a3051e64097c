// proc: the process manager (see proc_proto.h).
#ifndef PROC_H
#define PROC_H
#include <stdint.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "proc_proto.h"
#include "table.h"

// Handles init gives proc (slots 1-5 are the standard service handles).
#define H_MY_ENDPOINT 6
#define H_ROOT_CAP    7           // process list
#define H_POWER_IO    8           // port 0x604
#define H_MINT_FIRST  9           // unbadged proc, fs, console, pipe, svc endpoints
#define N_MINT        5
#define H_DEATHS      14          // init's notification for our children's deaths
#define H_TABLE       15          // the process table's memory (init's grant)

#define MAX_CHILDREN PRT_ENTRIES

// A process proc started: its record (kept in the table, table.h) and
// what dies with this incarnation (its process handle).
struct child {
    struct pr_entry e;
    long handle;
};

extern struct child children[MAX_CHILDREN];
extern int children_top;                   // every record in use is below it

int spawn_program(struct request *rq);     // spawn.c
const uint8_t *image_get(const char *path, uint64_t *size, int *err);   // image.c
void image_put(const uint8_t *elf);       // after a spawn: frees it unless cached
void children_reap(uint64_t bits);         // main.c
int op_net_watch(struct request *rq);      // netwatch.c
int op_net_gone(struct request *rq);
void netwatch_died(struct child *c);
void netwatch_restore(void);
struct child *child_find(int pid);
int child_live(const struct child *c);     // running or dead, not yet collected
void child_save(struct child *c);          // its record into the table
void reaped_forget(int ppid, uint64_t seq);
void pipe_gone(int pid);
int table_start(long *deaths);             // restore.c
// keep.c: copies of our children's handles, kept by init across our restarts
// (pid 0: net's notification, with its bit as the word)
void keep_put(int pid, long h, uint64_t word);
long keep_get(int pid, uint64_t *word);
void keep_drop(int pid);

#endif
