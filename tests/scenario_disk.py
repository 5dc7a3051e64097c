"""Scenario tests of the disk and the ext2 file system: files written in
the system persist across boots, the image stays clean for e2fsck, and
corrupt images give errors while the shell keeps working."""
import os
import shutil
import struct
import subprocess
import tempfile
import time


def host_cksum(path):
    return subprocess.run(["cksum", path], capture_output=True, text=True).stdout.split()[:2]


def make_disk(build, tmp, extra_files):
    """A disk image like make disk's, plus extra files {path: bytes}."""
    root = os.path.join(tmp, "root")
    shutil.copytree(os.path.join(build, "root"), root)
    for rel, data in extra_files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    img = os.path.join(tmp, "disk.img")
    subprocess.run(["sh", os.path.join(os.path.dirname(build), "tools/disk.sh"), "create", img, root],
                   check=True, stdout=subprocess.DEVNULL)
    return img


def persistence(Shell, build, record):
    tmp = tempfile.mkdtemp()
    try:
        data = os.urandom(1 << 20)
        img = make_disk(build, tmp, {"home/random.bin": data})
        want = host_cksum(os.path.join(tmp, "root/home/random.bin"))
        sh = Shell(disk=img)
        sh.run("cp /home/random.bin /copy", timeout=120)
        out = sh.run("cksum /copy", timeout=60)
        record("scenario.disk_cp_1mib_cksum_matches_host", out is not None and out.split()[:2] == want,
               "host %s, system %r" % (want, out))
        sh.type("poweroff\n")
        status = sh.wait_exit(60)
        shutil.copy(sh.disk_copy, img)
        sh.stop()
        record("scenario.disk_poweroff", status == 0, "status %s" % status)
        fsck = subprocess.run(["e2fsck", "-fn", img], capture_output=True, text=True)
        record("scenario.disk_e2fsck_clean_after_session", fsck.returncode == 0, fsck.stdout[-1500:])
        got = subprocess.run(["debugfs", "-R", "cat /copy", img], capture_output=True).stdout
        record("scenario.disk_debugfs_reads_copy", got == data, "%d bytes back" % len(got))
        sh = Shell(disk=img)
        out = sh.run("cksum /copy", timeout=60)
        sh.stop()
        record("scenario.disk_copy_persists_after_reboot", out is not None and out.split()[:2] == want,
               repr(out))
    finally:
        shutil.rmtree(tmp)


# Commands and what a Unix host prints for them, in a fresh /work.
UNIX_CASES = [
    ("mkdir_nested", ["mkdir -p /w/a/b/c", "ls /w/a/b"], "c"),
    ("mkdir_exists_error", ["mkdir /w", "echo $?"], lambda o: o.strip().endswith("1")),
    ("write_and_append", ["echo one > /w/f", "echo two >> /w/f", "cat /w/f"], "one\ntwo"),
    ("truncate_on_redirect", ["echo longer line > /w/t", "echo x > /w/t", "cat /w/t"], "x"),
    ("rm_file", ["echo x > /w/gone", "rm /w/gone", "ls /w/gone; echo $?"],
     lambda o: o.strip().endswith("1")),
    ("mv_rename", ["echo moved > /w/m1", "mv /w/m1 /w/m2", "cat /w/m2"], "moved"),
    ("mv_into_dir", ["mv /w/m2 /w/a", "ls /w/a"], "b\nm2"),
    ("rmdir_not_empty", ["rmdir /w/a; echo $?"], lambda o: o.strip().endswith("1")),
    ("rm_recursive", ["rm -r /w/a", "ls /w"], "f\nt"),
    ("cp_and_cat", ["cp /w/f /w/g", "cat /w/g"], "one\ntwo"),
    ("many_files", ["cd /w", "for_each_skip", "cd /"], None),
    ("stat_size", ["stat /w/f"], lambda o: "Size: 8" in o),
    ("df_ext2", ["df"], lambda o: "ext2" in o),
    ("touch_creates", ["touch /w/new", "ls /w/new"], "/w/new"),
    ("mtime_is_wall_clock", ["stat /w/f"], lambda o: "Modify: %s" % time.strftime("%Y-%m-%d", time.gmtime()) in o),
    ("ls_long_dir", ["ls -l /w"], lambda o: any(l.startswith("-rw-r--r--") and l.endswith(" f")
                                                 for l in o.splitlines())),
]


