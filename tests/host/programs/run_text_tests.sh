#!/bin/sh
# Builds the text programs (grep, sed, sort, uniq, diff, find, du, xargs)
# with the host gcc and glibc and checks them against the host's GNU grep,
# sed, coreutils, diffutils and findutils on the same inputs.
#
#   sh tests/host/programs/run_text_tests.sh
#   ASAN_OPTIONS=detect_leaks=0 TEXT_CFLAGS=-fsanitize=address,undefined sh tests/host/programs/run_text_tests.sh
#
# Prints "ok text.CASE" or "not ok text.CASE: why" per check and exits 1
# if any failed. Runs in a temporary directory removed at the end; LC_ALL=C
# keeps the reference tools byte-based. find and du list in directory
# order, so their lines are sorted on both sides before comparing.
PREFIX=text
. "$(dirname "$0")/common.sh"

build_programs grep sed sort uniq diff find du xargs

# --- inputs ---------------------------------------------------------------
cd "$D" || exit 1
: > empty
printf 'no newline at the end' > nonl
cat > text <<'END'
Hello world
the quick brown fox
jumps over the lazy dog
HELLO again, hello
foo bar foo baz foo

tab	separated	line
a.b.c and a+b
Mixed Case Line
last line of text
END
cat > nums <<'END'
10
9
-3
 7
2.5
-0
0
abc
+4
1e3
 -10.5
007
3
3
END
cat > fields <<'END'
b 2 x:9
a 10 y:1
c 2 z:5
a  3 w:7
b 1 v:2
d 10 u:3
END
cat > dups <<'END'
a
a
b
c
c
c
a
B
b
b
END
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%c", 97 + i % 26; print ""; print "short" }' > long
seq 1 100 > seq100
{ seq 1 100 | sed -e 5d -e 's/^20$/twenty/' -e '50a\
inserted 1\
inserted 2' -e '/^90$/,/^92$/d'; } > seq100b
printf 'a\nb\nc' > abc_nonl
printf 'a\nb\nc\n' > abc
printf 'a\nB\nc\nd\n' > aBcd
mkdir -p tree/src/lib tree/doc tree/empty
printf 'int main(void) { return 0; }\n' > tree/src/main.c
printf 'hello from lib\nint x;\n' > tree/src/lib/lib.c
printf 'lib header\n' > tree/src/lib/lib.h
printf 'Hello docs\nmore\n' > tree/doc/README
head -c 50000 /dev/urandom | od -An -tx1 > tree/doc/big.txt
ln -s ../doc/README tree/src/link

# same CASE INPUT ARGS: our program and the host's with the same arguments
# (the first word of ARGS names the program).
same() {
    prog=${3%% *}
    compare "$1" "$2" "$B/$3" "$3"
}

# sorted CASE ARGS: like same, with both outputs sorted (directory order);
# the exit status is the program's.
sorted() {
    compare "$1" empty "$B/$2 > $T/unsorted; s=\$?; sort $T/unsorted; exit \$s" \
                       "$2 > $T/unsorted; s=\$?; sort $T/unsorted; exit \$s"
}

