"""Scenario tests of code-level fault injection and of a fault campaign, on
check.iso (the normal system with the kernel's consistency check on):
`svc fault NAME code` changes one instruction of the service's program
(init names it) and the service keeps serving or is restarted; an injected
hang is found within half a second; after a code fault in the disk
driver fs restarts and checks the disk; `chaos -n 200 -p 1` over every
default target (console, ata, fs, pipe, e1000, net and its worker child) with
all five kinds (crash, hang, wild, code, kill) gives no wrong result, at
least 30 faults a minute, a consistent kernel, and an image that
e2fsck finds clean after poweroff."""
import os
import re
import subprocess
import time

FAULTS = 200
SEED = int(os.environ.get("CHAOS_SEED", "3"))    # another campaign: CHAOS_SEED=N tests/run.py ...
KINDS = ("crash", "hang", "wild", "code", "kill")
# Faults per minute the campaign must reach. Alone on this machine it makes
# 60 to 70; CI runs it on 4 virtual CPUs of a 2-core host beside other
# QEMUs, where the rate is the host's, not the system's: half is the floor.
MIN_RATE = 30


def code_faults(sh, record):
    start = len(sh.text())
    out = sh.run("svc fault ata code 5; svc fault fs code 6; svc fault console code 7; "
                 "echo status $?", timeout=30) or ""
    log = sh.text()[start:]
    lines = re.findall(r"init: code fault in (\w+): (bitflip|branch|nop|reg) at ([0-9a-f]+) in "
                       r"(\S+)", log)
    record("scenario.faults_code_fault_names_the_instruction",
           "status 0" in out and [l[0] for l in lines] == ["ata", "fs", "console"], repr(log[-800:]))
    out = sh.run("svc fault ata code 5 extra; svc fault ata nosuchkind; echo status $?") or ""
    record("scenario.faults_svc_fault_usage", "usage: svc" in out, repr(out))
    for _ in range(3):                                  # work for the changed code
        out = sh.run("cat /etc/motd; ls /bin | wc -l", timeout=60) or ""
    record("scenario.faults_system_works_after_code_faults", "Welcome." in out, repr(out))
    # the disk driver had a code fault: what fs wrote through it may be
    # wrong, and a journal replays wrong data as faithfully as right data,
    # so init restarts fs after it with "check" (its repair pass)
    start = len(sh.text())
    sh.run("svc restart ata", timeout=30)
    checked = sh.wait_for_from(start, "fs: checked the disk as init asked", 60)
    sh.wait_for_from(start, "init: fs restarted", 30)
    out = sh.run("cat /etc/motd", timeout=60) or ""
    log = sh.text()[start:]
    record("scenario.faults_disk_checked_after_faulty_driver",
           checked and "init: fs died (to check after a faulty driver)" in log
           and "Welcome." in out, log[-1000:])


def function_body(BUILD, prog, func):
    """objdump's listing of func in build/bin/prog ("" if not found)."""
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", os.path.join(BUILD, "bin", prog)],
                         capture_output=True, text=True).stdout
    return dis.split("<%s>:" % func, 1)[1].split("\n\n", 1)[0] if "<%s>:" % func in dis else ""


def inject_nop(sh, BUILD, prog, func, addr):
    """Makes the instruction at addr (in func of service prog) NOPs by a
    code fault; (start of its log, seed, True if init names it so)."""
    seed = subprocess.run([os.path.join(BUILD, "host", "codefault_find"),
                           os.path.join(BUILD, "bin", prog), "nop", addr or "0"],
                          capture_output=True, text=True).stdout.strip()
    start = len(sh.text())
    sh.run("svc fault %s code %s" % (prog, seed), timeout=30)
    named = "init: code fault in %s: nop at %s in %s" % (prog, addr, func) in sh.text()[start:]
    return start, seed, bool(addr and seed and named)


def icr_read(BUILD):
    """The address of e1000_irq's load of the interrupt cause register
    (offset 0xc0), the read that clears the device's cause."""
    m = re.search(r"^\s*([0-9a-f]+):\s+mov\s+0xc0\(", function_body(BUILD, "e1000", "e1000_irq"),
                  re.M)
    return m.group(1) if m else None


def interrupt_storm(sh, record, BUILD):
    """The e1000 driver with its read of the interrupt cause made a no-op
    (a code fault): it acknowledges the level interrupt without clearing
    the device's cause, so the line fires again the moment it is unmasked
    and the driver, above every program, never blocks. The kernel
    throttles the line; the shell still answers; a restart heals it."""
    end = time.time() + 30                  # the address from DHCP first: a ping answers
    while time.time() < end and "(dhcp)" not in (sh.run("ifconfig eth0") or ""):
        time.sleep(0.5)
    addr = icr_read(BUILD)
    start, seed, injected = inject_nop(sh, BUILD, "e1000", "e1000_irq", addr)
    sh.run("ping -c 1 -W 2 10.0.2.2", timeout=60)      # its reply interrupts
    out = sh.run("echo alive; ls /bin | wc -l", timeout=60) or ""
    log = sh.text()[start:]
    record("scenario.faults_irq_storm_throttled",
           injected and "alive" in out
           and re.search(r"\[kernel\] irq \d+: interrupt storm", log) is not None,
           repr((addr, seed, log[-600:])))
    start = len(sh.text())
    sh.run("svc restart e1000", timeout=30)
    sh.wait_for_from(start, "init: e1000 restarted", 30)
    out = sh.run("ping -c 1 -W 5 10.0.2.2; echo status $?", timeout=60) or ""
    record("scenario.faults_irq_storm_healed_by_restart",
           "1 packets transmitted, 1 received" in out and "status 0" in out, repr(out))


