"""Scenario tests of robustness: random system calls from several
processes (fuzz) and programs that take one resource until the system
refuses it (hog). Afterwards the shell, ps and the file system must answer
and the kernel must not have panicked."""
import os
import re

CALLS = 30000
LIMITS_H = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel", "include",
                        "uapi", "limits.h")


def limit_mib():
    """LIMIT_PAGES from the kernel's limits.h, in MiB (4 KiB pages)."""
    with open(LIMITS_H) as f:
        return int(re.search(r"#define LIMIT_PAGES\s+(\d+)", f.read()).group(1)) // 256


def services_answer(sh, record, prefix):
    """The shell, ps, ls and a file read still work."""
    out = sh.run("echo alive", timeout=30)
    record(prefix + "_shell_answers", out is not None and out.startswith("alive\n"), repr(out))
    out = sh.run("ps", timeout=30) or ""
    record(prefix + "_ps_works", all(n in out for n in (" init", " fs", " proc", " sh")), repr(out))
    out = sh.run("ls /", timeout=30) or ""
    record(prefix + "_ls_works", "bin\n" in out and "etc\n" in out, repr(out))
    out = sh.run("cat /etc/motd", timeout=30) or ""
    record(prefix + "_file_read_works", out.startswith("Welcome."), repr(out))


def fuzz(Shell, record):
    """fuzz -n 30000 -s 1: every call answered, no wrong result, no
    process left behind, no worker stuck, no panic; then everything works."""
    sh = Shell()
    if not sh.ready:
        record("scenario.fuzz_boots", False, sh.text()[-1500:])
        sh.stop()
        return
    out = sh.run("fuzz -n %d -s 1" % CALLS, timeout=600) or ""
    m = re.search(r"^fuzz: (\d+) calls, (\d+) errors, (\d+) workers died \(.*?(\d+) stuck\), "
                  r"(\d+) wrong results, (\d+) processes leaked, (\d+) calls not made$", out, re.M)
    record("scenario.fuzz_summary_line", m is not None, repr(out[-800:]))
    if m:
        calls, errors, _, stuck, wrong, leaked, left = (int(g) for g in m.groups())
        record("scenario.fuzz_all_calls_made", calls == CALLS and left == 0, m.group(0))
        record("scenario.fuzz_errors_reported", 0 < errors < calls, m.group(0))
        record("scenario.fuzz_no_wrong_results", wrong == 0, m.group(0))
        record("scenario.fuzz_no_process_leaked", leaked == 0, m.group(0))
        record("scenario.fuzz_no_worker_stuck", stuck == 0, m.group(0))
    record("scenario.fuzz_watchdog_quiet", re.search(r"^fuzz: \d+ CPUs?, 0 watchdog stalls$", out, re.M)
           is not None, repr(out[-800:]))
    services_answer(sh, record, "scenario.after_fuzz")
    text = sh.text()
    sh.stop()
    record("scenario.fuzz_no_kernel_panic", "KERNEL PANIC" not in text,
           text[text.find("KERNEL PANIC"):][:1500])


def hogs(Shell, record):
    """hog spawn / mem / ipc each get a clear error at the per-process
    limit; the shell and the services keep working during and after."""
    sh = Shell()
    if not sh.ready:
        record("scenario.hog_boots", False, sh.text()[-1500:])
        sh.stop()
        return
    out = sh.run("hog spawn", timeout=120) or ""
    record("scenario.hog_spawn_refused_at_limit",
           "hog: spawn refused after 32 children: " in out and "ended its 32 children" in out,
           repr(out))
    out = sh.run("ps", timeout=30) or ""
    record("scenario.hog_spawn_children_gone", " sleep\n" not in out, repr(out))
    services_answer(sh, record, "scenario.after_hog_spawn")

    out = sh.run("hog mem", timeout=120) or ""
    limit = limit_mib()
    m = re.search(r"hog: malloc refused after (\d+) MiB: \S.* \(limit %d MiB per process\)" % limit,
                  out)
    record("scenario.hog_mem_refused_at_limit",
           m is not None and limit * 3 // 4 <= int(m.group(1)) < limit, repr(out))
    services_answer(sh, record, "scenario.after_hog_mem")

    sh.run("hog ipc 3 > /tmp/hog.out &", timeout=30)
    services_answer(sh, record, "scenario.during_hog_ipc")
    sh.run("sleep 4", timeout=60)
    out = sh.run("cat /tmp/hog.out", timeout=30) or ""
    record("scenario.hog_ipc_thread_refused_at_limit",
           "hog: thread refused after 32 threads: out of memory or of a per-process limit" in out,
           repr(out))
    m = re.search(r"hog: (\d+) calls to fs from 31 threads", out)
    record("scenario.hog_ipc_flood_ran", m is not None and int(m.group(1)) > 0, repr(out))
    services_answer(sh, record, "scenario.after_hog_ipc")
    text = sh.text()
    sh.stop()
    record("scenario.hog_no_kernel_panic", "KERNEL PANIC" not in text,
           text[text.find("KERNEL PANIC"):][:1500])
