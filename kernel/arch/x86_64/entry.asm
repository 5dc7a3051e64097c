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
extern syscall_table
extern syscall_attention
extern sched_kernel_exit
extern cpu_smap
extern big_lock
extern kernel_lock_slow
extern kernel_lock_wake
extern lapic_eoi_reg

CPU_KSTACK_TOP equ 8                ; struct cpu (arch/cpu.h)
CPU_USER_RSP equ 16
CPU_THREAD equ 24
CPU_TIMER_TSC equ 32
CPU_NEED_RESCHED equ 48
THREAD_ATTN equ 105                 ; struct thread (core/object.h, checked in syscall.c)
THREAD_WAKE_RESULT equ 136
VEC_TIMER equ 56
VEC_RESCHED equ 57
NUM_VECTORS equ 256                 ; stubs for 0-63 and 240-255 (arch/cpu.h)

SYS_COUNT equ 57                    ; uapi/syscalls.h (checked in syscall.c)
E_NOSYS equ 1                       ; uapi/errors.h (checked in syscall.c)

TF_R15 equ 0                        ; struct trapframe (arch/cpu.h, checked in cpu.c)
TF_R14 equ 8
TF_R13 equ 16
TF_R12 equ 24
TF_R11 equ 32
TF_R10 equ 40
TF_R9 equ 48
TF_R8 equ 56
TF_RBP equ 64
TF_RDI equ 72
TF_RSI equ 80
TF_RDX equ 88
TF_RCX equ 96
TF_RBX equ 104
TF_RAX equ 112
TF_RIP equ 136
TF_CS equ 144
TF_RFLAGS equ 152
TF_RSP equ 160
TF_SS equ 168
TF_SIZE equ 176

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
; The timer interrupt first notes the time stamp counter in struct cpu;
; the reschedule IPI may not need the trap path at all (resched_common).
%macro ISR 1
isr_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
%else
    push 0
%endif
    push %1
%if %1 = VEC_TIMER
    jmp timer_common
%elif %1 = VEC_RESCHED
    jmp resched_common
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

; The reschedule IPI in kernel mode has woken an idle loop from hlt (the
; kernel runs with interrupts off elsewhere, and the kernel lock's sleep
; masks this vector): the end of interrupt is all it needs, the loop
; looks at what is ready once it has the lock again (sched.c). From user
; mode it takes the trap path, whose exit switches.
resched_common:
    test byte [rsp + 24], 3         ; cs: from user mode?
    jnz trap_common
    push rax
    mov rax, [lapic_eoi_reg]
    mov dword [rax], 0
    pop rax
    add rsp, 16                     ; vector, error
    iretq

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

; The argument registers again after a call in the entry, which lost
; them: the IPC fast path (fastipc.asm) takes its message from them.
%macro RELOAD_ARGS 0
    mov rsi, [rsp + TF_RSI]
    mov rdx, [rsp + TF_RDX]
    mov r10, [rsp + TF_R10]
    mov r8, [rsp + TF_R8]
    mov r9, [rsp + TF_R9]
%endmacro

; syscall: rcx = user rip, r11 = user rflags, IF cleared by FMASK.
; A syscall saves only what the kernel reads or changes: the six
; argument (and IPC message) registers, rip, rflags and rsp (rax, the
; number and then the result, only where a call would lose it). The
; callee-saved registers stay in the CPU (the C code keeps them); rcx and
; r11 are the syscall's own. The trapframe's other slots are stale. A
; thread the kernel must look at before it returns (dead, or a fault to
; apply: thread.attn) takes the slow exit, which fills the whole frame
; and, if its registers were changed, leaves by iretq like a trap.
global syscall_entry
syscall_entry:
    swapgs
    mov [gs:CPU_USER_RSP], rsp
    mov rsp, [gs:CPU_KSTACK_TOP]    ; the trapframe's ss, its last slot
    push qword [gs:CPU_USER_RSP]    ; its rsp
    sub rsp, TF_RSP
    mov [rsp + TF_RIP], rcx
    mov [rsp + TF_RFLAGS], r11
    mov [rsp + TF_RDI], rdi
    mov [rsp + TF_RSI], rsi
    mov [rsp + TF_RDX], rdx
    mov [rsp + TF_R10], r10
    mov [rsp + TF_R8], r8
    mov [rsp + TF_R9], r9           ; DF is clear: FMASK (cpu.c) clears it
    lock bts dword [big_lock], 0
    jc syscall_lock_wait
