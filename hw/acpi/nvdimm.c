/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NVDIMM ACPI: the NFIT/FIT builder and the _DSM page protocol.
 *
 * What the guest sees is QEMU 7.2's virtual NVDIMM, value for value
 * (docs/specs/acpi_nvdimm.md).  Four deliberate differences, all on
 * bad input or a failing host: the request is parsed only from a private copy of the page,
 * a label write that the backend refuses (read-only) answers "not
 * supported" instead of crashing, a label access whose backing store
 * fails (a full file system, a truncated file) answers "hardware error",
 * and a port write that does not name the DSM page is logged and ignored.
 *
 * Locking: the FIT, its dirty flag and the label areas are touched from
 * vCPU threads (port writes) and from the main thread (hotplug), so every
 * entry point below takes nvdimm_lock.  There is one machine per process,
 * hence one lock for all NVDIMMState instances.
 */
#include "qemu/osdep.h"
#include "hw/acpi/nvdimm.h"
#include "hw/core/memory.h"
#include "hw/i386/layout.h"
#include "qapi/error.h"

static GMutex nvdimm_lock;

/* ------------------------------------------------------------------ */
/* NFIT sub-structures (ACPI 6.4 §5.2.25).  All fields little-endian.   */

/* Structure types, ACPI 6.4 §5.2.25.1 (Table 5.132). */
#define NFIT_TYPE_SPA_RANGE             0
#define NFIT_TYPE_MEMDEV_TO_SPA_MAP     1
#define NFIT_TYPE_CONTROL_REGION        4
#define NFIT_TYPE_PLATFORM_CAPS         7

/*
 * System Physical Address Range Structure, ACPI 6.4 §5.2.25.2.  This is
 * the 56-byte layout of ACPI 6.0-6.3 that QEMU emits; ACPI 6.4 appends an
 * 8-byte "SPA Location Cookie", which OSes accept as optional.
 */
typedef struct QEMU_PACKED NfitSpaRange {
    uint16_t type;
    uint16_t length;
    uint16_t range_index;
    uint16_t flags;
    uint32_t reserved;
    uint32_t proximity_domain;
    uint8_t range_type_guid[16];
    uint64_t base;
    uint64_t size;
    uint64_t mapping_attributes;
} NfitSpaRange;
static_assert(sizeof(NfitSpaRange) == 56, "NFIT SPA Range is 56 bytes");

/* SPA Range flags, ACPI 6.4 §5.2.25.2. */
#define NFIT_SPA_FLAG_CTRL_HOTADD_ONLY  (1u << 0)
#define NFIT_SPA_FLAG_PROXIMITY_VALID   (1u << 1)

/*
 * Address Range Memory Mapping Attributes: UEFI 2.9 §7.2 memory
 * attribute bits EFI_MEMORY_WB and EFI_MEMORY_NV (referenced by ACPI 6.4
 * §5.2.25.2).
 */
#define EFI_MEMORY_WB                   0x0000000000000008ULL
#define EFI_MEMORY_NV                   0x0000000000008000ULL

/*
 * Address Range Type GUID "Byte Addressable Persistent Memory Region",
 * 66F0D379-B4F3-4074-AC43-0D3318B78CDB (ACPI 6.4 §5.2.25.2), in the
 * on-disk GUID byte order: first three groups little-endian, last two
 * as written.
 */
static const uint8_t nfit_spa_guid_pm[16] = {
    0x79, 0xd3, 0xf0, 0x66,     /* 66F0D379 */
    0xf3, 0xb4,                 /* B4F3 */
    0x74, 0x40,                 /* 4074 */
    0xac, 0x43,                 /* AC43 */
    0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb,     /* 0D3318B78CDB */
};

/*
 * Memory Device to System Physical Address Range Mapping Structure
 * (named "NVDIMM Region Mapping Structure" since ACPI 6.2),
 * ACPI 6.4 §5.2.25.3.
 */
typedef struct QEMU_PACKED NfitMemdevMap {
    uint16_t type;
    uint16_t length;
    uint32_t device_handle;
    uint16_t physical_id;
    uint16_t region_id;
    uint16_t spa_range_index;
    uint16_t control_region_index;
    uint64_t region_size;
    uint64_t region_offset;
    uint64_t region_dpa;
    uint16_t interleave_index;
    uint16_t interleave_ways;
    uint16_t state_flags;
    uint16_t reserved;
} NfitMemdevMap;
static_assert(sizeof(NfitMemdevMap) == 48, "NFIT memdev map is 48 bytes");

