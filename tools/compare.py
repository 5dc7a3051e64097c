#!/usr/bin/env python3
"""make compare: this system beside Linux on the same emulated machine.

Boots Debian's Linux kernel (fetched by tools/fetch-linux.sh into
build/linux) in the QEMU that tools/bench.py uses (-cpu qemu64, 1 CPU,
-icount shift=0,align=off,sleep=off, user networking with restrict=on)
with an initramfs whose /init is programs/bench.c built for Linux, and
compares its figures with this system's `bench` boot (build/bench.json
when `make bench` wrote it after the last build, else the 1-CPU bench
boot run here). Prints one table (key, ours, Linux, ratio) and writes
build/compare.json and build/compare.svg (a bar chart).

  tools/compare.py BENCH TRUE    (the Linux builds of bench.c and true.c)

Only the standard library is used."""
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")

# key, this system's figure, Linux's figure, what is measured.
ROWS = [
    ("null_syscall", "null_syscall", "null_syscall", "null system call (getppid on Linux)"),
    ("ipc_roundtrip", "ipc_roundtrip", "pipe_roundtrip",
     "IPC round trip; Linux: 1 byte through a pipe to a child and back"),
    ("read_4k_cached", "read_4k_cached", "read_4k_cached", "4 KiB read of a cached file"),
    ("spawn_wait", "spawn_wait", "spawn_wait", "spawn and wait for a trivial program"),
    ("boot", "boot_to_prompt", "boot_to_init",
     "ours: kernel entry to the shell's prompt; Linux: its clock's start to /init's main"),
    ("tcp_stream_host_to_guest", "tcp_stream_host_to_guest", "tcp_stream_host_to_guest",
     "per MiB received from the host over TCP (e1000)"),
    ("tcp_stream_guest_to_host", "tcp_stream_guest_to_host", "tcp_stream_guest_to_host",
     "per MiB sent to the host over TCP (e1000)"),
    ("udp_echo_roundtrip", "udp_echo_roundtrip", "udp_echo_roundtrip",
     "64-byte UDP datagram from the host to the guest and back (e1000)"),
]
NET_KEYS = ("tcp_stream_host_to_guest", "tcp_stream_guest_to_host", "udp_echo_roundtrip")


# --- the initramfs ---------------------------------------------------------

def cpio_newc(entries):
    """A cpio archive in the "newc" format the Linux kernel unpacks as its
    initramfs. entries: (name, mode, data, rdev major, rdev minor); mode
    holds the file type bits (0o100000 file, 0o040000 folder, 0o020000
    character device)."""
    out = bytearray()

    def add(ino, name, mode, data, major, minor, nlink):
        name_b = name.encode() + b"\0"
        fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, major, minor, len(name_b), 0)
        out.extend(b"070701" + b"".join(b"%08X" % f for f in fields) + name_b)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data, major, minor) in enumerate(entries, 1):
        add(ino, name, mode, data, major, minor, 2 if mode & 0o040000 else 1)
    add(0, "TRAILER!!!", 0, b"", 0, 0, 1)
    return bytes(out)


def e1000_module(linux_dir):
    """The path of e1000.ko in the unpacked kernel package, or None."""
    for top, _, files in os.walk(os.path.join(linux_dir, "root", "lib", "modules")):
        if "e1000.ko" in files:
            return os.path.join(top, "e1000.ko")
    return None


def initramfs(bench, true, e1000=None):
    """The initramfs: /init (bench), /bin/true, /tmp, /dev/console and
    the e1000 driver module (/e1000.ko, when given)."""
    def read(path):
        with open(path, "rb") as f:
            return f.read()
    mod = [("e1000.ko", 0o100644, read(e1000), 0, 0)] if e1000 else []
    return cpio_newc(mod + [
        ("dev", 0o040755, b"", 0, 0),
        ("dev/console", 0o020600, b"", 5, 1),
        ("bin", 0o040755, b"", 0, 0),
        ("bin/true", 0o100755, read(true), 0, 0),
        ("tmp", 0o041777, b"", 0, 0),
        ("init", 0o100755, read(bench), 0, 0),
    ])


