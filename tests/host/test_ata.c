// Host tests of the ATA driver's pure parts (drivers/ata/parse.c):
// IDENTIFY parsing, device classification, request checks, the choice
// of 28- or 48-bit and single, MULTIPLE or DMA commands, the multiple
// count, PRD tables for bus-master DMA.
#include <stdint.h>
#include "check.h"
#include "../../drivers/ata/parse.c"

static uint16_t id[256];

// An IDENTIFY block like QEMU's hard disk: ATA, LBA, `n28` sectors in
// words 60..61, 48-bit support (word 83) when n48 is nonzero.
static void make_id(uint32_t n28, uint64_t n48)
{
    memset(id, 0, sizeof id);
    id[0] = 0x0040;                          // fixed device, ATA
    id[49] = 1u << 9;                        // LBA
    id[60] = (uint16_t)n28;
    id[61] = (uint16_t)(n28 >> 16);
    id[83] = 0x4000 | (n48 ? 1u << 10 : 0);
    for (int i = 0; i < 4; i++)
        id[100 + i] = (uint16_t)(n48 >> (16 * i));
}

// Sets the integrity word so that the 512 bytes sum to 0 (mod 256).
static void seal_id(void)
{
    uint8_t sum = 0xA5;
    id[255] = 0xA5;
    for (int i = 0; i < 255; i++)
        sum = (uint8_t)(sum + (id[i] & 0xff) + (id[i] >> 8));
    id[255] = (uint16_t)(0xA5 | (uint8_t)(0x100 - sum) << 8);
}

TEST(identify_lba48_disk)
{
    struct ata_ident d = { 0 };
    make_id(131072, 131072);                 // 64 MiB
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.sectors, 131072);
    CHECK_EQ(d.lba48, 1);
}

TEST(identify_large_lba48_disk_uses_words_100_to_103)
{
    struct ata_ident d = { 0 };
    make_id(0x0FFFFFFF, 0x123456789ABull);
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.sectors, 0x123456789ABull);
    CHECK_EQ(d.lba48, 1);
}

TEST(identify_lba48_with_empty_48bit_count_falls_back_to_28bit)
{
    struct ata_ident d = { 0 };
    make_id(5000, 0);
    id[83] |= 1u << 10;
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.sectors, 5000);
    CHECK_EQ(d.lba48, 1);
}

TEST(identify_lba28_only_disk)
{
    struct ata_ident d = { .lba48 = 1 };
    make_id(20480, 0);
    id[100] = 0x7777;                        // ignored without the feature bit
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.sectors, 20480);
    CHECK_EQ(d.lba48, 0);
}

TEST(identify_word83_invalid_means_no_lba48)
{
    struct ata_ident d = { 0 };
    make_id(20480, 99999);
    id[83] = 0xFFFF;                         // bits 15:14 = 11: word not valid
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.lba48, 0);
    CHECK_EQ(d.sectors, 20480);
    id[83] = 0x0400;                         // bits 15:14 = 00
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.lba48, 0);
}

TEST(identify_lba28_count_clamped_to_28_bits)
{
    struct ata_ident d = { 0 };
    make_id(0xFFFFFFFF, 0);
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.sectors, 1ull << 28);
}

TEST(identify_rejects_atapi_no_lba_and_empty)
{
    struct ata_ident d = { 0 };
    make_id(1000, 1000);
    id[0] = 0x85C0;                          // ATAPI CD-ROM
    CHECK_EQ(ata_parse_identify(id, &d), -1);
    make_id(1000, 1000);
    id[49] = 0;                              // CHS only
    CHECK_EQ(ata_parse_identify(id, &d), -1);
    make_id(0, 0);
    CHECK_EQ(ata_parse_identify(id, &d), -1);
}

TEST(identify_checksum)
{
    struct ata_ident d = { 0 };
    make_id(131072, 131072);
    seal_id();
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.sectors, 131072);
    id[10] ^= 0x0100;                        // a flipped bit in the serial number
    CHECK_EQ(ata_parse_identify(id, &d), -1);
    id[255] = 0x1200;                        // no signature: not checked
    CHECK_EQ(ata_parse_identify(id, &d), 0);
}

TEST(classify)
{
    CHECK_EQ(ata_classify(0xFF, 0xFF, 0xFF), ATA_KIND_NONE);   // floating bus
    CHECK_EQ(ata_classify(0x00, 0x00, 0x00), ATA_KIND_NONE);   // empty channel (QEMU)
    CHECK_EQ(ata_classify(0x50, 0x00, 0x00), ATA_KIND_ATA);
    CHECK_EQ(ata_classify(0x58, 0x00, 0x00), ATA_KIND_ATA);
    CHECK_EQ(ata_classify(0x51, 0x14, 0xEB), ATA_KIND_OTHER);  // ATAPI
    CHECK_EQ(ata_classify(0x51, 0x69, 0x96), ATA_KIND_OTHER);  // SATAPI
    CHECK_EQ(ata_classify(0x50, 0x3C, 0xC3), ATA_KIND_OTHER);  // SATA signature
}

