#!/bin/sh
# Writes the input files of the text program tests into the current
# folder; run by run_text2_tests.sh on the host and by
# tests/scenario_progs2.py for the files it puts on the test disk.
: > empty
printf 'hello\n' > short
printf 'no newline at the end' > nonl
i=1
while [ "$i" -le 25 ]; do echo "line $i of the file"; i=$((i + 1)); done > lines
printf 'Hello, World! 123\nfoo  bar\tbaz   qux\n\nUPPER lower MiXeD 42\n a-b_c.d\n' > text
printf 'a\001b \001 \002\003\n\200\377 x\ty\vz\fw\r\n\0nul\0\n' > ctrl
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1::/:\nno delimiter here\na,b,c,d\n:lead:trail:\n\ttab\tsep\n' > fields
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%c", 97 + i % 26; printf "\nsecond\n" }' > long
(printf 'aaaaaaaaaaaaaaaa%.0s' 1 2 3 4; printf 'tail') > rep
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%c", (i * 7 + i / 256) % 256 }' > big
