"""Several CPUs at the shell, as a person uses them: the boot banner
counts the CPUs, ps shows where each process runs, `cpu LIST cmd` pins a
command (and what it starts) to CPUs, a bad list is refused, and a
crashed server is restarted while programs keep running on the other
CPUs. Boots with 4 CPUs whatever the suite's setting."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAME_ON_EVERY_CPUS = True                    # run.py: not again in the 4-CPU pass


def ps_rows(out, what=4):
    """{name: [cpu, ...]} from ps's output (what=0: pids instead)."""
    rows = {}
    for line in (out or "").splitlines()[1:]:
        f = line.split()
        if len(f) == 7 and f[4].isdigit():
            rows.setdefault(f[6], []).append(int(f[what]))
    return rows


def run_all(Shell, BUILD, record):
    sh = Shell(disk=os.path.join(BUILD, "test-disk.img"), extra=["-smp", "4"])
    if not sh.ready:
        record("scenario.smp_boots", False, sh.text()[-1500:])
        sh.stop()
        return
    try:
        record("scenario.smp_banner_counts_cpus", "[kernel] 4 CPUs up" in sh.text(), sh.text()[-800:])
        out = sh.run("ps") or ""
        rows = ps_rows(out)
        record("scenario.smp_ps_cpu_column",
               out.startswith("  PID  PPID PRIO STATE CPU    KIB NAME") and "ps" in rows and
               all(0 <= c < 4 for cs in rows.values() for c in cs), repr(out))

        out = sh.run("cpu 2 sh -c 'ps; echo status $?'") or ""
        rows = ps_rows(out)
        record("scenario.smp_cpu_pins_command_and_children",
               rows.get("ps") == [2] and "status 0" in out, repr(out))

        out = sh.run("cpu 1-3 spin & cpu 3 spin & sleep 1; ps") or ""
        rows = ps_rows(out)
        spins = sorted(rows.get("spin", []))
        record("scenario.smp_programs_run_where_pinned",
               len(spins) == 2 and 3 in spins and all(1 <= c <= 3 for c in spins), repr(out))

        out = sh.run("svc fault fs crash; sleep 1; ls /bin | grep -c spin; cat /etc/motd", timeout=60) or ""
        record("scenario.smp_server_restarts_while_others_run",
               "1\n" in out and "Welcome" in out, repr(out))
        out = sh.run("ps") or ""
        pids = ps_rows(out, 0).get("spin", [])
        record("scenario.smp_spinners_survive_the_restart", len(pids) == 2, repr(out))
        sh.run("kill %s; wait" % " ".join(map(str, pids)))

        out = sh.run("cpu 4 true; echo status $?") or ""
        record("scenario.smp_cpu_refuses_missing_cpu",
               "cpu: 4: not a list of CPUs 0..3" in out and "status 1" in out, repr(out))
        out = sh.run("cpu x,1 true; echo status $?") or ""
        record("scenario.smp_cpu_refuses_bad_list", "not a list of CPUs" in out and "status 1" in out,
               repr(out))
        out = sh.run("cpu; echo status $?") or ""
        record("scenario.smp_cpu_usage", "usage: cpu LIST cmd" in out and "status 1" in out, repr(out))
    finally:
        sh.type("poweroff\n")
        sh.wait_exit(30)
        sh.stop()
