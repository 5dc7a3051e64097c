"""Scenario tests of ping and of the network's fault isolation: ping to
QEMU's gateway (10.0.2.2) answers, an address nobody answers gives a
clear error and exit 1; 16 MiB sent by the host (a Python socket through
a forward bound to 127.0.0.1) arrive whole over one TCP connection while
the e1000 driver crashes, again while it is killed, again while it is
hung, and again after its registers and memory were scribbled on (svc
fault e1000 wild); the net server
killed in the middle of a transfer makes the guest's program fail with a
clear error (no hang), and the next transfer after net's restart works;
chaos faults the NIC driver and net too, and the network works after."""
import os
import re
import shutil
import tempfile
import time

from scenario_net import free_port, make_disk, transfer


def wait_dhcp(sh):
    end = time.time() + 30
    while time.time() < end:
        out = sh.run("ifconfig eth0") or ""
        if "inet 10.0.2.15" in out and "(dhcp)" in out:
            return True
        time.sleep(0.5)
    return False


def pings(sh, record):
    out = sh.run("ping -c 3 -i 0.2 10.0.2.2; echo status $?", timeout=30) or ""
    lines = [int(m) for m in re.findall(r"^64 bytes from 10\.0\.2\.2: icmp_seq=(\d+) ttl=\d+ "
                                        r"time=\d+\.\d{3} ms$", out, re.M)]
    record("scenario.netfault_ping_gateway_replies",
           out.startswith("PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.") and lines == [1, 2, 3]
           and "3 packets transmitted, 3 received, 0% packet loss" in out
           and re.search(r"rtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms", out) is not None
           and "status 0" in out, repr(out))
    out = sh.run("ping -c 2 -s 1000 -i 0.1 10.0.2.2; echo status $?", timeout=30) or ""
    record("scenario.netfault_ping_large_echo",
           len(re.findall(r"^1008 bytes from 10\.0\.2\.2: icmp_seq=\d", out, re.M)) == 2
           and "status 0" in out, repr(out))
    out = sh.run("ping -c 2 -i 0.1 -W 0.5 10.0.2.99; echo status $?", timeout=30) or ""
    record("scenario.netfault_ping_unanswered_fails",
           "2 packets transmitted, 0 received, 100% packet loss" in out
           and "ping: no reply from 10.0.2.99" in out and "bytes from" not in out
           and "status 1" in out, repr(out))
    out = sh.run("ping 10.0.2; echo status $?") or ""
    record("scenario.netfault_ping_bad_address",
           "not an IPv4 address" in out and "status 2" in out, repr(out))


def pid_of(sh, name):
    for line in (sh.run("svc list") or "").splitlines()[1:]:
        f = line.split()
        if len(f) >= 3 and f[0] == name and f[2] == "running":
            return int(f[1])
    return None


def driver_faults(sh, record, port, guest_port):
    for name, how in (("crashed", "svc fault e1000 crash"), ("killed", "kill %d"),
                      ("hung", "svc fault e1000 hang"), ("wild", "svc fault e1000 wild 12345")):
        pid = pid_of(sh, "e1000")
        start = len(sh.text())
        fault = how % pid if "%d" in how else how
        ok = transfer(sh, record, "scenario.netfault_driver_%s_during_16mib" % name, port,
                      guest_port, 16 << 20, fault=fault)
        after = sh.text()[start:]
        record("scenario.netfault_driver_%s_guest_no_error" % name,
               bool(ok) and "served %d bytes" % (16 << 20) in after
               and "sock_check:" not in after, after[-1500:])
        new = pid_of(sh, "e1000")
        restarted = (pid is not None and new is not None and new != pid
                     and "net: attached to the restarted driver" in after)
        if name == "wild":      # random registers and memory: it may die or run on
            restarted = restarted or (new is not None and new == pid)
        record("scenario.netfault_driver_%s_restarted" % name, restarted,
               "pid %s -> %s" % (pid, new))


def net_killed(sh, record, port, guest_port):
    """net killed during a transfer: sock_check's recv fails at once with
    a clear error; once net is back, a new transfer works."""
    import scenario_net
    start = len(sh.text())
    sh.run("sock_check serve %d &" % guest_port)
    listening = sh.wait_for_from(start, "listening on %d" % guest_port, 20)
    data = bytes(range(256)) * (16 << 12)                  # 16 MiB
    t = scenario_net.Sender(port, data, pause=0.002)
    t.start()
    end = time.time() + 60
    while t.is_alive() and t.progress < len(data) // 4 and time.time() < end:
        time.sleep(0.05)
    sh.run("kill %d" % (pid_of(sh, "net") or 0))
    failed = sh.wait_for_from(start, "Connection reset", 20)
    after = sh.text()[start:]
    # the prompt or init's line may land inside it: init and the kernel
    # write their lines to the serial port themselves (the kernel log), so
    # they can fall in the middle of a program's line; they are taken out
    plain = re.sub(r"(\[kernel\]|init:|net:) [^\n]*\n", "", after).replace("$ ", "")
    record("scenario.netfault_net_killed_clear_error", listening and failed
           and "sock_check: recv: Connection reset by peer" in plain, after[-1500:])
    t.join(90)
    up = wait_dhcp(sh)
    record("scenario.netfault_net_back_with_address", up, sh.text()[start:][-1000:])
    transfer(sh, record, "scenario.netfault_transfer_after_net_restart", port, guest_port,
             1 << 20)


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        disk = make_disk(BUILD, tmp)
        p1, p2 = free_port(), free_port()
        sh = Shell(disk=disk, hostfwd=[(p1, 7781), (p2, 7782)])
        if not sh.ready or not wait_dhcp(sh):
            record("scenario.netfault_boot", False, sh.text()[-1500:])
            sh.stop()
            return
        pings(sh, record)
        driver_faults(sh, record, p1, 7781)
        out = sh.run("ping -c 1 10.0.2.2; echo status $?", timeout=20) or ""
        record("scenario.netfault_ping_after_driver_restarts", "status 0" in out, repr(out))
        net_killed(sh, record, p2, 7782)
        chaos_hits_network(sh, record)
        sh.stop()
    finally:
        shutil.rmtree(tmp)


def restarts(sh):
    rows = {}
    for line in (sh.run("svc list") or "").splitlines()[1:]:
        f = line.split()
        if len(f) >= 4 and f[3].isdigit():
            rows[f[0]] = int(f[3])
    return rows


def chaos_hits_network(sh, record):
    """chaos picks the NIC driver and net as targets when they run; the
    file workload stays right and the network works afterwards."""
    before = restarts(sh)
    out = sh.run("chaos -n 12 -s 7; echo status $?", timeout=600) or ""
    after = restarts(sh)
    for _ in range(5):            # the list can come back empty while services restart
        if after:
            break
        time.sleep(1)
        after = restarts(sh)
    m = re.search(r"chaos: (\d+) faults, (\d+) restarts, (\d+) wrong results", out)
    record("scenario.netfault_chaos_no_wrong_results",
           m is not None and m.group(1) == "12" and m.group(3) == "0" and "status 0" in out
           and re.search(r"chaos: \d+ CPUs?, 0 watchdog stalls", out) is not None, out[-800:])
    hit = [n for n in ("e1000", "net") if after.get(n, 0) > before.get(n, 0)]
    record("scenario.netfault_chaos_targets_network", hit != [], "%r -> %r" % (before, after))
    up = wait_dhcp(sh)
    out = sh.run("ping -c 1 -W 5 10.0.2.2; echo status $?", timeout=30) or ""
    record("scenario.netfault_network_works_after_chaos", up and "status 0" in out, repr(out))
