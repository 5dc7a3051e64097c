; The IPC fast path in assembly: call and reply_recv with a message in
; registers only, when the partner waits parked by a fast path on a frame
; of its own (below) and may run here at once. The message never goes
; through memory: tag, w0-w2 stay in rsi, rdx, r10, r8 from the sender's
; syscall to the partner's sysret; the badge and token are put in rdi and
; r9. The thread parks on the frame it pushed at its entry and the CPU
; leaves straight to the partner's user mode. Anything else (a buffer
; descriptor, a handle to pass, a timeout, tracing, a partner blocked in
; the general path or with something to look at, a dead thread to reap,
; a payload length in the tag) goes on to the C fast path
; (ipc/fastpath.c) and from there to the general one (ipc/ipc.c), which
; is the reference: what is done here is what fast_call and
; fast_reply_recv do, minus their rare cases. The big kernel lock is
; held from the syscall entry to the partner's sysret (lock.c's rule).
; A caller waiting for its reply is held by the server thread's serving
; link alone (ipc.c's keep_caller puts it on the process's callers once
; that thread stops serving it), so neither direction updates a list
; but the endpoint's receivers.
;
; syscall_table (core/syscall.c) points at sys_call_entry and
; sys_reply_recv_entry unless the kernel command line says "nofastpath".
; entry.asm's dispatch calls them with rdi = the trapframe, rcx = the
; current thread and the user's rsi, rdx, r10, r8, r9 still in place.
; The C paths' rule for priorities and CPU sets holds: the partner runs
; here only if its CPU set has this CPU and no ready thread outranks the
; priority it runs at (sched_none_above).
;
; The park frame, PARK_FRAME (64) bytes below the trapframe, as arch_park
; and arch_switch pop it: r15 r14 r13 r12 rbp rbx, fast_resume, then
; dispatch's return address (syscall_done). A thread parked on it is
; resumed either here (its callee-saved registers taken from the frame,
; then sysret) or by the general path through fast_resume.

bits 64
default rel
section .text

extern fast_call
extern fast_reply_recv
extern sys_call
extern sys_reply_recv
extern fast_resume
extern syscall_unlock_wake
extern sched_runq
extern trace_on
extern big_lock
extern arch_iopb_load

; Offsets, checked in ipc/fastpath.c (core/object.h, arch/cpu.h).
T_LINK equ 8                        ; struct thread
T_PROC equ 40
T_KSP equ 48
T_TF equ 64
T_PRIO equ 72
T_BASE_PRIO equ 76
T_STATE equ 80
T_LAST_CPU equ 88
T_CPUS equ 96
T_ATTN equ 105                     ; and timed at 106
T_TOKEN equ 120
T_EP equ 144
T_SERVER equ 152
T_HANDLER equ 160
T_SERVING equ 168
T_SERVES equ 176
T_BUFS equ 264                      ; send, send_len, recv, recv_max
T_RBUF equ 296
T_RBUF_MAX equ 304
T_FPU equ 352
PR_CR3 equ 56                       ; struct proc
PR_HANDLES equ 64
PR_IOPB equ 120
PR_CALLS equ 184
PR_SERVED equ 192
C_KSTACK_TOP equ 8                  ; struct cpu
C_THREAD equ 24
C_BIT equ 40
C_NEED_RESCHED equ 48
C_ID equ 52
C_ZOMBIE equ 72
C_RSP0 equ 180                      ; tss.rsp0
EP_SENDERS equ 8                    ; struct endpoint
EP_RECEIVERS equ 24
EP_BOUND equ 64
N_BITS equ 8                        ; struct notif
H_SIZE equ 24                       ; struct handle (3 * 8: the lea pairs below)
H_RIGHTS equ 8
H_BADGE equ 16
HANDLES_MAX equ 128
KOBJ_ENDPOINT equ 3
R_SEND equ 1
R_RECV equ 2
TAG_SLOW equ 1 << 62 | 0x1ffff << 32 ; TAG_HANDLE, the payload length
T_RUNNING equ 1
T_REPLY equ 3
T_RECV equ 4
PARK_FRAME equ 64
TF_R10 equ 40                       ; struct trapframe
TF_R9 equ 48
TF_R8 equ 56
TF_RDI equ 72
TF_RSI equ 80
TF_RDX equ 88
TF_RIP equ 136
TF_RFLAGS equ 152
TF_RSP equ 160
TF_SIZE equ 176

