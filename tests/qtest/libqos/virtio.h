/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A virtio-pci modern device from a qtest, as a guest driver would use it
 * (QEMU's libqos/virtio.h and virtio-pci-modern.c, small): find the
 * capabilities, map the BAR where the VMM did not, negotiate features,
 * set up a split virtqueue in guest RAM, queue buffers, kick, and wait
 * for the answer.  Works against pmemvm and QEMU 7.2 alike.
 */
#ifndef LIBQOS_VIRTIO_H
#define LIBQOS_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include "../libqtest.h"

typedef struct QVirtioDev {
    QTestState *qts;
    int devfn;
    uint64_t common, isr, device, notify;   /* guest addresses */
    uint32_t notify_mult;
} QVirtioDev;

typedef struct QVirtQueue {
    QVirtioDev *dev;
    unsigned index;
    uint16_t size;
    uint64_t desc, avail, used;
    uint16_t avail_idx;                     /* next avail entry we fill */
    uint16_t last_used;                     /* next used entry we read */
    uint16_t next_desc;                     /* descriptors used so far */
} QVirtQueue;

typedef struct QVirtioBuf {
    uint64_t gpa;
    uint32_t len;
    bool write;                             /* device-writable */
} QVirtioBuf;

/*
 * The device at @devfn: its capabilities, with BAR 4 mapped at
 * @bar_base if nobody mapped it (QEMU under qtest has no firmware either).
 */
void qvirtio_init(QVirtioDev *v, QTestState *qts, int devfn,
                  uint64_t bar_base);
uint8_t qvirtio_get_status(QVirtioDev *v);
void qvirtio_set_status(QVirtioDev *v, uint8_t status);
uint64_t qvirtio_device_features(QVirtioDev *v);
/* Reset, ACKNOWLEDGE | DRIVER, accept @features, FEATURES_OK; the status
 * read back (FEATURES_OK is there only if the device agreed). */
uint8_t qvirtio_negotiate(QVirtioDev *v, uint64_t features);
uint32_t qvirtio_config_readl(QVirtioDev *v, unsigned off);
uint64_t qvirtio_config_readq(QVirtioDev *v, unsigned off);
uint8_t qvirtio_isr(QVirtioDev *v);
/* Wait (up to @timeout_us) for @bits in the device status: true if set
 * (a device may take a request, and find it broken, on its own thread). */
bool qvirtio_wait_status(QVirtioDev *v, uint8_t bits, int64_t timeout_us);

/* Queue @index with rings in guest RAM at @mem (64 KiB is plenty). */
void qvirtqueue_setup(QVirtQueue *q, QVirtioDev *v, unsigned index,
                      uint64_t mem);
/* The queue's MSI-X vector (read back: the device's answer). */
uint16_t qvirtqueue_set_vector(QVirtQueue *q, uint16_t vector);
/* Chain @n buffers into fresh descriptors and make the chain available;
 * the head's index. */
uint16_t qvirtqueue_add(QVirtQueue *q, const QVirtioBuf *bufs, unsigned n);
/* Make @head available once more (a hand-made chain). */
void qvirtqueue_publish(QVirtQueue *q, uint16_t head);
/* Write descriptor @i as the test likes (malformed ones). */
void qvirtqueue_set_desc(QVirtQueue *q, uint16_t i, uint64_t addr,
                         uint32_t len, uint16_t flags, uint16_t next);
void qvirtqueue_kick(QVirtQueue *q);
/* Wait (up to @timeout_us) for the next used entry: true with its id and
 * length. */
bool qvirtqueue_wait_used(QVirtQueue *q, uint32_t *id, uint32_t *len,
                          int64_t timeout_us);

#endif
