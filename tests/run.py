#!/usr/bin/env python3
"""Runs every test: host unit tests, the in-system tests (booted in QEMU)
and scenario tests that drive the system over its serial console.

Each test is one line "ok NAME" or "not ok NAME: why"; the last line is
"N passed, N failed" and the exit status is 1 if anything failed.
Only the standard library is used. QEMU processes are ended by their pid."""
import codecs
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
QEMU = ["qemu-system-x86_64", "-m", "1G", "-no-reboot", "-display", "none", "-serial", "stdio",
        "-nic", "user,model=e1000,restrict=on"]   # the network rule: no way out
DRIVE_OPTS = ""
CPUS = 1                                     # -smp; `tests/run.py cpus=4 ...` changes it

results = []


def record(name, ok, why=""):
    if CPUS != 1:
        name = "cpus%d.%s" % (CPUS, name)   # the same test on several CPUs
    results.append((name, ok))
    print(("ok %s" % name) if ok else ("not ok %s: %s" % (name, why)), flush=True)


class Qemu:
    """One QEMU run with the serial console on a pipe."""

    def __init__(self, iso, extra=(), disk=None, hostfwd=(), guestfwd=(), nic_id=None):
        """disk: an image to boot with; a private copy is used (and kept
        in self.disk_copy) so the original stays fresh. hostfwd: (host
        port, guest port) pairs forwarded from 127.0.0.1 to the guest.
        guestfwd: (guest address, guest port, host port) triples: the
        guest's connections to that address and port reach 127.0.0.1:host
        port (a server the test runs) through tests/fwd_relay.py. nic_id
        names the network back end (for a -object filter-* in extra)."""
        self.disk_copy = None
        cmd = list(QEMU)
        nic = cmd.index("-nic") + 1
        cmd[nic] += ",id=%s" % nic_id if nic_id else ""
        cmd[nic] += "".join(",hostfwd=tcp:127.0.0.1:%d-:%d" % f for f in hostfwd)
        relay = os.path.join(ROOT, "tests", "fwd_relay.py")   # one per connection
        cmd[nic] += "".join(",guestfwd=tcp:%s:%d-cmd:%s %s %d" % (a, p, sys.executable, relay, h)
                            for a, p, h in guestfwd)
        if disk:
            fd, self.disk_copy = tempfile.mkstemp(suffix=".img")
            os.close(fd)
            shutil.copy(disk, self.disk_copy)
            extra = list(extra) + ["-drive", "file=%s,format=raw,if=ide,index=0%s"
                                   % (self.disk_copy, DRIVE_OPTS)]
        self.proc = subprocess.Popen(cmd + ["-smp", str(CPUS), "-cdrom", iso] + list(extra),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.out = bytearray()
        self.lock = threading.Lock()
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._text, self._decoded = "", 0    # text() of out[:_decoded]
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                break
            with self.lock:
                self.out += chunk

    def text(self):
        """Everything QEMU printed so far, without carriage returns. Only
        what came since the last call is decoded: the tests call this many
        times a second, and a slow reader would leave QEMU's serial port
        (and so the console driver) waiting on a full pipe."""
        with self.lock:
            new = bytes(self.out[self._decoded:])
            self._decoded = len(self.out)
            self._text += self._decoder.decode(new).replace("\r", "")
            return self._text

    def wait_for(self, pattern, timeout):
        """True once pattern has appeared in the output."""
        end = time.time() + timeout
        while time.time() < end:
            if pattern in self.text():
                return True
            if self.proc.poll() is not None:
                self.reader.join(1)
                return pattern in self.text()
            time.sleep(0.05)
        return False

    def wait_for_from(self, start, pattern, timeout):
        """True once pattern appears in the output after position start."""
        end = time.time() + timeout
        while time.time() < end:
            if pattern in self.text()[start:]:
                return True
            time.sleep(0.1)
        return False

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, keep_disk=False):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, 9)       # this QEMU only, by its pid
            self.proc.wait()
        self.reader.join(1)
        if self.disk_copy and not keep_disk:
            os.unlink(self.disk_copy)
            self.disk_copy = None


