// The device side of the ATA driver: register access, reset, IDENTIFY,
// multiple mode, bus-master DMA and PIO transfers of the primary
// channel's master drive.
//
// DMA (PCI IDE bus master, the PIIX's on QEMU): one buffer of 128
// sectors, physically contiguous, doubles as the server's receive buffer,
// so a write's payload is already where the controller reads it and a
// read's data is replied from where it wrote it. Per request: a PRD
// table for the sectors, the direction, READ/WRITE DMA, start; one
// interrupt when it is done. The controller may master the bus only once
// the driver has stopped it (init turns the PCI bit on when asked, off
// when the driver dies). At start-up sector 0 read by DMA must equal
// sector 0 read by PIO, or DMA stays off.
//
// Multiple mode: at start-up (the driver may be a restart: nothing is
// assumed of the drive) SET MULTIPLE MODE asks for the largest count
// IDENTIFY word 47 allows, and word 59 of a second IDENTIFY must confirm
// it; READ/WRITE MULTIPLE then move that many sectors per DRQ block, one
// interrupt per block. A drive without the mode, or one that refuses it,
// gets the single-sector commands (one interrupt per sector). A channel
// reset after a failed command sets the mode again.
//
// Interrupts: the kernel masks IRQ 14 when it delivers it as a bit of
// irq_notif. wait_irq then reads STATUS (which makes the drive drop
// INTRQ) and leaves the line masked while the driver works; the next
// wait_irq acknowledges (unmasks) and waits in one system call, so an
// interrupt raised meanwhile (pending in the PIC) arrives once the driver
// is blocked, by one path whatever the disk's speed, and none is lost. A
// wake-up the drive's state does not confirm (still BSY: a stale bit)
// waits again.
#include "os.h"
#include "ata.h"
#include "port.h"
#include "svc_proto.h"

#define REG_DATA     0x1F0
#define REG_ERROR    0x1F1
#define REG_COUNT    0x1F2
#define REG_LBA_LO   0x1F3
#define REG_LBA_MID  0x1F4
#define REG_LBA_HI   0x1F5
#define REG_DEVICE   0x1F6
#define REG_STATUS   0x1F7       // read: status (acknowledges INTRQ)
#define REG_COMMAND  0x1F7       // write
#define REG_CTRL     0x3F6       // write: device control
#define REG_ALT      0x3F6       // read: alternate status (leaves INTRQ alone)

#define CTRL_NIEN    0x02        // interrupts off
#define CTRL_SRST    0x04        // software reset

#define DEV_MASTER   0xA0        // obsolete bits 7 and 5 set, drive 0
#define DEV_LBA      0x40

#define BM_CMD       0           // bus-master registers, from its base port
#define BM_STATUS    2
#define BM_PRD       4           // 32-bit: the PRD table's physical address
#define BM_CMD_START 0x01
#define BM_CMD_READ  0x08        // the controller writes memory: a disk read
#define BM_ST_ERR    0x02        // status bits, cleared by writing 1
#define BM_ST_IRQ    0x04

#define DMA_VA       0x60000000ul                        // the buffer, then the PRD table
#define DMA_BUF_LEN  (ATA_MAX_COUNT * ATA_SECTOR)
#define DMA_LEN      (DMA_BUF_LEN + 4096)
#define PRD_MAX      (4096 / (int)sizeof(struct ata_prd))

#define IRQ_BIT      1ul
#define SPINS        4096        // polls before the bounded wait starts sleeping
#define T_CMD_MS     5000        // longest wait for BSY/DRQ around a command
#define T_RESET_MS   10000       // longest wait for the drive after a reset

static long irq_notif = -1;
static int dev_lba48;
static unsigned dev_mult;        // sectors per DRQ block; 0: single-sector commands
static const char *mult_why = "";
static unsigned bm;              // bus-master base port; 0: transfers go by PIO
static uint8_t *dma_buf;
static uint64_t dma_pa;
static struct ata_prd *prd;
static const char *dma_why = "";

static void dma_setup(const struct ata_ident *id, unsigned port);


