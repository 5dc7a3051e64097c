// Per-process limits: how much of the machine's shared resources one
// process may take, so that a runaway or hostile program gets a clear error
// while the shell and the services keep working. They are all set here.
//
// - pages: vm_map (and so malloc/sbrk) fails with -E_NOMEM once the user
//   pages plus the page tables holding them would pass LIMIT_PAGES. `make
//   run` gives the machine 1 GiB; one process may take three quarters of
//   it (an interpreter's deep recursion needs far more than 64 MiB), while
//   a runaway still leaves the services room to answer.
// - threads: thread_create fails with -E_NOMEM at LIMIT_THREADS live threads.
//   This also bounds an IPC flood: a process can have at most that many
//   calls waiting on a server at once (one per thread; a call blocks).
// - handles: the handle table has LIMIT_HANDLES slots (-E_NOSPACE when full).
// - children: proc refuses to spawn (EAGAIN) for a process that already has
//   LIMIT_CHILDREN children running or not yet waited for.
// - stack: a program's main stack is what its ELF asks for (PT_GNU_STACK,
//   ld -z stack-size; tools/cc asks for 8 MiB), 128 KiB when it asks for
//   nothing, at most LIMIT_STACK (libc/os/spawn.c). Its pages count
//   against LIMIT_PAGES like any others.
#ifndef UAPI_LIMITS_H
#define UAPI_LIMITS_H

#define LIMIT_PAGES    196608  /* 768 MiB of user memory and page tables */
#define LIMIT_THREADS  32
#define LIMIT_HANDLES  128
#define LIMIT_CHILDREN 32
#define LIMIT_STACK    (64ul << 20)  /* 64 MiB */

#endif
