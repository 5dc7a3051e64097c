#!/bin/sh
# Builds the text programs head, tail, tr, cut, tee, od, printf, test ([),
# basename, dirname, seq and echo with the host gcc and checks them against the
# host's GNU coreutils (and dash's test for what GNU test lacks: < > and
# nested parentheses).
#
#   sh tests/host/programs/run_text2_tests.sh
#
# Prints "ok programs.CASE" or "not ok programs.CASE: why" per check and
# exits 1 if any check failed. Runs in a temporary directory removed at
# the end, with LC_ALL=C.
PREFIX=programs
. "$(dirname "$0")/common.sh"
n=0             # numbers the cases whose arguments are mostly punctuation

# --- build ----------------------------------------------------------------
build_programs head tail tr cut tee od printf test basename dirname seq echo
cp "$B/test" "$B/["

# --- inputs (also written into the test disk by tests/scenario_progs2.py) -
cd "$D" || exit 1
sh "$ROOT/tests/host/programs/text2_inputs.sh"

# slug WORDS: a test name part made of the words ("-n +2" -> "mn_p2").
slug() {
    s=$(printf '%s' "$*" | sed 's/-/m/g; s/+/p/g' | tr -c 'a-zA-Z0-9' '_' | sed 's/__*/_/g; s/^_//; s/_$//')
    echo "${s:-default}"
}

# same CASE ARGS...: our program and the host's, same arguments, no input.
same() {
    name=$1
    shift
    compare "$name" empty "$B/$*" "env $*"
}

# --- head -----------------------------------------------------------------
for f in empty nonl lines long ctrl; do
    for o in "" "-n 3" "-n 0" "-n -2" "-n -100" "-c 5" "-c -3" "-c 0" "-3" "-n3" "-c 1K"; do
        compare "head_${f}_$(slug "$o")" "$f" "$B/head $o" "head $o"
    done
done
compare head_files       empty "$B/head -n 2 lines nonl empty"   "head -n 2 lines nonl empty"
compare head_files_q     empty "$B/head -q -n 1 lines nonl"      "head -q -n 1 lines nonl"
compare head_one_v       empty "$B/head -v -n 1 lines"           "head -v -n 1 lines"
compare head_dash        lines "$B/head -n 1 nonl - nonl"        "head -n 1 nonl - nonl"
compare head_missing     empty "$B/head -n 1 lines missing nonl" "head -n 1 lines missing nonl"
err_is  head_missing_message "^head: missing: "
compare head_bad_count   empty "$B/head -n x lines"              "head -n x lines"
compare head_bad_option  empty "$B/head -y lines"                "head -y lines"

# --- tail -----------------------------------------------------------------
for f in empty nonl lines long ctrl; do
    for o in "" "-n 3" "-n 0" "-n +2" "-n +1" "-n +100" "-c 5" "-c +3" "-c 0" "-3" "-n1"; do
        compare "tail_${f}_$(slug "$o")" "$f" "$B/tail $o" "tail $o"
    done
done
compare tail_files       empty "$B/tail -n 2 lines nonl empty"   "tail -n 2 lines nonl empty"
compare tail_files_q     empty "$B/tail -q -n 1 lines nonl"      "tail -q -n 1 lines nonl"
compare tail_dash        lines "$B/tail -n 1 nonl - nonl"        "tail -n 1 nonl - nonl"
compare tail_big         empty "$B/tail -c 100 big"              "tail -c 100 big"
compare tail_missing     empty "$B/tail -n 1 lines missing"      "tail -n 1 lines missing"
err_is  tail_missing_message "^tail: missing: "
compare tail_bad_count   empty "$B/tail -n x lines"              "tail -n x lines"
# -f: what is appended later is printed too.
cp lines grow
"$B/tail" -n 1 -f grow > "$T/follow.out" 2>&1 &
tpid=$!
sleep 0.5
printf 'appended\n' >> grow
sleep 1.5
kill "$tpid" 2>/dev/null
wait "$tpid" 2>/dev/null
if [ "$(cat "$T/follow.out")" = "$(tail -n 1 lines; echo appended)" ]; then ok tail_follow
else not_ok tail_follow "got: $(head -c 200 "$T/follow.out" | tr '\n' '|')"; fi

