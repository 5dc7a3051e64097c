#!/bin/sh
# Installs the Debian packages the build and the tests need, only when a
# tool is missing. Run by the Makefile before anything else.
set -e
need=""
check() { command -v "$1" >/dev/null 2>&1 || need="$need $2"; }
check qemu-system-x86_64 qemu-system-x86
check nasm nasm
check grub-mkrescue grub-common
check xorriso xorriso
check mformat mtools
check mkfs.ext2 e2fsprogs
check gcc gcc
check python3 python3
check debugfs e2fsprogs
check xz xz-utils
check cmp diffutils
check patch patch            # the tests check diff -u output with it
check dpkg-source dpkg-dev    # tools/fetch-lwip.sh: apt-get source lwip unpacks with it
check free procps             # the free test compares its header with the host's
# gcc without its recommends brings no C library headers: the host unit
# tests and newlib's configure need them.
[ -f /usr/include/stdio.h ] || need="$need libc6-dev"
# make compare links programs/bench.c statically for Linux: glibc's libc.a.
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need="$need libc6-dev"
[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
[ -f /usr/src/newlib/newlib-3.3.0.tar.xz ] || need="$need newlib-source"
if [ -n "$need" ]; then
    echo "installing:$need"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need
fi
