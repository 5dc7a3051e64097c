"""What the scenario modules share: a copy of the built root to add test
files to, a disk image made from such a tree, a program built with
tools/cc, and the host's output of a command line for comparison. (No
run_all: tests/run.py runs nothing from here.)"""

import os
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST_ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}


def copy_root(build, tmp, name="root"):
    """A copy of build/root at tmp/name, to add files to; returns its path."""
    tree = os.path.join(tmp, name)
    shutil.copytree(os.path.join(build, "root"), tree)
    return tree


def make_image(tree, img):
    """Makes the ext2 disk image img holding tree (tools/disk.sh create);
    returns img."""
    subprocess.run(["sh", os.path.join(ROOT, "tools/disk.sh"), "create", img, tree],
                   check=True, stdout=subprocess.DEVNULL)
    return img


def tools_cc(src, out):
    """Builds the C file src for this system with tools/cc -O2 into out."""
    subprocess.run([os.path.join(ROOT, "tools/cc"), "-O2", "-o", out, src], check=True)


def host_output(cmd, cwd):
    """What the host's bash prints for cmd in cwd, with its builtins printf,
    test, [ and echo turned off (so GNU's programs answer) and "status N"
    after it; the trailing newlines stripped."""
    script = "enable -n printf test [ echo\n%s; echo \"status $?\"\n" % cmd
    p = subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, env=HOST_ENV)
    return p.stdout.decode("utf-8", "replace").rstrip("\n")


def boot(Shell, disk, record, name, tail=1500):
    """Boots a Shell on disk. Returns it once its prompt is up; otherwise
    records the failure as name (with the end of the console output),
    stops it and returns None."""
    sh = Shell(disk=disk)
    if sh.ready:
        return sh
    record(name, False, sh.text()[-tail:])
    sh.stop()
    return None
