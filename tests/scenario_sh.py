"""Scenario tests of the POSIX shell: each case is typed at the shell's
prompt (in /shdata, a folder of small files put on the test disk) and its
output compared with what the host's dash prints for the same line in a
copy of the same folder. tests/sh/report.sh (functions, loops, case,
globbing, $(...), pipes) is run as `sh script args` and as a #! program
and compared with `dash script args` on the host."""
import os
import shutil
import subprocess
import tempfile
import time

import scenario_common

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FILES = {
    "notes.txt": "one\ntwo shell\nthree\n",
    "more.txt": "the shell is here\nno\n",
    "main.c": "int main(void) { return 0; }\n",
    "defs.h": "#define X 1\n",
    "README": "Read me\nfirst\n",
}

# Typed one by one in /shdata; each one's output (stdout and stderr) must
# equal dash's for the same line, run in order in a copy of the folder.
CASES = [
    # globbing
    "echo *.txt", "echo ?ain.c", "echo [mn]*", "echo [!m]*.txt", "echo *.none", "echo '*.txt' \\*",
    "for f in *.[ch]; do echo \"file $f\"; done",
    # command substitution and arithmetic
    "echo $(echo a   b) \"$(echo c   d)\" `echo e`", "echo $(echo $(echo nested))",
    "x=$(printf 'l1\\nl2\\n\\n'); echo \"[$x]\"",
    "echo $((3*(4+5))) $((17%5)) $((1<<3)) $((2>1&&0)) $((7/2)) $((-7/2)) $((0x1f)) $((010))",
    "n=5; echo $((n*n)) $((n+=2)) $n $((n>6?1:0)) $((~n)) $((!n))",
    # here-documents
    # control flow
    "if false; then echo a; elif true; then echo b; else echo c; fi",
    "i=0; while [ $i -lt 4 ]; do i=$((i+1)); echo w$i; done",
    "i=0; until [ $i = 3 ]; do i=$((i+1)); done; echo $i",
    "for x in a 'b c' d; do echo \"<$x>\"; done",
    "set -- p 'q r' s; for x; do echo \"[$x]\"; done; echo $# \"$*\" $@",
    "case main.c in *.h|*.c) echo src;; *) echo other;; esac",
    "case README in [Rr]EAD*) echo readme;; esac; case x in y) echo no;; esac; echo st=$?",
    "for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done",
    "for i in 1 2; do for j in a b c; do [ $j = b ] && continue 2; echo $i$j; done; done",
    "for i in 1 2; do for j in a b c; do [ $j = c ] && break 2; echo $i$j; done; done",
    "f() { echo \"f($#): $1 $2\"; return 3; }; f one two; echo st=$?",
    "g() { local v=inner; echo $v; }; v=outer; g; echo $v",
    "fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 6",
    "{ echo g1; echo g2; } | cat",
    "x=1; (x=2; echo in $x); echo out $x",
    "(exit 7); echo st=$?",
    "! false; echo $?; ! true; echo $?",
    "true && echo and; false || echo or; false && echo never; echo end",
    # builtins
    "test 2 -gt 1 && echo gt; [ abc = abc ] && echo eq; [ -n '' ] || echo empty; [ -f notes.txt ] && echo file; [ -d . ] && echo dir; [ ! -e nofile ] && echo none",
    "[ 1 -lt 2 -a 3 -lt 2 ] || echo and_false; [ \\( 1 -eq 1 \\) -o 1 -eq 2 ] && echo or_true",
    "printf '%s|%5s|%-5s|%d|%03d|%x|%o|%c|%%\\n' str ab cd 42 7 255 8 xyz",
    "printf '%s\\n' a b c; printf '%b\\n' 'tab\\there'; printf 'n=%d\\n' 1 2",
    "echo -n no newline; echo",
    "echo 'a b' | { read x; echo \"got $x\"; }",
    "printf 'a b c d\\n' | { read x y; echo \"$x|$y\"; }",
    "printf 'k:v:w\\n' | { IFS=: read a b c; echo \"$c $b $a\"; }",
    "printf 'a\\\\b\\n' | { read -r x; printf '%s\\n' \"$x\"; }",
    "while read -r line; do echo \"L: $line\"; done < notes.txt",
    "set -- 1 2 3 4; shift; echo $@; shift 2; echo $# $1",
    "set -- a b c d e f g h i j k; echo ${10} ${11} $#",
    "(set -e; echo before; false; echo after); echo st=$?",
    "(set -u; echo ${nosuch:-default})",
    "set -x; echo traced; set +x",
    "eval 'e1=one; echo evaled $e1'; echo $e1",
    "echo 'echo sourced $1; s=set' > src.sh; . ./src.sh; echo $s",
    "unset s; echo ${s-unset}; export EXP=1; sh -c 'echo $EXP'",
    "sh -c 'echo $0 $1 $#' zero one two",
    "sh -c 'exit 5'; echo st=$?",
    # parameter expansion and field splitting
    "v=archive.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v}",
    "unset u; echo ${u:-dflt} ${u-d2} ${v:+alt} ${u+alt} ${u:=assigned} $u",
    "unset u; (: ${u:?custom message}) 2>e.txt; echo st=$?; unset x; (echo ${x:?}) 2>e.txt; echo st=$?; rm e.txt",
    "e=''; echo [${e:-colon}] [${e-nocolon}]",
    "x='a  b   c'; for w in $x; do echo \"($w)\"; done; echo \"$x\"",
    "IFS=:; x=a:b::c; for w in $x; do echo \"[$w]\"; done",
    "set -- 'x y' z; for a in \"$@\"; do echo \"<$a>\"; done; for a in $*; do echo \"{$a}\"; done",
    # redirections
    "echo out > r1.txt; echo more >> r1.txt; cat < r1.txt",
    "{ echo to_err >&2; } 2>&1 | cat",
    "echo clobber >| r1.txt; cat r1.txt",
    "exec 3<notes.txt; read -r l <&3; echo \"$l\"; exec 3<&-", "cat 0<notes.txt",
    "(exec echo replaced; echo never)",
    # $$ is the shell's in its subshells too; the EXIT trap
    "a=$$; b=$(echo $$); (c=$$; [ $c = $a ] && echo same-in-sub); [ $a = $b ] && echo same-in-subst",
    "(trap 'echo bye' EXIT; echo hi); sh -c 'trap \"echo status \\$?\" EXIT; exit 4'; echo st=$?",
    "echo rw <> r2.txt; cat r2.txt",
]

