// The pure parts of the ATA driver: IDENTIFY DEVICE parsing, device
// classification by signature, request range checks and the choice of
// command. No I/O here; tests/host/test_ata.c runs it on the host.
#include "ata.h"

// IDENTIFY DEVICE words (ATA/ATAPI-8).
#define ID_CONFIG       0        // bit 15: 1 = not an ATA device
#define ID_MULT_MAX     47       // bits 7:0: most sectors per DRQ block of READ/WRITE MULTIPLE
#define ID_MULT_CUR     59       // bit 8: bits 7:0 hold the current multiple setting
#define ID_CAPS         49       // bit 9: LBA supported; bit 8: DMA supported
#define ID_LBA28        60       // words 60..61: 28-bit sector count
#define ID_CMDSET2      83       // bit 10: 48-bit address feature set; bits 15:14 = 01 if valid
#define ID_LBA48        100      // words 100..103: 48-bit sector count
#define ID_INTEGRITY    255      // low byte 0xA5: high byte is a checksum

// True if the integrity word is absent or the 512 bytes sum to 0 mod 256.
static int identify_checksum_ok(const uint16_t id[256])
{
    if ((id[ID_INTEGRITY] & 0xff) != 0xA5)
        return 1;
    uint8_t sum = 0;
    for (int i = 0; i < 256; i++)
        sum = (uint8_t)(sum + (id[i] & 0xff) + (id[i] >> 8));
    return sum == 0;
}

int ata_parse_identify(const uint16_t id[256], struct ata_ident *out)
{
    if ((id[ID_CONFIG] & 0x8000) || !(id[ID_CAPS] & (1u << 9)) || !identify_checksum_ok(id))
        return -1;
    uint64_t n28 = id[ID_LBA28] | (uint64_t)id[ID_LBA28 + 1] << 16;
    uint64_t n48 = 0;
    int lba48 = (id[ID_CMDSET2] & 0xC000) == 0x4000 && (id[ID_CMDSET2] & (1u << 10));
    if (lba48)
        for (int i = 3; i >= 0; i--)
            n48 = n48 << 16 | id[ID_LBA48 + i];
    out->lba48 = lba48;
    out->dma = (id[ID_CAPS] >> 8) & 1;
    out->mult_max = id[ID_MULT_MAX] & 0xff;
    out->mult_current = id[ID_MULT_CUR] & 0x100 ? id[ID_MULT_CUR] & 0xff : -1;
    out->sectors = lba48 && n48 ? n48 : n28;
    if (out->sectors > ATA_LBA48_LIMIT)
        out->sectors = ATA_LBA48_LIMIT;
    if (!lba48 && out->sectors > ATA_LBA28_LIMIT)
        out->sectors = ATA_LBA28_LIMIT;
    return out->sectors ? 0 : -1;
}

enum ata_kind ata_classify(uint8_t status, uint8_t lba_mid, uint8_t lba_high)
{
    if (status == 0xFF || status == 0x00)
        return ATA_KIND_NONE;
    if (lba_mid || lba_high)         // 14/EB ATAPI, 69/96 SATAPI, 3C/C3 SATA ...
        return ATA_KIND_OTHER;
    return ATA_KIND_ATA;
}

int ata_check_range(uint64_t total, uint64_t first, uint64_t count)
{
    if (count == 0 || count > ATA_MAX_COUNT || first >= total || count > total - first)
        return -ATA_EINVAL;
    return 0;
}

// 1 if the range needs (and the disk has) a 48-bit command, 0 if a
// 28-bit one does, -1 if neither can address it.
static int addressing(int lba48, uint64_t first, uint64_t count)
{
    if (count == 0)
        return -1;
    if (lba48 && count <= 65536 && first < ATA_LBA48_LIMIT && count <= ATA_LBA48_LIMIT - first)
        return 1;
    if (count <= 256 && first < ATA_LBA28_LIMIT && count <= ATA_LBA28_LIMIT - first)
        return 0;
    return -1;
}

uint8_t ata_rw_command(int lba48, int write, uint64_t first, uint64_t count, int multiple)
{
    static const uint8_t cmds[2][2][2] = {          // [ext][multiple][write]
        { { ATA_CMD_READ, ATA_CMD_WRITE }, { ATA_CMD_READ_MULT, ATA_CMD_WRITE_MULT } },
        { { ATA_CMD_READ_EXT, ATA_CMD_WRITE_EXT },
          { ATA_CMD_READ_MULT_EXT, ATA_CMD_WRITE_MULT_EXT } },
    };
    int ext = addressing(lba48, first, count);
    return ext < 0 ? 0 : cmds[ext][multiple != 0][write != 0];
}

uint8_t ata_dma_command(int lba48, int write, uint64_t first, uint64_t count)
{
    static const uint8_t cmds[2][2] = {             // [ext][write]
        { ATA_CMD_READ_DMA, ATA_CMD_WRITE_DMA }, { ATA_CMD_READ_DMA_EXT, ATA_CMD_WRITE_DMA_EXT },
    };
    int ext = addressing(lba48, first, count);
    return ext < 0 ? 0 : cmds[ext][write != 0];
}

int ata_prd_build(struct ata_prd *prd, int max, uint64_t pa, uint64_t len)
{
    if (len == 0 || ((pa | len) & 1) || pa + len > (1ull << 32) || pa + len < pa)
        return -1;
    int n = 0;
    while (len) {
        uint64_t room = 0x10000 - (pa & 0xffff);    // to the next 64 KiB boundary
        uint64_t piece = len < room ? len : room;
        if (n == max)
            return -1;
        prd[n++] = (struct ata_prd){ (uint32_t)pa, (uint16_t)piece, 0 };   // 64 KiB: 0
        pa += piece;
        len -= piece;
    }
    prd[n - 1].flags = ATA_PRD_EOT;
    return n;
}

int ata_command_is_ext(uint8_t cmd)
{
    return cmd == ATA_CMD_READ_EXT || cmd == ATA_CMD_WRITE_EXT ||
           cmd == ATA_CMD_READ_MULT_EXT || cmd == ATA_CMD_WRITE_MULT_EXT ||
           cmd == ATA_CMD_READ_DMA_EXT || cmd == ATA_CMD_WRITE_DMA_EXT;
}

unsigned ata_multiple_count(unsigned mult_max)
{
    unsigned n = 1;
    while (n * 2 <= mult_max && n * 2 <= ATA_MAX_COUNT)
        n *= 2;
    return n >= 2 ? n : 0;
}

int ata_check_request(const struct ata_ident *disk, int write, uint64_t first, uint64_t count,
                      uint64_t len)
{
    if (!disk)
        return -ATA_ENODEV;
    if (ata_check_range(disk->sectors, first, count))
        return -ATA_EINVAL;
    if (write && len != count * ATA_SECTOR)       // count <= 128: no overflow
        return -ATA_EINVAL;
    return 0;
}