/* NVDIMM State Flags, ACPI 6.4 §5.2.25.3: bit 3 "not armed". */
#define NFIT_MEMDEV_FLAG_NOT_ARMED      (1u << 3)

/*
 * NVDIMM Control Region Structure, ACPI 6.4 §5.2.25.6.  The valid-fields,
 * manufacturing location/date and reserved bytes (a single 6-byte
 * reserved field in ACPI 6.0) are all zero, as in QEMU.
 */
typedef struct QEMU_PACKED NfitControlRegion {
    uint16_t type;
    uint16_t length;
    uint16_t region_index;
    uint16_t vendor_id;
    uint16_t device_id;
    uint16_t revision_id;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_device_id;
    uint16_t subsystem_revision_id;
    uint8_t valid_fields;
    uint8_t manufacturing_location;
    uint16_t manufacturing_date;
    uint8_t reserved[2];
    uint32_t serial_number;
    uint16_t format_interface_code;
    uint16_t num_block_control_windows;
    uint64_t block_control_window_size;
    uint64_t command_register_offset;
    uint64_t command_register_size;
    uint64_t status_register_offset;
    uint64_t status_register_size;
    uint16_t flags;
    uint8_t reserved2[6];
} NfitControlRegion;
static_assert(sizeof(NfitControlRegion) == 80,
              "NFIT Control Region is 80 bytes");

/* Control Region identity as QEMU reports it (ACPI 6.4 §5.2.25.6). */
#define NFIT_DCR_VENDOR_ID              0x8086  /* Intel */
#define NFIT_DCR_DEVICE_ID              0x0001
#define NFIT_DCR_REVISION_ID            0x0001
/*
 * Format Interface Code: byte-addressable, no energy backed (JEDEC
 * Annex L Release 3, referenced by ACPI 6.4 §5.2.25.6).
 */
#define NFIT_DCR_FIC_BYTE_ADDRESSABLE   0x0301

/* NVDIMM Platform Capabilities Structure, ACPI 6.4 §5.2.25.9. */
typedef struct QEMU_PACKED NfitPlatformCaps {
    uint16_t type;
    uint16_t length;
    uint8_t highest_valid_bit;
    uint8_t reserved[3];
    uint32_t capabilities;
    uint8_t reserved2[4];
} NfitPlatformCaps;
static_assert(sizeof(NfitPlatformCaps) == 16,
              "NFIT Platform Capabilities is 16 bytes");

/* Per-slot numbering, as QEMU derives it (docs/specs/acpi_nvdimm.md). */
#define NVDIMM_SERIAL_BASE              0x123456u

static uint32_t nvdimm_slot_handle(uint32_t slot)
{
    return slot + 1;
}

static uint16_t nvdimm_slot_spa_index(uint32_t slot)
{
    return (uint16_t)((slot + 1) * 2);
}

static uint16_t nvdimm_slot_dcr_index(uint32_t slot)
{
    return nvdimm_slot_spa_index(slot) + 1;
}

static void nfit_add_spa_range(GByteArray *out, const NvdimmAcpiDimm *d)
{
    NfitSpaRange spa = {
        .type = GUINT16_TO_LE(NFIT_TYPE_SPA_RANGE),
        .length = GUINT16_TO_LE(sizeof(NfitSpaRange)),
        .range_index = GUINT16_TO_LE(nvdimm_slot_spa_index(d->slot)),
        .flags = GUINT16_TO_LE(NFIT_SPA_FLAG_CTRL_HOTADD_ONLY |
                               NFIT_SPA_FLAG_PROXIMITY_VALID),
        .proximity_domain = GUINT32_TO_LE(d->node),
        .base = GUINT64_TO_LE(d->addr),
        .size = GUINT64_TO_LE(d->region_size),
        .mapping_attributes = GUINT64_TO_LE(EFI_MEMORY_WB | EFI_MEMORY_NV),
    };

    memcpy(spa.range_type_guid, nfit_spa_guid_pm, sizeof(nfit_spa_guid_pm));
    g_byte_array_append(out, (const guint8 *)&spa, sizeof(spa));
}

