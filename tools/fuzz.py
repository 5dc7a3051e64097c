#!/usr/bin/env python3
"""make fuzz: boots the system in QEMU, runs `fuzz -n CALLS -s SEED` at the
shell (default 1,000,000 calls, seed 1; FUZZ_CALLS and FUZZ_SEED change
them), then checks that the shell still answers, the file system serves
`ls /` and a file, and no kernel panic appeared on the serial line.
QEMU is ended by its pid. Only the standard library is used."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import run  # noqa: E402  (the QEMU driver of the test suite)


def main():
    calls = int(os.environ.get("FUZZ_CALLS", "1000000"))
    seed = int(os.environ.get("FUZZ_SEED", "1"))
    run.CPUS = 4                              # with 4 CPUs (and the watchdog in fuzz)
    sh = run.Shell()
    failures = []
    if not sh.ready:
        print("make fuzz: no shell prompt:\n%s" % sh.text()[-2000:])
        sh.stop()
        sys.exit(1)
    t0 = time.time()
    out = sh.run("fuzz -n %d -s %d" % (calls, seed), timeout=3600) or ""
    took = time.time() - t0
    summary = [l for l in out.splitlines() if l.startswith("fuzz: ") and " calls, " in l]
    print(summary[-1] if summary else "make fuzz: no summary line:\n%s" % out[-2000:])
    print("make fuzz: %d calls in %.0f s" % (calls, took))
    if not summary:
        failures.append("no summary line")
    elif ("fuzz: %d calls," % calls) not in summary[-1] or " 0 wrong results" not in summary[-1] \
            or " 0 processes leaked" not in summary[-1]:
        failures.append("summary: " + summary[-1])
    if "fuzz: 4 CPUs, 0 watchdog stalls" not in out:
        failures.append("watchdog: a CPU stopped taking timer interrupts, or fewer than 4 CPUs")
    checks = [("echo alive", "alive\n"), ("ls /", "bin\n"), ("cat /etc/motd", "Welcome."),
              ("ps", " sh\n")]
    for line, want in checks:
        got = sh.run(line, timeout=60)
        ok = got is not None and want in got
        print("%-14s %s" % (line, "ok" if ok else "FAILED: %r" % got))
        if not ok:
            failures.append(line)
    text = sh.text()
    sh.stop()
    if "KERNEL PANIC" in text:
        failures.append("kernel panic")
        print(text[text.find("KERNEL PANIC") - 200:][:3000])
    stuck = [l for l in text.splitlines() if "stuck in call" in l]
    for l in stuck[:10]:
        print(l)
    print("make fuzz: %s" % ("passed" if not failures else "FAILED: " + ", ".join(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
