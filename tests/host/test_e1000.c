// Host tests of the e1000 driver's pure parts (drivers/e1000/ring.c): ring
// index arithmetic, the checks of received descriptors, the MAC from the
// receive-address registers.
#include <stdint.h>
#include "check.h"
#include "../../drivers/e1000/ring.c"

TEST(advance_wraps)
{
    CHECK_EQ(ring_advance(0, 32), 1);
    CHECK_EQ(ring_advance(30, 32), 31);
    CHECK_EQ(ring_advance(31, 32), 0);
    CHECK_EQ(ring_advance(40, 32), 0);            // out of range: back to the start
}

TEST(used_and_free)
{
    struct ring r = { 32, 0, 0 };
    CHECK_EQ(ring_used(&r), 0);
    CHECK_EQ(ring_free(&r), 31);                  // one slot always left empty
    r.tail = 31;
    CHECK_EQ(ring_used(&r), 31);
    CHECK_EQ(ring_free(&r), 0);
    r = (struct ring){ 32, 30, 2 };               // wrapped
    CHECK_EQ(ring_used(&r), 4);
    CHECK_EQ(ring_free(&r), 27);
    r = (struct ring){ 32, 5, 4 };                // full, wrapped
    CHECK_EQ(ring_used(&r), 31);
    CHECK_EQ(ring_free(&r), 0);
}

TEST(fill_and_drain_all_positions)
{
    struct ring r = { 8, 0, 0 };
    for (int round = 0; round < 20; round++) {
        int queued = 0;
        while (ring_free(&r)) {
            r.tail = ring_advance(r.tail, r.n);
            queued++;
        }
        CHECK_EQ(queued, 7);
        CHECK_EQ(ring_used(&r), 7);
        for (int i = 0; i < 3 + round % 4; i++)
            r.next = ring_advance(r.next, r.n);
        CHECK_EQ(ring_used(&r), 7 - (3 + round % 4));
        while (ring_used(&r))
            r.next = ring_advance(r.next, r.n);
        CHECK_EQ(r.next, r.tail);
    }
}

static struct e1000_rx_desc rxd(uint16_t len, uint8_t status, uint8_t errors)
{
    return (struct e1000_rx_desc){ .length = len, .status = status, .errors = errors };
}

TEST(rx_good_frames)
{
    struct e1000_rx_desc d = rxd(60, RXD_DD | RXD_EOP, 0);
    CHECK_EQ(rx_frame_len(&d, 2048), 60);
    d = rxd(NIC_FRAME_MIN, RXD_DD | RXD_EOP, 0);
    CHECK_EQ(rx_frame_len(&d, 2048), NIC_FRAME_MIN);
    d = rxd(NIC_FRAME_MAX, RXD_DD | RXD_EOP, 0);
    CHECK_EQ(rx_frame_len(&d, 2048), NIC_FRAME_MAX);
}

TEST(rx_bad_frames_dropped)
{
    struct e1000_rx_desc d = rxd(60, RXD_EOP, 0);           // not done
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(60, RXD_DD, 0);                                 // no end of packet
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(60, RXD_DD | RXD_EOP, 0x80);                    // receive error
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(NIC_FRAME_MIN - 1, RXD_DD | RXD_EOP, 0);        // runt
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(0, RXD_DD | RXD_EOP, 0);
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(NIC_FRAME_MAX + 1, RXD_DD | RXD_EOP, 0);        // too long
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(0xffff, RXD_DD | RXD_EOP, 0);                   // beyond the buffer
    CHECK_EQ(rx_frame_len(&d, 2048), -1);
    d = rxd(1000, RXD_DD | RXD_EOP, 0);                     // a small buffer bounds it
    CHECK_EQ(rx_frame_len(&d, 512), -1);
}

TEST(mac_from_ra)
{
    uint8_t mac[6];
    CHECK_EQ(mac_from_ra(0x12005452, 0x80005634, mac), 0);
    CHECK(!memcmp(mac, "\x52\x54\x00\x12\x34\x56", 6));
    CHECK_EQ(mac_from_ra(0x12005452, 0x00005634, mac), -1);  // address not valid
}