def wnohang_load(BUILD):
    """The address in proc's op_wait of the load of the request's flags
    word (rq->w1, at 0x10) that the WNOHANG test (and $0x1) reads next."""
    m = re.search(r"^\s*([0-9a-f]+):\s+mov\s+0x10\(%r\w+\),(%r\w+)\n(?:.*\n){0,3}?.*\band\s+\$0x1,",
                  function_body(BUILD, "proc", "op_wait"), re.M)
    return m.group(1) if m else None


def wnohang_bounded(sh, record, BUILD):
    """proc with the load of a wait's flags made a no-op (a code fault
    found by the 10,000-fault campaign): a WNOHANG wait, which the shell
    makes before each prompt while a job runs, is held like a blocking
    one, and proc still answers init's pings. The caller gives up after
    10 s (ETIMEDOUT) instead of waiting as long as the child runs; a
    restart of proc heals it."""
    addr = wnohang_load(BUILD)
    start, seed, injected = inject_nop(sh, BUILD, "proc", "op_wait", addr)
    t0 = time.time()
    sh.run("sleep 40 &", timeout=60)
    out = sh.run("echo alive", timeout=60) or ""
    waited = time.time() - t0
    record("scenario.faults_wnohang_wait_bounded",
           injected and "alive" in out and waited < 35,
           repr((addr, seed, round(waited, 1), sh.text()[start:][-600:])))
    sh.run("svc restart proc", timeout=30)
    sh.wait_for_from(start, "init: proc restarted", 30)
    time.sleep(max(0, 42 - (time.time() - t0)))     # the job over while the shell idles
    out = sh.run("echo a b | wc -w", timeout=60) or ""
    record("scenario.faults_wnohang_healed_by_restart", "2" in out.split(), repr(out))


def hang_found_fast(sh, record):
    times = []
    for name in ("ata", "console", "fs"):
        start = len(sh.text())
        sh.run("svc fault %s hang" % name)
        if sh.wait_for_from(start, "init: %s found hung " % name, 20):
            m = re.search(r"init: %s found hung (\d+) ms" % name, sh.text()[start:])
            times.append(int(m.group(1)))
        sh.wait_for_from(start, "init: %s restarted" % name, 20)
    record("scenario.faults_hang_found_within_500ms",
           len(times) == 3 and sorted(times)[1] <= 500 and max(times) <= 800, repr(times))


def campaign(sh, record):
    start = len(sh.text())
    out = sh.run("chaos -n %d -s %d -p 1; echo status $?" % (FAULTS, SEED), timeout=900) or ""
    log = sh.text()[start:]
    if os.environ.get("CHAOS_LOG"):                 # the whole campaign, to look at
        with open(os.environ["CHAOS_LOG"], "w") as f:
            f.write(log)
    m = re.search(r"chaos: (\d+) faults, (\d+) restarts, (\d+) wrong results, (\d+) faults per "
                  r"minute", out)
    record("scenario.faults_campaign_no_wrong_results",
           m is not None and m.group(1) == str(FAULTS) and m.group(3) == "0" and "status 0" in out,
           out[-1200:])
    record("scenario.faults_campaign_rate",
           m is not None and int(m.group(4)) >= MIN_RATE, m.group(0) if m else out[-400:])
    k = re.search(r"chaos: by kind: (.*)", out)
    counts = dict(re.findall(r"(\w+) (\d+)", k.group(1))) if k else {}
    record("scenario.faults_campaign_all_kinds",
           all(int(counts.get(kind, 0)) > 0 for kind in KINDS), repr(counts))
    hit = {t for t in ("console", "ata", "fs", "pipe", "e1000", "net", "proc")
           if re.search(r"init: (%s died|code fault in %s:)" % (t, t), log)}
    record("scenario.faults_campaign_all_targets",
           len(hit) == 7 and int(counts.get("kill", 0)) > 0, repr(sorted(hit)))
    record("scenario.faults_campaign_kernel_consistent",
           "chaos: kernel check: consistent" in out, out[-600:])
    record("scenario.faults_campaign_watchdog_quiet",
           re.search(r"chaos: \d+ CPUs?, 0 watchdog stalls", out) is not None, out[-600:])


def run_all(Shell, BUILD, record):
    sh = Shell(iso=os.path.join(BUILD, "check.iso"))
    if not sh.ready:
        record("scenario.faults_boot", False, sh.text()[-1500:])
        sh.stop()
        return
    code_faults(sh, record)
    interrupt_storm(sh, record, BUILD)
    wnohang_bounded(sh, record, BUILD)
    hang_found_fast(sh, record)
    campaign(sh, record)
    sh.type("poweroff\n")
    status = sh.wait_exit(60)
    fsck = subprocess.run(["e2fsck", "-fn", sh.disk_copy], capture_output=True, text=True)
    sh.stop()
    record("scenario.faults_poweroff", status == 0, "status %s" % status)
    record("scenario.faults_image_clean", fsck.returncode == 0, fsck.stdout[-800:])
