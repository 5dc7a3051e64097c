"""Scenario tests of fault isolation: drivers and servers killed or faulted
in the middle of a workload come back, and the workload completes with
correct results."""
import os
import re
import shutil
import subprocess
import tempfile
import time

import scenario_disk

COPIES = 4


def workload_files():
    """A 1 MiB random file and a script that copies and cksums it in a loop."""
    lines = []
    for i in range(COPIES):
        lines.append("cp /home/r.bin /tmp/c%d" % i)
        lines.append("cksum < /tmp/c%d >> /tmp/sums" % i)
    lines.append("echo done > /tmp/finished")
    return {"home/r.bin": os.urandom(1 << 20), "home/work.sh": ("\n".join(lines) + "\n").encode()}


def numbered(n):
    return "".join("line %d of the console test\n" % i for i in range(n)).encode()


def pid_of(sh, name):
    out = sh.run("ps") or ""
    for l in out.splitlines():
        f = l.split()
        if len(f) >= 5 and f[-1] == name and f[0].isdigit():
            return f[0]
    return None


def wait_file(sh, path, want, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        out = sh.run("cat %s" % path, timeout=30)
        if out is not None and want in out:
            return True
        time.sleep(1)
    return False


def kill_during_workload(Shell, build, record, check):
    tmp = tempfile.mkdtemp()
    try:
        files = workload_files()
        files["home/lines.txt"] = numbered(400)
        img = scenario_disk.make_disk(build, tmp, files)
        data = files["home/r.bin"]
        with open(os.path.join(tmp, "r.bin"), "wb") as f:
            f.write(data)
        want = " ".join(scenario_disk.host_cksum(os.path.join(tmp, "r.bin")))
        for victim in ("fs", "ata", "console", "sh"):
            sh = Shell(disk=img)
            pid = pid_of(sh, victim)
            sh.run("sh /home/work.sh > /tmp/log &")
            time.sleep(1.5)
            sh.type("kill %s\n" % pid)
            if victim in ("sh", "console"):
                time.sleep(3)
            done = wait_file(sh, "/tmp/finished", "done")
            sums = sh.run("cat /tmp/sums", timeout=30) or ""
            got = [l.strip() for l in sums.splitlines() if re.match(r"^\d+ \d+$", l.strip())]
            ok = done and len(got) == COPIES and all(g == want for g in got)
            record("scenario.kill_%s_during_copy_loop_results_correct" % victim, ok,
                   "finished %s, host %r, system %r" % (done, want, sums[-400:]))
            out = sh.run("echo answering", timeout=30)
            record("scenario.kill_%s_shell_answers" % victim, check("answering", out), repr(out))
            if victim == "console":
                out = sh.run("cat /home/lines.txt", timeout=60) or ""
                record("scenario.console_back_prints_everything",
                       all(("line %d of" % i) in out for i in range(400)), out[-300:])
            sh.type("poweroff\n")
            sh.wait_exit(60)
            fsck = subprocess.run(["e2fsck", "-fn", sh.disk_copy], capture_output=True, text=True)
            sh.stop()
            record("scenario.kill_%s_image_clean" % victim, fsck.returncode == 0, fsck.stdout[-800:])
    finally:
        shutil.rmtree(tmp)


def supervisor_behaviour(Shell, record, check):
    sh = Shell()
    out = sh.run("kill 1")
    record("scenario.init_refuses_kill", out is not None and "refuse" in out, repr(out))
    start = len(sh.text())
    sh.run("svc restart proc")                      # proc restarts with its table now
    record("scenario.proc_restarts_on_request", sh.wait_for_from(start, "init: proc restarted", 30),
           sh.text()[start:][-600:])
    start = len(sh.text())
    sh.run("svc fault fs hang")
    found = sh.wait_for_from(start, "init: fs restarted", 30)
    record("scenario.hung_fs_detected_and_restarted", found, sh.text()[start:][-600:])
    line = [l for l in sh.text()[start:].splitlines() if "init: fs restarted" in l]
    record("scenario.restart_line_says_why_and_how_long",
           bool(line) and "hung" in line[0] and re.search(r"in \d+ ms", line[0]) is not None,
           repr(line))
    out = sh.run("ls /etc")
    record("scenario.fs_works_after_hang", check("motd", out), repr(out))
    start = len(sh.text())
    sh.run("svc fault ata crash")
    found = sh.wait_for_from(start, "init: ata restarted", 30)
    line = [l for l in sh.text()[start:].splitlines() if "init: ata restarted" in l]
    record("scenario.crash_line_names_exception_and_address",
           found and bool(line) and "exception 14 at 0" in line[0], repr(line))
    out = sh.run("svc list")
    rows = {l.split()[0]: l.split() for l in (out or "").splitlines()[1:] if l.split()}
    record("scenario.svc_list_counts_restarts",
           "fs" in rows and rows["fs"][3] == "1" and rows["ata"][3] == "1" and
           rows["console"][2] == "running", repr(out))
    sh.stop()


def chaos(Shell, build, record, seeds=(1, 2), faults=12):
    for seed in seeds:
        sh = Shell()
        out = sh.run("chaos -n %d -s %d; echo status $?" % (faults, seed), timeout=600)
        m = re.search(r"chaos: (\d+) faults, (\d+) restarts, (\d+) wrong results", out or "")
        ok = m is not None and m.group(1) == str(faults) and m.group(3) == "0" and "status 0" in out
        name = "scenario.chaos_%d_faults_seed_%d" % (faults, seed)
        record(name + "_no_wrong_results", ok, (out or "")[-800:])
        record(name + "_watchdog_quiet", re.search(r"chaos: \d+ CPUs?, 0 watchdog stalls", out or "")
               is not None, (out or "")[-800:])
        sh.type("poweroff\n")
        status = sh.wait_exit(60)
        fsck = subprocess.run(["e2fsck", "-fn", sh.disk_copy], capture_output=True, text=True)
        sh.stop()
        record(name + "_poweroff", status == 0, "status %s" % status)
        record(name + "_image_clean", fsck.returncode == 0, fsck.stdout[-800:])
