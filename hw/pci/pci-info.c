/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Snapshots of PCI functions for query-pci and info pci
 * (include/hw/pci/pci-info.h).
 */
#include "qemu/osdep.h"
#include "hw/pci/pci-info.h"
#include "qom/object.h"

/*
 * Names QEMU 7.2 prints in class_info.desc, for the classes of devices
 * pmemvm has or that a guest's view of a pc machine commonly shows.
 * A class without an entry has no desc (QEMU omits it too, e.g. for
 * virtio-pmem's 0x00ff).
 */
static const struct {
    uint16_t class_code;
    const char *desc;
} pci_classes[] = {
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0106, "SATA controller" },
    { 0x0108, "NVMe controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0300, "VGA controller" },
    { 0x0500, "RAM controller" },
    { 0x0580, "Memory controller" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0680, "Bridge" },
};

const char *pci_class_description(uint16_t class_code)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_classes); i++) {
        if (pci_classes[i].class_code == class_code) {
            return pci_classes[i].desc;
        }
    }
    return NULL;
}

void pci_device_get_info(PCIDevice *d, PCIDeviceInfo *info)
{
    const uint8_t *c = d->config;
    Object *obj = OBJECT(d);

    memset(info, 0, sizeof(*info));
    g_mutex_lock(&d->lock);
    info->bus = 0;
    info->slot = PCI_DEVFN_SLOT(d->devfn);
    info->function = PCI_DEVFN_FUNC(d->devfn);
    info->vendor = pci_get_word(c + PCI_VENDOR_ID);
    info->device = pci_get_word(c + PCI_DEVICE_ID);
    if ((c[PCI_HEADER_TYPE] & 0x7f) == PCI_HEADER_TYPE_NORMAL) {
        info->has_subsystem = true;
        info->subsystem_vendor = pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID);
        info->subsystem = pci_get_word(c + PCI_SUBSYSTEM_ID);
    }
    info->class_code = pci_get_word(c + PCI_CLASS_DEVICE);
    info->class_desc = pci_class_description(info->class_code);
    info->irq_pin = c[PCI_INTERRUPT_PIN];
    info->irq_line = c[PCI_INTERRUPT_LINE];
    info->qdev_id = obj->id ? obj->id : "";
    for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
        const PCIBar *b = &d->bars[i];
        PCIRegionInfo *r;

        if (!b->size) {
            continue;
        }
        r = &info->regions[info->nr_regions++];
        r->bar = i;
        r->io = b->type & PCI_BASE_ADDRESS_SPACE_IO;
        r->mem64 = !r->io && (b->type & PCI_BASE_ADDRESS_MEM_TYPE_64);
        r->prefetch = !r->io && (b->type & PCI_BASE_ADDRESS_MEM_PREFETCH);
        r->size = b->size;
        r->address = b->mapped_at;
    }
    g_mutex_unlock(&d->lock);
}
