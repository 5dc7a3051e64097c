// The e1000 driver (Intel 82540EM, QEMU's default NIC, PCI 8086:100E):
// descriptor rings in DMA memory, its interrupt as a notification, served
// on the NIC protocol (nic_proto.h). ring.c holds the pure parts (ring
// indices, checks of what the device wrote; host-tested), e1000.c the
// device, main.c the requests.
#ifndef E1000_H
#define E1000_H
#include <stdint.h>

// Handle slots, granted by init in this order.
#define E1000_H_ENDPOINT 1       // the NIC endpoint (receive)
#define E1000_H_MMIO     2       // BAR 0: the registers
#define E1000_H_IRQ      3       // its PCI interrupt line
#define E1000_H_DMA      4       // the root capability with R_DMA only

#define E1000_RX_N       32      // descriptors per ring (a multiple of 8)
#define E1000_TX_N       32
#define E1000_BUF        2048    // bytes per receive / transmit buffer

// Registers (byte offsets in BAR 0).
#define REG_CTRL   0x0000
#define REG_STATUS 0x0008
#define REG_EERD   0x0014
#define REG_ICR    0x00C0
#define REG_IMS    0x00D0
#define REG_IMC    0x00D8
#define REG_RCTL   0x0100
#define REG_TCTL   0x0400
#define REG_TIPG   0x0410
#define REG_RDBAL  0x2800
#define REG_RDBAH  0x2804
#define REG_RDLEN  0x2808
#define REG_RDH    0x2810
#define REG_RDT    0x2818
#define REG_TDBAL  0x3800
#define REG_TDBAH  0x3804
#define REG_TDLEN  0x3808
#define REG_TDH    0x3810
#define REG_TDT    0x3818
#define REG_MTA    0x5200
#define REG_RAL0   0x5400
#define REG_RAH0   0x5404

#define CTRL_SLU   (1u << 6)     // set link up
#define CTRL_RST   (1u << 26)
#define STATUS_LU  (1u << 1)
#define RCTL_EN    (1u << 1)
#define RCTL_BAM   (1u << 15)    // accept broadcast
#define RCTL_SECRC (1u << 26)    // strip the FCS
#define TCTL_EN    (1u << 1)
#define TCTL_PSP   (1u << 3)
#define ICR_TXDW   (1u << 0)
#define ICR_LSC    (1u << 2)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO    (1u << 6)
#define ICR_RXT0   (1u << 7)

#define RXD_DD     0x01          // receive status: descriptor done
#define RXD_EOP    0x02          //   end of packet
#define TXD_EOP    0x01          // transmit command
#define TXD_IFCS   0x02
#define TXD_RS     0x08          //   report status (sets DD)
#define TXD_DD     0x01          // transmit status

struct e1000_rx_desc {
    uint64_t addr;
    uint16_t length, csum;
    uint8_t status, errors;
    uint16_t special;
};

struct e1000_tx_desc {
    uint64_t addr;
    uint16_t length;
    uint8_t cso, cmd, status, css;
    uint16_t special;
};
_Static_assert(sizeof(struct e1000_rx_desc) == 16 && sizeof(struct e1000_tx_desc) == 16,
               "descriptor layout");

// A ring's software indices: `next` is the next descriptor the driver
// looks at (receive: the next to be filled; transmit: the oldest not yet
// reclaimed), `tail` the value last written to the tail register.
struct ring {
    uint32_t n, next, tail;
};

// ring.c (pure)
uint32_t ring_advance(uint32_t i, uint32_t n);
// Transmit: descriptors queued and not yet reclaimed, and free slots (one
// is always left empty so that a full ring is told from an empty one).
uint32_t ring_used(const struct ring *r);
uint32_t ring_free(const struct ring *r);
// The length of a received frame if the descriptor holds a whole, sane
// one (end of packet, no errors, NIC_FRAME_MIN..min(NIC_FRAME_MAX, buf));
// -1 if it must be dropped.
int rx_frame_len(const struct e1000_rx_desc *d, uint32_t buf);
// Reads the MAC from RAL/RAH values; -1 if the address-valid bit is clear.
int mac_from_ra(uint32_t ral, uint32_t rah, uint8_t mac[6]);

// e1000.c (device)
struct nic_stats;
// Maps the registers, resets the device, sets up both rings in fresh DMA
// memory, reads the MAC, enables receive, transmit and interrupts.
// Returns 0 or a negative error.
int e1000_init(uint8_t mac[6]);
int e1000_link_up(void);
// Acknowledges the interrupt causes; returns them (ICR).
uint32_t e1000_irq(void);
// Queues one frame; 0, or -1 if the ring is full.
int e1000_send(const void *frame, uint32_t len, struct nic_stats *st);
// Moves received frames into a batch (at most cap bytes); returns frames
// put. Bad ones are dropped and counted. Never blocks.
int e1000_recv(uint8_t *batch, uint32_t cap, uint32_t *used, struct nic_stats *st);
// Reclaims sent descriptors; returns the free transmit slots.
uint32_t e1000_tx_reclaim(void);

#endif
