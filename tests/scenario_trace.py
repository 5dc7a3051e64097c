"""Scenario test of make trace: tools/trace_run.py (the script make trace
runs) records `cat /big.bin` in QEMU with the disk driver crashed in the
middle; the JSON it writes must parse and show the reader's IPC to fs and
fs's to the driver as flows, the driver's death, init's restart and the
restarted driver serving fs again; the SVG must parse and mark both."""
import json
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET

SAME_ON_EVERY_CPUS = True            # it boots its own QEMU (one CPU)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def flows_between(ev, names):
    """(from process name, to process name) of every completed flow."""
    start = {e["id"]: e for e in ev if e["ph"] == "s"}
    return [(names.get(start[e["id"]]["pid"]), names.get(e["pid"]), e["pid"])
            for e in ev if e["ph"] == "f" and e["id"] in start]


def check_json(path, record):
    try:
        with open(path) as f:
            ev = json.load(f)["traceEvents"]
    except (OSError, ValueError, KeyError) as e:
        record("scenario.trace_json_parses", False, str(e))
        return
    record("scenario.trace_json_parses", True)
    names = {e["pid"]: e["args"]["name"].split(" (")[0] for e in ev
             if e["ph"] == "M" and e["name"] == "process_name"}
    inst = [(e["cat"], e["name"], e["ts"]) for e in ev if e["ph"] == "i"]
    deaths = [i for i in inst if i[0] == "death" and i[1].startswith("ata died")]
    restarts = [i for i in inst if i[0] == "restart" and i[1].startswith("restart ata")]
    record("scenario.trace_ata_death", len(deaths) == 1, repr(deaths))
    record("scenario.trace_init_restart", len(restarts) == 1 and deaths and
           restarts[0][2] >= deaths[0][2], repr(restarts))
    flows = flows_between(ev, names)
    record("scenario.trace_flows_cat_fs", ("cat", "fs") in [f[:2] for f in flows] and
           ("fs", "cat") in [f[:2] for f in flows], repr(sorted(set(f[:2] for f in flows))))
    ata_pids = sorted({f[2] for f in flows if f[:2] == ("fs", "ata")})
    record("scenario.trace_flows_fs_to_both_ata", len(ata_pids) == 2,
           "fs called ata pids %s" % ata_pids)
    died_at = deaths[0][2] if deaths else 0
    served_after = [e for e in ev if e["ph"] == "X" and e["cat"] == "ipc" and
                    e["pid"] == (ata_pids[-1] if ata_pids else -1) and e["ts"] > died_at]
    record("scenario.trace_new_ata_serves", len(served_after) > 0, "no request served after")


def check_svg(path, record):
    try:
        svg = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        record("scenario.trace_svg_parses", False, str(e))
        return
    texts = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    record("scenario.trace_svg_marks", any(t.startswith("ata died") for t in texts) and
           any(t.startswith("restart ata") for t in texts), repr(texts[:40]))


def shell_commands(Shell, record):
    """trace start / stop / dump at the shell, and its errors."""
    sh = Shell()
    try:
        if not sh.ready:
            record("scenario.trace_shell_commands", False, "no prompt")
            return
        out = [sh.run(l, timeout=60) or "" for l in (
            "trace start -b 256", "ls / > /tmp/ls.out", "trace stop", "trace dump /tmp/t.bin",
            "ls -l /tmp/t.bin", "trace start -b 1; echo status $?", "trace dump; echo status $?")]
        m = [l for l in out[3].splitlines() if l.startswith("trace: ")]
        n = int(m[0].split()[1]) if m and m[0].split()[1].isdigit() else 0
        record("scenario.trace_shell_dump", n > 0 and "/tmp/t.bin" in out[3] and
               "t.bin" in out[4], repr(out[3:5]))
        # header 48, process and thread entries 32 each, records 48 each
        fits = [int(f) for f in out[4].split() if f.isdigit() and int(f) > 48 + 48 * n and
                (int(f) - 48 - 48 * n) % 32 == 0]
        record("scenario.trace_dump_size", n > 0 and len(fits) == 1, "%d records, ls: %r"
               % (n, out[4]))
        record("scenario.trace_shell_errors", "status 2" in out[5] and "status 2" in out[6] and
               "give KiB" in out[5], repr(out[5:]))
    finally:
        sh.stop()


def run_all(Shell, build, record):
    shell_commands(Shell, record)
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import trace_run
    out = tempfile.mkdtemp()
    try:
        err, paths = trace_run.run(out=out)
        log = ""
        if err and os.path.exists(paths.get("log", "")):
            with open(paths["log"]) as f:
                log = f.read()[-800:]
        record("scenario.trace_make_trace", err is None, "%s: %s" % (err, log))
        if err is None:
            check_json(paths["json"], record)
            check_svg(paths["svg"], record)
    finally:
        shutil.rmtree(out, ignore_errors=True)
