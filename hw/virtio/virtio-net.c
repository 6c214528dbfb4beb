/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net: see include/hw/virtio/virtio-net.h.
 */
#include "qemu/osdep.h"
#include <linux/virtio_net.h>
#include "hw/virtio/virtio-net.h"

/* The configuration space: mac, status, max_virtqueue_pairs. */
#define VIRTIO_NET_CONFIG_SIZE  offsetof(struct virtio_net_config, mtu)

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = vdev->opaque;
    struct virtio_net_config c = { 0 };

    memcpy(c.mac, n->mac, sizeof(c.mac));
    c.status = GUINT16_TO_LE(VIRTIO_NET_S_LINK_UP);
    c.max_virtqueue_pairs = GUINT16_TO_LE(1);
    memcpy(config, &c, VIRTIO_NET_CONFIG_SIZE);
}

/*
 * A frame from the network (backend thread): into the next receive
 * buffer, behind a zeroed header with num_buffers 1.  False when the
 * guest has posted none (the backend keeps the frame for a while).
 */
static bool virtio_net_receive(void *opaque, const uint8_t *frame,
                               size_t len)
{
    VirtIONet *n = opaque;
    VirtqChain *c = n->rx_chain;
    struct virtio_net_hdr_v1 hdr = { .num_buffers = GUINT16_TO_LE(1) };
    unsigned gen;

    if (len > VIRTIO_NET_MAX_FRAME) {
        return true;                /* no guest could take it: dropped */
    }
    if (virtio_queue_pop(&n->vdev, VIRTIO_NET_RXQ, c, &gen) !=
        VIRTQ_POP_OK) {
        return false;
    }
    if (c->in_len < VIRTIO_NET_HDR_LEN) {
        virtio_error(&n->vdev, "virtio-net '%s': a receive buffer of %"
                     PRIu64 " bytes cannot hold the %d-byte header", n->id,
                     c->in_len, VIRTIO_NET_HDR_LEN);
        return true;
    }
    memcpy(n->rx_buf, &hdr, VIRTIO_NET_HDR_LEN);
    if (c->in_len - VIRTIO_NET_HDR_LEN < len) {
        guest_error("virtio-net '%s': a %zu-byte frame does not fit a %"
                    PRIu64 "-byte receive buffer; dropped", n->id, len,
                    c->in_len);
        len = 0;                    /* the header alone: the guest drops it */
    }
    memcpy(n->rx_buf + VIRTIO_NET_HDR_LEN, frame, len);
    virtio_queue_complete(&n->vdev, VIRTIO_NET_RXQ, gen, c, n->rx_buf,
                          VIRTIO_NET_HDR_LEN + len);
    return true;
}

/*
 * The frames the guest queued, to the backend (backend thread); after a
 * queue's worth the rest waits for the next round, so that a guest that
 * keeps the queue full cannot keep the thread from its sockets.
 */
static void virtio_net_transmit(VirtIONet *n)
{
    VirtqChain *c = n->tx_chain;
    unsigned gen, done = 0;

    while (virtio_queue_pop(&n->vdev, VIRTIO_NET_TXQ, c, &gen) ==
           VIRTQ_POP_OK) {
        uint64_t len = c->out_len;

        if (len < VIRTIO_NET_HDR_LEN) {
            virtio_error(&n->vdev, "virtio-net '%s': a transmit request of "
                         "%" PRIu64 " bytes, shorter than the %d-byte "
                         "header", n->id, len, VIRTIO_NET_HDR_LEN);
            return;
        }
        len -= VIRTIO_NET_HDR_LEN;
        if (len > VIRTIO_NET_MAX_FRAME) {
            guest_error("virtio-net '%s': a %" PRIu64 "-byte frame, more "
                        "than %d; dropped", n->id, len, VIRTIO_NET_MAX_FRAME);
        } else if (n->nc && len &&
                   virtio_chain_read(c, VIRTIO_NET_HDR_LEN, n->tx_buf, len)) {
            net_client_send(n->nc, n->tx_buf, len);
        }
        virtio_queue_complete(&n->vdev, VIRTIO_NET_TXQ, gen, c, NULL, 0);
        if (++done == VIRTIO_NET_QUEUE_SIZE) {
            g_atomic_int_set(&n->kick_tx, 1);
            g_source_set_ready_time(n->kick, 0);
            return;
        }
    }
}

