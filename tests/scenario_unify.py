"""printf, test, [ and echo have one implementation (programs/lib/cmds.h)
used by the shell's builtin and by the program in /bin. Each command line
is typed twice at the shell, once answered by the builtin and once by
/bin's program ({p} becomes "" or "/bin/"); both must print exactly the
same thing (standard output and error on the console, and the status),
and where the host's GNU tools agree on the meaning, the same as they.
Error messages, redirections, the shell surviving an error, and the
builtins in rescue mode (the disk unusable, no /bin programs) are checked
against their written expectation."""
import os
import shutil
import tempfile

import scenario_common
import scenario_progs2
import scenario_rescue

# Typed in /home/t (the files of tests/host/programs/text2_inputs.sh); the
# host runs them with bash's printf, test, [ and echo builtins turned off.
SAME_AS_HOST = [
    "{p}printf '%5.2f|%e|%g|%G\\n' 3.14159 1234.5 0.0001 1e20",
    "{p}printf '%*d|%-*s|%.*f|%.*s\\n' 5 42 4 ab 2 2.5 -1 xyz",
    "{p}printf '%x %o %X %i %u %#x %+d\\n' 255 8 3054 -7 12 255 5",
    "{p}printf '%d %d\\n' \"'A\" '\"b' 0x10 010",
    "{p}printf '%b|%s\\n' 'a\\tb\\0101' 'c\\td' x y",
    "{p}printf '%b' 'stop\\chere' never; echo",
    "{p}printf 'x\\n' extra args",
    "{p}printf '%s-%s\\n' 1 2 3",
    "{p}printf '%c|%5c|\\n' hello w",
    "{p}printf '%s\\n' a b | wc -l",
    "{p}test -O lines -a -G lines",
    "{p}test 3 -ge 3 -a '(' abc '!=' abd ')'",
    "{p}test ' 12 ' -eq 12",
    "{p}[ -s empty ]",
    "{p}[ lines -nt nope ]",
    "{p}[ -t 5 ]",
    "{p}[ ! '' ]",
    "{p}test 5 -lt 10 -o x",
    "{p}test",
    "{p}[ ]",
    "{p}echo -n a b; echo",
    "{p}echo",
    "{p}echo -n",
    "{p}echo -- a   'b  c'",
    "{p}echo a -n",
]

# Errors: what the console shows (message, then status), the program's
# wording, which the builtin must print too.
ERRORS = [
    ("{p}printf '%d|%d\\n' 1 x 3", "1|printf: 'x': expected a numeric value\n0\n3|0\nstatus 1"),
    ("{p}printf '%d\\n' 99999999999999999999",
     "printf: '99999999999999999999': Result too large\n9223372036854775807\nstatus 1"),
    ("{p}printf 'a%zb\\n'", "aprintf: %zb: invalid conversion specification\nstatus 1"),
    ("{p}printf '%*y|' 5 6", "printf: %*y: invalid conversion specification\nstatus 1"),
    ("{p}printf '%s|%5' a", "a|printf: %5: invalid conversion specification\nstatus 1"),
    ("{p}printf '%5b' x", "printf: %5b: invalid conversion specification\nstatus 1"),
    ("{p}printf", "printf: missing operand\nusage: printf FORMAT [ARGUMENT...]\nstatus 1"),
    ("{p}test 1 -eq z", "test: invalid integer 'z'\nstatus 2"),
    ("{p}test a b", "test: 'a': unary operator expected\nstatus 2"),
    ("{p}test a b c", "test: 'b': binary operator expected\nstatus 2"),
    ("{p}test '(' a = b", "test: ')' expected\nstatus 2"),
    ("{p}test a = a b c d", "test: extra argument 'b'\nstatus 2"),
    ("{p}[ 1 = 1", "[: missing ']'\nstatus 2"),
]

