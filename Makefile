# Build, run and test the system. `make run` boots it, `make test` tests it.
BUILD   := build
CC      := gcc
NASM    := nasm
LD      := ld
PYTHON  := python3
QEMU    := qemu-system-x86_64
QEMUFLAGS := -m 256M -no-reboot -serial stdio $(if $(GUI),,-display none)

WARN    := -Wall -Wextra -Werror -std=gnu11
KCFLAGS := $(WARN) -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
           -fno-omit-frame-pointer -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
           -fno-asynchronous-unwind-tables -Ikernel -Ikernel/include -Ikernel/arch/x86_64/include
UCFLAGS := $(WARN) -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
           -Ikernel -Ikernel/include -Ilibc/os
ULDFLAGS := -static -nostdlib -z max-page-size=4096 -Ttext-segment=0x400000

KERNEL_C   := $(wildcard kernel/*/*.c kernel/arch/x86_64/*.c)
KERNEL_ASM := boot/boot.asm kernel/arch/x86_64/entry.asm
KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/%.o)
# libos: syscalls, IPC, spawning, the server loop (every user program).
# libmini: crt0, printf and strings for programs without newlib (init, tests).
LIBOS_SRC  := libc/os/ipc.c libc/os/spawn.c libc/os/server.c kernel/core/elf.c kernel/core/bootfs.c
LIBOS_OBJ  := $(LIBOS_SRC:%.c=$(BUILD)/user/%.o)
LIBMINI_SRC := libc/os/ulib.c libc/os/crt0.c kernel/core/fmt.c
LIBMINI_OBJ := $(LIBMINI_SRC:%.c=$(BUILD)/user/%.o)

# Boot-time programs (one .c file each) and the in-system tests.
PROGRAMS   := servers/init/init.c
TEST_PROGS := $(wildcard tests/system/*.c)
BIN        := $(BUILD)/bin
PROG_ELF   := $(foreach p,$(PROGRAMS),$(BIN)/$(notdir $(basename $(p))))
TEST_ELF   := $(foreach p,$(TEST_PROGS),$(BIN)/$(notdir $(basename $(p))))

.PHONY: all deps run test debug bench clean hosttest
all: deps $(BUILD)/os.iso

deps:
	@sh tools/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -c $< -o $@

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g $< -o $@

$(BUILD)/user/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -MMD -c $< -o $@

$(BUILD)/libos.a: $(LIBOS_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libmini.a: $(LIBMINI_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kernel.elf: $(KERNEL_OBJ) linker.ld
	$(LD) -n --no-warn-rwx-segments -T linker.ld -o $@ $(KERNEL_OBJ)

$(BUILD)/kernel.sym: $(BUILD)/kernel.elf
	nm -n $< | grep ' [tT] ' > $@

define program_rule
$(BIN)/$(notdir $(basename $(1))): $(BUILD)/user/$(1:.c=.o) $(BUILD)/libos.a $(BUILD)/libmini.a
	@mkdir -p $(BIN)
	$(LD) $(ULDFLAGS) -o $$@ $$< $(BUILD)/libmini.a $(BUILD)/libos.a $(BUILD)/libmini.a
endef
$(foreach p,$(PROGRAMS) $(TEST_PROGS),$(eval $(call program_rule,$(p))))

$(BUILD)/bootfs.img: $(PROG_ELF) boot/init.rc tools/mkbootfs.py
	$(PYTHON) tools/mkbootfs.py $@ $(PROG_ELF) boot/init.rc $(if $(EXTRA),--dir $(EXTRA))

$(BUILD)/bootfs-test.img: $(PROG_ELF) $(TEST_ELF) tools/mkbootfs.py
	$(PYTHON) tools/mkbootfs.py $@ $(PROG_ELF) $(TEST_ELF)

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

run: all
	$(QEMU) $(QEMUFLAGS) -cdrom $(BUILD)/os.iso

debug: all
	@echo "attach with: gdb $(BUILD)/kernel.elf -ex 'target remote :1234'"
	$(QEMU) $(QEMUFLAGS) -cdrom $(BUILD)/os.iso -s -S

HOST_TESTS := $(wildcard tests/host/test_*.c)
$(BUILD)/host/%: tests/host/%.c $(wildcard kernel/*/*.c kernel/include/*.h servers/shell/*.[ch] drivers/console/*.[ch])
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g -fsanitize=address,undefined -Ikernel -Ikernel/include -Itests/host \
	    -Iservers/shell -Idrivers/console -Ilibc/proto $< -o $@

hosttest: $(HOST_TESTS:tests/host/%.c=$(BUILD)/host/%)

test: deps hosttest $(BUILD)/os.iso $(BUILD)/test.iso $(BUILD)/panic.iso
	$(PYTHON) tests/run.py

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
