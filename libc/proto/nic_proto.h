// NIC protocol (drivers/e1000): Ethernet frames between the network
// server and the NIC driver. Replies: r0 = result (>= 0) or a negative
// errno (newlib values). Frames travel in batches: a payload is a run of
// records, each a 16-bit length (little-endian) followed by that many
// bytes of frame (destination MAC first, no FCS), the next record at the
// following even offset. nic_batch_put/nic_batch_next build and walk one.
#ifndef NIC_PROTO_H
#define NIC_PROTO_H
#include <stdint.h>
#include <string.h>

enum nic_op {
    NIC_INFO = 1,     // -> r0 = 1 link up / 0 down, r1 = MAC (byte 0 in bits 0-7), r2 = MTU
    NIC_ATTACH,       // handle passed: a notification (R_SIGNAL), w0 = bits -> r0 = 0;
                      //    the driver signals it when frames arrive or the link changes
    NIC_SEND,         // payload: a batch -> r0 = frames queued (the first r0 of the batch;
                      //    fewer than sent when the ring is full, -EAGAIN if none fit)
    NIC_RECV,         // w0 = most bytes wanted -> payload: a batch, r0 = frames (0: none;
                      //    never blocks)
    NIC_STATS,        // -> payload: struct nic_stats
    NIC_OPS
};

#define NIC_MTU        1500
#define NIC_FRAME_MIN  14          // an Ethernet header
#define NIC_FRAME_MAX  1514        // header + MTU, no FCS

struct nic_stats {
    uint64_t rx_frames, rx_bytes, rx_dropped, rx_errors;
    uint64_t tx_frames, tx_bytes, tx_errors, irqs;
};

// Appends a frame to a batch of *used bytes in buf (cap bytes). Returns
// 0, or -1 if it does not fit or its length is out of range.
static inline int nic_batch_put(uint8_t *buf, uint32_t cap, uint32_t *used,
                                const void *frame, uint32_t len)
{
    uint32_t at = (*used + 1) & ~1u;
    if (len < NIC_FRAME_MIN || len > NIC_FRAME_MAX || at > cap || cap - at < 2 + len)
        return -1;
    buf[at] = (uint8_t)len;
    buf[at + 1] = (uint8_t)(len >> 8);
    memcpy(buf + at + 2, frame, len);
    *used = at + 2 + len;
    return 0;
}

// The next frame of a batch of len bytes, starting at *pos: sets *frame
// and returns its length, 0 at the end, -1 if the batch is malformed.
static inline int nic_batch_next(const uint8_t *buf, uint32_t len, uint32_t *pos,
                                 const uint8_t **frame)
{
    uint32_t at = (*pos + 1) & ~1u;
    if (at >= len)
        return 0;
    if (len - at < 2)
        return -1;
    uint32_t n = buf[at] | (uint32_t)buf[at + 1] << 8;
    if (n < NIC_FRAME_MIN || n > NIC_FRAME_MAX || len - at - 2 < n)
        return -1;
    *frame = buf + at + 2;
    *pos = at + 2 + n;
    return (int)n;
}

#endif