TEST(check_range)
{
    CHECK_EQ(ata_check_range(100, 0, 1), 0);
    CHECK_EQ(ata_check_range(100, 99, 1), 0);
    CHECK_EQ(ata_check_range(100, 0, 100), 0);                  // the whole disk
    CHECK_EQ(ata_check_range(1000, 0, 128), 0);
    CHECK_EQ(ata_check_range(1000, 872, 128), 0);              // ends at the last sector
    CHECK_EQ(ata_check_range(1000, 873, 128), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(1000, 0, 129), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(100, 0, 0), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(100, 99, 2), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(100, 100, 1), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(0, 0, 1), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(100, UINT64_MAX, 2), -ATA_EINVAL); // first + count wraps
    CHECK_EQ(ata_check_range(UINT64_MAX, UINT64_MAX - 1, 128), -ATA_EINVAL);
    CHECK_EQ(ata_check_range(UINT64_MAX, UINT64_MAX - 1, 1), 0);
    CHECK_EQ(ata_check_range(100, 1, UINT64_MAX), -ATA_EINVAL);
}

TEST(check_request)
{
    struct ata_ident d = { .sectors = 131072, .lba48 = 1 };
    CHECK_EQ(ata_check_request(NULL, 0, 0, 1, 0), -ATA_ENODEV);
    CHECK_EQ(ata_check_request(NULL, 1, 0, 0, 7), -ATA_ENODEV); // no disk wins
    CHECK_EQ(ata_check_request(&d, 0, 0, 1, 0), 0);
    CHECK_EQ(ata_check_request(&d, 0, 131071, 1, 12345), 0);    // read: payload ignored
    CHECK_EQ(ata_check_request(&d, 0, 131071, 2, 0), -ATA_EINVAL);
    CHECK_EQ(ata_check_request(&d, 1, 10, 7, 7 * 512), 0);
    CHECK_EQ(ata_check_request(&d, 1, 10, 7, 6 * 512), -ATA_EINVAL);
    CHECK_EQ(ata_check_request(&d, 1, 10, 7, 7 * 512 + 1), -ATA_EINVAL);
    CHECK_EQ(ata_check_request(&d, 1, 0, 128, 65536), 0);
    CHECK_EQ(ata_check_request(&d, 1, 0, 0, 0), -ATA_EINVAL);
    CHECK_EQ(ata_check_request(&d, 1, 0, 1ull << 55, 0), -ATA_EINVAL); // count * 512 wraps to 0
}

TEST(rw_command)
{
    CHECK_EQ(ata_rw_command(1, 0, 0, 1, 0), ATA_CMD_READ_EXT);
    CHECK_EQ(ata_rw_command(1, 1, 0, 128, 0), ATA_CMD_WRITE_EXT);
    CHECK_EQ(ata_rw_command(1, 0, (1ull << 48) - 1, 1, 0), ATA_CMD_READ_EXT);
    CHECK_EQ(ata_rw_command(1, 0, (1ull << 48) - 1, 2, 0), 0);
    CHECK_EQ(ata_rw_command(0, 0, 0, 1, 0), ATA_CMD_READ);
    CHECK_EQ(ata_rw_command(0, 1, 5, 128, 0), ATA_CMD_WRITE);
    CHECK_EQ(ata_rw_command(0, 1, 0, 256, 0), ATA_CMD_WRITE);
    CHECK_EQ(ata_rw_command(0, 1, 0, 257, 0), 0);
    CHECK_EQ(ata_rw_command(0, 0, (1ull << 28) - 1, 1, 0), ATA_CMD_READ);
    CHECK_EQ(ata_rw_command(0, 0, (1ull << 28) - 1, 2, 0), 0);
    CHECK_EQ(ata_rw_command(0, 0, 1ull << 28, 1, 0), 0);
    CHECK_EQ(ata_rw_command(0, 0, UINT64_MAX, 1, 0), 0);
    CHECK_EQ(ata_rw_command(1, 0, 0, 0, 0), 0);
}

TEST(rw_command_multiple)
{
    CHECK_EQ(ata_rw_command(1, 0, 0, 8, 1), ATA_CMD_READ_MULT_EXT);
    CHECK_EQ(ata_rw_command(1, 1, 0, 128, 1), ATA_CMD_WRITE_MULT_EXT);
    CHECK_EQ(ata_rw_command(0, 0, 5, 48, 1), ATA_CMD_READ_MULT);
    CHECK_EQ(ata_rw_command(0, 1, 5, 1, 16), ATA_CMD_WRITE_MULT);   // any nonzero count
    CHECK_EQ(ata_rw_command(1, 0, (1ull << 48) - 1, 2, 1), 0);
    CHECK_EQ(ata_rw_command(0, 1, 1ull << 28, 1, 1), 0);
    CHECK_EQ(ata_rw_command(0, 1, 0, 0, 1), 0);
}