; The park frame (see above); afterwards rbx, rbp, r12-r15 are free.
%macro PUSH_PARK_FRAME 0
    push qword fast_resume
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
%endmacro

; What the partner in rbp must be for a direct switch to it: parked by a
; fast path (its frame as above: the address it resumes at, where
; arch_switch's frame has its caller's, is fast_resume), not on the timeout list, nothing for
; the kernel to look at before it returns; and the CPU must have nothing
; else to do on the way (tracing, a dead thread's stack to free, a
; reschedule). Jumps to %1 otherwise. Clobbers rax.
%macro CHECK_PARTNER 1
    mov rax, [rbp + T_KSP]
    cmp qword [rax + 48], fast_resume
    jne %1
    cmp word [rbp + T_ATTN], 0      ; attn, timed
    jne %1
    cmp byte [trace_on], 0
    jne %1
    cmp qword [gs:C_ZOMBIE], 0
    jne %1
    cmp byte [gs:C_NEED_RESCHED], 0
    jne %1
%endmacro

; The handle in eax (zero-extended) of the current process (r11) if it is
; an endpoint with rights %1: rbx the handle, rax the endpoint; jumps to
; %2 otherwise.
%macro ENDPOINT 2
    cmp rax, HANDLES_MAX
    jae %2
    mov rbx, [r11 + PR_HANDLES]
    lea rax, [rax + rax * 2]
    lea rbx, [rbx + rax * 8]
    test byte [rbx + H_RIGHTS], %1
    jz %2                           ; (an empty slot has no rights: handle_close)
    mov rax, [rbx]
    cmp dword [rax], KOBJ_ENDPOINT
    jne %2
%endmacro

; call(handle, tag, w0, w1, w2, bufs = 0) without a timeout: the first
; receiver waiting on the endpoint takes the message and runs, at the
; caller's priority if that is higher; the caller waits for the reply
; (T_REPLY), held by the receiver's serving link alone: it goes on its
; process's callers only if the general path needs it there (ipc.c,
; keep_caller).
global sys_call_entry
sys_call_entry:
    PUSH_PARK_FRAME                 ; rcx: cur
    test r9, r9
    jnz .c                          ; a buffer descriptor
    mov rax, TAG_SLOW
    test rsi, rax
    jnz .c                          ; a handle to pass, a payload length
    mov rax, [rdi + TF_RDI]         ; handle | timeout << 32: a timeout
    mov r11, [rcx + T_PROC]         ; is above HANDLES_MAX
    ENDPOINT R_SEND, .g
    mov rbp, [rax + EP_RECEIVERS]
    add rax, EP_RECEIVERS
    cmp rbp, rax
    je .g                           ; nobody waiting: queue up
    sub rbp, T_LINK                 ; r, the first receiver
    mov rax, [gs:C_BIT]
    test [rbp + T_CPUS], rax
    jz .g                           ; it may not run on this CPU
    mov r12d, [rbp + T_BASE_PRIO]   ; the priority r runs at
    mov eax, [rcx + T_PRIO]
    cmp r12d, eax
    cmovl r12d, eax
    bsr rax, [sched_runq]           ; the highest ready priority
    jz .prio_ok
    cmp eax, r12d
    jg .g                           ; someone else must run first