class Shell(Qemu):
    """Drives the shell over the serial console as a person would: waits
    for the prompt, types a line, returns what the command printed."""

    PROMPT = "$ "

    def __init__(self, iso=None, extra=(), disk=None, hostfwd=(), guestfwd=(), nic_id=None):
        super().__init__(iso or os.path.join(BUILD, "os.iso"), extra,
                         disk or os.path.join(BUILD, "test-disk.img"), hostfwd, guestfwd, nic_id)
        self.ready = self.wait_for(self.PROMPT, 60)

    def type(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    # Lines the services print on their own (restarts, the network coming
    # back) may land after the prompt: they do not hide it.
    LOG_LINE = re.compile(r"(init|net|e1000|ata|fs|console|pipe|proc): [^\n]*\n\Z")

    # A service's whole line, wherever it landed (inside the echo of a
    # typed line, say: the console echoes as the keys come).
    SERVICE_LINE = re.compile(r"(init|net|e1000|ata|fs|console|pipe|proc): [^\n]*\n")

    def unsplit_echo(self, out, line):
        """out with the service line that landed inside the echo of line
        taken out, if one did; else out."""
        if out.partition("\n")[0].rstrip("\r") == line:
            return out
        for m in self.SERVICE_LINE.finditer(out, 0, len(line) + 400):
            joined = out[:m.start()] + out[m.end():]
            if joined.partition("\n")[0].rstrip("\r") == line:
                return joined
        return out

    def run(self, line, timeout=30):
        """Types line + Enter; returns the output up to the next prompt."""
        start = len(self.text())
        self.type(line + "\n")
        end = time.time() + timeout
        while time.time() < end:
            out = self.unsplit_echo(self.text()[start:], line)
            head, sep, rest = out.partition("\n")        # the echoed line
            while sep and not rest.endswith(self.PROMPT):
                m = self.LOG_LINE.search(rest)
                before = rest[:m.start()] if m else ""
                if not before.endswith((self.PROMPT, "\n")):
                    break
                rest = before
            if sep and rest.endswith(self.PROMPT):
                return rest[:-len(self.PROMPT)]
            if self.proc.poll() is not None:
                return rest
            time.sleep(0.05)
        return None


def record_lines(p, prefix, name):
    """Records the ok / not ok lines a finished test program printed; a
    failing exit without any "not ok" line counts as one failure."""
    lines = [l for l in p.stdout.splitlines() if l.startswith(("ok ", "not ok "))]
    for l in lines:
        if l.startswith("ok "):
            record(prefix + l[3:].strip(), True)
        else:
            n, _, why = l[7:].partition(":")
            record(prefix + n.strip(), False, why.strip())
    if p.returncode != 0 and not any(l.startswith("not ok") for l in lines):
        record(prefix + name, False, "exit status %d: %s" % (p.returncode, p.stderr[-500:]))


def host_tests():
    for exe in sorted(glob.glob(os.path.join(BUILD, "host", "test_*"))):
        if exe.endswith(".d") or not os.access(exe, os.X_OK):
            continue
        name = os.path.basename(exe)
        try:                                 # a loaded machine is slow: minutes, not seconds
            p = subprocess.run([exe], capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            record("host.%s" % name, False, "did not end within 600 s")
            continue
        record_lines(p, "host.", name)


def program_host_tests():
    """The user programs built for the host, compared with coreutils."""
    p = subprocess.run(["sh", os.path.join(ROOT, "tests/host/programs/run_text2_tests.sh")],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    record_lines(p, "host.", "programs_text2")
    p = subprocess.run(["sh", os.path.join(ROOT, "tests/host/programs/run_host_tests.sh")],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    record_lines(p, "host.", "programs")
    p = subprocess.run(["sh", os.path.join(ROOT, "tests/host/programs/run_text_tests.sh")],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    record_lines(p, "host.", "text_programs")


def system_tests(iso="test.iso", prefix="system."):
    """The in-system tests; run twice, with the IPC fast path and without."""
    q = Qemu(os.path.join(BUILD, iso))
    done = q.wait_for("ktest: done", 300)
    status = q.wait_exit(30) if done else None
    q.stop()
    out = q.text()
    for line in out.splitlines():
        if line.startswith("ok system."):
            record(prefix + line[10:].strip(), True)
        elif line.startswith("not ok system."):
            n, _, why = line[14:].partition(":")
            record(prefix + n.strip(), False, why.strip())
    record(prefix + "completes_and_powers_off", done and status == 0,
           "ktest did not finish (status %s); output tail:\n%s" % (status, out[-1500:]))
    record(prefix + "no_kernel_panic", "KERNEL PANIC" not in out, out[-1500:])


def scenario_boot():
    """`make run`'s image: the banner and init appear within seconds."""
    q = Qemu(os.path.join(BUILD, "os.iso"))
    t0 = time.time()
    ok = q.wait_for("init: started", 30)
    took = time.time() - t0
    q.stop()
    out = q.text()
    record("scenario.boot_banner", "microkernel x86-64: booting" in out, out[-800:])
    record("scenario.init_starts", ok, "after %.1f s:\n%s" % (took, out[-800:]))


def scenario_shell():
    """Every shell feature, typed at the prompt."""
    import scenario_shell
    sh = Shell()
    if not sh.ready:
        record("scenario.shell_prompt", False, sh.text()[-1500:])
        sh.stop()
        return
    scenario_shell.run_cases(sh, record)
    scenario_shell.run_editing(sh, record)
    scenario_shell.run_special(sh, record)
    sh.stop()


def scenario_piped_session():
    """The issue's example: a whole session piped into the console at once,
    ending with poweroff, which must end QEMU with status 0."""
    q = Qemu(os.path.join(BUILD, "os.iso"), disk=os.path.join(BUILD, "test-disk.img"))
    q.proc.stdin.write(b"echo hello\nhello\nps\necho a b c | wc -w\npoweroff\n")
    q.proc.stdin.flush()
    status = q.wait_exit(60)
    q.stop()
    out = q.text()
    after = (out[out.find("$ "):] if "$ " in out else "").replace("$ ", "\n")
    ok = ("\nhello\n" in after and "hello, world" in after and "\n3\n" in after and
          all(n in after for n in (" init", " proc", " console", " sh")))
    record("scenario.piped_session_output", ok, out[-2000:])
    record("scenario.poweroff_exits_zero", status == 0, "status %s" % status)


def scenario_user_program():
    """A program built with tools/cc and added with EXTRA= prints exactly
    what the same source prints on the host."""
    src = os.path.join(ROOT, "tests/programs/libc_check.c")
    tmp = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(BUILD, "root"), os.path.join(tmp, "extra"))
        sample = os.path.join(tmp, "extra/etc/sample.txt")
        with open(sample, "w") as f:
            f.write("first line\nsecond line\n\nlast line\n")
        subprocess.run(["gcc", "-O2", "-o", os.path.join(tmp, "host"), src, "-lm"], check=True)
        want = subprocess.run([os.path.join(tmp, "host"), sample], capture_output=True,
                              text=True).stdout
        subprocess.run([os.path.join(ROOT, "tools/cc"), "-O2", "-o",
                        os.path.join(tmp, "extra/bin/libc_check"), src, "-lm"], check=True)
        subprocess.run(["sh", os.path.join(ROOT, "tools/disk.sh"), "create",
                        os.path.join(tmp, "disk.img"), os.path.join(tmp, "extra")], check=True)
        sh = Shell(disk=os.path.join(tmp, "disk.img"))
        got = sh.run("libc_check /etc/sample.txt") if sh.ready else None
        sh.stop()
        record("scenario.tools_cc_program_matches_host", got == want,
               "want %r\ngot  %r" % (want, got))
    finally:
        shutil.rmtree(tmp)


def scenario_keyboard_and_screen():
    """Keys typed on the PS/2 keyboard reach the shell; output appears on
    the VGA text screen (read back through QEMU's monitor)."""
    import socket
    import tempfile
    tmp = tempfile.mkdtemp()
    sock_path = os.path.join(tmp, "mon")
    sh = Shell(extra=["-monitor", "unix:%s,server=on,wait=off" % sock_path])
    ok_kbd = ok_vga = False
    out = screen = ""
    if sh.ready:
        mon = socket.socket(socket.AF_UNIX)
        mon.connect(sock_path)
        start = len(sh.text())
        for key in "e c h o spc k shift-b d ret".split():
            mon.sendall(("sendkey %s\n" % key).encode())
            time.sleep(0.1)
        ok_kbd = sh.wait_for("\nkBd\n", 10)
        out = sh.text()[start:]
        dump = os.path.join(tmp, "vga")
        mon.sendall(('pmemsave 0xb8000 4000 "%s"\n' % dump).encode())
        for _ in range(50):
            if os.path.exists(dump) and os.path.getsize(dump) == 4000:
                break
            time.sleep(0.1)
        if os.path.exists(dump):
            data = open(dump, "rb").read()
            screen = "".join(chr(data[i]) for i in range(0, len(data), 2))
            rows = [screen[r * 80:(r + 1) * 80].rstrip() for r in range(25)]
            screen = "\n".join(r for r in rows if r)
            ok_vga = "$ echo kBd" in screen and "kBd" in rows
        mon.close()
    sh.stop()
    record("scenario.ps2_keyboard_input", ok_kbd, repr(out[-300:]))
    record("scenario.vga_text_output", ok_vga, screen[-800:])


def scenario_disk():
    import scenario_disk
    import scenario_shell
    scenario_disk.persistence(Shell, BUILD, record)
    scenario_disk.unix_behaviour(Shell, BUILD, record, scenario_shell.check)
    scenario_disk.corruptions(Shell, BUILD, record, scenario_shell.check)


def scenario_restart():
    import scenario_restart
    import scenario_shell
    scenario_restart.supervisor_behaviour(Shell, record, scenario_shell.check)
    scenario_restart.kill_during_workload(Shell, BUILD, record, scenario_shell.check)
    scenario_restart.chaos(Shell, BUILD, record)
    scenario_restart.chaos(Shell, BUILD, record, seeds=(1,), faults=100)


def scenario_limits():
    import scenario_limits
    scenario_limits.fuzz(Shell, record)
    scenario_limits.hogs(Shell, record)


def scenario_make_run():
    """The user's command itself: a session piped into `make run` on a disk
    image, ending with poweroff; make run exits 0."""
    fd, img = tempfile.mkstemp(suffix=".img")
    os.close(fd)
    try:
        shutil.copy(os.path.join(BUILD, "test-disk.img"), img)
        import socket
        with socket.socket() as s:               # a free port for the httpd forward
            s.bind(("127.0.0.1", 0))
            http_port = s.getsockname()[1]
        p = subprocess.run(["make", "-s", "-C", ROOT, "run", "DISK=" + img,
                            "HTTP_PORT=%d" % http_port],
                           input=b"hello\necho made > /home/m\npoweroff\n",
                           capture_output=True, timeout=300)
        out = p.stdout.decode("utf-8", "replace")
        got = subprocess.run(["debugfs", "-R", "cat /home/m", img], capture_output=True).stdout
        record("scenario.make_run_piped_session", p.returncode == 0 and "hello, world" in out,
               "status %d: %s" % (p.returncode, (out + p.stderr.decode())[-1500:]))
        record("scenario.make_run_disk_keeps_files", got == b"made\n", repr(got))
        record("scenario.make_run_two_cpus_by_default", "[kernel] 2 CPUs up" in out, out[-1500:])
    finally:
        os.unlink(img)


def scenario_panic():
    """A ring-0 fault panics with registers and a symbolised backtrace."""
    q = Qemu(os.path.join(BUILD, "panic.iso"))
    q.wait_for("KERNEL PANIC", 30)
    status = q.wait_exit(10)
    q.stop()
    out = q.text()
    ok = ("KERNEL PANIC: page fault in kernel" in out and "rax " in out and "cr2 dead000" in out
          and " kmain" in out)
    record("scenario.kernel_fault_panics_with_backtrace", ok and status == 0,
           "status %s, output:\n%s" % (status, out[-1500:]))


# Scenario modules that run themselves: tests/scenario_*.py defining
# run_all(Shell, BUILD, record). Each area adds its own file; run.py
# needs no change. `tests/run.py mod:NAME` runs only tests/NAME.py's.
def scenario_modules(names=None, skip=()):
    import importlib
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "scenario_*.py"))):
        name = os.path.basename(path)[:-3]
        if (names is not None and name not in names) or name in skip:
            continue
        try:
            mod = importlib.import_module(name)
            if CPUS != 1 and getattr(mod, "SAME_ON_EVERY_CPUS", False):
                continue                     # it picks its own CPUs: once is enough
            if hasattr(mod, "run_all"):
                mod.run_all(Shell, BUILD, record)
        except Exception:                    # one broken module fails, the rest run
            import traceback
            record("scenario.%s_completes" % name, False, traceback.format_exc()[-1500:])


def main():
    global CPUS
    args = [a for a in sys.argv[1:] if not a.startswith("cpus=")]
    for a in sys.argv[1:]:
        if a.startswith("cpus="):
            CPUS = int(a[5:])
    if not sys.argv[1:]:                     # everything: on 1 CPU and, at the same time, on 4
        # The host tests and the clean-clone build of scenario_first_contact
        # keep both host cores busy compiling: they run while no 4-CPU QEMU does.
        run_selection(["host"])
        four = subprocess.Popen([sys.executable, os.path.abspath(__file__), "cpus=4", "system",
                                 "scenario"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        run_selection(["system", "scenario"], skip=("scenario_first_contact",))
        out, _ = four.communicate()
        detail = False
        for line in out.splitlines():        # its results join ours (not its total)
            if line.startswith("ok cpus4.") or line.startswith("not ok cpus4."):
                ok = line.startswith("ok ")
                name = line[3:] if ok else line[7:].split(":", 1)[0]
                results.append((name, ok))
                print(line, flush=True)
                detail = not ok
            elif detail and not line.startswith(("ok ", "not ok ")):
                print(line, flush=True)      # what a failure printed after its first line
            else:
                detail = False
        if four.returncode not in (0, 1) or not any(n.startswith("cpus4.") for n, _ in results):
            record("cpus4.pass_completes", False, out[-1500:])
        scenario_modules(["scenario_first_contact"])
    else:
        run_selection(args or ["host", "system", "scenario"])
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not results else 0)


def run_selection(only, skip=()):
    """Runs the named parts (host, system, scenario, scenario_NAME,
    mod:NAME) at the current CPUS."""
    for name in only:                        # one scenario by its function name
        if name.startswith("scenario_"):
            globals()[name]()
    mods = [n[4:] for n in only if n.startswith("mod:")]
    if mods:
        scenario_modules(mods)
    if "host" in only:
        host_tests()
        program_host_tests()
    if "system" in only:
        system_tests()
        system_tests("test-slow.iso", "system.nofastpath.")
    if "scenario" in only:
        scenario_boot()
        scenario_panic()
        scenario_piped_session()
        if CPUS == 1:                        # make run chooses its own CPUs (2)
            scenario_make_run()
        scenario_shell()
        scenario_user_program()
        scenario_keyboard_and_screen()
        scenario_disk()
        scenario_restart()
        scenario_limits()
        scenario_modules(skip=skip)


if __name__ == "__main__":
    main()
