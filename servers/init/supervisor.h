// The supervisor part of init: the table of services, restarts with
// backoff, liveness pings, and the svc protocol (svc_proto.h).
#ifndef SUPERVISOR_H
#define SUPERVISOR_H
#include "os.h"
#include "svc_proto.h"
#include "pci.h"
#include "uapi/trace.h"

#define MAX_GRANTS 16

struct service {
    const char *name;
    int prio, system, may_stop;  // system: badges carry BADGE_SYSTEM
    long grants[MAX_GRANTS];     // as for start(): >= 0 a handle, < 0 an endpoint
    int ngrants;
    const char *args[4];         // extra arguments after the name
    const void *data;            // bytes copied into it at data_at
    uint64_t data_len, data_at;
    long endpoint;               // its endpoint (-1: none), pinged for liveness
    int public;                  // SVC_CONNECT hands its endpoint to any program
    void (*device)(int on);      // its device's DMA: off before it starts and when it
                                 // dies, on when it asks (SVC_BUSMASTER) after its reset
    struct service *checker;     // checks the data s wrote once s may have gone wrong
                                 // (the disk's: fs for ata and for fs), or NULL
    // state, changed only by the main thread
    long proc;
    int pid, state, restarts, quick_deaths;
    uint64_t started_ms, died_ms, restart_at_ms, last_restart_ms;
    int announce;                // print the restart line once it answers
    char cause[32];              // set when we kill or fault it, before it dies
    int tainted;                 // this instance may write wrong data: a code or wild
                                 // fault went in, or it faulted with none injected
    int check_next;              // its next start gets "check" (see checker)
    char reason[64];             // why it last died
    uint64_t hang_injected_ms;   // when an injected hang went in (0: none pending)
    uint64_t watch_ms, watch_ipc, watch_ticks;   // progress since a ping began to wait
    // written by its pinger thread
    volatile uint64_t ping_sent_ms, pong_ms;
};

// Provided by init.c: starts a service's program, returns its process
// handle (or an error) and fills in its pid.
long service_spawn(struct service *s, int restarts, long deaths_notif, uint64_t bit);
uint64_t now_ms(void);

// Provided by init.c: the program file of a service in the boot files.
int service_elf(const struct service *s, const void **elf, uint64_t *len);

// Provided by init.c: SVC_PCI's device table.
const struct pci_dev *pci_device(uint64_t index);

// Runs the supervisor loop on the svc endpoint forever.
_Noreturn void supervise(struct service *svcs, int n, long svc_endpoint, long deaths);
// keeper.c: process handles kept for proc across its restarts.
struct request;
void keeper_init(const struct service *proc);
int keeper_keep(struct request *rq);
int keeper_reclaim(struct request *rq);
int keeper_unkeep(struct request *rq);
// For the shell keeper: record the shell as a pseudo-service in the list.
void supervise_note_shell(int pid, int restarts);

#endif
