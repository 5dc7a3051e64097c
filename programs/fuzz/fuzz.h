// fuzz: what the worker (programs/fuzz.c) and the parent
// (programs/fuzz/parent.c) share.
#ifndef FUZZ_H
#define FUZZ_H

#define STUCK_EXIT   99                  // the watchdog's exit code
#define SELF_EXIT    42                  // a worker ending itself on purpose
#define MAX_REPLACE  1000                // workers started again, at most, per slot

// Runs n calls in procs workers (fuzz -w I -g GEN -s SEED -n LEFT), starts
// a replacement for each one that dies, and prints the summary line.
// Workers report progress on stdout: "P|D index calls errors wrong"
// (P: progress, D: done).
int fuzz_parent(unsigned long n, unsigned long seed, int procs);

#endif
