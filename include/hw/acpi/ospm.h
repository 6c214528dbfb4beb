/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OSPM status: what the guest reported through _OST (ACPI 6.4 §6.3.5)
 * about each hotplug slot, for QMP query-acpi-ospm-status and the
 * ACPI_DEVICE_OST event.  The last report per slot is kept, in the order
 * slots first reported.  Main thread only.
 */
#ifndef HW_ACPI_OSPM_H
#define HW_ACPI_OSPM_H

#include "qemu/osdep.h"

/*
 * Slot types: QEMU's ACPISlotType has DIMM and CPU; pmemvm reports its
 * PCI slots (docs/specs/pci-hotplug.md) as "PCI".
 */
#define ACPI_OST_SLOT_PCI       "PCI"

/* _OST source events (Arg0) and status codes (Arg1), ACPI 6.4 §6.3.5. */
#define ACPI_OST_EV_DEVICE_CHECK    0x01
#define ACPI_OST_EV_EJECT_REQUEST   0x03
#define ACPI_OST_SC_SUCCESS         0x00

typedef struct AcpiOstInfo {
    char *device;               /* id of the device in the slot; NULL: none */
    char *slot;
    const char *slot_type;
    uint32_t source;
    uint32_t status;
} AcpiOstInfo;

/* Record a report and tell the listener. */
void acpi_ost_report(const char *slot_type, const char *slot,
                     const char *device, uint32_t source, uint32_t status);
/* The stored reports (AcpiOstInfo, owned by the store; do not keep). */
GPtrArray *acpi_ost_list(void);

/* Called with each report as it comes (the monitor: ACPI_DEVICE_OST). */
typedef void (*AcpiOstListener)(const AcpiOstInfo *info);
void acpi_ost_set_listener(AcpiOstListener fn);

#endif
