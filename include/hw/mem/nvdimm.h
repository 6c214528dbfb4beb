/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nvdimm device (-device nvdimm / device_add nvdimm).
 */
#ifndef HW_MEM_NVDIMM_H
#define HW_MEM_NVDIMM_H

#include "qom/object.h"
#include "hw/acpi/nvdimm.h"
#include "hw/core/memory.h"
#include "hw/mem/memory-device.h"
#include "sysemu/hostmem.h"

#define TYPE_NVDIMM                 "nvdimm"

/* Property names. */
#define NVDIMM_PROP_MEMDEV          "memdev"
#define NVDIMM_PROP_SLOT            "slot"
#define NVDIMM_PROP_ADDR            "addr"
#define NVDIMM_PROP_NODE            "node"
#define NVDIMM_PROP_LABEL_SIZE      "label-size"
#define NVDIMM_PROP_UUID            "uuid"
#define NVDIMM_PROP_UNARMED         "unarmed"
/* pmemvm only: refuse a label area that holds data (default on). */
#define NVDIMM_PROP_LABEL_CHECK     "label-check"

/* QEMU: label-size, when set, is at least 128 KiB (docs/system/nvdimm.md). */
#define MIN_NAMESPACE_LABEL_SIZE    (128 * KiB)
#define PC_DIMM_UNASSIGNED_SLOT     (-1)

typedef struct NVDIMMDevice {
    Object parent_obj;
    /* properties */
    char *memdev;
    int32_t slot;
    uint64_t addr;
    uint32_t node;
    uint64_t label_size;
    uint8_t uuid[16];
    bool unarmed;
    bool label_check;
    /* state: the backend and label area are the device's (realize), the
     * slot, address and mapping the machine's (its plug handler) */
    HostMemoryBackend *hostmem;
    uint64_t region_size;           /* pmem part mapped into the guest */
    GuestRamRegion *guest_region;
    NvdimmAcpiDimm acpi;
} NVDIMMDevice;

#define NVDIMM(obj) ((NVDIMMDevice *)(obj))

/*
 * The ACPI description of a realized DIMM that the machine has placed
 * (slot and addr set), with access to its label area.
 */
NvdimmAcpiDimm *nvdimm_acpi_dimm(NVDIMMDevice *nv);
/* query-memory-devices data of a plugged DIMM (a MemoryDeviceFillInfo). */
void nvdimm_memory_device_info(void *dev, MemoryDeviceInfo *info);


#endif
