/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for hw/acpi/nvdimm.c: the FIT bytes and the _DSM protocol,
 * on a fake NVDIMMState with in-memory label areas.
 *
 * Expected FIT bytes are written out field by field from QEMU 7.2's
 * hw/acpi/nvdimm.c (docs/specs/acpi_nvdimm.md), not produced by the code under test.
 */
#include "qemu/osdep.h"
#include "hw/acpi/nvdimm.h"
#include "hw/core/memory.h"
#include "hw/i386/layout.h"
#include "qapi/error.h"

/* Little-endian byte lists for expected-bytes arrays. */
#define BYTE(v, n) ((uint8_t)((uint64_t)(v) >> (8 * (n))))
#define LE16(v) BYTE(v, 0), BYTE(v, 1)
#define LE32(v) BYTE(v, 0), BYTE(v, 1), BYTE(v, 2), BYTE(v, 3)
#define LE64(v) LE32(v), BYTE(v, 4), BYTE(v, 5), BYTE(v, 6), BYTE(v, 7)
#define ZERO2   0, 0
#define ZERO3   0, 0, 0
#define ZERO4   0, 0, 0, 0
#define ZERO6   0, 0, 0, 0, 0, 0

/* 66F0D379-B4F3-4074-AC43-0D3318B78CDB in ACPI (mixed-endian) order. */
#define PM_GUID 0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40, \
                0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb

#define LABEL_SIZE      0x20000u        /* 128 KiB, the minimum */
#define DSM_PAGE        LAYOUT_NVDIMM_DSM_PAGE

/* Status codes and sizes, spelled out rather than taken from the header. */
#define ST_OK           0
#define ST_UNSUPPORTED  1
#define ST_HW_ERROR     4
#define ST_NO_DEVICE    2
#define ST_INVALID      3
#define ST_FIT_CHANGED  0x100
#define MAX_XFER        4076
#define FIT_CHUNK       4088

static uint8_t *dup_bytes(const void *p, size_t n)
{
    uint8_t *copy = g_malloc(n);

    memcpy(copy, p, n);
    return copy;
}

/* ---------------------------------------------------------------- */
/* Fake DIMMs                                                         */

typedef struct FakeDimm {
    NvdimmAcpiDimm acpi;
    uint8_t *labels;
    bool readonly;
    bool failing;               /* the backing store fails (SIGBUS...) */
    unsigned reads, writes;
} FakeDimm;

static NvdimmLabelResult fake_read_label(void *opaque, void *buf,
                                         uint64_t size, uint64_t offset)
{
    FakeDimm *f = opaque;

    /* The module promises to check ranges before calling us. */
    g_assert_cmpuint(offset, <=, f->acpi.label_size);
    g_assert_cmpuint(size, <=, f->acpi.label_size - offset);
    /* A failing store may have filled part of the buffer. */
    memcpy(buf, f->labels + offset, f->failing ? size / 2 : size);
    f->reads++;
    return f->failing ? NVDIMM_LABEL_IO_ERROR : NVDIMM_LABEL_OK;
}

static NvdimmLabelResult fake_write_label(void *opaque, const void *buf,
                                          uint64_t size, uint64_t offset)
{
    FakeDimm *f = opaque;

    g_assert_cmpuint(offset, <=, f->acpi.label_size);
    g_assert_cmpuint(size, <=, f->acpi.label_size - offset);
    if (f->readonly) {
        return NVDIMM_LABEL_READ_ONLY;
    }
    if (f->failing) {
        return NVDIMM_LABEL_IO_ERROR;
    }
    memcpy(f->labels + offset, buf, size);
    f->writes++;
    return NVDIMM_LABEL_OK;
}

static FakeDimm *fake_dimm_new(uint32_t slot, uint64_t addr, uint64_t size,
                               uint32_t node, bool unarmed,
                               uint64_t label_size)
{
    FakeDimm *f = g_new0(FakeDimm, 1);
    uint64_t i;

    f->acpi.slot = slot;
    f->acpi.addr = addr;
    f->acpi.region_size = size;
    f->acpi.node = node;
    f->acpi.unarmed = unarmed;
    f->acpi.label_size = label_size;
    f->acpi.opaque = f;
    f->acpi.read_label = fake_read_label;
    f->acpi.write_label = fake_write_label;
    f->labels = g_malloc(label_size ? label_size : 1);
    for (i = 0; i < label_size; i++) {
        f->labels[i] = (uint8_t)(i * 7 + (i >> 8));
    }
    return f;
}

static void fake_dimm_free(FakeDimm *f)
{
    g_free(f->labels);
    g_free(f);
}

typedef struct Fixture {
    NVDIMMState s;
    FakeDimm *dimms[32];
    unsigned ndimms;
    unsigned notified;
    uint8_t *in;                /* exactly one page each: ASan-friendly */
    uint8_t *out;
} Fixture;

static void fixture_notify(void *opaque)
{
    Fixture *fx = opaque;

    fx->notified++;
}

static Fixture *fixture_new(void)
{
    Fixture *fx = g_new0(Fixture, 1);

    nvdimm_state_init(&fx->s, DSM_PAGE);
    fx->s.notify = fixture_notify;
    fx->s.notify_opaque = fx;
    fx->in = g_malloc0(NVDIMM_DSM_MEMORY_SIZE);
    fx->out = g_malloc0(NVDIMM_DSM_MEMORY_SIZE);
    return fx;
}

static FakeDimm *fixture_plug(Fixture *fx, FakeDimm *f, bool hotplug)
{
    g_assert_cmpuint(fx->ndimms, <, G_N_ELEMENTS(fx->dimms));
    fx->dimms[fx->ndimms++] = f;
    nvdimm_acpi_plug(&fx->s, &f->acpi, hotplug);
    return f;
}

static void fixture_free(Fixture *fx)
{
    unsigned i;

    nvdimm_state_cleanup(&fx->s);
    for (i = 0; i < fx->ndimms; i++) {
        fake_dimm_free(fx->dimms[i]);
    }
    g_free(fx->in);
    g_free(fx->out);
    g_free(fx);
}

