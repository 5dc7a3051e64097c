"""Scenario tests of the network programs and of poll/select on sockets:
tests/programs/poll_check.c (poll and select over sockets, pipes and the
console; EAGAIN on non-blocking sockets); nc with 1 MiB of random data
each way, listening (through a hostfwd) and connecting (through a
guestfwd to the test's own socket on 127.0.0.1); httpd: a 4 MiB download
by the host, 50 concurrent clients, keep-alive, 400/404/405; wget: a 4 MiB
file from an HTTP server the test runs on the host. Every forward is bound
to 127.0.0.1 and the NIC stays restrict=on."""
import hashlib
import http.client
import http.server
import os
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUEST_HOST = "10.0.2.100"          # the guestfwd address: the host's test servers
BIG = 4 << 20
NC_SIZE = 1 << 20


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cksum(data):
    """POSIX cksum of data as "CRC SIZE" (the host's cksum)."""
    out = subprocess.run(["cksum"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split()[:2])


def guest_cksum(sh, path):
    out = sh.run("cksum " + path, timeout=120) or ""
    words = out.split()
    return " ".join(words[:2]) if len(words) >= 3 else repr(out)


def make_disk(BUILD, tmp, big):
    """The test disk with poll_check in /bin and /www to serve."""
    extra = os.path.join(tmp, "extra")
    shutil.copytree(os.path.join(BUILD, "root"), extra)
    subprocess.run([os.path.join(ROOT, "tools/cc"), "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    os.path.join(extra, "bin/poll_check"),
                    os.path.join(ROOT, "tests/programs/poll_check.c")], check=True)
    www = os.path.join(extra, "www")
    os.makedirs(os.path.join(www, "sub"))
    with open(os.path.join(www, "big.bin"), "wb") as f:
        f.write(big)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("<html><body>hello from httpd</body></html>\n")
    with open(os.path.join(www, "sub", "small.txt"), "w") as f:
        f.write("small file\n")
    disk = os.path.join(tmp, "disk.img")
    subprocess.run(["sh", os.path.join(ROOT, "tools/disk.sh"), "create", disk, extra],
                   check=True, stdout=subprocess.DEVNULL)
    return disk


def exchange(sock, data, result):
    """Sends data (then half-closes) while reading until end of stream;
    result gets "got" (the bytes read) or "error"."""
    def send():
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError as e:
            result["error"] = "send: %r" % e
    t = threading.Thread(target=send, daemon=True)
    t.start()
    got = bytearray()
    try:
        while True:
            b = sock.recv(65536)
            if not b:
                break
            got += b
    except OSError as e:
        result["error"] = "recv: %r" % e
    t.join(120)
    sock.close()
    result["got"] = bytes(got)


def host_dial(port, data, result, delay=2.0):
    """Connects to the guest through the forward (after delay: nc must be
    listening) and exchanges data."""
    def run():
        time.sleep(delay)
        try:
            exchange(socket.create_connection(("127.0.0.1", port), timeout=120), data, result)
        except OSError as e:
            result["error"] = "connect: %r" % e
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def host_listen(port, data, result):
    """Accepts one connection (from the guest, through the guestfwd) and
    exchanges data."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(1)
    ls.settimeout(120)

    def run():
        try:
            c, _ = ls.accept()
            c.settimeout(120)
            exchange(c, data, result)
        except OSError as e:
            result["error"] = "accept: %r" % e
        ls.close()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def nc_tests(sh, record, p1, p2, nc_host_port):
    rnd = random.Random(7)
    a, b, c = (rnd.randbytes(NC_SIZE) for _ in range(3))
    sh.run("touch /tmp/empty")
    # host -> guest, nc listening; its standard input is empty (half-close at once)
    res = {}
    t = host_dial(p1, a, res)
    out = sh.run("nc -l 7001 < /tmp/empty > /tmp/a; echo nc-status $?", timeout=180) or ""
    t.join(60)
    record("scenario.netapps_nc_listen_host_to_guest_1mib",
           "nc-status 0" in out and guest_cksum(sh, "/tmp/a") == cksum(a) and "error" not in res
           and res.get("got") == b"", "out %r res %r" % (out, res.get("error")))
    # both ways at once on one connection, nc listening
    res = {}
    t = host_dial(p2, b, res)
    out = sh.run("nc -l 7002 < /tmp/a > /tmp/b; echo nc-status $?", timeout=180) or ""
    t.join(60)
    got = res.get("got", b"")
    record("scenario.netapps_nc_listen_guest_to_host_1mib",
           "nc-status 0" in out and got == a and "error" not in res,
           "out %r got %d bytes (%s) res %r" % (out, len(got), cksum(got), res.get("error")))
    record("scenario.netapps_nc_listen_both_ways_host_to_guest",
           guest_cksum(sh, "/tmp/b") == cksum(b), "want %s" % cksum(b))
    # nc connecting out (guestfwd to the test's socket), both ways
    res = {}
    t = host_listen(nc_host_port, c, res)
    out = sh.run("nc %s 8081 < /tmp/b > /tmp/c; echo nc-status $?" % GUEST_HOST, timeout=180) or ""
    t.join(60)
    got = res.get("got", b"")
    record("scenario.netapps_nc_connect_guest_to_host_1mib",
           "nc-status 0" in out and got == b and "error" not in res,
           "out %r got %d bytes res %r" % (out, len(got), res.get("error")))
    record("scenario.netapps_nc_connect_host_to_guest_1mib",
           guest_cksum(sh, "/tmp/c") == cksum(c), "want %s" % cksum(c))
    out = sh.run("nc 10.0.2.15 9 < /tmp/empty; echo nc-status $?") or ""
    record("scenario.netapps_nc_refused_is_clear",
           "cannot connect to 10.0.2.15 port 9" in out and "nc-status 1" in out, repr(out))


def http_get(port, path, method="GET", timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, r.getheader("Content-Length"), body


def raw_request(port, text):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(text)
    got = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    s.close()
    return got


def httpd_tests(sh, record, port, big):
    start = len(sh.text())
    sh.run("httpd /www &")
    ok = sh.wait_for_from(start, "httpd: serving /www on port 80", 20)
    record("scenario.netapps_httpd_starts", ok, sh.text()[start:][-1000:])
    if not ok:
        return
    try:
        status, length, body = http_get(port, "/big.bin")
        ok = status == 200 and length == str(BIG) and hashlib.sha256(body).digest() == \
            hashlib.sha256(big).digest()
        why = "status %r length %r got %d bytes" % (status, length, len(body))
    except OSError as e:
        ok, why = False, repr(e)
    record("scenario.netapps_httpd_4mib_download", ok, why)
    # 50 clients at once
    results = [None] * 50

    def one(i):
        try:
            results[i] = http_get(port, "/sub/small.txt", timeout=120)
        except OSError as e:
            results[i] = repr(e)
    ts = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(50)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(180)
    good = sum(1 for r in results if r == (200, "11", b"small file\n"))
    record("scenario.netapps_httpd_50_concurrent", good == 50,
           "%d of 50; first bad: %r" % (good, next((r for r in results if r != (200, "11", b"small file\n")), None)))
    # keep-alive: two requests on one connection
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/")
        r1 = conn.getresponse()
        b1 = r1.read()
        sock1 = conn.sock
        conn.request("HEAD", "/big.bin")
        r2 = conn.getresponse()
        b2 = r2.read()
        same = conn.sock is sock1 and sock1 is not None
        conn.close()
        ok = (r1.status == 200 and b"hello from httpd" in b1 and r2.status == 200 and
              r2.getheader("Content-Length") == str(BIG) and b2 == b"" and same)
        why = "%r %r %r %r same socket %r" % (r1.status, b1[:60], r2.status, r2.getheader("Content-Length"), same)
    except OSError as e:
        ok, why = False, repr(e)
    record("scenario.netapps_httpd_keepalive_two_requests", ok, why)
    try:
        status, _, body = http_get(port, "/sub")
        ok = status == 200 and b'<a href="/sub/small.txt">small.txt</a>' in body
        why = "%r %r" % (status, body[:300])
    except OSError as e:
        ok, why = False, repr(e)
    record("scenario.netapps_httpd_folder_listing", ok, why)
    got = raw_request(port, b"GARBAGE\r\n\r\n")
    record("scenario.netapps_httpd_bad_request_400", got.startswith(b"HTTP/1.1 400 ") and
           b"400 Bad Request" in got.split(b"\r\n\r\n", 1)[-1], repr(got[:300]))
    got = raw_request(port, b"GET /../../etc/motd HTTP/1.1\r\nConnection: close\r\n\r\n")
    record("scenario.netapps_httpd_dotdot_refused", got.startswith(b"HTTP/1.1 400 ") and
           b"Welcome" not in got, repr(got[:300]))
    got = raw_request(port, b"GET /nothing.txt HTTP/1.1\r\nConnection: close\r\n\r\n")
    record("scenario.netapps_httpd_missing_404", got.startswith(b"HTTP/1.1 404 ") and
           b"no such file" in got, repr(got[:300]))
    got = raw_request(port, b"POST /index.html HTTP/1.1\r\nConnection: close\r\n\r\n")
    record("scenario.netapps_httpd_post_405", got.startswith(b"HTTP/1.1 405 ") and
           b"Allow: GET, HEAD" in got, repr(got[:300]))
    out = sh.run("wget -O /tmp/self.bin http://127.0.0.1/big.bin; echo wget-status $?", timeout=180) or ""
    record("scenario.netapps_wget_from_own_httpd", "wget-status 0" in out and
           guest_cksum(sh, "/tmp/self.bin") == cksum(big), repr(out))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def wget_tests(sh, record, http_host_port, tmp):
    served = os.path.join(tmp, "served")
    os.makedirs(served)
    data = random.Random(11).randbytes(BIG)
    with open(os.path.join(served, "file.bin"), "wb") as f:
        f.write(data)

    def handler(*a, **k):
        return Quiet(*a, directory=served, **k)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", http_host_port), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        out = sh.run("wget -O /tmp/w.bin http://%s:8080/file.bin; echo wget-status $?" % GUEST_HOST,
                     timeout=240) or ""
        record("scenario.netapps_wget_4mib_from_host",
               "wget-status 0" in out and guest_cksum(sh, "/tmp/w.bin") == cksum(data), repr(out))
        out = sh.run("wget -O /tmp/x http://%s:8080/missing; echo wget-status $?" % GUEST_HOST) or ""
        record("scenario.netapps_wget_404_is_clear",
               "wget: the server answered: 404" in out and "wget-status 1" in out, repr(out))
    finally:
        srv.shutdown()
        srv.server_close()


def poll_tests(sh, record):
    out = sh.run("echo typed | poll_check", timeout=90) or ""
    for line in out.splitlines():
        if line.startswith("ok "):
            record("scenario.netapps_poll_" + line[3:].strip(), True)
        elif line.startswith("not ok "):
            name, _, why = line[7:].partition(": ")
            record("scenario.netapps_poll_" + name.strip(), False, why)
    record("scenario.netapps_poll_check_all", "POLL-CHECK OK" in out, repr(out[-1500:]))


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        big = random.Random(5).randbytes(BIG)
        disk = make_disk(BUILD, tmp, big)
        p_http, p1, p2 = free_port(), free_port(), free_port()
        h_http, h_nc = free_port(), free_port()
        sh = Shell(disk=disk, hostfwd=[(p_http, 80), (p1, 7001), (p2, 7002)],
                   guestfwd=[(GUEST_HOST, 8080, h_http), (GUEST_HOST, 8081, h_nc)])
        if not sh.ready:
            record("scenario.netapps_boot", False, sh.text()[-1500:])
            sh.stop()
            return
        up, out = False, ""
        end = time.time() + 30
        while not up and time.time() < end:
            out = sh.run("ifconfig eth0") or ""
            up = "inet 10.0.2.15" in out
            if not up:
                time.sleep(0.5)
        record("scenario.netapps_network_up", up, repr(out))
        poll_tests(sh, record)
        nc_tests(sh, record, p1, p2, h_nc)
        httpd_tests(sh, record, p_http, big)
        wget_tests(sh, record, h_http, tmp)
        sh.stop()
    finally:
        shutil.rmtree(tmp)
