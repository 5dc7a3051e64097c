// Supervisor protocol (init): the services it keeps running. Programs
// reach it in handle slot H_SVC (services.h). Replies: r0 = result (>= 0)
// or a negative errno (newlib values).
#ifndef SVC_PROTO_H
#define SVC_PROTO_H
#include <stdint.h>

enum svc_op {
    SVC_LIST = 1,      // w0 = index -> payload: struct svc_entry, r0 = 1; 0 past the end
    SVC_RESTART,       // payload: name -> r0 = 0; -ENOENT unknown, -EPERM for init
    SVC_FAULT,         // w0 = kind (1 crash, 2 hang, 3 wild, 4 code, 5 kill), w1 = seed,
                       //    payload: name
    SVC_KILL,          // w0 = pid -> 0; -EPERM (init refuses), -ESRCH (no service)
    SVC_PCI,           // w0 = index -> payload: struct pci_dev (pci.h), r0 = 1; 0 past
                       //    the end (the devices init found at boot)
    SVC_CONNECT,       // payload: name -> reply carries (TAG_HANDLE, w2) a send handle to
                       //    that service's endpoint; -ENOENT, -EPERM (not public)
    SVC_BUSMASTER,     // from a driver, once it has reset its device: the device may do
                       //    DMA from now on -> 0; -EPERM (not a driver of a DMA device)
    SVC_KEEP,          // from proc only (-EPERM else): w0 = pid, w1 = a word, w2 = that
                       //    child's process handle (TAG_HANDLE): init keeps a copy across
                       //    proc's restarts (pid 0: net's notification, PROC_NET_WATCH)
    SVC_RECLAIM,       // from proc: w0 = pid -> the kept handle (TAG_HANDLE, w2), the word
                       //    in r1; -ESRCH
    SVC_UNKEEP,        // from proc: w0 = pid -> 0: the kept handle is closed
    SVC_OPS
};

enum svc_state { SVC_RUNNING, SVC_RESTARTING, SVC_STOPPED };

struct svc_entry {
    char name[16];
    int32_t pid, state, restarts, pad;
    uint64_t last_restart_ms;    // how long the last restart took
    char reason[64];             // why it last died
};
_Static_assert(sizeof(struct svc_entry) == 104, "svc_entry layout");

#endif
