#!/bin/sh
# Builds the programs that need nothing but standard C and POSIX (echo, cat,
# wc, cksum, true, false, hello, ls, sleep, kill, mkdir, rmdir, rm, cp, mv,
# touch, stat, sync) with the host gcc and checks them against the host's
# GNU coreutils. (df asks this system's file server through os_statfs, so
# it has no host build.)
#
#   sh tests/host/programs/run_host_tests.sh
#
# Prints "ok programs.CASE" or "not ok programs.CASE: why" per check and
# exits 1 if any check failed. Everything runs in a temporary directory that
# is removed at the end; LC_ALL=C keeps coreutils' sorting and word rules
# byte-based.
PREFIX=programs FEED=pipe
. "$(dirname "$0")/common.sh"

# --- build ----------------------------------------------------------------
build_programs echo cat wc cksum true false hello ls sleep kill mkdir rmdir rm cp mv touch stat sync

# --- inputs ---------------------------------------------------------------
cd "$D" || exit 1
: > empty
printf 'hello\n' > short
printf 'hello world\nfoo  bar\tbaz\n\n  lead and trail  \n' > text
printf 'no newline at the end' > nonl
printf 'a\001b \001 \002\003\n\200\377 x\ty\vz\fw\r\n' > ctrl
head -c 1048576 /dev/urandom > big

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

# --- file programs: mkdir rmdir rm cp mv touch ---------------------------
# fs_compare CASE SETUP OURS REF: runs SETUP in two fresh directories, then
# OURS in one and REF in the other (umask 022, so that new files' modes
# agree). The exit statuses must match, and so must the two trees
# afterwards: names, types and modes (find) and contents (diff -r).
F1=$T/fs.ours F2=$T/fs.ref
fs_compare() {
    name=$1 setup=$2 ours=$3 ref=$4
    rm -rf "$F1" "$F2"
    mkdir "$F1" "$F2"
    if ! (cd "$F1" && umask 022 && eval "$setup") || ! (cd "$F2" && umask 022 && eval "$setup"); then
        not_ok "$name" "setup failed"
        return
    fi
    (cd "$F1" && umask 022 && eval "$ours") > "$T/ours.out" 2> "$T/ours.err" < /dev/null
    s1=$?
    (cd "$F2" && umask 022 && eval "$ref") > "$T/ref.out" 2> /dev/null < /dev/null
    s2=$?
    (cd "$F1" && find . -printf '%M %p\n' | sort) > "$T/ours.tree"
    (cd "$F2" && find . -printf '%M %p\n' | sort) > "$T/ref.tree"
    if [ "$s1" -ne "$s2" ]; then
        not_ok "$name" "exit status $s1, expected $s2 ($(head -n 1 "$T/ours.err"))"
    elif ! cmp -s "$T/ours.tree" "$T/ref.tree"; then
        not_ok "$name" "trees differ: $(diff "$T/ours.tree" "$T/ref.tree" | head -n 4 | tr '\n' '|' | cut -c 1-200)"
    elif ! diff -r "$F1" "$F2" > "$T/fs.diff" 2>&1; then
        not_ok "$name" "contents differ: $(head -n 4 "$T/fs.diff" | tr '\n' '|' | cut -c 1-200)"
    else
        ok "$name"
    fi
}

# A small tree: nested and empty directories, hidden, spaced, executable
# and large files.
TREE='mkdir -p t/a/b t/empty t/c && printf "one\n" > t/f1 && printf "two\n" > t/a/f2 &&
      printf "x" > t/a/b/.hidden && printf "s" > "t/c/with space" && cat "$D/big" > t/a/big &&
      printf "#!/bin/sh\n" > t/c/exe && chmod 755 t/c/exe && chmod 700 t/c'

fs_compare mkdir_one         ''                  "$B/mkdir a"               "mkdir a"
fs_compare mkdir_several     ''                  "$B/mkdir a b c"           "mkdir a b c"
fs_compare mkdir_exists      'mkdir a'           "$B/mkdir a b"             "mkdir a b"
err_is     mkdir_exists_message "^mkdir: a: File exists"
fs_compare mkdir_no_parent   ''                  "$B/mkdir a/b"             "mkdir a/b"
fs_compare mkdir_p_nested    ''                  "$B/mkdir -p a/b/c"        "mkdir -p a/b/c"
fs_compare mkdir_p_existing  'mkdir -p a/b'      "$B/mkdir -p a/b a/b/c/ x//y/ a" "mkdir -p a/b a/b/c/ x//y/ a"
fs_compare mkdir_p_absolute  ''                  "$B/mkdir -p \"\$PWD/p/q\"" "mkdir -p \"\$PWD/p/q\""
fs_compare mkdir_p_file      'printf x > f'      "$B/mkdir -p f/g"          "mkdir -p f/g"
fs_compare mkdir_p_file_end  'printf x > f'      "$B/mkdir -p f"            "mkdir -p f"
expect_status mkdir_no_arg 1 "$B/mkdir"
expect_status mkdir_bad_option 1 "$B/mkdir -z $T/never"