/* Slot 0: 1 GiB backend, 128 KiB labels, 2 MiB alignment. */
#define A_ADDR  0x140000000ULL
#define A_SIZE  0x3FE00000ULL
/* Slot 1: 256 MiB region on node 1. */
#define B_ADDR  0x180000000ULL
#define B_SIZE  0x10000000ULL

static FakeDimm *dimm_a(bool unarmed)
{
    return fake_dimm_new(0, A_ADDR, A_SIZE, 0, unarmed, LABEL_SIZE);
}

static FakeDimm *dimm_b(void)
{
    return fake_dimm_new(1, B_ADDR, B_SIZE, 1, true, 0);
}

/* ---------------------------------------------------------------- */
/* DSM request/response helpers                                       */

static void put32(uint8_t *p, unsigned off, uint32_t v)
{
    p[off] = v;
    p[off + 1] = v >> 8;
    p[off + 2] = v >> 16;
    p[off + 3] = v >> 24;
}

static uint32_t get32(const uint8_t *p, unsigned off)
{
    return p[off] | p[off + 1] << 8 | p[off + 2] << 16 |
           (uint32_t)p[off + 3] << 24;
}

/* Fill the request page with junk, then the header; returns the RLEN. */
static uint32_t dsm_call(Fixture *fx, uint32_t handle, uint32_t rev,
                         uint32_t fn, const uint32_t *args, unsigned nargs)
{
    uint32_t rlen = 0xdeadbeef;
    unsigned i;

    memset(fx->in, 0xa5, NVDIMM_DSM_MEMORY_SIZE);
    memset(fx->out, 0x5a, NVDIMM_DSM_MEMORY_SIZE);
    put32(fx->in, 0, handle);
    put32(fx->in, 4, rev);
    put32(fx->in, 8, fn);
    for (i = 0; i < nargs; i++) {
        put32(fx->in, 12 + 4 * i, args[i]);
    }
    nvdimm_dsm_handle(&fx->s, fx->in, fx->out, &rlen);
    /* RLEN in the page and the copy-back length always agree. */
    g_assert_cmpuint(get32(fx->out, 0), ==, rlen);
    g_assert_cmpuint(rlen, >=, 8);
    g_assert_cmpuint(rlen, <=, NVDIMM_DSM_MEMORY_SIZE);
    return rlen;
}

static uint32_t dsm0(Fixture *fx, uint32_t handle, uint32_t fn)
{
    return dsm_call(fx, handle, 1, fn, NULL, 0);
}

/* The 8-byte "RLEN + status" (or "RLEN + bitmap") reply. */
static void assert_reply8(Fixture *fx, uint32_t rlen, uint32_t word)
{
    g_assert_cmpuint(rlen, ==, 8);
    g_assert_cmphex(get32(fx->out, 4), ==, word);
}

/* ---------------------------------------------------------------- */
/* FIT                                                                */

static const uint8_t fit_dimm_a[] = {
    /* SPA Range (ACPI 6.4 §5.2.25.2), 56 bytes */
    LE16(0),                    /* type: SPA Range */
    LE16(56),                   /* length */
    LE16(2),                    /* SPA index: 2 * (slot + 1) */
    LE16(0x0003),               /* flags: hot-add mgmt only | proximity valid */
    ZERO4,                      /* reserved */
    LE32(0),                    /* proximity domain: node 0 */
    PM_GUID,                    /* persistent memory range type */
    LE64(A_ADDR),               /* base */
    LE64(A_SIZE),               /* length: region size */
    LE64(0x8008ULL),            /* EFI_MEMORY_WB | EFI_MEMORY_NV */
    /* Memory Device to SPA map (§5.2.25.3), 48 bytes */
    LE16(1),                    /* type */
    LE16(48),                   /* length */
    LE32(1),                    /* NFIT handle: slot + 1 */
    LE16(0),                    /* physical id */
    LE16(0),                    /* region id */
    LE16(2),                    /* SPA index */
    LE16(3),                    /* control region index: SPA index + 1 */
    LE64(A_SIZE),               /* region size */
    LE64(0),                    /* region offset */
    LE64(0),                    /* DPA base */
    LE16(0),                    /* interleave index */
    LE16(1),                    /* interleave ways */
    LE16(0),                    /* state flags: armed */
    ZERO2,                      /* reserved */
    /* Control Region (§5.2.25.6), 80 bytes */
    LE16(4),                    /* type */
    LE16(80),                   /* length */
    LE16(3),                    /* control region index */
    LE16(0x8086),               /* vendor */
    LE16(0x0001),               /* device */
    LE16(0x0001),               /* revision */
    LE16(0), LE16(0), LE16(0),  /* subsystem vendor, device, revision */
    ZERO6,                      /* valid fields, mfg location/date, rsvd */
    LE32(0x123456),             /* serial: 0x123456 + slot */
    LE16(0x0301),               /* format interface code */
    LE16(0),                    /* block control windows */
    LE64(0), LE64(0), LE64(0),  /* BCW size, command offset, command size */
    LE64(0), LE64(0),           /* status offset, status size */
    LE16(0),                    /* flags */
    ZERO6,                      /* reserved */
};

static const uint8_t fit_dimm_b[] = {
    /* SPA Range */
    LE16(0), LE16(56),
    LE16(4),                    /* SPA index: 2 * (1 + 1) */
    LE16(0x0003), ZERO4,
    LE32(1),                    /* node 1 */
    PM_GUID,
    LE64(B_ADDR), LE64(B_SIZE), LE64(0x8008ULL),
    /* Memory Device to SPA map */
    LE16(1), LE16(48),
    LE32(2),                    /* handle: slot 1 + 1 */
    LE16(0), LE16(0),
    LE16(4),                    /* SPA index */
    LE16(5),                    /* control region index */
    LE64(B_SIZE), LE64(0), LE64(0),
    LE16(0), LE16(1),
    LE16(0x0008),               /* state flags: not armed (unarmed=on) */
    ZERO2,
    /* Control Region */
    LE16(4), LE16(80),
    LE16(5),                    /* control region index */
    LE16(0x8086), LE16(1), LE16(1),
    LE16(0), LE16(0), LE16(0), ZERO6,
    LE32(0x123457),             /* serial: 0x123456 + 1 */
    LE16(0x0301), LE16(0),
    LE64(0), LE64(0), LE64(0), LE64(0), LE64(0),
    LE16(0), ZERO6,
};

