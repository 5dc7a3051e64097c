// pci: the PCI functions on the bus, lspci-style, one a line:
//   00:03.0 8086:100e class 0200 Ethernet controller irq 11 mem 0xfebc0000 (128 KiB) ...
// The configuration ports belong to init (the supervisor), which
// enumerated the bus at boot; this asks it for its table (svc SVC_PCI).
#include <stdio.h>
#include <string.h>
#include "os.h"
#include "services.h"
#include "svc_proto.h"
#include "pci.h"

// pci_class_name comes from libc/os/pci.c (in libos).

static void print_size(uint64_t size)
{
    if (size >= 1024 * 1024 && !(size % (1024 * 1024)))
        printf(" (%lu MiB)", (unsigned long)(size >> 20));
    else if (size >= 1024 && !(size % 1024))
        printf(" (%lu KiB)", (unsigned long)(size >> 10));
    else
        printf(" (%lu bytes)", (unsigned long)size);
}

static void print_dev(const struct pci_dev *d)
{
    printf("%02x:%02x.%x %04x:%04x class %02x%02x %s", d->bus, d->dev, d->fn, d->vendor,
           d->device, d->class, d->subclass, pci_class_name(d->class, d->subclass));
    if (d->irq && d->irq != 0xff)
        printf(" irq %d", d->irq);
    for (int i = 0; i < 6; i++) {
        const struct pci_bar *b = &d->bar[i];
        if (!b->size)
            continue;
        printf(" %s%s 0x%lx", b->io ? "io" : "mem", b->is64 ? "64" : "", (unsigned long)b->base);
        print_size(b->size);
    }
    printf("\n");
}

int main(void)
{
    for (uint64_t i = 0;; i++) {
        struct pci_dev d;
        struct msg m = { TAG(SVC_PCI, 0), i, 0, 0, 0, 0 };
        struct ipc_bufs b = { NULL, 0, &d, sizeof(d) };
        long e = ipc_call(H_SVC, &m, &b);
        if (e < 0 || (long)m.w0 < 0) {
            fprintf(stderr, "pci: cannot ask the supervisor, which holds the PCI configuration "
                    "ports (error %ld)\n", e < 0 ? e : (long)m.w0);
            return 1;
        }
        if (m.w0 == 0 || TAG_LEN(m.tag) != sizeof(d))
            return 0;
        print_dev(&d);
    }
}
