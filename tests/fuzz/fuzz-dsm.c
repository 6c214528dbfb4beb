/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the NVDIMM _DSM request handler (hw/acpi/nvdimm.c) on a
 * 4 KiB request page as the guest fills it, with two DIMMs (one with a
 * 128 KiB label area, one without) and the FIT built.  The reply must fit
 * the page and label writes must stay inside the label area.
 */
#include "qemu/osdep.h"
#include "hw/acpi/nvdimm.h"

#define LABELS  (128 * 1024)
#define GUARD   64

static NVDIMMState state;
static NvdimmAcpiDimm dimms[2];
static uint8_t *label_mem;          /* GUARD | LABELS | GUARD */

static NvdimmLabelResult read_label(void *opaque, void *buf, uint64_t size,
                                    uint64_t offset)
{
    assert(offset <= LABELS && size <= LABELS - offset);
    memcpy(buf, label_mem + GUARD + offset, size);
    return NVDIMM_LABEL_OK;
}

static NvdimmLabelResult write_label(void *opaque, const void *buf,
                                     uint64_t size, uint64_t offset)
{
    assert(offset <= LABELS && size <= LABELS - offset);
    memcpy(label_mem + GUARD + offset, buf, size);
    return NVDIMM_LABEL_OK;
}

static void setup(void)
{
    label_mem = g_malloc0(LABELS + 2 * GUARD);
    nvdimm_state_init(&state, 0xDF000);
    dimms[0] = (NvdimmAcpiDimm) {
        .slot = 0, .addr = 0x100000000ULL, .region_size = 16 << 20,
        .label_size = LABELS, .read_label = read_label,
        .write_label = write_label,
    };
    dimms[1] = (NvdimmAcpiDimm) {
        .slot = 3, .addr = 0x101000000ULL, .region_size = 16 << 20,
        .unarmed = true,
    };
    nvdimm_acpi_plug(&state, &dimms[0], false);
    nvdimm_acpi_plug(&state, &dimms[1], true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    uint8_t in[NVDIMM_DSM_MEMORY_SIZE] = { 0 };
    uint8_t out[NVDIMM_DSM_MEMORY_SIZE];
    uint32_t out_len = 0;
    unsigned i;

    if (!ready) {
        setup();
        ready = true;
    }
    memcpy(in, data, MIN(size, sizeof(in)));
    nvdimm_dsm_handle(&state, in, out, &out_len);
    assert(out_len >= 4 && out_len <= sizeof(out));
    for (i = 0; i < GUARD; i++) {
        assert(!label_mem[i] && !label_mem[GUARD + LABELS + i]);
    }
    return 0;
}