static void nfit_add_memdev_map(GByteArray *out, const NvdimmAcpiDimm *d)
{
    NfitMemdevMap map = {
        .type = GUINT16_TO_LE(NFIT_TYPE_MEMDEV_TO_SPA_MAP),
        .length = GUINT16_TO_LE(sizeof(NfitMemdevMap)),
        .device_handle = GUINT32_TO_LE(nvdimm_slot_handle(d->slot)),
        .spa_range_index = GUINT16_TO_LE(nvdimm_slot_spa_index(d->slot)),
        .control_region_index =
            GUINT16_TO_LE(nvdimm_slot_dcr_index(d->slot)),
        .region_size = GUINT64_TO_LE(d->region_size),
        /* One region per DIMM, not interleaved, starting at DPA 0. */
        .interleave_ways = GUINT16_TO_LE(1),
        .state_flags = GUINT16_TO_LE(d->unarmed ?
                                     NFIT_MEMDEV_FLAG_NOT_ARMED : 0),
    };

    g_byte_array_append(out, (const guint8 *)&map, sizeof(map));
}

static void nfit_add_control_region(GByteArray *out, const NvdimmAcpiDimm *d)
{
    NfitControlRegion dcr = {
        .type = GUINT16_TO_LE(NFIT_TYPE_CONTROL_REGION),
        .length = GUINT16_TO_LE(sizeof(NfitControlRegion)),
        .region_index = GUINT16_TO_LE(nvdimm_slot_dcr_index(d->slot)),
        .vendor_id = GUINT16_TO_LE(NFIT_DCR_VENDOR_ID),
        .device_id = GUINT16_TO_LE(NFIT_DCR_DEVICE_ID),
        .revision_id = GUINT16_TO_LE(NFIT_DCR_REVISION_ID),
        .serial_number = GUINT32_TO_LE(NVDIMM_SERIAL_BASE + d->slot),
        .format_interface_code =
            GUINT16_TO_LE(NFIT_DCR_FIC_BYTE_ADDRESSABLE),
    };

    g_byte_array_append(out, (const guint8 *)&dcr, sizeof(dcr));
}

static void nfit_add_platform_caps(GByteArray *out, uint32_t capabilities)
{
    NfitPlatformCaps caps = {
        .type = GUINT16_TO_LE(NFIT_TYPE_PLATFORM_CAPS),
        .length = GUINT16_TO_LE(sizeof(NfitPlatformCaps)),
        /* Index of the highest set bit, as QEMU computes it. */
        .highest_valid_bit = 31 - __builtin_clz(capabilities),
        .capabilities = GUINT32_TO_LE(capabilities),
    };

    g_byte_array_append(out, (const guint8 *)&caps, sizeof(caps));
}

void nvdimm_build_fit(const NVDIMMState *s, GByteArray *out)
{
    guint i;

    /*
     * QEMU's FIT buffer stays empty until the first NVDIMM is plugged, so
     * no DIMM means no Platform Capabilities either.
     */
    if (!s->dimms || s->dimms->len == 0) {
        return;
    }
    for (i = 0; i < s->dimms->len; i++) {
        const NvdimmAcpiDimm *d = g_ptr_array_index(s->dimms, i);

        nfit_add_spa_range(out, d);
        nfit_add_memdev_map(out, d);
        nfit_add_control_region(out, d);
    }
    if (s->capabilities) {
        nfit_add_platform_caps(out, s->capabilities);
    }
}

/* Rebuild the FIT; like QEMU, every rebuild marks it changed. */
static void nvdimm_refresh_fit_locked(NVDIMMState *s)
{
    g_byte_array_set_size(s->fit, 0);
    nvdimm_build_fit(s, s->fit);
    s->fit_dirty = true;
}

void nvdimm_refresh_fit(NVDIMMState *s)
{
    g_mutex_lock(&nvdimm_lock);
    nvdimm_refresh_fit_locked(s);
    g_mutex_unlock(&nvdimm_lock);
}

void nvdimm_acpi_plug(NVDIMMState *s, NvdimmAcpiDimm *dimm, bool hotplug)
{
    g_mutex_lock(&nvdimm_lock);
    g_ptr_array_add(s->dimms, dimm);
    nvdimm_refresh_fit_locked(s);
    g_mutex_unlock(&nvdimm_lock);

    /* QEMU raises the ACPI event only for a hot-added DIMM. */
    if (hotplug && s->notify) {
        s->notify(s->notify_opaque);
    }
}

