#!/bin/sh
# A report over a directory of small text files, written to exercise the
# shell: functions, loops, case, globbing, $(...), $((...)), pipes,
# here-documents and parameter expansion. Run as: report.sh DIR [words...]
# Its output must be the same under this system's sh and the host's dash.

dir=${1:?usage: report.sh DIR [words...]}
shift
cd "$dir" || exit 1

# kind FILE: what sort of file a name suggests
kind() {
    case $1 in
        *.txt) echo text ;;
        *.c|*.h) echo source ;;
        [Rr]EADME*) echo readme ;;
        *) echo other ;;
    esac
}

# count_lines FILE: the number of lines, counted by the shell itself
count_lines() {
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
    done < "$1"
    echo $n
}

# upper WORD: a crude upper-casing with case, letter by letter
upper() {
    rest=$1 out=
    while [ -n "$rest" ]; do
        c=${rest%"${rest#?}"}
        rest=${rest#?}
        case $c in
            a) c=A ;; e) c=E ;; i) c=I ;; o) c=O ;; u) c=U ;;
        esac
        out=$out$c
    done
    echo "$out"
}

total=0
files=0
for f in *; do
    [ -f "$f" ] || continue
    lines=$(count_lines "$f")
    total=$((total + lines))
    files=$((files + 1))
    printf '%-12s %-7s %3d\n' "$f" "$(kind "$f")" "$lines"
done
echo "files: $files, lines: $total, average: $((total / (files ? files : 1)))"

echo "text files:" *.txt
for f in *.c *.h; do
    [ -e "$f" ] && echo "source: ${f%.*} (.${f##*.})"
done

# words given on the command line, numbered, through a pipe
i=0
for w in "$@"; do
    i=$((i + 1))
    echo "$i $w"
done | while read -r num word; do
    echo "arg $num is $(upper "$word") (${#word} letters)"
done

# the lines of all text files that mention "shell", with their file
cat *.txt | while read -r line; do
    case $line in
        *shell*) echo "match: $line" ;;
    esac
done

count=0
until [ $count -ge 3 ]; do
    count=$((count + 1))
    [ $count -eq 2 ] && continue
    echo "until: $count"
done

cat <<END
summary for $dir: $files files
  first argument: ${1:-none}, number of arguments: $#
END
exit $((files > 0 ? 0 : 3))
