// Host tests of PCI BAR decoding and class names (libc/os/pci.c's pure
// parts; the port I/O functions are compiled but never called here).
#include <stdint.h>
#include "check.h"
#include "../../libc/os/pci.c"

TEST(io_bar)
{
    struct pci_bar b;
    // e1000's BAR 1 on QEMU: 64 I/O ports at 0xc000; 16-bit decoder reads 0 above.
    CHECK_EQ(pci_bar_decode(0xc001, 0, 0x0000ffc1, 0, 1, &b), 1);
    CHECK(b.io && !b.is64);
    CHECK_EQ(b.base, 0xc000);
    CHECK_EQ(b.size, 64);
    CHECK_EQ(pci_bar_decode(0xc041, 0, 0xfffffff1, 0, 1, &b), 1);   // 32-bit decoder
    CHECK_EQ(b.base, 0xc040);
    CHECK_EQ(b.size, 16);
}

TEST(mem32_bar)
{
    struct pci_bar b;
    // e1000's BAR 0: 128 KiB of registers at 0xfebc0000.
    CHECK_EQ(pci_bar_decode(0xfebc0000, 0, 0xfffe0000, 0, 1, &b), 1);
    CHECK(!b.io && !b.is64 && !b.prefetch);
    CHECK_EQ(b.base, 0xfebc0000);
    CHECK_EQ(b.size, 128 * 1024);
    CHECK_EQ(pci_bar_decode(0xfd000008, 0, 0xff000008, 0, 1, &b), 1);   // prefetchable 16 MiB
    CHECK(b.prefetch);
    CHECK_EQ(b.base, 0xfd000000);
    CHECK_EQ(b.size, 16 << 20);
}

TEST(mem64_bar)
{
    struct pci_bar b;
    CHECK_EQ(pci_bar_decode(0xe000000c, 0x1, 0xffffc00c, 0xffffffff, 1, &b), 2);
    CHECK(b.is64 && b.prefetch && !b.io);
    CHECK_EQ(b.base, 0x1e0000000ull);
    CHECK_EQ(b.size, 16 * 1024);
    // 8 GiB: the size reaches into the upper half.
    CHECK_EQ(pci_bar_decode(0x4, 0x2, 0x4, 0xfffffffe, 1, &b), 2);
    CHECK_EQ(b.size, 8ull << 30);
}

TEST(unimplemented_and_malformed_bars)
{
    struct pci_bar b;
    CHECK_EQ(pci_bar_decode(0, 0, 0, 0, 1, &b), 1);
    CHECK_EQ(b.size, 0);
    CHECK_EQ(pci_bar_decode(0x4, 0, 0xfffff004, 0, 0, &b), -1);   // 64-bit in the last slot
    CHECK_EQ(pci_bar_decode(0x2, 0, 0xfffff002, 0, 1, &b), -1);   // reserved type 1
    CHECK_EQ(pci_bar_decode(0x6, 0, 0xfffff006, 0, 1, &b), -1);   // reserved type 3
    CHECK_EQ(pci_bar_decode(0x1, 0, 0x1, 0, 1, &b), 1);           // I/O, no bits stick
    CHECK_EQ(b.size, 0);
}

TEST(class_names)
{
    CHECK(!strcmp(pci_class_name(0x02, 0x00), "Ethernet controller"));
    CHECK(!strcmp(pci_class_name(0x01, 0x01), "IDE controller"));
    CHECK(!strcmp(pci_class_name(0x02, 0x80), "Network controller"));
    CHECK(!strcmp(pci_class_name(0xff, 0xff), "Device"));
}