syscall_locked:
    mov rcx, [gs:CPU_THREAD]
    cmp byte [rcx + THREAD_ATTN], 0
    jne syscall_enter_slow
syscall_dispatch:                   ; rcx: the current thread (fastipc.asm)
    cmp rax, SYS_COUNT
    jae syscall_bad
    mov rdi, rsp
    call [syscall_table + rax * 8]  ; long sys_NAME(struct trapframe *)
; rax is the result here; only the exits that read the frame put it there.
syscall_done:
    cmp byte [gs:CPU_NEED_RESCHED], 0
    jne syscall_exit_slow
    mov rcx, [gs:CPU_THREAD]
    cmp byte [rcx + THREAD_ATTN], 0
    jne syscall_exit_slow
; (The kernel never changes the rip of a frame to a non-canonical address,
; which sysret would fault on in ring 0: a thread's rip is checked by
; thread_create, and fault injection sets only 0 or HANG_VADDR.)
syscall_return:
    lock and dword [big_lock], ~1   ; the lock (lock.c): CPUs asleep for it?
    jnz syscall_unlock_wake
syscall_unlocked:
    mov rdi, [rsp + TF_RDI]
    mov rsi, [rsp + TF_RSI]
    mov rdx, [rsp + TF_RDX]
    mov r10, [rsp + TF_R10]
    mov r8, [rsp + TF_R8]
    mov r9, [rsp + TF_R9]
    mov rcx, [rsp + TF_RIP]
    mov r11, [rsp + TF_RFLAGS]
    swapgs
    mov rsp, [rsp + TF_RSP]         ; user stack; IF still clear
    o64 sysret
global syscall_unlock_wake
syscall_unlock_wake:                ; (fastipc.asm's exit too)
    mov [rsp + TF_RAX], rax
    call kernel_lock_wake
    mov rax, [rsp + TF_RAX]
    jmp syscall_unlocked
syscall_bad:
    mov rax, -E_NOSYS
    jmp syscall_done
syscall_lock_wait:
    mov [rsp + TF_RAX], rax         ; the syscall number, kept over the call
    call kernel_lock_slow           ; spins, answering TLB shootdowns
    mov rax, [rsp + TF_RAX]
    RELOAD_ARGS
    jmp syscall_locked
syscall_enter_slow:
    mov [rsp + TF_RAX], rax
    call syscall_attention          ; a dead thread leaves here for good
    mov rax, [rsp + TF_RAX]
    RELOAD_ARGS
    mov rcx, [gs:CPU_THREAD]
    jmp syscall_dispatch
syscall_exit_slow:
    mov [rsp + TF_RAX], rax
    mov [rsp + TF_RBX], rbx         ; the whole frame, in case a fault
    mov [rsp + TF_RBP], rbp         ; changes it: callee-saved registers
    mov [rsp + TF_R12], r12         ; as they are, rcx and r11 as sysret
    mov [rsp + TF_R13], r13         ; would leave them
    mov [rsp + TF_R14], r14
    mov [rsp + TF_R15], r15
    mov rcx, [rsp + TF_RIP]
    mov [rsp + TF_RCX], rcx
    mov r11, [rsp + TF_RFLAGS]
    mov [rsp + TF_R11], r11
    mov qword [rsp + TF_CS], 0x23
    mov qword [rsp + TF_SS], 0x1b
    call sched_kernel_exit          ; true: the registers were changed
    test al, al
    jz .sysret
    UNLOCK
    jmp trap_return
.sysret:
    mov rax, [rsp + TF_RAX]
    jmp syscall_return

; A parked thread resumes here once arch_switch or arch_park has popped
; its callee-saved registers: back to syscall_done with the result of its
; wait.
global fast_resume
fast_resume:
    mov rax, [gs:CPU_THREAD]
    mov rax, [rax + THREAD_WAKE_RESULT]
    ret

; arch_park(u64 *save_sp, u64 park_sp, u64 new_sp): arch_switch for a
; thread parked on fastipc.asm's park frame at park_sp: nothing more to save.
global arch_park
arch_park:
    mov [rdi], rsi
    mov rsp, rdx
switch_restore:                     ; the other thread's state (arch_switch too)
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

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
    jmp switch_restore

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
