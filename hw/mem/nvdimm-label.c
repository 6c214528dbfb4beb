/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recognising a namespace label area: see include/hw/mem/nvdimm-label.h.
 */
#include "qemu/osdep.h"
#include "hw/mem/nvdimm-label.h"

/* The smallest label area nvdimm_label_area_find_read() tries: QEMU's
 * minimum. */
#define LABEL_FIND_MIN          (128 * KiB)
/* The smallest namespace label (Linux's v1.1 label, 128 bytes). */
#define NSLABEL_MIN_SIZE        128

static uint32_t ld32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_LE(v);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_LE(v);
}

uint64_t nvdimm_label_fletcher64(const uint8_t *buf, uint64_t len)
{
    uint32_t lo = 0;
    uint64_t hi = 0;
    uint64_t i;

    for (i = 0; i + 4 <= len; i += 4) {
        lo += ld32(buf + i);
        hi += lo;
    }
    return hi << 32 | lo;
}

bool nvdimm_label_index_valid(const uint8_t *area, uint64_t len,
                              uint64_t off)
{
    const uint8_t *blk;
    uint64_t mysize, sum;
    g_autofree uint8_t *copy = NULL;

    if (off > len || len - off < NSINDEX_HDR_SIZE) {
        return false;
    }
    blk = area + off;
    if (memcmp(blk, NSINDEX_SIG, NSINDEX_SIG_LEN)) {
        return false;
    }
    mysize = ld64(blk + NSINDEX_OFF_MYSIZE);
    if (ld64(blk + NSINDEX_OFF_MYOFF) != off || mysize < NSINDEX_HDR_SIZE ||
        mysize % 8 || mysize > len - off) {
        return false;
    }
    /* The checksum is over the block with its checksum field zero. */
    copy = g_memdup2(blk, mysize);
    memset(copy + NSINDEX_OFF_CHECKSUM, 0, 8);
    sum = nvdimm_label_fletcher64(copy, mysize);
    return sum == ld64(blk + NSINDEX_OFF_CHECKSUM);
}

/*
 * An index block is its header and a bit per label slot, 256-byte
 * aligned, and a @len-byte area has at most len / 128 slots: the largest
 * index block of such an area.
 */
static uint64_t label_index_max(uint64_t len)
{
    uint64_t slots = len / NSLABEL_MIN_SIZE;

    return QEMU_ALIGN_UP(NSINDEX_HDR_SIZE + (slots + 7) / 8, NSINDEX_ALIGN);
}

/*
 * Either index block will do: the other may be mid-update.  The first is
 * at 0, the second right after it, so no later than label_index_max()
 * (and than len / 2), and it ends by twice that.  Looking no further
 * keeps the bytes read few: a 16 MiB area is not read through to find
 * that it has no labels.  @avail: the bytes of the @len-byte area at
 * @area (its start).
 */
static bool label_area_has_index(const uint8_t *area, uint64_t avail,
                                 uint64_t len)
{
    uint64_t off;

    for (off = 0; off <= MIN(len / 2, label_index_max(len));
         off += NSINDEX_ALIGN) {
        if (nvdimm_label_index_valid(area, MIN(avail, len), off)) {
            return true;
        }
    }
    return false;
}

uint64_t nvdimm_label_index_span(uint64_t len)
{
    return MIN(len, 2 * label_index_max(len));
}

NvdimmLabelAreaKind nvdimm_label_area_kind(const uint8_t *area,
                                           uint64_t len)
{
    uint64_t off;

    for (off = 0; off < len && !area[off]; off++) {
    }
    if (off == len) {
        return NVDIMM_LABEL_AREA_ZERO;
    }
    return label_area_has_index(area, len, len) ? NVDIMM_LABEL_AREA_LABELS :
                                                  NVDIMM_LABEL_AREA_DATA;
}

bool nvdimm_label_area_find_read(uint64_t size, NvdimmLabelReadFn read,
                                 void *opaque, uint64_t *found, Error **errp)
{
    uint64_t l;

    /*
     * Only where the index blocks can be is read: a hot-added label-less
     * DIMM used to have the last 16 MiB of its backend copied out (and,
     * on tmpfs or a sparse file, those pages allocated) in device_add.
     */
    *found = 0;
    for (l = LABEL_FIND_MIN; l <= NVDIMM_LABEL_FIND_MAX && l < size; l *= 2) {
        uint64_t span = nvdimm_label_index_span(l);
        g_autofree uint8_t *buf = g_malloc(span);

        if (!read(opaque, size - l, buf, span, errp)) {
            return false;
        }
        if (label_area_has_index(buf, span, l)) {
            *found = l;
            return true;
        }
    }
    return true;
}
