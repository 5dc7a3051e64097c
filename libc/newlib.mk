# newlib (C library for user programs), built from Debian's newlib-source by
# tools/build-newlib.sh. Included by the top Makefile, which defines BUILD.
#
# NEWLIB        the installed tree: $(NEWLIB)/include, $(NEWLIB)/lib/{libc,libm}.a
# NEWLIB_STAMP  depend on this to have newlib built first. For objects that
#               include newlib headers, make it order-only (| $(NEWLIB_STAMP))
#               so that a newlib rebuild does not recompile everything.
# NEWLIB_CFLAGS compiler options that use newlib's headers instead of the host's
# NEWLIB_LIBS   what to link, last on the ld command line
#
# A program supplies the system calls newlib calls (sbrk, write, read, close,
# fstat, isatty, lseek, getpid, kill, _exit, and _init/_fini when the start
# code calls __libc_init_array/__libc_fini_array).

NEWLIB       := $(BUILD)/newlib/install/x86_64-elf
NEWLIB_STAMP := $(NEWLIB)/lib/libc.a
# Recursive (=): gcc is only run when these are used, after deps installed it.
NEWLIB_CFLAGS = -nostdinc -isystem $(NEWLIB)/include -isystem $(shell $(CC) -print-file-name=include)
NEWLIB_LIBS   = $(NEWLIB)/lib/libm.a $(NEWLIB)/lib/libc.a $(shell $(CC) -print-libgcc-file-name)

# deps installs newlib-source (the tarball) on a fresh machine; order-only so
# that the phony target never forces a rebuild.
$(NEWLIB_STAMP): tools/build-newlib.sh | deps
	sh tools/build-newlib.sh $(BUILD)/newlib
