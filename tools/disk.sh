#!/bin/sh
# The root disk image (ext2).
#   tools/disk.sh create IMG DIR   a fresh 64 MiB image holding DIR's tree
#   tools/disk.sh update IMG DIR   copies DIR's files into IMG (replacing
#                                  files of the same name, keeping the rest)
set -e
cmd=$1 img=$2 dir=$3
case "$cmd" in
create)
    rm -f "$img"
    mkfs.ext2 -q -F -b 4096 -I 256 -L root -d "$dir" "$img" 64M
    ;;
update)
    [ -f "$img" ] || { echo "disk.sh: no image $img" >&2; exit 1; }
    # Both made absolute: the loops below run inside DIR.
    dir=$(cd "$dir" && pwd)
    img=$(cd "$(dirname "$img")" && pwd)/$(basename "$img")
    script=$(mktemp)
    trap 'rm -f "$script"' EXIT
    # debugfs's mkdir of an existing directory leaks an inode: only new ones
    (cd "$dir" && find . -mindepth 1 -type d | sed 's|^\.||' | while read -r d; do
        debugfs -R "stat $d" "$img" 2>&1 | grep -q "Inode:" || echo "mkdir $d"
    done
    cd "$dir" && find . -type f | sed 's|^\.||' | while read -r f; do
        parent=$(dirname "$f")
        echo "cd $parent"
        echo "rm $(basename "$f")"
        echo "write $dir$f $(basename "$f")"
    done) > "$script"
    debugfs -w -f "$script" "$img" >/dev/null 2>&1
    e2fsck -fn "$img" >/dev/null 2>&1 || { echo "disk.sh: $img needs checking (e2fsck -f)" >&2; exit 1; }
    ;;
*)
    echo "usage: tools/disk.sh create|update IMG DIR" >&2
    exit 1
    ;;
esac