static inline void insw(uint16_t port, void *buf, unsigned long words)
{
    __asm__ volatile("rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

static inline void outsw(uint16_t port, const void *buf, unsigned long words)
{
    __asm__ volatile("rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

// About 400 ns (four alternate-status reads): lets the drive update its
// status after a command or a data block.
static void delay400(void)
{
    for (int i = 0; i < 4; i++)
        inb(REG_ALT);
}

// Polls the alternate status until (status & mask) == want. Returns the
// status, or -1 after timeout_ms. Spins `spins` times (a command's BSY
// lasts microseconds), then sleeps 1 ms between looks. Blocks.
static int poll_status(uint8_t mask, uint8_t want, long timeout_ms, int spins)
{
    long deadline = sys_time() + timeout_ms * 1000000L;
    for (int i = 0;; i++) {
        uint8_t st = inb(REG_ALT);
        if ((st & mask) == want)
            return st;
        if (i < spins)
            continue;
        if (sys_time() > deadline)
            return -1;
        sys_sleep(1);
    }
}

// Software reset of the channel, then control = `ctrl`. Returns the
// status or -1 (floating bus, or still busy after T_RESET_MS). Blocks.
static int channel_reset(uint8_t ctrl)
{
    if (inb(REG_ALT) == 0xFF)
        return -1;                           // nothing drives the bus
    outb(REG_CTRL, CTRL_SRST | CTRL_NIEN);
    sys_sleep(1);                            // >= 5 us
    outb(REG_CTRL, CTRL_NIEN);
    sys_sleep(2);                            // >= 2 ms before BSY is valid
    int st = poll_status(ATA_ST_BSY, 0, T_RESET_MS, 0);     // a reset takes milliseconds
    outb(REG_CTRL, ctrl);
    return st;
}

// IDENTIFY DEVICE by polling (interrupts are off). Returns 0 with the 256
// words, or -1 if no ATA disk answered (absent, ATAPI, timed out).
static int identify(uint16_t id[256])
{
    outb(REG_DEVICE, DEV_MASTER);
    delay400();
    outb(REG_COUNT, 0);
    outb(REG_LBA_LO, 0);
    outb(REG_LBA_MID, 0);
    outb(REG_LBA_HI, 0);
    outb(REG_COMMAND, ATA_CMD_IDENTIFY);
    delay400();
    if (ata_classify(inb(REG_ALT), 0, 0) == ATA_KIND_NONE)
        return -1;
    int st = poll_status(ATA_ST_BSY, 0, T_CMD_MS, SPINS);
    if (st < 0 || ata_classify((uint8_t)st, inb(REG_LBA_MID), inb(REG_LBA_HI)) != ATA_KIND_ATA)
        return -1;
    if ((st & ATA_ST_ERR) || !(st & ATA_ST_DRQ))
        return -1;
    insw(REG_DATA, id, 256);
    inb(REG_STATUS);
    return 0;
}

// Waits (bounded) for the drive to be idle, then writes the task file and
// the command. Returns 0, or -1 if the drive stayed busy.
static int issue(uint8_t cmd, uint64_t lba, unsigned count)
{
    int ext = ata_command_is_ext(cmd);
    if (poll_status(ATA_ST_BSY | ATA_ST_DRQ, 0, T_CMD_MS, SPINS) < 0)
        return -1;                            // the master is always the one selected
    outb(REG_DEVICE, ext ? DEV_LBA : DEV_MASTER | DEV_LBA | ((lba >> 24) & 0x0F));
    if (ext) {                                // high-order bytes first
        outb(REG_COUNT, (uint8_t)(count >> 8));
        outb(REG_LBA_LO, (uint8_t)(lba >> 24));
        outb(REG_LBA_MID, (uint8_t)(lba >> 32));
        outb(REG_LBA_HI, (uint8_t)(lba >> 40));
    }
    outb(REG_COUNT, (uint8_t)count);          // 28-bit: 0 means 256
    outb(REG_LBA_LO, (uint8_t)lba);
    outb(REG_LBA_MID, (uint8_t)(lba >> 8));
    outb(REG_LBA_HI, (uint8_t)(lba >> 16));
    outb(REG_COMMAND, cmd);
    delay400();
    return 0;
}

// SET MULTIPLE MODE to `count` sectors per block, polled with interrupts
// off; control = `ctrl` afterwards. Returns 0, or -1 if the drive
// refused (ABRT) or did not answer (then the channel is reset).
static int set_multiple(unsigned count, uint8_t ctrl)
{
    int st = -1;
    outb(REG_CTRL, CTRL_NIEN);
    if (issue(ATA_CMD_SET_MULT, 0, count) == 0)
        st = poll_status(ATA_ST_BSY, 0, T_CMD_MS, SPINS);
    inb(REG_STATUS);                         // nothing left pending
    if (st < 0)
        channel_reset(CTRL_NIEN);
    outb(REG_CTRL, ctrl);
    return st < 0 || (st & (ATA_ST_ERR | ATA_ST_DF)) ? -1 : 0;
}

// Chooses and sets the multiple count at start-up (interrupts still off);
// `words` is a buffer for the IDENTIFY that confirms it. Returns the
// count, or 0 with mult_why saying why the single-sector commands are used.
static unsigned choose_multiple(const struct ata_ident *id, uint16_t words[256])
{
    struct ata_ident again;
    unsigned count = ata_multiple_count(id->mult_max);
    if (!count) {
        mult_why = "IDENTIFY word 47: no READ/WRITE MULTIPLE";
        return 0;
    }
    if (set_multiple(count, CTRL_NIEN) < 0) {
        mult_why = "SET MULTIPLE MODE refused";
        return 0;
    }
    if (identify(words) < 0 || ata_parse_identify(words, &again) < 0 ||
        (again.mult_current >= 0 && (unsigned)again.mult_current != count)) {
        mult_why = "IDENTIFY word 59 does not confirm the multiple count";
        return 0;
    }
    return count;
}

int ata_init(struct ata_ident *id, unsigned bm_port)
{
    static uint16_t words[256];
    if (sys_ioport_enable(ATA_H_PORTS) < 0 || sys_ioport_enable(ATA_H_CTRL) < 0) {
        printf("ata: cannot use the I/O ports\n");
        return -1;
    }
    irq_notif = sys_notif_create();
    if (irq_notif < 0 || sys_irq_bind(ATA_H_IRQ, irq_notif, (long)IRQ_BIT) < 0) {
        printf("ata: cannot bind IRQ 14\n");
        return -1;
    }
    if (channel_reset(CTRL_NIEN) < 0 || identify(words) < 0 || ata_parse_identify(words, id) < 0)
        return -1;
    dev_lba48 = id->lba48;
    dev_mult = choose_multiple(id, words);
    outb(REG_CTRL, 0);                       // nIEN clear: the drive interrupts
    dma_setup(id, bm_port);
    return 0;
}

unsigned ata_multiple(const char **why)
{
    *why = mult_why;
    return dev_mult;
}

// Blocks until the drive interrupted and is no longer busy; returns its
// status, or -1 if the wait itself failed. See the top of the file.
static int wait_irq(void)
{
    for (;;) {
        long bits = sys_irq_wait(ATA_H_IRQ);   // acks the last interrupt, waits
        uint8_t st = inb(REG_STATUS);           // the drive drops its request
        if (bits < 0)
            return -1;
        if (!(st & ATA_ST_BSY))
            return st;
    }
}

// Reports a failed step: *regs = status | error << 8. A drive left busy
// or wanting data (or a wait that timed out, st < 0) is reset so the next
// command finds it idle. Returns -1.
static int fail(uint32_t *regs, int st)
{
    uint8_t s = st >= 0 ? (uint8_t)st : inb(REG_ALT);
    *regs = s | (uint32_t)inb(REG_ERROR) << 8;
    if (st < 0 || (s & (ATA_ST_BSY | ATA_ST_DRQ))) {
        channel_reset(0);
        if (dev_mult && set_multiple(dev_mult, 0) < 0) {
            dev_mult = 0;
            mult_why = "SET MULTIPLE MODE refused after a channel reset";
            printf("ata: %s, one sector per interrupt from now on\n", mult_why);
        }
    }
    return -1;
}

// Sectors in the next DRQ block when `left` remain.
static unsigned block_sectors(unsigned left)
{
    unsigned per = dev_mult ? dev_mult : 1;
    return left < per ? left : per;
}

// True if a status read after an interrupt says the drive failed or
// does not offer the next data block.
static int bad_block_status(int st)
{
    return st < 0 || (st & (ATA_ST_ERR | ATA_ST_DF)) || !(st & ATA_ST_DRQ);
}

// True if the controller's PRD pointer and the table it points to aim at
// the DMA buffer alone. There is no IOMMU: a wrong physical address here
// (a bug, or a code fault injected into the driver) would let the
// controller write any memory, the kernel's too. So the table is checked
// apart from the code that built it, before each start.
static int aimed_at_buffer(void)
{
    uint64_t end = dma_pa + DMA_BUF_LEN;
    if (inl((uint16_t)(bm + BM_PRD)) != end)
        return 0;
    for (int i = 0; i < PRD_MAX; i++) {
        uint64_t len = prd[i].count ? prd[i].count : 0x10000;
        if (prd[i].addr < dma_pa || prd[i].addr + len > end)
            return 0;
        if (prd[i].flags & ATA_PRD_EOT)
            return 1;
    }
    return 0;
}

// One DMA transfer of count sectors at first, to (write 0) or from the
// DMA buffer. 0, or -1 with *regs as for ata_read (the channel reset if
// the drive was left busy).
static int dma_transfer(int write, uint64_t first, unsigned count, uint32_t *regs)
{
    uint8_t cmd = ata_dma_command(dev_lba48, write, first, count);
    uint8_t dir = write ? 0 : BM_CMD_READ;
    *regs = 0;
    if (!cmd || ata_prd_build(prd, PRD_MAX, dma_pa, (uint64_t)count * ATA_SECTOR) < 0)
        return -1;
    outl((uint16_t)(bm + BM_PRD), (uint32_t)(dma_pa + DMA_BUF_LEN));
    if (!aimed_at_buffer())
        return -1;
    outb((uint16_t)(bm + BM_CMD), dir);
    outb((uint16_t)(bm + BM_STATUS), BM_ST_ERR | BM_ST_IRQ);
    if (issue(cmd, first, count) < 0)
        return fail(regs, -1);
    outb((uint16_t)(bm + BM_CMD), dir | BM_CMD_START);
    int st = wait_irq();
    uint8_t bst = inb((uint16_t)(bm + BM_STATUS));
    outb((uint16_t)(bm + BM_CMD), dir);                   // stop
    outb((uint16_t)(bm + BM_STATUS), BM_ST_ERR | BM_ST_IRQ);
    if (st < 0 || (st & (ATA_ST_ERR | ATA_ST_DF | ATA_ST_DRQ)) || (bst & BM_ST_ERR)) {
        fail(regs, st);
        *regs |= (uint32_t)bst << 16;
        return -1;
    }
    return 0;
}

// After a failed DMA transfer: PIO from now on (the request is done again
// by PIO).
static void dma_off(const char *why, uint32_t regs)
{
    printf("ata: %s (status %x, error %x, bus master %x); PIO from now on\n", why, regs & 0xff,
           (regs >> 8) & 0xff, regs >> 16);
    dma_why = why;
    bm = 0;
}

// Sets up DMA through the bus-master ports at `port` (0: none granted).
// Leaves bm 0, with dma_why saying why, when it cannot be used.
static void dma_setup(const struct ata_ident *id, unsigned port)
{
    static uint8_t pio[ATA_SECTOR];
    uint32_t regs;
    long pa = -1;
    if (!port || !id->dma || sys_ioport_enable(ATA_H_BM) < 0) {
        dma_why = !port ? "no bus-master ports: none, or nodma" : !id->dma ? "IDENTIFY word 49: no DMA"
                                                          : "cannot use the bus-master ports";
        return;
    }
    outb((uint16_t)(port + BM_CMD), 0);                   // stopped, whatever came before
    outb((uint16_t)(port + BM_STATUS), BM_ST_ERR | BM_ST_IRQ);
    struct msg m = { TAG(SVC_BUSMASTER, 0), 0, 0, 0, 0, 0 };
    if ((pa = sys_dma_alloc(ATA_H_DMA, (long)DMA_VA, (long)DMA_LEN)) < 0 ||
        ipc_call(ATA_H_SUPERVISOR, &m, NULL) < 0 || m.w0) {
        dma_why = pa < 0 ? "no DMA memory" : "init did not turn bus mastering on";
        return;
    }
    dma_buf = (uint8_t *)DMA_VA;
    dma_pa = (uint64_t)pa;
    prd = (struct ata_prd *)(DMA_VA + DMA_BUF_LEN);
    bm = port;
    if (ata_read(0, 1, pio, &regs) < 0 || dma_transfer(0, 0, 1, &regs) < 0 ||
        memcmp(pio, dma_buf, ATA_SECTOR)) {
        bm = 0;
        dma_why = "sector 0 by DMA differs from PIO";
    }
}

void *ata_dma_buffer(const char **why)
{
    *why = dma_why;
    return bm ? dma_buf : NULL;
}

unsigned ata_dma_port(void) { return bm; }

// PIO data-in: the drive interrupts before each block (one sector, or
// up to dev_mult with READ MULTIPLE).
int ata_read(uint64_t first, unsigned count, void *buf, uint32_t *regs)
{
    if (bm && buf == dma_buf) {
        if (dma_transfer(0, first, count, regs) == 0)
            return 0;
        dma_off("DMA read failed", *regs);
    }
    uint8_t cmd = ata_rw_command(dev_lba48, 0, first, count, dev_mult != 0);
    *regs = 0;
    if (!cmd)
        return -1;                            // not addressable (checked by the caller)
    if (issue(cmd, first, count) < 0)
        return fail(regs, -1);
    for (unsigned done = 0, n; done < count; done += n) {
        n = block_sectors(count - done);
        int st = wait_irq();
        if (bad_block_status(st))
            return fail(regs, st);
        insw(REG_DATA, (uint8_t *)buf + (size_t)done * ATA_SECTOR, n * ATA_SECTOR / 2);
    }
    delay400();
    int st = inb(REG_ALT);
    return st & (ATA_ST_ERR | ATA_ST_DF) ? fail(regs, st) : 0;
}

// PIO data-out: the first block (one sector, or up to dev_mult with WRITE
// MULTIPLE) goes as soon as DRQ is up (no interrupt); the drive
// interrupts after each block, the last one meaning done.
int ata_write(uint64_t first, unsigned count, const void *buf, uint32_t *regs)
{
    if (bm && buf == dma_buf) {
        if (dma_transfer(1, first, count, regs) == 0)
            return ata_flush(regs);
        dma_off("DMA write failed", *regs);
    }
    uint8_t cmd = ata_rw_command(dev_lba48, 1, first, count, dev_mult != 0);
    *regs = 0;
    if (!cmd)
        return -1;                            // not addressable (checked by the caller)
    if (issue(cmd, first, count) < 0)
        return fail(regs, -1);
    int st = poll_status(ATA_ST_BSY, 0, T_CMD_MS, SPINS);
    for (unsigned done = 0, n; done < count; done += n) {
        n = block_sectors(count - done);
        if (bad_block_status(st))
            return fail(regs, st);
        outsw(REG_DATA, (const uint8_t *)buf + (size_t)done * ATA_SECTOR, n * ATA_SECTOR / 2);
        delay400();
        st = wait_irq();
    }
    if (st < 0 || (st & (ATA_ST_ERR | ATA_ST_DF | ATA_ST_DRQ)))
        return fail(regs, st);
    return ata_flush(regs);
}

// FLUSH CACHE (EXT): returns once the drive's write cache is on the medium.
int ata_flush(uint32_t *regs)
{
    if (issue(dev_lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH, 0, 0) < 0)
        return fail(regs, -1);
    int st = wait_irq();
    if (st < 0 || (st & (ATA_ST_ERR | ATA_ST_DF)))
        return fail(regs, st);
    return 0;
}
