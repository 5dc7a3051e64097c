"""Scenario tests of the text programs (head tail tr cut tee od printf test
[ basename dirname seq), typed at the shell of one booted system. The input
files (tests/host/programs/text2_inputs.sh) are put on the test disk in
/home/t; each command's output and exit status are compared with what the
host's GNU tools print for the same command on the same files."""
import os
import shutil
import subprocess
import tempfile

import scenario_common

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Command lines typed in /home/t; the host runs the same line in a copy of
# the files (bash with its printf, test, [ and echo builtins off, so the
# coreutils programs answer). Each line ends by printing its status.
COMMANDS = [
    "head -n 3 lines", "head -n -22 lines", "head -c 12 long", "head -n 2 lines nonl",
    "head -3 nonl", "seq 100 | head -n 4",
    "tail -n 3 lines", "tail -n +23 lines", "tail -c 7 nonl", "seq 10 | tail -n 2",
    "tail -n 1 lines short", "tail -c +3000 long",
    "tr a-z A-Z < text", "tr -s ' ' < text", "tr -d '[:digit:]' < text",
    "tr -cd '[:alpha:]\\n' < text", "tr '[:upper:]' '[:lower:]' < text", "tr -s a-z '[x*]' < text",
    "tr '\\001-\\037' '?' < ctrl | od -c",
    "cut -d: -f1,6 fields", "cut -d: -f2- -s fields", "cut -c 1-5,8 lines", "cut -f2 fields",
    "cut -d: -f1,3 --output-delimiter=- fields", "cut -c 2990- long",
    "seq 3 | tee out1 | wc -l", "cat out1", "echo more | tee -a out1 out2 > out3", "cat out1 out2 out3",
    "od short", "od -c ctrl", "od -x nonl", "od -An -tx1 nonl", "od -Ax -c rep", "od -b -N 8 big",
    "od -t d2 -j 100 -N 20 big", "od -v -c rep",
    "printf '%s=%d\\n' a 1 b 2", "printf '%5.2f|%-4s|%03d|%x\\n' 3.14159 ab 7 255",
    "printf '%b' 'tab\\there\\n'", "printf 'a\\tb\\101\\n'", "printf '%c%c\\n' xyz 42",
    "test 3 -gt 2", "test -f lines -a -s lines", "test -O lines -a -G lines", "test -d lines", "test abc = abd",
    "test ! -z x -o -n ''", "[ -f short ]", "[ 1 -eq 1 ] && echo yes",
    "test '(' a = a ')' -a '(' b '!=' c ')'", "[ -e nope ] || echo missing",
    "basename /usr/lib/libc.so .so", "basename -a /a/b c/ /", "dirname /usr/lib/ lines //x/y",
    "seq 5", "seq 2 3 11", "seq -w 8 11", "seq -s , 1 5", "seq 0 0.25 1", "seq 5 -2 -1",
    "seq -f %.2f 1 3",
]


host_output = scenario_common.host_output


def make_disk(build, tmp):
    root = scenario_common.copy_root(build, tmp)
    files = os.path.join(root, "home", "t")
    os.makedirs(files)
    subprocess.run(["sh", os.path.join(ROOT, "tests/host/programs/text2_inputs.sh")], cwd=files,
                   check=True)
    host = os.path.join(tmp, "host")
    shutil.copytree(files, host)
    return scenario_common.make_image(root, os.path.join(tmp, "disk.img")), host


def slug(cmd):
    s = "".join(c if c.isalnum() else "_" for c in cmd)
    return "_".join(w for w in s.split("_") if w)[:48]


def errors(sh, record):
    """Error messages: these go to standard error, which differs from GNU's
    wording, so they are checked against what this system's programs say."""
    cases = [
        ("head -n 1 nope", "head: nope: No such file or directory", 1),
        ("tail -n x lines", "tail: invalid number of lines: 'x'", 1),
        ("cut lines", "cut: you must specify a list of bytes, characters, or fields", 1),
        ("tr", "tr: missing operand", 1),
        ("od -t q short", "od: invalid type string 'q'", 1),
        ("printf '%d\\n' abc", "printf: 'abc': expected a numeric value", 1),
        ("printf '%d\\n' 12x", "printf: '12x': value not completely converted", 1),
        ("test 1 -eq z", "test: invalid integer 'z'", 2),
        ("[ a = a", "[: missing ']'", 2),
        ("seq 1 0 3", "seq: invalid Zero increment value: '0'", 1),
        ("tee out4 /home/t/no/such < short", "tee: /home/t/no/such: No such file or directory", 1),
    ]
    for cmd, want, status in cases:
        out = sh.run("%s 2> err > /tmp/progs2.out; echo \"status $?\"" % cmd)
        msg = sh.run("cat err")
        first = (msg or "").strip("\n").split("\n")[0]
        ok = out is not None and out.strip() == "status %d" % status and first == want
        record("scenario.progs2_error_" + slug(cmd), ok,
               "typed %r: status %r, message %r (expected %r)" % (cmd, out, first, want))


def run_all(Shell, build, record):
    tmp = tempfile.mkdtemp()
    try:
        img, host = make_disk(build, tmp)
        sh = Shell(disk=img)
        record("scenario.progs2_boot", sh.ready, sh.text()[-1500:])
        sh.run("cd /home/t")
        for cmd in COMMANDS:
            got = sh.run("%s; echo \"status $?\"" % cmd, timeout=60)
            want = host_output(cmd, host)
            got = None if got is None else got.rstrip("\n")
            record("scenario.progs2_" + slug(cmd), got == want,
                   "typed %r, got %r, host printed %r" % (cmd, got, want))
        errors(sh, record)
        sh.stop()
    finally:
        shutil.rmtree(tmp)
