"""Scenario test of bad input from the host side: malformed Ethernet
frames (runts, truncated IPv4/TCP/UDP/ICMP headers, IP total lengths
larger or smaller than the frame, bad IP/TCP/UDP/ICMP checksums, bad ARP)
are written straight into the guest's e1000. User networking (slirp)
rebuilds every packet, so they go in beside it: a QEMU filter-redirector
on the user network's transmit queue (what the back end sends to the NIC)
reads frames from a socket chardev bound to 127.0.0.1, each as a 4-byte
big-endian length and the frame. The only network is still
-nic user,restrict=on. Asserted: ifconfig's RX errors went up by exactly
what was sent, layer by layer; no service restarted; a TCP transfer
right after arrives whole; ping still answers."""
import os
import re
import shutil
import socket
import struct
import tempfile
import time

from scenario_net import free_port, make_disk, transfer
from scenario_netfault import restarts, wait_dhcp

GUEST_MAC = bytes.fromhex("525400123456")
HOST_MAC = bytes.fromhex("020000000001")          # nobody's: nothing answers it
GUEST_IP = bytes([10, 0, 2, 15])
PEER_IP = bytes([10, 0, 2, 2])
LAYERS = ("eth", "ip", "icmp", "udp", "tcp")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(ethertype, payload):
    return GUEST_MAC + HOST_MAC + struct.pack("!H", ethertype) + payload