# --- grep -------------------------------------------------------------------
same grep_basic          text  "grep hello text"
same grep_stdin          text  "grep o"
same grep_i              text  "grep -i hello text"
same grep_v              text  "grep -v o text"
same grep_n              text  "grep -n the text"
same grep_c              text  "grep -c foo text"
same grep_c_none         text  "grep -c nothing text"
same grep_l              empty "grep -l hello text dups nums"
same grep_q_match        text  "grep -q fox text"
same grep_q_none         text  "grep -q wolf text"
same grep_none           text  "grep wolf text"
same grep_E_alt          text  "grep -E 'fox|dog' text"
same grep_E_plus         text  "grep -E 'fo+ ba[rz]' text"
same grep_E_group        text  "grep -E '(foo ){1}bar' text"
same grep_bre_group      text  "grep 'o\\{2\\}' text"
same grep_bre_backref    text  "grep '\\(o\\).*\\1' text"
same grep_anchor         text  "grep '^[a-z]*\$' text"
same grep_dot_literal    text  "grep 'a\\.b' text"
same grep_F              text  "grep -F 'a.b' text"
same grep_F_plus         text  "grep -F 'a+b' text"
same grep_Fi             text  "grep -Fi 'HELLO' text"
same grep_e_several      text  "grep -e fox -e dog text"
same grep_newline_pats   text  "grep 'fox
dog' text"
same grep_several        empty "grep -n a text dups"
same grep_h              empty "grep -h a text dups"
same grep_H_one          empty "grep -H fox text"
same grep_c_several      empty "grep -c a text dups empty"
same grep_empty_pat      text  "grep '' text"
same grep_empty_input    empty "grep x"
same grep_nonl           nonl  "grep end"
same grep_long           long  "grep -c xyzab"
same grep_tab            text  "grep '	' text"
same grep_o              text  "grep -o 'o[a-z]*' text"
same grep_o_n            text  "grep -on -i 'hel*o' text"
same grep_o_E_alt        text  "grep -oE 'fo+|ba[rz]' text"
same grep_o_F            text  "grep -oF 'foo' text"
same grep_o_empty        text  "grep -o 'x*' text"
same grep_o_v            text  "grep -ov o text"
same grep_x              text  "grep -x 'last line of text' text"
same grep_x_re           text  "grep -x '[a-z ]*' text"
same grep_x_F            text  "grep -xF 'Mixed Case Line' text"
same grep_x_several      text  "grep -x -e foo -e 'Hello world' text"
printf 'x\000y abc\nabc\n' > binary
compare grep_binary      empty  "$B/grep abc binary 2>&1" "grep abc binary 2>&1"
compare grep_binary_c    empty  "$B/grep -c abc binary 2>&1" "grep -c abc binary 2>&1"
compare grep_binary_l    empty  "$B/grep -l abc binary text 2>&1" "grep -l abc binary text 2>&1"
compare grep_binary_none empty  "$B/grep zzz binary 2>&1" "grep zzz binary 2>&1"
compare grep_binary_a    empty  "$B/grep -a abc binary 2>&1" "grep -a abc binary 2>&1"
compare grep_binary_prog empty  "$B/grep -c ELF $B/grep 2>&1 | sed 's|.*/||'" "grep -c ELF $B/grep 2>&1 | sed 's|.*/||'"
same grep_w              text   "grep -w foo text"
same grep_w_part         text   "grep -w fo text"
same grep_w_o            text   "grep -ow '[a-z]*o[a-z]*' text"
same grep_w_retry        text   "grep -w 'o[a-z]*' text"
same grep_w_F            text   "grep -wF 'a' text"
same grep_w_count        seq100 "grep -cw 1"
same grep_A              seq100 "grep -A2 5"
same grep_B              seq100 "grep -B2 '^1'"
same grep_C              seq100 "grep -C1 '[27]\$'"
same grep_AB_n           seq100 "grep -A1 -B3 -n '^3'"
same grep_C_v            seq100 "grep -C2 -v '[0-9][0-9]'"
same grep_A_files        empty  "grep -A1 a abc dups"
same grep_C0             seq100 "grep -C0 '^2'"
same grep_m              seq100 "grep -m2 1"
same grep_m_c            seq100 "grep -m2 -c 1"
same grep_m_A            seq100 "grep -m1 -A2 1"
same grep_bad_context    seq100 "grep -A x 1"
sorted grep_r            "grep -r lib tree"
sorted grep_r_n          "grep -rn -i hello tree"
sorted grep_r_l          "grep -rl int tree"
compare grep_r_dot empty "cd tree && $B/grep -r main | sort" "cd tree && grep -r main | sort"
same grep_missing        empty "grep hello text missing dups"
err_is grep_missing_message "^grep: missing: No such file or directory"
same grep_q_missing      empty "grep -q hello missing text"
same grep_bad_regex      text  "grep -E 'a(' text"
same grep_no_pattern     empty "grep"
same grep_bad_option     empty "grep -@ x text"