static void assert_bytes(const uint8_t *got, size_t got_len,
                         const uint8_t *want, size_t want_len)
{
    size_t i;

    g_assert_cmpuint(got_len, ==, want_len);
    for (i = 0; i < want_len; i++) {
        if (got[i] != want[i]) {
            g_test_message("first difference at byte %zu (0x%zx)", i, i);
        }
        g_assert_cmphex(got[i], ==, want[i]);
    }
}

static void test_fit_sizes(void)
{
    g_assert_cmpuint(sizeof(fit_dimm_a), ==, 56 + 48 + 80);
    g_assert_cmpuint(sizeof(fit_dimm_b), ==, 56 + 48 + 80);
}

static void test_fit_one_dimm(void)
{
    Fixture *fx = fixture_new();
    g_autoptr(GByteArray) fit = g_byte_array_new();

    fixture_plug(fx, dimm_a(false), false);
    nvdimm_build_fit(&fx->s, fit);
    assert_bytes(fit->data, fit->len, fit_dimm_a, sizeof(fit_dimm_a));
    /* s->fit is the same thing. */
    assert_bytes(fx->s.fit->data, fx->s.fit->len,
                 fit_dimm_a, sizeof(fit_dimm_a));
    fixture_free(fx);
}

static void test_fit_two_dimms(void)
{
    Fixture *fx = fixture_new();
    g_autoptr(GByteArray) want = g_byte_array_new();

    fixture_plug(fx, dimm_a(false), false);
    fixture_plug(fx, dimm_b(), false);
    g_byte_array_append(want, fit_dimm_a, sizeof(fit_dimm_a));
    g_byte_array_append(want, fit_dimm_b, sizeof(fit_dimm_b));
    assert_bytes(fx->s.fit->data, fx->s.fit->len, want->data, want->len);
    fixture_free(fx);
}

static void test_fit_order_is_plug_order(void)
{
    Fixture *fx = fixture_new();
    g_autoptr(GByteArray) want = g_byte_array_new();

    fixture_plug(fx, dimm_b(), false);
    fixture_plug(fx, dimm_a(false), false);
    g_byte_array_append(want, fit_dimm_b, sizeof(fit_dimm_b));
    g_byte_array_append(want, fit_dimm_a, sizeof(fit_dimm_a));
    assert_bytes(fx->s.fit->data, fx->s.fit->len, want->data, want->len);
    fixture_free(fx);
}

static void test_fit_unarmed(void)
{
    Fixture *fx = fixture_new();
    const unsigned flags_at = 56 + 44;  /* memdev state flags */

    fixture_plug(fx, dimm_a(true), false);
    g_assert_cmpuint(fx->s.fit->len, ==, sizeof(fit_dimm_a));
    g_assert_cmphex(fx->s.fit->data[flags_at], ==, 0x08);
    g_assert_cmphex(fx->s.fit->data[flags_at + 1], ==, 0x00);
    /* Everything else as for the armed DIMM. */
    g_assert_cmpmem(fx->s.fit->data, flags_at, fit_dimm_a, flags_at);
    g_assert_cmpmem(fx->s.fit->data + flags_at + 2,
                    sizeof(fit_dimm_a) - flags_at - 2,
                    fit_dimm_a + flags_at + 2,
                    sizeof(fit_dimm_a) - flags_at - 2);
    fixture_free(fx);
}

typedef struct CapsCase {
    uint32_t caps;
    uint8_t highest;
} CapsCase;

static const CapsCase caps_cpu = { 0x3, 1 };       /* nvdimm-persistence=cpu */
static const CapsCase caps_mem_ctrl = { 0x2, 1 };  /* =mem-ctrl */
static const CapsCase caps_mirror = { 0x4, 2 };    /* nvdimm-cap=4 */

static void test_fit_caps(gconstpointer data)
{
    const CapsCase *c = data;
    Fixture *fx = fixture_new();
    g_autoptr(GByteArray) want = g_byte_array_new();
    const uint8_t caps[] = {
        /* Platform Capabilities (ACPI 6.4 §5.2.25.9), 16 bytes */
        LE16(7),                /* type */
        LE16(16),               /* length */
        c->highest,             /* highest valid capability bit */
        ZERO3,                  /* reserved */
        LE32(c->caps),          /* capabilities */
        ZERO4,                  /* reserved */
    };

    fx->s.capabilities = c->caps;
    fixture_plug(fx, dimm_a(false), false);
    fixture_plug(fx, dimm_b(), false);
    g_byte_array_append(want, fit_dimm_a, sizeof(fit_dimm_a));
    g_byte_array_append(want, fit_dimm_b, sizeof(fit_dimm_b));
    g_byte_array_append(want, caps, sizeof(caps));
    assert_bytes(fx->s.fit->data, fx->s.fit->len, want->data, want->len);
    fixture_free(fx);
}

static void test_fit_empty(void)
{
    Fixture *fx = fixture_new();
    g_autoptr(GByteArray) fit = g_byte_array_new();

    /* No DIMM: nothing at all, not even the capabilities (as QEMU). */
    fx->s.capabilities = 0x3;
    nvdimm_build_fit(&fx->s, fit);
    g_assert_cmpuint(fit->len, ==, 0);
    nvdimm_refresh_fit(&fx->s);
    g_assert_cmpuint(fx->s.fit->len, ==, 0);
    fixture_free(fx);
}

