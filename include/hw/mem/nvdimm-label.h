/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recognising a namespace label area in a backend's bytes, for the
 * label-area guard of the nvdimm device (docs/system/nvdimm.md, "The
 * label area guard").  Pure functions over a buffer.
 *
 * The format is the one Linux (drivers/nvdimm/label.h, struct
 * nd_namespace_index) and UEFI 2.7 (§13.19 "NVDIMM Label Protocol")
 * share: the label area starts with two index blocks, each 256-byte
 * aligned, each beginning with the signature "NAMESPACE_INDEX\0" and
 * protected by a Fletcher-64 checksum over the block (checksum field
 * zeroed).  One valid index block is enough to call it a label area.
 */
#ifndef HW_MEM_NVDIMM_LABEL_H
#define HW_MEM_NVDIMM_LABEL_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/* struct nd_namespace_index, little-endian, offsets in bytes. */
#define NSINDEX_SIG             "NAMESPACE_INDEX"   /* + NUL: 16 bytes */
#define NSINDEX_SIG_LEN         16
#define NSINDEX_OFF_SEQ         20
#define NSINDEX_OFF_MYOFF       24
#define NSINDEX_OFF_MYSIZE      32
#define NSINDEX_OFF_OTHEROFF    40
#define NSINDEX_OFF_LABELOFF    48
#define NSINDEX_OFF_NSLOT       56
#define NSINDEX_OFF_MAJOR       60
#define NSINDEX_OFF_MINOR       62
#define NSINDEX_OFF_CHECKSUM    64
#define NSINDEX_HDR_SIZE        72
#define NSINDEX_ALIGN           256

typedef enum NvdimmLabelAreaKind {
    NVDIMM_LABEL_AREA_ZERO,     /* every byte 0: nothing to hide */
    NVDIMM_LABEL_AREA_LABELS,   /* holds a valid namespace index block */
    NVDIMM_LABEL_AREA_DATA,     /* anything else: someone's data */
} NvdimmLabelAreaKind;

/* Linux's nd_fletcher64() over @len bytes (a multiple of 4). */
uint64_t nvdimm_label_fletcher64(const uint8_t *buf, uint64_t len);
/* A valid index block at @off of the @len-byte label area @area. */
bool nvdimm_label_index_valid(const uint8_t *area, uint64_t len,
                              uint64_t off);
NvdimmLabelAreaKind nvdimm_label_area_kind(const uint8_t *area,
                                           uint64_t len);
/* The largest label area nvdimm_label_area_find_read() tries. */
#define NVDIMM_LABEL_FIND_MAX   (16 * MiB)
/*
 * For a backend used without labels: the size of a label area that ends
 * its @size bytes (one of the usual sizes, 128 KiB to 16 MiB, smaller than
 * @size) in *@found, or 0 if there is none.  The backend is read
 * piecewise: @read copies @len bytes at @offset (of the @size bytes) into
 * @buf, or fails with @errp.  Only the bytes where index blocks can be are
 * read (nvdimm_label_index_span() at the start of each candidate area,
 * some 70 KiB in all), never the whole 16 MiB tail.
 */
typedef bool (*NvdimmLabelReadFn)(void *opaque, uint64_t offset, void *buf,
                                  uint64_t len, Error **errp);
bool nvdimm_label_area_find_read(uint64_t size, NvdimmLabelReadFn read,
                                 void *opaque, uint64_t *found, Error **errp);
/* The bytes at the start of a @len-byte label area that hold its index
 * blocks, at most. */
uint64_t nvdimm_label_index_span(uint64_t len);

#endif
