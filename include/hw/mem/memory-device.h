/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory devices (NVDIMM, later virtio-pmem): slots and addresses in the
 * machine's device-memory window (docs/specs/acpi_nvdimm.md).
 */
#ifndef HW_MEM_MEMORY_DEVICE_H
#define HW_MEM_MEMORY_DEVICE_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/* What QMP query-memory-devices reports for one device. */
typedef struct MemoryDeviceInfo {
    const char *type;           /* "nvdimm", "virtio-pmem" */
    const char *id;             /* may be NULL */
    uint64_t addr;
    uint64_t size;
    int64_t slot;               /* -1 for devices without a slot */
    uint32_t node;
    const char *memdev;         /* backend id; reported as /objects/ID */
    bool hotplugged;
    bool hotpluggable;
} MemoryDeviceInfo;

/* Every plugged memory device, by address as QEMU lists them
 * (g_array_unref when done). */
GArray *memory_device_info_list(void);
/* query-memory-size-summary: base RAM and bytes plugged into the window. */
uint64_t memory_device_base_memory(void);
uint64_t memory_device_plugged_memory(void);

/*
 * Choose a slot: @slot < 0 picks the lowest free one.  Errors (QEMU's
 * text): no slots configured, slot out of range, slot busy, none free.
 */
bool memory_device_claim_slot(int64_t *slot, Error **errp);
void memory_device_release_slot(int64_t slot);
/* Memory devices can be plugged at all (the machine has a window). */
bool memory_device_check_enabled(Error **errp);
/*
 * Place @size bytes in the device-memory window at *@addr (0: first free
 * address aligned to @align) and reserve it.  Errors: no window (no
 * maxmem), not enough space (maxmem), misaligned, outside, overlapping.
 */
bool memory_device_claim_range(uint64_t *addr, uint64_t size, uint64_t align,
                               const char *devname, Error **errp);
void memory_device_release_range(uint64_t addr, uint64_t size);

/*
 * The machine describes its window once: @size 0 means memory devices are
 * not enabled (no maxmem); @max_plugged is maxmem - RAM.
 */
void memory_device_window_init(uint64_t base, uint64_t size, uint32_t slots,
                               uint64_t max_plugged);

typedef void (*MemoryDeviceFillInfo)(void *dev, MemoryDeviceInfo *info);
/* Record a realized device (its range and slot were claimed before). */
void memory_device_plug(void *dev, uint64_t addr, uint64_t size,
                        MemoryDeviceFillInfo fill_info);
void memory_device_unplug(void *dev);
/* query-memory-size-summary's base-memory (boot RAM). */
void memory_device_set_base_memory(uint64_t bytes);

#endif
