; Start-up code of the application processors. arch_start_cpus copies it
; to TRAMPOLINE (0x8000, below 1 MiB) and sends the CPU there in real
; mode; it goes through protected mode into long mode on the boot page
; tables (identity and kernel mappings) and jumps to ap_main(cpu) on the
; stack given in the parameters at its end.

bits 16
default abs
section .rodata

TRAMPOLINE equ 0x8000
%define AT(x) (TRAMPOLINE + (x) - trampoline_start)

global trampoline_start
global trampoline_end
global trampoline_params

trampoline_start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    lgdt [AT(tgdt_ptr)]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp dword 0x08:AT(.pm)

bits 32
.pm:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, 1 << 5                  ; PAE
    mov cr4, eax
    mov eax, [AT(trampoline_params)]        ; cr3 (below 4 GiB)
    mov cr3, eax
    mov ecx, 0xC0000080
    rdmsr
    or eax, (1 << 8) | (1 << 11) | 1        ; LME, NXE, SCE
    wrmsr
    mov eax, cr0
    or eax, 1 << 31
    mov cr0, eax
    jmp 0x18:AT(.lm)

bits 64
.lm:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, [AT(trampoline_params) + 8]
    mov rdi, [AT(trampoline_params) + 16]
    mov rax, [AT(trampoline_params) + 24]
    call rax                        ; ap_main: never returns
.hang:
    cli
    hlt
    jmp .hang

align 8
tgdt:
    dq 0
    dq 0x00CF9A000000FFFF           ; 0x08 32-bit code
    dq 0x00CF92000000FFFF           ; 0x10 data
    dq 0x00AF9A000000FFFF           ; 0x18 64-bit code
tgdt_ptr:
    dw tgdt_ptr - tgdt - 1
    dd AT(tgdt)
align 8
trampoline_params:                  ; struct trampoline_params (apic.c)
    dq 0, 0, 0, 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
