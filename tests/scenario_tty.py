"""Scenario tests of the terminal: termios raw mode, poll and select,
the window size (tests/programs/tty_check.c, compared with the same
program on a host pseudo-terminal), a program leaving the console raw,
the pager `more` and the editor `edit` over serial and on the VGA screen."""
import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import tempfile
import termios
import time

import scenario_common

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def host_pty_run(binary, args, keys, rows=24, cols=80):
    """Runs binary on a host pseudo-terminal of rows x cols; each (prompt,
    bytes) in keys is typed once prompt has appeared. Returns the output
    without carriage returns."""
    pid, fd = pty.fork()
    if pid == 0:                 # the size is set before the program can ask
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execv(binary, [os.path.basename(binary)] + args)
    out = b""

    def pump(until=None, timeout=10):
        nonlocal out
        end = time.time() + timeout
        while time.time() < end and (until is None or until.encode() not in out):
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                out += chunk                 # until None: read to the end (EIO once it exits)
    for prompt, data in keys:
        pump(prompt)
        time.sleep(0.3)
        os.write(fd, data)
    pump(None, 20)
    os.waitpid(pid, 0)
    os.close(fd)
    return out.decode("utf-8", "replace").replace("\r", "")


def make_disk(build, tmp, programs, files):
    """A disk with the built root, the given tools/cc programs (name ->
    source) and files (path -> text)."""
    extra = scenario_common.copy_root(build, tmp, "extra")
    for name, src in programs.items():
        scenario_common.tools_cc(src, os.path.join(extra, "bin", name))
    for path, text in files.items():
        full = os.path.join(extra, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
    return scenario_common.make_image(extra, os.path.join(tmp, "disk.img"))


def typed_session(sh, line, keys, end_marker, timeout=30):
    """Types line, then each (prompt, text) once prompt appears after it;
    returns the output from the line's echo to end_marker."""
    start = len(sh.text())
    sh.type(line + "\n")
    for prompt, data in keys:
        if not sh.wait_for_from(start, prompt, timeout):
            break
        time.sleep(0.3)
        sh.type(data.decode("latin-1"))
    sh.wait_for_from(start, end_marker, timeout)
    time.sleep(0.3)
    out = sh.text()[start:]
    return out[out.find("\n") + 1:]


TTY_KEYS = [("type a key\n", b"q"), ("type a key to wake poll\n", b"z")]


def tty_check(sh, tmp, record):
    src = os.path.join(ROOT, "tests/programs/tty_check.c")
    host = os.path.join(tmp, "tty_check_host")
    subprocess.run(["gcc", "-O2", "-o", host, src], check=True)
    sample = os.path.join(tmp, "sample.txt")
    with open(sample, "w") as f:
        f.write("x\n")
    want = host_pty_run(host, [sample], TTY_KEYS)
    got = typed_session(sh, "tty_check /etc/motd", TTY_KEYS, "restored: ")
    got = got[:got.find("$ ")] if "$ " in got else got
    record("scenario.tty.tty_check_matches_host", got.strip() == want.strip() and "got 1: 7a" in got,
           "want %r\ngot  %r" % (want, got))


def poll_wakes_on_other_process(sh, tmp, record):
    """poll blocks on a pipe until the writer, another process, exits
    (sleep 1 | ...): the same as under the host's sh."""
    host = os.path.join(tmp, "tty_check_host")
    want = subprocess.run(["sh", "-c", "sleep 1 | %s poll-stdin" % host], capture_output=True,
                          text=True).stdout
    got = sh.run("sleep 1 | tty_check poll-stdin")
    record("scenario.tty.poll_blocks_until_other_process", got == want and "after waiting" in want,
           "want %r got %r" % (want, got))


def raw_exit_leaves_cooked(sh, record):
    out = sh.run("tty_check raw-exit")
    after = sh.run("echo still cooked")
    record("scenario.tty.program_exiting_raw_leaves_shell_usable",
           out is not None and "left raw: icanon=0" in out and (after or "").strip() == "still cooked",
           repr((out, after)))


LONG = "".join("line %d of the long file\n" % i for i in range(1, 61))


def more_pages(sh, record):
    """more shows 23 lines (a 24-row serial screen less the prompt), then
    a screen more on space, a line on Enter, and stops on q; piped input
    pages the same with keys from the console; to a file it copies."""
    lines = LONG.splitlines(True)
    pct = lambda n: "(%d%%)" % (len("".join(lines[:n])) * 100 // len(LONG))
    prompt = "\x1b[7m--More--"
    for name, cmd in (("file", "more /etc/long.txt"), ("pipe", "cat /etc/long.txt | more")):
        start = len(sh.text())
        sh.type(cmd + "\n")
        ok = sh.wait_for_from(start, prompt, 20)
        time.sleep(0.3)
        first = sh.text()[start:]
        first = first[first.find("\n") + 1:]
        want1 = "".join(lines[:23]) + prompt + (pct(23) if name == "file" else "")
        sh.type(" ")
        ok = ok and sh.wait_for_from(start, "line 46 of", 10)
        time.sleep(0.3)
        sh.type("\r")
        ok = ok and sh.wait_for_from(start, "line 47 of", 10)
        time.sleep(0.3)
        sh.type("q")
        ok = sh.wait_for_from(start, "$ ", 10) and ok
        time.sleep(0.3)
        out = sh.text()[start:]
        out = out[out.find("\n") + 1:]
        second = out[len(first):]
        page2 = second.split(prompt)[0] if prompt in second else second
        step = "\x1b[K" + "".join(lines[23:46])
        record("scenario.tty.more_%s_first_page" % name, ok and first.startswith(want1),
               "want %r\ngot  %r" % (want1, first))
        record("scenario.tty.more_%s_space_enter_q" % name,
               ok and page2.startswith(step) and "line 48 of" not in out and
               ("\x1b[K" + lines[46]) in second and out.rstrip().endswith("$"),
               repr(out[-600:]))
    start = len(sh.text())
    sh.type("more /etc/long.txt\n")
    sh.wait_for_from(start, prompt, 20)
    time.sleep(0.3)
    sh.type("\x03")                      # ^C ends more (ISIG stays on in it)
    back = sh.wait_for_from(start, "$ ", 10)
    after = sh.run("echo typed after ^C")
    record("scenario.tty.more_interrupted_leaves_shell_cooked",
           back and (after or "").strip() == "typed after ^C", repr((after, sh.text()[-300:])))
    sh.run("more /etc/long.txt > /tmp/more.out")
    got = sh.run("cat /tmp/more.out")
    record("scenario.tty.more_not_a_tty_copies", got == LONG, repr((got or "")[-200:]))


UP, DOWN, RIGHT, LEFT = "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D"
HOME, END, DELETE, PGUP, PGDN = "\x1b[H", "\x1b[F", "\x1b[3~", "\x1b[5~", "\x1b[6~"
SAVE, QUIT = "\x13", "\x11"


def edit_session(sh, path, keys):
    """Runs edit on path, typing each key (a string) with a pause; returns
    the output and whether the shell prompt came back."""
    start = len(sh.text())
    sh.type("edit %s\n" % path)
    sh.wait_for_from(start, "^Q quit", 20)
    for k in keys:
        time.sleep(0.25)
        sh.type(k)
    back = sh.wait_for_from(start, "$ ", 20)
    time.sleep(0.3)
    return sh.text()[start:], back


def edit_serial(sh, record):
    """Typing, arrows, Home/End, Backspace, Delete, Enter, ^S, ^Q on a new
    file; cat shows exactly the text; an unsaved change asks before quitting;
    PgDn moves a screen down in a long file."""
    keys = list("hello") + ["\r"] + list("wurld") + [LEFT] * 3 + ["\x7f", "o", UP, END] + \
        list(" there") + [DOWN, HOME, ">", RIGHT, DELETE, "W", "\r", "!", SAVE, QUIT]
    out, back = edit_session(sh, "/tmp/f", keys)
    got = sh.run("cat /tmp/f")
    want = "hello there\n>wW\n!rld\n"
    record("scenario.tty.edit_serial_typing_saved", back and got == want,
           "want %r got %r\n%r" % (want, got, out[-400:]))
    record("scenario.tty.edit_status_line",
           "\x1b[7m /tmp/f [new file]" in out and "wrote 3 lines, 21 bytes" in out, repr(out[-300:]))
    out, back = edit_session(sh, "/tmp/f", ["x", QUIT, QUIT])
    got = sh.run("cat /tmp/f")
    record("scenario.tty.edit_quit_asks_when_unsaved",
           back and "unsaved changes: ^Q again" in out and got == want, repr((got, out[-300:])))
    out, back = edit_session(sh, "/etc/long.txt", [PGDN, "*", PGDN, PGUP, UP, HOME, "+", SAVE, QUIT])
    got = sh.run("cat /etc/long.txt")
    lines = LONG.splitlines(True)
    lines[23] = "*" + lines[23]
    lines[22] = "+" + lines[22]
    record("scenario.tty.edit_page_keys", back and got == "".join(lines), repr((got or "")[:1400]))


def vga_screen(mon, tmp):
    """The VGA text buffer through QEMU's monitor: 25 rows of text and the
    attribute bytes."""
    dump = os.path.join(tmp, "vga%d" % int(time.time() * 1000))
    mon.sendall(('pmemsave 0xb8000 4000 "%s"\n' % dump).encode())
    for _ in range(50):
        if os.path.exists(dump) and os.path.getsize(dump) == 4000:
            break
        time.sleep(0.1)
    data = open(dump, "rb").read() if os.path.exists(dump) else bytes(4000)
    text = "".join(chr(data[i]) for i in range(0, len(data), 2))
    return [text[r * 80:(r + 1) * 80] for r in range(25)], data[1::2]


def edit_vga(Shell, tmp, disk, record):
    """edit started and driven from the PS/2 keyboard draws on the 80x25
    VGA screen: the text, the status line in reverse video on row 25;
    the saved file holds what was typed."""
    import socket
    sock_path = os.path.join(tmp, "mon")
    sh = Shell(disk=disk, extra=["-monitor", "unix:%s,server=on,wait=off" % sock_path])
    rows, attrs, got = [""] * 25, b"", None
    if sh.ready:
        mon = socket.socket(socket.AF_UNIX)
        mon.connect(sock_path)

        def keys(names):
            for k in names.split():
                mon.sendall(("sendkey %s\n" % k).encode())
                time.sleep(0.12)
        def screen_until(ready, timeout=30):   # the screen once ready(rows), or the last
            end = time.time() + timeout
            while True:
                rows, attrs = vga_screen(mon, tmp)
                if ready(rows) or time.time() > end:
                    return rows, attrs
                time.sleep(0.3)
        keys("e d i t spc slash t m p slash v ret")
        screen_until(lambda r: "/tmp/v" in r[24])           # edit has drawn its screen
        keys("h i ret t h e r e up end shift-1 down home shift-t delete ctrl-s")
        rows, attrs = screen_until(lambda r: r[24].startswith(" wrote"))
        keys("ctrl-q")
        time.sleep(1)
        got = sh.run("cat /tmp/v")
        mon.close()
    sh.stop()
    status = rows[24]
    ok = rows[0].rstrip() == "hi!" and rows[1].rstrip() == "There" and rows[2].startswith("~") and \
        status.startswith(" wrote 2 lines, 10 bytes") and "line 2/2 col 2" in status and \
        attrs[24 * 80] == 0x70 and attrs[0] == 0x07
    record("scenario.tty.edit_on_vga_screen", ok, "\n".join(r.rstrip() for r in rows))
    record("scenario.tty.edit_on_vga_saved", got == "hi!\nThere\n", repr(got))


def bad_input(sh, record):
    """Wrong use gets a one-line message and a status, never a crash."""
    cases = [("edit", "usage: edit FILE", "2"),
             ("edit /bin", "edit: /bin: Is a directory", "1"),
             ("edit /etc/motd /etc/motd", "usage: edit FILE", "2"),
             ("more /nonexistent", "more: /nonexistent: No such file or directory", "1"),
             ("edit /tmp/x > /tmp/out", "edit: standard output is not a terminal", "1")]
    for cmd, want, status in cases:
        out = sh.run(cmd)
        st = sh.run("echo $?")
        record("scenario.tty.bad_input.%s" % cmd.replace(" ", "_").replace("/", "_"),
               (out or "").strip() == want and (st or "").strip() == status, repr((out, st)))


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        disk = make_disk(BUILD, tmp, {"tty_check": os.path.join(ROOT, "tests/programs/tty_check.c")},
                         {"/etc/long.txt": LONG})
        sh = scenario_common.boot(Shell, disk, record, "scenario.tty.boot", tail=500)
        if not sh:
            return
        tty_check(sh, tmp, record)
        raw_exit_leaves_cooked(sh, record)
        poll_wakes_on_other_process(sh, tmp, record)
        more_pages(sh, record)
        edit_serial(sh, record)
        bad_input(sh, record)
        sh.stop()
        edit_vga(Shell, tmp, disk, record)
    finally:
        shutil.rmtree(tmp)
