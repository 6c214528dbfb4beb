/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the label-area guard's recognition of namespace label
 * areas (hw/mem/nvdimm-label.c).  The index blocks are built here from
 * the layout of Linux's struct nd_namespace_index, with the checksum
 * worked out by a loop of the test's own.
 */
#include "qemu/osdep.h"
#include "hw/mem/nvdimm-label.h"
#include "label-fixture.h"

#define AREA (128 * KiB)

static void test_fletcher_vector(void)
{
    static const uint8_t v[] = { 1, 0, 0, 0, 2, 0, 0, 0 };
    uint8_t big[8];

    g_assert_cmphex(nvdimm_label_fletcher64(v, sizeof(v)), ==,
                    0x0000000400000003ULL);
    /* The low sum wraps at 32 bits; the high one does not. */
    memset(big, 0xff, sizeof(big));
    g_assert_cmphex(nvdimm_label_fletcher64(big, sizeof(big)), ==,
                    label_fixture_fletcher(big, sizeof(big)));
    g_assert_cmphex(nvdimm_label_fletcher64(big, sizeof(big)), ==,
                    (0xffffffffULL + 0xfffffffeULL) << 32 | 0xfffffffeULL);
}

static void test_zero_area(void)
{
    g_autofree uint8_t *a = g_malloc0(AREA);

    g_assert_cmpint(nvdimm_label_area_kind(a, AREA), ==,
                    NVDIMM_LABEL_AREA_ZERO);
}

static void test_linux_labels(void)
{
    g_autofree uint8_t *a = g_malloc0(AREA);

    label_fixture_put_index(a, 0, 256, 256, 1);
    label_fixture_put_index(a, 256, 256, 0, 2);
    g_assert_true(nvdimm_label_index_valid(a, AREA, 0));
    g_assert_true(nvdimm_label_index_valid(a, AREA, 256));
    g_assert_cmpint(nvdimm_label_area_kind(a, AREA), ==,
                    NVDIMM_LABEL_AREA_LABELS);
}

/* One good index block is enough (the other may be mid-update). */
static void test_one_block_corrupt(void)
{
    g_autofree uint8_t *a = g_malloc0(AREA);

    label_fixture_put_index(a, 0, 256, 256, 1);
    label_fixture_put_index(a, 256, 256, 0, 2);
    a[100] ^= 1;
    g_assert_false(nvdimm_label_index_valid(a, AREA, 0));
    g_assert_cmpint(nvdimm_label_area_kind(a, AREA), ==,
                    NVDIMM_LABEL_AREA_LABELS);
    a[256 + 100] ^= 1;
    g_assert_cmpint(nvdimm_label_area_kind(a, AREA), ==,
                    NVDIMM_LABEL_AREA_DATA);
}

/* Index blocks bigger than 256 bytes (large areas: a longer bitmap). */
static void test_big_index_block(void)
{
    g_autofree uint8_t *a = g_malloc0(2 * MiB);

    label_fixture_put_index(a, 0, 2304, 2304, 1);
    label_fixture_put_index(a, 2304, 2304, 0, 2);
    g_assert_cmpint(nvdimm_label_area_kind(a, 2 * MiB), ==,
                    NVDIMM_LABEL_AREA_LABELS);
}

/* What is not labels is data: the signature alone is not enough. */
static void test_data(void)
{
    g_autofree uint8_t *a = g_malloc0(AREA);

    a[AREA - 1] = 1;
    g_assert_cmpint(nvdimm_label_area_kind(a, AREA), ==,
                    NVDIMM_LABEL_AREA_DATA);
    memcpy(a, "NAMESPACE_INDEX", 16);
    g_assert_cmpint(nvdimm_label_area_kind(a, AREA), ==,
                    NVDIMM_LABEL_AREA_DATA);
    /* A block claiming an offset other than its own. */
    label_fixture_put_index(a, 0, 256, 256, 1);
    label_fixture_st(a + 24, 512, 8);
    label_fixture_st(a + 64, 0, 8);
    label_fixture_st(a + 64, label_fixture_fletcher(a, 256), 8);
    g_assert_false(nvdimm_label_index_valid(a, AREA, 0));
    /* A size past the end of the area. */
    label_fixture_put_index(a, 0, 256, 256, 1);
    label_fixture_st(a + 32, AREA + 8, 8);
    g_assert_false(nvdimm_label_index_valid(a, AREA, 0));
    g_assert_false(nvdimm_label_index_valid(a, 16, 0));
}

