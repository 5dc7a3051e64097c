// Kernel-wide helpers: logging, panic, string functions.
#ifndef KERNEL_H
#define KERNEL_H
#include "types.h"
#include "list.h"
#include "uapi/errors.h"
#include "uapi/abi.h"

#define KBASE      0xFFFFFFFF80000000UL
#define PHYS_BASE  0xFFFF800000000000UL   /* direct map of physical memory */
#define PAGE_SIZE  4096UL
#define P2V(pa)    ((void *)((u64)(pa) + PHYS_BASE))
#define V2P(va)    ((u64)(va) >= KBASE ? (u64)(va) - KBASE : (u64)(va) - PHYS_BASE)

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kputs_raw(const char *s, size_t len);
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define assert(c) do { if (unlikely(!(c))) panic("assert %s at %s:%d", #c, __FILE__, __LINE__); } while (0)

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
void symbols_init(const char *text, size_t len);
const char *symbol_name(u64 addr);

#endif
