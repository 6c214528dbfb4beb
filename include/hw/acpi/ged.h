/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hardware-reduced ACPI power and event hardware of the pc machine:
 * the Generic Event Device (GED) event selector at LAYOUT_GED_BASE, the
 * sleep control/status and reset registers the FADT points to, and the
 * legacy reset paths Linux falls back to (0xCF9, i8042 0xFE).
 */
#ifndef HW_ACPI_GED_H
#define HW_ACPI_GED_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/irq.h"

typedef struct GEDState GEDState;

/* GED event bits, as the DSDT's _EVT method tests them. */
#define GED_EVENT_POWER_DOWN        (1u << 1)
#define GED_EVENT_NVDIMM_HOTPLUG    (1u << 4)
/* pmemvm's: PCI slots changed, \_SB.PHPR.PSCN (docs/specs/pci-hotplug.md) */
#define GED_EVENT_PCI_HOTPLUG       (1u << 5)

/*
 * Register the GED MMIO and the power/reset ports, with the GED's
 * interrupt on @irq (the machine's SCI line); its reset joins the reset
 * list.  Once per machine.
 */
GEDState *ged_init(qemu_irq irq, Error **errp);
/*
 * Latch @bits in the event selector and assert the GED interrupt; it
 * stays asserted until the guest reads the selector (level-triggered, as
 * the DSDT declares it).  Thread-safe.
 */
void ged_raise_event(GEDState *s, uint32_t bits);

#endif
