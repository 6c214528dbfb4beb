/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AML encoder against known bytes.  The expected bytes of the larger
 * cases are what iasl 20200925 produces for the same ASL (compiled with
 * -oa so that it does not shorten names).
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/acpi-build.h"

static void check_bytes(const GByteArray *got, const uint8_t *want,
                        size_t len)
{
    g_assert_cmpmem(got->data, got->len, want, len);
}

static void check_aml(Aml *node, const uint8_t *want, size_t len)
{
    g_autoptr(GByteArray) b = g_byte_array_new();

    aml_encode(b, node);
    check_bytes(b, want, len);
}

#define CHECK_AML(node, ...) do {                       \
        static const uint8_t want_[] = { __VA_ARGS__ }; \
        check_aml((node), want_, sizeof(want_));        \
    } while (0)

static void check_pkglen(uint32_t value, const uint8_t *want, size_t len)
{
    g_autoptr(GByteArray) b = g_byte_array_new();

    aml_pkglen_encode(b, value);
    check_bytes(b, want, len);
}

#define CHECK_PKGLEN(value, ...) do {                   \
        static const uint8_t want_[] = { __VA_ARGS__ }; \
        check_pkglen((value), want_, sizeof(want_));    \
    } while (0)

static void check_block(size_t content, const uint8_t *want, size_t len)
{
    g_autoptr(GByteArray) b = g_byte_array_new();

    aml_pkglen_encode_block(b, content);
    check_bytes(b, want, len);
}

#define CHECK_BLOCK(content, ...) do {                  \
        static const uint8_t want_[] = { __VA_ARGS__ }; \
        check_block((content), want_, sizeof(want_));   \
    } while (0)

static void test_pkglen_raw(void)
{
    CHECK_PKGLEN(0, 0x00);
    CHECK_PKGLEN(32, 0x20);
    CHECK_PKGLEN(63, 0x3F);
    CHECK_PKGLEN(64, 0x40, 0x04);
    CHECK_PKGLEN(4095, 0x4F, 0xFF);
    CHECK_PKGLEN(4096, 0x80, 0x00, 0x01);
    CHECK_PKGLEN(32672, 0x80, 0xFA, 0x07);
    CHECK_PKGLEN(0xFFFFF, 0x8F, 0xFF, 0xFF);
    CHECK_PKGLEN(0x100000, 0xC0, 0x00, 0x00, 0x01);
    CHECK_PKGLEN(0xFFFFFFF, 0xCF, 0xFF, 0xFF, 0xFF);
}

/* A block's PkgLength counts its own bytes. */
static void test_pkglen_block(void)
{
    CHECK_BLOCK(0, 0x01);
    CHECK_BLOCK(62, 0x3F);                  /* 62 + 1 = 63 */
    CHECK_BLOCK(63, 0x41, 0x04);            /* 63 + 2 = 65 */
    CHECK_BLOCK(4093, 0x4F, 0xFF);          /* 4093 + 2 = 4095 */
    CHECK_BLOCK(4094, 0x81, 0x00, 0x01);    /* 4094 + 3 = 4097 */
    CHECK_BLOCK(0xFFFFC, 0x8F, 0xFF, 0xFF); /* 0xFFFFC + 3 = 0xFFFFF */
    CHECK_BLOCK(0xFFFFD, 0xC1, 0x00, 0x00, 0x01);
}

/* Buffers whose contents straddle the 63/64 and 4095/4096 limits. */
static void test_pkglen_buffers(void)
{
    static const struct {
        size_t len;             /* buffer bytes */
        size_t total;           /* whole encoding */
        uint8_t head[6];        /* its first bytes */
        size_t head_len;
    } cases[] = {
        /* 60 bytes + BufferSize (0A 3C) = 62 contents: PkgLength 63 */
        { 60, 64, { 0x11, 0x3F, 0x0A, 0x3C }, 4 },
        /* 61 + 2 = 63 contents: two-byte PkgLength 65 */
        { 61, 66, { 0x11, 0x41, 0x04, 0x0A, 0x3D }, 5 },
        /* 4090 + 3 (0B FA 0F) = 4093: PkgLength 4095 */
        { 4090, 4096, { 0x11, 0x4F, 0xFF, 0x0B, 0xFA, 0x0F }, 6 },
        /* 4091 + 3 = 4094: three-byte PkgLength 4097 */
        { 4091, 4098, { 0x11, 0x81, 0x00, 0x01, 0x0B, 0xFB }, 6 },
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autoptr(GByteArray) b = g_byte_array_new();

        aml_encode(b, aml_buffer(NULL, cases[i].len));
        g_assert_cmpuint(b->len, ==, cases[i].total);
        g_assert_cmpmem(b->data, cases[i].head_len,
                        cases[i].head, cases[i].head_len);
    }
}

