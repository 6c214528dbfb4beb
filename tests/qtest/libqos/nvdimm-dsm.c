/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NVDIMM _DSM calls from a qtest: see nvdimm-dsm.h.
 */
#include "qemu/osdep.h"
#include "hw/i386/layout.h"
#include "nvdimm-dsm.h"

#define QDSM_PAGE_SIZE      4096
#define QDSM_ARG3           0xC

static uint32_t qdsm_ld32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void qdsm_st32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

void qdsm_page_call(QTestState *qts, const uint8_t *request, QDsmReply *r)
{
    qtest_memwrite(qts, LAYOUT_NVDIMM_DSM_PAGE, request, QDSM_PAGE_SIZE);
    qtest_outl(qts, LAYOUT_PORT_NVDIMM_DSM, LAYOUT_NVDIMM_DSM_PAGE);
    qtest_memread(qts, LAYOUT_NVDIMM_DSM_PAGE, r->page, QDSM_PAGE_SIZE);
    r->rlen = qdsm_ld32(r->page);
    r->status = qdsm_ld32(r->page + 4);
}

uint32_t qdsm_call_rev(QTestState *qts, uint32_t handle, uint32_t revision,
                       uint32_t function, const void *arg3, size_t len,
                       QDsmReply *r)
{
    g_autofree uint8_t *req = g_malloc0(QDSM_PAGE_SIZE);

    g_assert_cmpuint(len, <=, QDSM_PAGE_SIZE - QDSM_ARG3);
    qdsm_st32(req, handle);
    qdsm_st32(req + 4, revision);
    qdsm_st32(req + 8, function);
    if (len) {
        memcpy(req + QDSM_ARG3, arg3, len);
    }
    qdsm_page_call(qts, req, r);
    /* Whatever the request, the reply is a sane length. */
    g_assert_cmpuint(r->rlen, >=, 8);
    g_assert_cmpuint(r->rlen, <=, QDSM_PAGE_SIZE);
    return r->status;
}

uint32_t qdsm_call(QTestState *qts, uint32_t handle, uint32_t function,
                   const void *arg3, size_t len, QDsmReply *r)
{
    return qdsm_call_rev(qts, handle, 1, function, arg3, len, r);
}

uint32_t qdsm_label_read(QTestState *qts, uint32_t handle, uint32_t offset,
                         uint32_t length, QDsmReply *r)
{
    uint8_t arg[8];

    qdsm_st32(arg, offset);
    qdsm_st32(arg + 4, length);
    qdsm_call(qts, handle, QDSM_FN_GET_LABEL_DATA, arg, sizeof(arg), r);
    g_assert_cmpuint(r->rlen, ==, r->status == QDSM_ST_OK ? 8 + length : 8);
    return r->status;
}

uint32_t qdsm_label_write(QTestState *qts, uint32_t handle, uint32_t offset,
                          uint32_t length, const void *data)
{
    g_autofree uint8_t *arg = g_malloc0(8 + QDSM_MAX_LABEL_XFER);
    QDsmReply r;

    qdsm_st32(arg, offset);
    qdsm_st32(arg + 4, length);
    if (data) {
        memcpy(arg + 8, data, MIN(length, QDSM_MAX_LABEL_XFER));
    }
    qdsm_call(qts, handle, QDSM_FN_SET_LABEL_DATA, arg,
              8 + QDSM_MAX_LABEL_XFER, &r);
    g_assert_cmpuint(r.rlen, ==, 8);
    return r.status;
}
