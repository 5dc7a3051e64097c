"""Scenario tests of the POSIX layer and the system programs built on it:
tests/programs/posix_check.c and wordexp_check.c print the same inside
the system as on the host; ln, ln -s, ls -l, stat, chmod typed at the shell give what GNU
coreutils give for the same files; date, uptime, free and ps give their
written formats with figures that fit the machine (1 GiB) and the host's
clock; the disk is clean for e2fsck -fn afterwards."""
import difflib
import os
import re
import shutil
import subprocess
import tempfile

import scenario_common

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST_ENV = scenario_common.HOST_ENV
SAMPLE = {"a.txt": "alpha\nbeta\n", "b.txt": "bee\n", "c.log": "log\n"}


def host(cmd, cwd):
    """Runs cmd under the host's /bin/sh in cwd; stdout and stderr."""
    p = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=HOST_ENV, capture_output=True, text=True)
    return p.stdout + p.stderr


def fill(folder):
    os.makedirs(os.path.join(folder, "sub"), exist_ok=True)
    for name, text in SAMPLE.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)


def differ(want, got):
    """The lines that differ, as a unified diff (for a failure message)."""
    return "\n".join(difflib.unified_diff(want.splitlines(), (got or "").splitlines(), "host", "system",
                                           lineterm=""))


def make_disk(build, tmp):
    """A disk like make disk's with posix_check in /bin and the sample
    files in /home/pc; the host's copy of them is tmp/host."""
    root = scenario_common.copy_root(build, tmp)
    fill(os.path.join(root, "home/pc"))
    fill(os.path.join(tmp, "host"))
    for name in ("posix_check", "wordexp_check"):
        src = os.path.join(ROOT, "tests/programs/%s.c" % name)
        subprocess.run(["gcc", "-O2", "-o", os.path.join(tmp, name), src], check=True)
        scenario_common.tools_cc(src, os.path.join(root, "bin", name))
    return scenario_common.make_image(root, os.path.join(tmp, "disk.img"))


def posix_check(sh, tmp, record):
    want = subprocess.run([os.path.join(tmp, "posix_check"), os.path.join(tmp, "host")],
                          capture_output=True, text=True, env=HOST_ENV).stdout
    got = sh.run("posix_check /home/pc", timeout=120)
    record("scenario.libc_posix_check_matches_host", got == want and "malloc 128 MiB: ok" in want,
           differ(want, got))
    # wordexp runs "sh -c" with printf: this needs /bin/printf (or the
    # shell's builtin) and the shell's $((...)), $(...), `...` and set -u.
    want = subprocess.run([os.path.join(tmp, "wordexp_check")], capture_output=True, text=True,
                          env=HOST_ENV).stdout
    got = sh.run("wordexp_check", timeout=120)
    record("scenario.libc_wordexp_matches_host", got == want, differ(want, got))


def ls_fields(out):
    """GNU ls -l lines as this system's ls -l prints them:
    MODE LINKS SIZE NAME[ -> TARGET]."""
    lines = []
    for line in out.splitlines():
        f = line.split(None, 8)
        if len(f) == 9:
            lines.append("%s %3s %8s %s" % (f[0].rstrip(".+"), f[1], f[4], f[8]))
    return "\n".join(lines) + "\n"


def links(sh, tmp, record):
    """ln, ln -s, ln -f, ls -l, stat on symlinks, and ln's errors."""
    h = os.path.join(tmp, "lnhost")
    os.makedirs(h)
    steps = ["echo hello > a", "echo other > o", "ln a b", "ln -s a s", "ln -s /nowhere dang",
             "mkdir d", "ln a o d", "ln -s ../a d/up", "ln -sf o s"]
    sh.run("mkdir /tmp/ln")
    sh.run("cd /tmp/ln")
    for step in steps:
        host(step, h)
        sh.run(step)
    for cmd in ("ls -l", "ls -l d", "ls -l s", "cat s", "cat d/up"):
        want = ls_fields(host("ls -l " + cmd[6:], h)) if cmd.startswith("ls") else host(cmd, h)
        got = sh.run(cmd)
        record("scenario.libc_%s_matches_host" % re.sub(r"\W+", "_", cmd), got == want,
               "want %r\ngot  %r" % (want, got))
    got = sh.run("stat s") or ""
    want = host("stat s", h)
    record("scenario.libc_stat_symlink_matches_host",
           got.startswith("  File: s -> o\n") and want.startswith("  File: s -> o\n")
           and "symbolic link" in got and "symbolic link" in want
           and "Access: (0777/lrwxrwxrwx)" in got and "Access: (0777/lrwxrwxrwx)" in want,
           "want %r\ngot  %r" % (want, got))
    for cmd in ("ln a b", "ln missing x", "ln -s a s", "ln d d2", "ln"):
        want = host(cmd, h).splitlines()[0] + "\n"
        got = sh.run(cmd) or ""
        record("scenario.libc_error_%s_matches_host" % re.sub(r"\W+", "_", cmd),
               got.splitlines()[:1] == want.splitlines(), "want %r\ngot  %r" % (want, got))
    sh.run("rm a")
    got, want = sh.run("ls -l b"), ls_fields(host("rm a; ls -l b", h))
    record("scenario.libc_link_count_after_rm_matches_host", got == want,
           "want %r\ngot  %r" % (want, got))