static void test_plug(void)
{
    Fixture *fx = fixture_new();
    FakeDimm *a, *b;

    g_assert_cmpuint(fx->s.fit->len, ==, 0);
    g_assert_false(fx->s.fit_dirty);
    g_assert_cmphex(fx->s.dsm_page_gpa, ==, DSM_PAGE);

    a = fixture_plug(fx, dimm_a(false), false);
    g_assert_cmpuint(fx->notified, ==, 0);     /* cold plug: no event */
    g_assert_true(fx->s.fit_dirty);            /* QEMU marks every rebuild */
    g_assert_cmpuint(fx->s.fit->len, ==, sizeof(fit_dimm_a));

    b = fixture_plug(fx, dimm_b(), true);
    g_assert_cmpuint(fx->notified, ==, 1);     /* hot plug: one event */
    g_assert_true(fx->s.fit_dirty);
    g_assert_cmpuint(fx->s.fit->len, ==, 2 * sizeof(fit_dimm_a));

    g_assert_true(nvdimm_find_by_handle(&fx->s, 1) == &a->acpi);
    g_assert_true(nvdimm_find_by_handle(&fx->s, 2) == &b->acpi);
    g_assert_null(nvdimm_find_by_handle(&fx->s, 0));
    g_assert_null(nvdimm_find_by_handle(&fx->s, 3));
    g_assert_null(nvdimm_find_by_handle(&fx->s, 0x10000));

    /* A hot plug without a notifier is fine. */
    fx->s.notify = NULL;
    fixture_plug(fx, fake_dimm_new(5, 0x200000000ULL, B_SIZE, 0, false, 0),
                 true);
    g_assert_cmpuint(fx->notified, ==, 1);
    g_assert_nonnull(nvdimm_find_by_handle(&fx->s, 6));
    fixture_free(fx);
}

static void test_refresh(void)
{
    Fixture *fx = fixture_new();

    fixture_plug(fx, dimm_a(false), false);
    dsm_call(fx, 0x10000, 1, 1, (uint32_t[]){ 0 }, 1);
    g_assert_false(fx->s.fit_dirty);
    fx->s.capabilities = 0x2;
    nvdimm_refresh_fit(&fx->s);
    g_assert_true(fx->s.fit_dirty);
    g_assert_cmpuint(fx->s.fit->len, ==, sizeof(fit_dimm_a) + 16);
    fixture_free(fx);
}

/* ---------------------------------------------------------------- */
/* DSM: revision, root, reserved root                                 */

static void test_dsm_revision(void)
{
    Fixture *fx = fixture_new();
    static const uint32_t handles[] = { 0, 1, 2, 0x10000 };
    static const uint32_t revs[] = { 0, 2, 0xffffffff };
    unsigned i, j;

    fixture_plug(fx, dimm_a(false), false);
    for (i = 0; i < G_N_ELEMENTS(handles); i++) {
        for (j = 0; j < G_N_ELEMENTS(revs); j++) {
            /* Even function 0 answers a status, not a bitmap. */
            assert_reply8(fx, dsm_call(fx, handles[i], revs[j], 0, NULL, 0),
                          ST_UNSUPPORTED);
        }
    }
    /* Checked before anything else: a Read FIT at 0 does not clear dirty. */
    g_assert_true(fx->s.fit_dirty);
    dsm_call(fx, 0x10000, 2, 1, (uint32_t[]){ 0 }, 1);
    g_assert_true(fx->s.fit_dirty);
    /* And a label write with a bad revision writes nothing. */
    dsm_call(fx, 1, 0, 6, (uint32_t[]){ 0, 4 }, 2);
    g_assert_cmpuint(fx->dimms[0]->writes, ==, 0);
    fixture_free(fx);
}

static void test_dsm_root(void)
{
    Fixture *fx = fixture_new();

    fixture_plug(fx, dimm_a(false), false);
    assert_reply8(fx, dsm0(fx, 0, 0), 0x0);           /* no functions */
    assert_reply8(fx, dsm0(fx, 0, 1), ST_UNSUPPORTED);
    assert_reply8(fx, dsm0(fx, 0, 4), ST_UNSUPPORTED);
    assert_reply8(fx, dsm0(fx, 0, 0xffffffff), ST_UNSUPPORTED);
    fixture_free(fx);
}

static void test_dsm_reserved_root(void)
{
    Fixture *fx = fixture_new();

    fixture_plug(fx, dimm_a(false), false);
    assert_reply8(fx, dsm0(fx, 0x10000, 0), 0x3);     /* fn 0 and Read FIT */
    assert_reply8(fx, dsm0(fx, 0x10000, 2), ST_UNSUPPORTED);
    assert_reply8(fx, dsm0(fx, 0x10000, 6), ST_UNSUPPORTED);
    /* Other high handles are DIMM handles without a DIMM. */
    assert_reply8(fx, dsm0(fx, 0x10001, 0), 0x0);
    assert_reply8(fx, dsm0(fx, 0x10001, 1), ST_NO_DEVICE);
    fixture_free(fx);
}

/* 23 DIMMs: 23 * 184 = 4232 bytes of FIT, more than one chunk. */
static Fixture *big_fit_fixture(void)
{
    Fixture *fx = fixture_new();
    unsigned i;

    for (i = 0; i < 23; i++) {
        fixture_plug(fx, fake_dimm_new(i, 0x100000000ULL * (i + 2),
                                       0x40000000ULL, i % 3, i & 1, 0),
                     false);
    }
    g_assert_cmpuint(fx->s.fit->len, ==, 23 * 184);
    return fx;
}

static uint32_t read_fit(Fixture *fx, uint32_t offset)
{
    return dsm_call(fx, 0x10000, 1, 1, &offset, 1);
}