# What dash has not (source) or says in its own words: written expectations.
OWN = [
    ("echo 'echo in source $#' > /tmp/s2.sh; set --; source /tmp/s2.sh; source /tmp/s2.sh a b", "in source 0\nin source 2"),
    ("unset u; (echo ${u:?custom message}); echo st=$?", "sh: u: custom message\nst=2"),
    ("(set -u; echo $nosuchvar); echo st=$?", "sh: nosuchvar: parameter not set\nst=2"),
    ("type cd f_none; f_one() { :; }; type f_one", "cd is a shell builtin\nf_none: not found\nf_one is a shell function"),
    ("echo $((1/0)); echo never", "sh: arithmetic expression: division by zero: \"1/0\""),
    ("echo st=$?", "st=2"),
]

# Typed line by line (the shell asks for more with "> "); the output of
# the last line is compared with dash running the lines as one script.
MULTILINE = [
    ["cat <<END", "here $((1+1))", "  indented", "END"],
    ["cat <<'END'", "no $expansion", "END"],
    ["cat <<-END", "\tstripped", "\tEND"],
    ["if true", "then", "  echo multi", "fi"],
    ["for i in 1 2", "do", "  echo loop $i", "done"],
    ["add() {", "  echo $(($1 + $2))", "}", "add 2 3"],
    ["echo 'open", "quote'"],
]


def lines(s):
    return [l.rstrip("\r") for l in (s or "").strip("\n").split("\n")] if s else []


def make_disk(build, tmp):
    extra = scenario_common.copy_root(build, tmp, "extra")
    data = os.path.join(extra, "shdata")
    os.makedirs(data)
    for name, text in FILES.items():
        with open(os.path.join(data, name), "w") as f:
            f.write(text)
    script = os.path.join(extra, "bin", "report")
    shutil.copy(os.path.join(ROOT, "tests/sh/report.sh"), script)
    os.chmod(script, 0o755)
    os.makedirs(os.path.join(extra, "tests"))
    shutil.copy(os.path.join(ROOT, "tests/sh/getopts.sh"), os.path.join(extra, "tests"))
    host = os.path.join(tmp, "host")
    shutil.copytree(data, os.path.join(host, "shdata"))
    disk = scenario_common.make_image(extra, os.path.join(tmp, "disk.img"))
    return disk, os.path.join(host, "shdata")


SEP = "@@sep@@"