# --- sed --------------------------------------------------------------------
same sed_s               text  "sed s/o/0/ text"
same sed_s_g             text  "sed s/o/0/g text"
same sed_s_nth           text  "sed s/o/0/2 text"
same sed_s_nth_g         text  "sed s/o/0/2g text"
same sed_s_amp           text  "sed 's/[a-z]*/<&>/' text"
same sed_s_groups        text  "sed 's/\\([a-z]*\\) \\([a-z]*\\)/\\2 \\1/' text"
same sed_s_E_groups      text  "sed -E 's/([a-z]+) ([a-z]+)/\\2 \\1/g' text"
same sed_s_delim         text  "sed 's|o|/|g' text"
same sed_s_delim_esc     text  "sed 's,a\\,b,X,' text"
same sed_s_empty_matches text  "sed 's/x*/-/g' text"
same sed_s_star          text  "sed 's/o*/0/g' text"
same sed_s_newline       text  "sed 's/ /\\n/g' text"
same sed_s_p             text  "sed -n 's/foo/FOO/p' text"
same sed_s_I             text  "sed 's/hello/bye/Ig' text"
same sed_s_anchor        text  "sed 's/^/> /' text"
same sed_s_end           text  "sed 's/\$/;/' text"
same sed_n_p             text  "sed -n 3p text"
same sed_p               text  "sed p text"
same sed_d               text  "sed 2d text"
same sed_last            text  "sed -n '\$p' text"
same sed_last_d          text  "sed '\$d' text"
same sed_range           text  "sed '2,4d' text"
same sed_range_re        text  "sed -n '/quick/,/HELLO/p' text"
same sed_range_re_num    text  "sed '/foo/,3d;7,/^\$/d' text"
same sed_range_back      text  "sed -n '5,2p' text"
same sed_range_to_last   text  "sed -n '/tab/,\$p' text"
same sed_re_addr         text  "sed '/the/d' text"
same sed_re_custom       text  "sed -n '\\,a\\.b,p' text"
same sed_not             text  "sed '/o/!d' text"
same sed_not_range       text  "sed '2,8!s/e/E/g' text"
same sed_q               text  "sed 3q text"
same sed_q_n             text  "sed -n '/fox/{p;q}' text"
same sed_eq              text  "sed -n '/o/=' text"
same sed_y               text  "sed 'y/abc/xyz/' text"
same sed_y_upper         text  "sed 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/' text"
same sed_e_several       text  "sed -e 's/a/A/' -e 's/e/E/' -e 4q text"
same sed_semicolons      text  "sed 's/a/A/;s/e/E/;/fox/d' text"
same sed_block           text  "sed '/o/{s/o/0/;s/e/3/}' text"
same sed_block_not       text  "sed -n '/o/!{=;p}' text"
same sed_newlines        text  "sed '1d
s/o/0/
5q' text"
same sed_comment         text  "sed 's/a/b/ # a comment' text"
same sed_files           empty "sed -n '\$=' text dups"
same sed_files_last      empty "sed '\$s/\$/ END/' text dups"
same sed_nonl            nonl  "sed s/end/END/"
same sed_nonl_p          nonl  "sed p"
same sed_nonl_files      empty "sed s/a/A/ abc_nonl nonl"
same sed_empty           empty "sed p"
same sed_long            long  "sed 's/a/A/g'"
same sed_empty_re_reuse  text  "sed '/fox/s//FOX/' text"
same sed_n_cmd           seq100 "sed -n 'n;p'"
same sed_n_last          abc    "sed 'n;d'"
same sed_N               abc    "sed N"
same sed_N_join          seq100 "sed '\$!N;s/\\n/ /'"
same sed_a               abc    "sed '2a hello'"
same sed_a_backslash     abc    "sed '2a\\
first\\
second'"
same sed_a_last_nonl     nonl   "sed 'a after'"
same sed_a_q             abc    "sed '2q;a x'"
same sed_a_d             abc    "sed '2d;a x'"
same sed_a_semicolon     abc    "sed 'a foo; p'"
same sed_i               abc    "sed '1i top'"
same sed_c               seq100 "sed '3c\\
changed'"
same sed_c_range         seq100 "sed '2,98c gone'"
same sed_c_not_range     seq100 "sed '2,98!c gone'"
same sed_a_n             abc    "sed -n 'a app'"
same sed_tac             seq100 "sed '1!G;h;\$!d'"
same sed_tac_n           abc    "sed -n '1!G;h;\$p'"
same sed_P_D             seq100 "sed '\$!N;P;D'"
same sed_join_P_D        seq100 "sed '\$!N;s/\\n/-/;P;D'"
same sed_x               abc    "sed 'x;\$G'"
same sed_h_G             abc    "sed 'h;s/./X/;G'"
same sed_H_x             abc    "sed 'H;\$!d;x'"
same sed_g               abc    "sed g"
same sed_hold_join       seq100 "sed -n 'H;\${x;s/\\n/,/g;p}'"
same sed_P_nonl          nonl   "sed P"
same sed_N_D             seq100 "sed 'N;N;D'"
same sed_x_G_nonl        abc_nonl "sed 'x;G'"
same sed_join_all        seq100 "sed ':a;N;\$!ba;s/\\n/ /g'"
same sed_join_t          abc    "sed -e :a -e '\$!N;s/\\n//;ta'"
same sed_t_end           seq100 "sed 's/1/X/;t;s/\$/ no/'"
same sed_T               seq100 "sed 's/1/X/;T;s/\$/ yes/'"
same sed_b_label         abc    "sed 'b end;s/./Z/;:end'"
same sed_b_end           seq100 "sed '/3/b;s/\$/!/'"
same sed_t_loop          seq100 "sed 's/[0-9]/<&>/;:x;s/<\\([0-9]\\)>/[\\1]/;tx'"
same sed_pad_loop        seq100 "sed ':a;s/^.\\{1,4\\}\$/ &/;ta'"
same sed_block_loop      seq100 "sed -n '/2/{:l;N;/5/!bl;p}'"
same sed_no_label        abc    "sed 'b nowhere'"
same sed_label_address   abc    "sed '1:a'"
same sed_missing         empty "sed p missing abc"
err_is sed_missing_message "^sed: missing: No such file or directory"
same sed_unknown_cmd     text  "sed k text"
same sed_unterminated    text  "sed 's/a/b' text"
same sed_y_lengths       text  "sed 'y/ab/x/' text"
same sed_bad_regex       text  "sed -E 's/(a/b/' text"
same sed_no_script       empty "sed"
same sed_unmatched_brace text  "sed '/a/{p' text"

