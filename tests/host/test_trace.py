#!/usr/bin/env python3
"""Host tests of the trace dump format (tools/tracefmt.py against the C
layout in kernel/include/uapi/trace.h) and of tools/trace2json and
tools/trace2svg on a known small dump: an IPC round trip, a driver's
death, init's restart. Installed as build/host/test_trace by make
hosttest; prints "ok test_trace.NAME" or "not ok test_trace.NAME: why"."""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tracefmt as tf  # noqa: E402

failed = 0
# One tick a microsecond, so times in the output are the tsc values.
HZ = 1000000
CLIENT, FS, ATA, INIT, ATA2 = 12, 4, 3, 1, 17
T_CLIENT, T_FS, T_ATA, T_INIT = 2068, 1028, 1027, 1024


def check(name, cond, why=""):
    global failed
    print(("ok test_trace.%s" % name) if cond else ("not ok test_trace.%s: %s" % (name, why)))
    failed += not cond


def known_dump():
    """A client's read: call to fs, fs's call to ata, which dies; init
    restarts it; the reply comes back to the client."""
    R = tf.pack_record
    recs = [
        R(1000, tf.TR_SWITCH, a_tid=0, b_tid=T_CLIENT, b_pid=CLIENT),
        R(1100, tf.TR_CALL, op=2, a_tid=T_CLIENT, a_pid=CLIENT, b_tid=T_FS, b_pid=FS, arg=CLIENT),
        R(1100, tf.TR_RECV, op=2, a_tid=T_FS, a_pid=FS, b_tid=T_CLIENT, b_pid=CLIENT, arg=CLIENT),
        R(1101, tf.TR_SWITCH, a_tid=T_CLIENT, a_pid=CLIENT, b_tid=T_FS, b_pid=FS),
        R(1200, tf.TR_IRQ, op=14, a_tid=T_FS, a_pid=FS),
        R(1300, tf.TR_FAULT, op=14, a_tid=T_ATA, a_pid=ATA, arg=0),
        R(1310, tf.TR_EXIT, op=tf.PROC_FAULTED, a_pid=ATA, a_tid=T_ATA, arg=14, name="ata"),
        R(1400, tf.TR_USER, op=tf.TRU_RESTART, a_tid=T_INIT, a_pid=INIT, arg=1, name="ata"),
        R(1450, tf.TR_START, op=INIT, a_pid=ATA2, a_tid=T_INIT, name="ata"),
        R(1500, tf.TR_REPLY, op=0, a_tid=T_FS, a_pid=FS, b_tid=T_CLIENT, b_pid=CLIENT, length=4096),
        R(1500, tf.TR_RETURN, op=0, a_tid=T_CLIENT, a_pid=CLIENT, b_tid=T_FS, b_pid=FS,
          length=4096),
        R(1501, tf.TR_SWITCH, a_tid=T_FS, a_pid=FS, b_tid=T_CLIENT, b_pid=CLIENT),
    ]
    procs = [(INIT, 0, "init"), (FS, 1, "fs"), (CLIENT, 9, "cat"), (ATA2, 1, "ata")]
    threads = [(T_INIT, INIT, 0, "init"), (T_FS, FS, 1, "fs"), (T_CLIENT, CLIENT, 9, "cat")]
    out = tf.pack_header(1, HZ, len(procs), len(threads), len(recs))
    out += b"".join(tf.PROC.pack(p, pp, n.encode()) for p, pp, n in procs)
    out += b"".join(tf.THREAD.pack(t, p, pp, 0, n.encode()) for t, p, pp, n in threads)
    return out + b"".join(recs)


C_LAYOUT = r"""
#include <stddef.h>
#include <stdio.h>
#include "uapi/trace.h"
int main(void)
{
    printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu\n",
           sizeof(struct trace_rec), offsetof(struct trace_rec, type),
           offsetof(struct trace_rec, cpu), offsetof(struct trace_rec, op),
           offsetof(struct trace_rec, a_tid), offsetof(struct trace_rec, a_pid),
           offsetof(struct trace_rec, b_tid), offsetof(struct trace_rec, len),
           offsetof(struct trace_rec, name), offsetof(struct trace_rec, arg),
           sizeof(struct trace_file_hdr), offsetof(struct trace_file_hdr, nrec),
           sizeof(struct trace_file_proc), sizeof(struct trace_thread));
    printf("%d %d %d %d\n", TR_USER, TR_TYPES, TRACE_MAGIC == 0x31435254u, TRU_RESTARTED);
    return 0;
}
"""


def test_c_layout():
    """The Python struct formats match the C header the kernel uses."""
    with tempfile.TemporaryDirectory() as d:
        src, exe = os.path.join(d, "l.c"), os.path.join(d, "l")
        with open(src, "w") as f:
            f.write(C_LAYOUT)
        r = subprocess.run(["gcc", "-I", os.path.join(ROOT, "kernel", "include"), "-o", exe, src],
                           capture_output=True, text=True)
        if r.returncode:
            check("c_layout", False, r.stderr[-300:])
            return
        got = subprocess.run([exe], capture_output=True, text=True).stdout.split()
    want = [48, 8, 9, 12, 16, 20, 24, 32, 24, 40, tf.HDR.size, 32, tf.PROC.size, tf.THREAD.size,
            tf.TR_USER, len(tf.TYPES), 1, tf.TRU_RESTARTED]
    check("c_layout", [int(x) for x in got] == want, "C %s, Python %s" % (got, want))
    check("record_size", tf.REC.size == 48 and tf.HDR.size == 48, "%d %d" % (tf.REC.size, tf.HDR.size))


