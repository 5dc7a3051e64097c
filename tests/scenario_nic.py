"""Scenario tests of PCI and the e1000 driver: `pci` lists the NIC and the
IDE controller; `nicping` reaches QEMU's user-network gateway (10.0.2.2,
restrict=on still answers ARP and ping inside the virtual LAN) through the
driver with ARP and ICMP echo; after the driver is crashed, killed and
restarted with `svc`, it works again."""
import re
import time

SLIRP_MAC = "52:55:0a:00:02:02"


def pci_listing(sh, record):
    out = sh.run("pci") or ""
    record("scenario.nic_pci_lists_e1000",
           re.search(r"^00:..\.0 8086:100e class 0200 Ethernet controller irq \d+ mem 0x[0-9a-f]+ "
                     r"\(128 KiB\)", out, re.M) is not None, repr(out))
    record("scenario.nic_pci_lists_ide",
           re.search(r"^00:01\.1 8086:7010 class 0101 IDE controller", out, re.M) is not None,
           repr(out))


def ping_works(sh, record, name):
    out = sh.run("nicping -c 3 && echo NICPING-OK", timeout=60) or ""
    woken = re.search(r"; (\d+) irqs; (\d+) notifications", out)
    ok = ("arp: 10.0.2.2 is at %s" % SLIRP_MAC in out and "3 sent, 3 received" in out and
          "NICPING-OK" in out and woken is not None and int(woken.group(1)) > 0 and
          int(woken.group(2)) > 0)
    record("scenario.nic_" + name, ok, repr(out[-1500:]))
    return ok


def wait_running(sh, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        out = sh.run("svc list") or ""
        if re.search(r"^e1000 +\d+ running", out, re.M):
            return True
        time.sleep(0.5)
    return False


def run_all(Shell, BUILD, record):
    sh = Shell()
    if not sh.ready:
        record("scenario.nic_prompt", False, sh.text()[-1500:])
        sh.stop()
        return
    record("scenario.nic_driver_up", "e1000: MAC 52:54:00:12:34:56, link up" in sh.text(),
           sh.text()[-1500:])
    pci_listing(sh, record)
    ping_works(sh, record, "arp_and_ping_gateway")
    out = sh.run("nicping -b && echo BATCHES-OK") or ""
    record("scenario.nic_malformed_batches_refused_and_counted",
           out.count("refused") == 4 and "BATCHES-OK" in out, repr(out))
    out = sh.run("nicping 10.0.2.99") or ""
    record("scenario.nic_no_reply_is_an_error", "no ARP reply from 10.0.2.99" in out, repr(out))
    for how in ("svc fault e1000 crash", "svc restart e1000", "svc fault e1000 hang"):
        start = len(sh.text())
        sh.run(how)
        came_back = sh.wait_for_from(start, "init: e1000 restarted", 30)
        ok = came_back and wait_running(sh)
        # net attaches to the new driver too, and the driver signals only the
        # client that attached last: nicping must come after net.
        sh.wait_for_from(start, "net: attached to the restarted driver", 20)
        record("scenario.nic_back_after_" + how.split(" ", 1)[1].replace(" ", "_"), ok,
               sh.text()[start:][-1500:])
        ping_works(sh, record, "ping_after_" + how.split(" ", 1)[1].replace(" ", "_"))
    sh.stop()