# --- the table and the chart (pure) -----------------------------------------

def parse_figures(text):
    """{name: value} of the "bench: NAME N" lines in text."""
    figures = {}
    for line in text.replace("\r", "").splitlines():
        f = line.split()
        if len(f) == 3 and f[0] == "bench:" and f[2].isdigit():
            figures[f[1]] = int(f[2])
    return figures


def compare(ours, linux):
    """The rows both have: [{key, ours, linux, ratio, what}], ratio being
    ours / Linux rounded to 2 places."""
    rows = []
    for key, o, l, what in ROWS:
        if o in ours and l in linux and linux[l] > 0:
            rows.append({"key": key, "ours": ours[o], "linux": linux[l],
                         "ratio": round(ours[o] / linux[l], 2), "what": what})
    return rows


def table(rows):
    """The table as lines of text."""
    lines = ["%-24s %14s %14s %8s" % ("key", "ours", "Linux", "ratio")]
    for r in rows:
        lines.append("%-24s %14s %14s %7.2fx" % (r["key"], "{:,}".format(r["ours"]),
                                                 "{:,}".format(r["linux"]), r["ratio"]))
    return lines


def svg_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(rows, title):
    """A horizontal bar chart: per key a bar for ours and one for Linux,
    both scaled to the larger of the two (the counts span six orders of
    magnitude), each labelled with its count; the ratio at the right."""
    width, left, bar_w, row_h = 820, 200, 440, 58
    height = 60 + row_h * len(rows) + 30
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">'
           % (width, height, width, height),
           '<rect width="%d" height="%d" fill="white"/>' % (width, height),
           '<text x="10" y="24" font-size="16" font-weight="bold">%s</text>' % svg_escape(title),
           '<rect x="%d" y="36" width="12" height="12" fill="#2b6cb0"/>' % left,
           '<text x="%d" y="47">ours</text>' % (left + 18),
           '<rect x="%d" y="36" width="12" height="12" fill="#c05621"/>' % (left + 70),
           '<text x="%d" y="47">Linux</text>' % (left + 88),
           '<text x="%d" y="47" text-anchor="end">ours / Linux</text>' % (width - 10)]
    for i, r in enumerate(rows):
        y = 60 + i * row_h
        top = max(r["ours"], r["linux"])
        out.append('<text x="10" y="%d">%s</text>' % (y + 27, svg_escape(r["key"])))
        for k, (name, colour) in enumerate((("ours", "#2b6cb0"), ("linux", "#c05621"))):
            w = max(1, round(bar_w * r[name] / top))
            by = y + 4 + k * 24
            out.append('<rect x="%d" y="%d" width="%d" height="20" fill="%s"/>'
                       % (left, by, w, colour))
            out.append('<text x="%d" y="%d">%s</text>' % (left + w + 6, by + 15,
                                                          "{:,}".format(r[name])))
        out.append('<text x="%d" y="%d" text-anchor="end">%.2fx</text>'
                   % (width - 10, y + 27, r["ratio"]))
    out.append('<text x="10" y="%d" font-size="11">median guest instructions per operation '
               '(QEMU -icount); each pair scaled to its larger bar</text>' % (height - 12))
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --- the two boots ----------------------------------------------------------