TEST(command_is_ext)
{
    CHECK_EQ(ata_command_is_ext(ATA_CMD_READ_EXT), 1);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_WRITE_EXT), 1);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_READ_MULT_EXT), 1);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_WRITE_MULT_EXT), 1);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_READ), 0);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_WRITE_MULT), 0);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_SET_MULT), 0);
    CHECK_EQ(ata_command_is_ext(ATA_CMD_FLUSH_EXT), 0);            // no sector address
}

TEST(identify_multiple_words_47_and_59)
{
    struct ata_ident d = { 0 };
    make_id(131072, 131072);
    id[47] = 0x8010;                         // QEMU: up to 16 sectors per block
    id[59] = 0x0110;                         // valid, 16 now
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.mult_max, 16);
    CHECK_EQ(d.mult_current, 16);
    id[59] = 0x0100;                         // valid, multiple mode off
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.mult_current, 0);
    id[59] = 0x0010;                         // bit 8 clear: bits 7:0 mean nothing
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.mult_current, -1);
    id[47] = 0x8000;                         // no READ/WRITE MULTIPLE
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.mult_max, 0);
    CHECK_EQ(ata_multiple_count(d.mult_max), 0);
}

TEST(multiple_count_choice)
{
    CHECK_EQ(ata_multiple_count(0), 0);      // not supported: single-sector commands
    CHECK_EQ(ata_multiple_count(1), 0);      // one sector a block gains nothing
    CHECK_EQ(ata_multiple_count(2), 2);
    CHECK_EQ(ata_multiple_count(16), 16);    // QEMU
    CHECK_EQ(ata_multiple_count(17), 16);    // not a power of two: the one below
    CHECK_EQ(ata_multiple_count(48), 32);
    CHECK_EQ(ata_multiple_count(128), 128);
    CHECK_EQ(ata_multiple_count(255), 128);  // capped at a request's size
}

TEST(identify_dma_word_49)
{
    struct ata_ident d = { 0 };
    make_id(131072, 131072);
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.dma, 0);
    id[49] |= 1u << 8;                       // DMA supported
    CHECK_EQ(ata_parse_identify(id, &d), 0);
    CHECK_EQ(d.dma, 1);
}

TEST(dma_command)
{
    CHECK_EQ(ata_dma_command(1, 0, 0, 1), ATA_CMD_READ_DMA_EXT);
    CHECK_EQ(ata_dma_command(1, 1, 0, 128), ATA_CMD_WRITE_DMA_EXT);
    CHECK_EQ(ata_dma_command(0, 0, 5, 128), ATA_CMD_READ_DMA);
    CHECK_EQ(ata_dma_command(0, 1, 5, 8), ATA_CMD_WRITE_DMA);
    CHECK_EQ(ata_dma_command(0, 0, (1ull << 28) - 1, 2), 0);     // past 28 bits, no LBA48
    CHECK_EQ(ata_dma_command(1, 0, (1ull << 28) - 1, 2), ATA_CMD_READ_DMA_EXT);
    CHECK_EQ(ata_dma_command(1, 1, 0, 0), 0);
    CHECK(ata_command_is_ext(ATA_CMD_READ_DMA_EXT) && ata_command_is_ext(ATA_CMD_WRITE_DMA_EXT));
    CHECK(!ata_command_is_ext(ATA_CMD_READ_DMA) && !ata_command_is_ext(ATA_CMD_WRITE_DMA));
}

TEST(prd_table)
{
    struct ata_prd p[4];
    CHECK_EQ(ata_prd_build(p, 4, 0x200000, 4096), 1);          // one entry, the end
    CHECK_EQ(p[0].addr, 0x200000);
    CHECK_EQ(p[0].count, 4096);
    CHECK_EQ(p[0].flags, ATA_PRD_EOT);
    CHECK_EQ(ata_prd_build(p, 4, 0x200000, 65536), 1);         // a whole aligned 64 KiB: count 0
    CHECK_EQ(p[0].count, 0);
    CHECK_EQ(p[0].flags, ATA_PRD_EOT);
    CHECK_EQ(ata_prd_build(p, 4, 0x20f000, 65536), 2);         // crosses a 64 KiB boundary
    CHECK_EQ(p[0].addr, 0x20f000);
    CHECK_EQ(p[0].count, 0x1000);
    CHECK_EQ(p[0].flags, 0);
    CHECK_EQ(p[1].addr, 0x210000);
    CHECK_EQ(p[1].count, 0xf000);
    CHECK_EQ(p[1].flags, ATA_PRD_EOT);
    CHECK_EQ(ata_prd_build(p, 1, 0x20f000, 65536), -1);        // no room for the second
    CHECK_EQ(ata_prd_build(p, 4, 0x200000, 0), -1);            // nothing to move
    CHECK_EQ(ata_prd_build(p, 4, 0x200001, 512), -1);          // odd address
    CHECK_EQ(ata_prd_build(p, 4, 0x200000, 511), -1);          // odd length
    CHECK_EQ(ata_prd_build(p, 4, 0xffff0000, 65536), 1);       // ends at 4 GiB: fine
    CHECK_EQ(ata_prd_build(p, 4, 0xffff0000, 65538), -1);      // past it
}
