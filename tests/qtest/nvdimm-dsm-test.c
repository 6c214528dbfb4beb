/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the NVDIMM _DSM protocol, driven as the guest's AML drives it.
 *
 * Every request is written into the DSM page ("MEMA", guest memory), the
 * page address is written to I/O port 0x0A18, and the reply (RLEN, then
 * the payload) is read back from the same page
 * (docs/specs/acpi_nvdimm.md, "_DSM protocol").  Label writes are then
 * checked in the backing file itself.
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "libqtest.h"
#include "libqos/nvdimm-dsm.h"
#include "hw/acpi/nvdimm.h"
#include "hw/i386/layout.h"

#define MEMA            LAYOUT_NVDIMM_DSM_PAGE
#define DSM_PORT        LAYOUT_PORT_NVDIMM_DSM
#define PAGE            NVDIMM_DSM_MEMORY_SIZE
#define RSVD_HANDLE     NVDIMM_QEMU_RSVD_HANDLE_ROOT
#define MAX_XFER        NVDIMM_DSM_MAX_LABEL_XFER       /* 4076 */
#define FIT_CHUNK       (PAGE - 8)                      /* 4088 */
#define LABEL_SIZE      (128 * KiB)
#define DIMM_SIZE       (4 * MiB)

/* Statuses (spelled out so that the test does not trust the header). */
#define ST_OK           0
#define ST_UNSUPPORTED  1
#define ST_NO_DEVICE    2
#define ST_INVALID      3
#define ST_FIT_CHANGED  0x100

/* Function-0 bitmap of a DIMM with labels: functions 4, 5, 6 (and bit 0). */
#define LABEL_FUNCS     0x71

static char *tmp_dir;

/* ---- Little-endian helpers ---- */

static uint32_t ld32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ld64(const uint8_t *p)
{
    return ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void st32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/* ---- Backing files ---- */

/*
 * A file of @size random bytes (from @seed), so that every byte the DSM
 * moves can be traced; returns its path.  Its label area then holds "data": the DIMMs of
 * these tests pass label-check=off to have it as labels anyway.
 */
static char *make_backing(const char *name, uint64_t size, uint32_t seed)
{
    char *path = g_build_filename(tmp_dir, name, NULL);
    g_autofree uint8_t *buf = g_malloc(size);
    GRand *rand = g_rand_new_with_seed(seed);

    for (uint64_t i = 0; i < size; i++) {
        buf[i] = g_rand_int(rand);
    }
    g_rand_free(rand);
    g_assert_true(g_file_set_contents(path, (char *)buf, size, NULL));
    return path;
}

/* The whole file, which must be @size bytes long. */
static uint8_t *read_file(const char *path, uint64_t size)
{
    g_autoptr(GError) err = NULL;
    char *buf = NULL;
    gsize len = 0;

    g_assert_true(g_file_get_contents(path, &buf, &len, &err));
    g_assert_cmpuint(len, ==, size);
    return (uint8_t *)buf;
}

/* The file must hold exactly @expect: first differing offset on failure. */
static void assert_file_equals(const char *path, const uint8_t *expect,
                               uint64_t size)
{
    g_autofree uint8_t *now = read_file(path, size);

    for (uint64_t i = 0; i < size; i++) {
        if (now[i] != expect[i]) {
            g_test_message("%s: byte 0x%" PRIx64 " is 0x%02x, expected 0x%02x",
                           path, i, now[i], expect[i]);
            g_assert_cmphex(now[i], ==, expect[i]);
        }
    }
}

static void remove_file(char *path)
{
    unlink(path);
    g_free(path);
}

/* ---- The _DSM call, as the AML makes it ---- */

/* A request whose whole reply is one status/bitmap word (RLEN 8). */
static uint32_t dsm_word(QTestState *qts, uint32_t handle, uint32_t function)
{
    QDsmReply r;

    qdsm_call(qts, handle, function, NULL, 0, &r);
    g_assert_cmpuint(r.rlen, ==, 8);
    return r.status;
}

/* Read FIT at @offset: status; the chunk is r->page[8 .. rlen). */
static uint32_t read_fit_at(QTestState *qts, uint32_t offset, QDsmReply *r)
{
    uint8_t arg[4];

    st32(arg, offset);
    qdsm_call(qts, RSVD_HANDLE, 1, arg, sizeof(arg), r);
    if (r->status != ST_OK) {
        g_assert_cmpuint(r->rlen, ==, 8);
    }
    return r->status;
}

/* The whole FIT, chunk after chunk as _FIT reads it; *chunks counted. */
static GByteArray *read_fit(QTestState *qts, unsigned *chunks)
{
    GByteArray *fit = g_byte_array_new();
    QDsmReply r;
    uint32_t n;

    *chunks = 0;
    do {
        g_assert_cmphex(read_fit_at(qts, fit->len, &r), ==, ST_OK);
        n = r.rlen - 8;
        g_assert_cmpuint(n, <=, FIT_CHUNK);
        g_byte_array_append(fit, r.page + 8, n);
        ++*chunks;
    } while (n == FIT_CHUNK);
    return fit;
}

/* ---- ACPI tables in guest memory ---- */

/* The NFIT body (from offset 40), found through RSDP -> XSDT -> NFIT. */
static GByteArray *nfit_body_from_tables(QTestState *qts)
{
    uint8_t rsdp[36], hdr[36];
    uint64_t xsdt;
    uint32_t xsdt_len;

    qtest_memread(qts, LAYOUT_ACPI_RSDP, rsdp, sizeof(rsdp));
    g_assert_cmpmem(rsdp, 8, "RSD PTR ", 8);
    g_assert_cmpuint(rsdp[15], ==, 2);
    xsdt = ld64(rsdp + 24);
    qtest_memread(qts, xsdt, hdr, sizeof(hdr));
    g_assert_cmpmem(hdr, 4, "XSDT", 4);
    xsdt_len = ld32(hdr + 4);
    g_assert_cmpuint(xsdt_len, >=, 36);

    for (uint32_t off = 36; off + 8 <= xsdt_len; off += 8) {
        uint8_t entry[8];
        uint64_t table;
        uint32_t len;
        GByteArray *body;

        qtest_memread(qts, xsdt + off, entry, sizeof(entry));
        table = ld64(entry);
        qtest_memread(qts, table, hdr, sizeof(hdr));
        if (memcmp(hdr, "NFIT", 4)) {
            continue;
        }
        len = ld32(hdr + 4);
        g_assert_cmpuint(len, >=, 40);
        body = g_byte_array_sized_new(len - 40);
        g_byte_array_set_size(body, len - 40);
        qtest_memread(qts, table + 40, body->data, len - 40);
        return body;
    }
    g_assert_not_reached();
}

static void assert_fit_equals_nfit(GByteArray *fit, GByteArray *nfit)
{
    g_assert_cmpuint(fit->len, ==, nfit->len);
    g_assert_cmpmem(fit->data, fit->len, nfit->data, nfit->len);
}

/* ---- Liveness ---- */

static void assert_alive(QTestState *qts)
{
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-status'}");

    g_assert_true(json_object_has_member(rsp, "return"));
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(rsp, "return"),
                        "status"), ==, "running");
    json_object_unref(rsp);
    g_assert_true(qtest_probe_child(qts));
}