# --- tr -------------------------------------------------------------------
for spec in "a-z A-Z" "'[:lower:]' '[:upper:]'" "'[:upper:]' '[:lower:]'" "abc xy" "a-f '[x*2]z[y*]'" \
            "'\\n' ' '" "' ' '\\n'" "'\\001-\\037' '?'" "-c 'a-z\\n' _" "-d aeiou" "-d '[:digit:][:space:]'" \
            "-cd '[:alpha:]\\n'" "-s ' '" "-s 'a-z'" "-s a-z A-Z" "-ds aeiou ' '" "-cs '[:alnum:]' '\\n'" \
            "'[=a=]' b" "'[:punct:]' '[.*]'" "'a\\-z' 123" "-- -a +b" "'\\\\' /" "'[:space:]' '[_*]'"; do
    n=$((n + 1))
    for f in text ctrl nonl; do
        compare "tr_${n}_$(slug "$spec")_$f" "$f" "$B/tr $spec" "tr $spec"
    done
done
compare tr_empty        empty "$B/tr a b"             "tr a b"
compare tr_big          big   "$B/tr '\\000-\\177' '\\200-\\377'" "tr '\\000-\\177' '\\200-\\377'"
compare tr_no_args      text  "$B/tr"                 "tr"
compare tr_one_arg      text  "$B/tr abc"             "tr abc"
compare tr_too_many     text  "$B/tr -d a b"          "tr -d a b"
compare tr_empty_set2   text  "$B/tr abc ''"          "tr abc ''"
compare tr_bad_range    text  "$B/tr z-a x"           "tr z-a x"

# --- cut ------------------------------------------------------------------
for o in "-d: -f1" "-d: -f2,4" "-d: -f2-" "-d: -f-2" "-d: -f3-4,1" "-d: -f2 -s" "-f2" "-f1,3 -s" \
         "-c1-3" "-c2,4-5,9-" "-b-4" "-c1" "-d, -f2" "-d: -f1,2 --output-delimiter=++" \
         "-d: -f2 --complement" "-c3- --complement" "-d ' ' -f2,3" "-c 1-3,2-4"; do
    for f in fields lines nonl empty long; do
        compare "cut_$(slug "$o")_$f" "$f" "$B/cut $o" "cut $o"
    done
done
compare cut_files       empty "$B/cut -c1 lines - fields" "cut -c1 lines - fields"
compare cut_missing     empty "$B/cut -c1 lines missing"  "cut -c1 lines missing"
err_is  cut_missing_message "^cut: missing: "
compare cut_no_list     lines "$B/cut"                    "cut"
compare cut_zero        lines "$B/cut -f0"                "cut -f0"
compare cut_decreasing  lines "$B/cut -c3-1"              "cut -c3-1"
compare cut_bad_delim   lines "$B/cut -d ab -f1"          "cut -d ab -f1"
compare cut_two_lists   lines "$B/cut -c1 -f1"            "cut -c1 -f1"

# --- tee ------------------------------------------------------------------
compare tee_stdout      lines "$B/tee"                    "tee"
compare tee_files       lines "$B/tee $T/o1 $T/o2 && cat $T/o1 $T/o2" "tee $T/r1 $T/r2 && cat $T/r1 $T/r2"
compare tee_append      lines "$B/tee -a $T/o1 && cat $T/o1" "tee -a $T/r1 && cat $T/r1"
compare tee_big         big   "$B/tee $T/o3 | cksum && cksum < $T/o3" "tee $T/r3 | cksum && cksum < $T/r3"
compare tee_bad_file    lines "$B/tee $T/o4 $T/no/such; s=\$?; cat $T/o4; exit \$s" \
                              "tee $T/r4 $T/no/such; s=\$?; cat $T/r4; exit \$s"
err_is  tee_bad_file_message "^tee: $T/no/such: "
compare tee_empty       empty "$B/tee $T/o5 && wc -c < $T/o5" "tee $T/r5 && wc -c < $T/r5"

# --- od -------------------------------------------------------------------
for o in "" "-c" "-x" "-b" "-d" "-o" "-a" "-s" "-i" "-l" "-An -c" "-Ax -x" "-Ad -tu4" "-t x1" "-t x2" \
         "-t x4" "-t x8" "-t o1" "-t d1" "-t d2" "-t d4" "-t d8" "-t u1" "-t u2" "-t u8" "-t xC" "-t dS" \
         "-t dI" "-t uL" "-c -x" "-t x1 -t a" "-b -d" "-t x8 -t o1" "-v" "-v -c" "-N 5 -c" "-j 3 -c" \
         "-j 2 -N 7 -x" "-w8 -c" "-w4 -tx4 -c" "-w -x" "-t cx1"; do
    for f in empty short nonl ctrl rep big; do
        compare "od_$(slug "$o")_$f" "$f" "$B/od $o $f" "od $o $f"
    done
