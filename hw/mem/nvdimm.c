/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nvdimm device: a region of a memory backend mapped into the
 * device-memory window, with an optional label area at the end of the
 * backend (docs/specs/acpi_nvdimm.md; QEMU 7.2 hw/mem/nvdimm.c and
 * pc-dimm.c for the checks and their messages).
 *
 * Realize checks what the device alone can know (its properties and its
 * backend) and takes the backend.  The machine's hotplug handler does the
 * rest: whether the machine has NVDIMMs at all, the slot, the address,
 * mapping the region and the ACPI description (hw/i386/pc.c).
 */
#include "qemu/osdep.h"
#include "hw/mem/nvdimm.h"
#include "hw/mem/nvdimm-label.h"

/* pc-dimm's "size" property: read-only, computed at realize. */
#define NVDIMM_PROP_SIZE_RO         "size"

static const PropDef nvdimm_props[] = {
    { .name = NVDIMM_PROP_MEMDEV, .type = PROP_TYPE_STRING,
      .offset = offsetof(NVDIMMDevice, memdev),
      .desc = "memory backend (id of a memory-backend-* object)",
      .qom_type = "link<memory-backend>" },
    DEFINE_PROP(NVDIMM_PROP_SLOT, NVDIMMDevice, slot, PROP_TYPE_INT32, "-1",
                "slot number, -1 picks the first free one"),
    DEFINE_PROP(NVDIMM_PROP_ADDR, NVDIMMDevice, addr, PROP_TYPE_UINT64, "0",
                "guest-physical address, 0 picks the first free one"),
    DEFINE_PROP(NVDIMM_PROP_NODE, NVDIMMDevice, node, PROP_TYPE_UINT32, "0",
                "NUMA node (proximity domain)"),
    { .name = NVDIMM_PROP_LABEL_SIZE, .type = PROP_TYPE_SIZE,
      .offset = offsetof(NVDIMMDevice, label_size), .defval = "0",
      .desc = "bytes at the end of the backend for namespace labels "
              "(0 or at least 128K)",
      .qom_type = "int" },
    DEFINE_PROP(NVDIMM_PROP_UUID, NVDIMMDevice, uuid, PROP_TYPE_UUID, NULL,
                "device UUID"),
    DEFINE_PROP(NVDIMM_PROP_UNARMED, NVDIMMDevice, unarmed, PROP_TYPE_BOOL,
                "off", "tell the guest the device cannot accept "
                "persistent writes"),
    DEFINE_PROP(NVDIMM_PROP_LABEL_CHECK, NVDIMMDevice, label_check,
                PROP_TYPE_BOOL, "on",
                "pmemvm only: refuse a label area that holds data (neither "
                "all zero nor namespace labels)"),
    /* Read-only, as pc-dimm's: listed by help, refused if set. */
    { .name = NVDIMM_PROP_SIZE_RO, .type = PROP_TYPE_SIZE,
      .offset = offsetof(NVDIMMDevice, region_size),
      .desc = "size of the region (read-only: backend size less the "
              "label area)",
      .qom_type = "uint64" },
    PROP_END,
};

static const char *nvdimm_id(NVDIMMDevice *nv)
{
    return OBJECT(nv)->id ? OBJECT(nv)->id : "(anonymous)";
}

/* Offset in the backend of byte @offset of the label area. */
static uint64_t nvdimm_label_offset(NVDIMMDevice *nv, uint64_t offset)
{
    return nv->hostmem->size - nv->label_size + offset;
}

/*
 * A label access the backing store failed (a hole on a full file system,
 * a file truncated under us, an I/O error): the guest gets DSM status 4;
 * say which file and why, rate-limited since the guest asked for it.
 */
static NvdimmLabelResult nvdimm_label_failed(NVDIMMDevice *nv,
                                             const char *what,
                                             uint64_t size, uint64_t offset,
                                             Error *err)
{
    guest_error("nvdimm '%s': %s Label Data of %" PRIu64 " bytes at label "
                "offset 0x%" PRIx64 " failed: %s; the guest gets DSM status "
                "4 (hardware error)", nvdimm_id(nv), what, size, offset,
                error_get_pretty(err));
    error_free(err);
    return NVDIMM_LABEL_IO_ERROR;
}

static NvdimmLabelResult nvdimm_read_label(void *opaque, void *buf,
                                           uint64_t size, uint64_t offset)
{
    NVDIMMDevice *nv = opaque;
    Error *err = NULL;

    if (!host_memory_backend_read(nv->hostmem,
                                  nvdimm_label_offset(nv, offset), buf, size,
                                  &err)) {
        return nvdimm_label_failed(nv, "Get", size, offset, err);
    }
    return NVDIMM_LABEL_OK;
}