# Redirections and the shell after an error (the builtin only).
SHELL_ONLY = [
    ("printf '%s\\n' one two > r1; cat r1", "one\ntwo"),
    ("printf '%d\\n' 5 q 2> r2 > r3; echo st=$?; cat r3; cat r2",
     "st=1\n5\n0\nprintf: 'q': expected a numeric value"),
    ("test 1 -eq z 2> r6; echo st=$?; cat r6", "st=2\ntest: invalid integer 'z'"),
    ("[ x = y ] 2>&1 || echo no", "no"),
    ("printf '%z'; echo alive", "printf: %z: invalid conversion specification\nalive"),
    ("f() { test 1 -lt q; echo \"in f $?\"; }; f; echo after", "test: invalid integer 'q'\nin f 2\nafter"),
    ("echo -n abc > r4; echo def >> r4; cat r4", "abcdef"),
    ("for i in 1 2 3; do printf '%s,' $i; done | tee r5; echo; cat r5", "1,2,3,\n1,2,3,"),
    ("x=$(printf '%05.1f' 3.14159); echo \"[$x]\"", "[003.1]"),
]

# In rescue mode the builtins are all there is: the full printf and test.
RESCUE = [
    ("printf '%.3f|%e|%*s|\\n' 2.5 100 4 ok", "2.500|1.000000e+02|  ok|"),
    ("printf '%d\\n' x; echo st=$?", "printf: 'x': expected a numeric value\n0\nst=1"),
    ("[ 1 -eq z ]; echo st=$?", "[: invalid integer 'z'\nst=2"),
    ("test -d /bin -a ! -f /bin && echo -n ok; echo", "ok"),
]


host_output = scenario_common.host_output


def typed(sh, line):
    out = sh.run(line, timeout=30)
    return None if out is None else out.rstrip("\n")


def builtin_and_program(sh, host, record):
    for cmd in SAME_AS_HOST:
        name = scenario_progs2.slug(cmd.replace("{p}", ""))
        want = host_output(cmd.format(p=""), host)
        for p, kind in (("", "builtin"), ("/bin/", "program")):
            got = typed(sh, cmd.format(p=p) + "; echo \"status $?\"")
            record("scenario.unify_%s_%s" % (kind, name), got == want,
                   "typed %r, got %r, host printed %r" % (cmd.format(p=p), got, want))
    for cmd, want in ERRORS:
        name = scenario_progs2.slug(cmd.replace("{p}", ""))
        for p, kind in (("", "builtin"), ("/bin/", "program")):
            got = typed(sh, cmd.format(p=p) + "; echo \"status $?\"")
            record("scenario.unify_error_%s_%s" % (kind, name), got == want,
                   "typed %r, got %r, expected %r" % (cmd.format(p=p), got, want))


def expectations(sh, cases, prefix, record):
    for cmd, want in cases:
        got = typed(sh, cmd)
        record(prefix + scenario_progs2.slug(cmd), got == want,
               "typed %r, got %r, expected %r" % (cmd, got, want))


def run_all(Shell, build, record):
    tmp = tempfile.mkdtemp()
    try:
        img, host = scenario_progs2.make_disk(build, tmp)
        sh = Shell(disk=img)
        record("scenario.unify_boot", sh.ready, sh.text()[-1500:])
        if sh.ready:
            sh.run("cd /home/t")
            builtin_and_program(sh, host, record)
            expectations(sh, SHELL_ONLY, "scenario.unify_shell_", record)
        sh.stop()
        rescue_tmp = os.path.join(tmp, "rescue")
        os.mkdir(rescue_tmp)
        sh = Shell(disk=scenario_rescue.zeroed_disk(build, rescue_tmp))
        record("scenario.unify_rescue_prompt", sh.ready, sh.text()[-800:])
        if sh.ready:
            expectations(sh, RESCUE, "scenario.unify_rescue_", record)
        sh.stop()
    finally:
        shutil.rmtree(tmp)
