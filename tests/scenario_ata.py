"""Scenario tests of the ATA driver, once with bus-master DMA (the default:
os.iso) and once by PIO (pio.iso, kernel command line word "nodma"). The
driver's start line says which, and READ/WRITE MULTIPLE with 16 sectors
per interrupt for PIO, at boot and again after `svc restart ata` (a
restarted driver sets both up itself); a file whose size is no multiple
of 16 sectors is copied and read back with the host's checksum, and read
again after the driver's restart and an fs restart (so from the disk, not
fs's cache); after poweroff the image holds the same bytes and is clean
for e2fsck."""
import os
import shutil
import subprocess
import tempfile

import scenario_disk

MULTIPLE = "PIO READ/WRITE MULTIPLE: 16 sectors per interrupt"
DMA = "bus-master DMA (ports 0x"
NODMA = "no DMA (no bus-master ports: none, or nodma)"
SIZE = (1 << 20) + 5 * 512 + 77          # partial DRQ blocks and a partial sector


def cksum_is(sh, path, want):
    out = sh.run("cksum %s" % path, timeout=120)
    return out is not None and out.split()[:2] == want, "host %s, system %r" % (want, out)


def run_one(Shell, build, record, iso, prefix, start):
    tmp = tempfile.mkdtemp()
    try:
        data = os.urandom(SIZE)
        img = scenario_disk.make_disk(build, tmp, {"home/odd.bin": data})
        want = scenario_disk.host_cksum(os.path.join(tmp, "root/home/odd.bin"))
        sh = Shell(iso=os.path.join(build, iso), disk=img)
        boot = sh.text()
        record(prefix + "start_line", all(t in boot for t in start),
               "\n".join(l for l in boot.splitlines() if l.startswith("ata:")))
        ok, why = cksum_is(sh, "/home/odd.bin", want)
        record(prefix + "read_cksum_matches_host", ok, why)
        sh.run("cp /home/odd.bin /copy", timeout=120)
        ok, why = cksum_is(sh, "/copy", want)
        record(prefix + "write_cksum_matches_host", ok, why)
        start_at = len(sh.text())
        sh.type("svc restart ata\n")
        again = all(sh.wait_for_from(start_at, t, 60) for t in start)
        record(prefix + "restart_sets_up_again", again, sh.text()[start_at:][-1500:])
        start_at = len(sh.text())
        sh.type("svc restart fs\n")             # an empty cache: the read goes to the disk
        fs = sh.wait_for_from(start_at, "init: fs restarted", 60)
        ok, why = cksum_is(sh, "/copy", want)
        ok, why = ok and fs, why + ("" if fs else "; fs did not restart")
        record(prefix + "read_after_restart_cksum_matches_host", ok, why)
        sh.type("poweroff\n")
        status = sh.wait_exit(60)
        shutil.copy(sh.disk_copy, img)
        sh.stop()
        record(prefix + "poweroff", status == 0, "status %s" % status)
        got = subprocess.run(["debugfs", "-R", "cat /copy", img], capture_output=True).stdout
        record(prefix + "debugfs_reads_copy", got == data, "%d bytes back" % len(got))
        fsck = subprocess.run(["e2fsck", "-fn", img], capture_output=True, text=True)
        record(prefix + "e2fsck_clean", fsck.returncode == 0, fsck.stdout[-1500:])
    finally:
        shutil.rmtree(tmp)


def run_all(Shell, build, record):
    run_one(Shell, build, record, "os.iso", "scenario.ata_dma_", (DMA, MULTIPLE))
    run_one(Shell, build, record, "pio.iso", "scenario.ata_pio_", (NODMA, MULTIPLE))