/* ---- Machines ---- */

/*
 * Two DIMMs: nv0 (slot 0, handle 1) with a 128 KiB label area on the file
 * @labelled, nv1 (slot 1, handle 2) without labels on @plain.  The files
 * hold random bytes, so that every byte the DSM moves can be traced; the
 * label-area guard would refuse such a label area, label-check=off lets
 * the guest have it.
 */
static QTestState *start_two_dimms(const char *labelled, const char *plain,
                                   const char *machine_extra)
{
    return qtest_initf(
        "-machine pc,nvdimm=on%s -m 256M,slots=4,maxmem=4G "
        "-object memory-backend-file,id=mem0,share=on,mem-path=%s,size=4M "
        "-device nvdimm,id=nv0,memdev=mem0,label-size=128K,label-check=off "
        "-object memory-backend-file,id=mem1,share=on,mem-path=%s,size=4M "
        "-device nvdimm,id=nv1,memdev=mem1",
        machine_extra, labelled, plain);
}

typedef struct TwoDimms {
    QTestState *qts;
    char *labelled, *plain;
    uint8_t *expect;            /* what the labelled file must hold */
} TwoDimms;

static void two_dimms_start(TwoDimms *t, const char *machine_extra)
{
    t->labelled = make_backing("labelled.img", DIMM_SIZE, 1);
    t->plain = make_backing("plain.img", DIMM_SIZE, 2);
    t->expect = read_file(t->labelled, DIMM_SIZE);
    t->qts = start_two_dimms(t->labelled, t->plain, machine_extra);
}

static void two_dimms_stop(TwoDimms *t)
{
    qtest_quit(t->qts);
    remove_file(t->labelled);
    remove_file(t->plain);
    g_free(t->expect);
}

/* ---- Tests: the table of docs/specs/acpi_nvdimm.md ---- */

static void test_wrong_revision(void)
{
    TwoDimms t;
    const uint32_t handles[] = { 0, RSVD_HANDLE, 1, 2, 0x1234 };
    const uint32_t revisions[] = { 0, 2, 0xFFFFFFFF };

    two_dimms_start(&t, "");
    for (unsigned h = 0; h < ARRAY_SIZE(handles); h++) {
        for (unsigned v = 0; v < ARRAY_SIZE(revisions); v++) {
            QDsmReply r;

            /* Function 0 would answer a bitmap with revision 1. */
            qdsm_call_rev(t.qts, handles[h], revisions[v], 0, NULL, 0, &r);
            g_assert_cmpuint(r.rlen, ==, 8);
            g_assert_cmphex(r.status, ==, ST_UNSUPPORTED);
        }
    }
    two_dimms_stop(&t);
}

