; Multiboot2 header and the 32-bit entry: builds boot page tables, enters long
; mode and jumps to kmain in the higher half.
; Boot page tables: the first 4 GiB identity-mapped (removed by the kernel),
; mapped again at the direct map 0xFFFF800000000000, and the first 1 GiB at
; the kernel base 0xFFFFFFFF80000000. All with 2 MiB pages.

KBASE       equ 0xFFFFFFFF80000000
PTE_P       equ 1
PTE_W       equ 2
PTE_PS      equ 0x80

section .multiboot2
align 8
mb2_start:
    dd 0xE85250D6                   ; magic
    dd 0                            ; architecture: i386 protected mode
    dd mb2_end - mb2_start
    dd -(0xE85250D6 + 0 + (mb2_end - mb2_start))
    ; module alignment tag: modules page aligned
    dw 6, 0
    dd 8
    ; end tag
    dw 0, 0
    dd 8
mb2_end:

section .boot.bss nobits alloc write
align 4096
global boot_pml4
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096           ; identity and direct map: 4 x 1 GiB
boot_pdpt_high: resb 4096           ; kernel base
boot_pd:        resb 4096 * 4       ; 4 GiB of 2 MiB pages
boot_stack:     resb 16384
boot_stack_top:
global boot_tsc
boot_tsc:       resq 1

section .boot.text progbits alloc exec
bits 32
global _start
_start:
    cli
    mov ebp, eax
    rdtsc                           ; the first instruction count, for make bench
    mov [boot_tsc], eax
    mov [boot_tsc + 4], edx
    mov eax, ebp
    mov esp, boot_stack_top         ; boot sections are linked low
    mov edi, eax                    ; multiboot2 magic
    mov esi, ebx                    ; multiboot2 info (physical)
    ; fill 4 page directories: entry i maps i * 2 MiB
    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, PTE_P | PTE_W | PTE_PS
    mov [boot_pd + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                     ; high bits of (i << 21)
    mov [boot_pd + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .fill_pd
    ; low PDPT: 4 entries to the 4 PDs
    mov ecx, 0
.fill_pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, PTE_P | PTE_W
    mov [boot_pdpt_low + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jne .fill_pdpt
    ; high PDPT entry 510 -> first PD (0..1 GiB at KBASE)
    mov eax, boot_pd
    or eax, PTE_P | PTE_W
    mov [boot_pdpt_high + 510 * 8], eax
    ; PML4: 0 and 256 -> low PDPT, 511 -> high PDPT
    mov eax, boot_pdpt_low
    or eax, PTE_P | PTE_W
    mov [boot_pml4], eax
    mov [boot_pml4 + 256 * 8], eax
    mov eax, boot_pdpt_high
    or eax, PTE_P | PTE_W
    mov [boot_pml4 + 511 * 8], eax
    ; CR4.PAE, CR3, EFER.LME|NXE|SCE, CR0.PG
    mov eax, cr4
    or eax, 1 << 5
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    mov ecx, 0xC0000080
    rdmsr
    or eax, (1 << 8) | (1 << 11) | 1
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | 1
    mov cr0, eax
    lgdt [boot_gdt_ptr]
    jmp 0x08:long_entry

bits 64
long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rax, KBASE
    add rsp, rax                    ; stack through the kernel mapping
    mov rax, .high
    jmp rax
.high:
    extern kmain
    mov rax, kmain
    call rax
.hang:
    cli
    hlt
    jmp .hang

section .boot.rodata progbits alloc
align 8
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF           ; 64-bit code
    dq 0x00CF92000000FFFF           ; data
boot_gdt_ptr:
    dw boot_gdt_ptr - boot_gdt - 1
    dd boot_gdt

section .note.GNU-stack noalloc noexec nowrite progbits
