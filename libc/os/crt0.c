// Process entry: the stack holds argc, argv[], NULL, envp[], NULL (SysV);
// rdi, rsi, rdx hold the kernel's start arguments for init.
#include "os.h"

uint64_t os_boot_arg[3];
int main(int argc, char **argv, char **envp);

__attribute__((used)) static _Noreturn void os_start(uint64_t *sp, uint64_t a0, uint64_t a1, uint64_t a2)
{
    os_boot_arg[0] = a0;
    os_boot_arg[1] = a1;
    os_boot_arg[2] = a2;
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    exit(main(argc, argv, argv + argc + 1));
}

__asm__(".globl _start\n"
        "_start:\n"
        "  mov %rdx, %rcx\n"
        "  mov %rsi, %rdx\n"
        "  mov %rdi, %rsi\n"
        "  mov %rsp, %rdi\n"
        "  xor %ebp, %ebp\n"
        "  and $-16, %rsp\n"
        "  call os_start\n"
        "  ud2\n");
