/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NVDIMM ACPI: the NFIT/FIT builder and the _DSM page protocol
 * (docs/specs/acpi_nvdimm.md).
 *
 * The device model (hw/mem/nvdimm.c) describes each DIMM with an
 * NvdimmAcpiDimm and adds it to the machine's NVDIMMState in creation
 * order.  This module only reads those descriptions; it owns the FIT
 * buffer and answers _DSM requests.
 */
#ifndef HW_ACPI_NVDIMM_H
#define HW_ACPI_NVDIMM_H

#include "qemu/osdep.h"

/* Handles (docs/specs/acpi_nvdimm.md, "_DSM protocol"). */
#define NVDIMM_ROOT_HANDLE              0x0
#define NVDIMM_QEMU_RSVD_HANDLE_ROOT    0x10000

/* DSM page layout. */
#define NVDIMM_DSM_MEMORY_SIZE          4096
#define NVDIMM_DSM_IN_HANDLE            0x0
#define NVDIMM_DSM_IN_REVISION          0x4
#define NVDIMM_DSM_IN_FUNCTION          0x8
#define NVDIMM_DSM_IN_ARG3              0xC
#define NVDIMM_DSM_ARG3_SIZE            (NVDIMM_DSM_MEMORY_SIZE - NVDIMM_DSM_IN_ARG3)
#define NVDIMM_DSM_OUT_RLEN             0x0
#define NVDIMM_DSM_OUT_PAYLOAD          0x4

/* Status codes. */
#define NVDIMM_DSM_RET_STATUS_SUCCESS       0
#define NVDIMM_DSM_RET_STATUS_UNSUPPORT     1
#define NVDIMM_DSM_RET_STATUS_NOMEMDEV      2
#define NVDIMM_DSM_RET_STATUS_INVALID       3
/*
 * "HW Error" in Intel's DSM interface (ndctl's ND_INTEL_STATUS_HWERR);
 * QEMU never sends it.  pmemvm answers it when the backing store fails a
 * label read or write (docs/specs/acpi_nvdimm.md).
 */
#define NVDIMM_DSM_RET_STATUS_HW_ERROR      4
#define NVDIMM_DSM_RET_STATUS_FIT_CHANGED   0x100

/* Label transfers: 4096 - 12 (DSM input header) - 8 (offset, length). */
#define NVDIMM_DSM_MAX_LABEL_XFER       4076

/* Platform Capabilities bits (ACPI 6.2 §5.2.25.9). */
#define NVDIMM_CAP_CPU_FLUSH            (1u << 0)
#define NVDIMM_CAP_MEM_FLUSH            (1u << 1)
#define NVDIMM_CAP_MIRRORING            (1u << 2)

typedef struct NvdimmAcpiDimm NvdimmAcpiDimm;

/* What a label access did; the DSM answers the matching status. */
typedef enum NvdimmLabelResult {
    NVDIMM_LABEL_OK,            /* status 0 */
    NVDIMM_LABEL_READ_ONLY,     /* status 1: the backend is read-only */
    NVDIMM_LABEL_IO_ERROR,      /* status 4: the backing store failed
                                   (the device has logged why) */
} NvdimmLabelResult;

struct NvdimmAcpiDimm {
    uint32_t slot;              /* 0-based; handle = slot + 1 */
    uint64_t addr;              /* guest-physical base of the region */
    uint64_t region_size;       /* SPA range / mapped size */
    uint32_t node;              /* proximity domain */
    bool unarmed;
    uint64_t label_size;        /* 0: no label area */
    /* Label area access; offsets are checked by the caller. */
    void *opaque;
    NvdimmLabelResult (*read_label)(void *opaque, void *buf, uint64_t size,
                                    uint64_t offset);
    NvdimmLabelResult (*write_label)(void *opaque, const void *buf,
                                     uint64_t size, uint64_t offset);
};

typedef struct NVDIMMState {
    GPtrArray *dimms;           /* NvdimmAcpiDimm*, creation order */
    GByteArray *fit;            /* current FIT (NFIT body) */
    bool fit_dirty;
    uint32_t capabilities;      /* Platform Capabilities; 0 = omit */
    uint64_t dsm_page_gpa;      /* MEMA */
    /* Called after a hot-add to raise the ACPI event (may be NULL). */
    void (*notify)(void *opaque);
    void *notify_opaque;
} NVDIMMState;

void nvdimm_state_init(NVDIMMState *s, uint64_t dsm_page_gpa);
void nvdimm_state_cleanup(NVDIMMState *s);

/* Append the NFIT sub-structures (not the table header) to @out. */
void nvdimm_build_fit(const NVDIMMState *s, GByteArray *out);
/* Rebuild s->fit from s->dimms. */
void nvdimm_refresh_fit(NVDIMMState *s);
/* Cold- or hot-plug bookkeeping: add the DIMM, rebuild the FIT; when
 * @hotplug, mark the FIT dirty and call s->notify. */
void nvdimm_acpi_plug(NVDIMMState *s, NvdimmAcpiDimm *dimm, bool hotplug);
const NvdimmAcpiDimm *nvdimm_find_by_handle(const NVDIMMState *s,
                                            uint32_t handle);

/*
 * Handle one request.  @in is a private copy of the DSM page (the guest
 * cannot change it under us); the reply is written to @out, of which the
 * first *out_len bytes are to be copied back into the guest page.  Never
 * fails: bad input gets a status.
 */
void nvdimm_dsm_handle(NVDIMMState *s,
                       const uint8_t in[NVDIMM_DSM_MEMORY_SIZE],
                       uint8_t out[NVDIMM_DSM_MEMORY_SIZE],
                       uint32_t *out_len);

/*
 * The port 0x0A18 write: @val must equal s->dsm_page_gpa (else it is
 * logged as a guest error and ignored); copies the page in, handles it and
 * copies the reply back with guest_memory_read/write.
 */
void nvdimm_dsm_port_write(NVDIMMState *s, uint32_t val);
/* Register the 4-byte port at LAYOUT_PORT_NVDIMM_DSM. */
void nvdimm_dsm_register_port(NVDIMMState *s);

#endif