typedef struct Reads {
    const uint8_t *data;
    uint64_t bytes;
} Reads;

static bool counting_read(void *opaque, uint64_t offset, void *buf,
                          uint64_t len, Error **errp)
{
    Reads *r = opaque;

    memcpy(buf, r->data + offset, len);
    r->bytes += len;
    return true;
}

/* The label area at the end of @size bytes at @data, read piecewise. */
static uint64_t find_in(const uint8_t *data, uint64_t size)
{
    Reads r = { data, 0 };
    uint64_t found = 1;

    g_assert_true(nvdimm_label_area_find_read(size, counting_read, &r,
                                              &found, &error_abort));
    return found;
}

/* A backend used without labels: find the label area at its end. */
static void test_find(void)
{
    const uint64_t size = 8 * MiB;
    g_autofree uint8_t *b = g_malloc0(size);

    g_assert_cmpuint(find_in(b, size), ==, 0);
    label_fixture_put_index(b + size - 2 * MiB, 0, 2304, 2304, 1);
    g_assert_cmpuint(find_in(b, size), ==, 2 * MiB);
    memset(b, 0, size);
    label_fixture_put_index(b + size - AREA, 256, 256, 0, 2);
    g_assert_cmpuint(find_in(b, size), ==, AREA);
    /* Nothing bigger than the backend is tried. */
    g_assert_cmpuint(find_in(b + size - AREA, AREA), ==, 0);
}

static bool failing_read(void *opaque, uint64_t offset, void *buf,
                         uint64_t len, Error **errp)
{
    error_setg(errp, "no such page");
    return false;
}

/* Piecewise: only index-block windows are read, 16 MiB areas found. */
static void test_find_read(void)
{
    const uint64_t size = 32 * MiB;
    g_autofree uint8_t *b = g_malloc0(size);
    Reads r = { b, 0 };
    uint64_t found = 1;
    Error *err = NULL;

    g_assert_true(nvdimm_label_area_find_read(size, counting_read, &r,
                                              &found, &error_abort));
    g_assert_cmpuint(found, ==, 0);
    /* 8 candidate sizes, 128 KiB to 16 MiB: some 70 KiB, not 16 MiB */
    g_assert_cmpuint(r.bytes, <, 100 * KiB);
    /* the second index block of a 16 MiB area, at its farthest */
    label_fixture_put_index(b + size - 16 * MiB,
                            nvdimm_label_index_span(16 * MiB) / 2,
                            nvdimm_label_index_span(16 * MiB) / 2, 0, 2);
    g_assert_true(nvdimm_label_area_find_read(size, counting_read, &r,
                                              &found, &error_abort));
    g_assert_cmpuint(found, ==, 16 * MiB);
    g_assert_cmpuint(find_in(b, size), ==, 16 * MiB);
    g_assert_false(nvdimm_label_area_find_read(size, failing_read, NULL,
                                               &found, &err));
    g_assert_nonnull(err);
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/nvdimm-label/fletcher", test_fletcher_vector);
    g_test_add_func("/nvdimm-label/zero", test_zero_area);
    g_test_add_func("/nvdimm-label/find-read", test_find_read);
    g_test_add_func("/nvdimm-label/linux-labels", test_linux_labels);
    g_test_add_func("/nvdimm-label/one-block-corrupt",
                    test_one_block_corrupt);
    g_test_add_func("/nvdimm-label/big-index-block", test_big_index_block);
    g_test_add_func("/nvdimm-label/data", test_data);
    g_test_add_func("/nvdimm-label/find", test_find);
    return g_test_run();
}
