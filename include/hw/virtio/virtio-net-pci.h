/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-pci: virtio-net on the virtio-pci transport (-device
 * virtio-net-pci,netdev=ID[,mac=MAC][,bus=pci.0,addr=SLOT]), modern-only:
 * 1af4:1041 as QEMU's with disable-legacy=on (QEMU's default on the pc
 * machine is the transitional 1af4:1000, which pmemvm does not model);
 * see docs/system/net.md.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_PCI_H
#define HW_VIRTIO_VIRTIO_NET_PCI_H

#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-net.h"

#define TYPE_VIRTIO_NET_PCI     "virtio-net-pci"

typedef struct VirtIONetPCI {
    VirtIOPCIProxy proxy;
    VirtIONet net;
} VirtIONetPCI;

#define VIRTIO_NET_PCI(obj) ((VirtIONetPCI *)(obj))

#endif
