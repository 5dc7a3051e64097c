#!/usr/bin/env python3
"""make trace: records one command with the disk driver crashed in the
middle, and turns the dump into build/trace.json and build/trace.svg.

    tools/trace_run.py [--cmd 'cat /big.bin'] [--cpus N] [--delay S] [--out DIR]

It builds a disk image like the tests' (build/root plus /big.bin, 6 MiB
of text), boots build/os.iso in QEMU (user networking with restrict=on),
types at the shell

    (sleep DELAY; svc fault ata crash) & trace -b 16384 -o /trace.bin -- CMD | wc -c

(the output goes through a pipe to wc, so the command runs at the speed of
the disk, not of the serial console, and the crash lands in the middle of
its reads), waits for the dump, powers off, copies /trace.bin out of the image with
debugfs and runs tools/trace2json and tools/trace2svg on it. Prints the
paths it wrote; exit status 1 if a step failed. If the crash came after
the command had ended (a faster machine), it tries again with half the
delay, twice at most. tests/scenario_trace.py
runs this same script. Only the standard library; QEMU is ended by its
pid if it does not power off."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
sys.path.insert(0, os.path.join(ROOT, "tests"))
import run as harness                         # noqa: E402  the tests' QEMU driver
BIG_LINES = 98304                             # 64-byte lines: 6 MiB


def big_file():
    return "".join(("line %06d of /big.bin, read while the disk driver dies " % i).ljust(63, ".")
                   + "\n" for i in range(BIG_LINES)).encode()


def make_disk(tmp):
    """build/root plus /big.bin as a fresh image; returns its path."""
    root = os.path.join(tmp, "root")
    shutil.copytree(os.path.join(BUILD, "root"), root, symlinks=True)
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.write(big_file())
    img = os.path.join(tmp, "disk.img")
    subprocess.run(["sh", os.path.join(ROOT, "tools", "disk.sh"), "create", img, root],
                   check=True, stdout=subprocess.DEVNULL)
    return img


class Console(harness.Qemu):
    """QEMU as the tests run it (tests/run.py: the same flags, the serial
    console on a pipe), on the image itself rather than a copy, so that the
    dump can be copied out of it afterwards."""

    def __init__(self, img, cpus):
        harness.CPUS = cpus
        super().__init__(os.path.join(BUILD, "os.iso"),
                         extra=["-drive", "file=%s,format=raw,if=ide,index=0" % img])

    def wait_for(self, pattern, timeout, start=0):
        end = time.time() + timeout
        while time.time() < end:
            if pattern in self.text()[start:]:
                return True
            if self.proc.poll() is not None:
                return pattern in self.text()[start:]
            time.sleep(0.1)
        return False

    def type(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def stop(self):
        if self.wait_exit(60) is None:             # no poweroff: ended by its pid
            super().stop()
        self.reader.join(1)



def record(img, cmd, cpus, delay, log):
    """Boots, records cmd with ata crashed after delay seconds, powers
    off. Returns (error message or None, whether ata died before the
    command ended)."""
    q = Console(img, cpus)
    try:
        if not q.wait_for("$ ", 120):
            return "no shell prompt", False
        start = len(q.text())
        q.type("(sleep %s; svc fault ata crash) & trace -b 16384 -o /trace.bin -- %s | wc -c"
               % (delay, cmd))
        if not q.wait_for("trace: ", 600, start) or not q.wait_for(" records ", 60, start):
            return "no dump line from trace", False
        out = q.text()[start:]
        in_time = "init: ata died" in out[:out.index(" records ")]
        q.wait_for("restarted in", 30, start)
        q.type("poweroff")
        q.stop()
        return None, in_time
    finally:
        if q.proc.poll() is None:
            os.kill(q.proc.pid, 9)
            q.proc.wait()
        with open(log, "w") as f:
            f.write(q.text())


def copy_out(img, dst):
    """/trace.bin out of the image (debugfs); True if it is there."""
    if os.path.exists(dst):
        os.unlink(dst)
    subprocess.run(["debugfs", "-R", "dump /trace.bin %s" % dst, img],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.exists(dst) and os.path.getsize(dst) > 0


def convert(dump, out):
    """trace2json and trace2svg; returns (json path, svg path) or None."""
    paths = (os.path.join(out, "trace.json"), os.path.join(out, "trace.svg"))
    for tool, path in zip(("trace2json", "trace2svg"), paths):
        focus = ["--focus"] if tool == "trace2svg" else []
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", tool), dump, "-o", path]
                           + focus)
        if r.returncode != 0:
            return None
    return paths


def run(cmd="cat /big.bin", cpus=1, delay="0.3", out=BUILD):
    """The whole of make trace; returns (error or None, paths dict)."""
    tmp = tempfile.mkdtemp()
    try:
        img = make_disk(tmp)
        paths = {"log": os.path.join(out, "trace.log"), "dump": os.path.join(out, "trace.bin")}
        for attempt in range(3):
            err, in_time = record(img, cmd, cpus, delay, paths["log"])
            if err or in_time:
                break
            delay = "%g" % (float(delay) / 2)
            print("make trace: ata died after the command ended; again with --delay %s" % delay,
                  file=sys.stderr)
        if err:
            return err, paths
        if not copy_out(img, paths["dump"]):
            return "no /trace.bin in the disk image", paths
        got = convert(paths["dump"], out)
        if not got:
            return "a converter failed", paths
        paths["json"], paths["svg"] = got
        return None, paths
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmd", default="cat /big.bin")
    ap.add_argument("--cpus", type=int, default=1)
    ap.add_argument("--delay", default="0.3", help="seconds before ata is crashed")
    ap.add_argument("--out", default=BUILD)
    a = ap.parse_args()
    err, paths = run(a.cmd, a.cpus, a.delay, a.out)
    if err:
        print("make trace: %s (console log: %s)" % (err, paths.get("log")), file=sys.stderr)
        return 1
    for k in ("dump", "json", "svg"):
        print("wrote %s" % paths[k])
    return 0


if __name__ == "__main__":
    sys.exit(main())
