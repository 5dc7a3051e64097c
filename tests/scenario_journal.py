"""Scenario tests of the fs journal: fs crashed (svc fault fs crash) and
killed over and over in the middle of a copy loop on a journaled disk. Each
new fs must replay the journal (its log says so) and never run the full
repair; every copy must have the host's checksum; after poweroff the
journal is empty and e2fsck -fn finds the image clean. Then QEMU itself is
killed in the middle of writes: the image needs recovery, e2fsck -fy on a
copy replays the journal and -fn is clean afterwards, and the next boot's fs
replays it too."""
import os
import re
import shutil
import subprocess
import tempfile
import time

import scenario_disk
from scenario_restart import pid_of, wait_file

COPIES = 16
CRASHES = 6


def files():
    lines = []
    for i in range(COPIES):
        lines.append("cp /home/r.bin /tmp/c%d" % i)
        lines.append("cksum < /tmp/c%d >> /tmp/sums" % i)
    lines.append("echo done > /tmp/finished")
    return {"home/r.bin": os.urandom(384 << 10), "home/work.sh": ("\n".join(lines) + "\n").encode()}


def needs_recovery(img):
    p = subprocess.run(["dumpe2fs", "-h", img], capture_output=True, text=True)
    return "needs_recovery" in p.stdout


def fsck_after_replay(img):
    """e2fsck -fy on a copy (replays the journal), then -fn on the copy."""
    copy = img + ".replayed"
    shutil.copy(img, copy)
    subprocess.run(["e2fsck", "-fy", copy], capture_output=True, text=True)
    p = subprocess.run(["e2fsck", "-fn", copy], capture_output=True, text=True)
    os.unlink(copy)
    return p.returncode == 0, p.stdout[-800:]


SERVICE_LINE = re.compile(r"(init|net|e1000|ata|fs|console|pipe|proc): [^\n]*\n")


def crashes_during_copies(Shell, build, record, tmp):
    f = files()
    img = scenario_disk.make_disk(build, tmp, f)
    with open(os.path.join(tmp, "r.bin"), "wb") as out:
        out.write(f["home/r.bin"])
    want = " ".join(scenario_disk.host_cksum(os.path.join(tmp, "r.bin")))
    sh = Shell(disk=img)
    start = len(sh.text())
    sh.run("sh /home/work.sh > /tmp/log &")
    for i in range(CRASHES):
        time.sleep(1.0)
        sh.run("echo %d >> /tmp/marks" % i)   # a transaction, whatever the copies do now
        at = len(sh.text())
        if i % 2 == 0:
            sh.type("svc fault fs crash\n")
        else:
            pid = pid_of(sh, "fs")
            sh.type("kill %s\n" % pid)
        sh.wait_for_from(at, "init: fs restarted", 30)   # this one's restart
        time.sleep(0.5)
    done = wait_file(sh, "/tmp/finished", "done", timeout=180)
    sums = sh.run("cat /tmp/sums", timeout=30) or ""
    sums = SERVICE_LINE.sub("", sums)         # a service's line may land inside one of ours
    got = [l.strip() for l in sums.splitlines() if re.match(r"^\d+ \d+$", l.strip())]
    record("scenario.journal_copies_right_after_fs_crashes",
           done and len(got) == COPIES and all(g == want for g in got),
           "finished %s, host %r, system %r" % (done, want, sums[-600:]))
    log = sh.text()[start:]
    restarts = log.count("init: fs restarted")
    replays = re.findall(r"fs: journal replayed: (\d+) transactions", log)
    empty = log.count("fs: journal empty: nothing to replay")
    busy = len([n for n in replays if int(n) > 0])
    record("scenario.journal_every_fs_restart_replays",
           restarts >= CRASHES and len(replays) + empty == restarts and busy >= 1,
           "%d restarts, %d replays (%d with transactions), %d empty:\n%s"
           % (restarts, len(replays), busy, empty, log[-1500:]))
    record("scenario.journal_no_full_repair", "fs: repaired after an unclean stop" not in log and
           "journal refused" not in log, log[-1500:])
    sh.type("poweroff\n")
    status = sh.wait_exit(60)
    fsck = subprocess.run(["e2fsck", "-fn", sh.disk_copy], capture_output=True, text=True)
    clean_flag = not needs_recovery(sh.disk_copy)
    sh.stop()
    record("scenario.journal_poweroff_leaves_journal_empty", status == 0 and clean_flag,
           "status %s, needs_recovery %s" % (status, not clean_flag))
    record("scenario.journal_image_clean_after_crashes", fsck.returncode == 0, fsck.stdout[-800:])


def qemu_killed_during_writes(Shell, build, record, tmp):
    img = scenario_disk.make_disk(build, tmp, files())
    sh = Shell(disk=img)
    sh.run("sh /home/work.sh > /tmp/log &")
    time.sleep(3)
    sh.stop(keep_disk=True)                          # QEMU killed: no sync
    left = sh.disk_copy
    record("scenario.journal_qemu_kill_leaves_recovery_flag", needs_recovery(left), "")
    ok, report = fsck_after_replay(left)
    record("scenario.journal_e2fsck_replays_our_journal", ok, report)
    sh2 = Shell(disk=left)
    start = 0
    out = sh2.run("ls /tmp", timeout=60) or ""
    log = sh2.text()[start:]
    record("scenario.journal_boot_after_kill_replays",
           "fs: journal replayed" in log and "repaired after" not in log and "c0" in out, log[-1500:])
    sh2.type("poweroff\n")
    sh2.wait_exit(60)
    fsck = subprocess.run(["e2fsck", "-fn", sh2.disk_copy], capture_output=True, text=True)
    sh2.stop()
    os.unlink(left)
    record("scenario.journal_image_clean_after_qemu_kill", fsck.returncode == 0, fsck.stdout[-800:])


def run_all(Shell, build, record):
    tmp = tempfile.mkdtemp()
    try:
        for name, part in (("crashes", crashes_during_copies), ("kill", qemu_killed_during_writes)):
            os.mkdir(os.path.join(tmp, name))
            part(Shell, build, record, os.path.join(tmp, name))
    finally:
        shutil.rmtree(tmp)