static gboolean virtio_net_kicked(GSource *src, GSourceFunc cb,
                                  gpointer opaque)
{
    VirtIONet *n = *(VirtIONet **)(src + 1);

    g_source_set_ready_time(src, -1);
    if (g_atomic_int_exchange(&n->kick_tx, 0)) {
        virtio_net_transmit(n);
    }
    if (g_atomic_int_exchange(&n->kick_rx, 0) && n->nc) {
        net_client_flush_queued(n->nc);
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs virtio_net_kick_funcs = {
    .dispatch = virtio_net_kicked,
};

/*
 * The driver kicked a queue: the work runs on the backend's thread
 * (where the transport's ioeventfd already calls this, or woken from a
 * vCPU's MMIO write); a vCPU never does network work.
 */
static void virtio_net_queue_notify(VirtIODevice *vdev, unsigned q)
{
    VirtIONet *n = vdev->opaque;

    g_atomic_int_set(q == VIRTIO_NET_TXQ ? &n->kick_tx : &n->kick_rx, 1);
    g_source_set_ready_time(n->kick, 0);
}

static GMainContext *virtio_net_notify_context(VirtIODevice *vdev)
{
    VirtIONet *n = vdev->opaque;

    return n->nc ? net_client_context(n->nc) : NULL;
}

static const VirtioDeviceOps virtio_net_ops = {
    .device_id = VIRTIO_ID_NET,
    .num_queues = 2,
    .queue_max_size = VIRTIO_NET_QUEUE_SIZE,
    .config_size = VIRTIO_NET_CONFIG_SIZE,
    .device_features = (1ULL << VIRTIO_NET_F_MAC) |
                       (1ULL << VIRTIO_NET_F_STATUS),
    .get_config = virtio_net_get_config,
    .queue_notify = virtio_net_queue_notify,
    .notify_context = virtio_net_notify_context,
};

bool virtio_net_realize(VirtIONet *n, const char *id, bool indirect_desc,
                        bool event_idx, bool ring_reset, Error **errp)
{
    NetPeer peer = { .receive = virtio_net_receive, .opaque = n };

    if (n->mac_str) {
        if (!net_parse_mac(n->mac_str, n->mac)) {
            error_setg(errp, "Property 'virtio-net-device.mac' doesn't take "
                       "value '%s'", n->mac_str);
            return false;
        }
    }
    if (n->netdev) {
        n->nc = net_client_find(n->netdev);
        if (!n->nc) {
            error_setg(errp, "Property 'virtio-net-device.netdev' can't find "
                       "value '%s'", n->netdev);
            return false;
        }
        if (net_client_in_use(n->nc)) {
            error_setg(errp, "Property 'virtio-net-device.netdev' can't take "
                       "value '%s', it's in use", n->netdev);
            n->nc = NULL;
            return false;
        }
    }
    if (!n->mac_str) {
        net_default_mac(n->mac);
    }
    n->id = id ? id : "(anonymous)";
    n->rx_chain = g_new(VirtqChain, 1);
    n->tx_chain = g_new(VirtqChain, 1);
    n->rx_buf = g_malloc(VIRTIO_NET_HDR_LEN + VIRTIO_NET_MAX_FRAME);
    n->tx_buf = g_malloc(VIRTIO_NET_MAX_FRAME);
    n->kick = g_source_new(&virtio_net_kick_funcs,
                           sizeof(GSource) + sizeof(VirtIONet *));
    *(VirtIONet **)(n->kick + 1) = n;
    g_source_attach(n->kick, n->nc ? net_client_context(n->nc) : NULL);
    virtio_init(&n->vdev, &virtio_net_ops, n, indirect_desc, event_idx,
                ring_reset);
    if (n->nc) {
        net_client_attach(n->nc, &peer);
    }
    return true;
}

static void virtio_net_stop_kicks(void *opaque)
{
    VirtIONet *n = opaque;

    g_source_destroy(n->kick);
}

void virtio_net_unrealize(VirtIONet *n)
{
    if (n->nc) {
        /* Nothing of the backend's thread calls the device afterwards. */
        net_client_detach(n->nc);
        net_client_run_sync(n->nc, virtio_net_stop_kicks, n);
    } else {
        g_source_destroy(n->kick);
    }
    g_source_unref(n->kick);
    g_free(n->rx_chain);
    g_free(n->tx_chain);
    g_free(n->rx_buf);
    g_free(n->tx_buf);
    n->kick = NULL;
    n->rx_chain = n->tx_chain = NULL;
    n->rx_buf = n->tx_buf = NULL;
    n->nc = NULL;
}
