// Disk protocol (drivers/ata): block reads and writes in 512-byte sectors.
// Replies: r0 = result (>= 0) or a negative errno (newlib values):
// -EINVAL for a request beyond the disk or too large, -EIO for a device
// error (the ATA status and error registers are in r1), -ENODEV without a disk.
#ifndef DISK_PROTO_H
#define DISK_PROTO_H
#include <stdint.h>

enum disk_op {
    DISK_INFO = 1,     // -> r0 = number of sectors, r1 = sector size (512)
    DISK_READ,         // w0 = first sector, w1 = count -> payload: the data, r0 = bytes
    DISK_WRITE,        // w0 = first sector, w1 = count, payload: the data -> r0 = bytes;
                       //    replied only once the data is on the disk (cache flushed)
    DISK_FLUSH,        // -> r0 = 0 once the drive's write cache is on the medium
    DISK_OPS
};

#define DISK_SECTOR     512
#define DISK_MAX_COUNT  128      // sectors per request (64 KiB)

#endif
