// The console driver: COM1 (16550) and VGA text output, COM1 and PS/2
// keyboard input through one line discipline (line.h), served on the
// console protocol (console_proto.h).
#ifndef CONSOLE_H
#define CONSOLE_H
#include <stddef.h>
#include <stdint.h>

// Handle slots, granted by init in this order.
#define CON_H_ENDPOINT   1       // the console endpoint (receive)
#define CON_H_UART_PORTS 2       // I/O ports 0x3F8..0x3FF (COM1)
#define CON_H_UART_IRQ   3       // IRQ 4
#define CON_H_KBD_PORTS  4       // I/O ports 0x60..0x64 (PS/2 controller)
#define CON_H_KBD_IRQ    5       // IRQ 1
#define CON_H_VGA_MEM    6       // device memory 0xB8000, one page
#define CON_H_VGA_PORTS  7       // I/O ports 0x3D4..0x3D5 (CRTC: cursor)
#define CON_H_PROC       8       // proc server endpoint (send); may be missing

// Where the VGA text buffer is mapped in the driver.
#define CON_VGA_VADDR    0x0000500000000000ul

// Notification bits of the two IRQs.
#define CON_BIT_UART     (1ul << 0)
#define CON_BIT_KBD      (1ul << 1)


// Reply errors (negative newlib errno values).
#define CON_EAGAIN       11
#define CON_EINVAL       22

#include "port.h"

// uart.c: COM1, polled output, interrupt-driven input.
void uart_init(void);
void uart_write(const char *s, size_t n, int onlcr);
int uart_getc(void);

// vga.c: the 80x25 text screen.
void vga_init(volatile uint16_t *mem);
void vga_putc(char c);
void vga_write(const char *s, size_t n);
void vga_reset(void);

// kbd.c: the PS/2 keyboard, scancode set 1, US layout.
void kbd_init(void);
int kbd_getc(void);
int kbd_translate(uint8_t sc);
const char *kbd_sequence(int key);
enum { KBD_UP = 0x100, KBD_DOWN, KBD_RIGHT, KBD_LEFT, KBD_HOME, KBD_END,
       KBD_INSERT, KBD_DELETE, KBD_PGUP, KBD_PGDN, KBD_KEY_END };

#endif
