/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the guest's OSPM said about its hotplug slots: the last _OST
 * (ACPI 6.4 §6.3.5, "OSPM Status Indication") per slot, for QMP
 * query-acpi-ospm-status, and the ACPI_DEVICE_OST event at each one.
 *
 * The machine owns one AcpiOspmStatus (pc_machine_ospm_status()); the
 * hotplug controller that receives a guest's _OST (its AML writes the
 * source event, status code and slot into a register) calls
 * acpi_ospm_record() with it, from whatever thread the write arrives on.
 * Nothing is recorded until a guest evaluates _OST, so the list starts
 * empty.
 */
#ifndef HW_ACPI_OSPM_H
#define HW_ACPI_OSPM_H

#include "qemu/osdep.h"

/* _OST source events and status codes (ACPI 6.4 Tables 6.170-6.172). */
#define ACPI_OST_EVENT_EJECT            0x03    /* eject request */
#define ACPI_OST_EVENT_INSERT           0x200   /* insertion processing */
#define ACPI_OST_STATUS_SUCCESS         0x00
#define ACPI_OST_STATUS_FAILURE         0x01
#define ACPI_OST_STATUS_NOT_SUPPORTED   0x02
#define ACPI_OST_STATUS_EJECT_IN_PROGRESS   0x80
#define ACPI_OST_STATUS_EJECT_DENIED        0x81 /* device in use */

/* One _OST: QEMU's ACPIOSTInfo (qapi/acpi.json). */
typedef struct AcpiOstInfo {
    char *device;               /* the device's id; NULL: none, or empty slot */
    char *slot;                 /* "0", "1", ... */
    char *slot_type;            /* QEMU's ACPISlotType: "DIMM", "CPU"; pmemvm
                                 * adds "PCI" for its PCI hotplug slots */
    uint32_t source;            /* _OST Source Event */
    uint32_t status;            /* _OST Status Code */
} AcpiOstInfo;

typedef struct AcpiOspmStatus AcpiOspmStatus;

AcpiOspmStatus *acpi_ospm_new(void);
void acpi_ospm_free(AcpiOspmStatus *s);

/*
 * The guest's _OST for a slot: replaces the record of that slot (same
 * slot_type and slot), then tells the listener.  Thread-safe; @info is
 * copied.
 */
void acpi_ospm_record(AcpiOspmStatus *s, const AcpiOstInfo *info);

/* A copy of the records, by slot type then slot (acpi_ost_info_clear). */
GArray *acpi_ospm_list(AcpiOspmStatus *s);
void acpi_ost_info_clear(AcpiOstInfo *info);

/*
 * Called with each record (the monitor sends ACPI_DEVICE_OST); one
 * listener for all machines.  Any thread.
 */
void acpi_ospm_set_listener(void (*fn)(const AcpiOstInfo *info));

#endif