static const NvdimmAcpiDimm *nvdimm_find_locked(const NVDIMMState *s,
                                                uint32_t handle)
{
    guint i;

    for (i = 0; s->dimms && i < s->dimms->len; i++) {
        const NvdimmAcpiDimm *d = g_ptr_array_index(s->dimms, i);

        /* 64-bit sum: slot 0xFFFFFFFF must not alias the root handle. */
        if ((uint64_t)d->slot + 1 == handle) {
            return d;
        }
    }
    return NULL;
}

const NvdimmAcpiDimm *nvdimm_find_by_handle(const NVDIMMState *s,
                                            uint32_t handle)
{
    const NvdimmAcpiDimm *d;

    g_mutex_lock(&nvdimm_lock);
    d = nvdimm_find_locked(s, handle);
    g_mutex_unlock(&nvdimm_lock);
    return d;
}

void nvdimm_state_init(NVDIMMState *s, uint64_t dsm_page_gpa)
{
    memset(s, 0, sizeof(*s));
    /* The NvdimmAcpiDimm descriptions belong to the device model. */
    s->dimms = g_ptr_array_new();
    s->fit = g_byte_array_new();
    s->dsm_page_gpa = dsm_page_gpa;
}

void nvdimm_state_cleanup(NVDIMMState *s)
{
    if (s->dimms) {
        g_ptr_array_free(s->dimms, true);
    }
    if (s->fit) {
        g_byte_array_free(s->fit, true);
    }
    memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* _DSM (docs/specs/acpi_nvdimm.md; Intel "NVDIMM DSM Interface" rev 1). */

/* The only DSM revision QEMU 7.2 accepts (Arg1). */
#define NVDIMM_DSM_REVISION_1           1

/* Functions of the VMM-private handle 0x10000 (QEMU's acpi_nvdimm spec). */
#define NVDIMM_RSVD_FN_QUERY            0
#define NVDIMM_RSVD_FN_READ_FIT         1
/* Functions of a DIMM handle (DSM Interface Example rev 1 §4.4-§4.6). */
#define NVDIMM_FN_QUERY                 0
#define NVDIMM_FN_GET_LABEL_SIZE        4
#define NVDIMM_FN_GET_LABEL_DATA        5
#define NVDIMM_FN_SET_LABEL_DATA        6

/* Function-0 bitmaps: bit 0 "other functions exist", bit N function N. */
#define NVDIMM_ROOT_FUNCS               0x0u
#define NVDIMM_RSVD_FUNCS               ((1u << 0) | \
                                         (1u << NVDIMM_RSVD_FN_READ_FIT))
#define NVDIMM_LABEL_FUNCS              ((1u << 0) | \
                                         (1u << NVDIMM_FN_GET_LABEL_SIZE) | \
                                         (1u << NVDIMM_FN_GET_LABEL_DATA) | \
                                         (1u << NVDIMM_FN_SET_LABEL_DATA))

/* Reply: RLEN, then a status word, then data. */
#define NVDIMM_DSM_OUT_STATUS           NVDIMM_DSM_OUT_PAYLOAD
#define NVDIMM_DSM_OUT_DATA             (NVDIMM_DSM_OUT_STATUS + 4)
/* Read FIT sends at most what fits after RLEN and status: 4088 bytes. */
#define NVDIMM_READ_FIT_MAX_CHUNK       (NVDIMM_DSM_MEMORY_SIZE - \
                                         NVDIMM_DSM_OUT_DATA)

/* Arg3 of Read FIT: u32 offset. */
#define NVDIMM_READ_FIT_IN_OFFSET       NVDIMM_DSM_IN_ARG3
/* Arg3 of Get/Set Label Data: u32 offset, u32 length, then (set) data. */
#define NVDIMM_LABEL_IN_OFFSET          NVDIMM_DSM_IN_ARG3
#define NVDIMM_LABEL_IN_LENGTH          (NVDIMM_DSM_IN_ARG3 + 4)
#define NVDIMM_LABEL_IN_DATA            (NVDIMM_DSM_IN_ARG3 + 8)