done
compare od_stdin         ctrl  "$B/od -c"               "od -c"
compare od_files         empty "$B/od -c short nonl"    "od -c short nonl"
compare od_missing       empty "$B/od -c short missing" "od -c short missing"
err_is  od_missing_message "^od: missing: "
compare od_bad_type      empty "$B/od -t q short"       "od -t q short"
compare od_bad_radix     empty "$B/od -A q short"       "od -A q short"
compare od_skip_past_end empty "$B/od -j 100 short"     "od -j 100 short"

# --- printf ---------------------------------------------------------------
pf() { compare "printf_$1" empty "$B/printf $2" "env printf $2"; }
pf plain          "'hello\\n'"
pf escapes        "'a\\tb\\\\c\\101\\x41\\0101\\e\\a\\v\\f\\r\\\"\\q\\n'"
pf stop_c         "'ab\\ccd'"
pf s_d            "'%s=%d\\n' a 1 b 2 c"
pf reuse          "'%s,' a b c d"
pf no_arg_use     "'x\\n' a b"
pf missing_args   "'%s|%d|%c|%f\\n'"
pf ints           "'%d %i %o %u %x %X\\n' 255 -255 255 255 255 255"
pf negative_u     "'%u %x %o\\n' -1 -1 -1"
pf bases          "'%d %d %d\\n' 0x1f 017 -0x10"
pf char_code      "'%d %d %x\\n' \"'A\" '\"z' \"'\""
pf flags          "'[%5d][%-5d][%05d][%+d][% d][%#x][%#o]\\n' 42 42 42 42 42 42 8"
pf star           "'[%*d][%-*s][%.*s][%*.*f]\\n' 6 7 4 ab 2 abcdef 8 2 3.14159"
pf star_negative  "'[%.*f][%*d][%-*s]\\n' -1 1.5 -4 7 -3 x"
pf floats         "'%f %.2f %e %.3E %g %G %g %g\\n' 3.14159 2.5 12345.678 0.00012 100000 1e-10 1e6 123456789"
pf float_width    "'[%10.3f][%-10.1e][%010.2f]\\n' 3.14159 31.4 -2.5"
pf chars          "'[%c][%5c][%-3c]\\n' hello x y"
pf strings        "'[%s][%10s][%-10s][%.2s][%5.1s]\\n' abc abc abc abc abc"
pf percent        "'100%% %s\\n' done"
pf b              "'%b|%b\\n' 'a\\tb\\0101\\n' 'x\\\\y'"
pf b_stop         "'%b %s\\n' 'one\\ctwo' three"
pf b_octal        "'%b\\n' '\\0101\\101\\01'"
pf bad_number     "'%d|%d|%d\\n' abc 12x 5"
pf huge           "'%d\\n' 99999999999999999999"
pf float_bad      "'%f\\n' 1.5x"
pf bad_conv       "'%y\\n' 1"
pf b_width        "'%5b\\n' x"
pf b_length       "'a%zb\\n' x"
pf length_mods    "'%ld|%hhd|%zd|%jx|%ls|%lc|%Lf\\n' 1 2 3 255 s c 1.5"
pf bad_conv_star  "'%*y\\n' 5 6"
err_is printf_bad_conv_message "^printf: %\\*y: invalid conversion specification$"
compare printf_full empty "$B/printf hi > /dev/full" "env printf hi > /dev/full"
err_is printf_full_message "^printf: write error: "
compare echo_full empty "$B/echo hi > /dev/full" "env echo hi > /dev/full"
err_is echo_full_message "^echo: write error: "
pf no_format      ""
pf empty_format   "''"
pf dashdash       "-- '%s\\n' x"

