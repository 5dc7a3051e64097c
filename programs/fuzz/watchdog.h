// The CPU watchdog of fuzz and chaos (watchdog.c).
#ifndef WATCHDOG_H
#define WATCHDOG_H

// Every CPU must keep taking timer interrupts: call often; prints a line
// for each CPU that took none over a second and returns the stalls so far.
int prog_watchdog(const char *name);

#endif
