// Running another program and waiting for it (xargs).
#ifndef RUN_H
#define RUN_H

// Runs argv[0] (found in $PATH, default /bin, when it has no '/') with
// this process's standard input, output and error and the environment,
// and waits for it. Returns its wait status (as from waitpid), or -1 with
// errno set when it could not be started (ENOENT: not found).
int prog_run(char *const argv[]);

#endif