# inplace CASE ARGS: sed ARGS in two fresh folders (ours and GNU's) holding
# X1 (mode 751), X2, XN (no final newline), a folder dd; the folders
# afterwards (files, output, messages, status, X1's mode) must be equal.
inplace() {
    for who in ours ref; do
        W=$T/w_$who
        rm -rf "$W" && mkdir -p "$W/dd"
        printf '1\n2\n' > "$W/X1"; printf '3\n4\n5\n' > "$W/X2"; printf 'a\nb' > "$W/XN"
        chmod 751 "$W/X1"
        prog=sed; [ $who = ours ] && prog=$B/sed
        (cd "$W" && eval "$prog $2" > out 2> err; echo $? > status; ls -l X1 | cut -c 1-10 >> status)
    done
    if diff -r "$T/w_ours" "$T/w_ref" > "$T/w.diff" 2>&1; then ok "$1"
    else not_ok "$1" "$(head -n 6 "$T/w.diff" | tr '\n' '|' | cut -c 1-200)"; fi
}
inplace sed_s_separate      "-s -n '\$=' X1 X2"
inplace sed_s_1d            "-s 1d X1 X2"
inplace sed_s_q             "-s 2q X1 X2"
inplace sed_i               "-i '1d;\$s/\$/!/' X1 X2"
inplace sed_i_n             "-n -i 2p X1"
inplace sed_i_nonl          "-i s/a/A/ XN"
inplace sed_i_q             "-i 2q X2"
inplace sed_i_missing       "-i s/x/y/ nosuch X1"
inplace sed_i_dir           "-i s/x/y/ dd"
inplace sed_i_no_files      "-i s/x/y/"
inplace sed_i_append        "-i -e 's/1/one/' -e 'a after' X1 X2"