static void test_root(void)
{
    TwoDimms t;

    two_dimms_start(&t, "");
    /* The root advertises no functions and supports none. */
    g_assert_cmphex(dsm_word(t.qts, 0, 0), ==, 0);
    g_assert_cmphex(dsm_word(t.qts, 0, 1), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 0, 4), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 0, 0xFFFFFFFF), ==, ST_UNSUPPORTED);
    two_dimms_stop(&t);
}

static void test_read_fit(void)
{
    TwoDimms t;
    g_autoptr(GByteArray) nfit = NULL;
    g_autoptr(GByteArray) fit = NULL;
    unsigned chunks;
    QDsmReply r;

    two_dimms_start(&t, "");
    /* The VMM-private handle offers Read FIT (bit 1) and nothing else. */
    g_assert_cmphex(dsm_word(t.qts, RSVD_HANDLE, 0), ==, 0x3);
    g_assert_cmphex(dsm_word(t.qts, RSVD_HANDLE, 2), ==, ST_UNSUPPORTED);

    /* Two DIMMs, three structures each: one chunk, equal to the NFIT. */
    nfit = nfit_body_from_tables(t.qts);
    g_assert_cmpuint(nfit->len, ==, 2 * (56 + 48 + 80));
    fit = read_fit(t.qts, &chunks);
    g_assert_cmpuint(chunks, ==, 1);
    assert_fit_equals_nfit(fit, nfit);

    /* At the very end: success and no data; past it: invalid input. */
    g_assert_cmphex(read_fit_at(t.qts, fit->len, &r), ==, ST_OK);
    g_assert_cmpuint(r.rlen, ==, 8);
    g_assert_cmphex(read_fit_at(t.qts, fit->len + 1, &r), ==, ST_INVALID);
    g_assert_cmphex(read_fit_at(t.qts, 0xFFFFFFFF, &r), ==, ST_INVALID);
    /* A read from the middle returns the rest. */
    g_assert_cmphex(read_fit_at(t.qts, 56, &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, r.rlen - 8, fit->data + 56, fit->len - 56);
    two_dimms_stop(&t);
}

static void test_read_fit_chunked(void)
{
    enum { NDIMMS = 24 };       /* 24 x 184 bytes = 4416 > 4088 */
    g_autoptr(GString) args = g_string_new(
        "-machine pc,nvdimm=on -m 256M,slots=64,maxmem=8G");
    g_autoptr(GByteArray) nfit = NULL;
    g_autoptr(GByteArray) fit = NULL;
    QTestState *qts;
    unsigned chunks;
    QDsmReply r;

    for (int i = 0; i < NDIMMS; i++) {
        g_string_append_printf(args, " -object memory-backend-ram,id=m%d,"
                               "size=2M -device nvdimm,id=nv%d,memdev=m%d",
                               i, i, i);
    }
    qts = qtest_init(args->str);

    /*
     * Building the FIT marks it changed, so a read that does not start
     * at 0 is told to start over until one does.
     */
    g_assert_cmphex(read_fit_at(qts, FIT_CHUNK, &r), ==, ST_FIT_CHANGED);

    nfit = nfit_body_from_tables(qts);
    g_assert_cmpuint(nfit->len, ==, NDIMMS * (56 + 48 + 80));
    g_assert_cmpuint(nfit->len, >, FIT_CHUNK);
    fit = read_fit(qts, &chunks);
    g_assert_cmpuint(chunks, ==, 2);
    assert_fit_equals_nfit(fit, nfit);

    /* The second chunk alone, now that offset 0 cleared the flag. */
    g_assert_cmphex(read_fit_at(qts, FIT_CHUNK, &r), ==, ST_OK);
    g_assert_cmpuint(r.rlen, ==, 8 + nfit->len - FIT_CHUNK);
    g_assert_cmpmem(r.page + 8, r.rlen - 8, nfit->data + FIT_CHUNK,
                    nfit->len - FIT_CHUNK);
    g_assert_cmphex(read_fit_at(qts, nfit->len + 1, &r), ==, ST_INVALID);
    qtest_quit(qts);
}

static void test_dimm_functions(void)
{
    TwoDimms t;

    two_dimms_start(&t, "");
    /* With labels: functions 4, 5, 6.  Without: none. */
    g_assert_cmphex(dsm_word(t.qts, 1, 0), ==, LABEL_FUNCS);
    g_assert_cmphex(dsm_word(t.qts, 2, 0), ==, 0);
    /* ... and the label functions are then not supported. */
    g_assert_cmphex(dsm_word(t.qts, 2, 4), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 2, 5), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 2, 6), ==, ST_UNSUPPORTED);
    /* Functions outside the label set, on both DIMMs. */
    g_assert_cmphex(dsm_word(t.qts, 1, 1), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 1, 3), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 1, 7), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 1, 0xFFFFFFFF), ==, ST_UNSUPPORTED);
    g_assert_cmphex(dsm_word(t.qts, 2, 7), ==, ST_UNSUPPORTED);
    two_dimms_stop(&t);
}