def dash_session(scripts, cwd):
    """Runs the cases one after another in one dash (as they are typed in
    one shell), stdout and stderr together; returns each one's output."""
    text = "".join("%s\nprintf '\\n%s\\n'\n" % (s, SEP) for s in scripts)
    r = subprocess.run(["dash", "-c", text], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    return r.stdout.split("\n" + SEP + "\n")


def run_multi(sh, typed):
    """Types all but the last line waiting for the "> " prompt after each;
    returns the last line's output."""
    for l in typed[:-1]:
        start = len(sh.text())
        sh.type(l + "\n")
        end = time.time() + 10
        while time.time() < end and not sh.text()[start:].endswith("> "):
            time.sleep(0.05)
    return sh.run(typed[-1])


def run_cases(sh, record, hostdir):
    sh.run("cd /shdata")
    wants = dash_session(CASES + ["\n".join(t) for t in MULTILINE], hostdir)
    for i, line in enumerate(CASES):
        want = wants[i]
        got = sh.run(line)
        record("scenario.sh_case_%02d" % i, got is not None and lines(got) == lines(want),
               "typed %r\nwant %r\ngot  %r" % (line, want, got))
    for i, (line, want) in enumerate(OWN):
        got = sh.run(line)
        record("scenario.sh_own_%d" % i, got is not None and "\n".join(lines(got)) == want,
               "typed %r\nwant %r\ngot  %r" % (line, want, got))
    for i, typed in enumerate(MULTILINE):
        want = wants[len(CASES) + i]
        got = run_multi(sh, typed)
        record("scenario.sh_multiline_%d" % i, got is not None and lines(got) == lines(want),
               "typed %r\nwant %r\ngot  %r" % (typed, want, got))


def run_getopts(sh, record):
    """tests/sh/getopts.sh: getopts and command -v, against dash."""
    r = subprocess.run(["dash", os.path.join(ROOT, "tests/sh/getopts.sh")], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    got = sh.run("sh /tests/getopts.sh")
    record("scenario.sh_getopts_script", got is not None and lines(got) == lines(r.stdout),
           "want %r\ngot  %r" % (r.stdout, got))


def run_bin_glob(sh, record, tmp):
    """The issue's example, `ls /bin/c*`: matched against the same files
    on the host."""
    import glob as hostglob
    extra = os.path.join(tmp, "extra")
    names = sorted(p[len(extra):] for p in hostglob.glob(os.path.join(extra, "bin", "c*")))
    got = sh.run("echo /bin/c*")
    record("scenario.sh_glob_bin", got is not None and lines(got) == [" ".join(names)],
           "want %r got %r" % (names, got))
    got = sh.run("ls /bin/c*")
    record("scenario.sh_ls_glob_bin", got is not None and lines(got) == names,
           "want %r got %r" % (names, got))


def run_script(sh, record, hostdir):
    args = "alpha 'be ta' gamma"
    r = subprocess.run("dash %s %s %s" % (os.path.join(ROOT, "tests/sh/report.sh"), hostdir, args),
                       shell=True, capture_output=True, text=True)
    want = r.stdout.replace(hostdir, "/shdata") + "st=%d\n" % r.returncode
    got = sh.run("sh /bin/report /shdata %s; echo st=$?" % args)
    record("scenario.sh_script_as_sh_file", got is not None and lines(got) == lines(want),
           "want %r\ngot  %r" % (want, got))
    got = sh.run("report /shdata %s; echo st=$?" % args)
    record("scenario.sh_script_by_shebang", got is not None and lines(got) == lines(want),
           "want %r\ngot  %r" % (want, got))
    got = sh.run("cd /bin; ./report /shdata %s; echo st=$?; cd /shdata" % args)
    record("scenario.sh_script_by_relative_path", got is not None and lines(got) == lines(want),
           "want %r\ngot  %r" % (want, got))


# Lines the shell must reject with one line naming what it expected.
SYNTAX = [
    ("if true; echo x; fi", "sh: syntax error: expected 'then'"),
    ("while true; echo x; done", "sh: syntax error: expected 'do'"),
    ("case a in a) echo; ) x", "sh: syntax error: expected ';;' or 'esac'"),
    ("echo a ;; echo b", "sh: syntax error: unexpected ';;'"),
    ("fi", "sh: syntax error: unexpected 'fi'"),
    ("for 1 in a; do :; done", "sh: syntax error: expected a variable name after 'for'"),
    ("echo ${", "sh: syntax error: expected '}'"),
]


def run_syntax(sh, record):
    for i, (line, want) in enumerate(SYNTAX):
        got = sh.run(line)
        record("scenario.sh_syntax_error_%d" % i, got is not None and lines(got) == [want],
               "typed %r want %r got %r" % (line, want, got))
    got = sh.run("echo 'if x; then' > bad.sh; echo 'echo' >> bad.sh; sh bad.sh; echo st=$?")
    want = ["bad.sh: line 3: syntax error: expected 'fi'", "st=2"]
    record("scenario.sh_script_syntax_error_line", got is not None and lines(got) == want,
           "want %r got %r" % (want, got))
    got = sh.run("echo still alive")
    record("scenario.sh_alive_after_errors", got is not None and lines(got) == ["still alive"], repr(got))


def run_keys(sh, record):
    """The line editor over the serial console: escape sequences for the
    arrow keys, tab completion, ^C."""
    sh.run("echo first-hist")
    sh.run("echo second-hist")
    got = sh.run("\x1b[A")
    record("scenario.sh_history_up", got is not None and lines(got)[-1:] == ["second-hist"], repr(got))
    got = sh.run("\x1b[A\x1b[A")
    record("scenario.sh_history_up_twice", got is not None and lines(got)[-1:] == ["first-hist"], repr(got))
    # history now ends: first-hist, second-hist, first-hist
    got = sh.run("\x1b[A\x1b[A\x1b[A\x1b[B")
    record("scenario.sh_history_down", got is not None and lines(got)[-1:] == ["second-hist"], repr(got))
    got = sh.run("echo abd\x1b[Dc\x1b[H\x1b[3~\x1b[3~\x1b[3~\x1b[3~\x1b[3~printf '%s\\n' ")
    record("scenario.sh_arrows_edit_line", got is not None and lines(got)[-1:] == ["abcd"], repr(got))
    got = sh.run("ech\t hi")
    record("scenario.sh_tab_completes_command", got is not None and lines(got)[-1:] == ["hi"], repr(got))
    got = sh.run("cat note\t")
    record("scenario.sh_tab_completes_file", got is not None and lines(got) == lines(FILES["notes.txt"]),
           repr(got))
    got = sh.run("echo m\t\t")
    record("scenario.sh_tab_twice_lists", got is not None and "main.c  more.txt" in got and
           lines(got)[-1:] == ["m"], repr(got))
    start = len(sh.text())
    sh.type("echo cancelled\x03")
    end = time.time() + 10
    while time.time() < end and not sh.text()[start:].endswith("^C\n$ "):
        time.sleep(0.05)
    got = sh.run("echo after")
    ctrl_c_ok = got is not None and lines(got) == ["after"]
    # ^C ends a loop at the prompt, not just the program it was running
    start3 = len(sh.text())
    sh.type("while true; do spin; done; echo not-reached\n")
    time.sleep(1.5)
    sh.type("\x03")
    end = time.time() + 15
    while time.time() < end and not sh.text()[start3:].endswith("$ "):
        time.sleep(0.1)
    out = sh.text()[start3:]
    st = sh.run("echo st=$?")
    record("scenario.sh_ctrl_c_ends_loop", "Interrupted" in out and "not-reached" not in out.split("\n", 1)[-1]
           and st is not None and lines(st) == ["st=130"], repr(out) + repr(st))
    # ^D on an empty line ends the shell; init starts a new one
    start2 = len(sh.text())
    sh.type("\x04")
    end = time.time() + 30
    while time.time() < end and not sh.text()[start2:].endswith("$ "):
        time.sleep(0.1)
    new = sh.run("echo new shell")
    record("scenario.sh_ctrl_d_ends_shell", new is not None and lines(new) == ["new shell"],
           repr(sh.text()[start2:]))
    record("scenario.sh_ctrl_c_cancels_line", "^C" in sh.text()[start:] and ctrl_c_ok,
           repr(sh.text()[start:]))


# With a disk that cannot be mounted, fs serves only the boot files: the
# builtins (and subshells of the shell's own binary) must still work.
RESCUE = [
    ("echo rescue $((6*7))", "rescue 42"),
    ("printf '%s-%d\\n' ok 5", "ok-5"),
    ("test -d /boot && [ ! -e /nonexistent ] && echo tests", "tests"),
    ("cd /boot; pwd", "/boot"),
    ("for i in 1 2; do echo n$i; done | cat", "n1\nn2"),
    ("echo $(echo sub) `echo bq`", "sub bq"),
    ("f() { echo func $1; }; f x", "func x"),
]


def run_rescue(Shell, disk, tmp, record):
    img = os.path.join(tmp, "zero.img")
    shutil.copy(disk, img)
    with open(img, "r+b") as f:
        f.seek(1024)
        f.write(b"\0" * 1024)                  # no superblock: the disk cannot be mounted
    sh = Shell(disk=img)
    for i, (line, want) in enumerate(RESCUE):
        got = sh.run(line) if sh.ready else None
        record("scenario.sh_rescue_%d" % i, got is not None and "\n".join(lines(got)) == want,
               "typed %r want %r got %r" % (line, want, got))
    sh.stop()


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        disk, hostdir = make_disk(BUILD, tmp)
        sh = scenario_common.boot(Shell, disk, record, "scenario.sh_prompt")
        if not sh:
            return
        run_cases(sh, record, hostdir)
        run_script(sh, record, hostdir)
        run_bin_glob(sh, record, tmp)
        run_getopts(sh, record)
        run_syntax(sh, record)
        run_keys(sh, record)
        sh.stop()
        run_rescue(Shell, disk, tmp, record)
    finally:
        shutil.rmtree(tmp)
