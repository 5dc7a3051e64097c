#!/bin/sh
# Fetches Debian bookworm's Linux kernel for `make compare`: the package
# linux-image-amd64 depends on the real one, linux-image-6.1.0-N-amd64,
# which apt-get download fetches through a private apt configuration
# under OUTDIR and dpkg -x unpacks there. Nothing is installed on the
# machine, and its own apt sources and lists are never read or changed.
#
#   sh tools/fetch-linux.sh OUTDIR
#
# OUTDIR/apt      the private apt state: sources.list (one deb line), lists, cache
# OUTDIR/root     the unpacked package (boot/vmlinuz-*, lib/modules/*)
# OUTDIR/vmlinuz  a copy of the kernel image
# OUTDIR/.stamp   the package and version fetched; present means done
set -eu

SUITE=bookworm
MIRROR=http://deb.debian.org/debian

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)
APT=$OUT/apt
fail() { echo "fetch-linux: $1" >&2; exit 1; }

if [ -f "$OUT/.stamp" ] && [ -f "$OUT/vmlinuz" ]; then
    echo "linux: $(cat "$OUT/.stamp") already in $OUT"
    exit 0
fi

for tool in apt-get apt-cache dpkg; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found"
done

. "$(dirname "$0")/apt-private.sh"
private_apt deb

echo "linux: apt-get update of $APT/sources.list ($MIRROR $SUITE)"
# shellcheck disable=SC2086 # APT_OPTS is a list of words on purpose
apt-get $APT_OPTS -q update > "$OUT/fetch.log" 2>&1 ||
    { tail -n 20 "$OUT/fetch.log" >&2; fail "apt-get update of the private list failed"; }

# The meta package names the real one in its Depends: linux-image-6.1.0-N-amd64.
# shellcheck disable=SC2086
PKG=$(apt-cache $APT_OPTS show linux-image-amd64 2>/dev/null |
      sed -n 's/^Depends: .*\(linux-image-[0-9][^ ,]*-amd64\).*/\1/p' | head -n 1)
[ -n "$PKG" ] || fail "linux-image-amd64 in $MIRROR $SUITE main names no linux-image-6.1.0-*-amd64"

echo "linux: apt-get download $PKG"
rm -rf "$OUT/dl" "$OUT/root"
mkdir -p "$OUT/dl"
# shellcheck disable=SC2086
(cd "$OUT/dl" && apt-get $APT_OPTS -q download "$PKG") >> "$OUT/fetch.log" 2>&1 ||
    { tail -n 20 "$OUT/fetch.log" >&2; fail "apt-get download $PKG failed"; }
DEB=$(find "$OUT/dl" -name "${PKG}_*.deb" | head -n 1)
[ -n "$DEB" ] || fail "no ${PKG}_*.deb after apt-get download"

dpkg -x "$DEB" "$OUT/root"
IMG=$(find "$OUT/root/boot" -name 'vmlinuz-*' | head -n 1)
[ -n "$IMG" ] || fail "no boot/vmlinuz-* in $DEB"
cp "$IMG" "$OUT/vmlinuz"
rm -f "$DEB"                      # the unpacked tree is what is kept
echo "$(basename "$DEB" .deb)" > "$OUT/.stamp"
echo "linux: $(cat "$OUT/.stamp") in $OUT"
