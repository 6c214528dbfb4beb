/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pmem-pci: see include/hw/virtio/virtio-pmem-pci.h.  QEMU 7.2's
 * ids: 1af4:105b, subsystem 1af4:1100, class 0x00ff00, revision 1, INTA.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-pmem-pci.h"

/* Class "unclassified device, other" as QEMU gives virtio-pmem-pci. */
#define VIRTIO_PMEM_PCI_CLASS   0x00ff00

static const char *const on_off_auto[] = { "auto", "on", "off", NULL };

/* The virtio-pci transport's properties (QEMU's names and defaults). */
static const PropDef virtio_pci_props[] = {
    { .name = "disable-legacy", .type = PROP_TYPE_ENUM,
      .offset = offsetof(VirtIOPCIProxy, disable_legacy),
      .enum_names = on_off_auto, .defval = "auto",
      .desc = "on/off/auto (modern-only device: auto means on)",
      .qom_type = "OnOffAuto" },
    DEFINE_PROP("disable-modern", VirtIOPCIProxy, disable_modern,
                PROP_TYPE_BOOL, "off", "on is refused: modern-only device"),
    DEFINE_PROP("event_idx", VirtIOPCIProxy, event_idx, PROP_TYPE_BOOL, "on",
                "on/off: offer VIRTIO_RING_F_EVENT_IDX"),
    DEFINE_PROP("indirect_desc", VirtIOPCIProxy, indirect_desc,
                PROP_TYPE_BOOL, "on",
                "on/off: offer VIRTIO_RING_F_INDIRECT_DESC"),
    DEFINE_PROP("queue_reset", VirtIOPCIProxy, queue_reset, PROP_TYPE_BOOL,
                "on", "on/off: offer VIRTIO_F_RING_RESET"),
    DEFINE_PROP("iommu_platform", VirtIOPCIProxy, iommu_platform,
                PROP_TYPE_BOOL, "off", "on is refused: no vIOMMU"),
    DEFINE_PROP("packed", VirtIOPCIProxy, packed, PROP_TYPE_BOOL, "off",
                "on is refused: split virtqueues only"),
    PROP_END,
};

static const TypeInfo virtio_pci_type = {
    .name = TYPE_VIRTIO_PCI,
    .parent = TYPE_PCI_DEVICE,
    .kind = OBJECT_KIND_ABSTRACT,
    .instance_size = sizeof(VirtIOPCIProxy),
    .props = virtio_pci_props,
};

static const PropDef virtio_pmem_pci_props[] = {
    { .name = VIRTIO_PMEM_PROP_MEMDEV, .type = PROP_TYPE_STRING,
      .offset = offsetof(VirtIOPMEMPCI, pmem.memdev),
      .desc = "memory backend (id of a memory-backend-* object)",
      .qom_type = "link<memory-backend>" },
    DEFINE_PROP(VIRTIO_PMEM_PROP_MEMADDR, VirtIOPMEMPCI, pmem.memaddr,
                PROP_TYPE_UINT64, "0",
                "guest-physical address, 0 picks the first free one"),
    PROP_END,
};

void virtio_pmem_pci_memory_device_info(void *dev, MemoryDeviceInfo *info)
{
    VirtIOPMEMPCI *vp = dev;

    info->type = "virtio-pmem";
    info->id = OBJECT(vp)->id;
    info->addr = vp->pmem.start;
    info->size = vp->pmem.size;
    info->memdev = OBJECT(vp->pmem.hostmem)->id;
    info->hotplugged = OBJECT(vp)->hotplugged;
    info->hotpluggable = true;
}

static bool virtio_pmem_pci_realize(Object *obj, Error **errp)
{
    VirtIOPMEMPCI *vp = VIRTIO_PMEM_PCI(obj);
    VirtIOPCIProxy *p = &vp->proxy;
    const PCIDeviceIds ids = {
        .vendor = VIRTIO_PCI_VENDOR_ID,
        .device = VIRTIO_PCI_DEVICE_ID_BASE + VIRTIO_ID_PMEM,
        .subsystem_vendor = VIRTIO_PCI_VENDOR_ID,
        .subsystem = VIRTIO_PCI_SUBSYSTEM_ID,
        .class_code = VIRTIO_PMEM_PCI_CLASS,
        .revision = VIRTIO_PCI_REVISION,
        .intx_pin = 1,
    };

    if (!virtio_pmem_realize(&vp->pmem, obj->id, p->indirect_desc,
                             p->event_idx, p->queue_reset, errp)) {
        return false;
    }
    if (!virtio_pci_realize(p, &vp->pmem.vdev, &ids, errp)) {
        virtio_pmem_unrealize(&vp->pmem);
        return false;
    }
    return true;
}

static void virtio_pmem_pci_unrealize(Object *obj)
{
    VirtIOPMEMPCI *vp = VIRTIO_PMEM_PCI(obj);

    /* Flushes in flight are answered (through the transport) first. */
    virtio_pmem_unrealize(&vp->pmem);
    virtio_pci_unrealize(&vp->proxy);
}

static const TypeInfo virtio_pmem_pci_type = {
    .name = TYPE_VIRTIO_PMEM_PCI,
    .parent = TYPE_VIRTIO_PCI,
    .kind = OBJECT_KIND_DEVICE,
    .instance_size = sizeof(VirtIOPMEMPCI),
    .props = virtio_pmem_pci_props,
    .desc = "Virtio PMEM",
    .hotpluggable = true,
    .complete = virtio_pmem_pci_realize,
    .unrealize = virtio_pmem_pci_unrealize,
};

static void virtio_pmem_pci_register_types(void)
{
    type_register(&virtio_pci_type);
    type_register(&virtio_pmem_pci_type);
}

type_init(virtio_pmem_pci_register_types)
