"""Scenario tests of `ps -l` and `top` at the shell: the long list's
columns and services' restart counts, a spinning program's CPU share, the
IPC rates of a busy loop, top's redrawn screen on the console and its
quitting on q, and a restarted service counted."""
import os
import re
import time

LONG_COLS = ["PID", "PPID", "PRI", "S", "CPU", "TIME", "CALLS", "SERVED", "PAGES", "RESTARTS",
             "NAME"]
TOP_COLS = ["PID", "PPID", "PRI", "S", "CPU", "CPU%", "TIME", "CALLS/s", "SERVED/s", "PAGES",
            "RESTARTS", "NAME"]
TIME_RE = re.compile(r"^\d+:\d\d\.\d{3}$")
PRI_RE = re.compile(r"^(\d+)(?:/(\d+))?$")
LOOP = "while true; do cat /etc/motd > /tmp/loop.out; done\n"


def table(out, cols):
    """The rows of a ps -l or top table as dicts, in the order printed."""
    rows = []
    for line in (out or "").splitlines():
        f = line.split()
        if len(f) == len(cols) and f[0].isdigit():
            rows.append(dict(zip(cols, f)))
    return rows


def by_name(rows, name):
    return [r for r in rows if r["NAME"] == name]


def last_screen(out):
    """top's last refresh: its summary line and its rows."""
    parts = re.split(r"(?m)^(?=top: )", out or "")
    last = parts[-1] if len(parts) > 1 else ""
    return last.splitlines()[0] if last else "", table(last, TOP_COLS)


def seconds(t):
    m, s = t.split(":")
    return int(m) * 60 + float(s)


def row_well_formed(r):
    m = PRI_RE.match(r["PRI"])
    pri_ok = m is not None and (m.group(2) is None or m.group(1) != m.group(2))
    return (pri_ok and r["S"] in ("R", "S") and TIME_RE.match(r["TIME"]) is not None
            and r["PAGES"].isdigit() and (r["RESTARTS"] == "-" or r["RESTARTS"].isdigit()))


def ps_long(sh, record):
    out = sh.run("ps -l") or ""
    head = out.splitlines()[0].split() if out.strip() else []
    rows = table(out, LONG_COLS)
    record("scenario.ps_l_header", head == LONG_COLS, repr(out[:300]))
    init, fs = by_name(rows, "init"), by_name(rows, "fs")
    record("scenario.ps_l_init_line",
           len(init) == 1 and init[0]["PID"] == "1" and init[0]["RESTARTS"] == "-" and
           int(init[0]["CALLS"]) > 0, repr(out))
    record("scenario.ps_l_fs_line_service_with_served_calls",
           len(fs) == 1 and fs[0]["RESTARTS"] == "0" and int(fs[0]["SERVED"]) > 0 and
           int(fs[0]["PAGES"]) > 0, repr(out))
    record("scenario.ps_l_rows_well_formed", len(rows) > 5 and all(map(row_well_formed, rows)),
           repr(out))
    short = sh.run("ps") or ""
    names = sorted(l.split()[-1] for l in short.splitlines()[1:] if l.split())
    record("scenario.ps_l_same_processes_as_ps", names == sorted(r["NAME"] for r in rows),
           "ps:\n%s\nps -l:\n%s" % (short, out))
    out = sh.run("ps -x; echo status $?") or ""
    record("scenario.ps_bad_option_refused", "usage: ps [-l]" in out and "status 2" in out,
           repr(out))


def spin_share(sh, record, ncpu):
    sh.run("prio 5 spin &")
    time.sleep(0.5)
    rows = table(sh.run("ps -l"), LONG_COLS)
    spin = by_name(rows, "spin")
    record("scenario.ps_l_shows_base_priority", len(spin) == 1 and spin[0]["PRI"] == "5",
           repr(spin))
    out = sh.run("top -n 2 | cat", timeout=30) or ""
    summary, rows = last_screen(out)
    spin = by_name(rows, "spin")
    pct = [float(r["CPU%"]) for r in rows]
    m = re.match(r"top: (\d+) CPUs?, ([\d.]+)% in use \(of (\d+)%\), (\d+) processes", summary)
    record("scenario.top_plain_output_two_refreshes",
           "\x1b" not in out and out.count("\ntop: ") == 2 and
           " ".join(TOP_COLS) in re.sub(r" +", " ", out), repr(out[:600]))
    record("scenario.top_summary_counts_cpus_and_processes",
           m is not None and int(m.group(1)) == ncpu and int(m.group(3)) == 100 * ncpu and
           int(m.group(4)) == len(rows) and float(m.group(2)) >= max(pct or [0]), repr(summary))
    record("scenario.top_spin_over_half_a_cpu",
           len(spin) == 1 and float(spin[0]["CPU%"]) > 50 and seconds(spin[0]["TIME"]) >= 1,
           repr(out[-1500:]))
    record("scenario.top_sorted_by_cpu_then_pid",
           len(rows) > 5 and rows[0]["NAME"] == "spin" and
           all((pct[i], -int(rows[i]["PID"])) >= (pct[i + 1], -int(rows[i + 1]["PID"]))
               for i in range(len(rows) - 1)), repr(out[-1500:]))
    if spin:
        sh.run("kill %s; wait" % spin[0]["PID"])


