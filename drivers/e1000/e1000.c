// The device side of the e1000 driver: registers through BAR 0 (mapped
// uncached), a reset, the MAC from the receive-address registers (or the
// EEPROM), and the two descriptor rings with their buffers in one block
// of DMA memory. Only this file touches the device.
#include "os.h"
#include "e1000.h"
#include "nic_proto.h"

#define MMIO_VA     0x50000000ul
#define DMA_VA      0x60000000ul
#define RX_BUFS_OFF 4096ul                        // page 0: both descriptor rings
#define TX_BUFS_OFF (RX_BUFS_OFF + E1000_RX_N * E1000_BUF)
#define DMA_LEN     (TX_BUFS_OFF + E1000_TX_N * E1000_BUF)
#define REG_MPC     0x4010                        // missed packets (clears on read)
#define EERD_START  1u
#define EERD_DONE   (1u << 4)
#define T_RESET_MS  100

_Static_assert(E1000_RX_N * 16 + E1000_TX_N * 16 <= RX_BUFS_OFF, "rings fit page 0");
_Static_assert(E1000_RX_N % 8 == 0 && E1000_TX_N % 8 == 0, "ring length: multiples of 128 bytes");

static volatile uint32_t *regs;
static volatile struct e1000_rx_desc *rxd;
static volatile struct e1000_tx_desc *txd;
static uint8_t *rx_buf, *tx_buf;
static uint64_t dma_pa;
static struct ring rx = { E1000_RX_N, 0, 0 }, tx = { E1000_TX_N, 0, 0 };