def chmod(sh, tmp, record):
    """chmod with octal and symbolic modes: the mode ls -l shows afterwards
    equals the host's after the same chmod from the same start."""
    h = os.path.join(tmp, "chhost")
    os.makedirs(os.path.join(h, "dir"))
    host("echo x > f", h)
    sh.run("mkdir /tmp/ch")
    sh.run("cd /tmp/ch")
    sh.run("echo x > f")
    sh.run("mkdir dir")
    cases = [("640", "755", "f"), ("640", "4751", "f"), ("777", "u+x,go-w,a=r", "f"),
             ("640", "u=rwx,g=rx,o=", "f"), ("640", "a+X", "f"), ("750", "a+X", "f"),
             ("700", "a+X", "dir"), ("640", "go=u", "f"), ("751", "u-x,g+u", "f"),
             ("644", "o+t,u+s", "dir"), ("7777", "o=r", "f"), ("600", "1777", "dir"),
             ("6755", "0755", "dir"), ("6755", "01777", "dir"), ("6755", "755", "f")]
    for start, mode, name in cases:
        want = host("chmod %s %s && chmod %s %s && stat -c %%A %s" % (start, name, mode, name, name), h)
        sh.run("chmod %s %s" % (start, name))
        sh.run("chmod %s %s" % (mode, name))
        m = re.search(r"Access: \(\d+/(\S+)\)", sh.run("stat " + name) or "")
        got = m.group(1) + "\n" if m else None
        record("scenario.libc_chmod_%s_from_%s_on_%s_matches_host" % (re.sub(r"\W+", "_", mode), start, name),
               got == want, "want %r got %r" % (want, got))
    for step in ("mkdir r", "mkdir r/s", "echo x > r/f", "echo y > r/s/g", "ln -s f r/l",
                 "chmod -R 700 r", "chmod -R go+rX,u-w r"):
        sh.run(step)
        host(step, h)
    for name in ("r", "r/f", "r/s", "r/s/g", "r/l"):
        want = host("stat -c %A " + name, h)
        m = re.search(r"Access: \(\d+/(\S+)\)", sh.run("stat " + name) or "")
        got = m.group(1) + "\n" if m else None
        record("scenario.libc_chmod_R_%s_matches_host" % re.sub(r"\W+", "_", name), got == want,
               "want %r got %r" % (want, got))
    got = sh.run("chmod 9 f") or ""
    record("scenario.libc_chmod_bad_mode_error",
           got.startswith("chmod: invalid mode: '9'\n") and host("chmod 9 f", h).startswith("chmod: invalid mode"),
           repr(got))
    got, want = sh.run("chmod 644 nothere"), host("chmod 644 nothere", h)
    record("scenario.libc_chmod_missing_file_matches_host", got == want, "want %r got %r" % (want, got))