# --- sort -------------------------------------------------------------------
same sort_plain          text   "sort"
same sort_r              text   "sort -r text"
same sort_n              nums   "sort -n"
same sort_nr             nums   "sort -nr"
same sort_nu             nums   "sort -nu"
same sort_u              dups   "sort -u"
same sort_ur             dups   "sort -ur"
same sort_k2             fields "sort -k2"
same sort_k2n            fields "sort -k2n"
same sort_k2_2n          fields "sort -k2,2n"
same sort_k2_2n_r        fields "sort -k2,2n -r"
same sort_k2n_k1r        fields "sort -k2,2n -k1,1r"
same sort_k1_1_u         fields "sort -k1,1 -u"
same sort_t              fields "sort -t: -k2n"
same sort_t_k1           fields "sort -t ' ' -k3"
same sort_k_char         fields "sort -k3.3"
same sort_k_b            fields "sort -k2b,2"
same sort_f              text   "sort -f"
same sort_fu             dups   "sort -fu"
same sort_k1f            fields "sort -k3f -k1,1"
compare sort_o_same      empty  "cp dups d1 && $B/sort -o d1 d1 && cat d1" "cp dups d2 && sort -o d2 d2 && cat d2"
same sort_files          empty  "sort dups text"
same sort_nonl           nonl   "sort"
same sort_empty          empty  "sort"
same sort_long           long   "sort"
same sort_missing        empty  "sort missing"
same sort_bad_key        empty  "sort -k 0 text"
same sort_bad_t          empty  "sort -t ab text"

# --- uniq -------------------------------------------------------------------
same uniq_plain          dups  "uniq"
same uniq_c              dups  "uniq -c"
same uniq_d              dups  "uniq -d"
same uniq_u              dups  "uniq -u"
same uniq_cd             dups  "uniq -cd"
same uniq_i              dups  "uniq -i"
same uniq_ic             dups  "uniq -ic"
same uniq_file           empty "uniq dups"
compare uniq_outfile     empty "$B/uniq dups out1 && cat out1" "uniq dups out2 && cat out2"
same uniq_sorted         empty "sort dups | uniq -c"
same uniq_nonl           nonl  "uniq"
same uniq_empty          empty "uniq -c"
same uniq_missing        empty "uniq missing"
same uniq_bad_option     dups  "uniq -@"

