#!/bin/sh
# Builds the programs that need nothing but standard C and POSIX (echo, cat,
# wc, cksum, true, false, hello, ls, sleep, kill) with the host gcc and
# checks them against the host's GNU coreutils.
#
#   sh tests/host/programs/run_host_tests.sh
#
# Prints "ok programs.CASE" or "not ok programs.CASE: why" per check and
# exits 1 if any check failed. Everything runs in a temporary directory that
# is removed at the end; LC_ALL=C keeps coreutils' sorting and word rules
# byte-based.
set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
B=$T/bin        # our programs
D=$T/data       # inputs; commands run here so names print as given
mkdir -p "$B" "$D"
failed=0

ok() { echo "ok programs.$1"; }
not_ok() { echo "not ok programs.$1: $2"; failed=1; }

# --- build ----------------------------------------------------------------
for p in echo cat wc cksum true false hello ls sleep kill; do
    if gcc -Wall -Wextra -Werror -std=gnu11 -O2 "$ROOT/programs/$p.c" -o "$B/$p" 2>"$T/cc.err"; then
        ok "${p}_build"
    else
        not_ok "${p}_build" "$(head -n 3 "$T/cc.err" | tr '\n' ' ')"
    fi
done

# --- inputs ---------------------------------------------------------------
cd "$D" || exit 1
: > empty
printf 'hello\n' > short
printf 'hello world\nfoo  bar\tbaz\n\n  lead and trail  \n' > text
printf 'no newline at the end' > nonl
printf 'a\001b \001 \002\003\n\200\377 x\ty\vz\fw\r\n' > ctrl
head -c 1048576 /dev/urandom > big

# compare CASE INPUT OURS REF: runs both shell commands in $D with INPUT
# piped to standard input and compares standard output and exit status.
compare() {
    name=$1 input=$2 ours=$3 ref=$4
    cat "$input" | (eval "$ours") > "$T/ours.out" 2> "$T/ours.err"
    s1=$?
    cat "$input" | (eval "$ref") > "$T/ref.out" 2> /dev/null
    s2=$?
    if [ "$s1" -ne "$s2" ]; then
        not_ok "$name" "exit status $s1, expected $s2 ($(head -n 1 "$T/ours.err"))"
    elif ! cmp -s "$T/ours.out" "$T/ref.out"; then
        not_ok "$name" "output differs: $(diff "$T/ours.out" "$T/ref.out" | head -n 4 | tr '\n' '|' | cut -c 1-200)"
    else
        ok "$name"
    fi
}

# expect CASE STATUS COMMAND: the command's exit status must be STATUS.
expect_status() {
    name=$1 want=$2
    (eval "$3") > "$T/st.out" 2> "$T/st.err" < /dev/null
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else not_ok "$name" "exit status $got, expected $want"; fi
}

# --- echo, true, false, hello -------------------------------------------
compare echo_args    empty "$B/echo a b  c"         "env echo a b  c"
compare echo_n       empty "$B/echo -n a b"         "env echo -n a b"
compare echo_none    empty "$B/echo"                "env echo"
compare echo_n_only  empty "$B/echo -n"             "env echo -n"
compare echo_empty   empty "$B/echo '' x ''"        "env echo '' x ''"
compare true         empty "$B/true"                "env true"
compare false        empty "$B/false"               "env false"
compare hello        empty "$B/hello"               "printf 'hello, world\n'"

# --- cat ------------------------------------------------------------------
compare cat_stdin    text  "$B/cat"                 "cat"
compare cat_files    empty "$B/cat short text nonl" "cat short text nonl"
compare cat_dash     text  "$B/cat short - nonl"    "cat short - nonl"
compare cat_big      empty "$B/cat big"             "cat big"
compare cat_missing  empty "$B/cat short missing text" "cat short missing text"
if grep -q "^cat: missing: " "$T/ours.err"; then ok cat_missing_message
else not_ok cat_missing_message "stderr: $(cat "$T/ours.err")"; fi

# --- wc (the cases where GNU uses width 7 or a bare number) --------------
for input in empty short text nonl ctrl big; do
    compare "wc_stdin_${input}"     "$input" "$B/wc"        "wc"
    compare "wc_stdin_l_${input}"   "$input" "$B/wc -l"     "wc -l"
    compare "wc_stdin_w_${input}"   "$input" "$B/wc -w"     "wc -w"
    compare "wc_stdin_c_${input}"   "$input" "$B/wc -c"     "wc -c"
    compare "wc_stdin_lw_${input}"  "$input" "$B/wc -lw"    "wc -lw"
    compare "wc_stdin_l_c_${input}" "$input" "$B/wc -c -l"  "wc -c -l"
done
# With a megabyte of regular files GNU also pads to 7 columns.
compare wc_files       empty "$B/wc big text nonl"      "wc big text nonl"
compare wc_files_w     empty "$B/wc -w big ctrl"        "wc -w big ctrl"
compare wc_files_dash  text  "$B/wc -lc big -"          "wc -lc big -"
compare wc_missing     empty "$B/wc big missing text"   "wc big missing text"

# --- cksum ----------------------------------------------------------------
compare cksum_empty    empty "$B/cksum"                 "cksum"
compare cksum_short    short "$B/cksum"                 "cksum"
compare cksum_text     text  "$B/cksum"                 "cksum"
compare cksum_big      big   "$B/cksum"                 "cksum"
compare cksum_files    empty "$B/cksum empty short big ctrl" "cksum empty short big ctrl"
compare cksum_dash     short "$B/cksum -"               "cksum -"
compare cksum_missing  empty "$B/cksum short missing"   "cksum short missing"
for n in 255 256 65535 65536 16777216; do       # lengths that need 1..4 bytes
    if [ "$n" -le 1048576 ]; then head -c "$n" big; else head -c "$n" /dev/zero; fi > "len$n"
    compare "cksum_len$n" "len$n" "$B/cksum" "cksum"
    rm -f "len$n"
