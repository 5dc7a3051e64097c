#!/usr/bin/env python3
"""Host tests of tools/compare.py's pure parts: parsing the bench lines,
the rows and the ratio, the text table, the SVG chart and the cpio
archive. Installed as build/host/test_compare by make hosttest; prints
"ok test_compare.NAME" or "not ok test_compare.NAME: why" per test."""
import os
import sys
import xml.etree.ElementTree as ET

# tests/host/test_compare.py or build/host/test_compare: the root is 3 up.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import compare  # noqa: E402

OURS = {"null_syscall": 95, "ipc_roundtrip": 500, "read_4k_cached": 3017,
        "spawn_wait": 236875, "boot_to_prompt": 17164248, "yield_switch": 233}
LINUX = {"null_syscall": 327, "pipe_roundtrip": 12942, "read_4k_cached": 2256,
         "spawn_wait": 612460, "boot_to_init": 1701040767}
failed = 0


def check(name, cond, why=""):
    global failed
    print(("ok test_compare.%s" % name) if cond else ("not ok test_compare.%s: %s" % (name, why)))
    failed += not cond


def test_parse():
    text = ("junk\r\nbench: cpu QEMU Virtual CPU version 2.5+\r\nbench: null_syscall 327\n"
            "bench: pipe_roundtrip 12942\nbench: half\nbench: x 12a\n[ 1.7] reboot\n")
    got = compare.parse_figures(text)
    check("parse", got == {"null_syscall": 327, "pipe_roundtrip": 12942}, repr(got))


def test_rows():
    rows = compare.compare(OURS, LINUX)
    keys = [r["key"] for r in rows]
    check("rows_keys", keys == ["null_syscall", "ipc_roundtrip", "read_4k_cached",
                                "spawn_wait", "boot"], repr(keys))
    ipc = rows[1]
    check("rows_pairs_ipc_with_pipe", (ipc["ours"], ipc["linux"], ipc["ratio"]) ==
          (500, 12942, 0.04), repr(ipc))
    check("rows_ratio", rows[0]["ratio"] == 0.29 and rows[2]["ratio"] == 1.34, repr(rows))
    partial = compare.compare(OURS, {"null_syscall": 327, "spawn_wait": 0})
    check("rows_only_both", [r["key"] for r in partial] == ["null_syscall"], repr(partial))


def test_table():
    want = ["key                                ours          Linux    ratio",
            "null_syscall                         95            327    0.29x",
            "ipc_roundtrip                       500         12,942    0.04x",
            "read_4k_cached                    3,017          2,256    1.34x",
            "spawn_wait                      236,875        612,460    0.39x",
            "boot                         17,164,248  1,701,040,767    0.01x"]
    got = compare.table(compare.compare(OURS, LINUX))
    check("table", got == want, "\n" + "\n".join(got))


def test_svg():
    rows = compare.compare(OURS, LINUX)
    text = compare.svg(rows, "ours <&> Linux")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        check("svg_parses", False, str(e))
        return
    check("svg_parses", root.tag == "{http://www.w3.org/2000/svg}svg")
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(ns + "rect") if r.get("height") == "20"]
    check("svg_two_bars_per_row", len(bars) == 2 * len(rows), "%d bars" % len(bars))
    widths = [int(b.get("width")) for b in bars]
    # null_syscall: Linux's bar is the full width, ours 95/327 of it.
    check("svg_scaled_to_larger", widths[:2] == [round(440 * 95 / 327), 440], repr(widths[:4]))
    check("svg_tiny_bar_visible", min(widths) >= 1, repr(widths))
    texts = [t.text for t in root.iter(ns + "text")]
    check("svg_labels", "ours <&> Linux" in texts and "12,942" in texts and "0.04x" in texts
          and "boot" in texts, repr(texts))
    check("svg_same_twice", text == compare.svg(rows, "ours <&> Linux"))


def test_cpio():
    data = compare.cpio_newc([("dev", 0o040755, b"", 0, 0),
                              ("dev/console", 0o020600, b"", 5, 1),
                              ("init", 0o100755, b"hello", 0, 0)])
    entries, at = [], 0
    while True:
        head = data[at:at + 110]
        if head[:6] != b"070701":
            check("cpio_magic", False, "at %d: %r" % (at, head[:6]))
            return
        f = [int(head[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name = data[at + 110:at + 110 + namesize - 1].decode()
        at += 110 + namesize
        at += -at % 4
        entries.append((name, f[1], data[at:at + filesize], f[9], f[10]))
        at += filesize
        at += -at % 4
        if name == "TRAILER!!!":
            break
    check("cpio_entries", entries == [("dev", 0o040755, b"", 0, 0),
                                      ("dev/console", 0o020600, b"", 5, 1),
                                      ("init", 0o100755, b"hello", 0, 0),
                                      ("TRAILER!!!", 0, b"", 0, 0)], repr(entries))
    check("cpio_padded", at == len(data) and len(data) % 4 == 0, "%d of %d" % (at, len(data)))


for t in (test_parse, test_rows, test_table, test_svg, test_cpio):
    t()
sys.exit(1 if failed else 0)
