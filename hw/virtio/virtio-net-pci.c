/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-pci: see include/hw/virtio/virtio-net-pci.h.  Ids as QEMU
 * 7.2's modern virtio-net-pci: 1af4:1041, subsystem 1af4:1100, class
 * 0x020000 (Ethernet), revision 1, INTA.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-net-pci.h"

#define VIRTIO_NET_PCI_CLASS    0x020000

static const PropDef virtio_net_pci_props[] = {
    DEFINE_PROP(VIRTIO_NET_PROP_NETDEV, VirtIONetPCI, net.netdev,
                PROP_TYPE_STRING, NULL, "ID of a netdev to use as a backend"),
    DEFINE_PROP(VIRTIO_NET_PROP_MAC, VirtIONetPCI, net.mac_str,
                PROP_TYPE_STRING, NULL,
                "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56"),
    PROP_END,
};

static bool virtio_net_pci_realize(Object *obj, Error **errp)
{
    VirtIONetPCI *vn = VIRTIO_NET_PCI(obj);
    VirtIOPCIProxy *p = &vn->proxy;
    const PCIDeviceIds ids = {
        .vendor = VIRTIO_PCI_VENDOR_ID,
        .device = VIRTIO_PCI_DEVICE_ID_BASE + VIRTIO_ID_NET,
        .subsystem_vendor = VIRTIO_PCI_VENDOR_ID,
        .subsystem = VIRTIO_PCI_SUBSYSTEM_ID,
        .class_code = VIRTIO_NET_PCI_CLASS,
        .revision = VIRTIO_PCI_REVISION,
        .intx_pin = 1,
    };

    if (p->disable_legacy == VIRTIO_PCI_DISABLE_LEGACY_OFF) {
        error_setg(errp, "disable-legacy=off: pmemvm's virtio-net-pci is "
                   "modern-only (no legacy I/O interface)");
        return false;
    }
    if (!virtio_net_realize(&vn->net, obj->id, p->indirect_desc,
                            p->event_idx, p->queue_reset, errp)) {
        return false;
    }
    if (!virtio_pci_realize(p, &vn->net.vdev, &ids, errp)) {
        virtio_net_unrealize(&vn->net);
        return false;
    }
    return true;
}

static void virtio_net_pci_unrealize(Object *obj)
{
    VirtIONetPCI *vn = VIRTIO_NET_PCI(obj);

    virtio_net_unrealize(&vn->net);
    virtio_pci_unrealize(&vn->proxy);
}

static const TypeInfo virtio_net_pci_type = {
    .name = TYPE_VIRTIO_NET_PCI,
    .parent = TYPE_VIRTIO_PCI,
    .kind = OBJECT_KIND_DEVICE,
    .instance_size = sizeof(VirtIONetPCI),
    .props = virtio_net_pci_props,
    .desc = "Virtio network device",
    .complete = virtio_net_pci_realize,
    .unrealize = virtio_net_pci_unrealize,
};

static void virtio_net_pci_register_types(void)
{
    type_register(&virtio_net_pci_type);
}

type_init(virtio_net_pci_register_types)
