"""Scenario tests of the text programs in /bin (grep, sed, sort, uniq,
diff, find, du, xargs), typed at the shell in one boot. The same input
files are put on the test disk under /progs; each command line is run on
the host too (dash, GNU tools, LC_ALL=C, in a copy of the same folder) and
the outputs must be equal. du's sizes come from debugfs's block counts of
the same image, as GNU du would add them up."""
import os
import shutil
import subprocess
import tempfile
import time

from scenario_disk import make_disk

FILES = {
    "text": "Hello world\nthe quick brown fox\njumps over the lazy dog\nHELLO again, hello\n"
            "foo bar foo baz foo\n\ntab\tseparated\tline\na.b.c and a+b\nMixed Case Line\n"
            "last line of text\n",
    "nums": "10\n9\n-3\n 7\n2.5\n-0\n0\nabc\n+4\n -10.5\n007\n3\n3\n",
    "fields": "b 2 x:9\na 10 y:1\nc 2 z:5\na  3 w:7\nb 1 v:2\nd 10 u:3\n",
    "dups": "a\na\nb\nc\nc\nc\na\nB\nb\nb\n",
    "abc": "a\nb\nc\n",
    "abc_nonl": "a\nb\nc",
    "aBcd": "a\nB\nc\nd\n",
    "items": "a b  c\nd \"e f\" 'g h' i\\ j\n\n  k\n",
    "binary": "x\0y abc\nabc\n",
    "tree/src/main.c": "int main(void) { return 0; }\n",
    "tree/src/lib/lib.c": "hello from lib\nint x;\n",
    "tree/src/lib/lib.h": "lib header\n",
    "tree/doc/README": "Hello docs\nmore\n",
    "tree/doc/notes.txt": "".join("note %d\n" % i for i in range(3000)),
}
SEQ = "".join("%d\n" % i for i in range(1, 101))
SEQB = SEQ.replace("5\n", "", 1).replace("\n20\n", "\ntwenty\n").replace(
    "\n50\n", "\n50\ninserted 1\ninserted 2\n").replace("90\n91\n92\n", "")
FILES["seq100"], FILES["seq100b"] = SEQ, SEQB
FILES["long"] = "".join(chr(97 + i % 26) for i in range(20000)) + "\nshort\n"

