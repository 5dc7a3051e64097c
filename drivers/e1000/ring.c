// The pure parts of the e1000 driver: ring index arithmetic and the checks
// of what the device wrote into a receive descriptor. Host-tested.
#include "e1000.h"
#include "nic_proto.h"

uint32_t ring_advance(uint32_t i, uint32_t n) { return i + 1 >= n ? 0 : i + 1; }

uint32_t ring_used(const struct ring *r)
{
    return r->tail >= r->next ? r->tail - r->next : r->n - r->next + r->tail;
}

uint32_t ring_free(const struct ring *r) { return r->n - 1 - ring_used(r); }

int rx_frame_len(const struct e1000_rx_desc *d, uint32_t buf)
{
    uint32_t max = buf < NIC_FRAME_MAX ? buf : NIC_FRAME_MAX;
    if (!(d->status & RXD_DD) || !(d->status & RXD_EOP) || d->errors)
        return -1;
    if (d->length < NIC_FRAME_MIN || d->length > max)
        return -1;
    return d->length;
}

int mac_from_ra(uint32_t ral, uint32_t rah, uint8_t mac[6])
{
    if (!(rah & (1u << 31)))
        return -1;
    for (int i = 0; i < 4; i++)
        mac[i] = (uint8_t)(ral >> (8 * i));
    mac[4] = (uint8_t)rah;
    mac[5] = (uint8_t)(rah >> 8);
    return 0;
}