def clocks(sh, tmp, record):
    """date against the host's date; uptime in its written format."""
    got, want = sh.run("date -u +%F"), host("date -u +%F", tmp)
    record("scenario.libc_date_day_matches_host", got == want, "want %r got %r" % (want, got))
    for n in ("0", "1700000000", "951782400", "4102444799"):
        got, want = sh.run("date -d @" + n), host("TZ=UTC0 date -d @" + n, tmp)
        record("scenario.libc_date_at_%s_matches_host" % n, got == want, "want %r got %r" % (want, got))
        got, want = sh.run("date -u -d @%s +%%Y-%%m-%%dT%%H:%%M:%%S_%%j_%%a_%%b" % n), \
            host("date -u -d @%s +%%Y-%%m-%%dT%%H:%%M:%%S_%%j_%%a_%%b" % n, tmp)
        record("scenario.libc_date_format_at_%s_matches_host" % n, got == want,
               "want %r got %r" % (want, got))
        for opt in ("-R", "-I", "-Ihours", "-Iminutes", "-Iseconds"):
            got, want = sh.run("date -d @%s %s" % (n, opt)), host("TZ=UTC0 date -d @%s %s" % (n, opt), tmp)
            record("scenario.libc_date_%s_at_%s_matches_host" % (opt[1:], n), got == want,
                   "want %r got %r" % (want, got))
    for opt in ("-Iseconds", "-R", ""):
        cmd = "TZ=EST5EDT date -d @1700000000 " + opt
        got, want = sh.run(cmd), host(cmd, tmp)
        record("scenario.libc_date_tz_est5edt_%s_matches_host" % (opt[1:] or "default"), got == want,
               "want %r got %r" % (want, got))
    got = sh.run("date") or ""
    record("scenario.libc_date_default_format",
           re.fullmatch(r"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n", got) is not None, repr(got))
    got = sh.run("date -d yesterday") or ""
    record("scenario.libc_date_bad_date_error", got == "date: invalid date 'yesterday'\n", repr(got))
    got = sh.run("uptime") or ""
    record("scenario.libc_uptime_format",
           re.fullmatch(r" \d\d:\d\d:\d\d up (\d+ min|( \d|\d\d):\d\d)\n", got) is not None, repr(got))
    got = sh.run("uptime -p") or ""
    record("scenario.libc_uptime_pretty", re.fullmatch(r"up (\d+ minutes?|\d+ hours?.*)\n", got) is not None,
           repr(got))
    got, today = sh.run("uptime -s") or "", host("date -u +%F", tmp).strip()
    record("scenario.libc_uptime_since_today",
           re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n", got) is not None and got.startswith(today),
           repr(got))


def memory(sh, tmp, record):
    """free: GNU's header, a 1 GiB machine, used + free = total, -m in MiB;
    ps: a KIB column with every process holding some memory (and a CPU
    column: scenario_smp.py checks it)."""
    got = sh.run("free") or ""
    m = re.search(r"^Mem: +(\d+) +(\d+) +(\d+)$", got, re.M)
    head = host("free", tmp).splitlines()[0].split()[:3]
    record("scenario.libc_free_kib",
           m is not None and got.splitlines()[0].split() == head and
           900 * 1024 < int(m.group(1)) <= 1024 * 1024 and
           int(m.group(2)) + int(m.group(3)) == int(m.group(1)) and int(m.group(2)) > 0, repr(got))
    got_m = sh.run("free -m") or ""
    mm = re.search(r"^Mem: +(\d+) +(\d+) +(\d+)$", got_m, re.M)
    record("scenario.libc_free_mib", m is not None and mm is not None and
           int(mm.group(1)) == int(m.group(1)) >> 10, repr(got_m))
    got = sh.run("free -x") or ""
    record("scenario.libc_free_bad_option", got.startswith(host("free -x", tmp).splitlines()[0] + "\nusage: free "),
           repr(got))
    got = sh.run("ps") or ""
    rows = [l.split() for l in got.splitlines()[1:]]
    record("scenario.libc_ps_memory_column",
           got.startswith("  PID  PPID PRIO STATE CPU    KIB NAME\n") and len(rows) >= 7 and
           all(len(r) == 7 and int(r[5]) > 0 for r in rows) and
           any(r[6] == "fs" and int(r[5]) >= 100 for r in rows), repr(got))


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        img = make_disk(BUILD, tmp)
        sh = scenario_common.boot(Shell, img, record, "scenario.libc_boots")
        if not sh:
            return
        posix_check(sh, tmp, record)
        links(sh, tmp, record)
        chmod(sh, tmp, record)
        clocks(sh, tmp, record)
        memory(sh, tmp, record)
        sh.run("sync")
        sh.stop(keep_disk=True)
        fsck = subprocess.run(["e2fsck", "-fn", sh.disk_copy], capture_output=True, text=True)
        record("scenario.libc_disk_clean_after_links", fsck.returncode == 0,
               fsck.stdout[-1500:] + fsck.stderr[-500:])
        os.unlink(sh.disk_copy)
    finally:
        shutil.rmtree(tmp)