static NvdimmLabelResult nvdimm_write_label(void *opaque, const void *buf,
                                            uint64_t size, uint64_t offset)
{
    NVDIMMDevice *nv = opaque;
    Error *err = NULL;

    if (host_memory_backend_is_readonly(nv->hostmem)) {
        return NVDIMM_LABEL_READ_ONLY;
    }
    if (!host_memory_backend_write_persist(nv->hostmem,
                                           nvdimm_label_offset(nv, offset),
                                           buf, size, &err)) {
        return nvdimm_label_failed(nv, "Set", size, offset, err);
    }
    return NVDIMM_LABEL_OK;
}

void nvdimm_memory_device_info(void *dev, MemoryDeviceInfo *info)
{
    NVDIMMDevice *nv = dev;

    info->type = "nvdimm";
    info->id = OBJECT(nv)->id;
    info->addr = nv->addr;
    info->size = nv->region_size;
    info->slot = nv->slot;
    info->node = nv->node;
    info->memdev = OBJECT(nv->hostmem)->id;
    info->hotplugged = OBJECT(nv)->hotplugged;
    info->hotpluggable = true;
}

/* The backend's file for messages, else the backend's id. */
static char *nvdimm_backend_desc(NVDIMMDevice *nv)
{
    if (object_is_memory_backend_file(OBJECT(nv->hostmem))) {
        return g_strdup(MEMORY_BACKEND_FILE(nv->hostmem)->mem_path);
    }
    return g_strdup_printf("memory backend '%s'", nv->memdev);
}

/*
 * The label-area guard: the last label-size bytes of the backend become
 * the guest's labels, so they must hold nothing else (all zero, or a
 * label area Linux or UEFI wrote).  Only reads the backend.  Without
 * labels, a label area at the end of the backend means the guest's
 * labels would now be read as data: say so.
 */
static bool nvdimm_read_backend(void *opaque, uint64_t offset, void *buf,
                                uint64_t len, Error **errp)
{
    return host_memory_backend_read(opaque, offset, buf, len, errp);
}

static bool nvdimm_check_label_area(NVDIMMDevice *nv, Error **errp)
{
    HostMemoryBackend *b = nv->hostmem;
    uint64_t size = b->size;
    g_autofree char *desc = nvdimm_backend_desc(nv);
    const char *id = nvdimm_id(nv);
    /*
     * The bytes the check looks at are copied out: a page the host cannot
     * provide is then an error here, not a SIGBUS.  With labels, the whole
     * label area (it must be all zero or labels); without, only where the
     * index blocks of a label area at the end could be.
     */
    uint64_t len = nv->label_size;
    g_autofree uint8_t *tail = NULL;
    uint64_t found;

    if (nv->label_size && !nv->label_check) {
        return true;
    }
    if (!nv->label_size) {
        if (!nvdimm_label_area_find_read(size, nvdimm_read_backend, b,
                                         &found, errp)) {
            error_prepend(errp, "nvdimm '%s': cannot read the end of %s: ",
                          id, desc);
            return false;
        }
        if (found) {
            warn_report("nvdimm '%s': the last %" PRIu64 " KiB of %s (bytes "
                        "0x%" PRIx64 "-0x%" PRIx64 ") hold namespace labels, "
                        "but label-size is 0: the guest sees them as data; "
                        "pass label-size=%" PRIu64 "K to keep using them",
                        id, found / KiB, desc, size - found, size - 1,
                        found / KiB);
        }
        return true;
    }
    tail = g_malloc(len);
    if (!host_memory_backend_read(b, size - len, tail, len, errp)) {
        error_prepend(errp, "nvdimm '%s': cannot read the label area of %s: ",
                      id, desc);
        return false;
    }
    if (nvdimm_label_area_kind(tail, len) != NVDIMM_LABEL_AREA_DATA) {
        return true;
    }
    error_setg(errp, "nvdimm '%s': label-size=%" PRIu64 "K would make bytes "
               "0x%" PRIx64 "-0x%" PRIx64 " of %s the label area, but they "
               "hold data (neither all zero nor namespace labels); the guest "
               "would read that data as labels and overwrite it", id,
               nv->label_size / KiB, size - nv->label_size, size - 1, desc);
    error_append_hint(errp, "Use a backend whose last %" PRIu64 " KiB are "
                      "unused, or pass " NVDIMM_PROP_LABEL_CHECK "=off to "
                      "give those bytes to the guest as labels anyway.\n",
                      nv->label_size / KiB);
    return false;
}