def test_parse():
    d = tf.parse(known_dump())
    recs = d["records"]
    check("parse_sorted", [r["tsc"] for r in recs] == sorted(r["tsc"] for r in recs))
    check("parse_tables", d["procs"][CLIENT] == (9, "cat") and d["threads"][T_FS] == FS,
          repr(d["procs"]))
    call = [r for r in recs if r["type"] == tf.TR_CALL][0]
    check("parse_call", (call["a_pid"], call["b_pid"], call["op"], call["arg"]) == (CLIENT, FS, 2, CLIENT),
          repr(call))
    ex = [r for r in recs if r["type"] == tf.TR_EXIT][0]
    check("parse_exit_name", ex["name"] == "ata" and ex["op"] == tf.PROC_FAULTED, repr(ex))
    for name, data in (("bad_magic", b"\0" * 48 + known_dump()[48:]),
                       ("truncated", known_dump()[:-10]), ("short", b"TRC1")):
        try:
            tf.parse(data)
            check("parse_rejects_" + name, False, "accepted")
        except tf.FormatError:
            check("parse_rejects_" + name, True)


def run_tool(tool, *args):
    with tempfile.TemporaryDirectory() as d:
        dump, out = os.path.join(d, "t.bin"), os.path.join(d, "out")
        with open(dump, "wb") as f:
            f.write(known_dump())
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", tool), dump, "-o", out]
                           + list(args), capture_output=True, text=True)
        if r.returncode:
            return None, r.stderr
        with open(out) as f:
            return f.read(), ""


def test_json():
    text, err = run_tool("trace2json")
    if text is None:
        check("json_runs", False, err)
        return
    ev = json.loads(text)["traceEvents"]
    names = {(e["pid"], e["tid"], e["name"]): e["args"]["name"] for e in ev if e["ph"] == "M"}
    check("json_process_names", names.get((CLIENT, 0, "process_name")) == "cat (pid 12)" and
          names.get((FS, 0, "process_name")) == "fs (pid 4)" and
          names.get((ATA, 0, "process_name")) == "ata (pid 3)", repr(names))
    check("json_thread_names", names.get((FS, T_FS, "thread_name")) == "fs thread 4", repr(names))
    flows = sorted((e["ph"], e["pid"], e["tid"], e["ts"], e["id"]) for e in ev if e["ph"] in "sf")
    want = [("f", FS, T_FS, 100.0, 0), ("f", CLIENT, T_CLIENT, 500.0, 1),
            ("s", FS, T_FS, 500.0, 1), ("s", CLIENT, T_CLIENT, 100.0, 0)]
    check("json_ipc_flows", flows == want, repr(flows))
    sl = {(e["pid"], e["name"]): (e["ts"], e["dur"]) for e in ev if e["ph"] == "X"}
    check("json_serve_slice", sl.get((FS, "serve op 2 for cat")) == (100.0, 400.0), repr(sl))
    check("json_call_slice", sl.get((CLIENT, "call fs op 2")) == (100.0, 400.0), repr(sl))
    check("json_running", sl.get((FS, "running")) == (101.0, 400.0) and
          sl.get((CLIENT, "running")) == (0.0, 101.0), repr(sl))
    inst = {(e["cat"], e["name"], e["pid"], e["ts"]) for e in ev if e["ph"] == "i"}
    for name, item in (("death", ("death", "ata died: page fault", ATA, 310.0)),
                       ("restart", ("restart", "restart ata (#1)", INIT, 400.0)),
                       ("fault", ("fault", "page fault at 0x0", ATA, 300.0)),
                       ("irq", ("irq", "IRQ 14", FS, 200.0)),
                       ("start", ("start", "ata started (pid 17)", ATA2, 450.0))):
        check("json_instant_" + name, item in inst, repr(sorted(inst)))


def test_svg():
    text, err = run_tool("trace2svg")
    if text is None:
        check("svg_runs", False, err)
        return
    try:
        svg = ET.fromstring(text)
    except ET.ParseError as e:
        check("svg_parses", False, str(e))
        return
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in svg.iter(ns + "text")]
    check("svg_lanes", all(any(l and l.startswith(w) for l in labels) for w in
                           ("init 1/0", "fs 4/4", "cat 12/20")), repr(labels))
    check("svg_death_label", "ata died: page fault" in labels, repr(labels))
    check("svg_restart_label", "restart ata (#1)" in labels, repr(labels))
    arrows = [(l.get("marker-end"), float(l.get("x1")), float(l.get("x2")), int(l.get("y1")),
               int(l.get("y2"))) for l in svg.iter(ns + "line") if l.get("marker-end")]
    # 0..501 us over 1400 px from x=190: the call at 100 us, the reply at 500 us.
    x100, x500 = 190 + 100 * 1400 / 501, 190 + 500 * 1400 / 501
    calls = [a for a in arrows if a[0] == "url(#call)"]
    replies = [a for a in arrows if a[0] == "url(#reply)"]
    check("svg_call_arrow", len(calls) == 1 and abs(calls[0][1] - x100) < 0.2 and calls[0][3] > calls[0][4],
          repr(calls))
    check("svg_reply_arrow", len(replies) == 1 and abs(replies[0][1] - x500) < 0.2 and
          replies[0][3] < replies[0][4], repr(replies))
    titles = [t.text for t in svg.iter(ns + "title")]
    check("svg_serve_slice", "serve op 2 for cat (4096 bytes)" not in titles and
          "serve op 2 for cat (0 bytes)" in titles, repr(titles))
    check("svg_self_contained", "href" not in text and "<script" not in text)


def main():
    test_c_layout()
    test_parse()
    test_json()
    test_svg()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