/* The advertised maximum transfer must fit the page both ways. */
static_assert(NVDIMM_LABEL_IN_DATA + NVDIMM_DSM_MAX_LABEL_XFER <=
              NVDIMM_DSM_MEMORY_SIZE, "Set Label Data fits the page");
static_assert(NVDIMM_DSM_OUT_DATA + NVDIMM_DSM_MAX_LABEL_XFER <=
              NVDIMM_DSM_MEMORY_SIZE, "Get Label Data fits the page");
static_assert(NVDIMM_DSM_MAX_LABEL_XFER ==
              NVDIMM_DSM_MEMORY_SIZE - NVDIMM_LABEL_IN_DATA,
              "max transfer is QEMU's min(4096 - 8, 4096 - 12 - 8)");

static uint32_t dsm_ld32(const uint8_t *page, unsigned offset)
{
    uint32_t v;

    memcpy(&v, page + offset, sizeof(v));
    return GUINT32_FROM_LE(v);
}

static void dsm_st32(uint8_t *page, unsigned offset, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(page + offset, &v, sizeof(v));
}

/*
 * The reply builders below return RLEN, the number of bytes of @out that
 * go back to the guest (RLEN itself included).
 */

/* Function 0: RLEN and the bitmap, no status word. */
static uint32_t dsm_reply_functions(uint8_t *out, uint32_t bitmap)
{
    dsm_st32(out, NVDIMM_DSM_OUT_PAYLOAD, bitmap);
    return NVDIMM_DSM_OUT_PAYLOAD + 4;
}

static uint32_t dsm_reply_status(uint8_t *out, uint32_t status)
{
    dsm_st32(out, NVDIMM_DSM_OUT_STATUS, status);
    return NVDIMM_DSM_OUT_DATA;
}

static uint32_t dsm_read_fit(NVDIMMState *s, const uint8_t *in, uint8_t *out)
{
    uint32_t offset = dsm_ld32(in, NVDIMM_READ_FIT_IN_OFFSET);
    uint32_t len;

    /* QEMU's order: range check, then the dirty protocol. */
    if (offset > s->fit->len) {
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_INVALID);
    }
    if (offset == 0) {
        s->fit_dirty = false;           /* a (re)start of a FIT read */
    } else if (s->fit_dirty) {
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_FIT_CHANGED);
    }
    len = MIN(s->fit->len - offset, NVDIMM_READ_FIT_MAX_CHUNK);
    if (len) {
        memcpy(out + NVDIMM_DSM_OUT_DATA, s->fit->data + offset, len);
    }
    dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_SUCCESS);
    return NVDIMM_DSM_OUT_DATA + len;
}

static uint32_t dsm_reserved_root(NVDIMMState *s, uint32_t function,
                                  const uint8_t *in, uint8_t *out)
{
    switch (function) {
    case NVDIMM_RSVD_FN_QUERY:
        return dsm_reply_functions(out, NVDIMM_RSVD_FUNCS);
    case NVDIMM_RSVD_FN_READ_FIT:
        return dsm_read_fit(s, in, out);
    default:
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_UNSUPPORT);
    }
}

static uint32_t dsm_root(uint32_t function, uint8_t *out)
{
    if (function == NVDIMM_FN_QUERY) {
        return dsm_reply_functions(out, NVDIMM_ROOT_FUNCS);
    }
    return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_UNSUPPORT);
}

static uint32_t dsm_label_size(const NvdimmAcpiDimm *d, uint8_t *out)
{
    dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_SUCCESS);
    /* A 32-bit field: QEMU truncates label-size the same way. */
    dsm_st32(out, NVDIMM_DSM_OUT_DATA, (uint32_t)d->label_size);
    dsm_st32(out, NVDIMM_DSM_OUT_DATA + 4, NVDIMM_DSM_MAX_LABEL_XFER);
    return NVDIMM_DSM_OUT_DATA + 8;
}

/* QEMU's checks for Get/Set Label Data, in QEMU's order. */
static uint32_t dsm_label_range_check(const NvdimmAcpiDimm *d,
                                      uint32_t offset, uint32_t length)
{
    if (offset + length < offset) {
        return NVDIMM_DSM_RET_STATUS_INVALID;       /* 32-bit overflow */
    }
    /* 64-bit sum: safe even without the check above. */
    if (d->label_size < (uint64_t)offset + length) {
        return NVDIMM_DSM_RET_STATUS_INVALID;       /* past the label area */
    }
    if (length > NVDIMM_DSM_MAX_LABEL_XFER) {
        return NVDIMM_DSM_RET_STATUS_INVALID;       /* larger than the page */
    }
    return NVDIMM_DSM_RET_STATUS_SUCCESS;
}

