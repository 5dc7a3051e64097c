# What the run_*_tests.sh scripts in this folder share; they source it
# first:   PREFIX=programs; . "$(dirname "$0")/common.sh"
#
# Sets ROOT (the source tree), T (a temporary directory removed at exit),
# B=$T/bin (our programs) and D=$T/data (inputs), failed=0, LC_ALL=C; and
# defines ok, not_ok, build_programs, compare and err_is below. PREFIX
# starts every case's name ("ok PREFIX.CASE"). With FEED=pipe, compare
# pipes the input through cat instead of redirecting it from the file.
set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
B=$T/bin
D=$T/data
mkdir -p "$B" "$D"
failed=0

ok() { echo "ok $PREFIX.$1"; }
not_ok() { echo "not ok $PREFIX.$1: $2"; failed=1; }

# build_programs NAME...: builds programs/NAME.c (with programs/NAME/*.c
# when that folder exists, and programs/lib) into $B/NAME with the host
# gcc, -Werror, and $TEXT_CFLAGS when set; one case NAME_build each.
build_programs() {
    for p in "$@"; do
        more=""
        [ -d "$ROOT/programs/$p" ] && more=$(ls "$ROOT/programs/$p"/*.c)
        # shellcheck disable=SC2086
        if gcc -Wall -Wextra -Werror -std=gnu11 -O2 ${TEXT_CFLAGS:-} "$ROOT/programs/$p.c" $more \
               "$ROOT"/programs/lib/*.c -I"$ROOT/programs/lib" -o "$B/$p" 2>"$T/cc.err"; then
            ok "${p}_build"
        else
            not_ok "${p}_build" "$(head -n 3 "$T/cc.err" | tr '\n' ' ')"
        fi
    done
}

# run_fed INPUT COMMAND OUT ERR: runs the shell command with INPUT on its
# standard input (piped when FEED=pipe), output to the files OUT and ERR.
run_fed() {
    if [ "${FEED:-file}" = pipe ]; then
        cat "$1" | (eval "$2") > "$3" 2> "$4"
    else
        (eval "$2") < "$1" > "$3" 2> "$4"
    fi
}

# compare CASE INPUT OURS REF: runs both shell commands in the current
# folder with INPUT on standard input; standard output and exit status
# must match. Our standard error is left in $T/ours.err.
compare() {
    name=$1 input=$2 ours=$3 ref=$4
    run_fed "$input" "$ours" "$T/ours.out" "$T/ours.err"
    s1=$?
    run_fed "$input" "$ref" "$T/ref.out" "$T/ref.err"
    s2=$?
    if [ "$s1" -ne "$s2" ]; then
        not_ok "$name" "exit status $s1, expected $s2 ($(head -n 1 "$T/ours.err"))"
    elif ! cmp -s "$T/ours.out" "$T/ref.out"; then
        not_ok "$name" "output differs: $(diff "$T/ours.out" "$T/ref.out" | head -n 4 | tr '\n' '|' | cut -c 1-200)"
    else
        ok "$name"
    fi
}

# err_is CASE PATTERN: our last command's standard error must match the
# grep pattern.
err_is() {
    if grep -q "$2" "$T/ours.err"; then ok "$1"
    else not_ok "$1" "stderr: $(head -n 2 "$T/ours.err" | tr '\n' '|')"; fi
}
