"""Scenario tests of the shell and the programs, typed over the serial
console of a booted system (see run.py for Shell and record)."""
import re


def lines(out):
    return [l.rstrip("\r") for l in (out or "").strip("\n").split("\n")] if out else []


# name, commands typed one by one, expected output of the last command
# (a string compared after stripping, or a function of it returning bool).
CASES = [
    ("echo", ["echo hello"], "hello"),
    ("hello_program", ["hello"], "hello, world"),
    ("arguments_and_quoting", ["echo 'a  b' \"c  d\" e\\ f"], "a  b c  d e f"),
    ("pipeline", ["echo a b c | wc -w"], "3"),
    ("pipeline_of_four", ["echo one two three four | cat | cat | wc -w"], "4"),
    ("redirect_out_and_in", ["echo first line > /tmp_a", "cat < /tmp_a"], "first line"),
    ("redirect_append", ["echo one > /tmp_b", "echo two >> /tmp_b", "cat /tmp_b"], "one\ntwo"),
    ("redirect_with_pipe", ["echo x y z > /tmp_c", "cat < /tmp_c | wc -w > /tmp_d", "cat /tmp_d"], "3"),
    ("semicolon", ["echo a; echo b"], "a\nb"),
    ("and_or", ["true && echo yes || echo no", "false && echo yes || echo no"], "no"),
    ("and_short_circuit", ["false && echo never; echo after"], "after"),
    ("status_variable", ["false", "echo $?"], "1"),
    ("status_true", ["true", "echo $?"], "0"),
    ("status_not_found", ["nosuchcmd", "echo $?"], "127"),
    ("variables", ["GREETING=hi", "echo $GREETING ${GREETING}!"], "hi hi!"),
    ("export", ["export COLOR=blue", "PLAIN=x", "env"],
     lambda o: "COLOR=blue" in lines(o) and "PLAIN=x" not in lines(o) and "PATH=/bin:/boot/bin" in lines(o)),
    ("cd_pwd", ["cd /bin", "pwd", "cd /", "pwd"], "/"),
    ("cd_relative", ["cd /bin", "ls hello"], "hello"),
    ("cd_home", ["cd", "pwd"], "/"),
    ("unknown_command", ["frobnicate"], "sh: frobnicate: command not found"),
    # POSIX: "echo a |" at the end of a line asks for more (a "> " prompt), so
    # the error case is a token that can never be right
    ("syntax_error", ["echo a ;;"], "sh: syntax error: unexpected ';;'"),
    ("syntax_error_then_works", ["| x", "echo ok"], "ok"),
    ("help", ["help"], lambda o: "cd" in o and "exit" in o and "jobs" in o and "wait" in o),
    ("ls_bin", ["ls /bin"], lambda o: {"cat", "cp", "echo", "hello", "ls", "mkdir"} <= set(lines(o))),
    ("ls_long", ["ls -l /bin/hello"], lambda o: re.match(r"^-r.x.* 1 +\d+ /bin/hello$", o.strip()) is not None),
    ("ps_lists_services", ["ps"],
     lambda o: {"init", "proc", "console", "sh", "fs", "pipe"} <= {l.split()[-1] for l in lines(o)[1:]}),
    ("wc_lines", ["echo a > /tmp_w", "echo b >> /tmp_w", "wc -l < /tmp_w"], "2"),
    ("cksum_stdin", ["echo hello | cksum"], "3015617425 6"),
    ("sleep_and_true", ["sleep 0.1 && echo slept"], "slept"),
    ("background_and_wait", ["sleep 0.2 &", "wait", "echo waited"], "waited"),
    ("prio_runs_command", ["prio 5 echo low"], "low"),
    # proc keeps images of programs it spawned: a program rewritten on disk
    # runs its new contents, also at the same size (true and false are)
    ("rewritten_program", ["cp /bin/echo /tmp_x", "/tmp_x hi", "cp /bin/true /tmp_x", "/tmp_x hi; echo $?"], "0"),
    ("rewritten_same_size", ["cp /bin/true /tmp_y", "/tmp_y", "cp /bin/false /tmp_y", "/tmp_y; echo $?"], "1"),
    ("rewritten_corrupt", ["cp /bin/true /tmp_z", "/tmp_z", "head -c 200 /bin/true > /tmp_z", "/tmp_z; echo $?"],
     "sh: /tmp_z: Exec format error\n126"),
]


