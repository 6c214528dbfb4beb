/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net (virtio 1.2 §5.1): an Ethernet NIC with a receive queue (0)
 * and a transmit queue (1), its MAC address and link status in the
 * configuration space (VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS; nothing
 * else is offered: no checksum or segmentation offload, no merged
 * receive buffers, no control queue, one queue pair).  Every frame
 * carries the 12-byte struct virtio_net_hdr_v1 (VIRTIO_F_VERSION_1).
 *
 * Frames go to and come from a network backend (include/net/net.h, the
 * "netdev" property); the queue work runs on that backend's thread.
 * Without a netdev the NIC's frames go nowhere, as QEMU's.  Bad guest
 * input: a transmit request without the header, or a receive buffer that
 * cannot hold it, breaks the device (NEEDS_RESET); a frame bigger than
 * the receive buffer is dropped (the guest gets a header alone and drops
 * it); nothing reaches pmemvm beyond a rate-limited guest error.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "net/net.h"

#define VIRTIO_ID_NET                   1
#define VIRTIO_NET_PROP_NETDEV          "netdev"
#define VIRTIO_NET_PROP_MAC             "mac"
#define VIRTIO_NET_QUEUE_SIZE           256     /* QEMU's rx/tx default */
#define VIRTIO_NET_RXQ                  0
#define VIRTIO_NET_TXQ                  1
/* struct virtio_net_hdr_v1 (§5.1.6, with VERSION_1 always 12 bytes). */
#define VIRTIO_NET_HDR_LEN              12
/* The largest frame taken from the guest: 64 KiB, as QEMU's limit. */
#define VIRTIO_NET_MAX_FRAME            65536

typedef struct VirtIONet {
    VirtIODevice vdev;
    /* properties */
    char *netdev;
    char *mac_str;
    /* state */
    const char *id;                 /* for messages */
    uint8_t mac[NET_ETH_ALEN];
    NetClient *nc;                  /* NULL: no backend */
    GSource *kick;                  /* on the backend's thread */
    gint kick_rx, kick_tx;          /* atomic: kicks to serve */
    /*
     * Each queue its own: sending a frame can make the backend answer at
     * once, so a receive runs while a transmit is under way.
     */
    VirtqChain *rx_chain, *tx_chain;
    uint8_t *rx_buf, *tx_buf;       /* a frame with its header */
} VirtIONet;

/* Resolve netdev and mac (QEMU's messages); the device then offers
 * virtio-net with these transport features. */
bool virtio_net_realize(VirtIONet *n, const char *id, bool indirect_desc,
                        bool event_idx, bool ring_reset, Error **errp);
void virtio_net_unrealize(VirtIONet *n);

#endif
