#!/bin/sh
# getopts and command -v, compared with dash (error messages differ, so
# they go to a file and only their count is shown).
parse() {
    OPTIND=1
    while getopts ab:c name "$@"; do
        echo "opt=$name arg=${OPTARG-unset} ind=$OPTIND"
    done
    shift $((OPTIND - 1))
    echo "rest: $*"
}
parse -a -b val -c file1 file2
parse -acb inline x
parse -ca -- -notopt y
parse plain
parse -b 2>/tmp/getopts.err
parse -ab 2>>/tmp/getopts.err
parse -z 2>>/tmp/getopts.err
n=0; while read -r l; do n=$((n + 1)); done < /tmp/getopts.err; echo "errors: $n"
OPTIND=1; while getopts :x: o -x; do echo "silent $o ${OPTARG}"; done
OPTIND=1; while getopts :x o -q; do echo "bad $o ${OPTARG}"; done
ls() { echo "function ls"; }
command -v echo; command -v ls; command -v cd; command -v nosuch; echo st=$?
command ls /tmp/getopts.err
ls
rm /tmp/getopts.err