static void test_int_widths(void)
{
    CHECK_AML(aml_int(0), 0x00);
    CHECK_AML(aml_int(1), 0x01);
    CHECK_AML(aml_int(2), 0x0A, 0x02);
    CHECK_AML(aml_int(0xFF), 0x0A, 0xFF);
    CHECK_AML(aml_int(0x100), 0x0B, 0x00, 0x01);
    CHECK_AML(aml_int(0xFFFF), 0x0B, 0xFF, 0xFF);
    CHECK_AML(aml_int(0x10000), 0x0C, 0x00, 0x00, 0x01, 0x00);
    CHECK_AML(aml_int(0xFFFFFFFF), 0x0C, 0xFF, 0xFF, 0xFF, 0xFF);
    CHECK_AML(aml_int(0x100000000ULL),
              0x0E, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00);
    CHECK_AML(aml_int(0x0123456789ABCDEFULL),
              0x0E, 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01);
}

static void test_int_forced(void)
{
    CHECK_AML(aml_zero(), 0x00);
    CHECK_AML(aml_one(), 0x01);
    CHECK_AML(aml_ones(), 0xFF);
    CHECK_AML(aml_byte(1), 0x0A, 0x01);
    CHECK_AML(aml_word(2), 0x0B, 0x02, 0x00);
    CHECK_AML(aml_dword(0xDF000), 0x0C, 0x00, 0xF0, 0x0D, 0x00);
    CHECK_AML(aml_qword(3), 0x0E, 3, 0, 0, 0, 0, 0, 0, 0);
}

static void test_names(void)
{
    CHECK_AML(aml_name("FOO"), 'F', 'O', 'O', '_');
    CHECK_AML(aml_name("_SB"), '_', 'S', 'B', '_');
    CHECK_AML(aml_name("MEMA"), 'M', 'E', 'M', 'A');
    CHECK_AML(aml_name("\\"), 0x5C, 0x00);
    CHECK_AML(aml_name("\\MEMA"), 0x5C, 'M', 'E', 'M', 'A');
    CHECK_AML(aml_name("\\_SB.NVDR"),
              0x5C, 0x2E, '_', 'S', 'B', '_', 'N', 'V', 'D', 'R');
    CHECK_AML(aml_name("\\_SB.PCI0.ISA"),
              0x5C, 0x2F, 0x03, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
              'I', 'S', 'A', '_');
    CHECK_AML(aml_name("^^FOO"), 0x5E, 0x5E, 'F', 'O', 'O', '_');
    CHECK_AML(aml_name("^NVDR.NV01"),
              0x5E, 0x2E, 'N', 'V', 'D', 'R', 'N', 'V', '0', '1');
    CHECK_AML(aml_name("NV%02X", 0xAB), 'N', 'V', 'A', 'B');
    CHECK_AML(aml_arg(0), 0x68);
    CHECK_AML(aml_arg(6), 0x6E);
    CHECK_AML(aml_local(0), 0x60);
    CHECK_AML(aml_local(7), 0x67);
}

