// PCI configuration space (mechanism #1) and BAR decoding; see pci.h.
#include "pci.h"
#include "port.h"

#define OFF_ID       0x00
#define OFF_COMMAND  0x04
#define OFF_CLASS    0x08
#define OFF_HEADER   0x0C              // byte 2: header type
#define OFF_BAR0     0x10
#define OFF_IRQ      0x3C

int pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t mask_lo, uint32_t mask_hi, int has_hi,
                   struct pci_bar *out)
{
    *out = (struct pci_bar){ 0 };
    if (lo & 1) {                                  // I/O space
        uint32_t m = mask_lo & ~3u;
        if (m && !(m & 0xffff0000u))               // 16-bit decoders read 0 above
            m |= 0xffff0000u;
        out->io = 1;
        out->base = lo & ~3u;
        out->size = m ? (uint32_t)(~m + 1) : 0;
        return 1;
    }
    int type = (lo >> 1) & 3;
    if (type == 1 || type == 3 || (type == 2 && !has_hi))
        return -1;
    out->is64 = type == 2;
    out->prefetch = (lo >> 3) & 1;
    out->base = (lo & ~0xfu) | (out->is64 ? (uint64_t)hi << 32 : 0);
    uint64_t m = (mask_lo & ~0xfu) | (out->is64 ? (uint64_t)mask_hi << 32 : 0xffffffff00000000ull);
    out->size = (mask_lo & ~0xfu) || (out->is64 && mask_hi) ? ~m + 1 : 0;
    return out->is64 ? 2 : 1;
}

const char *pci_class_name(uint8_t class, uint8_t subclass)
{
    static const struct { uint8_t c, s; const char *name; } names[] = {
        { 0x01, 0x01, "IDE controller" }, { 0x01, 0x06, "SATA controller" },
        { 0x01, 0x00, "SCSI controller" }, { 0x02, 0x00, "Ethernet controller" },
        { 0x03, 0x00, "VGA controller" }, { 0x06, 0x00, "Host bridge" },
        { 0x06, 0x01, "ISA bridge" }, { 0x06, 0x04, "PCI bridge" },
        { 0x06, 0x80, "Bridge" }, { 0x0c, 0x03, "USB controller" },
    };
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].c == class && names[i].s == subclass)
            return names[i].name;
    return class == 0x02 ? "Network controller" : class == 0x01 ? "Storage controller"
         : class == 0x03 ? "Display controller" : class == 0x06 ? "Bridge" : "Device";
}

static uint32_t cfg_addr(int bus, int dev, int fn, int off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
           (uint32_t)(off & 0xfc);
}

uint32_t pci_read32(int bus, int dev, int fn, int off)
{
    outl(PCI_PORT_ADDR, cfg_addr(bus, dev, fn, off));
    return inl(PCI_PORT_DATA);
}

void pci_write32(int bus, int dev, int fn, int off, uint32_t v)
{
    outl(PCI_PORT_ADDR, cfg_addr(bus, dev, fn, off));
    outl(PCI_PORT_DATA, v);
}

// Writes all ones to a BAR, reads back what sticks, restores it.
static uint32_t bar_mask(const struct pci_dev *d, int i)
{
    int off = OFF_BAR0 + 4 * i;
    uint32_t old = pci_read32(d->bus, d->dev, d->fn, off);
    pci_write32(d->bus, d->dev, d->fn, off, 0xffffffffu);
    uint32_t m = pci_read32(d->bus, d->dev, d->fn, off);
    pci_write32(d->bus, d->dev, d->fn, off, old);
    return m;
}

// Sizes and decodes the nbars BARs, with I/O and memory decoding off.
static void read_bars(struct pci_dev *d, int nbars)
{
    uint32_t cmd = pci_read32(d->bus, d->dev, d->fn, OFF_COMMAND);
    pci_write32(d->bus, d->dev, d->fn, OFF_COMMAND, (cmd & 0xffff) & ~3u);
    for (int i = 0; i < nbars;) {
        int has_hi = i + 1 < nbars;
        uint32_t lo = pci_read32(d->bus, d->dev, d->fn, OFF_BAR0 + 4 * i);
        uint32_t hi = has_hi ? pci_read32(d->bus, d->dev, d->fn, OFF_BAR0 + 4 * i + 4) : 0;
        uint32_t mlo = bar_mask(d, i), mhi = has_hi && (lo & 7) == 4 ? bar_mask(d, i + 1) : 0;
        int n = pci_bar_decode(lo, hi, mlo, mhi, has_hi, &d->bar[i]);
        i += n > 0 ? n : 1;
    }
    pci_write32(d->bus, d->dev, d->fn, OFF_COMMAND, cmd & 0xffff);
}

int pci_read_dev(int bus, int dev, int fn, struct pci_dev *out)
{
    uint32_t id = pci_read32(bus, dev, fn, OFF_ID);
    if ((id & 0xffff) == 0xffff)
        return -1;
    *out = (struct pci_dev){ .bus = (uint8_t)bus, .dev = (uint8_t)dev, .fn = (uint8_t)fn,
                             .vendor = (uint16_t)id, .device = (uint16_t)(id >> 16) };
    uint32_t class = pci_read32(bus, dev, fn, OFF_CLASS);
    out->class = (uint8_t)(class >> 24);
    out->subclass = (uint8_t)(class >> 16);
    out->progif = (uint8_t)(class >> 8);
    out->header = (uint8_t)(pci_read32(bus, dev, fn, OFF_HEADER) >> 16);
    out->irq = (uint8_t)pci_read32(bus, dev, fn, OFF_IRQ);
    int type = out->header & 0x7f;
    read_bars(out, type == 0 ? 6 : type == 1 ? 2 : 0);
    out->command = (uint16_t)pci_read32(bus, dev, fn, OFF_COMMAND);
    return 0;
}

int pci_scan(struct pci_dev *out, int max)
{
    int n = 0;
    for (int bus = 0; bus < 256; bus++)
        for (int dev = 0; dev < 32; dev++)
            for (int fn = 0; fn < 8 && n < max; fn++) {
                if (pci_read_dev(bus, dev, fn, &out[n]))
                    continue;
                n++;
                if (fn == 0 && !(out[n - 1].header & 0x80))
                    break;                          // single-function device
            }
    return n;
}

uint16_t pci_command_set(const struct pci_dev *d, uint16_t on, uint16_t off)
{
    uint32_t cmd = pci_read32(d->bus, d->dev, d->fn, OFF_COMMAND) & 0xffff;
    cmd = (cmd | on) & ~(uint32_t)off;
    pci_write32(d->bus, d->dev, d->fn, OFF_COMMAND, cmd);
    return (uint16_t)cmd;
}
