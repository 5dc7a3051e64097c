// Host tests of the NIC protocol's batch encoding (libc/proto/nic_proto.h):
// frames in and out, the limits, and malformed batches.
#include <stdint.h>
#include "check.h"
#include "nic_proto.h"

static uint8_t frame[NIC_FRAME_MAX + 10];

static void fill(uint32_t len, uint8_t seed)
{
    for (uint32_t i = 0; i < len; i++)
        frame[i] = (uint8_t)(seed + i * 3);
}

TEST(round_trip_odd_and_even_lengths)
{
    static uint8_t buf[8192];
    uint32_t used = 0, lens[] = { 14, 15, 60, 61, NIC_FRAME_MAX, 99 };
    for (int i = 0; i < 6; i++) {
        fill(lens[i], (uint8_t)i);
        CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, lens[i]), 0);
    }
    uint32_t pos = 0;
    const uint8_t *f;
    for (int i = 0; i < 6; i++) {
        fill(lens[i], (uint8_t)i);
        CHECK_EQ(nic_batch_next(buf, used, &pos, &f), (int)lens[i]);
        CHECK(!memcmp(f, frame, lens[i]));
        CHECK_EQ((uintptr_t)(f - buf) % 2, 0);                  // records start even
    }
    CHECK_EQ(nic_batch_next(buf, used, &pos, &f), 0);
}

TEST(put_limits)
{
    static uint8_t buf[100];
    uint32_t used = 0;
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, NIC_FRAME_MIN - 1), -1);
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, NIC_FRAME_MAX + 1), -1);
    CHECK_EQ(used, 0);
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 97), 0);     // 2 + 97 = 99
    CHECK_EQ(used, 99);
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 14), -1);    // no room left
    CHECK_EQ(used, 99);
    used = 0;
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 99), -1);    // 101 > 100
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 98), 0);     // exactly full
    CHECK_EQ(used, 100);
    used = 101;                                                          // past the end
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 14), -1);
}

TEST(empty_batch)
{
    uint8_t buf[4] = { 0 };
    uint32_t pos = 0;
    const uint8_t *f;
    CHECK_EQ(nic_batch_next(buf, 0, &pos, &f), 0);
}

TEST(malformed_batches)
{
    uint8_t buf[64] = { 0 };
    uint32_t pos = 0;
    const uint8_t *f;
    CHECK_EQ(nic_batch_next(buf, 1, &pos, &f), -1);           // half a length
    buf[0] = 13;                                               // runt
    pos = 0;
    CHECK_EQ(nic_batch_next(buf, 64, &pos, &f), -1);
    buf[0] = 0;                                                // zero length
    pos = 0;
    CHECK_EQ(nic_batch_next(buf, 64, &pos, &f), -1);
    buf[0] = 63;                                               // longer than the batch
    pos = 0;
    CHECK_EQ(nic_batch_next(buf, 64, &pos, &f), -1);
    buf[0] = 0xff;                                             // over NIC_FRAME_MAX
    buf[1] = 0xff;
    pos = 0;
    CHECK_EQ(nic_batch_next(buf, 64, &pos, &f), -1);
    buf[0] = 20;                                               // good, then a stray byte
    buf[1] = 0;
    pos = 0;
    CHECK_EQ(nic_batch_next(buf, 23, &pos, &f), 20);
    CHECK_EQ(nic_batch_next(buf, 23, &pos, &f), -1);
    pos = 0;
    CHECK_EQ(nic_batch_next(buf, 21, &pos, &f), -1);          // frame cut short
}

TEST(truncated_second_record)
{
    static uint8_t buf[256];
    uint32_t used = 0, pos = 0;
    const uint8_t *f;
    fill(40, 1);
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 40), 0);
    CHECK_EQ(nic_batch_put(buf, sizeof(buf), &used, frame, 40), 0);
    CHECK_EQ(nic_batch_next(buf, used - 1, &pos, &f), 40);
    CHECK_EQ(nic_batch_next(buf, used - 1, &pos, &f), -1);    // cut short
}
