#!/usr/bin/env python3
"""make bench: boots the system under QEMU with -icount (the guest's rdtsc
then counts executed instructions exactly), runs /bin/bench at the shell,
prints the table of median instructions per operation with the targets,
and writes build/bench.json. The existing keys come from a 1-CPU boot;
`bench smp` runs on 2 CPUs under -icount too (cross-CPU IPC and IPI
wake-up), and `bench speedup` on 2 CPUs without -icount, where QEMU runs
the CPUs in parallel (a wall-clock ratio: informational, this machine
is noisy). `bench net` runs on 1 CPU under -icount with forwards from
127.0.0.1 to the guest's ports 7801-7802 (TCP) and 7803 (UDP); net_host()
is its other end (TCP both ways, then the UDP echoes). `tools/bench.py net` runs only that boot.
Only the standard library is used."""
import json
import os
import queue
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import run  # noqa: E402  (the QEMU driver of the test suite)

TARGETS = {                                     # issue 16's targets where it sets one
    "null_syscall": 60, "ipc_roundtrip": 300, "ipc_roundtrip_4k": None, "notify_wakeup": None,
    "yield_switch": 200, "read_4k_cached": 1700, "read_4k_uncached": None, "write_1m": None,
    "spawn_wait": 120000, "boot_to_prompt": 20000000, "disk_restart": 2000000,
    "irq_latency_median": None, "irq_latency_worst": None,
    "ipc_roundtrip_cross_cpu": None, "ipi_wakeup": None, "parallel_speedup_2cpu": None,
    "tcp_stream_guest_to_host": None, "tcp_stream_host_to_guest": None,
    "udp_echo_roundtrip": None, "fs_restart": None, "fs_restart_1g": None,
}
NET_ROUNDS, NET_MIB, UDP_ECHOES = 7, 4, 100     # as programs/bench.c has them
# Timer interrupt to the first instruction of the thread it wakes, under
# load; and the 2-CPU speedup in hundredths (wall clock).
INFORMATIONAL = ("irq_latency_median", "irq_latency_worst", "parallel_speedup_2cpu")


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def net_host(ports, errors):
    """The host's end of `bench net`: NET_ROUNDS transfers of NET_MIB MiB
    to the guest, then as many from it, then the UDP echoes."""
    try:
        data = bytes(range(256)) * (NET_MIB << 12)
        for _ in range(NET_ROUNDS):
            with socket.create_connection(("127.0.0.1", ports[0]), timeout=120) as s:
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
                while s.recv(65536):
                    pass
        for _ in range(NET_ROUNDS):
            with socket.create_connection(("127.0.0.1", ports[1]), timeout=120) as s:
                got = 0
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    got += len(b)
                if got != NET_MIB << 20:
                    errors.append("guest to host: %d bytes" % got)
        udp_echo(ports[2], errors)
    except OSError as e:
        errors.append(repr(e))


class FramePipe:
    """Frames into the guest's e1000 and copies of the frames it sends,
    beside the user network (whose restrict=on drops every UDP datagram
    the guest sends): a filter-redirector on the user network's transmit
    queue takes frames from one socket chardev on 127.0.0.1 into the NIC,
    a filter-mirror on its receive queue copies the guest's frames to
    another; each frame as a 4-byte big-endian length and the bytes.
    The copies of UDP datagrams from the guest's port 7803 are kept."""

    def __init__(self):
        self.ports = [free_port(), free_port()]
        self.echoes = queue.Queue()
        self.out = None

    def qemu_args(self, netdev):
        return ["-chardev", "socket,id=fin,host=127.0.0.1,port=%d,server=on,wait=off"
                % self.ports[0],
                "-object", "filter-redirector,id=fr,netdev=%s,queue=tx,indev=fin" % netdev,
                "-chardev", "socket,id=fout,host=127.0.0.1,port=%d,server=on,wait=off"
                % self.ports[1],
                "-object", "filter-mirror,id=fm,netdev=%s,queue=rx,outdev=fout" % netdev]

    def start(self):
        """Connects as soon as QEMU listens (before the guest sends)."""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        end = time.time() + 30
        while self.out is None and time.time() < end:
            try:
                cap = socket.create_connection(("127.0.0.1", self.ports[1]))
                self.out = socket.create_connection(("127.0.0.1", self.ports[0]))
            except OSError:
                time.sleep(0.01)
        buf = b""
        while self.out is not None:
            b = cap.recv(1 << 20)
            if not b:
                return
            buf += b
            pos = 0
            while len(buf) - pos >= 4:
                n = struct.unpack("!I", buf[pos:pos + 4])[0]
                if len(buf) - pos < 4 + n:
                    break
                self._frame(buf[pos + 4:pos + 4 + n])
                pos += 4 + n
            buf = buf[pos:]

    def _frame(self, f):
        if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17:
            return
        udp = f[14 + (f[14] & 15) * 4:]
        if struct.unpack("!H", udp[:2])[0] == 7803:
            self.echoes.put(udp[8:struct.unpack("!H", udp[4:6])[0]])

    def send_udp(self, data):
        import scenario_netbad as fr           # 10.0.2.2:40000 -> 10.0.2.15:7803
        h = struct.pack("!HHHH", 40000, 7803, 8 + len(data), 0)
        c = fr.l4_sum(17, h + data) or 0xffff
        seg = h[:6] + struct.pack("!H", c) + data
        f = fr.eth(0x0800, fr.ipv4(17, seg))
        self.out.sendall(struct.pack("!I", len(f)) + f)


