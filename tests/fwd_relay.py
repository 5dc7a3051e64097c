"""The command behind a guestfwd (tests/run.py): QEMU runs it for each
connection the guest makes, with that connection as standard input and
output (one socket). It connects to 127.0.0.1:PORT (a server the test
runs) and copies both ways, passing half-closes on.
usage: fwd_relay.py PORT"""
import os
import socket
import sys
import threading


def pump(src, dst):
    """Copies src to dst until end of stream, then half-closes dst."""
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            dst.sendall(b)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def main():
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)                     # stderr is the guest's connection too
    guest = socket.socket(fileno=os.dup(0))
    try:
        host = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=120)
    except OSError:
        guest.close()                       # the guest sees its connection end
        return
    host.settimeout(None)
    t = threading.Thread(target=pump, args=(guest, host), daemon=True)
    t.start()
    pump(host, guest)
    t.join()
    host.close()
    guest.close()


main()