static void test_bad_name_subprocess(void)
{
    if (g_test_subprocess()) {
        aml_free(aml_name("TOOLONG"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*invalid name \"TOOLONG\"*");
}

static void test_string_buffer_package(void)
{
    static const uint8_t two[] = { 0xAA, 0xBB };
    Aml *pkg;

    CHECK_AML(aml_string("ACPI%04X", 0x12),
              0x0D, 'A', 'C', 'P', 'I', '0', '0', '1', '2', 0x00);
    CHECK_AML(aml_buffer(NULL, 0), 0x11, 0x02, 0x00);
    CHECK_AML(aml_buffer(two, 2), 0x11, 0x05, 0x0A, 0x02, 0xAA, 0xBB);

    pkg = aml_package();
    aml_append(pkg, aml_one());
    aml_append(pkg, aml_string("A"));
    CHECK_AML(pkg, 0x12, 0x06, 0x02, 0x01, 0x0D, 'A', 0x00);
}

/* More than 255 elements: VarPackage with the count as an integer. */
static void test_var_package(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    static const uint8_t head[] = { 0x13, 0x45, 0x10, 0x0B, 0x00, 0x01 };
    Aml *pkg = aml_package();
    unsigned i;

    for (i = 0; i < 256; i++) {
        aml_append(pkg, aml_zero());
    }
    aml_encode(b, pkg);
    g_assert_cmpuint(b->len, ==, sizeof(head) + 256);
    g_assert_cmpmem(b->data, sizeof(head), head, sizeof(head));
}

static void test_touuid_eisaid(void)
{
    CHECK_AML(aml_touuid("2F10E7A4-9E91-11E4-89D3-123B93F75CBA"),
              0x11, 0x13, 0x0A, 0x10,
              0xA4, 0xE7, 0x10, 0x2F, 0x91, 0x9E, 0xE4, 0x11,
              0x89, 0xD3, 0x12, 0x3B, 0x93, 0xF7, 0x5C, 0xBA);
    CHECK_AML(aml_eisaid("PNP0501"), 0x0C, 0x41, 0xD0, 0x05, 0x01);
    CHECK_AML(aml_eisaid("PNP0C0C"), 0x0C, 0x41, 0xD0, 0x0C, 0x0C);
    g_assert_cmphex(aml_eisaid_value("PNP0A03"), ==, 0x030AD041);
}

/* Method (MTHD, 1, Serialized) { If (Arg0 == Zero) { Return (One) }
 *                                Return (Zero) } */
static void test_method(void)
{
    Aml *m = aml_method("MTHD", 1, AML_SERIALIZED);
    Aml *ifc = aml_if(aml_lequal(aml_arg(0), aml_zero()));

    aml_append(ifc, aml_return(aml_one()));
    aml_append(m, ifc);
    aml_append(m, aml_return(aml_zero()));
    CHECK_AML(m, 0x14, 0x0F, 'M', 'T', 'H', 'D', 0x09,
              0xA0, 0x06, 0x93, 0x68, 0x00, 0xA4, 0x01,
              0xA4, 0x00);

    m = aml_method("_DSM", 4, AML_NOTSERIALIZED);
    aml_append(m, aml_return(aml_call("NCAL", 2, aml_arg(0), aml_int(0))));
    CHECK_AML(m, 0x14, 0x0D, '_', 'D', 'S', 'M', 0x04,
              0xA4, 'N', 'C', 'A', 'L', 0x68, 0x00);
}

static void test_region_field(void)
{
    Aml *f;

    CHECK_AML(aml_operation_region("NRAM", AML_SYSTEM_MEMORY,
                                   aml_int(0x1000), aml_int(0x1000)),
              0x5B, 0x80, 'N', 'R', 'A', 'M', 0x00,
              0x0B, 0x00, 0x10, 0x0B, 0x00, 0x10);
    CHECK_AML(aml_operation_region("NPIO", AML_SYSTEM_IO,
                                   aml_int(0x0A18), aml_int(4)),
              0x5B, 0x80, 'N', 'P', 'I', 'O', 0x01,
              0x0B, 0x18, 0x0A, 0x0A, 0x04);

    /* { HDLE, 32, Offset (0x0C), FARG, 32672 } */
    f = aml_field("NRAM", AML_DWORD_ACC, AML_NOLOCK, AML_PRESERVE);
    aml_field_named(f, "HDLE", 32);
    aml_field_offset(f, 0x0C);
    aml_field_named(f, "FARG", 32672);
    CHECK_AML(f, 0x5B, 0x81, 0x15, 'N', 'R', 'A', 'M', 0x03,
              'H', 'D', 'L', 'E', 0x20,
              0x00, 0x40, 0x04,
              'F', 'A', 'R', 'G', 0x80, 0xFA, 0x07);

    f = aml_field("EREG", AML_BYTE_ACC, AML_LOCK, AML_WRITE_AS_ZEROS);
    aml_field_reserved(f, 8);
    aml_field_named(f, "ESEL", 8);
    CHECK_AML(f, 0x5B, 0x81, 0x0D, 'E', 'R', 'E', 'G', 0x51,
              0x00, 0x08, 'E', 'S', 'E', 'L', 0x08);
}

static void test_scope_device_name(void)
{
    Aml *sb = aml_scope("\\_SB");
    Aml *dev = aml_device("NVDR");

    aml_append(dev, aml_name_decl("_HID", aml_string("ACPI0012")));
    aml_append(sb, dev);
    CHECK_AML(sb, 0x10, 0x1C, 0x5C, '_', 'S', 'B', '_',
              0x5B, 0x82, 0x14, 'N', 'V', 'D', 'R',
              0x08, '_', 'H', 'I', 'D',
              0x0D, 'A', 'C', 'P', 'I', '0', '0', '1', '2', 0x00);
}

static void test_resources(void)
{
    const uint32_t irq = 9;
    Aml *rt = aml_resource_template();

    aml_append(rt, aml_io(0x3F8, 0x3F8, 0, 8));
    aml_append(rt, aml_irq_no_flags(4));
    CHECK_AML(rt, 0x11, 0x10, 0x0A, 0x0D,
              0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x00, 0x08,
              0x22, 0x10, 0x00,
              0x79, 0x00);

    rt = aml_resource_template();
    aml_append(rt, aml_interrupt(AML_LEVEL, AML_ACTIVE_HIGH, AML_EXCLUSIVE,
                                 &irq, 1));
    aml_append(rt, aml_memory32_fixed(0xFED00000, 0x10, true));
    CHECK_AML(rt, 0x11, 0x1A, 0x0A, 0x17,
              0x89, 0x06, 0x00, 0x01, 0x01, 0x09, 0x00, 0x00, 0x00,
              0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0xD0, 0xFE,
              0x10, 0x00, 0x00, 0x00,
              0x79, 0x00);

    CHECK_AML(aml_interrupt(AML_EDGE, AML_ACTIVE_LOW, AML_SHARED, &irq, 1),
              0x89, 0x06, 0x00, 0x0F, 0x01, 0x09, 0x00, 0x00, 0x00);
}

/* Mutex (MTX0, 0) and Method (MTH2) { Acquire (MTX0, 0xFFFF)
 * Release (MTX0)  While (One) { Break } } */
static void test_mutex_while(void)
{
    Aml *m = aml_method("MTH2", 0, AML_NOTSERIALIZED);
    Aml *loop = aml_while(aml_one());

    CHECK_AML(aml_mutex("MTX0", 0), 0x5B, 0x01, 'M', 'T', 'X', '0', 0x00);
    aml_append(m, aml_acquire(aml_name("MTX0"), 0xFFFF));
    aml_append(m, aml_release(aml_name("MTX0")));
    aml_append(loop, aml_break());
    aml_append(m, loop);
    CHECK_AML(m, 0x14, 0x18, 'M', 'T', 'H', '2', 0x00,
              0x5B, 0x23, 'M', 'T', 'X', '0', 0xFF, 0xFF,
              0x5B, 0x27, 'M', 'T', 'X', '0',
              0xA2, 0x03, 0x01, 0xA5);
}

static void test_expressions(void)
{
    Aml *els;

    CHECK_AML(aml_store(aml_local(0), aml_arg(1)), 0x70, 0x60, 0x69);
    CHECK_AML(aml_add(aml_local(0), aml_one(), NULL), 0x72, 0x60, 0x01, 0x00);
    CHECK_AML(aml_subtract(aml_name("RLEN"), aml_int(4), aml_local(1)),
              0x74, 'R', 'L', 'E', 'N', 0x0A, 0x04, 0x61);
    CHECK_AML(aml_shiftleft(aml_local(1), aml_int(3), aml_local(1)),
              0x79, 0x61, 0x0A, 0x03, 0x61);
    CHECK_AML(aml_shiftright(aml_local(1), aml_int(3), NULL),
              0x7A, 0x61, 0x0A, 0x03, 0x00);
    CHECK_AML(aml_and(aml_local(0), aml_int(0x10), NULL),
              0x7B, 0x60, 0x0A, 0x10, 0x00);
    CHECK_AML(aml_or(aml_local(0), aml_local(1), aml_local(2)),
              0x7D, 0x60, 0x61, 0x62);
    CHECK_AML(aml_lless(aml_local(0), aml_one()), 0x95, 0x60, 0x01);
    CHECK_AML(aml_land(aml_lnot(aml_local(0)), aml_lor(aml_one(),
                                                        aml_zero())),
              0x90, 0x92, 0x60, 0x91, 0x01, 0x00);
    CHECK_AML(aml_derefof(aml_index(aml_arg(3), aml_zero(), NULL)),
              0x83, 0x88, 0x6B, 0x00, 0x00);
    CHECK_AML(aml_sizeof(aml_arg(3)), 0x87, 0x6B);
    CHECK_AML(aml_object_type(aml_arg(3)), 0x8E, 0x6B);
    CHECK_AML(aml_concatenate(aml_local(0), aml_local(1), aml_local(2)),
              0x73, 0x60, 0x61, 0x62);
    CHECK_AML(aml_mid(aml_local(0), aml_int(4), aml_local(1), NULL),
              0x9E, 0x60, 0x0A, 0x04, 0x61, 0x00);
    CHECK_AML(aml_notify(aml_name("\\_SB.NVDR"), aml_int(0x80)),
              0x86, 0x5C, 0x2E, '_', 'S', 'B', '_', 'N', 'V', 'D', 'R',
              0x0A, 0x80);
    CHECK_AML(aml_create_dword_field(aml_local(0), aml_zero(), "STAU"),
              0x8A, 0x60, 0x00, 'S', 'T', 'A', 'U');
    CHECK_AML(aml_create_field(aml_local(0), aml_int(32), aml_local(1),
                               "BUFF"),
              0x5B, 0x13, 0x60, 0x0A, 0x20, 0x61, 'B', 'U', 'F', 'F');
    els = aml_else();
    aml_append(els, aml_return(aml_zero()));
    CHECK_AML(els, 0xA1, 0x03, 0xA4, 0x00);
}

static void test_table_header(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    AcpiTable t = { .sig = "TEST", .rev = 3, .oem_table_id = "NVDIMM" };
    uint8_t sum = 0;
    guint i;

    acpi_push_zeros(b, 5);                  /* the table need not be first */
    acpi_table_begin(&t, b);
    acpi_push_le(b, 0x11223344, 4);
    acpi_table_end(&t);

    g_assert_cmpuint(b->len, ==, 5 + ACPI_TABLE_HEADER_SIZE + 4);
    g_assert_cmpmem(b->data + 5, 4, "TEST", 4);
    g_assert_cmpuint(b->data[5 + 4], ==, ACPI_TABLE_HEADER_SIZE + 4);
    g_assert_cmpuint(b->data[5 + 8], ==, 3);
    g_assert_cmpmem(b->data + 5 + 10, 6, ACPI_BUILD_OEM_ID, 6);
    g_assert_cmpmem(b->data + 5 + 16, 8, "NVDIMM\0\0", 8);
    g_assert_cmpmem(b->data + 5 + 28, 4, ACPI_BUILD_CREATOR_ID, 4);
    for (i = 5; i < b->len; i++) {
        sum += b->data[i];
    }
    g_assert_cmpuint(sum, ==, 0);

    t = (AcpiTable){ .sig = "XSDT", .rev = 1 };
    acpi_table_begin(&t, b);
    acpi_table_end(&t);
    g_assert_cmpmem(b->data + b->len - 20, 8, ACPI_BUILD_OEM_TABLE_ID, 8);
}

static void test_checksum_gas(void)
{
    static const uint8_t data[] = { 0x10, 0x20, 0xF0 };
    g_autoptr(GByteArray) b = g_byte_array_new();

    g_assert_cmpuint(acpi_checksum(data, sizeof(data)), ==, 0xE0);
    g_assert_cmpuint(acpi_checksum(data, 0), ==, 0);

    acpi_push_gas(b, ACPI_GAS_SYSTEM_IO, 8, 0, ACPI_GAS_ACCESS_BYTE, 0x3C0);
    g_assert_cmpuint(b->len, ==, ACPI_GAS_SIZE);
    g_assert_cmpmem(b->data, b->len,
                    "\x01\x08\x00\x01\xC0\x03\x00\x00\x00\x00\x00\x00", 12);
    acpi_patch_le(b, 4, 0xABCD, 2);
    g_assert_cmpuint(b->data[4], ==, 0xCD);
    g_assert_cmpuint(b->data[5], ==, 0xAB);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/aml/pkglen/raw", test_pkglen_raw);
    g_test_add_func("/aml/pkglen/block", test_pkglen_block);
    g_test_add_func("/aml/pkglen/buffers", test_pkglen_buffers);
    g_test_add_func("/aml/int/widths", test_int_widths);
    g_test_add_func("/aml/int/forced", test_int_forced);
    g_test_add_func("/aml/names", test_names);
    g_test_add_func("/aml/names/invalid", test_bad_name_subprocess);
    g_test_add_func("/aml/data", test_string_buffer_package);
    g_test_add_func("/aml/var-package", test_var_package);
    g_test_add_func("/aml/touuid-eisaid", test_touuid_eisaid);
    g_test_add_func("/aml/method", test_method);
    g_test_add_func("/aml/region-field", test_region_field);
    g_test_add_func("/aml/scope-device-name", test_scope_device_name);
    g_test_add_func("/aml/resources", test_resources);
    g_test_add_func("/aml/mutex-while", test_mutex_while);
    g_test_add_func("/aml/expressions", test_expressions);
    g_test_add_func("/acpi/table-header", test_table_header);
    g_test_add_func("/acpi/checksum-gas", test_checksum_gas);
    return g_test_run();
}