.prio_ok:
    CHECK_PARTNER .c
    mov r13, [rbp + T_PROC]
    ; point of no return
    mov rax, [rbp + T_LINK]         ; r leaves the receivers
    mov r14, [rbp + T_LINK + 8]
    mov [r14], rax
    mov [rax + 8], r14
    lea rax, [rbp + T_LINK]
    mov [rbp + T_LINK], rax
    mov [rbp + T_LINK + 8], rax
    add qword [r11 + PR_CALLS], 1   ; for top
    add qword [r13 + PR_SERVED], 1
    xor eax, eax                    ; (wake_result is read only after sched_wake)
    mov [rbp + T_EP], rax
    mov [rbp + T_PRIO], r12d
    mov [rcx + T_BUFS + 24], rax    ; no reply payload taken (a waiting
                                    ; thread's send and send_len are not read)
    mov [rcx + T_SERVER], r13
    mov [rcx + T_HANDLER], rbp
    mov [rbp + T_SERVING], rcx
    mov dword [rcx + T_STATE], T_REPLY
    mov rdi, [rbx + H_BADGE]        ; the message: who calls, how to answer
    mov r9d, [rcx + T_TOKEN]
    jmp fastipc_switch
.c:                                 ; the C fast path may take it
    mov rbp, [rsp + 32]
    lea rdi, [rsp + PARK_FRAME]
    jmp sys_call_c
.g:                                 ; it would refuse it too
    mov rbp, [rsp + 32]
    jmp sys_call_g

; reply_recv(handle | token << 32, tag, w0, w1, w2, bufs = 0): the caller
; cur serves (its serving link, with that token: always a T_REPLY
; thread on no list, release_caller clears the link) takes the reply and
; runs; cur waits on the endpoint at its own priority, its receive
; buffer the one registered with recv_buf.
global sys_reply_recv_entry
sys_reply_recv_entry:
    PUSH_PARK_FRAME                 ; rcx: cur
    test r9, r9
    jnz .c                          ; a buffer descriptor
    mov rax, TAG_SLOW
    test rsi, rax
    jnz .c                          ; a handle to pass, a payload length
    mov rbp, [rcx + T_SERVING]      ; t, the caller
    test rbp, rbp
    jz .g
    mov eax, [rdi + TF_RDI + 4]
    cmp eax, [rbp + T_TOKEN]
    jne .g                          ; not the caller cur took last
    mov rax, [gs:C_BIT]
    test [rbp + T_CPUS], rax
    jz .g                           ; t may not run here
    mov eax, [rdi + TF_RDI]         ; the handle: ep, cur->serves, with R_RECV
    cmp rax, HANDLES_MAX
    jae .g
    mov r11, [rcx + T_PROC]
    mov rbx, [r11 + PR_HANDLES]
    lea rax, [rax + rax * 2]
    lea rbx, [rbx + rax * 8]
    test byte [rbx + H_RIGHTS], R_RECV
    jz .g                           ; (an empty slot has no rights)
    mov rax, [rcx + T_SERVES]       ; an endpoint, or NULL before the first receive
    cmp rax, [rbx]
    jne .g                          ; not ep, or the first receive on it
    lea rbx, [rax + EP_SENDERS]
    cmp rbx, [rax + EP_SENDERS]
    jne .g                          ; work queued
    mov rbx, [rax + EP_BOUND]
    test rbx, rbx
    jz .unbound
    cmp qword [rbx + N_BITS], 0
    jne .g                          ; a notification is pending
.unbound:
    mov r14, rax                    ; ep
    bsr rax, [sched_runq]
    jz .prio_ok
    cmp eax, [rbp + T_PRIO]
    jg .g                           ; someone else must run first
.prio_ok:
    CHECK_PARTNER .c
    mov r13, [rbp + T_PROC]
    ; point of no return
    xor eax, eax
    mov [rbp + T_SERVER], rax
    mov [rbp + T_HANDLER], rax
    mov [rcx + T_SERVING], rax
    mov rax, [rcx + T_RBUF]         ; the registered receive buffer (a
                                    ; waiting thread's send, send_len are not read)
    mov [rcx + T_BUFS + 16], rax
    mov rax, [rcx + T_RBUF_MAX]
    mov [rcx + T_BUFS + 24], rax
    mov eax, [rcx + T_BASE_PRIO]    ; drop what t lent us
    mov [rcx + T_PRIO], eax
    mov [rcx + T_EP], r14
    mov dword [rcx + T_STATE], T_RECV
    lea rax, [r14 + EP_RECEIVERS]   ; list_add_tail(&ep->receivers, &cur->link)
    lea r12, [rcx + T_LINK]
    mov r15, [rax + 8]
    mov [r12], rax
    mov [r12 + 8], r15
    mov [r15], r12
    mov [rax + 8], r12
    mov rax, [rbp + T_TF]           ; t gets its own rdi and r9 back
    mov rdi, [rax + TF_RDI]
    mov r9, [rax + TF_R9]
    jmp fastipc_switch
.c:
    mov rbp, [rsp + 32]
    lea rdi, [rsp + PARK_FRAME]
    jmp sys_reply_recv_c
.g:
    mov rbp, [rsp + 32]
    jmp sys_reply_recv_g

; Switches from cur (rcx, process r11, parked on the frame at rsp) to
; the partner (rbp, process r13) and leaves to its user mode with the
; message in rdi, rsi, rdx, r10, r8, r9 and 0 in rax (sched_direct's
; switch, then syscall_return's exit).
fastipc_switch:
    fxsave64 [rcx + T_FPU]
    mov [rcx + T_KSP], rsp
    mov dword [rbp + T_STATE], T_RUNNING
    mov eax, [gs:C_ID]
    mov [rbp + T_LAST_CPU], eax
    mov [gs:C_THREAD], rbp
    cmp r11, r13
    je .same_as
    mov rax, [r13 + PR_CR3]
    mov cr3, rax
    mov rax, [r11 + PR_IOPB]
    or rax, [r13 + PR_IOPB]
    jnz .iopb                       ; one of the two has I/O ports
.same_as:
    fxrstor64 [rbp + T_FPU]
    mov rsp, [rbp + T_KSP]
    lea rax, [rsp + PARK_FRAME + TF_SIZE] ; its kernel stack's top (arch_set_kstack)
    mov [gs:C_RSP0], rax
    sub rax, 8
    mov [gs:C_KSTACK_TOP], rax
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    mov rcx, [rsp + 16 + TF_RIP]    ; past fast_resume and syscall_done:
    mov r11, [rsp + 16 + TF_RFLAGS] ; the trapframe
    xor eax, eax
    lock and dword [big_lock], ~1   ; the lock (lock.c): CPUs asleep for it?
    jnz .wake
    swapgs
    mov rsp, [rsp + 16 + TF_RSP]    ; user stack; IF still clear
    o64 sysret
.wake:                              ; the general exit's way, from the frame
    add rsp, 16
    mov [rsp + TF_RDI], rdi
    mov [rsp + TF_RSI], rsi
    mov [rsp + TF_RDX], rdx
    mov [rsp + TF_R10], r10
    mov [rsp + TF_R8], r8
    mov [rsp + TF_R9], r9
    jmp syscall_unlock_wake
.iopb:                              ; arch_iopb_load(np->iopb), the message kept
    push rdi
    push rsi
    push rdx
    push r10
    push r8
    push r9
    push rcx
    push r11
    mov rdi, [r13 + PR_IOPB]
    call arch_iopb_load
    pop r11
    pop rcx
    pop r9
    pop r8
    pop r10
    pop rdx
    pop rsi
    pop rdi
    jmp .same_as

; The C fast path, then the general one: rdi the trapframe, the park
; frame pushed. fastpath.c keeps rbp only; the other callee-saved
; registers come back from the frame if it returns. A call the C fast
; path would refuse for the reason the one above did (no receiver, the
; CPU set, a bad handle...) goes to the general one at once (_g).
%macro C_PATHS 3                    ; the fast path, the general one, its label
    call %1                         ; parks the thread, or returns false
%3:
    mov r15, [rsp]
    mov r14, [rsp + 8]
    mov r13, [rsp + 16]
    mov r12, [rsp + 24]
    mov rbx, [rsp + 40]
    lea rdi, [rsp + PARK_FRAME]     ; the trapframe again
    call %2
    add rsp, 56
    ret
%endmacro
sys_call_c:
    C_PATHS fast_call, sys_call, sys_call_g
sys_reply_recv_c:
    C_PATHS fast_reply_recv, sys_reply_recv, sys_reply_recv_g

section .note.GNU-stack noalloc noexec nowrite progbits
