"""Scenario tests of the pipe server's restart with its state (the pipe
table init keeps, servers/pipe/table.c): long pipelines run while pipe is
killed, crashed, hung and restarted again and again, and their output must
be exactly what the host computes; a reader blocked on an empty pipe and a
writer blocked on a full one carry on after the restart. A wild fault
(random registers and memory) promises no exact bytes: after one the
system carries on and, pipe restarted, pipes work."""
import re
import subprocess
import time

import scenario_restart

N = 400000                      # about 10 s of pipeline on one CPU


def host_cksum(text):
    out = subprocess.run(["cksum"], input=text.encode(), capture_output=True).stdout.decode()
    return out.split()[:2]


def seq_text(n):
    return "".join("%d\n" % i for i in range(1, n + 1))


def restarts_of(sh):
    out = sh.run("svc list", timeout=30) or ""
    for l in out.splitlines():
        f = l.split()
        if f and f[0] == "pipe":
            nums = [x for x in f[1:] if x.isdigit()]
            if len(nums) >= 2:
                return int(nums[1])
    return -1


def wait_restart(sh, start, count, timeout=30):
    """Waits until the log shows `count` pipe restarts after start."""
    end = time.time() + timeout
    while time.time() < end:
        if sh.text()[start:].count("init: pipe restarted") >= count:
            return True
        time.sleep(0.2)
    return False


def faults(sh, record, name, actions, pause):
    """Runs a long pipeline in the background, applies each action (a shell
    line that kills or faults pipe) with a pause between, and checks the
    pipeline's output against the host's."""
    want = host_cksum(seq_text(N))
    sh.run("rm -f /tmp/pc /tmp/pmark")
    start = len(sh.text())
    sh.run("(seq %d | cat | cksum > /tmp/pc; echo PIPELINE-END > /tmp/pmark) &" % N)
    time.sleep(pause)
    applied = 0
    for a in actions:
        line = a.replace("PID", scenario_restart.pid_of(sh, "pipe") or "none")
        sh.run(line, timeout=30)
        applied += 1
        wait_restart(sh, start, applied, timeout=30)
        time.sleep(pause)
    early = "PIPELINE-END" in (sh.run("cat /tmp/pmark", timeout=30) or "")
    record("scenario.pipe_%s_faults_hit_the_running_pipeline" % name, not early,
           "the pipeline ended before the last fault: make N larger")
    done = scenario_restart.wait_file(sh, "/tmp/pmark", "PIPELINE-END", timeout=300)
    got = (sh.run("cat /tmp/pc", timeout=30) or "").split()[:2]
    restarted = sh.text()[start:].count("init: pipe restarted")
    record("scenario.pipe_%s_pipeline_exact" % name, done and got == want,
           "finished %s, host %r, system %r, %d restarts; log tail %r"
           % (done, want, got, restarted, sh.text()[start:][-800:]))
    record("scenario.pipe_%s_restarted_every_time" % name, restarted >= len(actions),
           "%d restarts for %d faults" % (restarted, len(actions)))
    record("scenario.pipe_%s_no_pipe_dropped" % name, "failed the check" not in sh.text()[start:],
           sh.text()[start:][-600:])


def blocked_ends(sh, record):
    """A reader waits on an empty pipe and a writer on a full one while
    pipe restarts; both carry on with nothing lost or doubled."""
    sh.run("rm -f /tmp/late /tmp/full")
    start = len(sh.text())
    sh.run("(sleep 4; echo late) | cat > /tmp/late &")
    sh.run("(seq 30000; echo end) | (sleep 6; cksum) > /tmp/full &")
    time.sleep(1.5)
    sh.run("svc fault pipe crash")
    wait_restart(sh, start, 1)
    time.sleep(1)
    sh.run("kill %s" % (scenario_restart.pid_of(sh, "pipe") or "none"))
    wait_restart(sh, start, 2)
    ok = scenario_restart.wait_file(sh, "/tmp/late", "late", timeout=60)
    out = sh.run("cat /tmp/late", timeout=30) or ""
    record("scenario.pipe_blocked_reader_continues", ok and out.strip() == "late", repr(out))
    want = host_cksum(seq_text(30000) + "end\n")
    got = []
    end = time.time() + 60
    while time.time() < end and len(got) < 2:
        got = (sh.run("cat /tmp/full", timeout=30) or "").split()[:2]
        time.sleep(1)
    record("scenario.pipe_blocked_writer_continues", got == want,
           "host %r, system %r; log %r" % (want, got, sh.text()[start:][-600:]))


def wild(sh, record):
    """A wild fault (random registers and memory words) during a pipeline.
    What it does is chance: pipe may die of it (and is restarted) or serve
    on with a wrong register, so the pipeline's bytes are not checked (the
    other kinds above promise them exact); the system must carry on, and
    once pipe is restarted pipes work."""
    start = len(sh.text())
    sh.run("(seq %d | cat | cksum > /tmp/pw; echo W-END > /tmp/wmark) &" % (N // 4))
    time.sleep(1.0)
    sh.run("svc fault pipe wild 7", timeout=30)
    time.sleep(2.0)
    died = "init: pipe died" in sh.text()[start:]
    if not died:
        sh.run("svc restart pipe", timeout=30)
    restarted = wait_restart(sh, start, 1, timeout=60)
    out = sh.run("echo a b c | wc -w", timeout=60) or ""
    scenario_restart.wait_file(sh, "/tmp/wmark", "W-END", timeout=120)   # its job over
    sh.run("true", timeout=30)                      # and its "Done" said before what follows
    record("scenario.pipe_wild_then_pipes_work", restarted and out.split("\n")[0].strip() == "3",
           "died of it: %s; restarted: %s; %r" % (died, restarted, out))


def still_works(sh, record, name):
    out = sh.run("echo a b c | wc -w", timeout=30) or ""
    record("scenario.pipe_%s_then_pipes_work" % name, out.strip() == "3", repr(out))


def run_all(Shell, BUILD, record):
    sh = Shell()
    try:
        out = sh.run("seq 5 | cat | wc -l", timeout=30) or ""
        record("scenario.pipe_before_faults", out.strip() == "5", repr(out))
        faults(sh, record, "killed", ["kill PID", "kill PID", "kill PID"], 1.0)
        still_works(sh, record, "killed")
        faults(sh, record, "crashed", ["svc fault pipe crash"] * 4, 0.7)
        still_works(sh, record, "crashed")
        faults(sh, record, "mixed", ["svc restart pipe", "kill PID",
                                     "svc fault pipe crash", "svc fault pipe hang"], 1.0)
        still_works(sh, record, "mixed")
        wild(sh, record)
        blocked_ends(sh, record)
        out = sh.run("svc list", timeout=30) or ""
        record("scenario.pipe_listed_running", re.search(r"^pipe\s", out, re.M) is not None,
               repr(out))
        sh.type("poweroff\n")
        sh.wait_exit(60)
    finally:
        sh.stop()