def check(expect, out):
    if out is None:
        return False
    if callable(expect):
        return expect(out.strip("\n"))
    return "\n".join(lines(out)) == expect


def run_cases(sh, record):
    for name, cmds, expect in CASES:
        out = None
        for c in cmds:
            out = sh.run(c)
        record("scenario.shell_" + name, check(expect, out), "typed %r, got %r" % (cmds, out))


def wait_prompt(sh, start, timeout=10):
    """Output since start once it ends with a prompt, else None."""
    import time
    end = time.time() + timeout
    while time.time() < end:
        out = sh.text()[start:]
        if out.endswith(sh.PROMPT):
            return out
        time.sleep(0.05)
    return None


def typed_with_pauses(sh, steps):
    """Types each (text, seconds to wait after it); returns the output
    from the first once it ends with a prompt, else None."""
    import time
    start = len(sh.text())
    for text, pause in steps:
        sh.type(text)
        time.sleep(pause)
    return wait_prompt(sh, start)


def run_editing(sh, record):
    # backspace and ^U edit the line before it is sent
    out = sh.run("echoo\x7f\x7f\x7fho edited")
    record("scenario.console_backspace", check("edited", out), repr(out))
    out = sh.run("garbage\x15echo clean")
    record("scenario.console_ctrl_u", check("clean", out), repr(out))
    # ^C ends the foreground program and the shell prompts again
    out = typed_with_pauses(sh, [("spin\n", 1.0), ("\x03", 0)])
    record("scenario.ctrl_c_ends_foreground", out is not None and "Interrupted" in out,
           repr(out) if out is not None else "no prompt; the screen ends:\n" + sh.text()[-1500:])
    out = sh.run("echo $?")
    record("scenario.ctrl_c_status", check("130", out), repr(out))
    out = sh.run("ps")
    record("scenario.ctrl_c_spin_gone", out is not None and " spin" not in out, repr(out))
    # ^C typed before the job has the foreground (here while the builtin
    # read waits for its line) is kept for the job: spin starts interrupted
    out = typed_with_pauses(sh, [("read x; spin\n", 0.5), ("\x03", 0.2), ("\n", 0)])
    record("scenario.ctrl_c_before_foreground", out is not None and "Interrupted" in out,
           repr(out) if out is not None else "no prompt; the screen ends:\n" + sh.text()[-1500:])
    if out is None:                  # the spin the ^C missed, so the next tests can run
        typed_with_pauses(sh, [("\x03", 0)])
    # several writers at once lose nothing
    out = sh.run("echo aaa & echo bbb & echo ccc & hello & wait")
    got = [l for l in lines(out) if not l.startswith("[")]
    record("scenario.concurrent_writers", sorted(got) == ["aaa", "bbb", "ccc", "hello, world"],
           repr(out))


def run_special(sh, record):
    # spin & stays in the background while the shell answers at once
    out = sh.run("spin &")
    m = re.search(r"\[\d+\] (\d+)", out or "")
    record("scenario.spin_background_prints_job", m is not None, repr(out))
    pid = m.group(1) if m else "0"
    out = sh.run("echo still here", timeout=5)
    record("scenario.shell_answers_while_spin_runs", check("still here", out), repr(out))
    out = sh.run("jobs")
    record("scenario.jobs_lists_spin", "spin" in (out or "") and "1" in (out or ""), repr(out))
    out = sh.run("ps")
    record("scenario.ps_lists_spin", " spin" in (out or "") and pid in (out or ""), repr(out))
    sh.run("kill " + pid)
    sh.run("sleep 0.1")
    out = sh.run("ps")
    record("scenario.kill_ends_spin", out is not None and " spin" not in out, repr(out))
    # exit: init starts a new shell
    out = sh.run("exit 3", timeout=20)
    record("scenario.shell_exit_restarts", out is not None, repr(out))
    out = sh.run("echo new shell")
    record("scenario.new_shell_works", check("new shell", out), repr(out))
