#!/bin/sh
# Builds newlib for user programs from Debian's newlib-source tarball.
#
#   sh tools/build-newlib.sh OUTDIR
#
# OUTDIR/src      the extracted sources (newlib-salsa/ from the tarball)
# OUTDIR/bin      x86_64-elf-* tools: a wrapper around the host gcc and
#                 symlinks to the host binutils
# OUTDIR/obj      the build tree
# OUTDIR/install  the result: install/x86_64-elf/{include,lib/libc.a,lib/libm.a}
# OUTDIR/build.log  everything the steps print
#
# Idempotent: each step leaves a stamp holding a signature of its inputs, and
# a step whose stamp matches is skipped; a changed tarball, compiler or set of
# options redoes the steps from there on.
set -eu

TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
TARGET=x86_64-elf
JOBS=2
CONFIGURE_OPTS="--target=$TARGET --disable-multilib --disable-newlib-supplied-syscalls
 --enable-newlib-io-long-long --enable-newlib-io-c99-formats --enable-newlib-io-float
 --disable-newlib-multithread --disable-nls"
CFLAGS_FOR_TARGET="-O2 -g"

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
if [ ! -f "$TARBALL" ]; then
    echo "build-newlib: $TARBALL is missing (install newlib-source: sh tools/deps.sh)" >&2
    exit 1
fi
for tool in gcc ar as ld nm ranlib objcopy xz make; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build-newlib: $tool not found" >&2; exit 1; }
done

mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)
SRC=$OUT/src
BIN=$OUT/bin
OBJ=$OUT/obj
INSTALL=$OUT/install
LOG=$OUT/build.log

# Nothing from a calling make or shell may leak into newlib's build: a
# parent's MAKEFLAGS carries its -j/jobserver and command-line variables
# (CC=..., CFLAGS=...), and the usual compiler variables would override
# the target ones.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL MAKEFILES GNUMAKEFLAGS \
      CC CXX CPP CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LIBS AR AS LD NM RANLIB \
      OBJCOPY OBJDUMP STRIP C_INCLUDE_PATH CPATH LIBRARY_PATH GCC_EXEC_PREFIX \
      CONFIG_SITE 2>/dev/null || true
export LC_ALL=C
export PATH="$BIN:$PATH"

fail() {
    echo "build-newlib: $1 failed; last lines of $LOG:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
}
step() { echo "== $1" >> "$LOG"; }
# stamp_ok FILE SIGNATURE: true when FILE exists and holds SIGNATURE.
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# --- 1. the tools: a compiler wrapper and binutils symlinks --------------
GCC_INC=$(gcc -print-file-name=include)
mkdir -p "$BIN"
cat > "$BIN/.wrapper.new" <<EOF
#!/bin/sh
# $TARGET-gcc: the host gcc made to behave like a bare-metal cross compiler.
# -Wa,--noexecstack marks the assembly sources (memset.S, ...) as not
# needing an executable stack, which ld otherwise warns about. The -Wno-error
# options keep newlib 3.3's old C building with gcc >= 14, where these
# warnings became errors; gcc 12 accepts them and changes nothing.
exec gcc -nostdinc -idirafter "$GCC_INC" \\
    -U__linux__ -U__linux -U__unix__ -U__unix -U__gnu_linux__ -Ulinux -Uunix \\
    -fno-pic -fno-pie -fno-stack-protector -mcmodel=small -Wa,--noexecstack \\
    -Wno-error=implicit-function-declaration -Wno-error=implicit-int \\
    -Wno-error=int-conversion -Wno-error=incompatible-pointer-types "\$@"
EOF
if ! cmp -s "$BIN/.wrapper.new" "$BIN/$TARGET-gcc" 2>/dev/null; then
    mv "$BIN/.wrapper.new" "$BIN/$TARGET-gcc"
    chmod +x "$BIN/$TARGET-gcc"
else
    rm -f "$BIN/.wrapper.new"
fi
ln -sf "$TARGET-gcc" "$BIN/$TARGET-cc"
for tool in ar as ld nm ranlib objcopy objdump strip readelf size strings; do
    path=$(command -v "$tool" || true)
    [ -n "$path" ] && ln -sf "$path" "$BIN/$TARGET-$tool"
done

# Signatures: what each step's result depends on.
TAR_SIG=$(sha256sum "$TARBALL" | cut -d' ' -f1)
CC_SIG=$(printf '%s\n' "$(gcc --version | head -n 1)" "$(ld --version | head -n 1)" \
         "$(cat "$BIN/$TARGET-gcc")" | sha256sum | cut -d' ' -f1)
