// The ATA disk driver: finds the primary master disk, then serves the disk
// protocol (disk_proto.h) through the shared receive loop. Each request
// runs to completion inside its handler, waiting for IRQ 14 on a
// notification of its own (not bound to the endpoint), so a reply means
// the transfer is over; a write is replied only once flushed to the medium.
// Without a disk every request gets -ENODEV.
#include "os.h"
#include "server.h"
#include "disk_proto.h"
#include "ata.h"

_Static_assert(DISK_SECTOR == ATA_SECTOR, "sector size");
_Static_assert(DISK_MAX_COUNT == ATA_MAX_COUNT, "request size");
_Static_assert(DISK_MAX_COUNT * DISK_SECTOR <= IPC_MAX_PAYLOAD, "a request fits a message");

static struct ata_ident ident;
static const struct ata_ident *disk;         // NULL: no disk
static uint8_t pio_buf[DISK_MAX_COUNT * DISK_SECTOR];
static uint8_t *read_buf = pio_buf;          // the DMA buffer when there is one

static int reply_error(struct request *rq, int err)
{
    rq->r0 = (uint64_t)(long)err;
    return 0;
}

// A device error: -EIO, the status and error registers in r1.
static int reply_eio(struct request *rq, uint32_t regs)
{
    rq->r0 = (uint64_t)-ATA_EIO;
    rq->r1 = regs;
    return 0;
}

// DISK_INFO: r0 = sectors, r1 = sector size.
static int disk_info(struct request *rq)
{
    if (!disk)
        return reply_error(rq, -ATA_ENODEV);
    rq->r0 = disk->sectors;
    rq->r1 = DISK_SECTOR;
    return 0;
}

// DISK_READ: w1 sectors from w0, replied as the payload. Blocks on the disk.
static int disk_read(struct request *rq)
{
    uint32_t regs;
    int err = ata_check_request(disk, 0, rq->w0, rq->w1, rq->len);
    if (err)
        return reply_error(rq, err);
    if (ata_read(rq->w0, (unsigned)rq->w1, read_buf, &regs) < 0)
        return reply_eio(rq, regs);
    rq->r0 = rq->w1 * DISK_SECTOR;
    rq->reply_data = read_buf;
    rq->reply_len = rq->r0;
    return 0;
}

// DISK_WRITE: the payload (w1 sectors) to w0; replied once on the medium.
static int disk_write(struct request *rq)
{
    uint32_t regs;
    int err = ata_check_request(disk, 1, rq->w0, rq->w1, rq->len);
    if (err)
        return reply_error(rq, err);
    if (ata_write(rq->w0, (unsigned)rq->w1, rq->data, &regs) < 0)
        return reply_eio(rq, regs);
    rq->r0 = rq->len;
    return 0;
}

// DISK_FLUSH: r0 = 0 once the drive's write cache is on the medium.
static int disk_flush(struct request *rq)
{
    uint32_t regs;
    if (!disk)
        return reply_error(rq, -ATA_ENODEV);
    if (ata_flush(&regs) < 0)
        return reply_eio(rq, regs);
    rq->r0 = 0;
    return 0;
}

static const server_op ops[DISK_OPS] = {
    [DISK_INFO] = disk_info,
    [DISK_READ] = disk_read,
    [DISK_WRITE] = disk_write,
    [DISK_FLUSH] = disk_flush,
};

// argv: "bm=PORT", the bus-master base port init granted (none: PIO).
int main(int argc, char **argv)
{
    unsigned bm_port = 0;
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "bm=", 3))
            bm_port = (unsigned)atol(argv[i] + 3);
    struct server s = { ATA_H_ENDPOINT, ops, DISK_OPS, -1, NULL, NULL };
    if (ata_init(&ident, bm_port) == 0) {
        const char *why, *dma_why;
        unsigned mult = ata_multiple(&why);
        disk = &ident;
        s.buf = ata_dma_buffer(&dma_why);        // requests land where the controller reads
        read_buf = s.buf ? s.buf : pio_buf;
        printf("ata: disk of %lu sectors (%lu MiB), %s, ", (unsigned long)ident.sectors,
               (unsigned long)(ident.sectors / (1024 * 1024 / DISK_SECTOR)),
               ident.lba48 ? "LBA48" : "LBA28");
        if (s.buf)
            printf("bus-master DMA (ports 0x%x), ", ata_dma_port());
        else
            printf("no DMA (%s), ", dma_why);
        if (mult)
            printf("PIO READ/WRITE MULTIPLE: %u sectors per interrupt\n", mult);
        else
            printf("PIO one sector per interrupt (%s)\n", why);
    } else {
        printf("ata: no disk\n");
    }
    server_announce("ata", argc, argv);
    server_run(&s);
}
