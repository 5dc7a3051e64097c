# Build, run and test the system. `make run` boots it, `make test` tests it.
BUILD   := build
CC      := gcc
NASM    := nasm
LD      := ld
PYTHON  := python3
QEMU    := qemu-system-x86_64
CPUS    ?= 2
ifeq ($(filter $(CPUS),1 2 3 4 5 6 7 8),)
$(error CPUS=$(CPUS): give 1 to 8)
endif
# HTTP_PORT: the host's 127.0.0.1:HTTP_PORT reaches the guest's port 80 (httpd); 0: no forward.
HTTP_PORT ?= 8080
ifeq ($(shell echo '$(HTTP_PORT)' | grep -Ex '[0-9]{1,5}'),)
$(error HTTP_PORT=$(HTTP_PORT): give a port number, or 0 for none)
endif
comma := ,
HTTP_FWD := $(if $(filter-out 0,$(HTTP_PORT)),$(comma)hostfwd=tcp:127.0.0.1:$(HTTP_PORT)-:80)
QEMUFLAGS = -m 1G -smp $(CPUS) -no-reboot -serial stdio -nic user,model=e1000,restrict=on$(HTTP_FWD) $(if $(GUI),,-display none)

WARN    := -Wall -Wextra -Werror -std=gnu11
KCFLAGS := $(WARN) -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
           -fno-omit-frame-pointer -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
           -fno-asynchronous-unwind-tables -Ikernel -Ikernel/include -Ikernel/arch/x86_64/include
UCFLAGS := $(WARN) -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
           -Ikernel -Ikernel/include -Ilibc/os
ULDFLAGS := -static -nostdlib -z max-page-size=4096 -Ttext-segment=0x400000