static void test_dsm_read_fit(void)
{
    Fixture *fx = big_fit_fixture();
    const uint32_t len = fx->s.fit->len;
    uint32_t rlen;

    /* Offset 0: a full chunk, RLEN fills the page exactly. */
    rlen = read_fit(fx, 0);
    g_assert_cmpuint(rlen, ==, 8 + FIT_CHUNK);
    g_assert_cmpuint(rlen, ==, NVDIMM_DSM_MEMORY_SIZE);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmpmem(fx->out + 8, FIT_CHUNK, fx->s.fit->data, FIT_CHUNK);
    g_assert_false(fx->s.fit_dirty);

    /* Middle offset: still a full chunk from there. */
    rlen = read_fit(fx, 100);
    g_assert_cmpuint(rlen, ==, 8 + FIT_CHUNK);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmpmem(fx->out + 8, FIT_CHUNK, fx->s.fit->data + 100, FIT_CHUNK);

    /* The tail. */
    rlen = read_fit(fx, FIT_CHUNK);
    g_assert_cmpuint(rlen, ==, 8 + len - FIT_CHUNK);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmpmem(fx->out + 8, len - FIT_CHUNK,
                    fx->s.fit->data + FIT_CHUNK, len - FIT_CHUNK);

    /* offset == length: success, no data (the end of the loop in _FIT). */
    assert_reply8(fx, read_fit(fx, len), ST_OK);
    /* Past the end: invalid input. */
    assert_reply8(fx, read_fit(fx, len + 1), ST_INVALID);
    assert_reply8(fx, read_fit(fx, 0xffffffff), ST_INVALID);
    g_assert_false(fx->s.fit_dirty);
    fixture_free(fx);
}

static void test_dsm_read_fit_small(void)
{
    Fixture *fx = fixture_new();
    uint32_t rlen;

    /* Empty FIT: offset 0 is the end. */
    assert_reply8(fx, read_fit(fx, 0), ST_OK);
    assert_reply8(fx, read_fit(fx, 1), ST_INVALID);

    fixture_plug(fx, dimm_a(false), false);
    rlen = read_fit(fx, 0);
    g_assert_cmpuint(rlen, ==, 8 + sizeof(fit_dimm_a));
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmpmem(fx->out + 8, sizeof(fit_dimm_a),
                    fit_dimm_a, sizeof(fit_dimm_a));
    fixture_free(fx);
}

static void test_dsm_read_fit_dirty(void)
{
    Fixture *fx = big_fit_fixture();
    uint32_t len = fx->s.fit->len;

    /* Plugging marked the FIT changed: a read must start at 0. */
    g_assert_true(fx->s.fit_dirty);
    assert_reply8(fx, read_fit(fx, 100), ST_FIT_CHANGED);
    g_assert_true(fx->s.fit_dirty);
    /* The range check comes first, and does not clear the flag. */
    assert_reply8(fx, read_fit(fx, len + 1), ST_INVALID);
    g_assert_true(fx->s.fit_dirty);
    /* offset == length while dirty is a non-zero offset too. */
    assert_reply8(fx, read_fit(fx, len), ST_FIT_CHANGED);

    g_assert_cmpuint(read_fit(fx, 0), ==, 8 + FIT_CHUNK);
    g_assert_false(fx->s.fit_dirty);

    /* A hot plug between two chunks: the second one says "restart". */
    fixture_plug(fx, fake_dimm_new(30, 0x4000000000ULL, B_SIZE, 0, false, 0),
                 true);
    g_assert_cmpuint(fx->notified, ==, 1);
    assert_reply8(fx, read_fit(fx, FIT_CHUNK), ST_FIT_CHANGED);
    g_assert_cmpuint(read_fit(fx, 0), ==, 8 + FIT_CHUNK);
    g_assert_cmpuint(read_fit(fx, FIT_CHUNK), ==, 8 + len + 184 - FIT_CHUNK);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    fixture_free(fx);
}

/* ---------------------------------------------------------------- */
/* DSM: DIMM handles                                                  */

static Fixture *label_fixture(void)
{
    Fixture *fx = fixture_new();

    fixture_plug(fx, dimm_a(false), false);     /* handle 1, labels */
    fixture_plug(fx, dimm_b(), false);          /* handle 2, no labels */
    return fx;
}

static void test_dsm_dimm_fn0(void)
{
    Fixture *fx = label_fixture();

    assert_reply8(fx, dsm0(fx, 1, 0), 0x71);    /* fn 0, 4, 5, 6 */
    assert_reply8(fx, dsm0(fx, 2, 0), 0x0);     /* no labels */
    /* No DIMM at the handle: still a bitmap, not status 2. */
    assert_reply8(fx, dsm0(fx, 3, 0), 0x0);
    assert_reply8(fx, dsm0(fx, 0xffff, 0), 0x0);
    fixture_free(fx);
}

static void test_dsm_dimm_missing(void)
{
    Fixture *fx = label_fixture();
    static const uint32_t fns[] = { 1, 4, 5, 6, 7, 0xffffffff };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(fns); i++) {
        assert_reply8(fx, dsm0(fx, 3, fns[i]), ST_NO_DEVICE);
        assert_reply8(fx, dsm0(fx, 0xffffffff, fns[i]), ST_NO_DEVICE);
    }
    fixture_free(fx);
}

static void test_dsm_dimm_unsupported(void)
{
    Fixture *fx = label_fixture();
    static const uint32_t fns[] = { 1, 2, 3, 7, 8, 0xffffffff };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(fns); i++) {
        assert_reply8(fx, dsm0(fx, 1, fns[i]), ST_UNSUPPORTED);
    }
    /* Without labels, the label functions are unknown too. */
    assert_reply8(fx, dsm0(fx, 2, 4), ST_UNSUPPORTED);
    assert_reply8(fx, dsm_call(fx, 2, 1, 5, (uint32_t[]){ 0, 4 }, 2),
                  ST_UNSUPPORTED);
    assert_reply8(fx, dsm_call(fx, 2, 1, 6, (uint32_t[]){ 0, 4 }, 2),
                  ST_UNSUPPORTED);
    g_assert_cmpuint(fx->dimms[1]->reads + fx->dimms[1]->writes, ==, 0);
    fixture_free(fx);
}

static void test_dsm_label_size(void)
{
    Fixture *fx = label_fixture();
    uint32_t rlen = dsm0(fx, 1, 4);

    g_assert_cmpuint(rlen, ==, 16);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmphex(get32(fx->out, 8), ==, LABEL_SIZE);
    g_assert_cmpuint(get32(fx->out, 12), ==, MAX_XFER);
    fixture_free(fx);
}

static uint32_t get_label(Fixture *fx, uint32_t offset, uint32_t length)
{
    return dsm_call(fx, 1, 1, 5, (uint32_t[]){ offset, length }, 2);
}