def unix_behaviour(Shell, build, record, check):
    sh = Shell()
    for name, cmds, expect in UNIX_CASES:
        if expect is None:
            continue
        out = None
        for c in cmds:
            out = sh.run(c)
        record("scenario.fs_" + name, check(expect, out), "typed %r, got %r" % (cmds, out))
    # a directory that grows over several blocks
    for i in range(120):
        sh.run("echo %d > /w/file_with_a_rather_long_name_%03d" % (i, i))
    out = sh.run("ls /w | wc -l")
    record("scenario.fs_directory_of_many_files", check("124", out), repr(out))
    out = sh.run("cat /w/file_with_a_rather_long_name_077")
    record("scenario.fs_many_files_readable", check("77", out), repr(out))
    sh.type("poweroff\n")
    sh.wait_exit(60)
    fsck = subprocess.run(["e2fsck", "-fn", sh.disk_copy], capture_output=True, text=True)
    sh.stop()
    record("scenario.fs_e2fsck_clean_after_operations", fsck.returncode == 0, fsck.stdout[-1500:])


def superblock(img):
    with open(img, "rb") as f:
        f.seek(1024)
        sb = f.read(1024)
    inodes, blocks, _, _, _, first, log_bs = struct.unpack_from("<7I", sb)
    per_group_inodes = struct.unpack_from("<I", sb, 40)[0]
    inode_size = struct.unpack_from("<H", sb, 88)[0]
    return 1024 << log_bs, first, per_group_inodes, inode_size


def inode_offset(img, ino):
    bs, first, _, isz = superblock(img)
    with open(img, "rb") as f:
        f.seek((first + 1) * bs)                      # group descriptor 0
        gd = f.read(32)
    table = struct.unpack_from("<I", gd, 8)[0]
    return table * bs + (ino - 1) * isz


def debugfs_ino(img, path):
    out = subprocess.run(["debugfs", "-R", "stat " + path, img], capture_output=True, text=True).stdout
    return int(out.split("Inode:")[1].split()[0])


def corruptions(Shell, build, record, check):
    tmp = tempfile.mkdtemp()
    try:
        base = make_disk(build, tmp, {"home/good.txt": b"good\n", "data/bad/x.txt": b"x\n",
                                      "data/far.txt": b"far away\n" * 100})
        cases = []
        # 1. zeroed superblock
        img = os.path.join(tmp, "zero.img")
        shutil.copy(base, img)
        with open(img, "r+b") as f:
            f.seek(1024)
            f.write(b"\0" * 1024)
        cases.append(("zeroed_superblock", img, "ls /bin", lambda o: o is not None))
        # 2. a directory entry with a bad rec_len (first entry of /data/bad)
        img = os.path.join(tmp, "dirent.img")
        shutil.copy(base, img)
        bs = superblock(img)[0]
        out = subprocess.run(["debugfs", "-R", "blocks /data/bad", img], capture_output=True, text=True)
        blk = int(out.stdout.split()[0])
        with open(img, "r+b") as f:
            f.seek(blk * bs + 4)
            f.write(struct.pack("<H", 3))                # rec_len 3: impossible
        cases.append(("bad_dirent_length", img, "ls /data/bad", lambda o: o is not None))
        # 3. an inode whose block pointer points past the disk
        img = os.path.join(tmp, "ptr.img")
        shutil.copy(base, img)
        off = inode_offset(img, debugfs_ino(img, "/data/far.txt"))
        with open(img, "r+b") as f:
            f.seek(off + 40)                             # i_block[0]
            f.write(struct.pack("<I", 0x7fffffff))
        cases.append(("inode_block_past_disk", img, "cat /data/far.txt", lambda o: o is not None))
        for name, img, cmd, _ in cases:
            sh = Shell(disk=img)
            boot = sh.text()
            out = sh.run(cmd, timeout=30) if sh.ready else None
            after = sh.run("cd /boot; pwd", timeout=30) if sh.ready else None
            good = sh.run("cat /home/good.txt", timeout=30) if sh.ready else None
            sh.stop()
            err = (out or "") + boot
            shows_error = ("error" in err.lower() or "cannot" in err.lower() or
                           "invalid" in err.lower() or "corrupt" in err.lower())
            record("scenario.corrupt_%s_reports_error" % name, shows_error and out is not None,
                   "output %r, boot tail %r" % (out, boot[-400:]))
            record("scenario.corrupt_%s_shell_keeps_working" % name, check("/boot", after),
                   repr(after))
            if name != "zeroed_superblock":
                record("scenario.corrupt_%s_rest_readable" % name, check("good", good), repr(good))
    finally:
        shutil.rmtree(tmp)
