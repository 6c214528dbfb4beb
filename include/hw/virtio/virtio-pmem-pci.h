/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pmem-pci: virtio-pmem on the virtio-pci transport (-device
 * virtio-pmem-pci,memdev=ID[,memaddr=ADDR][,bus=pci.0,addr=SLOT]).  The
 * machine places its region in the device-memory window and maps it
 * (hw/i386/pc.c); see docs/system/virtio-pmem.md.
 */
#ifndef HW_VIRTIO_VIRTIO_PMEM_PCI_H
#define HW_VIRTIO_VIRTIO_PMEM_PCI_H

#include "hw/mem/memory-device.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-pmem.h"

#define TYPE_VIRTIO_PMEM_PCI    "virtio-pmem-pci"

typedef struct VirtIOPMEMPCI {
    VirtIOPCIProxy proxy;
    VirtIOPMEM pmem;
    GuestRamRegion *guest_region;   /* the machine's mapping */
} VirtIOPMEMPCI;

#define VIRTIO_PMEM_PCI(obj) ((VirtIOPMEMPCI *)(obj))

/* query-memory-devices data (a MemoryDeviceFillInfo). */
void virtio_pmem_pci_memory_device_info(void *dev, MemoryDeviceInfo *info);

#endif