# shellcheck disable=SC2086 # unquoted on purpose: whitespace-insensitive
CONF_SIG="$TAR_SIG $CC_SIG $(echo $CONFIGURE_OPTS $CFLAGS_FOR_TARGET | sha256sum | cut -d' ' -f1) $INSTALL"

if stamp_ok "$OUT/.stamp-installed" "$CONF_SIG" &&
   [ -f "$INSTALL/$TARGET/lib/libc.a" ] && [ -f "$INSTALL/$TARGET/lib/libm.a" ] &&
   [ -f "$INSTALL/$TARGET/include/stdio.h" ]; then
    # Up to date. When this script was edited without changing the result,
    # refresh the archives' times so that make stops rerunning it.
    if [ -n "$(find "$0" -newer "$INSTALL/$TARGET/lib/libc.a" 2>/dev/null)" ]; then
        touch "$INSTALL/$TARGET/lib/libc.a" "$INSTALL/$TARGET/lib/libm.a"
    fi
    echo "newlib: up to date in $INSTALL"
    exit 0
fi

START=$(date +%s)
: > "$LOG"
echo "newlib: building in $OUT (log: $LOG)"

# --- 2. extract -----------------------------------------------------------
if ! stamp_ok "$OUT/.stamp-extracted" "$TAR_SIG" || [ ! -x "$SRC/configure" ]; then
    step "extract $TARBALL"
    rm -rf "$SRC" "$SRC.tmp" "$OBJ" "$INSTALL" "$OUT/.stamp-"*
    mkdir -p "$SRC.tmp"
    # Keep the archive's file times: the generated files (configure,
    # Makefile.in) must stay newer than their sources, or make would try
    # to rerun autoconf/automake.
    xz -dc "$TARBALL" | tar -x -f - -C "$SRC.tmp" --strip-components=1 >> "$LOG" 2>&1 \
        || fail "extracting $TARBALL"
    mv "$SRC.tmp" "$SRC"
    echo "$TAR_SIG" > "$OUT/.stamp-extracted"
fi

# --- 3. configure ---------------------------------------------------------
if ! stamp_ok "$OUT/.stamp-configured" "$CONF_SIG" || [ ! -f "$OBJ/Makefile" ]; then
    step "configure"
    rm -rf "$OBJ" "$INSTALL" "$OUT/.stamp-configured" "$OUT/.stamp-installed"
    mkdir -p "$OBJ"
    # shellcheck disable=SC2086
    (cd "$OBJ" && "$SRC/configure" $CONFIGURE_OPTS --prefix="$INSTALL" \
        CFLAGS_FOR_TARGET="$CFLAGS_FOR_TARGET" \
        CC_FOR_TARGET="$TARGET-gcc" AR_FOR_TARGET="$TARGET-ar" \
        AS_FOR_TARGET="$TARGET-as" LD_FOR_TARGET="$TARGET-ld" \
        NM_FOR_TARGET="$TARGET-nm" RANLIB_FOR_TARGET="$TARGET-ranlib" \
        OBJCOPY_FOR_TARGET="$TARGET-objcopy" OBJDUMP_FOR_TARGET="$TARGET-objdump" \
        STRIP_FOR_TARGET="$TARGET-strip" READELF_FOR_TARGET="$TARGET-readelf" \
        MAKEINFO=true) >> "$LOG" 2>&1 || fail "configure"
    echo "$CONF_SIG" > "$OUT/.stamp-configured"
fi

# --- 4. build and install -------------------------------------------------
# MAKEINFO=true: the documentation is not needed and makeinfo may be absent.
step "make all-target-newlib"
make -C "$OBJ" -j"$JOBS" MAKEINFO=true all-target-newlib >> "$LOG" 2>&1 \
    || fail "make all-target-newlib"
step "make install-target-newlib"
make -C "$OBJ" -j1 MAKEINFO=true install-target-newlib >> "$LOG" 2>&1 \
    || fail "make install-target-newlib"

for f in lib/libc.a lib/libm.a include/stdio.h include/newlib.h; do
    [ -f "$INSTALL/$TARGET/$f" ] || fail "install (no $INSTALL/$TARGET/$f)"
done
echo "$CONF_SIG" > "$OUT/.stamp-installed"
echo "newlib: installed in $INSTALL ($(($(date +%s) - START)) s)"