static void test_unknown_handle(void)
{
    TwoDimms t;
    /* Empty slot 2 (handle 3), an unused handle, the top DIMM handle. */
    const uint32_t handles[] = { 3, 0x1234, 0xFFFF, 0x10001, 0xFFFFFFFF };

    two_dimms_start(&t, "");
    for (unsigned i = 0; i < ARRAY_SIZE(handles); i++) {
        g_assert_cmphex(dsm_word(t.qts, handles[i], 0), ==, 0);
        g_assert_cmphex(dsm_word(t.qts, handles[i], 4), ==, ST_NO_DEVICE);
        g_assert_cmphex(dsm_word(t.qts, handles[i], 5), ==, ST_NO_DEVICE);
        g_assert_cmphex(dsm_word(t.qts, handles[i], 6), ==, ST_NO_DEVICE);
        g_assert_cmphex(dsm_word(t.qts, handles[i], 1), ==, ST_NO_DEVICE);
    }
    assert_alive(t.qts);
    two_dimms_stop(&t);
}

static void test_label_size(void)
{
    char *file0 = make_backing("ls0.img", DIMM_SIZE, 3);
    char *file1 = make_backing("ls1.img", DIMM_SIZE, 4);
    QTestState *qts;
    QDsmReply r;

    qts = qtest_initf(
        "-machine pc,nvdimm=on -m 256M,slots=4,maxmem=4G "
        "-object memory-backend-file,id=mem0,share=on,mem-path=%s,size=4M "
        "-device nvdimm,id=nv0,memdev=mem0,label-size=128K,label-check=off "
        "-object memory-backend-file,id=mem1,share=on,mem-path=%s,size=4M "
        "-device nvdimm,id=nv1,memdev=mem1,label-size=256K,label-check=off",
        file0, file1);

    g_assert_cmphex(qdsm_call(qts, 1, 4, NULL, 0, &r), ==, ST_OK);
    g_assert_cmpuint(r.rlen, ==, 16);
    g_assert_cmphex(ld32(r.page + 8), ==, 128 * KiB);
    g_assert_cmpuint(ld32(r.page + 12), ==, 4076);

    g_assert_cmphex(qdsm_call(qts, 2, 4, NULL, 0, &r), ==, ST_OK);
    g_assert_cmpuint(r.rlen, ==, 16);
    g_assert_cmphex(ld32(r.page + 8), ==, 256 * KiB);
    g_assert_cmpuint(ld32(r.page + 12), ==, 4076);
    qtest_quit(qts);
    remove_file(file0);
    remove_file(file1);
}

/* Fill @buf with a recognisable pattern. */
static void pattern(uint8_t *buf, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(seed + i * 13);
    }
}

