"""Scenario tests of the ATA driver's multiple mode: on QEMU's disk the
driver's start line says READ/WRITE MULTIPLE with 16 sectors per
interrupt, at boot and again after `svc restart ata` (a restarted driver
sets the mode itself); a file whose size is no multiple of 16 sectors is
copied and read back with the host's checksum, and read again after the
driver's restart and an fs restart (so from the disk, not fs's cache);
after poweroff the image holds the same bytes and is clean for e2fsck."""
import os
import shutil
import subprocess
import tempfile

import scenario_disk

START = "READ/WRITE MULTIPLE: 16 sectors per interrupt"
SIZE = (1 << 20) + 5 * 512 + 77          # partial DRQ blocks and a partial sector


def cksum_is(sh, path, want):
    out = sh.run("cksum %s" % path, timeout=120)
    return out is not None and out.split()[:2] == want, "host %s, system %r" % (want, out)


def run_all(Shell, build, record):
    tmp = tempfile.mkdtemp()
    try:
        data = os.urandom(SIZE)
        img = scenario_disk.make_disk(build, tmp, {"home/odd.bin": data})
        want = scenario_disk.host_cksum(os.path.join(tmp, "root/home/odd.bin"))
        sh = Shell(disk=img)
        boot = sh.text()
        record("scenario.ata_start_line_says_multiple", START in boot,
               "\n".join(l for l in boot.splitlines() if l.startswith("ata:")))
        ok, why = cksum_is(sh, "/home/odd.bin", want)
        record("scenario.ata_multiple_read_cksum_matches_host", ok, why)
        sh.run("cp /home/odd.bin /copy", timeout=120)
        ok, why = cksum_is(sh, "/copy", want)
        record("scenario.ata_multiple_write_cksum_matches_host", ok, why)
        start = len(sh.text())
        sh.type("svc restart ata\n")
        again = sh.wait_for_from(start, START, 60)
        record("scenario.ata_restart_sets_multiple_again", again, sh.text()[start:][-1500:])
        start = len(sh.text())
        sh.type("svc restart fs\n")             # an empty cache: the read goes to the disk
        fs = sh.wait_for_from(start, "init: fs restarted", 60)
        ok, why = cksum_is(sh, "/copy", want)
        ok, why = ok and fs, why + ("" if fs else "; fs did not restart")
        record("scenario.ata_read_after_restart_cksum_matches_host", ok, why)
        sh.type("poweroff\n")
        status = sh.wait_exit(60)
        shutil.copy(sh.disk_copy, img)
        sh.stop()
        record("scenario.ata_poweroff", status == 0, "status %s" % status)
        got = subprocess.run(["debugfs", "-R", "cat /copy", img], capture_output=True).stdout
        record("scenario.ata_debugfs_reads_copy", got == data, "%d bytes back" % len(got))
        fsck = subprocess.run(["e2fsck", "-fn", img], capture_output=True, text=True)
        record("scenario.ata_e2fsck_clean", fsck.returncode == 0, fsck.stdout[-1500:])
    finally:
        shutil.rmtree(tmp)
