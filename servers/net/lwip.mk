# lwIP 2.1.3 for the net server, from Debian's source package `lwip`
# (fetched by tools/fetch-lwip.sh into $(BUILD)/lwip/src), compiled with
# the newlib programs' flags and servers/net's lwipopts.h and arch/cc.h.
# Included by the top Makefile after NCFLAGS is defined.
#
# LWIP_SRC    the unpacked sources
# LWIP_STAMP  depend on it (order-only for objects) to have them fetched
# LWIP_LIB    the library, $(BUILD)/liblwip.a

LWIP_SRC   := $(BUILD)/lwip/src
LWIP_STAMP := $(BUILD)/lwip/.stamp
LWIP_LIB   := $(BUILD)/liblwip.a
LWIP_INC    = -Iservers/net -I$(LWIP_SRC)/include
# The parts NO_SYS=1 with IPv4, TCP, UDP, DHCP and Ethernet uses.
LWIP_NAMES := core/init core/def core/inet_chksum core/ip core/mem core/memp core/netif \
              core/pbuf core/raw core/stats core/sys core/tcp core/tcp_in core/tcp_out \
              core/timeouts core/udp core/ipv4/dhcp core/ipv4/etharp core/ipv4/icmp \
              core/ipv4/ip4 core/ipv4/ip4_addr core/ipv4/ip4_frag netif/ethernet
LWIP_OBJ   := $(LWIP_NAMES:%=$(BUILD)/lwip/obj/%.o)
# lwIP's own code is not held to this system's -Werror.
LWIP_CFLAGS = $(filter-out -Werror,$(NCFLAGS)) $(LWIP_INC)

$(LWIP_STAMP): tools/fetch-lwip.sh | deps
	sh tools/fetch-lwip.sh $(BUILD)/lwip

$(BUILD)/lwip/obj/%.o: $(LWIP_STAMP) servers/net/lwipopts.h servers/net/arch/cc.h | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LWIP_CFLAGS) -c $(LWIP_SRC)/$*.c -o $@

$(LWIP_LIB): $(LWIP_OBJ)
	rm -f $@ && ar rcs $@ $^

# The same lwIP and configuration built for the host, for
# tests/host/test_lwip.c (two interfaces back to back in one process).
LWIP_HOST_OBJ := $(LWIP_NAMES:%=$(BUILD)/host/lwip/%.o)
LWIP_HOST_CFLAGS = -O1 -g -fsanitize=address,undefined $(LWIP_INC)

$(BUILD)/host/lwip/%.o: $(LWIP_STAMP) servers/net/lwipopts.h servers/net/arch/cc.h
	@mkdir -p $(dir $@)
	$(CC) $(LWIP_HOST_CFLAGS) -c $(LWIP_SRC)/$*.c -o $@

$(BUILD)/host/test_lwip: tests/host/test_lwip.c tests/host/check.h $(LWIP_HOST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(LWIP_HOST_CFLAGS) -Itests/host $< $(LWIP_HOST_OBJ) -o $@