def ipv4(proto, payload, total=None, ihl=5, check=None):
    """An IPv4 header (right checksum unless check is given) and payload;
    total overrides the total length field."""
    total = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, 0x4000, 64, proto, 0,
                    PEER_IP, GUEST_IP)
    c = csum(h) if check is None else check
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def l4_sum(proto, seg):
    return csum(PEER_IP + GUEST_IP + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def udp(data, good=True):
    h = struct.pack("!HHHH", 40000, 7781, 8 + len(data), 0)
    c = l4_sum(17, h + data) if good else 0x1234
    return h[:6] + struct.pack("!H", c or 0xffff) + data


def tcp(doff=5, good=True):
    h = struct.pack("!HHIIBBHHH", 40000, 7781, 1000, 0, doff << 4, 0x02, 8192, 0, 0)
    c = l4_sum(6, h) if good else (l4_sum(6, h) ^ 0x5555)
    return h[:16] + struct.pack("!H", c) + h[18:]


def icmp_echo(good=True):
    h = struct.pack("!BBHHH", 8, 0, 0, 7, 1) + b"abcdefgh"
    c = csum(h) if good else (csum(h) ^ 0x0f0f)
    return h[:2] + struct.pack("!H", c) + h[4:]


def arp(hwtype=1, proto=0x0800, hwlen=6, plen=4):
    return struct.pack("!HHBBH6s4s6s4s", hwtype, proto, hwlen, plen, 1, HOST_MAC, PEER_IP,
                       bytes(6), GUEST_IP)


def bad_frames():
    """(what, frame, layer that must drop it). QEMU's e1000 pads frames
    shorter than 60 bytes with zeros, as a real NIC's sender would."""
    u = udp(b"0123456789abcdefghij")
    return [
        ("runt, addresses only", GUEST_MAC + HOST_MAC, "eth"),
        ("unknown ethertype", eth(0x1234, b"x" * 46), "eth"),
        ("ARP, wrong hardware type", eth(0x0806, arp(hwtype=6)), "eth"),
        ("ARP, wrong hardware length", eth(0x0806, arp(hwlen=8)), "eth"),
        ("ARP, wrong protocol", eth(0x0806, arp(proto=0x86dd)), "eth"),
        ("ARP, cut after 4 bytes (zero padding)", eth(0x0806, arp()[:4]), "eth"),
        ("IPv4, Ethernet header only", eth(0x0800, b""), "ip"),
        ("IPv4, header truncated to 10 bytes", eth(0x0800, ipv4(17, u)[:10]), "ip"),
        ("IPv4, header length 16", eth(0x0800, ipv4(17, u, ihl=4)), "ip"),
        ("IPv4, total length beyond the frame", eth(0x0800, ipv4(17, u, total=1000)), "ip"),
        ("IPv4, total length below the header", eth(0x0800, ipv4(17, u, total=12)), "ip"),
        ("IPv4, bad header checksum", eth(0x0800, ipv4(17, u, check=0xbeef)), "ip"),
        ("ICMP, 1 byte", eth(0x0800, ipv4(1, b"\x08")), "icmp"),
        ("ICMP echo, bad checksum", eth(0x0800, ipv4(1, icmp_echo(False))), "icmp"),
        ("ICMP echo, truncated by the IP length", eth(0x0800, ipv4(1, icmp_echo(), total=26)),
         "icmp"),
        ("UDP, 4 bytes", eth(0x0800, ipv4(17, u[:4])), "udp"),
        ("UDP, bad checksum", eth(0x0800, ipv4(17, udp(b"hello", False))), "udp"),
        ("UDP, IP total length cuts the data", eth(0x0800, ipv4(17, u, total=20 + 12)), "udp"),
        ("TCP, 8 bytes", eth(0x0800, ipv4(6, tcp()[:8])), "tcp"),
        ("TCP, bad checksum", eth(0x0800, ipv4(6, tcp(good=False))), "tcp"),
        ("TCP, data offset beyond the segment", eth(0x0800, ipv4(6, tcp(doff=15))), "tcp"),
        ("TCP, IP total length cuts the header", eth(0x0800, ipv4(6, tcp(), total=20 + 12)),
         "tcp"),
    ]


def counters(sh):
    """ifconfig eth0's RX packets, link-level dropped and RX errors."""
    out = sh.run("ifconfig eth0") or ""
    m = re.search(r"RX packets (\d+)  bytes \d+  dropped (\d+)", out)
    e = re.search(r"RX errors eth (\d+)  ip (\d+)  icmp (\d+)  udp (\d+)  tcp (\d+)", out)
    if not m or not e:
        return None, out
    c = dict(zip(LAYERS, map(int, e.groups())))
    c["rx"], c["dropped"] = int(m.group(1)), int(m.group(2))
    return c, out


def inject(port, frames, times):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    for _ in range(times):
        for _, f, _ in frames:
            s.sendall(struct.pack("!I", len(f)) + f)
            time.sleep(0.01)
    s.close()


def send_and_count(sh, record, inj):
    frames = bad_frames()
    times = 3
    want = {l: times * sum(1 for f in frames if f[2] == l) for l in LAYERS}
    before, out0 = counters(sh)
    inject(inj, frames, times)
    after, out = None, ""
    end = time.time() + 15
    while time.time() < end:              # the guest takes them in as it runs
        after, out = counters(sh)
        if before and after and after["rx"] - before["rx"] >= times * len(frames):
            break
        time.sleep(0.5)
    ok = before is not None and after is not None
    got = {l: after[l] - before[l] for l in LAYERS} if ok else {}
    record("scenario.netbad_frames_reach_the_guest",
           ok and after["rx"] - before["rx"] >= times * len(frames),
           "%d sent; before %r after %r" % (times * len(frames), out0, out))
    record("scenario.netbad_frames_counted_by_layer", ok and got == want,
           "want %r got %r; %r" % (want, got, out))
    record("scenario.netbad_no_link_drops", ok and after["dropped"] == before["dropped"], out)


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        disk = make_disk(BUILD, tmp)
        port, inj = free_port(), free_port()
        extra = ["-chardev", "socket,id=inj,host=127.0.0.1,port=%d,server=on,wait=off" % inj,
                 "-object", "filter-redirector,id=badin,netdev=n0,queue=tx,indev=inj"]
        sh = Shell(disk=disk, hostfwd=[(port, 7781)], extra=extra, nic_id="n0")
        if not sh.ready or not wait_dhcp(sh):
            record("scenario.netbad_boot", False, sh.text()[-1500:])
            sh.stop()
            return
        first = restarts(sh)
        start = len(sh.text())
        send_and_count(sh, record, inj)
        transfer(sh, record, "scenario.netbad_transfer_after_bad_frames", port, 7781, 1 << 20)
        out = sh.run("ping -c 1 -W 5 10.0.2.2; echo status $?", timeout=30) or ""
        record("scenario.netbad_ping_after_bad_frames", "status 0" in out, repr(out))
        last = restarts(sh)
        record("scenario.netbad_nothing_restarted", first == last and "net" in last
               and "e1000" in last, "%r -> %r; %s" % (first, last, sh.text()[start:][-1500:]))
        sh.stop()
    finally:
        shutil.rmtree(tmp)
