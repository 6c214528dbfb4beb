/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-pci modern transport (virtio 1.2 §4.1): a virtio device as a
 * PCI function with QEMU 7.2's layout, so that a guest sees what QEMU
 * gives it:
 *
 *   BAR 4 (16 KiB, 64-bit prefetchable): common configuration at 0x0000,
 *   ISR at 0x1000, device configuration at 0x2000, notifications at
 *   0x3000 (notify_off_multiplier 4); vendor capabilities for those four
 *   and the PCI configuration access capability.
 *   BAR 1 (4 KiB): the MSI-X table and PBA, a vector for the configuration
 *   and one per queue (pmemvm: QEMU's virtio-pmem-pci has no MSI-X and
 *   interrupts with INTx only).
 *
 * Queue notifications: an MMIO write on the vCPU thread, or under KVM an
 * ioeventfd per queue (accel_ioeventfd_add()), read in the device's
 * notify context (its own thread, or the main loop).
 * Interrupts: MSI-X vectors (hw/pci/msix.c, irqfds under KVM) while the
 * driver enabled MSI-X, else INTx with the ISR.
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_PCI             "virtio-pci"

#define VIRTIO_PCI_VENDOR_ID        0x1af4
#define VIRTIO_PCI_DEVICE_ID_BASE   0x1040      /* + virtio device id */
#define VIRTIO_PCI_SUBSYSTEM_ID     0x1100      /* as QEMU's modern ones */
#define VIRTIO_PCI_REVISION         1

/* "disable-legacy", OnOffAuto-style (the order of its enum names). */
#define VIRTIO_PCI_DISABLE_LEGACY_AUTO  0
#define VIRTIO_PCI_DISABLE_LEGACY_ON    1
#define VIRTIO_PCI_DISABLE_LEGACY_OFF   2

typedef struct VirtIOPCIProxy VirtIOPCIProxy;

/* One queue's notification through an ioeventfd. */
typedef struct VirtIOPCINotify {
    VirtIOPCIProxy *proxy;
    unsigned queue;
    int fd;                         /* -1 when not in use */
    void *src;                      /* its GSource */
    uint64_t gpa;                   /* where it is registered, 0: nowhere */
} VirtIOPCINotify;

struct VirtIOPCIProxy {
    PCIDevice pci_dev;
    /* properties */
    int disable_legacy;             /* VIRTIO_PCI_DISABLE_LEGACY_* */
    bool disable_modern;
    bool event_idx;
    bool indirect_desc;
    bool queue_reset;
    bool iommu_platform;
    bool packed;
    /* state */
    VirtIODevice *vdev;
    uint16_t msix_vectors;          /* config + one per queue */
    GMutex lock;                    /* the selectors below */
    uint32_t dfselect, gfselect;
    uint16_t queue_select;
    VirtIOPCINotify notify[VIRTIO_QUEUE_MAX];   /* ioeventfd per queue */
    uint8_t cfg_cap;                /* the PCI config access capability */
};

/* Put @vdev on PCI through @p with @ids; caps, BARs, MSI-X. */
bool virtio_pci_realize(VirtIOPCIProxy *p, VirtIODevice *vdev,
                        const PCIDeviceIds *ids, Error **errp);
void virtio_pci_unrealize(VirtIOPCIProxy *p);

#endif