static uint32_t dsm_label_status(NvdimmLabelResult r)
{
    switch (r) {
    case NVDIMM_LABEL_OK:
        return NVDIMM_DSM_RET_STATUS_SUCCESS;
    case NVDIMM_LABEL_READ_ONLY:
        return NVDIMM_DSM_RET_STATUS_UNSUPPORT;
    default:
        return NVDIMM_DSM_RET_STATUS_HW_ERROR;
    }
}

static uint32_t dsm_get_label_data(const NvdimmAcpiDimm *d,
                                   const uint8_t *in, uint8_t *out)
{
    uint32_t offset = dsm_ld32(in, NVDIMM_LABEL_IN_OFFSET);
    uint32_t length = dsm_ld32(in, NVDIMM_LABEL_IN_LENGTH);
    uint32_t status = dsm_label_range_check(d, offset, length);

    if (status != NVDIMM_DSM_RET_STATUS_SUCCESS) {
        return dsm_reply_status(out, status);
    }
    if (!d->read_label) {
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_UNSUPPORT);
    }
    status = dsm_label_status(d->read_label(d->opaque,
                                            out + NVDIMM_DSM_OUT_DATA,
                                            length, offset));
    if (status != NVDIMM_DSM_RET_STATUS_SUCCESS) {
        /* Whatever was read before the failure stays out of the reply. */
        memset(out + NVDIMM_DSM_OUT_DATA, 0, length);
        return dsm_reply_status(out, status);
    }
    dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_SUCCESS);
    return NVDIMM_DSM_OUT_DATA + length;
}

static uint32_t dsm_set_label_data(const NvdimmAcpiDimm *d,
                                   const uint8_t *in, uint8_t *out)
{
    uint32_t offset = dsm_ld32(in, NVDIMM_LABEL_IN_OFFSET);
    uint32_t length = dsm_ld32(in, NVDIMM_LABEL_IN_LENGTH);
    uint32_t status = dsm_label_range_check(d, offset, length);

    if (status != NVDIMM_DSM_RET_STATUS_SUCCESS) {
        return dsm_reply_status(out, status);
    }
    /* Implied by the max-transfer check; kept so no change can break it. */
    if (length > NVDIMM_DSM_MEMORY_SIZE - NVDIMM_LABEL_IN_DATA) {
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_INVALID);
    }
    /*
     * pmemvm: a backend that refuses the write answers "not supported",
     * one whose storage fails "hardware error".
     */
    if (!d->write_label) {
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_UNSUPPORT);
    }
    return dsm_reply_status(out, dsm_label_status(
        d->write_label(d->opaque, in + NVDIMM_LABEL_IN_DATA, length,
                       offset)));
}

static uint32_t dsm_dimm(NVDIMMState *s, uint32_t handle, uint32_t function,
                         const uint8_t *in, uint8_t *out)
{
    const NvdimmAcpiDimm *d = nvdimm_find_locked(s, handle);

    if (function == NVDIMM_FN_QUERY) {
        /* Even for a handle without a DIMM: bitmap 0, not a status. */
        return dsm_reply_functions(out, d && d->label_size ?
                                        NVDIMM_LABEL_FUNCS : 0);
    }
    if (!d) {
        return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_NOMEMDEV);
    }
    if (d->label_size) {
        switch (function) {
        case NVDIMM_FN_GET_LABEL_SIZE:
            return dsm_label_size(d, out);
        case NVDIMM_FN_GET_LABEL_DATA:
            return dsm_get_label_data(d, in, out);
        case NVDIMM_FN_SET_LABEL_DATA:
            return dsm_set_label_data(d, in, out);
        }
    }
    return dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_UNSUPPORT);
}

