/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio device core (virtio 1.2 §2, §3), knowing no transport:
 * device status and feature negotiation, the device's configuration
 * space, its split virtqueues (hw/virtio/virtqueue.c) and interrupts,
 * which a transport (hw/virtio/virtio-pci.c) turns into MSI-X or INTx.
 * kvmtool's virtio/core.c + include/kvm/virtio.h split, in our words.
 *
 * A device model fills a VirtioDeviceOps; the transport calls the
 * virtio_*() setters for what the driver writes.  Queue notifications
 * (a driver's kick) reach ops->queue_notify on whatever thread the
 * transport saw them (a vCPU, or for an ioeventfd the main loop or the
 * device's own context, ops->notify_context); a device may answer
 * requests from any thread (a flush thread): everything here is behind
 * the device's lock.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include "hw/virtio/virtqueue.h"

#define VIRTIO_QUEUE_MAX        8
#define VIRTIO_NO_VECTOR        0xFFFF
/* ISR status bits (virtio 1.2 §4.1.4.5). */
#define VIRTIO_ISR_QUEUE        0x1
#define VIRTIO_ISR_CONFIG       0x2

typedef struct VirtIODevice VirtIODevice;

typedef struct VirtioDeviceOps {
    uint16_t device_id;             /* virtio 1.2 §5 */
    unsigned num_queues;
    uint16_t queue_max_size;
    unsigned config_size;
    uint64_t device_features;       /* device-specific bits (below 24) */
    /* Fill @config (config_size bytes, little-endian). */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    /* The driver notified queue @q; called without the device lock. */
    void (*queue_notify)(VirtIODevice *vdev, unsigned q);
    /* Back to the power-on state (driver wrote status 0); device lock
     * not held; pending work must not touch the queues afterwards. */
    void (*reset)(VirtIODevice *vdev);
    /*
     * Optional: the context in which the transport runs queue_notify for
     * notifications it gets through an ioeventfd (a thread of the
     * device's, which may block there); absent or NULL: the main loop.
     */
    GMainContext *(*notify_context)(VirtIODevice *vdev);
} VirtioDeviceOps;

/* What the transport does for the core: send an interrupt. */
typedef struct VirtioTransportOps {
    /* Raise @vector (VIRTIO_NO_VECTOR: the transport's INTx). */
    void (*notify)(void *opaque, uint16_t vector);
} VirtioTransportOps;

typedef struct VirtQueue {
    VirtQueueState st;
    uint16_t size;                  /* as the driver set it */
    uint16_t vector;
    bool enabled;
} VirtQueue;

struct VirtIODevice {
    const VirtioDeviceOps *ops;
    void *opaque;                   /* the device model */
    const VirtioTransportOps *transport;
    void *transport_opaque;
    GMutex lock;
    uint64_t host_features;         /* offered */
    uint64_t guest_features;        /* accepted */
    uint8_t status;
    uint8_t isr;
    uint8_t config_generation;
    uint16_t config_vector;
    bool broken;                    /* NEEDS_RESET was set */
    unsigned generation;            /* bumped by every reset */
    VirtQueue vq[VIRTIO_QUEUE_MAX];
};

/*
 * @vdev becomes a device: the offered features are the device's plus
 * VERSION_1 and, per the transport's properties, INDIRECT_DESC and
 * EVENT_IDX (QEMU's virtio-pci offers RING_RESET too: @ring_reset).
 */
void virtio_init(VirtIODevice *vdev, const VirtioDeviceOps *ops,
                 void *opaque, bool indirect_desc, bool event_idx,
                 bool ring_reset);
void virtio_bind_transport(VirtIODevice *vdev, const VirtioTransportOps *t,
                           void *opaque);
/* Where ioeventfd notifications for @vdev go (ops->notify_context). */
GMainContext *virtio_notify_context(VirtIODevice *vdev);

/* ---- The transport's calls, for what the driver reads and writes ---- */

void virtio_set_status(VirtIODevice *vdev, uint8_t status);
uint8_t virtio_get_status(VirtIODevice *vdev);
/* The driver's features, 32 bits at a time (@hi: bits 63:32). */
void virtio_set_driver_features(VirtIODevice *vdev, bool hi, uint32_t val);
uint32_t virtio_get_driver_features(VirtIODevice *vdev, bool hi);
uint32_t virtio_get_device_features(VirtIODevice *vdev, bool hi);
/* Copy of the config space; reads past it are all ones (as QEMU). */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t off, unsigned len);
/* Read and clear the ISR (the transport lowers INTx). */
uint8_t virtio_isr_read_clear(VirtIODevice *vdev);

/* Queue registers; @q is the driver's queue_select. */
uint16_t virtio_queue_get_size(VirtIODevice *vdev, unsigned q);
void virtio_queue_set_size(VirtIODevice *vdev, unsigned q, uint16_t size);
void virtio_queue_set_addr(VirtIODevice *vdev, unsigned q, int which,
                           uint64_t addr);
uint64_t virtio_queue_get_addr(VirtIODevice *vdev, unsigned q, int which);
void virtio_queue_set_vector(VirtIODevice *vdev, unsigned q, uint16_t v);
uint16_t virtio_queue_get_vector(VirtIODevice *vdev, unsigned q);
void virtio_queue_set_enabled(VirtIODevice *vdev, unsigned q, bool on);
bool virtio_queue_get_enabled(VirtIODevice *vdev, unsigned q);
/* VIRTIO_F_RING_RESET: the queue's state back to zero, disabled. */
void virtio_queue_reset(VirtIODevice *vdev, unsigned q);
/* The driver kicked @q (transport: an MMIO write or an ioeventfd). */
void virtio_queue_notify(VirtIODevice *vdev, unsigned q);

#define VIRTIO_QUEUE_DESC       0
#define VIRTIO_QUEUE_AVAIL      1
#define VIRTIO_QUEUE_USED       2

/* ---- The device model's calls ---- */

/*
 * Take the next request of @q into @chain (VIRTQ_POP_OK), or none; a
 * malformed ring breaks the device (NEEDS_RESET, the driver is told).
 * *@gen is the reset generation the request belongs to.
 */
VirtqPopResult virtio_queue_pop(VirtIODevice *vdev, unsigned q,
                                VirtqChain *chain, unsigned *gen);
/*
 * Answer a popped request: @resp (@len bytes) into its writable buffers,
 * the used ring, an interrupt if the driver wants one.  Dropped, writing
 * nothing, if the device was reset since the pop (generation @gen): the
 * driver may have reused that memory.  Any thread.
 */
void virtio_queue_complete(VirtIODevice *vdev, unsigned q, unsigned gen,
                           const VirtqChain *chain, const void *resp,
                           uint32_t len);
/* Copy from the readable buffers of a chain; false if short. */
bool virtio_chain_read(const VirtqChain *c, uint64_t off, void *buf,
                       uint64_t len);
/*
 * The guest broke the rules: log it (rate-limited guest error), set
 * NEEDS_RESET and tell the driver; the device answers nothing until the
 * driver resets it.  Nothing else happens to pmemvm.
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

#endif