# --- diff -------------------------------------------------------------------
# The unified header's time stamps (fractions of a second) are cut off.
dcompare() {
    compare "$1" empty "$B/diff $2 | sed '1,2s/\\t.*//'" "diff $2 | sed '1,2s/\\t.*//'"
}
dcompare diff_same          "text text"
dcompare diff_normal        "seq100 seq100b"
dcompare diff_u             "-u seq100 seq100b"
dcompare diff_U1            "-U 1 seq100 seq100b"
dcompare diff_U0            "-U0 seq100 seq100b"
dcompare diff_U10           "-U10 seq100 seq100b"
dcompare diff_u_reverse     "-u seq100b seq100"
dcompare diff_normal_rev    "seq100b seq100"
dcompare diff_u_empty_a     "-u empty abc"
dcompare diff_u_empty_b     "-u abc empty"
dcompare diff_normal_empty  "empty abc"
dcompare diff_u_nonl        "-u abc abc_nonl"
dcompare diff_u_nonl_rev    "-u abc_nonl abc"
dcompare diff_normal_nonl   "abc_nonl abc"
dcompare diff_u_change      "-u abc aBcd"
dcompare diff_change        "abc aBcd"
dcompare diff_u_text        "-u text dups"
dcompare diff_q             "-q text dups"
dcompare diff_q_same        "-q text text"
compare  diff_u_stdin       seq100b "$B/diff -u seq100 - | sed '1,2s/\\t.*//'" "diff -u seq100 - | sed '1,2s/\\t.*//'"
compare  diff_missing       empty  "$B/diff abc missing" "diff abc missing"
err_is   diff_missing_message "^diff: missing: No such file or directory"
compare  diff_one_arg       empty  "$B/diff abc" "diff abc"
compare  diff_bad_option    empty  "$B/diff -@ abc abc" "diff -@ abc abc"
# The header: "--- NAME<TAB>YYYY-MM-DD HH:MM:SS.000000000 +0000" in UTC.
touch -d '2024-02-29 13:14:15 UTC' abc
want="--- abc	2024-02-29 13:14:15.000000000 +0000"
got=$("$B/diff" -u abc aBcd | head -n 1)
if [ "$got" = "$want" ]; then ok diff_header_time; else not_ok diff_header_time "got '$got'"; fi
# Random edits: the unified diff must patch the first file into the second
# and be no longer than GNU's (both are shortest edit scripts; where several
# exist the choice may differ, so the text is not compared).
bad=""
i=0
while [ $i -lt 60 ]; do
    i=$((i + 1))
    awk -v s=$i 'BEGIN { srand(s); n = int(rand() * 40); for (j = 0; j < n; j++) print substr("abcdefg", int(rand() * 7) + 1, 1) }' > r1
    awk -v s=$i 'BEGIN { srand(s + 1000) } { r = rand(); if (r < 0.1) next; if (r < 0.2) print "x"; if (r < 0.3) { print "y"; next } print }' r1 > r2
    "$B/diff" -u r1 r2 > r.patch
    cp r1 r3
    patch -s r3 r.patch > /dev/null 2>&1
    ours=$(grep -c '^[-+][^-+]\|^[-+]$' r.patch)
    ref=$(diff -u r1 r2 | grep -c '^[-+][^-+]\|^[-+]$')
    if ! cmp -s r3 r2 || [ "$ours" -gt "$ref" ]; then bad="$bad $i"; fi
done
if [ -z "$bad" ]; then ok diff_random_patches; else not_ok diff_random_patches "seeds$bad"; fi