static void test_label_read_write(void)
{
    TwoDimms t;
    const uint64_t label_base = DIMM_SIZE - LABEL_SIZE;
    uint8_t head[MAX_XFER], tail[100];
    QDsmReply r;

    two_dimms_start(&t, "");
    /* The label area is the last 128 KiB of the file, as it was. */
    g_assert_cmphex(qdsm_label_read(t.qts, 1, 0, MAX_XFER, &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, MAX_XFER, t.expect + label_base, MAX_XFER);
    g_assert_cmphex(qdsm_label_read(t.qts, 1, LABEL_SIZE - 16, 16, &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, 16, t.expect + DIMM_SIZE - 16, 16);

    /* Write a full transfer at the start and a short one at the end. */
    pattern(head, sizeof(head), 0x11);
    pattern(tail, sizeof(tail), 0x77);
    g_assert_cmphex(qdsm_label_write(t.qts, 1, 0, sizeof(head), head), ==, ST_OK);
    g_assert_cmphex(qdsm_label_write(t.qts, 1, LABEL_SIZE - sizeof(tail),
                                sizeof(tail), tail), ==, ST_OK);
    memcpy(t.expect + label_base, head, sizeof(head));
    memcpy(t.expect + DIMM_SIZE - sizeof(tail), tail, sizeof(tail));

    /* Length 0 changes nothing and succeeds, also right at the end. */
    g_assert_cmphex(qdsm_label_write(t.qts, 1, 5, 0, NULL), ==, ST_OK);
    g_assert_cmphex(qdsm_label_write(t.qts, 1, LABEL_SIZE, 0, NULL), ==, ST_OK);
    g_assert_cmphex(qdsm_label_read(t.qts, 1, LABEL_SIZE, 0, &r), ==, ST_OK);
    g_assert_cmpuint(r.rlen, ==, 8);

    /* The guest reads back what it wrote. */
    g_assert_cmphex(qdsm_label_read(t.qts, 1, 0, sizeof(head), &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, sizeof(head), head, sizeof(head));
    g_assert_cmphex(qdsm_label_read(t.qts, 1, LABEL_SIZE - sizeof(tail),
                               sizeof(tail), &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, sizeof(tail), tail, sizeof(tail));

    /*
     * The bytes landed at the end of the file, while pmemvm still runs,
     * and nowhere else: the region and the other DIMM are unchanged.
     */
    assert_file_equals(t.labelled, t.expect, DIMM_SIZE);
    {
        g_autofree uint8_t *plain = read_file(t.plain, DIMM_SIZE);
        GRand *rand = g_rand_new_with_seed(2);

        for (uint64_t i = 0; i < DIMM_SIZE; i++) {
            g_assert_cmphex(plain[i], ==, (uint8_t)g_rand_int(rand));
        }
        g_rand_free(rand);
    }
    qtest_quit(t.qts);
    /* And they are still there once pmemvm has exited. */
    assert_file_equals(t.labelled, t.expect, DIMM_SIZE);
    t.qts = NULL;
    remove_file(t.labelled);
    remove_file(t.plain);
    g_free(t.expect);
}

/*
 * A backend whose size minus the label area is not a multiple of its
 * alignment: the region is rounded down, the labels stay at the end of
 * the backend, and the bytes in between are never touched.
 */
static void test_label_unaligned_region(void)
{
    const uint64_t size = 4100 * KiB;
    const uint64_t label_base = size - LABEL_SIZE;      /* 3972 KiB */
    const uint64_t region = 2 * MiB;    /* round_down(3972 KiB, 2 MiB) */
    char *file = make_backing("unaligned.img", size, 5);
    g_autofree uint8_t *expect = read_file(file, size);
    g_autofree uint8_t *guest = g_malloc(4096);
    uint8_t data[64];
    QTestState *qts;
    JsonObject *rsp;
    JsonObject *info;
    QDsmReply r;

    qts = qtest_initf(
        "-machine pc,nvdimm=on -m 256M,slots=4,maxmem=4G "
        "-object memory-backend-file,id=mem0,share=on,mem-path=%s,"
        "size=4100K,align=2M "
        "-device nvdimm,id=nv0,memdev=mem0,label-size=128K,label-check=off",
        file);

    rsp = qtest_qmp(qts, "{'execute': 'query-memory-devices'}");
    info = json_object_get_object_member(
        json_array_get_object_element(
            json_object_get_array_member(rsp, "return"), 0), "data");
    g_assert_cmpuint(json_object_get_int_member(info, "size"), ==, region);

    /* The guest's last region page is the file's, not the label area's. */
    qtest_memread(qts, json_object_get_int_member(info, "addr") + region -
                  4096, guest, 4096);
    g_assert_cmpmem(guest, 4096, expect + region - 4096, 4096);
    json_object_unref(rsp);

    /* Labels are read from and written to the end of the backend. */
    g_assert_cmphex(qdsm_label_read(qts, 1, 0, 64, &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, 64, expect + label_base, 64);
    pattern(data, sizeof(data), 0x42);
    g_assert_cmphex(qdsm_label_write(qts, 1, 0, sizeof(data), data), ==, ST_OK);
    g_assert_cmphex(qdsm_label_write(qts, 1, LABEL_SIZE - sizeof(data),
                                sizeof(data), data), ==, ST_OK);
    memcpy(expect + label_base, data, sizeof(data));
    memcpy(expect + size - sizeof(data), data, sizeof(data));

    /* Region [0, 2M), gap [2M, 3972K) and the rest: only labels moved. */
    assert_file_equals(file, expect, size);
    qtest_quit(qts);
    assert_file_equals(file, expect, size);
    remove_file(file);
}

static void test_readonly_unarmed(void)
{
    char *file = make_backing("ro.img", DIMM_SIZE, 6);
    g_autofree uint8_t *expect = read_file(file, DIMM_SIZE);
    uint8_t data[32];
    QTestState *qts;
    QDsmReply r;

    qts = qtest_initf(
        "-machine pc,nvdimm=on -m 256M,slots=4,maxmem=4G "
        "-object memory-backend-file,id=mem0,share=on,readonly=on,"
        "mem-path=%s,size=4M "
        "-device nvdimm,id=nv0,memdev=mem0,label-size=128K,unarmed=on,"
        "label-check=off",
        file);

    /* Reading labels works... */
    g_assert_cmphex(dsm_word(qts, 1, 0), ==, LABEL_FUNCS);
    g_assert_cmphex(qdsm_label_read(qts, 1, 0, 32, &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, 32, expect + DIMM_SIZE - LABEL_SIZE, 32);

    /* ... writing them is refused (QEMU 7.2 crashed here) ... */
    pattern(data, sizeof(data), 0x99);
    g_assert_cmphex(qdsm_label_write(qts, 1, 0, sizeof(data), data), ==,
                    ST_UNSUPPORTED);
    g_assert_cmphex(qdsm_label_write(qts, 1, LABEL_SIZE - 32, 32, data), ==,
                    ST_UNSUPPORTED);
    assert_alive(qts);

    /* ... and changes nothing anywhere. */
    g_assert_cmphex(qdsm_label_read(qts, 1, 0, 32, &r), ==, ST_OK);
    g_assert_cmpmem(r.page + 8, 32, expect + DIMM_SIZE - LABEL_SIZE, 32);
    assert_file_equals(file, expect, DIMM_SIZE);
    qtest_quit(qts);
    assert_file_equals(file, expect, DIMM_SIZE);
    remove_file(file);
}

static void test_readonly_needs_unarmed(void)
{
    char *file = make_backing("ro2.img", DIMM_SIZE, 7);
    g_autofree char *args = g_strdup_printf(
        "-machine pc,nvdimm=on -m 256M,slots=4,maxmem=4G "
        "-object memory-backend-file,id=mem0,share=on,readonly=on,"
        "mem-path=%s,size=4M "
        "-device nvdimm,id=nv0,memdev=mem0,label-size=128K,label-check=off",
        file);
    g_autofree char *err = NULL;
    int status = 0;
    QTestState *qts = qtest_init_may_fail(args, &status, &err);

    g_assert_null(qts);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "'unarmed' property must be 'on' since "
                                 "memdev mem0 is read-only"));
    remove_file(file);
}

/*
 * nvdimm-persistence adds a Platform Capabilities structure to the FIT
 * and changes nothing else a _DSM answers.
 */
static void test_persistence_does_not_change_dsm(void)
{
    static const char *const machines[] = {
        "", ",nvdimm-persistence=cpu", ",nvdimm-persistence=mem-ctrl",
    };
    static const struct {
        uint32_t handle, function, arg0, arg1;
    } calls[] = {
        { 0, 0 }, { 0, 1 }, { RSVD_HANDLE, 0 }, { RSVD_HANDLE, 2 },
        { 1, 0 }, { 1, 4 }, { 1, 5, 0, 64 }, { 1, 5, LABEL_SIZE - 8, 8 },
        { 1, 5, 1, MAX_XFER + 1 }, { 1, 6, 0xFFFFFFFF, 2 }, { 1, 7 },
        { 2, 0 }, { 2, 4 }, { 3, 0 }, { 3, 4 },
    };
    static const uint8_t caps[] = { 3, 2 };
    QDsmReply first[ARRAY_SIZE(calls)];
    g_autoptr(GByteArray) fit0 = NULL;

    for (unsigned m = 0; m < ARRAY_SIZE(machines); m++) {
        TwoDimms t;
        g_autoptr(GByteArray) fit = NULL;
        g_autoptr(GByteArray) nfit = NULL;
        unsigned chunks;

        two_dimms_start(&t, machines[m]);
        for (unsigned i = 0; i < ARRAY_SIZE(calls); i++) {
            uint8_t arg[8];
            QDsmReply r;

            st32(arg, calls[i].arg0);
            st32(arg + 4, calls[i].arg1);
            qdsm_call(t.qts, calls[i].handle, calls[i].function, arg, sizeof(arg),
                &r);
            if (m == 0) {
                first[i] = r;
            } else {
                g_assert_cmpuint(r.rlen, ==, first[i].rlen);
                g_assert_cmpmem(r.page, r.rlen, first[i].page, r.rlen);
            }
        }
        fit = read_fit(t.qts, &chunks);
        nfit = nfit_body_from_tables(t.qts);
        assert_fit_equals_nfit(fit, nfit);
        if (m == 0) {
            fit0 = g_byte_array_ref(fit);
        } else {
            /* The same FIT plus one 16-byte Platform Capabilities. */
            g_assert_cmpuint(fit->len, ==, fit0->len + 16);
            g_assert_cmpmem(fit->data, fit0->len, fit0->data, fit0->len);
            g_assert_cmpuint(fit->data[fit0->len], ==, 7);
            g_assert_cmpuint(fit->data[fit0->len + 8], ==, caps[m - 1]);
        }
        two_dimms_stop(&t);
    }
}

/* ---- Robustness: bad input never crashes and changes nothing ---- */

static void test_bad_label_ranges(void)
{
    static const struct {
        uint32_t offset, length;
    } bad[] = {
        { LABEL_SIZE, 1 },              /* starts at the end */
        { LABEL_SIZE + 1, 0 },          /* starts past the end */
        { LABEL_SIZE - 4, 8 },          /* runs past the end */
        { 0, MAX_XFER + 1 },            /* 4077: more than a page holds */
        { 0, LABEL_SIZE },              /* the whole area at once */
        { 0xFFFFFFFF, 2 },              /* offset + length overflows */
        { 2, 0xFFFFFFFF },
        { 0xFFFFFFFF, 0xFFFFFFFF },
        { 0x80000000, 0x80000000 },     /* sums to exactly 2^32 */
    };
    TwoDimms t;
    uint8_t data[MAX_XFER];
    QDsmReply r;

    two_dimms_start(&t, "");
    pattern(data, sizeof(data), 0x5a);
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        g_test_message("offset 0x%x length 0x%x", bad[i].offset,
                       bad[i].length);
        g_assert_cmphex(qdsm_label_read(t.qts, 1, bad[i].offset, bad[i].length,
                                   &r), ==, ST_INVALID);
        g_assert_cmphex(qdsm_label_write(t.qts, 1, bad[i].offset, bad[i].length,
                                    data), ==, ST_INVALID);
        assert_alive(t.qts);
    }
    /* The largest legal transfer, at the last legal offset, works. */
    g_assert_cmphex(qdsm_label_read(t.qts, 1, LABEL_SIZE - MAX_XFER, MAX_XFER,
                               &r), ==, ST_OK);
    assert_file_equals(t.labelled, t.expect, DIMM_SIZE);
    two_dimms_stop(&t);
}

static void test_garbage_pages(void)
{
    TwoDimms t;
    GRand *rand = g_rand_new_with_seed(0xD5A);
    static const uint32_t handles[] = { 0, 1, 2, 3, RSVD_HANDLE };
    g_autofree uint8_t *page = g_malloc(PAGE);
    g_autofree uint8_t *now = NULL;
    QDsmReply r;

    two_dimms_start(&t, "");
    for (int i = 0; i < 1000; i++) {
        for (unsigned j = 0; j < PAGE; j += 4) {
            st32(page + j, g_rand_int(rand));
        }
        /* Most requests should get past the revision and handle checks. */
        if (i % 4) {
            st32(page + 4, 1);
            st32(page + 0, handles[g_rand_int_range(rand, 0,
                                                    ARRAY_SIZE(handles))]);
            st32(page + 8, g_rand_int_range(rand, 0, 8));
            if (i % 2) {
                /* Small offsets and lengths hit the label paths. */
                st32(page + 12, g_rand_int_range(rand, 0, LABEL_SIZE));
                st32(page + 16, g_rand_int_range(rand, 0, MAX_XFER + 2));
            }
        }
        qdsm_page_call(t.qts, page, &r);
        g_assert_cmpuint(r.rlen, >=, 8);
        g_assert_cmpuint(r.rlen, <=, PAGE);
        assert_alive(t.qts);
    }
    g_rand_free(rand);

    /* Label writes may have happened; the region never changes. */
    now = read_file(t.labelled, DIMM_SIZE);
    g_assert_cmpmem(now, DIMM_SIZE - LABEL_SIZE, t.expect,
                    DIMM_SIZE - LABEL_SIZE);
    two_dimms_stop(&t);
}

/* A valid "Get Label Size" request for DIMM 1, as a full page. */
static void label_size_request(uint8_t *page)
{
    memset(page, 0, PAGE);
    st32(page + 0, 1);
    st32(page + 4, 1);
    st32(page + 8, 4);
}

static void assert_page(QTestState *qts, uint64_t gpa, const uint8_t *expect)
{
    g_autofree uint8_t *now = g_malloc(PAGE);

    qtest_memread(qts, gpa, now, PAGE);
    g_assert_cmpmem(now, PAGE, expect, PAGE);
}

static void test_wrong_page_address(void)
{
    static const uint32_t addrs[] = {
        0x1000, 0, MEMA + 4, MEMA + PAGE, MEMA - PAGE, 0xFFFFFFFF,
    };
    TwoDimms t;
    g_autofree uint8_t *low = g_malloc(PAGE);
    g_autofree uint8_t *mema = g_malloc(PAGE);
    QDsmReply r;

    two_dimms_start(&t, "");
    /* The same valid request at 0x1000 and in the DSM page. */
    label_size_request(low);
    label_size_request(mema);
    qtest_memwrite(t.qts, 0x1000, low, PAGE);
    qtest_memwrite(t.qts, MEMA, mema, PAGE);

    for (unsigned i = 0; i < ARRAY_SIZE(addrs); i++) {
        g_test_message("outl 0x%x", addrs[i]);
        qtest_outl(t.qts, DSM_PORT, addrs[i]);
        /* Ignored: neither page got a reply. */
        assert_page(t.qts, 0x1000, low);
        assert_page(t.qts, MEMA, mema);
        assert_alive(t.qts);
    }

    /* The DSM page address itself runs the request. */
    qtest_outl(t.qts, DSM_PORT, MEMA);
    qtest_memread(t.qts, MEMA, r.page, PAGE);
    g_assert_cmpuint(ld32(r.page), ==, 16);
    g_assert_cmphex(ld32(r.page + 4), ==, ST_OK);
    g_assert_cmphex(ld32(r.page + 8), ==, LABEL_SIZE);
    assert_page(t.qts, 0x1000, low);
    two_dimms_stop(&t);
}

static void test_narrow_port_access(void)
{
    TwoDimms t;
    g_autofree uint8_t *mema = g_malloc(PAGE);

    two_dimms_start(&t, "");
    label_size_request(mema);
    qtest_memwrite(t.qts, MEMA, mema, PAGE);

    /* 1- and 2-byte writes, and 4-byte writes off the port's start. */
    for (int off = 0; off < 4; off++) {
        qtest_outb(t.qts, DSM_PORT + off, (uint8_t)(MEMA >> (8 * off)));
        assert_page(t.qts, MEMA, mema);
        assert_alive(t.qts);
    }
    qtest_outw(t.qts, DSM_PORT, (uint16_t)MEMA);
    qtest_outw(t.qts, DSM_PORT + 2, (uint16_t)(MEMA >> 16));
    assert_page(t.qts, MEMA, mema);
    assert_alive(t.qts);
    qtest_outl(t.qts, DSM_PORT + 1, MEMA);
    assert_page(t.qts, MEMA, mema);
    assert_alive(t.qts);

    /* Reads of the port answer 0 and start nothing. */
    g_assert_cmphex(qtest_inl(t.qts, DSM_PORT), ==, 0);
    g_assert_cmphex(qtest_inb(t.qts, DSM_PORT), ==, 0);
    assert_page(t.qts, MEMA, mema);
    two_dimms_stop(&t);
}

/*
 * A burst of guest errors: ten lines a second are printed, the rest are
 * counted, and the count still held back when pmemvm exits is printed
 * then (not lost with the last second).
 */
static void test_guest_error_rate_limit(void)
{
    TwoDimms t;
    g_autofree char *err = NULL;
    const char *p;
    unsigned lines = 0, reported = 0;

    two_dimms_start(&t, "");
    for (unsigned i = 0; i < 200; i++) {
        qtest_outl(t.qts, DSM_PORT, 0x1000);    /* not MEMA: a guest error */
    }
    assert_alive(t.qts);
    json_object_unref(qtest_qmp(t.qts, "{ 'execute': 'quit' }"));
    g_assert_cmpint(qtest_wait_exit(t.qts), ==, 0);
    err = qtest_get_stderr(t.qts);
    for (p = err; (p = strstr(p, "guest error: ")); p++) {
        unsigned n;

        if (sscanf(p, "guest error: %u more suppressed", &n) == 1) {
            reported += n;
        } else {
            lines++;
        }
    }
    g_test_message("%u lines printed, %u reported as suppressed", lines,
                   reported);
    /* A slow machine may spread the burst over more than one second. */
    g_assert_cmpuint(lines, >=, 10);
    g_assert_cmpuint(lines, <, 200);
    g_assert_cmpuint(lines + reported, ==, 200);
    two_dimms_stop(&t);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("nvdimm-dsm-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);

    g_test_add_func("/nvdimm-dsm/revision", test_wrong_revision);
    g_test_add_func("/nvdimm-dsm/root", test_root);
    g_test_add_func("/nvdimm-dsm/read-fit", test_read_fit);
    g_test_add_func("/nvdimm-dsm/read-fit-chunked", test_read_fit_chunked);
    g_test_add_func("/nvdimm-dsm/dimm-functions", test_dimm_functions);
    g_test_add_func("/nvdimm-dsm/unknown-handle", test_unknown_handle);
    g_test_add_func("/nvdimm-dsm/label-size", test_label_size);
    g_test_add_func("/nvdimm-dsm/label-read-write", test_label_read_write);
    g_test_add_func("/nvdimm-dsm/label-unaligned-region",
                   test_label_unaligned_region);
    g_test_add_func("/nvdimm-dsm/readonly-unarmed", test_readonly_unarmed);
    g_test_add_func("/nvdimm-dsm/readonly-needs-unarmed",
                   test_readonly_needs_unarmed);
    g_test_add_func("/nvdimm-dsm/persistence-does-not-change-dsm",
                   test_persistence_does_not_change_dsm);
    g_test_add_func("/nvdimm-dsm/bad-label-ranges", test_bad_label_ranges);
    g_test_add_func("/nvdimm-dsm/garbage-pages", test_garbage_pages);
    g_test_add_func("/nvdimm-dsm/wrong-page-address",
                   test_wrong_page_address);
    g_test_add_func("/nvdimm-dsm/guest-error-rate-limit",
                    test_guest_error_rate_limit);
    g_test_add_func("/nvdimm-dsm/narrow-port-access",
                   test_narrow_port_access);

    ret = g_test_run();
    rmdir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