static void test_dsm_get_label_data(void)
{
    Fixture *fx = label_fixture();
    FakeDimm *a = fx->dimms[0];
    uint32_t rlen;

    /* At the start. */
    rlen = get_label(fx, 0, 256);
    g_assert_cmpuint(rlen, ==, 8 + 256);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmpmem(fx->out + 8, 256, a->labels, 256);

    /* The largest transfer, ending exactly at the end of the area. */
    rlen = get_label(fx, LABEL_SIZE - MAX_XFER, MAX_XFER);
    g_assert_cmpuint(rlen, ==, 8 + MAX_XFER);
    g_assert_cmphex(get32(fx->out, 4), ==, ST_OK);
    g_assert_cmpmem(fx->out + 8, MAX_XFER,
                    a->labels + LABEL_SIZE - MAX_XFER, MAX_XFER);

    /* Length 0: success, no data, anywhere up to the end. */
    assert_reply8(fx, get_label(fx, 0, 0), ST_OK);
    assert_reply8(fx, get_label(fx, LABEL_SIZE, 0), ST_OK);
    g_assert_cmpuint(a->reads, ==, 4);
    fixture_free(fx);
}

static void test_dsm_label_invalid(void)
{
    Fixture *fx = label_fixture();
    FakeDimm *a = fx->dimms[0];
    static const uint32_t bad[][2] = {
        { 0xffffffff, 2 },                  /* offset + length overflows */
        { 2, 0xffffffff },
        { LABEL_SIZE - 8, 16 },             /* past the label area */
        { LABEL_SIZE + 1, 0 },
        { LABEL_SIZE, 1 },
        { 0, MAX_XFER + 1 },                /* 4077: more than a page */
        { 0, 0x1000 },
        { 0, 0xfffffff0 },
    };
    g_autofree uint8_t *before = dup_bytes(a->labels, LABEL_SIZE);
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_reply8(fx, dsm_call(fx, 1, 1, 5, bad[i], 2), ST_INVALID);
        assert_reply8(fx, dsm_call(fx, 1, 1, 6, bad[i], 2), ST_INVALID);
    }
    g_assert_cmpuint(a->reads + a->writes, ==, 0);
    g_assert_cmpmem(a->labels, LABEL_SIZE, before, LABEL_SIZE);
    fixture_free(fx);
}

static void test_dsm_set_label_data(void)
{
    Fixture *fx = label_fixture();
    FakeDimm *a = fx->dimms[0];
    g_autofree uint8_t *want = dup_bytes(a->labels, LABEL_SIZE);
    unsigned i;

    /* At the start: 32 bytes of 0x11.. from the request page. */
    memset(fx->in, 0, NVDIMM_DSM_MEMORY_SIZE);
    put32(fx->in, 0, 1);
    put32(fx->in, 4, 1);
    put32(fx->in, 8, 6);
    put32(fx->in, 12, 0);
    put32(fx->in, 16, 32);
    for (i = 0; i < 32; i++) {
        fx->in[20 + i] = 0x11 + i;
        want[i] = 0x11 + i;
    }
    {
        uint32_t rlen;

        nvdimm_dsm_handle(&fx->s, fx->in, fx->out, &rlen);
        assert_reply8(fx, rlen, ST_OK);
    }
    g_assert_cmpmem(a->labels, LABEL_SIZE, want, LABEL_SIZE);

    /* The largest write, ending at the end: uses the page's last byte. */
    memset(fx->in, 0, NVDIMM_DSM_MEMORY_SIZE);
    put32(fx->in, 0, 1);
    put32(fx->in, 4, 1);
    put32(fx->in, 8, 6);
    put32(fx->in, 12, LABEL_SIZE - MAX_XFER);
    put32(fx->in, 16, MAX_XFER);
    for (i = 0; i < MAX_XFER; i++) {
        fx->in[20 + i] = (uint8_t)(0xc3 ^ i);
        want[LABEL_SIZE - MAX_XFER + i] = (uint8_t)(0xc3 ^ i);
    }
    g_assert_cmpuint(20 + MAX_XFER, ==, NVDIMM_DSM_MEMORY_SIZE);
    {
        uint32_t rlen;

        nvdimm_dsm_handle(&fx->s, fx->in, fx->out, &rlen);
        assert_reply8(fx, rlen, ST_OK);
    }
    g_assert_cmpmem(a->labels, LABEL_SIZE, want, LABEL_SIZE);

    /* Length 0: success, nothing changes. */
    assert_reply8(fx, dsm_call(fx, 1, 1, 6, (uint32_t[]){ 100, 0 }, 2),
                  ST_OK);
    g_assert_cmpmem(a->labels, LABEL_SIZE, want, LABEL_SIZE);

    /* Read back what was written. */
    get_label(fx, 0, 32);
    g_assert_cmpmem(fx->out + 8, 32, want, 32);
    fixture_free(fx);
}

static void test_dsm_set_label_readonly(void)
{
    Fixture *fx = label_fixture();
    FakeDimm *a = fx->dimms[0];
    g_autofree uint8_t *before = dup_bytes(a->labels, LABEL_SIZE);

    a->readonly = true;
    /* QEMU 7.2 crashes here; pmemvm answers "not supported". */
    assert_reply8(fx, dsm_call(fx, 1, 1, 6, (uint32_t[]){ 0, 64 }, 2),
                  ST_UNSUPPORTED);
    g_assert_cmpmem(a->labels, LABEL_SIZE, before, LABEL_SIZE);
    /* Range errors are still reported first. */
    assert_reply8(fx, dsm_call(fx, 1, 1, 6, (uint32_t[]){ 0, 4077 }, 2),
                  ST_INVALID);
    /* Reads still work, and function 0 still offers 4, 5 and 6. */
    g_assert_cmpuint(get_label(fx, 0, 64), ==, 8 + 64);
    g_assert_cmpmem(fx->out + 8, 64, before, 64);
    assert_reply8(fx, dsm0(fx, 1, 0), 0x71);

    /* No write callback at all behaves the same. */
    a->acpi.write_label = NULL;
    assert_reply8(fx, dsm_call(fx, 1, 1, 6, (uint32_t[]){ 0, 64 }, 2),
                  ST_UNSUPPORTED);
    fixture_free(fx);
}