def linux_boot(vmlinuz, initrd, timeout=900):
    """Boots Linux with the initramfs in bench.py's QEMU, with its forwards
    to the guest's ports 7801-7802, and plays the host's part of `bench
    net` (tools/bench.py's net_host) once the guest says it is ready.
    Returns the output and the host side's errors."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import bench  # noqa: E402  (its QEMU command line and network host side)
    ports = [bench.free_port(), bench.free_port(), bench.FramePipe()]   # as bench.session
    cmd = list(bench.run.QEMU)
    nic = cmd.index("-nic") + 1
    cmd[nic] += "".join(",hostfwd=tcp:127.0.0.1:%d-:%d" % (p, g)
                        for p, g in zip(ports, (7801, 7802))) + ",id=n0"
    cmd += ports[2].qemu_args("n0")
    ports[2].start()
    cmd[1:1] = ["-cpu", "qemu64", "-icount", "shift=0,align=off,sleep=off"]
    cmd += ["-smp", "1", "-kernel", vmlinuz, "-initrd", initrd,
            "-append", "console=ttyS0 quiet panic=-1"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out, errors, host = [], [], None

    def read():
        while True:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                break
            out.append(chunk)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    end = time.time() + timeout
    while proc.poll() is None and time.time() < end:
        if host is None and b"bench: net ready" in b"".join(out):
            host = threading.Thread(target=bench.net_host, args=(ports, errors), daemon=True)
            host.start()
        time.sleep(0.2)
    if proc.poll() is None:
        proc.kill()                                   # our QEMU, by its pid
        errors.append("timed out after %d s" % timeout)
    proc.wait()
    reader.join(10)
    if host:
        host.join(5)
    return b"".join(out).decode("utf-8", "replace"), errors


def our_figures():
    """This system's figures: build/bench.json if `make bench` wrote it
    after the last build of the system, else a 1-CPU bench boot."""
    path, iso = os.path.join(BUILD, "bench.json"), os.path.join(BUILD, "os.iso")
    if os.path.exists(path) and os.path.getmtime(path) > os.path.getmtime(iso):
        with open(path) as f:
            figures = json.load(f)
        if all(o in figures for _, o, _, _ in ROWS):
            print("ours: from %s" % path)
            return figures
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import bench  # noqa: E402
    bench.run.DRIVE_OPTS = ",cache=unsafe"
    print("ours: the 1-CPU bench and bench net boots")
    figures = bench.session("bench", 1, True)[0]
    figures.update(bench.session("bench net", 1, True)[0])
    return figures


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[2])
        sys.exit(2)
    linux_dir = os.path.join(BUILD, "linux")
    with open(os.path.join(linux_dir, ".stamp")) as f:
        version = f.read().strip()
    initrd = os.path.join(BUILD, "compare", "initramfs.cpio")
    with open(initrd, "wb") as f:
        f.write(initramfs(sys.argv[1], sys.argv[2], e1000_module(linux_dir)))
    ours = our_figures()
    t0 = time.time()
    out, errors = linux_boot(os.path.join(linux_dir, "vmlinuz"), initrd)
    linux = parse_figures(out)
    if "done" not in out.split("bench: ")[-1] or not linux or errors:
        print("make compare: the Linux boot did not finish:\n%s\n%s"
              % (out[-3000:], "\n".join("host side: " + e for e in errors)))
        sys.exit(1)
    print("Linux: %s, booted and measured in %.0f s" % (version, time.time() - t0))
    rows = compare(ours, linux)
    print("Median instructions per operation (QEMU -icount, -cpu qemu64, 1 CPU)")
    print("\n".join(table(rows)))
    for r in rows:
        print("  %-24s %s" % (r["key"], r["what"]))
    with open(os.path.join(BUILD, "compare.json"), "w") as f:
        json.dump({"linux": version, "rows": rows, "ours_raw": ours, "linux_raw": linux},
                  f, indent=1)
    with open(os.path.join(BUILD, "compare.svg"), "w") as f:
        f.write(svg(rows, "This system beside Linux %s" % version.split("_")[1]))
    missing = [k for k, _, _, _ in ROWS if k not in {r["key"] for r in rows}]
    if missing:
        print("missing: %s" % ", ".join(missing))
        sys.exit(1)


if __name__ == "__main__":
    main()
