// Isolation: no handle, no access. A process given only a wait-only
// notification and a send-only endpoint tries to reach everything else
// (t_fault isolate); its targets must be unaffected.
#include "ktest.h"

const char *t_isolation_no_handle(void)
{
    const char *e = start_echo();
    if (e)
        return e;
    long n = sys_notif_create();
    long grants[2] = { sys_handle_mint(n, R_WAIT | R_GRANT, 0),
                      sys_handle_mint(echo_ep, R_SEND | R_GRANT, 0) };
    EXPECT(grants[0] >= 0 && grants[1] >= 0, "mint: %ld %ld", grants[0], grants[1]);
    uint64_t bit;
    long p = run("t_fault", "isolate", grants, 2, &bit);
    EXPECT(p >= 0, "spawn: %ld", p);
    long st = wait_death(p, bit);
    EXPECT(PROC_STATE((uint64_t)st) != PROC_EXITED, "attempt %d was not refused", PROC_CODE(st));
    EXPECT(st == (((long)PROC_FAULTED << 32) | 13), "port outside any grant: status %lx", st);
    sys_notif_signal(n, 0x100);
    EXPECT(sys_notif_wait(n) == 0x100, "the notification was signalled by the intruder");
    sys_handle_close(grants[0]);
    sys_handle_close(grants[1]);
    sys_handle_close(n);
    return payload(128);                        // the endpoint's server is unaffected
}
