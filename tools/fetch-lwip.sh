#!/bin/sh
# Fetches lwIP's sources from Debian's source package `lwip` (bookworm, main)
# with `apt-get source`, through a private apt configuration under OUTDIR:
# the machine's own apt sources and lists are never read or changed.
#
#   sh tools/fetch-lwip.sh OUTDIR
#
# OUTDIR/apt      the private apt state: sources.list (one deb-src line),
#                 lists, cache
# OUTDIR/dl       where apt-get source downloads and unpacks the package
# OUTDIR/src      the unpacked sources (src/core, src/include, ...)
# OUTDIR/.stamp   the Debian version fetched; present means done
#
# The mirror is the one the machine's own apt sources name for Debian.
# The version must be lwIP 2.1.3 (Debian's 2.1.3+dfsg...), else it fails.
set -eu

WANT_UPSTREAM=2.1.3
SUITE=bookworm

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)
APT=$OUT/apt
fail() { echo "fetch-lwip: $1" >&2; exit 1; }

if [ -f "$OUT/.stamp" ] && [ -f "$OUT/src/core/tcp.c" ] &&
   [ -f "$OUT/src/include/lwip/init.h" ]; then
    # When this script was edited, refresh the stamp so make stops rerunning it.
    if [ -n "$(find "$0" -newer "$OUT/.stamp" 2>/dev/null)" ]; then
        touch "$OUT/.stamp"
    fi
    echo "lwip: $(cat "$OUT/.stamp") already in $OUT/src"
    exit 0
fi

for tool in apt-get dpkg-source; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (sh tools/deps.sh installs it)"
done

# The Debian mirror from the machine's apt sources: a "deb" line or a
# deb822 "URIs:" field naming a path ending in /debian (not -security).
mirror() {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources 2>/dev/null |
    sed -n -e 's/^[[:space:]]*deb\(-src\)\{0,1\}[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\3/p' \
           -e 's/^[[:space:]]*URIs:[[:space:]]*//p' |
    tr ' ' '\n' | grep -E '^(https?|file)://.*/debian/?$' | head -n 1
}
MIRROR=$(mirror)
[ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian

. "$(dirname "$0")/apt-private.sh"
private_apt deb-src

echo "lwip: apt-get update of $APT/sources.list ($MIRROR $SUITE)"
# shellcheck disable=SC2086 # APT_OPTS is a list of words on purpose
apt-get $APT_OPTS -q update > "$OUT/fetch.log" 2>&1 ||
    { tail -n 20 "$OUT/fetch.log" >&2; fail "apt-get update of the private list failed"; }

# shellcheck disable=SC2086
VERSION=$(apt-cache $APT_OPTS showsrc lwip 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
[ -n "$VERSION" ] || fail "no source package lwip in $MIRROR $SUITE main"
case "$VERSION" in
    "$WANT_UPSTREAM"|"$WANT_UPSTREAM"[+-]*) ;;
    *) fail "lwip source package is version $VERSION, not $WANT_UPSTREAM" ;;
esac

echo "lwip: apt-get source lwip=$VERSION"
rm -rf "$OUT/dl" "$OUT/src"
mkdir -p "$OUT/dl"
# shellcheck disable=SC2086
(cd "$OUT/dl" && apt-get $APT_OPTS -q source "lwip=$VERSION") >> "$OUT/fetch.log" 2>&1 ||
    { tail -n 20 "$OUT/fetch.log" >&2; fail "apt-get source lwip failed"; }

TREE=$(find "$OUT/dl" -mindepth 1 -maxdepth 1 -type d -name 'lwip-*' | head -n 1)
[ -n "$TREE" ] && [ -f "$TREE/src/core/tcp.c" ] || fail "no lwip-*/src/core/tcp.c after unpacking"
# The version lwIP's own header states must agree with Debian's.
init=$TREE/src/include/lwip/init.h
v=$(sed -n 's/^#define LWIP_VERSION_\(MAJOR\|MINOR\|REVISION\)[[:space:]]*\([0-9]*\).*/\2/p' "$init" |
    tr '\n' '.' | sed 's/\.$//')
[ "$v" = "$WANT_UPSTREAM" ] || fail "$init says lwIP $v, not $WANT_UPSTREAM"

cp -a "$TREE/src" "$OUT/src"
echo "$VERSION" > "$OUT/.stamp"
echo "lwip: $VERSION in $OUT/src"