# Command lines typed in /progs and run by dash on the host in the same
# folder. find and du list in directory order, hence the sorts.
COMMANDS = [
    "grep hello text", "grep -i hello text", "grep -v o text", "grep -n the text",
    "grep -c foo text", "grep -l hello text dups nums", "grep -E 'fox|dog' text",
    "grep -E 'fo+ ba[rz]' text", "grep 'o\\{2\\}' text", "grep '^[a-z]*$' text",
    "grep -F 'a.b' text", "grep -e fox -e dog text", "grep -n a text dups",
    "grep -h a text dups", "grep -c a text dups", "grep -r lib tree | sort",
    "grep -rl int tree | sort", "grep -q fox text; echo $?", "grep wolf text; echo $?",
    "cat text | grep -i QUICK", "grep -on 'o[a-z]*' text", "grep -x '[a-z ]*' text",
    "grep -n -C1 -E 'fox|Mixed' text",
    "grep abc binary 2>&1; echo $?", "grep -c abc binary", "grep -a -c 'y abc' binary", "grep -m1 -A1 o text",
    "sed s/o/0/ text", "sed s/o/0/g text", "sed s/o/0/2 text", "sed 's/[a-z]*/<&>/' text",
    "sed -E 's/([a-z]+) ([a-z]+)/\\2 \\1/g' text", "sed 's/\\(o\\)\\(.\\)/\\2\\1/' text",
    "sed 's|o|/|g' text", "sed 's/x*/-/g' abc", "sed -n 3p text", "sed 2,4d text",
    "sed -n '/quick/,/HELLO/p' text", "sed '/o/!d' text", "sed 3q text", "sed -n '/o/=' text",
    "sed 'y/abc/xyz/' text", "sed -e 's/a/A/' -e 's/e/E/' -e 4q text", "sed -n '$p' text",
    "sed '$d' text", "sed '/o/{s/o/0/;s/e/3/}' text", "sed -n '$=' text dups",
    "sed s/c/C/ abc_nonl; echo", "sed -n 's/foo/FOO/p' text",
    "sed '2a hello' abc", "sed '1i top' abc", "sed '2,98c gone' seq100", "sed 'n;d' seq100",
    "sed '$!N;s/\\n/ /' abc", "sed -s -n '$=' abc seq100",
    "sed '1!G;h;$!d' abc", "sed ':a;N;$!ba;s/\\n/+/g' abc",
    "sed ':a;s/^.\\{1,4\\}$/ &/;ta' seq100", "sed '$!N;s/\\n/-/;P;D' seq100", "sed -n 'H;${x;s/\\n/,/g;p}' abc",
    "cp abc e1; sed -i 's/b/B/;$a end' e1; cat e1; ls | grep e1",
    "sort text", "sort -r text", "sort -n nums", "sort -nr nums", "sort -u dups",
    "sort -k2 fields", "sort -k2,2n fields", "sort -k2,2n -k1,1r fields", "sort -t: -k2n fields",
    "sort -k1,1 -u fields", "sort dups text", "cat nums | sort -n | uniq", "sort -f text",
    "uniq dups", "uniq -c dups", "uniq -ic dups", "diff -q text dups; echo $?", "uniq -d dups", "uniq -u dups", "sort dups | uniq -c",
    "diff seq100 seq100b; echo $?", "diff -u seq100 seq100b | sed 1,2d",
    "diff -U1 seq100b seq100 | sed 1,2d", "diff -u abc abc_nonl | sed 1,2d",
    "diff abc aBcd", "diff abc abc; echo $?", "diff -u tree/doc/notes.txt seq100 | wc -l",
    "find tree | sort", "find tree -name '*.c' | sort", "find tree -type d | sort",
    "find tree -type f -name 'lib.?' | sort", "find tree -maxdepth 1 | sort",
    "find tree ! -name '*.c' -type f | sort", "find tree -iname 'readme'", "find tree -name '*.c' -o -name '*.h' | sort",
    "find tree ! '(' -type d -o -name '*.c' ')' | sort",
    "find tree -name '*.c' -exec grep -c int {} ';' | sort", "find tree -type f -exec grep -l lib {} + | sort",
    "xargs < items", "xargs -n 2 < items", "xargs -I {} echo [{}] < items",
    "find tree -name '*.c' | sort | xargs grep -c int", "xargs -n 30 < seq100",
    "ls tree/src | xargs -n 1 echo file:", "xargs nosuchcmd < abc 2>&1; echo $?",
    "grep -c xyzab long", "sed 's/a/A/g' long | grep -c A", "sed 's/a/A/g' long | wc -c",
    "sort -r long | cksum", "uniq -c long | wc -c", "diff long seq100 | wc -c",
]