static uint32_t rd(uint32_t reg) { return regs[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }
static void barrier(void) { __asm__ volatile("mfence" ::: "memory"); }

// Resets the device and waits for it to finish; interrupts off, causes clear.
static int reset(void)
{
    wr(REG_IMC, 0xffffffffu);
    wr(REG_CTRL, rd(REG_CTRL) | CTRL_RST);
    for (int ms = 0; rd(REG_CTRL) & CTRL_RST; ms++) {
        if (ms > T_RESET_MS)
            return -1;
        sys_sleep(1);
    }
    wr(REG_IMC, 0xffffffffu);
    (void)rd(REG_ICR);
    return 0;
}

// One 16-bit EEPROM word through EERD; -1 if the read never completes.
static int eeprom_word(int addr)
{
    wr(REG_EERD, EERD_START | (uint32_t)addr << 8);
    for (int i = 0; i < 10000; i++) {
        uint32_t v = rd(REG_EERD);
        if (v & EERD_DONE)
            return (int)(v >> 16);
    }
    return -1;
}

static int read_mac(uint8_t mac[6])
{
    if (mac_from_ra(rd(REG_RAL0), rd(REG_RAH0), mac) == 0)
        return 0;
    for (int i = 0; i < 3; i++) {
        int w = eeprom_word(i);
        if (w < 0)
            return -1;
        mac[2 * i] = (uint8_t)w;
        mac[2 * i + 1] = (uint8_t)(w >> 8);
    }
    wr(REG_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24);
    wr(REG_RAH0, mac[4] | mac[5] << 8 | 1u << 31);
    return 0;
}

// Every receive descriptor gets its buffer; all but one go to the device.
static void rx_setup(void)
{
    for (uint32_t i = 0; i < E1000_RX_N; i++)
        rxd[i] = (struct e1000_rx_desc){ .addr = dma_pa + RX_BUFS_OFF + i * E1000_BUF };
    rx = (struct ring){ E1000_RX_N, 0, E1000_RX_N - 1 };
    uint64_t pa = dma_pa;
    wr(REG_RDBAL, (uint32_t)pa);
    wr(REG_RDBAH, (uint32_t)(pa >> 32));
    wr(REG_RDLEN, E1000_RX_N * sizeof(struct e1000_rx_desc));
    wr(REG_RDH, 0);
    wr(REG_RDT, rx.tail);
    wr(REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);          // 2048-byte buffers
}

static void tx_setup(void)
{
    uint64_t pa = dma_pa + E1000_RX_N * sizeof(struct e1000_rx_desc);
    tx = (struct ring){ E1000_TX_N, 0, 0 };
    wr(REG_TDBAL, (uint32_t)pa);
    wr(REG_TDBAH, (uint32_t)(pa >> 32));
    wr(REG_TDLEN, E1000_TX_N * sizeof(struct e1000_tx_desc));
    wr(REG_TDH, 0);
    wr(REG_TDT, 0);
    wr(REG_TIPG, 10 | 8 << 10 | 6 << 20);
    wr(REG_TCTL, TCTL_EN | TCTL_PSP | 0x10 << 4 | 0x40 << 12);
}

int e1000_init(uint8_t mac[6])
{
    long err = sys_mmio_map(E1000_H_MMIO, (long)MMIO_VA);
    if (err < 0)
        return (int)err;
    regs = (volatile uint32_t *)MMIO_VA;
    long pa = sys_dma_alloc(E1000_H_DMA, (long)DMA_VA, (long)DMA_LEN);
    if (pa < 0)
        return (int)pa;
    dma_pa = (uint64_t)pa;
    rxd = (volatile struct e1000_rx_desc *)DMA_VA;
    txd = (volatile struct e1000_tx_desc *)(DMA_VA + E1000_RX_N * sizeof(struct e1000_rx_desc));
    rx_buf = (uint8_t *)DMA_VA + RX_BUFS_OFF;
    tx_buf = (uint8_t *)DMA_VA + TX_BUFS_OFF;
    if (reset() < 0 || read_mac(mac) < 0)
        return -1;
    wr(REG_CTRL, rd(REG_CTRL) | CTRL_SLU);
    for (int i = 0; i < 128; i++)
        wr(REG_MTA + 4 * i, 0);
    (void)rd(REG_MPC);
    rx_setup();
    tx_setup();
    wr(REG_IMS, ICR_LSC | ICR_RXDMT0 | ICR_RXO | ICR_RXT0);
    return 0;
}

int e1000_link_up(void) { return !!(rd(REG_STATUS) & STATUS_LU); }

uint32_t e1000_irq(void) { return rd(REG_ICR); }

uint32_t e1000_tx_reclaim(void)
{
    while (tx.next != tx.tail && (txd[tx.next].status & TXD_DD))
        tx.next = ring_advance(tx.next, tx.n);
    return ring_free(&tx);
}

int e1000_send(const void *frame, uint32_t len, struct nic_stats *st)
{
    if (len < NIC_FRAME_MIN || len > NIC_FRAME_MAX) {
        st->tx_errors++;
        return 0;
    }
    if (!e1000_tx_reclaim())
        return -1;
    uint32_t i = tx.tail;
    memcpy(tx_buf + i * E1000_BUF, frame, len);
    txd[i] = (struct e1000_tx_desc){ .addr = dma_pa + TX_BUFS_OFF + i * E1000_BUF,
                                     .length = (uint16_t)len,
                                     .cmd = TXD_EOP | TXD_IFCS | TXD_RS };
    barrier();
    tx.tail = ring_advance(i, tx.n);
    wr(REG_TDT, tx.tail);
    st->tx_frames++;
    st->tx_bytes += len;
    return 0;
}

// Hands descriptor i back to the device (it becomes the new tail).
static void rx_recycle(uint32_t i)
{
    rxd[i].status = 0;
    barrier();
    rx.tail = i;
    wr(REG_RDT, i);
    rx.next = ring_advance(i, rx.n);
}

int e1000_recv(uint8_t *batch, uint32_t cap, uint32_t *used, struct nic_stats *st)
{
    int put = 0;
    st->rx_dropped += rd(REG_MPC);
    for (;;) {
        uint32_t i = rx.next;
        struct e1000_rx_desc d;
        memcpy(&d, (const void *)&rxd[i], sizeof(d));     // one read of what the device wrote
        if (!(d.status & RXD_DD))
            break;
        barrier();
        int len = rx_frame_len(&d, E1000_BUF);
        if (len < 0) {
            if (d.errors)
                st->rx_errors++;
            else
                st->rx_dropped++;
        } else if (nic_batch_put(batch, cap, used, rx_buf + i * E1000_BUF, (uint32_t)len)) {
            break;                                      // no room: stays for the next call
        } else {
            st->rx_frames++;
            st->rx_bytes += (uint32_t)len;
            put++;
        }
        rx_recycle(i);
    }
    return put;
}