def udp_echo(pipe, errors):
    """NET_ROUNDS times UDP_ECHOES + 1 datagrams to the guest's echo, one
    at a time: each waits for its answer (re-sent if lost)."""
    for i in range(NET_ROUNDS * (UDP_ECHOES + 1)):
        msg = b"%08d" % i + bytes(56)
        for _ in range(10):
            pipe.send_udp(msg)
            try:
                while pipe.echoes.get(timeout=5) != msg:
                    pass
                break
            except queue.Empty:
                pass
        else:
            errors.append("udp echo %d: no answer" % i)
            return


def run_with_host(sh, cmd, timeout):
    """Runs `bench net`: starts net_host once the guest is ready."""
    start = len(sh.text())
    sh.type(cmd + "\n")
    if not sh.wait_for_from(start, "bench: net ready", 120):
        return sh.text()[start:]
    errors = []
    t = threading.Thread(target=net_host, args=(sh.net_ports, errors), daemon=True)
    t.start()
    end = time.time() + timeout
    while time.time() < end and not sh.text()[start:].endswith(sh.PROMPT):
        time.sleep(0.2)
    t.join(5)
    return sh.text()[start:] + "".join("\nhost side: " + e for e in errors)


def session(cmd, cpus, icount, disk=None):
    """Boots with cpus CPUs (under -icount or not), runs cmd at the shell,
    powers off; returns {name: value} of its "bench: NAME N" lines and the
    CPU model, or exits with the output if it did not finish."""
    saved = list(run.QEMU)
    if icount:
        run.QEMU[1:1] = ["-icount", "shift=0,align=off,sleep=off"]
    run.QEMU[1:1] = ["-cpu", "qemu64"]
    net = cmd == "bench net"
    if net:
        ports = [free_port(), free_port(), FramePipe()]
        nic = run.QEMU.index("-nic") + 1
        run.QEMU[nic] += "".join(",hostfwd=tcp:127.0.0.1:%d-:%d" % (p, g)
                                 for p, g in zip(ports, (7801, 7802))) + ",id=n0"
        run.QEMU += ports[2].qemu_args("n0")
        ports[2].start()
    run.CPUS = cpus
    sh = run.Shell(disk=disk)
    if net:
        sh.net_ports = ports
        out = run_with_host(sh, cmd, 900) if sh.ready else None
    else:
        out = sh.run(cmd, timeout=900) if sh.ready else None
    sh.type("poweroff\n")
    sh.wait_exit(60)
    sh.stop()
    run.QEMU[:] = saved
    if not out or "bench: done" not in out:
        print("make bench: `%s` did not finish:\n%s" % (cmd, (out or sh.text())[-2000:]))
        sys.exit(1)
    figures, cpu = {}, "?"
    for line in out.splitlines():
        f = line.split()
        if line.startswith("bench: cpu "):
            cpu = line[len("bench: cpu "):].strip()
        elif len(f) == 3 and f[0] == "bench:" and f[2].isdigit():
            figures[f[1]] = int(f[2])
    return figures, cpu


def main():
    run.DRIVE_OPTS = ",cache=unsafe"          # no host fsync: I/O time must not leak in
    if sys.argv[1:] in (["net"], ["ipc"]):      # one boot, its keys only
        print(session("bench " + sys.argv[1], 1, True)[0])
        return
    if sys.argv[1:] == ["fsrestart"]:           # fs_restart on the 64 MiB and the 1 GiB disk
        small = session("bench fsrestart", 1, True)[0]
        big = session("bench fsrestart", 1, True, os.path.join(run.BUILD, "bench-1g.img"))[0]
        print({"fs_restart": small.get("fs_restart_1g"), "fs_restart_1g": big.get("fs_restart_1g")})
        return
    figures, cpu = session("bench", 1, True)
    figures.update(session("bench net", 1, True)[0])
    big = os.path.join(run.BUILD, "bench-1g.img")    # made by make bench (a sparse file)
    if os.path.exists(big):
        figures.update(session("bench fsrestart", 1, True, big)[0])
    figures.update(session("bench smp", 2, True)[0])
    figures.update(session("bench speedup", 2, False)[0])
    print("Median instructions per operation (QEMU -icount, CPU model: %s)" % cpu)
    print("%-24s %14s %12s  %s" % ("operation", "instructions", "target", ""))
    for name in TARGETS:
        v, t = figures.get(name), TARGETS[name]
        verdict = "" if t is None or v is None else ("meets" if v <= t else "misses")
        verdict = "informational" if name in INFORMATIONAL else verdict
        print("%-24s %14s %12s  %s" % (name, "-" if v is None else "{:,}".format(v),
                                        "" if t is None else "{:,}".format(t), verdict))
    with open(os.path.join(run.BUILD, "bench.json"), "w") as f:
        json.dump({k: figures[k] for k in TARGETS if k in figures}, f, indent=1)
    missing = [k for k in TARGETS if k not in figures]
    if missing:
        print("missing: %s" % ", ".join(missing))
        sys.exit(1)


if __name__ == "__main__":
    main()
