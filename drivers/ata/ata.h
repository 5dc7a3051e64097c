// The ATA disk driver: the master drive of the primary channel, served on
// the disk protocol (disk_proto.h). Transfers go by bus-master DMA (the
// PCI IDE controller moves the data, one interrupt per request) when init
// granted the controller's bus-master ports; else, or once DMA failed, by
// PIO driven by IRQ 14 (READ/WRITE MULTIPLE: up to 16 sectors per
// interrupt on QEMU; single-sector commands when the drive has no such
// mode).
// parse.c holds the pure parts (IDENTIFY parsing, signatures, request
// checks; host-tested), ata.c the device, main.c the requests.
#ifndef ATA_H
#define ATA_H
#include <stddef.h>
#include <stdint.h>

// Handle slots, granted by init in this order.
#define ATA_H_ENDPOINT  1        // the disk endpoint (receive)
#define ATA_H_PORTS     2        // I/O ports 0x1F0..0x1F7 (command block)
#define ATA_H_CTRL      3        // I/O port 0x3F6 (device control / alt status)
#define ATA_H_IRQ       4        // IRQ 14
#define ATA_H_BM        5        // the primary channel's bus-master ports (BAR 4 + 0..7)
#define ATA_H_DMA       6        // the root capability with R_DMA only (DMA memory)
#define ATA_H_SUPERVISOR 7       // init's svc endpoint (SVC_BUSMASTER)

// Reply errors (negative newlib errno values).
#define ATA_EIO         5
#define ATA_ENODEV      19
#define ATA_EINVAL      22

#define ATA_SECTOR      512
#define ATA_MAX_COUNT   128              // sectors per request (DISK_MAX_COUNT)
#define ATA_LBA28_LIMIT (1ull << 28)     // sectors addressable by 28-bit commands
#define ATA_LBA48_LIMIT (1ull << 48)

// Commands.
#define ATA_CMD_READ        0x20
#define ATA_CMD_READ_EXT    0x24
#define ATA_CMD_WRITE       0x30
#define ATA_CMD_WRITE_EXT   0x34
#define ATA_CMD_FLUSH       0xE7
#define ATA_CMD_FLUSH_EXT   0xEA
#define ATA_CMD_IDENTIFY    0xEC
#define ATA_CMD_READ_MULT       0xC4
#define ATA_CMD_WRITE_MULT      0xC5
#define ATA_CMD_READ_MULT_EXT   0x29
#define ATA_CMD_WRITE_MULT_EXT  0x39
#define ATA_CMD_SET_MULT        0xC6     // count register: sectors per DRQ block
#define ATA_CMD_READ_DMA        0xC8
#define ATA_CMD_WRITE_DMA       0xCA
#define ATA_CMD_READ_DMA_EXT    0x25
#define ATA_CMD_WRITE_DMA_EXT   0x35

// One entry of a bus-master PRD table (physical region descriptor).
struct ata_prd {
    uint32_t addr;               // physical, even
    uint16_t count;              // bytes, even; 0 means 64 KiB
    uint16_t flags;              // ATA_PRD_EOT on the last entry
};
#define ATA_PRD_EOT     0x8000

// Status register bits.
#define ATA_ST_ERR  0x01
#define ATA_ST_DRQ  0x08
#define ATA_ST_DF   0x20
#define ATA_ST_DRDY 0x40
#define ATA_ST_BSY  0x80

// What IDENTIFY DEVICE told about the disk.
struct ata_ident {
    uint64_t sectors;            // addressable sectors
    int lba48;                   // 48-bit commands supported
    unsigned mult_max;           // word 47: most sectors per DRQ block (0: no MULTIPLE)
    int mult_current;            // word 59: sectors per DRQ block now, -1 if not valid
    int dma;                     // word 49 bit 8: DMA supported
};

// What answered on the channel, from the status and signature registers.
enum ata_kind { ATA_KIND_NONE, ATA_KIND_ATA, ATA_KIND_OTHER };

// parse.c (pure)
// Parses the 256 words of IDENTIFY DEVICE. Returns 0, or -1 when they do
// not describe a usable ATA disk (ATAPI, no LBA, zero size, bad checksum).
int ata_parse_identify(const uint16_t id[256], struct ata_ident *out);
// Classifies a device from its status and LBA mid/high (signature) bytes:
// NONE for a floating (0xFF) or empty (0x00) bus, OTHER for ATAPI/SATA
// signatures, ATA otherwise.
enum ata_kind ata_classify(uint8_t status, uint8_t lba_mid, uint8_t lba_high);
// Checks a read/write of `count` sectors from `first` on a disk of
// `total` sectors; returns 0 or -ATA_EINVAL.
int ata_check_range(uint64_t total, uint64_t first, uint64_t count);
// Checks a DISK_READ (write 0) or DISK_WRITE (write 1, `len` payload
// bytes) against the disk (NULL: none). Returns 0, -ATA_ENODEV or -ATA_EINVAL.
int ata_check_request(const struct ata_ident *disk, int write, uint64_t first, uint64_t count,
                      uint64_t len);
// Picks the read or write command for the range: the EXT one with
// LBA48, the 28-bit one when the range fits; the MULTIPLE forms if
// `multiple`; 0 if it cannot be addressed.
uint8_t ata_rw_command(int lba48, int write, uint64_t first, uint64_t count, int multiple);
// The same for DMA: READ/WRITE DMA (EXT); 0 if it cannot be addressed.
uint8_t ata_dma_command(int lba48, int write, uint64_t first, uint64_t count);
// Fills prd (room for max entries) for a transfer of len bytes at
// physical address pa: one entry per piece that stays inside an aligned
// 64 KiB region (an entry may not cross one), the last marked EOT.
// Returns the entries used, or -1 (len 0 or odd, pa odd or the region
// past 4 GiB, more than max entries needed).
int ata_prd_build(struct ata_prd *prd, int max, uint64_t pa, uint64_t len);
// True for the commands that take a 48-bit task file (the EXT forms).
int ata_command_is_ext(uint8_t cmd);
// The count for SET MULTIPLE MODE: the largest power of two not above
// `mult_max` (IDENTIFY word 47) nor ATA_MAX_COUNT; 0 (use single-sector
// commands) when that is below 2.
unsigned ata_multiple_count(unsigned mult_max);

// ata.c (device; blocks in polls and in waits for IRQ 14)
// Enables the ports, binds IRQ 14, resets and identifies the drive, sets
// its multiple mode and sets up DMA through the bus-master ports at
// bm_port (0: none). Returns 0 with *id filled, or -1 when there is no
// usable disk.
int ata_init(struct ata_ident *id, unsigned bm_port);
// Sectors per interrupt in use by PIO: the multiple count, 0 for the
// single-sector commands; *why says why when 0.
unsigned ata_multiple(const char **why);
// The DMA buffer (ATA_MAX_COUNT sectors), or NULL when transfers go by
// PIO (*why says why). ata_dma_port: the bus-master base port.
void *ata_dma_buffer(const char **why);
unsigned ata_dma_port(void);
// Reads / writes `count` (1..128) sectors at `first`: by DMA when buf is
// the DMA buffer (a failed DMA transfer is done again by PIO, and DMA is
// off from then on), else by PIO. A write returns only once the drive
// flushed its cache. Return 0, or -1 with *regs = status | error << 8 of
// the failing step.
int ata_read(uint64_t first, unsigned count, void *buf, uint32_t *regs);
int ata_write(uint64_t first, unsigned count, const void *buf, uint32_t *regs);
int ata_flush(uint32_t *regs);

#endif