fs_compare rmdir_empty       'mkdir e'           "$B/rmdir e"               "rmdir e"
fs_compare rmdir_non_empty   'mkdir -p full/x'   "$B/rmdir full"            "rmdir full"
err_is     rmdir_non_empty_message "^rmdir: full: "
fs_compare rmdir_mixed       'mkdir e f && mkdir -p full/x' "$B/rmdir e full missing f" "rmdir e full missing f"
fs_compare rmdir_file        'printf x > f'      "$B/rmdir f"               "rmdir f"
expect_status rmdir_no_arg 1 "$B/rmdir"

fs_compare rm_files          'printf x > f && printf y > g && printf z > h' "$B/rm f g" "rm f g"
fs_compare rm_missing        'printf x > f'      "$B/rm missing f"          "rm missing f"
err_is     rm_missing_message "^rm: missing: "
fs_compare rm_f_missing      'printf x > f'      "$B/rm -f missing f"       "rm -f missing f"
fs_compare rm_f_nothing      ''                  "$B/rm -f"                 "rm -f"
fs_compare rm_dir            'mkdir d'           "$B/rm d"                  "rm d"
fs_compare rm_r_tree         "$TREE"             "$B/rm -r t"               "rm -r t"
fs_compare rm_r_subtree      "$TREE"             "$B/rm -r t/a t/empty"     "rm -r t/a t/empty"
fs_compare rm_rf_mixed       "$TREE && printf x > f" "$B/rm -rf t missing f" "rm -rf t missing f"
fs_compare rm_R_file         'printf x > f'      "$B/rm -R f"               "rm -R f"
fs_compare rm_r_dot          'mkdir -p d/e'      "$B/rm -rf d/."            "rm -rf d/."
fs_compare rm_r_dotdot       'mkdir -p d/e'      "$B/rm -rf d/e/.."         "rm -rf d/e/.."
# Links are removed, not followed, at the top and inside a tree.
fs_compare rm_r_link         'mkdir -p d/x && printf k > d/x/keep && ln -s d l' "$B/rm -r l" "rm -r l"
fs_compare rm_r_link_inside  'mkdir -p t o && printf k > o/keep && ln -s ../o t/l' "$B/rm -r t" "rm -r t"
expect_status rm_no_arg 1 "$B/rm"

fs_compare cp_big            'cat "$D/big" > big' "$B/cp big copy"          "cp big copy"
if cmp -s "$F1/big" "$F1/copy" && cmp -s "$D/big" "$F1/copy"; then ok cp_big_identical
else not_ok cp_big_identical "copy differs from big"; fi
fs_compare cp_empty          ': > e'             "$B/cp e copy"             "cp e copy"
fs_compare cp_overwrite      'printf "a longer old line\n" > dst && printf "new\n" > src' "$B/cp src dst" "cp src dst"
fs_compare cp_mode           'printf "#!/bin/sh\n" > x && chmod 750 x' "$B/cp x y" "cp x y"
fs_compare cp_into_dir       'mkdir d && printf a > a && printf b > b' "$B/cp a b d" "cp a b d"
fs_compare cp_into_dir_one   'mkdir d && printf a > a' "$B/cp a d/"         "cp a d/"
fs_compare cp_into_dir_path  'mkdir -p d s && printf a > s/a' "$B/cp s/a d" "cp s/a d"
fs_compare cp_not_dir_target 'printf a > a && printf b > b' "$B/cp a b c"   "cp a b c"
fs_compare cp_missing        ''                  "$B/cp missing x"          "cp missing x"
fs_compare cp_same_file      'printf keep > f'   "$B/cp f f"                "cp f f"
fs_compare cp_dir_no_r       'mkdir -p d/x && printf a > a && mkdir e' "$B/cp d a e" "cp d a e"
err_is     cp_dir_no_r_message "^cp: omitting directory 'd'\$"
fs_compare cp_r_tree         "$TREE"             "$B/cp -r t u"             "cp -r t u"
if diff -r "$F1/t" "$F1/u" > /dev/null 2>&1; then ok cp_r_tree_identical
else not_ok cp_r_tree_identical "diff -r t u differs"; fi
fs_compare cp_r_into_dir     "$TREE && mkdir u"  "$B/cp -r t u"             "cp -r t u"
fs_compare cp_R_several      "$TREE && printf a > a && mkdir u" "$B/cp -R t/a a t/empty u" "cp -R t/a a t/empty u"
fs_compare cp_r_merge        "$TREE && mkdir -p u/t/a && printf old > u/t/f1 && printf keep > u/t/a/mine" "$B/cp -r t u" "cp -r t u"
fs_compare cp_r_file         'printf a > a'      "$B/cp -r a b"             "cp -r a b"
fs_compare cp_r_onto_file    'mkdir d && printf a > a' "$B/cp -r d a"       "cp -r d a"
# Into itself: GNU stops at a different point, so only the status and
# that the copy ends are checked.
rm -rf "$F1" && mkdir -p "$F1/a/b" && printf x > "$F1/a/f"
expect_status cp_r_into_itself 1 "cd $F1 && $B/cp -r a a/b"
if [ -d "$F1/a/b/a" ] && [ ! -e "$F1/a/b/a/b/a" ]; then ok cp_r_into_itself_stops
else not_ok cp_r_into_itself_stops "$(cd "$F1" && find . | tr '\n' ' ')"; fi
expect_status cp_no_dst 1 "$B/cp $D/short"