def ipc_rates(sh, record):
    _, rows = last_screen(sh.run("top -n 1 | cat", timeout=30))
    fs = by_name(rows, "fs")
    before = int(fs[0]["SERVED/s"]) if fs else -1
    sh.run("echo '%s' > /tmp/loop.sh" % LOOP.strip())
    out = sh.run("sh /tmp/loop.sh &") or ""
    m = re.search(r"\[\d+\] (\d+)", out)
    loop = m.group(1) if m else "none"
    time.sleep(1)
    out = sh.run("top -n 2 | cat", timeout=30) or ""
    _, rows = last_screen(out)
    fs = by_name(rows, "fs")
    me = [r for r in rows if r["PID"] == loop]
    record("scenario.top_fs_serves_calls_of_a_cat_loop",
           len(fs) == 1 and int(fs[0]["SERVED/s"]) > max(before, 0), "before %d:\n%s" % (before, out))
    record("scenario.top_loop_makes_calls",
           len(me) == 1 and int(me[0]["CALLS/s"]) > 0, "loop pid %s:\n%s" % (loop, out))
    sh.run("kill %s; wait" % loop, timeout=30)


def quits_on_q(sh, record):
    start = len(sh.text())
    sh.type("top\n")
    shown = sh.wait_for_from(start, "CALLS/s", 15)
    screen = sh.text()[start:]
    time.sleep(1.5)                          # a second refresh, then q
    sh.type("q")
    t0 = time.time()
    back = False
    while time.time() < t0 + 10 and not back:
        back = sh.text()[start:].endswith(sh.PROMPT)
        time.sleep(0.1)
    record("scenario.top_redraws_the_terminal", shown and "\x1b[H\x1b[2J" in screen,
           repr(screen[:300]))
    record("scenario.top_quits_on_q", back, repr(sh.text()[start:][-600:]))
    out = sh.run("echo back at the shell", timeout=10)
    record("scenario.shell_answers_after_top", out is not None and "back at the shell" in out,
           repr(out))


def counts_restart(sh, record):
    rows = table(sh.run("ps -l"), LONG_COLS)
    ata = by_name(rows, "ata")
    if not ata:
        record("scenario.top_counts_restart", False, "no ata in ps -l: %r" % rows)
        return
    start = len(sh.text())
    sh.run("kill %s" % ata[0]["PID"])
    sh.wait_for_from(start, "init: ata restarted", 30)
    time.sleep(0.5)
    rows = table(sh.run("ps -l"), LONG_COLS)
    now, fs = by_name(rows, "ata"), by_name(rows, "fs")
    record("scenario.ps_l_counts_restart",
           ata[0]["RESTARTS"] == "0" and len(now) == 1 and now[0]["RESTARTS"] == "1" and
           now[0]["PID"] != ata[0]["PID"] and fs and fs[0]["RESTARTS"] == "0", repr(rows))
    _, rows = last_screen(sh.run("top -n 1 | cat", timeout=30))
    now = by_name(rows, "ata")
    record("scenario.top_counts_restart", len(now) == 1 and now[0]["RESTARTS"] == "1", repr(rows))


def run_all(Shell, BUILD, record):
    sh = Shell(disk=os.path.join(BUILD, "test-disk.img"))
    if not sh.ready:
        record("scenario.top_boots", False, sh.text()[-1500:])
        sh.stop()
        return
    try:
        m = re.search(r"\[kernel\] (\d+) CPUs? up", sh.text())
        ncpu = int(m.group(1)) if m else 0
        ps_long(sh, record)
        spin_share(sh, record, ncpu)
        ipc_rates(sh, record)
        quits_on_q(sh, record)
        counts_restart(sh, record)
        out = sh.run("top -n 0; echo status $?") or ""
        record("scenario.top_bad_count_refused", "usage: top" in out and "status 2" in out,
               repr(out))
    finally:
        sh.stop()