/*
 * A backing store that fails (a hole on a full file system, a truncated
 * file): status 4, "hardware error", and no half-read data in the reply.
 */
static void test_dsm_label_io_error(void)
{
    Fixture *fx = label_fixture();
    FakeDimm *a = fx->dimms[0];
    unsigned i;

    a->failing = true;
    assert_reply8(fx, dsm_call(fx, 1, 1, 5, (uint32_t[]){ 0, 64 }, 2),
                  ST_HW_ERROR);
    for (i = 8; i < 8 + 64; i++) {
        g_assert_cmphex(fx->out[i], ==, 0);
    }
    assert_reply8(fx, dsm_call(fx, 1, 1, 6, (uint32_t[]){ 0, 64 }, 2),
                  ST_HW_ERROR);
    /* Range errors are still reported first. */
    assert_reply8(fx, dsm_call(fx, 1, 1, 5, (uint32_t[]){ 0, 4077 }, 2),
                  ST_INVALID);
    /* Read-only wins: the write is not even tried. */
    a->readonly = true;
    assert_reply8(fx, dsm_call(fx, 1, 1, 6, (uint32_t[]){ 0, 64 }, 2),
                  ST_UNSUPPORTED);
    /* Once the store works again, so does the DIMM. */
    a->failing = a->readonly = false;
    g_assert_cmpuint(get_label(fx, 0, 64), ==, 8 + 64);
    g_assert_cmpmem(fx->out + 8, 64, a->labels, 64);
    fixture_free(fx);
}

/* Whatever the page holds: replies stay in the page, callbacks in range. */
static void test_dsm_random_pages(void)
{
    Fixture *fx = label_fixture();
    GRand *r = g_rand_new_with_seed(0x0a18);
    static const uint32_t handles[] = { 0, 1, 2, 3, 0x10000, 0xffffffff };
    unsigned i, j;

    for (i = 0; i < 20000; i++) {
        uint32_t rlen = 0;

        for (j = 0; j < NVDIMM_DSM_MEMORY_SIZE; j += 4) {
            put32(fx->in, j, g_rand_int(r));
        }
        put32(fx->in, 0, handles[g_rand_int_range(r, 0, 6)]);
        if (g_rand_boolean(r)) {
            put32(fx->in, 4, 1);
        }
        put32(fx->in, 8, g_rand_int_range(r, 0, 8));
        if (g_rand_boolean(r)) {
            /* Plausible label offsets and lengths. */
            put32(fx->in, 12, g_rand_int_range(r, 0, LABEL_SIZE + 8));
            put32(fx->in, 16, g_rand_int_range(r, 0, 2 * MAX_XFER));
        }
        nvdimm_dsm_handle(&fx->s, fx->in, fx->out, &rlen);
        g_assert_cmpuint(rlen, >=, 8);
        g_assert_cmpuint(rlen, <=, NVDIMM_DSM_MEMORY_SIZE);
        g_assert_cmpuint(get32(fx->out, 0), ==, rlen);
    }
    g_rand_free(r);
    fixture_free(fx);
}

/* ---------------------------------------------------------------- */
/* Port 0x0A18                                                        */

static void test_port_wrong_address(void)
{
    Fixture *fx = label_fixture();
    unsigned long errors = guest_error_count();

    /* Anything but MEMA is a guest error and nothing else. */
    nvdimm_dsm_port_write(&fx->s, DSM_PAGE + 0x1000);
    g_assert_cmpuint(guest_error_count(), ==, errors + 1);
    nvdimm_dsm_port_write(&fx->s, 0);
    g_assert_cmpuint(guest_error_count(), ==, errors + 2);
    g_assert_true(fx->s.fit_dirty);
    g_assert_cmpuint(fx->dimms[0]->reads + fx->dimms[0]->writes, ==, 0);
    fixture_free(fx);
}

/* One state owns the port for the whole process. */
static Fixture *port_fixture(void)
{
    static Fixture *fx;

    if (!fx) {
        fx = label_fixture();
        nvdimm_dsm_register_port(&fx->s);
    }
    return fx;
}

static void test_port_io(void)
{
    Fixture *fx = port_fixture();
    unsigned long errors = guest_error_count();

    /* Reads return 0, as QEMU's handler. */
    g_assert_cmphex(ioport_read(LAYOUT_PORT_NVDIMM_DSM, 4), ==, 0);

    /* A 4-byte write of another address: logged, ignored. */
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE + 8, 4);
    g_assert_cmpuint(guest_error_count(), ==, errors + 1);
    /*
     * Narrow writes are refused before the value is looked at, even one
     * that carries the page address: one guest error, no DSM call.
     */
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 2);
    g_assert_cmpuint(guest_error_count(), ==, errors + 2);
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 1);
    g_assert_cmpuint(guest_error_count(), ==, errors + 3);
    g_assert_cmpuint(fx->dimms[0]->reads + fx->dimms[0]->writes, ==, 0);
}

static void guest_request(uint8_t *page, uint32_t handle, uint32_t fn,
                          uint32_t arg0, uint32_t arg1)
{
    memset(page, 0xee, NVDIMM_DSM_MEMORY_SIZE);
    put32(page, 0, handle);
    put32(page, 4, 1);
    put32(page, 8, fn);
    put32(page, 12, arg0);
    put32(page, 16, arg1);
}