/*
 * Allocate the label area's blocks now (fallocate, never changing the
 * file's size or bytes), so that the guest's label writes cannot meet a
 * full file system later.  Failing that, the guest can still write where
 * blocks exist; say what it risks.
 */
static void nvdimm_reserve_label_area(NVDIMMDevice *nv)
{
    Error *err = NULL;

    if (!host_memory_backend_reserve(nv->hostmem,
                                     nvdimm_label_offset(nv, 0),
                                     nv->label_size, &err)) {
        warn_report("nvdimm '%s': cannot reserve its label area: %s; guest "
                    "label writes into its unallocated parts may fail (DSM "
                    "status 4) until there is room", nvdimm_id(nv),
                    error_get_pretty(err));
        error_free(err);
    }
}

static bool nvdimm_realize(Object *obj, Error **errp)
{
    NVDIMMDevice *nv = NVDIMM(obj);
    Object *backend;
    uint64_t align, pmem_size;

    if (object_property_is_set(obj, NVDIMM_PROP_SIZE_RO)) {
        error_setg(errp, "Property 'nvdimm." NVDIMM_PROP_SIZE_RO "' is not "
                   "writable");
        return false;
    }
    if (!nv->memdev) {
        error_setg(errp, "'" NVDIMM_PROP_MEMDEV "' property must be set");
        return false;
    }
    backend = object_find_by_id(nv->memdev);
    if (!backend || !object_is_memory_backend(backend)) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", nv->memdev);
        return false;
    }
    nv->hostmem = MEMORY_BACKEND(backend);
    if (host_memory_backend_is_used(nv->hostmem)) {
        error_setg(errp, "can't use already busy memdev: %s", nv->memdev);
        return false;
    }
    /* QEMU's setter refuses an explicit label-size=0 too; unset is 0 */
    if ((nv->label_size ||
         object_property_is_set(obj, NVDIMM_PROP_LABEL_SIZE)) &&
        nv->label_size < MIN_NAMESPACE_LABEL_SIZE) {
        error_setg(errp, "Property 'nvdimm.label-size' (0x%" PRIx64 ") is "
                   "required at least 0x%" PRIx64, nv->label_size,
                   (uint64_t)MIN_NAMESPACE_LABEL_SIZE);
        return false;
    }
    align = host_memory_backend_get_align(nv->hostmem);
    pmem_size = nv->hostmem->size > nv->label_size ?
                QEMU_ALIGN_DOWN(nv->hostmem->size - nv->label_size, align) :
                0;
    if (!pmem_size) {
        error_setg(errp, "the size of memdev %s (0x%" PRIx64 ") is too small "
                   "to contain nvdimm label (0x%" PRIx64 ") and aligned PMEM "
                   "(0x%" PRIx64 ")", nv->memdev, nv->hostmem->size,
                   nv->label_size, align);
        return false;
    }
    if (!nv->unarmed && host_memory_backend_is_readonly(nv->hostmem)) {
        error_setg(errp, "'unarmed' property must be 'on' since memdev %s "
                   "is read-only", nv->memdev);
        return false;
    }
    if (!nvdimm_check_label_area(nv, errp)) {
        return false;
    }
    nvdimm_reserve_label_area(nv);
    nv->region_size = pmem_size;
    host_memory_backend_set_used(nv->hostmem, true);
    return true;
}

static void nvdimm_unrealize(Object *obj)
{
    NVDIMMDevice *nv = NVDIMM(obj);

    host_memory_backend_set_used(nv->hostmem, false);
}

NvdimmAcpiDimm *nvdimm_acpi_dimm(NVDIMMDevice *nv)
{
    nv->acpi = (NvdimmAcpiDimm) {
        .slot = nv->slot,
        .addr = nv->addr,
        .region_size = nv->region_size,
        .node = nv->node,
        .unarmed = nv->unarmed,
        .label_size = nv->label_size,
        .opaque = nv,
        .read_label = nvdimm_read_label,
        .write_label = nvdimm_write_label,
    };
    return &nv->acpi;
}

static const TypeInfo nvdimm_type = {
    .name = TYPE_NVDIMM,
    .kind = OBJECT_KIND_DEVICE,
    .instance_size = sizeof(NVDIMMDevice),
    .props = nvdimm_props,
    .desc = "DIMM memory module with persistent memory (ACPI NFIT)",
    .hotpluggable = true,
    .complete = nvdimm_realize,
    .unrealize = nvdimm_unrealize,
};

static void nvdimm_register_types(void)
{
    type_register(&nvdimm_type);
}

type_init(nvdimm_register_types)
