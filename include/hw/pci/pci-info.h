/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a PCI function looks like from outside, for QMP query-pci (and
 * HMP info pci): its place, ids, class, interrupt pin and line, and the
 * BARs with the address each decodes now.  A snapshot under the device's
 * lock; the caller formats it.
 */
#ifndef HW_PCI_PCI_INFO_H
#define HW_PCI_PCI_INFO_H

#include "hw/pci/pci.h"

typedef struct PCIRegionInfo {
    unsigned bar;
    bool io;                        /* I/O space, else memory */
    bool mem64, prefetch;
    uint64_t size;
    uint64_t address;               /* PCI_BAR_UNMAPPED: not decoding */
} PCIRegionInfo;

typedef struct PCIDeviceInfo {
    unsigned bus, slot, function;
    uint16_t vendor, device;
    bool has_subsystem;             /* type 0 header */
    uint16_t subsystem_vendor, subsystem;
    uint16_t class_code;            /* base << 8 | sub */
    const char *class_desc;         /* NULL when pmemvm has no name */
    uint8_t irq_pin;                /* 0 none, 1 INTA .. 4 INTD */
    uint8_t irq_line;               /* meaningful when irq_pin != 0 */
    const char *qdev_id;            /* "" for devices without an id */
    unsigned nr_regions;
    PCIRegionInfo regions[PCI_NUM_BARS];
} PCIDeviceInfo;

void pci_device_get_info(PCIDevice *d, PCIDeviceInfo *info);

/* The PCI class names QEMU prints for base << 8 | sub, or NULL. */
const char *pci_class_description(uint16_t class_code);

#endif
