#!/usr/bin/env python3
"""make chaos FAULTS=N SEED=S: a fault campaign driven from the host.

Boots build/check.iso (the kernel's consistency check on) with a disk image
of its own, runs `chaos` at the shell in chunks of CHUNK faults (each chunk
with its own seed derived from S), and adds up their summary lines. When
the system stops answering (no summary within the chunk's time, QEMU gone)
that is a system failure: QEMU is ended by its pid, the image is checked
and the system booted again, and the campaign goes on. After each chunk
the system is powered off, the image checked with `e2fsck -fn` and the
system booted again; so after a failure, and at the end.
The serial output of every boot goes to build/chaos-serial.log.
The last line: faults, restarts, wrong results, system failures, e2fsck.
Exit status 0 only if there were no wrong results, no system failures, no
kernel check problems and e2fsck found every image clean.
Only the standard library is used."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import run  # noqa: E402  (the QEMU driver of the test suite)

SUMMARY = re.compile(r"chaos: (\d+) faults, (\d+) restarts, (\d+) wrong results"
                     r"(?:, (\d+) faults per minute, (\d+) worker calls failed, "
                     r"(\d+) caught under code faults(?:, (\d+) healed)?)?")


class System(run.Shell):
    """The system booted from check.iso on image (used in place, not copied)."""

    def __init__(self, iso, image):
        run.Qemu.__init__(self, iso, ["-drive", "file=%s,format=raw,if=ide,index=0" % image])
        self.ready = self.wait_for(self.PROMPT, 120)


def fsck(image):
    """e2fsck -fn on image: (clean, last lines of its report). An image left
    with its journal to replay (QEMU killed, no sync) is checked as a copy
    on which e2fsck -fy replayed the journal first."""
    h = subprocess.run(["dumpe2fs", "-h", image], capture_output=True, text=True)
    copy = None
    if "needs_recovery" in h.stdout:
        copy = image + ".replayed"
        shutil.copy(image, copy)
        subprocess.run(["e2fsck", "-fy", copy], capture_output=True, text=True)
    p = subprocess.run(["e2fsck", "-fn", copy or image], capture_output=True, text=True)
    if copy:
        os.unlink(copy)
    return p.returncode == 0, (p.stdout + p.stderr)[-600:]


class Totals:
    def __init__(self):
        self.faults = self.restarts = self.wrong = self.failed_calls = self.caught = 0
        self.healed = 0
        self.system_failures = self.kcheck_problems = self.fsck_runs = self.fsck_unclean = 0
        self.seconds = 0.0

    def add(self, m, out, seconds):
        self.faults += int(m.group(1))
        self.restarts += int(m.group(2))
        self.wrong += int(m.group(3))
        self.failed_calls += int(m.group(5) or 0)
        self.caught += int(m.group(6) or 0)
        self.healed += int(m.group(7) or 0)
        self.seconds += seconds
        k = re.search(r"chaos: kernel check: (.*)", out)
        if k and k.group(1).strip() != "consistent":
            self.kcheck_problems += 1
            print("make chaos: kernel check: %s" % k.group(1), flush=True)

    def check_image(self, image, when):
        clean, report = fsck(image)
        self.fsck_runs += 1
        if not clean:
            self.fsck_unclean += 1
            print("make chaos: e2fsck %s:\n%s" % (when, report), flush=True)

    def line(self):
        rate = self.faults / self.seconds if self.seconds else 0.0
        fsck_word = "clean" if not self.fsck_unclean else \
            "%d of %d unclean" % (self.fsck_unclean, self.fsck_runs)
        return ("chaos: %d faults, %d restarts, %d wrong results, %d system failures, "
                "e2fsck %s (%d checks), %d kernel check problems, %d worker calls failed, "
                "%d caught under code faults, %d healed, %.2f faults per second"
                % (self.faults, self.restarts, self.wrong, self.system_failures, fsck_word,
                   self.fsck_runs, self.kcheck_problems, self.failed_calls, self.caught,
                   self.healed, rate))


def keep_log(sh, path):
    """Appends what the system printed in this boot to path."""
    with open(path, "a") as f:
        f.write(sh.text())
        f.write("\n==== (end of a boot) ====\n")


def boot(iso, image, t):
    """Boots until the prompt answers; a boot that does not is a failure."""
    for _ in range(3):
        sh = System(iso, image)
        if sh.ready:
            return sh
        print("make chaos: no prompt after boot:\n%s" % sh.text()[-1500:], flush=True)
        sh.stop()
        t.system_failures += 1
        t.check_image(image, "after a boot that failed")
    return None


def poweroff(sh, t, log):
    """Powers the system off from its shell (a QEMU that does not exit
    within a minute is a system failure) and keeps its output."""
    sh.type("poweroff\n")
    if sh.wait_exit(60) is None:
        t.system_failures += 1
        print("make chaos: poweroff did not end QEMU:\n%s" % sh.text()[-1500:], flush=True)
    keep_log(sh, log)
    sh.stop()


def campaign(args):
    t = Totals()
    t.check_image(args.image, "before the campaign")
    sh = boot(args.iso, args.image, t)
    chunk = 0
    while sh and t.faults < args.faults:
        n = min(args.chunk, args.faults - t.faults)
        seed = args.seed * 100003 + chunk
        chunk += 1
        cmd = "chaos -n %d -s %d -p 1" % (n, seed)
        start = time.time()
        out = sh.run(cmd, timeout=90 + 3 * n) or ""
        m = SUMMARY.search(out)
        for line in out.splitlines():
            if line.startswith("chaos: wrong result"):
                print("make chaos: %s" % line, flush=True)
        if m:
            t.add(m, out, time.time() - start - 4)       # chaos waits 4 s at its end
            print("make chaos: %s -> %s" % (cmd, m.group(0)), flush=True)
            if t.faults < args.faults:                   # the image checked after each chunk
                poweroff(sh, t, args.log)
                t.check_image(args.image, "after `%s`" % cmd)
                sh = boot(args.iso, args.image, t)
            continue
        t.system_failures += 1
        print("make chaos: the system stopped answering during `%s`:\n%s"
              % (cmd, sh.text()[-2000:]), flush=True)
        keep_log(sh, args.log)
        sh.stop()
        t.check_image(args.image, "after a system failure")
        sh = boot(args.iso, args.image, t)
    if sh:
        poweroff(sh, t, args.log)
    t.check_image(args.image, "at the end")
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faults", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=250, help="faults per chaos run")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--iso", default=os.path.join(run.BUILD, "check.iso"))
    ap.add_argument("--image", default=os.path.join(run.BUILD, "chaos-disk.img"))
    ap.add_argument("--log", default=os.path.join(run.BUILD, "chaos-serial.log"),
                    help="the serial output of every boot")
    args = ap.parse_args()
    open(args.log, "w").close()
    run.CPUS = args.cpus
    t = campaign(args)
    print(t.line())
    bad = t.wrong or t.system_failures or t.kcheck_problems or t.fsck_unclean
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