# --- test and [ -------------------------------------------------------------
: > "$D/zero"; mkdir -p "$D/dir"; printf x > "$D/file"; ln -sf file "$D/link"
chmod 755 "$D/exe" 2>/dev/null || { printf '#!/bin/sh\n' > "$D/exe"; chmod 755 "$D/exe"; }
touch -d '2020-01-01 00:00' "$D/old"; touch "$D/new"
tcase() {
    tn=$1
    shift
    args=$*
    compare "test_$tn" empty "$B/test $args" "env test $args"
    compare "bracket_$tn" empty "'$B/[' $args ']'" "env '[' $args ']'"
}
tcase none ""
tcase str "abc";         tcase empty "''";            tcase n "-n abc";        tcase n_empty "-n ''"
tcase z "-z ''";         tcase z_str "-z x";          tcase bare_n "-n";       tcase not_empty "'!' ''"
tcase not_str "'!' x";   tcase eq "a = a";            tcase eq2 "a == a";      tcase ne "a '!=' b"
tcase eq_false "a = b";  tcase int_eq "1 -eq 1";      tcase int_ne "1 -ne 1";  tcase int_lt "2 -lt 10"
tcase int_le "-5 -le -5"; tcase int_gt "10 -gt 9";    tcase int_ge "3 -ge 4";  tcase int_space "' 3 ' -eq 3"
tcase int_bad "x -eq 1"; tcase int_bad2 "1 -eq 1x";   tcase dir "-d dir";      tcase dir_file "-d file"
tcase file "-f file";    tcase file_dir "-f dir";     tcase exists "-e file";  tcase exists_no "-e nope"
tcase size "-s file";    tcase size_zero "-s zero";   tcase link_h "-h link";  tcase link_L "-L file"
tcase read "-r file";    tcase write "-w file";       tcase exec "-x exe";     tcase exec_no "-x file"
tcase owner "-O file";   tcase group_id "-G file";    tcase owner_no "-O /";   tcase pipe "-p file";    tcase char "-c /dev/null";   tcase block "-b file";   tcase setuid "-u file"
tcase newer "new -nt old"; tcase older "old -nt new"; tcase ot "old -ot new";  tcase ef "file -ef link"
tcase ef_no "file -ef zero"; tcase nt_missing "new -nt nope"; tcase tty "-t 0"; tcase paren "'(' a ')'"
tcase paren_un "'(' -n a ')'"; tcase not_un "'!' -z a"; tcase and "a -a ''";    tcase or "a -o ''"
tcase and_or "-n a -a -z '' -o x = y"; tcase prec "'!' a = a -o b"; tcase not_not "'!' '!' a"
tcase group "'(' a = b -o c = c ')' -a d"; tcase many "-z a -o -z b -o -n c -a x '!=' y"
tcase str_eq_op "= = ="; tcase unary_missing "-d"
tcase two_bad "a b";    tcase three_bad "a b c";     tcase extra "-z a b c d e"; tcase and_false "1 -eq 1 -a 2 -eq 3"
compare bracket_missing empty "$B/[ a = a" "env [ a = a"
# What GNU test lacks (string order, nested parentheses): against dash's.
for e in "a '<' b" "b '<' a" "b '>' a" "'' '<' a" "'(' '(' a ')' ')'" "'(' '!' '(' '' ')' ')'" "-o -o -o"; do
    n=$((n + 1))
    compare "test_dash_${n}_$(slug "$e")" empty "$B/test $e" "dash -c \"test $e\""
done

# --- basename, dirname ----------------------------------------------------
for p in / // /// //a ///a /a//b// a '' a/ a/b/ ./a ../ /usr/lib . .. a/b/c; do
    n=$((n + 1))
    compare "basename_${n}_$(slug "$p")" empty "$B/basename '$p'" "basename '$p'"
    compare "dirname_${n}_$(slug "$p")" empty "$B/dirname '$p'" "dirname '$p'"
done
same basename_suffix     basename /a/b.c .c
same basename_suffix_all basename /a/.c .c
same basename_suffix_no  basename /a/b.c .h
same basename_suffix_dir basename /a/b.c/ .c
same basename_a          basename -a /a/b c/d/ e
same basename_s          basename -s .c x.c /y/z.c .c
same basename_none       basename
same basename_extra      basename a b c
same dirname_several     dirname /a/b c/d e
same dirname_none        dirname

# --- seq ------------------------------------------------------------------
for a in "5" "0" "-3" "1 5" "5 1" "3 -1 1" "-5 -1" "2 3 20" "10 -3 0" "-w 8 10" "-w -3 3" "-w 1 4 10" \
         "-s, 1 5" "-s ': ' 1 3" "-s '' 1 3" "0 0.1 1" "0.1 0.1 0.3" "1 0.25 2" "-w 0.5 1 3" \
         "-1.5 -0.5 -4" "1.5 3" "-f %.3f 1 3" "-f '%05.1f' 1 0.5 3" "-f 'x%gy' 1 3" "1e2 1e2 3e2" \
         "1 0 3" "x" "1 2 3 4" "" "-f %d 1 2" "-w -f %g 1 2" "0.000001 0.000001 0.000005" "100000 1 100003" \
         "-s, -w 9 11" "1 1e9 3e9"; do
    n=$((n + 1))
    compare "seq_${n}_$(slug "$a")" empty "$B/seq $a" "seq $a"
done
compare seq_long empty "$B/seq 1 100000 | cksum" "seq 1 100000 | cksum"

exit "$failed"
