// COM1, a 16550: polled output, input by the receive-data interrupt.
#include "os.h"
#include "console.h"

#define COM1      0x3F8
#define UART_DATA 0              // RBR / THR; DLL with DLAB
#define UART_IER  1              // DLM with DLAB
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5

#define LSR_DR    0x01           // receive data ready
#define LSR_THRE  0x20           // transmit holding register empty
#define IER_RDA   0x01           // interrupt on received data

static char last_out;

// Programs 115200 8N1, FIFOs on (trigger at 1 byte) and the receive
// interrupt. The receive FIFO is not cleared: bytes that arrived before
// the driver started are still read.
void uart_init(void)
{
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, 0x80);            // DLAB: divisor follows
    outb(COM1 + UART_DATA, 1);              // 115200 = 115200 / 1
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, 0x03);            // 8 bits, no parity, 1 stop bit
    outb(COM1 + UART_FCR, 0x00);            // no FIFO: turning it on drops pending input
    outb(COM1 + UART_MCR, 0x0B);            // DTR, RTS, OUT2 (gates the IRQ)
    outb(COM1 + UART_IER, IER_RDA);
}

// Sends one byte, waiting (bounded) for the transmitter: a short spin,
// then in 1 ms sleeps, for at most about 2 s. The transmitter stays busy
// while whatever is on the other end of the line does not take the bytes
// (QEMU's serial port waits for its host side); sleeping meanwhile keeps
// the driver off the CPU, where the supervisor would take it for a
// service spinning in a hang.
static void uart_tx(char c)
{
    for (int spin = 0; spin < 2000 && !(inb(COM1 + UART_LSR) & LSR_THRE); spin++) {
        __asm__ volatile("pause");
        if (spin >= 1000)
            sys_sleep(1);
    }
    outb(COM1 + UART_DATA, (uint8_t)c);
}

// Sends n bytes; with onlcr a '\n' not already preceded by '\r' goes out
// as "\r\n" (so echoed "\r\n" is not doubled). Returns when all are sent.
void uart_write(const char *s, size_t n, int onlcr)
{
    for (size_t i = 0; i < n; i++) {
        if (onlcr && s[i] == '\n' && last_out != '\r')
            uart_tx('\r');
        uart_tx(s[i]);
        last_out = s[i];
    }
}

// Returns the next received byte, or -1 if none is waiting.
int uart_getc(void)
{
    if (!(inb(COM1 + UART_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + UART_DATA);
}