KERNEL_C   := $(wildcard kernel/*/*.c kernel/arch/x86_64/*.c)
KERNEL_ASM := boot/boot.asm kernel/arch/x86_64/entry.asm kernel/arch/x86_64/fastipc.asm kernel/arch/x86_64/trampoline.asm
KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/%.o)
# libos: syscalls, IPC, spawning, the server loop (every user program).
# libmini: crt0, printf and strings for programs without newlib (init, tests).
LIBOS_SRC  := libc/os/spawn.c libc/os/server.c libc/os/pci.c kernel/core/elf.c kernel/core/bootfs.c
LIBOS_OBJ  := $(LIBOS_SRC:%.c=$(BUILD)/user/%.o)
LIBMINI_SRC := libc/os/ulib.c libc/os/crt0.c kernel/core/fmt.c kernel/core/str.c
LIBMINI_OBJ := $(LIBMINI_SRC:%.c=$(BUILD)/user/%.o)

# Programs. libmini ones (no newlib) run before the file system exists or
# test the kernel; the rest link newlib and this system's POSIX layer.
# Each program is a list of sources: prog_NAME.
prog_init    := $(wildcard servers/init/*.c)
prog_console := $(wildcard drivers/console/*.c)
prog_ktest   := $(wildcard tests/system/ktest*.c)
prog_t_echo  := tests/system/t_echo.c
prog_t_fault := tests/system/t_fault.c
prog_fs      := $(wildcard servers/fs/*.c)
prog_pipe    := $(wildcard servers/pipe/*.c)
prog_proc    := $(wildcard servers/proc/*.c)
prog_sh      := $(wildcard servers/shell/*.c)
prog_net     := $(wildcard servers/net/*.c)
USER_PROGRAMS := $(notdir $(basename $(wildcard programs/*.c)))
$(foreach p,$(USER_PROGRAMS),$(eval prog_$(p) := programs/$(p).c))
prog_fuzz    += $(wildcard programs/fuzz/*.c)      # programs/NAME/ holds the rest of NAME
prog_sed     += $(wildcard programs/sed/*.c)
prog_chaos   += programs/fuzz/watchdog.c      # the CPU watchdog it shares with fuzz

prog_ata     := $(wildcard drivers/ata/*.c)
prog_e1000   := $(wildcard drivers/e1000/*.c)

# The boot file set holds what runs before the file system is up (and the
# shell, so a broken disk still leaves a working prompt); /bin on the disk
# holds the programs.
MINI_PROGS   := init $(if $(prog_console),console) $(if $(prog_ata),ata) $(if $(prog_e1000),e1000)
TEST_PROGS   := ktest t_echo t_fault
SERVER_PROGS := fs pipe proc sh net
NEWLIB_PROGS := $(SERVER_PROGS) $(USER_PROGRAMS)
BIN          := $(BUILD)/bin
SYSTEM_ELF   := $(addprefix $(BIN)/,$(MINI_PROGS) $(SERVER_PROGS))
USER_ELF     := $(addprefix $(BIN)/,$(USER_PROGRAMS))
TEST_ELF     := $(addprefix $(BIN)/,$(TEST_PROGS))
DISK         ?= $(BUILD)/disk.img
SIZE         ?= 64M

.DEFAULT_GOAL := all
include libc/newlib.mk
NCFLAGS = $(WARN) -O2 -g -fno-pic -fno-pie -fno-stack-protector -DOS_NEWLIB \
          -Iprograms/lib -Ilibc/include -Ilibc/os -Ilibc/proto -Ikernel -Ikernel/include $(NEWLIB_CFLAGS)
include servers/net/lwip.mk
# net links lwIP; its objects see lwIP's headers.
libs_net     := $(LWIP_LIB)
$(BUILD)/nl/servers/net/%.o: NCFLAGS += $(LWIP_INC)
$(patsubst %.c,$(BUILD)/nl/%.o,$(prog_net)): | $(LWIP_STAMP)
LIBPOSIX_OBJ := $(patsubst %.c,$(BUILD)/nl/%.o,$(wildcard libc/posix/*.c))
# What the programs in /bin share (programs/lib/prog.h).
LIBPROG_OBJ  := $(patsubst %.c,$(BUILD)/nl/%.o,$(wildcard programs/lib/*.c))

.PHONY: all deps run test debug bench compare fuzz trace chaos clean hosttest disk disk-update FORCE
all: deps $(BUILD)/os.iso

deps:
	@sh tools/deps.sh

# The packages are checked (and installed when missing) before anything is
# built, also under make -j, where a `deps` prerequisite would run beside
# the compilers it installs.
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
ifneq ($(shell sh tools/deps.sh >&2 && echo ok),ok)
$(error tools/deps.sh could not install the packages the build needs)
endif
endif

# The IPC fast path saves no callee-saved register: entry.asm's
# park frame (fastipc.asm) has them on the stack already (kernel/ipc/fastpath.c). rbp
# is left alone (it cannot be call-used), so no prologue pushes it.
$(BUILD)/kernel/ipc/fastpath.o: KCFLAGS += -fomit-frame-pointer -ffixed-rbp -fcall-used-rbx \
    -fcall-used-r12 -fcall-used-r13 -fcall-used-r14 -fcall-used-r15

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g $< -o $@

$(BUILD)/user/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -Ilibc/proto -MMD -MP -c $< -o $@

$(BUILD)/nl/%.o: %.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(NCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libposix.a: $(LIBPOSIX_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libprog.a: $(LIBPROG_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libos.a: $(LIBOS_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libmini.a: $(LIBMINI_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kernel.elf: $(KERNEL_OBJ) linker.ld
	$(LD) -n --no-warn-rwx-segments -T linker.ld -o $@ $(KERNEL_OBJ)

$(BUILD)/kernel.sym: $(BUILD)/kernel.elf
	nm -n $< | grep ' [tT] ' > $@

define mini_rule
$(BIN)/$(1): $(patsubst %.c,$(BUILD)/user/%.o,$(prog_$(1))) $(BUILD)/libos.a $(BUILD)/libmini.a
	@mkdir -p $(BIN)
	$(LD) $(ULDFLAGS) -o $$@ $(patsubst %.c,$(BUILD)/user/%.o,$(prog_$(1))) \
	    --start-group $(BUILD)/libmini.a $(BUILD)/libos.a --end-group
endef
define newlib_rule
$(BIN)/$(1): $(patsubst %.c,$(BUILD)/nl/%.o,$(prog_$(1))) $(libs_$(1)) $(BUILD)/libprog.a $(BUILD)/libposix.a $(BUILD)/libos.a $(NEWLIB_STAMP) $(BUILD)/libnlposix.a
	@mkdir -p $(BIN)
	$(LD) $(ULDFLAGS) -o $$@ $(BUILD)/nl/libc/posix/start.o $(patsubst %.c,$(BUILD)/nl/%.o,$(prog_$(1))) \
	    --start-group $(libs_$(1)) $(BUILD)/libprog.a $(BUILD)/libposix.a $(BUILD)/libos.a $(NEWLIB_LIBS) --end-group
endef
$(foreach p,$(MINI_PROGS) $(TEST_PROGS),$(eval $(call mini_rule,$(p))))
$(foreach p,$(NEWLIB_PROGS),$(eval $(call newlib_rule,$(p))))

# Boot file sets: the system programs under bin/.
# With them, stripped, the rescue tools: what a person needs at the shell
# when the disk cannot be mounted and fs serves only these files.
RESCUE_PROGS := ls cat cp mv rm mkdir rmdir ps kill poweroff svc stat
RESCUE_ELF   := $(addprefix $(BUILD)/rescue/,$(RESCUE_PROGS))
$(BUILD)/rescue/%: $(BIN)/%
	@mkdir -p $(dir $@)
	strip -o $@ $<
BOOTFS_ARGS = $(foreach e,$(SYSTEM_ELF) $(RESCUE_ELF),bin/$(notdir $(e))=$(e))
$(BUILD)/bootfs.img: $(SYSTEM_ELF) $(RESCUE_ELF) tools/mkbootfs.py
	$(PYTHON) tools/mkbootfs.py $@ $(BOOTFS_ARGS)

$(BUILD)/bootfs-test.img: $(SYSTEM_ELF) $(USER_ELF) $(TEST_ELF) tools/mkbootfs.py
	$(PYTHON) tools/mkbootfs.py $@ $(foreach e,$(SYSTEM_ELF) $(USER_ELF) $(TEST_ELF),bin/$(notdir $(e))=$(e))

# The root tree of a fresh disk: the programs in /bin, empty /tmp, /home, /etc.
$(BUILD)/root: $(USER_ELF) $(BIN)/sh FORCE
	rm -rf $@ && mkdir -p $@/bin $@/tmp $@/home $@/etc
	cp $(USER_ELF) $(BIN)/sh $@/bin/
	cp $(BIN)/test '$@/bin/['
	strip --strip-debug $@/bin/*    # a quarter of the size: spawn reads less (build/bin keeps it)
	echo "Welcome. Type help for the shell's commands." > $@/etc/motd
	$(if $(EXTRA),cp -r $(EXTRA)/. $@/)

disk: deps $(BUILD)/root
	sh tools/disk.sh create $(BUILD)/disk.img $(BUILD)/root $(SIZE)
	@echo "wrote $(BUILD)/disk.img"

# make run keeps the image (files persist), installing the current
# programs and EXTRA's files into it.
$(BUILD)/disk.img:
	$(MAKE) disk

disk-update: $(BUILD)/root $(DISK)
	sh tools/disk.sh update $(DISK) $(BUILD)/root

FORCE:

# An ISO from a boot file set and a kernel command line.
define iso_rule
$(BUILD)/$(1).iso: $(BUILD)/kernel.elf $(BUILD)/kernel.sym $(BUILD)/$(2) boot/grub.cfg
	rm -rf $(BUILD)/iso-$(1) && mkdir -p $(BUILD)/iso-$(1)/boot/grub
	cp $(BUILD)/kernel.elf $(BUILD)/kernel.sym $(BUILD)/iso-$(1)/boot/
	cp $(BUILD)/$(2) $(BUILD)/iso-$(1)/boot/bootfs.img
	sed 's/@CMDLINE@/$(3)/' boot/grub.cfg > $(BUILD)/iso-$(1)/boot/grub/grub.cfg
	grub-mkrescue -o $$@ $(BUILD)/iso-$(1) 2>/dev/null
endef
$(eval $(call iso_rule,os,bootfs.img,))
$(eval $(call iso_rule,test,bootfs-test.img,test))
$(eval $(call iso_rule,panic,bootfs.img,kpanic))
$(eval $(call iso_rule,test-slow,bootfs-test.img,test nofastpath))
# The normal system with the kernel's consistency check on (kcheck): the
# fault campaigns (make chaos, tests/scenario_faults.py) boot it.
$(eval $(call iso_rule,check,bootfs.img,kcheck))
# The normal system with the disk by PIO (tests/scenario_ata.py).
$(eval $(call iso_rule,pio,bootfs.img,nodma))

DRIVE = -drive file=$(DISK),format=raw,if=ide,index=0

run: all disk-update
	$(QEMU) $(QEMUFLAGS) -cdrom $(BUILD)/os.iso $(DRIVE)

debug: all disk-update
	@echo "attach with: gdb $(BUILD)/kernel.elf -ex 'target remote :1234'"
	$(QEMU) $(QEMUFLAGS) -cdrom $(BUILD)/os.iso $(DRIVE) -s -S

HOST_TESTS := $(wildcard tests/host/test_*.c)
$(BUILD)/host/%: tests/host/%.c $(wildcard tests/host/ext2/*.h programs/lib/procview.[ch] servers/init/x86len.[ch] servers/init/codefault.[ch] kernel/*/*.c kernel/include/*.h servers/shell/*.[ch] drivers/console/*.[ch] drivers/ata/*.[ch] drivers/e1000/*.[ch] libc/os/pci.[ch] libc/proto/*.h servers/fs/*.[ch] servers/init/ping.h servers/pipe/*.[ch] servers/proc/table.[ch] libc/posix/inet.c)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g -fsanitize=address,undefined -Ikernel -Ikernel/include -Itests/host \
	    -Iservers/shell -Idrivers/console -Ilibc/proto -Ilibc/os $< -o $@

hosttest: $(HOST_TESTS:tests/host/%.c=$(BUILD)/host/%) $(BUILD)/host/codefault_find $(BUILD)/host/test_compare $(BUILD)/host/test_trace

# tools/compare.py's table, cpio and SVG writers (tests/host/test_compare.py).
$(BUILD)/host/test_compare: tests/host/test_compare.py tools/compare.py
	@mkdir -p $(dir $@)
	install -m 755 $< $@

# The trace dump format and tools/trace2json, trace2svg (tests/host/test_trace.py).
$(BUILD)/host/test_trace: tests/host/test_trace.py tools/tracefmt.py tools/trace2json tools/trace2svg
	@mkdir -p $(dir $@)
	install -m 755 $< $@

test: deps hosttest $(BUILD)/os.iso $(BUILD)/check.iso $(BUILD)/test.iso $(BUILD)/test-slow.iso $(BUILD)/panic.iso $(BUILD)/pio.iso $(BUILD)/root
	sh tools/disk.sh create $(BUILD)/test-disk.img $(BUILD)/root
	$(PYTHON) tests/run.py

bench: all $(BUILD)/root
	sh tools/disk.sh create $(BUILD)/test-disk.img $(BUILD)/root
	sh tools/disk.sh create $(BUILD)/bench-1g.img $(BUILD)/root 1G
	$(PYTHON) tools/bench.py

# This system beside Debian's Linux 6.1 on the same QEMU (tools/compare.py):
# programs/bench.c built for Linux is the /init of an initramfs. The kernel
# package is downloaded once into $(BUILD)/linux. Not part of make test.
LINUX_BENCH := $(BUILD)/compare/bench $(BUILD)/compare/true
$(BUILD)/compare/bench: programs/bench.c programs/bench_linux.h programs/bench_linux_main.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -static -DBENCH_LINUX -Iprograms -o $@ $<
$(BUILD)/compare/true: programs/true.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -static -o $@ $<

compare: all $(BUILD)/root $(LINUX_BENCH)
	sh tools/fetch-linux.sh $(BUILD)/linux
	sh tools/disk.sh create $(BUILD)/test-disk.img $(BUILD)/root
	$(PYTHON) tools/compare.py $(LINUX_BENCH)

# One command recorded by the kernel's tracer with the disk driver crashed
# in the middle (tools/trace_run.py): build/trace.bin, trace.json (Perfetto,
# chrome://tracing) and trace.svg.
CMD ?= cat /big.bin
trace: all $(BUILD)/root
	$(PYTHON) tools/trace_run.py --cmd '$(CMD)'

# A fault campaign from the host (tools/chaos.py): FAULTS faults from seed
# SEED into the services, rebooting if the system stops answering, e2fsck
# at each reboot; its own image (build/chaos-disk.img), CPUS CPUs.
FAULTS ?= 1000
SEED   ?= 1
chaos: all $(BUILD)/check.iso $(BUILD)/root
	sh tools/disk.sh create $(BUILD)/chaos-disk.img $(BUILD)/root
	$(PYTHON) tools/chaos.py --faults $(FAULTS) --seed $(SEED) --cpus $(CPUS) \
	    --image $(BUILD)/chaos-disk.img

# Random system calls from several processes at once (programs/fuzz.c);
# afterwards the shell and the file system must still answer.
fuzz: all $(BUILD)/root
	sh tools/disk.sh create $(BUILD)/test-disk.img $(BUILD)/root
	$(PYTHON) tools/fuzz.py

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
