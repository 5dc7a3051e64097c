"""Scenario tests of the net server (lwIP) and the libc sockets: the
guest gets its address from QEMU's DHCP (ifconfig); tests/programs/sock_check.c
checks TCP and UDP over the loopback interface; the host sends 1 MiB to
the guest through a forward bound to 127.0.0.1 (restrict=on: the only way
in) and the guest answers with the count and sum; then 8 MiB while the
NIC driver is crashed in the middle, which must arrive whole over the
same connection once net has attached to the restarted driver."""
import os
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_disk(BUILD, tmp):
    """The test disk with sock_check in /bin."""
    extra = os.path.join(tmp, "extra")
    shutil.copytree(os.path.join(BUILD, "root"), extra)
    subprocess.run([os.path.join(ROOT, "tools/cc"), "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    os.path.join(extra, "bin/sock_check"),
                    os.path.join(ROOT, "tests/programs/sock_check.c")], check=True)
    disk = os.path.join(tmp, "disk.img")
    subprocess.run(["sh", os.path.join(ROOT, "tools/disk.sh"), "create", disk, extra],
                   check=True, stdout=subprocess.DEVNULL)
    return disk


class Sender(threading.Thread):
    """Sends data to 127.0.0.1:port, half-closes, reads the answer.
    progress counts the bytes sent so far."""

    def __init__(self, port, data, chunk=16384, pause=0.0):
        super().__init__(daemon=True)
        self.port, self.data, self.chunk, self.pause = port, data, chunk, pause
        self.progress, self.answer, self.error = 0, b"", None

    def run(self):
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=60)
            for i in range(0, len(self.data), self.chunk):
                s.sendall(self.data[i:i + self.chunk])
                self.progress = i + self.chunk
                if self.pause:
                    time.sleep(self.pause)
            s.shutdown(socket.SHUT_WR)
            while True:
                b = s.recv(4096)
                if not b:
                    break
                self.answer += b
            s.close()
        except OSError as e:
            self.error = e


def expected(data):
    return "got %d bytes sum %d" % (len(data), sum(data) & 0xffffffff)


def transfer(sh, record, name, host_port, guest_port, size, fault=None):
    """sock_check serve in the background, the host sends size bytes; with
    fault, that command is typed once a quarter has gone."""
    start = len(sh.text())
    sh.run("sock_check serve %d &" % guest_port)
    if not sh.wait_for_from(start, "listening on %d" % guest_port, 20):
        record(name, False, "server did not start: " + sh.text()[start:][-1000:])
        return
    data = random.Random(size).randbytes(size)
    t = Sender(host_port, data, pause=0.002 if fault else 0.0)
    t.start()
    if fault:
        end = time.time() + 60
        while t.is_alive() and t.progress < size // 4 and time.time() < end:
            time.sleep(0.05)
        sh.run(fault)
    t.join(180)
    got = t.answer.decode(errors="replace").strip()
    ok = not t.is_alive() and t.error is None and got == expected(data)
    record(name, ok, "want %r got %r error %r; console: %s"
           % (expected(data), got, t.error, sh.text()[start:][-1500:]))
    return ok


def killed_listener_goes(sh, record):
    """A program killed while listening loses its socket (proc tells net),
    so the port can be listened on again."""
    start = len(sh.text())
    sh.run("sock_check serve 7790 &")
    first = sh.wait_for_from(start, "listening on 7790", 20)
    sh.run("kill $!")
    time.sleep(1)
    again = len(sh.text())
    sh.run("sock_check serve 7790 &")
    second = sh.wait_for_from(again, "listening on 7790", 20)
    sh.run("kill $!")
    record("scenario.net_killed_listener_port_free", first and second, sh.text()[start:][-1500:])


def killed_connection_closed(sh, record, host_port, guest_port):
    """A program killed in the middle of a connection: net closes its
    socket (proc tells net of the death), so the host's end sees the
    connection end at once instead of waiting forever."""
    start = len(sh.text())
    sh.run("sock_check serve %d &" % guest_port)
    listening = sh.wait_for_from(start, "listening on %d" % guest_port, 20)
    s = socket.create_connection(("127.0.0.1", host_port), timeout=20)
    s.sendall(b"x" * 1000)
    time.sleep(1)
    sh.run("kill $!")
    ended, why = False, ""
    try:
        ended = s.recv(100) == b""
        why = "the connection stayed open"
    except ConnectionResetError:
        ended = True
    except OSError as e:
        why = repr(e)
    s.close()
    record("scenario.net_killed_program_connection_closed", listening and ended,
           why + ": " + sh.text()[start:][-1000:])


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        disk = make_disk(BUILD, tmp)
        p1, p2 = free_port(), free_port()
        sh = Shell(disk=disk, hostfwd=[(p1, 7777), (p2, 7778)])
        if not sh.ready:
            record("scenario.net_boot", False, sh.text()[-1500:])
            sh.stop()
            return
        up, out = False, ""
        end = time.time() + 30
        while not up and time.time() < end:
            out = sh.run("ifconfig eth0") or ""
            up = "inet 10.0.2.15  netmask 255.255.255.0" in out and "(dhcp)" in out
            if not up:
                time.sleep(0.5)
        record("scenario.net_dhcp_address", up, repr(out))
        record("scenario.net_ifconfig_mac_and_link",
               "ether 52:54:00:12:34:56" in out and "flags=<UP,RUNNING>" in out, repr(out))
        out = sh.run("sock_check local", timeout=90) or ""
        for line in out.splitlines():
            if line.startswith("ok "):
                record("scenario.net_sock_" + line[3:].strip(), True)
            elif line.startswith("not ok "):
                name, _, why = line[7:].partition(": ")
                record("scenario.net_sock_" + name.strip(), False, why)
        record("scenario.net_sock_check_all", "SOCK-CHECK OK" in out, repr(out[-1500:]))
        transfer(sh, record, "scenario.net_host_to_guest_1mib", p1, 7777, 1 << 20)
        start = len(sh.text())
        transfer(sh, record, "scenario.net_driver_crash_during_8mib", p2, 7778, 8 << 20,
                 fault="svc fault e1000 crash")
        record("scenario.net_reattached_after_crash",
               "net: attached to the restarted driver" in sh.text()[start:],
               sh.text()[start:][-1500:])
        killed_listener_goes(sh, record)
        killed_connection_closed(sh, record, p1, 7777)
        sh.stop()
    finally:
        shutil.rmtree(tmp)
