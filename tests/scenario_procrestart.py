"""Scenario tests of proc's restart with its state (the process table init
keeps, servers/proc/table.c, and the children's handles init keeps for
it): while jobs run and parents wait in waitpid, proc is killed, crashed,
hung and wild-faulted; every wait must get its exact answer, a zombie's
status must still be collected, ps must list the same pids and parents,
and spawning must still work."""
import os
import re
import shutil
import tempfile
import time

import scenario_net
import scenario_restart

# The shell says a background job ended before its next prompt, after the
# output of whatever command ran ("[2] Done  sh -c ..."): not the file's.
JOB_NOTICE = re.compile(r"\[\d+\] ")


def wait_restart(sh, start, timeout=40):
    end = time.time() + timeout
    while time.time() < end:
        if "init: proc restarted" in sh.text()[start:]:
            return True
        time.sleep(0.2)
    return False


def ps_table(sh):
    """pid -> (ppid, name) of the processes ps lists."""
    out = sh.run("ps", timeout=30) or ""
    rows = {}
    for l in out.splitlines():
        f = l.split()
        if len(f) >= 7 and f[0].isdigit() and f[1].isdigit():
            rows[f[0]] = (f[1], f[-1])
    return rows


def start_jobs(sh, n):
    """A parent blocked in waitpid on a sleeping child, a parent whose
    child becomes a zombie before it waits, and a plain background job."""
    sh.run("rm -f /tmp/pw%d /tmp/pz%d /tmp/pd%d" % (n, n, n))
    sh.run("sh -c 'sleep 3 & wait $!; echo waited $? > /tmp/pw%d' &" % n)
    sh.run("sh -c 'sh -c \"exit 5\" & sleep 4; wait $!; echo zombie $? > /tmp/pz%d' &" % n)
    sh.run("(sleep 2; echo done > /tmp/pd%d) &" % n)
    time.sleep(0.8)


def fault_once(sh, record, n, name, action):
    begin = len(sh.text())
    start_jobs(sh, n)
    before = ps_table(sh)
    start = len(sh.text())
    pid = scenario_restart.pid_of(sh, "proc") or "none"
    back = False
    for seed in range(7, 12):             # a wild fault may leave proc running: another
        sh.run(action.replace("PID", pid).replace("SEED", str(seed)), timeout=30)
        back = wait_restart(sh, start, 40 if "SEED" not in action else 3)
        if back or "SEED" not in action:
            break
    record("scenario.proc_%s_restarted" % name, back, sh.text()[begin:][-2500:])
    after = ps_table(sh)
    same = [p for p in before if p in after and before[p][1] != "proc"]
    wrong = [(p, before[p], after[p]) for p in same if before[p][0] != after[p][0]]
    record("scenario.proc_%s_ps_same_parents" % name, len(same) >= 3 and not wrong,
           "kept %r, wrong %r; before %r after %r" % (same, wrong, before, after))
    want = {"pw": "waited 0", "pz": "zombie 5", "pd": "done"}
    for f, text in want.items():
        ok = scenario_restart.wait_file(sh, "/tmp/%s%d" % (f, n), text, timeout=40)
        out = sh.run("cat /tmp/%s%d" % (f, n), timeout=30) or ""
        mine = "\n".join(l for l in out.splitlines() if not JOB_NOTICE.match(l))
        record("scenario.proc_%s_%s_exact" % (name, f), ok and mine.strip() == text,
               "%r; log %r" % (out, sh.text()[start:][-800:]))
    out = sh.run("echo spawn-ok; sh -c 'exit 3'; echo status $?", timeout=30) or ""
    record("scenario.proc_%s_then_spawn_works" % name,
           "spawn-ok" in out and "status 3" in out, repr(out))
    record("scenario.proc_%s_nothing_dropped" % name,
           "failed the check" not in sh.text()[start:] and "is lost" not in sh.text()[start:],
           sh.text()[start:][-600:])


def net_after_restart(Shell, BUILD, record):
    """net's notification for the deaths of processes with sockets (passed
    to proc once) survives proc's restart: a program killed afterwards in
    the middle of a connection still has it closed."""
    tmp = tempfile.mkdtemp()
    try:
        port = scenario_net.free_port()
        sh = Shell(disk=scenario_net.make_disk(BUILD, tmp), hostfwd=[(port, 7781)])
        try:
            start = len(sh.text())
            sh.run("sock_check serve 7781 &")         # net passes proc its notification
            sh.wait_for_from(start, "listening on 7781", 20)
            sh.run("kill $!")
            start = len(sh.text())
            sh.run("svc restart proc")
            record("scenario.proc_restart_before_net", wait_restart(sh, start),
                   sh.text()[start:][-600:])
            time.sleep(1)

            def renamed(name, ok, why=""):
                record(name.replace("scenario.net_", "scenario.proc_restarted_then_net_"), ok, why)
            scenario_net.killed_connection_closed(sh, renamed, port, 7781)
            sh.type("poweroff\n")
            sh.wait_exit(60)
        finally:
            sh.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(Shell, BUILD, record):
    net_after_restart(Shell, BUILD, record)
    sh = Shell()
    failed = []

    def check(name, ok, why=""):
        if not ok:
            failed.append(name)
        record(name, ok, why)
    try:
        out = sh.run("echo ready", timeout=30) or ""
        record("scenario.proc_before_faults", "ready" in out, repr(out))
        actions = [("killed", "kill PID"), ("crashed", "svc fault proc crash"),
                   ("hung", "svc fault proc hang"), ("wild", "svc fault proc wild SEED"),
                   ("restarted", "svc restart proc")]
        for n, (name, action) in enumerate(actions):
            fault_once(sh, check, n, name, action)
        out = sh.run("svc list", timeout=30) or ""
        record("scenario.proc_listed_running", re.search(r"^proc\s", out, re.M) is not None,
               repr(out))
        sh.type("poweroff\n")
        sh.wait_exit(60)
    finally:
        if failed:                               # the whole console, for a look
            with open(os.path.join(BUILD, "scenario_procrestart.log"), "w") as f:
                f.write(sh.text())
        sh.stop()
