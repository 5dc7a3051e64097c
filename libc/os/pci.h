// PCI configuration space through ports 0xCF8/0xCFC (mechanism #1):
// enumeration, BAR decoding and sizing, the command register. The caller
// must have the ports 0xCF8..0xCFF enabled (init holds them). The decoding
// is pure and host-tested; struct pci_dev is also the svc protocol's
// SVC_PCI reply.
#ifndef PCI_H
#define PCI_H
#include <stdint.h>

#define PCI_PORT_ADDR   0xCF8
#define PCI_PORT_DATA   0xCFC
#define PCI_PORTS       8             // 0xCF8..0xCFF

#define PCI_CMD_IO      0x1           // command register: decode I/O BARs
#define PCI_CMD_MEM     0x2           //   decode memory BARs
#define PCI_CMD_MASTER  0x4           //   the device may do DMA (bus master)
#define PCI_MAX_DEVS    32

struct pci_bar {
    uint64_t base, size;              // size 0: not implemented
    uint8_t io, is64, prefetch, pad[5];
};

struct pci_dev {
    uint8_t bus, dev, fn, irq;        // irq: the interrupt line (0xff: none)
    uint16_t vendor, device;
    uint8_t class, subclass, progif, header;
    uint16_t command, pad;
    struct pci_bar bar[6];
};
_Static_assert(sizeof(struct pci_dev) == 16 + 6 * 24, "pci_dev layout");

// Pure. Decodes a BAR from its value (lo, and hi for the second half of a
// 64-bit one) and what it read back after all ones were written (mask_lo,
// mask_hi). has_hi says whether a next BAR slot exists. Returns the slots
// it takes (1, or 2 for a 64-bit BAR), or -1 for a 64-bit BAR in the last
// slot or a reserved memory type.
int pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t mask_lo, uint32_t mask_hi, int has_hi,
                   struct pci_bar *out);
// Pure: a short name for a class/subclass ("Ethernet controller").
const char *pci_class_name(uint8_t class, uint8_t subclass);

// Device side (port I/O).
uint32_t pci_read32(int bus, int dev, int fn, int off);
void pci_write32(int bus, int dev, int fn, int off, uint32_t v);
// Reads one function's header and sizes its BARs (decoding off meanwhile).
// Returns 0, or -1 when nothing answers there.
int pci_read_dev(int bus, int dev, int fn, struct pci_dev *out);
// Every function on every bus, at most max; returns how many.
int pci_scan(struct pci_dev *out, int max);
// Sets the bits `on` in a function's command register; returns the new value.
uint16_t pci_command_set(const struct pci_dev *d, uint16_t on, uint16_t off);

#endif
