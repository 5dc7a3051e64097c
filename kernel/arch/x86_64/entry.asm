; Kernel entry and exit: interrupt/exception stubs, the syscall entry,
; the return paths to user mode and the kernel context switch.
; Every entry builds a struct trapframe (arch/cpu.h) on the kernel stack.
; Entries from user mode swap in the kernel's GS base (struct cpu) with
; swapgs, and exits to user mode swap it out again. The syscall entry
; takes the big kernel lock (lock.c) and its exit releases it; for traps,
; trap_dispatch takes it and tells trap_common whether to release it.

bits 64
default rel
section .text

extern trap_dispatch
extern syscall_dispatch
extern fast_call
extern fast_reply_recv
extern ipc_fastpath
extern cpu_smap
extern big_lock
extern kernel_lock_slow
extern kernel_lock_wake

CPU_KSTACK_TOP equ 8                ; struct cpu (arch/cpu.h)
CPU_USER_RSP equ 16
CPU_TIMER_TSC equ 32
VEC_TIMER equ 56
NUM_VECTORS equ 256                 ; stubs for 0-63 and 240-255 (arch/cpu.h)

SYSCALL_VEC equ 256
SYS_CALL equ 19                     ; uapi/syscalls.h (checked in fastpath.c)
SYS_REPLY_RECV equ 22

%macro PUSH_GPRS 0
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
%endmacro

%macro POP_GPRS 0
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
%endmacro

; Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30.
; The timer interrupt first notes the time stamp counter in struct cpu.
%macro ISR 1
isr_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
%else
    push 0
%endif
    push %1
%if %1 = VEC_TIMER
    jmp timer_common
%else
    jmp trap_common
%endif
%endmacro

%assign i 0
%rep NUM_VECTORS
%if i < 64 || i >= 240
ISR i
%endif
%assign i i + 1
%endrep

; Releases the big kernel lock (lock.c): clears bit 0; CPUs asleep for
; it (the other bits) are woken. Clobbers the caller-saved registers.
%macro UNLOCK 0
    lock and dword [big_lock], ~1
    jz %%done
    call kernel_lock_wake
%%done:
%endmacro

timer_common:
    test byte [rsp + 24], 3         ; cs: from user mode?
    jz .kernel
    swapgs
.kernel:
    push rax
    push rdx
    rdtsc
    mov [gs:CPU_TIMER_TSC], eax
    mov [gs:CPU_TIMER_TSC + 4], edx
    pop rdx
    pop rax
    jmp trap_saved

trap_common:
    test byte [rsp + 24], 3         ; cs: from user mode?
    jz trap_saved
    swapgs
trap_saved:
    PUSH_GPRS
    cld
    mov rdi, rsp
    call trap_dispatch
    test al, al                     ; true: this entry took the lock
    jz trap_return
    UNLOCK
    ; fall through: return to whatever the (current) trapframe says
global trap_return
trap_return:
    POP_GPRS
    add rsp, 16                     ; vector, error
    test byte [rsp + 8], 3          ; back to user mode?
    jz .iret
    swapgs
.iret:
    iretq

; syscall: rcx = user rip, r11 = user rflags, IF cleared by FMASK.
global syscall_entry
syscall_entry:
    swapgs
    mov [gs:CPU_USER_RSP], rsp
    mov rsp, [gs:CPU_KSTACK_TOP]
    push qword 0x1b                 ; ss
    push qword [gs:CPU_USER_RSP]    ; rsp
    push r11                        ; rflags
    push qword 0x23                 ; cs
    push rcx                        ; rip
    push 0                          ; error
    push SYSCALL_VEC
    PUSH_GPRS                       ; DF is clear: FMASK (cpu.c) clears it
    lock bts dword [big_lock], 0
    jc syscall_lock_wait
syscall_locked:
    mov rdi, rsp
    cmp rax, SYS_CALL               ; call and reply_recv try the IPC
    je syscall_fast_call            ; fast path first (fastpath.c)
    cmp rax, SYS_REPLY_RECV
    je syscall_fast_reply_recv
syscall_general:
    call syscall_dispatch
; (The kernel never changes the rip of a frame to a non-canonical address,
; which sysret would fault on in ring 0: a thread's rip is checked by
; thread_create, and fault injection sets only 0 or HANG_VADDR.)
global syscall_return
syscall_return:
    UNLOCK
    POP_GPRS
    add rsp, 16
    pop rcx                         ; rip
    add rsp, 8                      ; cs
    pop r11                         ; rflags
    swapgs
    pop rsp                         ; user stack; IF still clear
    o64 sysret
syscall_lock_wait:
    call kernel_lock_slow           ; spins, answering TLB shootdowns
    mov rax, [rsp + 14 * 8]         ; the syscall number again
    jmp syscall_locked
syscall_fast_call:
    cmp byte [ipc_fastpath], 0
    je syscall_general
    call fast_call
    test al, al
    jnz syscall_return              ; true: done (tf->rax set, exit checked)
    jmp syscall_fast_failed
syscall_fast_reply_recv:
    cmp byte [ipc_fastpath], 0
    je syscall_general
    call fast_reply_recv
    test al, al
    jnz syscall_return
syscall_fast_failed:
    mov rdi, rsp                    ; false: nothing changed, go the general way
    jmp syscall_general

; arch_switch(u64 *save_sp, u64 new_sp): save callee-saved state on this
; stack, switch stacks, restore the other thread's state.
global arch_switch
arch_switch:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

; arch_user_copy(dst, src, len) -> 0, or -1 if a page fault stopped it.
; One side is a user range of the active address space, already checked
; to be below USER_TOP; trap_dispatch turns a page fault between
; user_copy_start and user_copy_end into a jump to user_copy_fault.
global arch_user_copy
global arch_user_read32
global user_copy_start
global user_copy_end
global user_copy_fault
arch_user_copy:
    cmp byte [cpu_smap], 0
    je user_copy_body
    stac                            ; SMAP: user pages reachable until clac
    jmp user_copy_body

; arch_user_read32(dst, src) -> 0, or -1 if a page fault stopped it (dst
; then untouched): 32 bytes from src, in the active space and already
; checked to be below USER_TOP; the IPC fast path's struct ipc_bufs.
arch_user_read32:
    cmp byte [cpu_smap], 0
    je user_copy_start
    stac
user_copy_start:
    mov rax, [rsi]
    mov rcx, [rsi + 8]
    mov rdx, [rsi + 16]
    mov r8, [rsi + 24]
    mov [rdi], rax
    mov [rdi + 8], rcx
    mov [rdi + 16], rdx
    mov [rdi + 24], r8
    jmp user_copy_end
user_copy_body:
    mov rcx, rdx
    shr rcx, 3
    rep movsq
    mov ecx, edx
    and ecx, 7
    rep movsb
user_copy_end:
    xor eax, eax
user_copy_done:
    cmp byte [cpu_smap], 0
    je user_copy_ret
    clac
user_copy_ret:
    ret
user_copy_fault:
    mov eax, -1
    jmp user_copy_done

; First run of a new thread: arch_switch "returns" here with the thread's
; initial trapframe just above.
global thread_trampoline
thread_trampoline:
    test byte [rsp + 15 * 8 + 24], 3
    jz trap_return                  ; the idle thread keeps the lock
    UNLOCK
    jmp trap_return

section .rodata
global isr_table
isr_table:
%assign i 0
%rep NUM_VECTORS
%if i < 64 || i >= 240
    dq isr_ %+ i
%else
    dq 0
%endif
%assign i i + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