done

# --- ls -------------------------------------------------------------------
L=$T/lsdir
mkdir -p "$L/dir" "$L/sub"
for f in b a C 'with space' _x .hidden 10 9; do printf 'x' > "$L/$f"; done
printf 'some contents\n' > "$L/dir/inner"
printf '#!/bin/sh\n' > "$L/exe"; chmod 755 "$L/exe"
chmod 600 "$L/b"; chmod 4755 "$L/a"; chmod 1777 "$L/sub"
compare ls_dir        empty "$B/ls $L"                  "ls $L"
compare ls_dot        empty "cd $L && $B/ls"            "cd $L && ls"
compare ls_all        empty "$B/ls -a $L"               "ls -a $L"
compare ls_files      empty "$B/ls $L/b $L/a $L/exe"    "ls $L/b $L/a $L/exe"
compare ls_mixed      empty "cd $L && $B/ls dir b sub a" "cd $L && ls dir b sub a"
compare ls_two_dirs   empty "$B/ls $L/dir $L/sub"       "ls $L/dir $L/sub"
compare ls_empty_dir  empty "$B/ls $L/sub"              "ls $L/sub"
# GNU ls exits 2 for a missing operand, ours 1; the listing must match.
compare ls_missing    empty "$B/ls $L/dir $L/nope $L/a || [ \$? = 1 ]" \
                            "ls $L/dir $L/nope $L/a || [ \$? = 2 ]"
# -l: mode string, link count and size must agree with stat(1).
"$B/ls" -l "$L" > "$T/ls_l.out" 2>&1
ls_l_why=""
[ "$(wc -l < "$T/ls_l.out")" -eq "$(ls "$L" | wc -l)" ] || ls_l_why="wrong number of lines"
while read -r mode links size name; do
    want=$(stat -c '%A %h %s' "$L/$name")
    [ "$mode $links $size" = "$want" ] || ls_l_why="$ls_l_why $name: '$mode $links $size' != '$want';"
done < "$T/ls_l.out"
if [ -z "$ls_l_why" ]; then ok ls_long; else not_ok ls_long "$ls_l_why"; fi
line=$("$B/ls" -l "$L/dir/inner")
if [ "$line" = "-rw-r--r--   1       14 $L/dir/inner" ] || [ "$line" = "$(stat -c '%A' "$L/dir/inner")   1       14 $L/dir/inner" ]; then
    ok ls_long_file
else
    not_ok ls_long_file "got '$line'"
fi
expect_status ls_bad_option 1 "$B/ls -z $L"

# --- sleep ----------------------------------------------------------------
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
for t in 0.3 1; do
    start=$(now_ms)
    "$B/sleep" "$t"; s=$?
    took=$(( $(now_ms) - start ))
    want=$(echo "$t" | awk '{ print int($1 * 1000) }')
    if [ "$s" -eq 0 ] && [ "$took" -ge "$want" ] && [ "$took" -lt $((want + 1000)) ]; then
        ok "sleep_$t"
    else
        not_ok "sleep_$t" "status $s after ${took} ms"
    fi
done
expect_status sleep_zero 0 "$B/sleep 0"
expect_status sleep_bad 1 "$B/sleep abc"
expect_status sleep_bad_suffix 1 "$B/sleep 1x"
expect_status sleep_dot 1 "$B/sleep ."
expect_status sleep_no_arg 1 "$B/sleep"

# --- kill -----------------------------------------------------------------
# kill_case CASE EXPECTED_WAIT_STATUS [SIGNAL_OPTION]: kills a background
# sleep (with SIGINT and SIGQUIT back to their defaults: sh ignores them in
# background jobs) and checks how it ended.
kill_case() {
    name=$1 want=$2
    shift 2
    env --default-signal=INT,QUIT sleep 30 &
    pid=$!
    i=0         # until env has reset the signals and become sleep
    while [ "$(cat /proc/$pid/comm 2>/dev/null)" != sleep ] && [ $i -lt 50 ]; do
        sleep 0.05; i=$((i + 1))
    done
    "$B/kill" "$@" "$pid"
    s=$?
    wait "$pid" 2>/dev/null
    got=$?
    if [ "$s" -eq 0 ] && [ "$got" -eq "$want" ]; then ok "$name"
    else not_ok "$name" "kill exit $s, child status $got, expected $want"; fi
}
kill_case kill_default 143
kill_case kill_9 137 -9
kill_case kill_KILL 137 -KILL
kill_case kill_INT 130 -INT
kill_case kill_HUP 129 -HUP
kill_case kill_2 130 -2
kill_case kill_TERM 143 -TERM
kill_case kill_SIGKILL 137 -SIGKILL
expect_status kill_bad_pid 1 "$B/kill abc"
if grep -q "^kill: abc: " "$T/st.err"; then ok kill_bad_pid_message
else not_ok kill_bad_pid_message "stderr: $(cat "$T/st.err")"; fi
expect_status kill_no_such_pid 1 "$B/kill 2147483000"
if grep -q "^kill: 2147483000: No such process" "$T/st.err"; then ok kill_no_such_pid_message
else not_ok kill_no_such_pid_message "stderr: $(cat "$T/st.err")"; fi
expect_status kill_bad_signal 1 "$B/kill -NOPE 1"
expect_status kill_no_pid 1 "$B/kill -9"

exit "$failed"
