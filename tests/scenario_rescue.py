"""Rescue mode: the disk cannot be mounted (zeroed superblock), fs serves
only the boot files, and the shell is still usable: its builtins and the
rescue tools in the boot file set (Makefile RESCUE_PROGS)."""
import os
import re
import shutil
import tempfile

import scenario_disk

RESCUE_TOOLS = ["ls", "cat", "cp", "mv", "rm", "mkdir", "rmdir", "ps", "kill", "poweroff", "svc", "stat"]


def zeroed_disk(build, tmp):
    img = scenario_disk.make_disk(build, tmp, {})
    with open(img, "r+b") as f:
        f.seek(1024)
        f.write(b"\0" * 1024)           # the superblock
    return img


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        sh = Shell(disk=zeroed_disk(BUILD, tmp))
        record("scenario.rescue_prompt", sh.ready, sh.text()[-800:])
        if not sh.ready:
            sh.stop()
            return
        out = sh.run("ls /bin") or ""
        missing = [t for t in RESCUE_TOOLS + ["sh"] if t not in out.split()]
        record("scenario.rescue_tools_in_bin", not missing, "missing %s in %r" % (missing, out))
        out = sh.run("echo rescue $((6 * 7))")
        record("scenario.rescue_echo_builtin", (out or "").strip() == "rescue 42", repr(out))
        out = sh.run("printf '%s-%d\\n' a 5; test -d /bin && echo dir")
        record("scenario.rescue_printf_test_builtins", (out or "").strip() == "a-5\ndir", repr(out))
        sh.run("mkdir /r")
        sh.run("echo kept > /r/f")
        sh.run("cp /r/f /r/g")
        out = sh.run("cat /r/g")
        record("scenario.rescue_write_copy_read", (out or "").strip() == "kept", repr(out))
        out = sh.run("ps")
        record("scenario.rescue_ps", out is not None and re.search(r"\bfs\b", out) is not None, repr(out))
        sh.stop()
    finally:
        shutil.rmtree(tmp)
