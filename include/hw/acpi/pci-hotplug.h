/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI PCI hotplug registers of the hardware-reduced pc machine
 * (docs/specs/pci-hotplug.md): a small MMIO block that tells the DSDT's
 * \_SB.PHPR which slots of bus pci.0 got a device (to check) or should
 * lose theirs (eject request), and through which the guest says that it
 * released a slot (_EJ0) and how a hotplug event went (_OST).
 *
 * The block knows no device and no machine: the machine tells it about
 * slots and gets the guest's ejects and _OST reports through the
 * callbacks below, which run on the vCPU thread that wrote the register
 * (the machine defers the real work to the main loop).
 */
#ifndef HW_ACPI_PCI_HOTPLUG_H
#define HW_ACPI_PCI_HOTPLUG_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/* Register offsets, all 32-bit (docs/specs/pci-hotplug.md). */
#define PCI_HOTPLUG_REG_UP          0x00    /* PCIU: read clears */
#define PCI_HOTPLUG_REG_DOWN        0x04    /* PCID: read clears */
#define PCI_HOTPLUG_REG_EJECT       0x08    /* B0EJ: write a bitmap */
#define PCI_HOTPLUG_REG_OST_SLOT    0x0C    /* OSLT */
#define PCI_HOTPLUG_REG_OST_EVENT   0x10    /* OEVT */
#define PCI_HOTPLUG_REG_OST_STATUS  0x14    /* OSTS: records the report */
#define PCI_HOTPLUG_REG_WIDTH       4
#define PCI_HOTPLUG_REGS_SIZE       0x18
/* Slot 0 is the host bridge: never hot-plugged, never ejected. */
#define PCI_HOTPLUG_FIRST_SLOT      1
#define PCI_HOTPLUG_SLOTS           32

typedef struct PciHotplugState PciHotplugState;

typedef struct PciHotplugOps {
    /* An event is pending: the machine raises its GED event. */
    void (*notify)(void *opaque);
    /* The guest evaluated _EJ0 of @slot (1..31). */
    void (*eject)(void *opaque, unsigned slot);
    /* The guest evaluated _OST (@event = Arg0, @status = Arg1) of @slot. */
    void (*ost)(void *opaque, unsigned slot, uint32_t event,
                uint32_t status);
} PciHotplugOps;

/* Register the block at @base (PCI_HOTPLUG_REGS_SIZE bytes); its reset
 * joins the reset list. */
PciHotplugState *pci_hotplug_init(uint64_t base, const PciHotplugOps *ops,
                                  void *opaque, Error **errp);
/* A device is in @slot now: PCIU gets its bit, then ops->notify. */
void pci_hotplug_device_check(PciHotplugState *s, unsigned slot);
/* Ask the guest to release @slot: PCID gets its bit, then ops->notify. */
void pci_hotplug_eject_request(PciHotplugState *s, unsigned slot);
/* The bits not yet read by the guest (tests, and the machine's reset). */
void pci_hotplug_pending(PciHotplugState *s, uint32_t *up, uint32_t *down);

#endif
