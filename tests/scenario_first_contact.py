"""The README's first command exactly as a new user types it: a clean clone
of this repository, no DISK=, no absolute paths, nothing set in the
environment but a plain PATH, and a session piped into `make run`. Run
twice, since the second run updates the image the first one made."""
import os
import subprocess
import tempfile
import shutil

README_COMMAND = "printf 'hello\\npoweroff\\n' | make run"
SAME_ON_EVERY_CPUS = True                    # run.py: make run picks the CPUs (2)
PLAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def readme_shows_command(root):
    with open(os.path.join(root, "README.md")) as f:
        return README_COMMAND in f.read()


def run_all(Shell, BUILD, record):
    root = os.path.dirname(BUILD)
    record("scenario.readme_shows_piped_make_run", readme_shows_command(root),
           "README.md does not show %r" % README_COMMAND)
    tmp = tempfile.mkdtemp()
    try:
        clone = os.path.join(tmp, "os")
        subprocess.run(["git", "clone", "-q", root, clone], check=True)
        env = {"PATH": PLAIN_PATH, "HOME": tmp}
        for n in (1, 2):
            p = subprocess.run(["sh", "-c", README_COMMAND], cwd=clone, env=env,
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=1200)
            out = (p.stdout + p.stderr).decode("utf-8", "replace")
            record("scenario.readme_make_run_clean_clone_%d" % n,
                   p.returncode == 0 and "hello, world" in out,
                   "status %d: %s" % (p.returncode, out[-1500:]))
            if n == 1:
                record("scenario.readme_make_run_boots_two_cpus", "[kernel] 2 CPUs up" in out,
                       out[-1500:])
        img = os.path.join(clone, "build", "disk.img")
        fsck = subprocess.run(["e2fsck", "-fn", img], capture_output=True, text=True)
        record("scenario.readme_make_run_image_clean", fsck.returncode == 0, fsck.stdout[-800:])
    finally:
        shutil.rmtree(tmp)
