/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NVDIMM _DSM calls from a qtest, made as the guest's AML makes them
 * (docs/specs/acpi_nvdimm.md, "_DSM protocol"): the request is written
 * into the DSM page, the page's address to I/O port 0x0A18, and the reply
 * (RLEN, status, data) read back from the page.  pmemvm's page is at the
 * fixed LAYOUT_NVDIMM_DSM_PAGE.
 */
#ifndef LIBQOS_NVDIMM_DSM_H
#define LIBQOS_NVDIMM_DSM_H

#include <stdint.h>
#include "../libqtest.h"

/* Functions of a DIMM handle (Intel DSM Interface Example rev 1). */
#define QDSM_FN_GET_LABEL_SIZE  4
#define QDSM_FN_GET_LABEL_DATA  5
#define QDSM_FN_SET_LABEL_DATA  6

/* Statuses, spelled out so that tests do not trust the VMM's header. */
#define QDSM_ST_OK              0
#define QDSM_ST_UNSUPPORTED     1
#define QDSM_ST_NO_DEVICE       2
#define QDSM_ST_INVALID         3
#define QDSM_ST_HW_ERROR        4

/* Largest Get/Set Label Data transfer: 4096 - 12 - 8. */
#define QDSM_MAX_LABEL_XFER     4076

typedef struct QDsmReply {
    uint32_t rlen;
    uint32_t status;            /* or the bitmap of function 0 */
    uint8_t page[4096];         /* the whole page: data from page[8] */
} QDsmReply;

/* The DIMM handle of slot @slot. */
static inline uint32_t qdsm_handle(unsigned slot)
{
    return slot + 1;
}

/* Write the 4096-byte @request page, notify, read the reply page back. */
void qdsm_page_call(QTestState *qts, const uint8_t *request, QDsmReply *r);
/*
 * Call @function of @handle with @arg3 (@len bytes, at most 4084); the
 * status (or function 0's bitmap).  The reply must have a sane RLEN
 * whatever the request.  qdsm_call() is revision 1, the only one there is.
 */
uint32_t qdsm_call_rev(QTestState *qts, uint32_t handle, uint32_t revision,
                       uint32_t function, const void *arg3, size_t len,
                       QDsmReply *r);
uint32_t qdsm_call(QTestState *qts, uint32_t handle, uint32_t function,
                   const void *arg3, size_t len, QDsmReply *r);
/* Get Label Data: the status; on success the data is r->page[8..]. */
uint32_t qdsm_label_read(QTestState *qts, uint32_t handle, uint32_t offset,
                         uint32_t length, QDsmReply *r);
/* Set Label Data of @length bytes of @data: the status. */
uint32_t qdsm_label_write(QTestState *qts, uint32_t handle, uint32_t offset,
                          uint32_t length, const void *data);

#endif