fs_compare mv_rename         'printf a > a'      "$B/mv a b"                "mv a b"
fs_compare mv_replace        'printf a > a && printf b > b' "$B/mv a b"     "mv a b"
fs_compare mv_dir            "$TREE"             "$B/mv t u"                "mv t u"
fs_compare mv_into_dir       "$TREE && printf a > a && mkdir d" "$B/mv a t d" "mv a t d"
fs_compare mv_into_dir_one   'printf a > a && mkdir d' "$B/mv a d/"         "mv a d/"
fs_compare mv_into_dir_path  'mkdir -p d s && printf a > s/a' "$B/mv s/a d" "mv s/a d"
fs_compare mv_not_dir_target 'printf a > a && printf b > b' "$B/mv a b c"   "mv a b c"
fs_compare mv_missing        'mkdir d'           "$B/mv missing d"          "mv missing d"
err_is     mv_missing_message "^mv: missing: "
fs_compare mv_some_missing   'printf a > a && mkdir d' "$B/mv missing a d"  "mv missing a d"
fs_compare mv_dir_into_self  'mkdir d'           "$B/mv d d"                "mv d d"
expect_status mv_no_dst 1 "$B/mv $T/never"

fs_compare touch_create      ''                  "$B/touch new"             "touch new"
fs_compare touch_several     'mkdir d'           "$B/touch a d/b c"         "touch a d/b c"
fs_compare touch_existing    'printf "keep me\n" > f && mkdir d' "$B/touch f d" "touch f d"
fs_compare touch_link        'ln -s target l'    "$B/touch l"               "touch l"
fs_compare touch_no_dir      ''                  "$B/touch nodir/f"         "touch nodir/f"
expect_status touch_no_arg 1 "$B/touch"

# --- stat ------------------------------------------------------------------
# The expected lines come from GNU stat's --printf (its %y in UTC, cut to
# whole seconds); GNU calls an empty regular file "regular empty file".
S=$T/statdir
mkdir -p "$S/dir"
printf 'some contents\n' > "$S/file"
cat "$D/big" > "$S/big"
printf '#!/bin/sh\n' > "$S/exe"; chmod 4755 "$S/exe"
ln -s file "$S/link"
stat_ref() {
    for f in "$@"; do
        if [ -L "$f" ]; then echo "  File: $f -> $(readlink "$f")"; else echo "  File: $f"; fi
        stat --printf '  Size: %s\tBlocks: %b\tIO Block: %o\t%F\nInode: %i\tLinks: %h\nAccess: (%04a/%A)\n' "$f"
        echo "Modify: $(TZ=UTC0 stat -c %y "$f" | cut -c 1-19)"
    done
}
for f in file big dir exe link; do
    compare "stat_$f" empty "cd $S && $B/stat $f" "cd $S && stat_ref $f"
done
compare stat_several  empty "$B/stat $S/file $S/dir"   "stat_ref $S/file $S/dir"
compare stat_missing  empty "$B/stat $S/file $S/nope $S/dir || [ \$? = 1 ]" \
                            "stat_ref $S/file; stat_ref $S/dir"
if grep -q "^stat: $S/nope: " "$T/ours.err"; then ok stat_missing_message
else not_ok stat_missing_message "stderr: $(cat "$T/ours.err")"; fi
# Just the File, Size and Links values against stat -c, line by line.
"$B/stat" "$S/file" > "$T/stat.out"
got=$(sed -n -e 's/^  File: //p' -e 's/^  Size: \([0-9]*\).*/\1/p' -e 's/.*Links: //p' "$T/stat.out" | tr '\n' ' ')
want=$(stat -c '%n %s %h ' "$S/file")
if [ "$got" = "$want" ]; then ok stat_values; else not_ok stat_values "got '$got', expected '$want'"; fi
expect_status stat_no_arg 1 "$B/stat"

# --- sync -------------------------------------------------------------------
expect_status sync 0 "$B/sync"
expect_status sync_arg 1 "$B/sync x"

exit "$failed"
