#!/bin/sh
# The root disk image (ext2 with a 4 MiB JBD2 journal, as mkfs.ext2 -j makes).
#   tools/disk.sh create IMG DIR [SIZE]
#                                  a fresh image (SIZE: 64M unless given, e.g.
#                                  1G; a sparse file) holding DIR's tree
#   tools/disk.sh update IMG DIR   copies DIR's files into IMG (replacing
#                                  files of the same name, keeping the rest)
set -e
cmd=$1 img=$2 dir=$3 size=${4:-64M}
case "$cmd" in
create)
    rm -f "$img"
    mkfs.ext2 -q -F -b 4096 -I 256 -j -J size=4 -L root -d "$dir" "$img" "$size"
    ;;
update)
    [ -f "$img" ] || { echo "disk.sh: no image $img" >&2; exit 1; }
    # Both made absolute: the loops below run inside DIR.
    dir=$(cd "$dir" && pwd)
    img=$(cd "$(dirname "$img")" && pwd)/$(basename "$img")
    # A system stopped without a sync (QEMU killed) leaves the journal to
    # replay: debugfs would write under it, so e2fsck replays it first.
    if dumpe2fs -h "$img" 2>/dev/null | grep -q needs_recovery; then
        e2fsck -fy "$img" >/dev/null 2>&1 || true
    fi
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