def host_output(folder, cmd):
    p = subprocess.run(["dash", "-c", cmd], cwd=folder, capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    return p.stdout + p.stderr


def block_counts(img, paths):
    """{path: 512-byte blocks} of the image's files, from debugfs's stat."""
    script = "".join("stat %s\n" % p for p in paths)
    out = subprocess.run(["debugfs", "-f", "-", img], input=script, capture_output=True,
                         text=True).stdout
    counts, current = {}, None
    for line in out.splitlines():
        if line.startswith("debugfs: stat "):
            current = line[len("debugfs: stat "):].strip()
        elif "Blockcount:" in line and current:
            counts[current] = int(line.split("Blockcount:")[1].split()[0])
    return counts


def du_expected(folder, img, top, all_files):
    """The lines du (-a) prints for /progs/TOP, as GNU du adds them up."""
    paths = []
    for d, dirs, files in os.walk(os.path.join(folder, top)):
        rel = os.path.relpath(d, folder)
        paths += [rel] + [os.path.join(rel, f) for f in files]
    counts = block_counts(img, ["/progs/" + p for p in paths])
    total, lines = {}, []
    for p in sorted(paths, key=lambda p: -p.count("/")):
        total[p] = counts.get("/progs/" + p, -1) + sum(
            total[q] for q in total if os.path.dirname(q) == p)
        if all_files or os.path.isdir(os.path.join(folder, p)):
            lines.append("%d\t%s" % ((total[p] * 512 + 1023) // 1024, p))
    return "".join(l + "\n" for l in sorted(lines))


def run_all(Shell, BUILD, record):
    tmp = tempfile.mkdtemp()
    try:
        folder = os.path.join(tmp, "progs")
        for rel, text in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(folder, rel)), exist_ok=True)
            with open(os.path.join(folder, rel), "w") as f:
                f.write(text)
        img = make_disk(BUILD, tmp, {"progs/" + rel: text.encode() for rel, text in FILES.items()})
        sh = Shell(disk=img)
        if not sh.ready:
            record("scenario.progs_boot", False, sh.text()[-1500:])
            sh.stop()
            return
        sh.run("cd /progs")
        for cmd in COMMANDS:
            want = host_output(folder, cmd)
            got = sh.run(cmd, timeout=60)
            name = "scenario.progs " + cmd
            record(name, got == want, "system %r, host %r" % (got, want))
        for opts, all_files in (("", False), ("-a ", True)):
            want = du_expected(folder, img, "tree", all_files)
            got = sh.run("du %stree | sort" % opts, timeout=60)
            record("scenario.progs du %stree" % opts, got == want,
                   "system %r, expected %r" % (got, want))
        got = sh.run("du -s tree/doc tree/src", timeout=60) or ""
        want = [l for l in du_expected(folder, img, "tree", False).splitlines()
                if l.endswith("\ttree/doc") or l.endswith("\ttree/src")]
        record("scenario.progs du -s", sorted(got.splitlines()) == sorted(want),
               "system %r, expected %r" % (got, want))
        errors = [("grep x missing; echo $?", "grep: missing: No such file or directory\n2\n"),
                  ("sed p missing; echo $?", "sed: missing: No such file or directory\n2\n"),
                  ("sort missing; echo $?", "sort: missing: No such file or directory\n2\n"),
                  ("diff abc missing; echo $?", "diff: missing: No such file or directory\n2\n"),
                  ("sed 's/a/b' text; echo $?",
                   "sed: -e expression #1, char 5: unterminated address regex or command\n1\n"),
                  ("grep -E 'a(' text; echo $?", None),
                  ("find missing; echo $?", "find: missing: No such file or directory\n1\n"),
                  ("xargs -n 0 < abc; echo $?", "xargs: value for -n must be at least 1\n1\n"),
                  ("find tree/doc -type f -exec nosuchcmd {} ';' ; echo $?",
                   "find: nosuchcmd: No such file or directory\n" * 2 + "0\n")]
        for cmd, want in errors:
            got = sh.run(cmd, timeout=60) or ""
            ok = got == want if want else got.startswith("grep: a(: ") and got.endswith("\n2\n")
            record("scenario.progs error " + cmd, ok, "system %r" % got)
        # ^C ends xargs and the command it runs (same process group).
        start = len(sh.text())
        sh.type("echo 20 20 20 | xargs -n 1 sleep\n")
        time.sleep(2)
        sh.type("\x03")
        back = sh.wait_for_from(start, "\n" + sh.PROMPT, 20)
        out = sh.run("ps", timeout=30) or ""
        record("scenario.progs_ctrl_c_ends_xargs_and_its_command",
               back and " xargs\n" not in out and " sleep\n" not in out, repr(out))
        out = sh.run("echo alive")
        record("scenario.progs_shell_alive_after", out == "alive\n", repr(out))
        sh.stop()
    finally:
        shutil.rmtree(tmp)