/* The whole path through guest RAM (hw/core/memory.c). */
static void test_port_dsm_page(void)
{
    Fixture *fx = port_fixture();
    FakeDimm *a = fx->dimms[0];
    g_autofree uint8_t *page = g_malloc(NVDIMM_DSM_MEMORY_SIZE);
    g_autofree uint8_t *snap = g_malloc(NVDIMM_DSM_MEMORY_SIZE);
    unsigned long errors = guest_error_count();
    GuestRamRegion *ram;
    unsigned i;

    /* No RAM behind MEMA yet: logged, nothing handled. */
    nvdimm_dsm_port_write(&fx->s, DSM_PAGE);
    g_assert_cmpuint(guest_error_count(), ==, errors + 1);
    g_assert_cmpuint(a->reads + a->writes, ==, 0);

    ram = guest_ram_add("test-dsm-page", DSM_PAGE, NVDIMM_DSM_MEMORY_SIZE,
                        page, false, &error_abort);
    g_assert_nonnull(ram);

    /* Get Label Size: 16 bytes come back, the rest of the page is kept. */
    guest_request(page, 1, 4, 0, 0);
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 4);
    g_assert_cmpuint(get32(page, 0), ==, 16);
    g_assert_cmphex(get32(page, 4), ==, ST_OK);
    g_assert_cmphex(get32(page, 8), ==, LABEL_SIZE);
    g_assert_cmpuint(get32(page, 12), ==, MAX_XFER);
    g_assert_cmpuint(get32(page, 16), ==, 0);   /* request's Arg3 word */
    for (i = 20; i < NVDIMM_DSM_MEMORY_SIZE; i++) {
        g_assert_cmphex(page[i], ==, 0xee);
    }

    /* Set then Get Label Data through the page. */
    guest_request(page, 1, 6, 64, 8);
    memcpy(page + 20, "pmemvm!!", 8);
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 4);
    g_assert_cmpuint(get32(page, 0), ==, 8);
    g_assert_cmphex(get32(page, 4), ==, ST_OK);
    g_assert_cmpmem(a->labels + 64, 8, "pmemvm!!", 8);
    guest_request(page, 1, 5, 64, 8);
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 4);
    g_assert_cmpuint(get32(page, 0), ==, 16);
    g_assert_cmpmem(page + 8, 8, "pmemvm!!", 8);

    /* A wrong address, or a narrow write, leaves the page alone. */
    guest_request(page, 1, 4, 0, 0);
    memcpy(snap, page, NVDIMM_DSM_MEMORY_SIZE);
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE + 4, 4);
    g_assert_cmpmem(page, NVDIMM_DSM_MEMORY_SIZE, snap,
                    NVDIMM_DSM_MEMORY_SIZE);
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 2);
    g_assert_cmpmem(page, NVDIMM_DSM_MEMORY_SIZE, snap,
                    NVDIMM_DSM_MEMORY_SIZE);

    /* A read-only page: the reply cannot land, which is logged. */
    guest_ram_del(ram);
    ram = guest_ram_add("test-dsm-page-ro", DSM_PAGE, NVDIMM_DSM_MEMORY_SIZE,
                        page, true, &error_abort);
    g_assert_nonnull(ram);
    errors = guest_error_count();
    ioport_write(LAYOUT_PORT_NVDIMM_DSM, DSM_PAGE, 4);
    g_assert_cmpuint(guest_error_count(), ==, errors + 1);
    g_assert_cmpmem(page, NVDIMM_DSM_MEMORY_SIZE, snap,
                    NVDIMM_DSM_MEMORY_SIZE);
    guest_ram_del(ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/nvdimm-acpi/fit/sizes", test_fit_sizes);
    g_test_add_func("/nvdimm-acpi/fit/one-dimm", test_fit_one_dimm);
    g_test_add_func("/nvdimm-acpi/fit/two-dimms", test_fit_two_dimms);
    g_test_add_func("/nvdimm-acpi/fit/plug-order",
                    test_fit_order_is_plug_order);
    g_test_add_func("/nvdimm-acpi/fit/unarmed", test_fit_unarmed);
    g_test_add_data_func("/nvdimm-acpi/fit/caps-cpu", &caps_cpu,
                         test_fit_caps);
    g_test_add_data_func("/nvdimm-acpi/fit/caps-mem-ctrl", &caps_mem_ctrl,
                         test_fit_caps);
    g_test_add_data_func("/nvdimm-acpi/fit/caps-mirroring", &caps_mirror,
                         test_fit_caps);
    g_test_add_func("/nvdimm-acpi/fit/empty", test_fit_empty);
    g_test_add_func("/nvdimm-acpi/plug", test_plug);
    g_test_add_func("/nvdimm-acpi/refresh", test_refresh);

    g_test_add_func("/nvdimm-acpi/dsm/revision", test_dsm_revision);
    g_test_add_func("/nvdimm-acpi/dsm/root", test_dsm_root);
    g_test_add_func("/nvdimm-acpi/dsm/reserved-root", test_dsm_reserved_root);
    g_test_add_func("/nvdimm-acpi/dsm/read-fit", test_dsm_read_fit);
    g_test_add_func("/nvdimm-acpi/dsm/read-fit-small",
                    test_dsm_read_fit_small);
    g_test_add_func("/nvdimm-acpi/dsm/read-fit-dirty",
                    test_dsm_read_fit_dirty);
    g_test_add_func("/nvdimm-acpi/dsm/dimm-fn0", test_dsm_dimm_fn0);
    g_test_add_func("/nvdimm-acpi/dsm/dimm-missing", test_dsm_dimm_missing);
    g_test_add_func("/nvdimm-acpi/dsm/dimm-unsupported",
                    test_dsm_dimm_unsupported);
    g_test_add_func("/nvdimm-acpi/dsm/label-size", test_dsm_label_size);
    g_test_add_func("/nvdimm-acpi/dsm/get-label-data",
                    test_dsm_get_label_data);
    g_test_add_func("/nvdimm-acpi/dsm/label-invalid", test_dsm_label_invalid);
    g_test_add_func("/nvdimm-acpi/dsm/set-label-data",
                    test_dsm_set_label_data);
    g_test_add_func("/nvdimm-acpi/dsm/label-io-error",
                    test_dsm_label_io_error);
    g_test_add_func("/nvdimm-acpi/dsm/set-label-readonly",
                    test_dsm_set_label_readonly);
    g_test_add_func("/nvdimm-acpi/dsm/random-pages", test_dsm_random_pages);

    g_test_add_func("/nvdimm-acpi/port/wrong-address",
                    test_port_wrong_address);
    g_test_add_func("/nvdimm-acpi/port/io", test_port_io);
    g_test_add_func("/nvdimm-acpi/port/dsm-page", test_port_dsm_page);

    return g_test_run();
}