# --- find -------------------------------------------------------------------
sorted find_all          "find tree"
sorted find_name         "find tree -name '*.c'"
sorted find_iname        "find tree -iname 'READ*'"
sorted find_name_class   "find tree -name 'lib.[ch]'"
sorted find_type_f       "find tree -type f"
sorted find_type_d       "find tree -type d"
sorted find_type_l       "find tree -type l"
sorted find_maxdepth     "find tree -maxdepth 1"
sorted find_maxdepth0    "find tree -maxdepth 0"
sorted find_mindepth     "find tree -mindepth 2 -type f"
sorted find_not          "find tree ! -name '*.c' -type f"
sorted find_print        "find tree -type f -name '*.h' -print"
sorted find_paths        "find tree/src tree/doc -name '*i*'"
sorted find_slash        "find tree/ -maxdepth 1"
sorted find_exec         "find tree -name '*.c' -exec echo found {} ';'"
sorted find_exec_inside  "find tree -type f -exec echo x{}y ';'"
sorted find_exec_plus    "find tree -type f -exec echo {} +"
sorted find_exec_test    "find tree -type f -exec grep -q lib {} ';' -print"
sorted find_exec_fails   "find tree -type f -exec false {} +"
sorted find_exec_missing "find tree -exec echo"
sorted find_exec_not_found "find tree/src -exec no-such-command-here {} ';'"
sorted find_or           "find tree -name '*.c' -o -name '*.h'"
sorted find_or_type      "find tree -type d -o -name 'R*'"
sorted find_paren        "find tree '(' -name '*.c' -o -name '*.h' ')' -print"
sorted find_paren_not    "find tree ! '(' -type d -o -name '*.c' ')'"
sorted find_and          "find tree -type f -a -name 'lib*' -and -not -name '*.h'"
sorted find_or_print     "find tree -name '*.c' -print -o -name '*.h'"
sorted find_or_exec      "find tree -type d -o -exec echo file {} ';'"
sorted find_depth_or     "find tree -maxdepth 2 -type d -o -maxdepth 2 -name '*.c'"
same find_bad_or         empty "find tree -o -name x"
same find_bad_paren      empty "find tree '(' -name x"
same find_bad_end        empty "find tree -name x -o"
same find_bad_close      empty "find tree -name x ')'"
compare find_dot         empty "cd tree && $B/find | sort" "cd tree && find | sort"
sorted find_missing      "find missing tree/doc"
err_is find_missing_message "^find: missing: No such file or directory"
same find_bad_pred       empty "find tree -bogus"
same find_bad_type       empty "find tree -type q"
same find_no_arg         empty "find tree -name"
same find_bad_depth      empty "find tree -maxdepth x"
same diff_bad_context    empty "diff -U x abc abc"

# --- du ---------------------------------------------------------------------
sorted du_tree           "du tree"
sorted du_a              "du -a tree"
sorted du_s              "du -s tree tree/doc"
sorted du_h              "du -h tree"
sorted du_sh             "du -sh tree"
sorted du_d1             "du -d 1 tree"
sorted du_d0_a           "du -a -d 0 tree"
sorted du_ad1            "du -ad1 tree"
sorted du_d_bad          "du -d x tree"
sorted du_file           "du tree/doc/big.txt"
sorted du_twice          "du tree/src tree"
compare du_dot           empty "cd tree && $B/du | sort" "cd tree && du | sort"
sorted du_missing        "du missing tree/doc"
same du_bad_option       empty "du -z tree"
ln tree/doc/big.txt tree/hardlink
sorted du_hardlink       "du -a tree"
rm tree/hardlink
# -h's rounding against GNU on files of chosen sizes.
mkdir sizes
for n in 1 1023 1024 4095 10239 10240 102400 1048575 1048576 1572864 10485759; do
    head -c $n /dev/zero > sizes/f$n
done
sorted du_h_sizes        "du -ah sizes"
sorted du_k_sizes        "du -a sizes"

# --- xargs ------------------------------------------------------------------
printf 'a b  c\nd "e f" '"'g h'"' i\\ j\n\n  k\n' > items
printf 'one\000two three\000' > items0
printf 'x\n' > one
same xargs_echo          items  "xargs"
same xargs_n2            items  "xargs -n 2"
same xargs_n1_cmd        items  "xargs -n 3 echo pre"
same xargs_I             items  "xargs -I {} echo [{}] {}"
same xargs_I_word        items  "xargs -I X echo X-X"
same xargs_0             items0 "xargs -0"
same xargs_0_n1          items0 "xargs -0 -n 1"
same xargs_0_I           items0 "xargs -0 -I % echo '<%>'"
same xargs_empty         empty  "xargs"
same xargs_empty_r       empty  "xargs -r echo never"
same xargs_false         items  "xargs false"
same xargs_not_found     items  "xargs no-such-command-here"
same xargs_255           one    "xargs sh -c 'exit 255'"
same xargs_n0            items  "xargs -n 0"
printf "a 'b\n" > badquote
same xargs_quote         badquote "xargs"
same xargs_many          seq100 "xargs -n 7"
compare xargs_grep       empty  "$B/find tree -name '*.c' | sort | $B/xargs $B/grep -c int" \
                                "find tree -name '*.c' | sort | xargs grep -c int"

exit "$failed"
