#!/usr/bin/env python3
"""Counts where the instructions of one IPC round trip go: boots the
system (1 CPU, -icount, -cpu qemu64, as make bench does) with QEMU's gdb
stub on 127.0.0.1, runs `bench ipc` at the shell, stops at a sys_call_entry
made by the bench process (after a few, so the loop is warm), single-steps
STEPS instructions and prints the run of each function (kernel symbols
from build/kernel.elf, user ones from build/root/bin/bench) along one
period of the loop: the round trip, instruction by instruction, with its
total. `-v` prints every instruction too.

    python3 tools/ipcpath.py [-v] [STEPS]

Needs gdb. Only the standard library is used."""
import bisect
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import run  # noqa: E402  (the QEMU driver of the test suite)

KERNEL = os.path.join(run.BUILD, "kernel.elf")
USER = os.path.join(run.BUILD, "root", "bin", "bench")
SKIP = 20                                   # calls of the loop let go first


def symbols(elf):
    """Sorted (address, name) of the text symbols of elf."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            syms.append((int(f[0], 16), f[2]))
    return syms


def disassembly(elf):
    """{address: instruction text} of elf."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf],
                         capture_output=True, text=True, check=True).stdout
    insns = {}
    for line in out.splitlines():
        addr, sep, text = line.partition(":\t")
        if sep and addr.strip():
            try:
                insns[int(addr.strip(), 16)] = text.strip()
            except ValueError:
                pass
    return insns


def trace(steps, out):
    """Boots, runs bench ipc, writes the addresses of steps instructions
    from a sys_call_entry of the bench process to out. False if gdb failed."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    script = "\n".join([
        "set pagination off",
        "target remote 127.0.0.1:%d" % port,
        'hbreak sys_call_entry if $_streq(cpus[0].thread->proc->name, "bench")',
        "continue"] + ["continue"] * SKIP + [
        "delete",
        "python",
        "import gdb",
        "f = open(%r, 'w')" % out,
        "for i in range(%d):" % steps,
        "    pc = int(gdb.parse_and_eval('$pc')) & 0xffffffffffffffff",
        "    f.write('%x\\n' % pc)",
        "    gdb.execute('stepi', to_string=True)",
        "f.close()",
        "end",
        "kill", ""])
    saved = list(run.QEMU)
    run.QEMU[1:1] = ["-cpu", "qemu64", "-icount", "shift=0,align=off,sleep=off"]
    sh = run.Shell(extra=["-gdb", "tcp:127.0.0.1:%d" % port])
    run.QEMU[:] = saved
    ok = False
    if sh.ready:
        with tempfile.NamedTemporaryFile("w", suffix=".gdb", delete=False) as f:
            f.write(script)
        gdb = subprocess.Popen(["gdb", "-batch", "-x", f.name, KERNEL],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(4)                       # attached and running before bench starts
        sh.type("bench ipc\n")
        try:
            gdb.communicate(timeout=600)
            ok = gdb.returncode == 0
        except subprocess.TimeoutExpired:
            gdb.kill()                      # this gdb only
            gdb.communicate()
        os.unlink(f.name)
    sh.stop()
    return ok


def main():
    verbose = "-v" in sys.argv
    args = [a for a in sys.argv[1:] if a != "-v"]
    steps = int(args[0]) if args else 1200
    out = os.path.join(run.BUILD, "ipcpath.txt")
    if not trace(steps, out):
        sys.exit("ipcpath: the trace did not finish (is gdb installed?)")
    pcs = [int(x, 16) for x in open(out) if x.strip()]
    if not pcs or pcs[0] not in pcs[1:]:
        sys.exit("ipcpath: no full round trip in %d steps" % steps)
    period = pcs[:pcs.index(pcs[0], 1)]
    ksyms, usyms = symbols(KERNEL), symbols(USER)
    insns = disassembly(KERNEL)
    insns.update(disassembly(USER))

    def name(a):
        syms = ksyms if a >= 1 << 63 else usyms
        i = bisect.bisect_right(syms, (a, "\xff")) - 1
        return syms[i][1] if i >= 0 else "?"

    runs = []
    for a in period:
        if verbose:
            print("    %x %s" % (a, insns.get(a, "?")))
        n = name(a)
        if runs and runs[-1][0] == n:
            runs[-1][1] += 1
        else:
            runs.append([n, 1])
    for n, c in runs:
        print("%5d  %s" % (c, n))
    print("%5d  round trip" % len(period))


if __name__ == "__main__":
    main()