void nvdimm_dsm_handle(NVDIMMState *s,
                       const uint8_t in[NVDIMM_DSM_MEMORY_SIZE],
                       uint8_t out[NVDIMM_DSM_MEMORY_SIZE],
                       uint32_t *out_len)
{
    uint32_t handle = dsm_ld32(in, NVDIMM_DSM_IN_HANDLE);
    uint32_t revision = dsm_ld32(in, NVDIMM_DSM_IN_REVISION);
    uint32_t function = dsm_ld32(in, NVDIMM_DSM_IN_FUNCTION);
    uint32_t rlen;

    memset(out, 0, NVDIMM_DSM_MEMORY_SIZE);

    g_mutex_lock(&nvdimm_lock);
    if (revision != NVDIMM_DSM_REVISION_1) {
        rlen = dsm_reply_status(out, NVDIMM_DSM_RET_STATUS_UNSUPPORT);
    } else if (handle == NVDIMM_QEMU_RSVD_HANDLE_ROOT) {
        rlen = dsm_reserved_root(s, function, in, out);
    } else if (handle == NVDIMM_ROOT_HANDLE) {
        rlen = dsm_root(function, out);
    } else {
        rlen = dsm_dimm(s, handle, function, in, out);
    }
    g_mutex_unlock(&nvdimm_lock);

    assert(rlen >= NVDIMM_DSM_OUT_PAYLOAD + 4 &&
           rlen <= NVDIMM_DSM_MEMORY_SIZE);
    dsm_st32(out, NVDIMM_DSM_OUT_RLEN, rlen);
    *out_len = rlen;
}

/* ------------------------------------------------------------------ */
/* Port 0x0A18: the guest writes the DSM page address to start a call.  */

void nvdimm_dsm_port_write(NVDIMMState *s, uint32_t val)
{
    g_autofree uint8_t *in = NULL;
    g_autofree uint8_t *out = NULL;
    uint32_t out_len;

    if (val != s->dsm_page_gpa) {
        guest_error("nvdimm: DSM request at 0x%x is not the DSM page "
                    "(MEMA 0x%llx), ignored",
                    val, (unsigned long long)s->dsm_page_gpa);
        return;
    }

    /* Private copy: the guest may change the page while we work. */
    in = g_malloc(NVDIMM_DSM_MEMORY_SIZE);
    out = g_malloc(NVDIMM_DSM_MEMORY_SIZE);
    if (!guest_memory_read(s->dsm_page_gpa, in, NVDIMM_DSM_MEMORY_SIZE)) {
        guest_error("nvdimm: DSM page 0x%llx is not guest RAM, "
                    "request ignored",
                    (unsigned long long)s->dsm_page_gpa);
        return;
    }
    nvdimm_dsm_handle(s, in, out, &out_len);
    if (!guest_memory_write(s->dsm_page_gpa, out, out_len)) {
        guest_error("nvdimm: DSM reply to 0x%llx could not be written",
                    (unsigned long long)s->dsm_page_gpa);
    }
}

static uint32_t nvdimm_dsm_io_read(void *opaque, uint16_t offset,
                                   unsigned size)
{
    /* Nothing to read here; QEMU's handler returns 0 too. */
    return 0;
}

static void nvdimm_dsm_io_write(void *opaque, uint16_t offset, uint32_t val,
                                unsigned size)
{
    /* QEMU accepts only aligned 4-byte accesses (.valid = 4..4). */
    if (offset != 0 || size != LAYOUT_PORT_NVDIMM_DSM_LEN) {
        guest_error("nvdimm: %u-byte write at DSM port 0x%x ignored "
                    "(needs 4 bytes at 0x%x)", size,
                    LAYOUT_PORT_NVDIMM_DSM + offset, LAYOUT_PORT_NVDIMM_DSM);
        return;
    }
    nvdimm_dsm_port_write(opaque, val);
}

static const IOPortOps nvdimm_dsm_io_ops = {
    .read = nvdimm_dsm_io_read,
    .write = nvdimm_dsm_io_write,
};

void nvdimm_dsm_register_port(NVDIMMState *s)
{
    if (!ioport_register("nvdimm-dsm", LAYOUT_PORT_NVDIMM_DSM,
                         LAYOUT_PORT_NVDIMM_DSM_LEN, &nvdimm_dsm_io_ops, s)) {
        /* Two devices claiming one port is a bug in the machine. */
        error_report("nvdimm: I/O port 0x%x is already claimed",
                     LAYOUT_PORT_NVDIMM_DSM);
        abort();
    }
}
