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
NEWLIB_LIBS   = $(BUILD)/libnlposix.a $(NEWLIB)/lib/libm.a $(NEWLIB)/lib/libc.a $(shell $(CC) -print-libgcc-file-name)

# deps installs newlib-source (the tarball) on a fresh machine; order-only so
# that the phony target never forces a rebuild.
$(NEWLIB_STAMP): tools/build-newlib.sh | deps
	sh tools/build-newlib.sh $(BUILD)/newlib

# newlib's libc/posix folder, which the x86_64-elf configuration leaves out:
# regular expressions, fnmatch, glob and scandir, compiled from the extracted
# sources against newlib's headers and this system's (dirent.h, lstat).
# popen, posix_spawn and wordexp there need fork; libc/posix has this
# system's versions over os_spawn instead.
NLPOSIX_SRC  := $(BUILD)/newlib/src/newlib/libc/posix
NLPOSIX_NAMES := regcomp regerror regexec regfree collate collcmp fnmatch glob scandir
NLPOSIX_OBJ  := $(NLPOSIX_NAMES:%=$(BUILD)/nlposix/%.o)
NLPOSIX_CFLAGS = -O2 -g -fno-pic -fno-pie -fno-stack-protector -w -D_GNU_SOURCE -DOS_GLOB_IMPL \
                 -include libc/nlposix.h -Ilibc/include -I$(NLPOSIX_SRC) $(NEWLIB_CFLAGS)

$(BUILD)/nlposix/%.o: $(NEWLIB_STAMP) libc/include/dirent.h libc/nlposix.h
	@mkdir -p $(dir $@)
	$(CC) $(NLPOSIX_CFLAGS) -c $(NLPOSIX_SRC)/$*.c -o $@

$(BUILD)/libnlposix.a: $(NLPOSIX_OBJ)
	rm -f $@ && ar rcs $@ $^
