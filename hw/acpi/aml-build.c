/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AML encoder over GByteArray (ACPI 6.4 chapter 20): encodings, the node
 * tree, data objects, names and named objects; and the ACPI table helpers
 * (ACPI 6.4 §5.2).  Statements, expressions and resource descriptors are
 * in aml-build-expr.c.  See include/hw/acpi/aml-build.h for ownership.
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/acpi-build.h"
#include "hw/acpi/aml-build-internal.h"

/* Table header (ACPI 6.4 §5.2.6, Table 5.4). */
#define ACPI_HDR_LENGTH_OFFSET      4
#define ACPI_HDR_CHECKSUM_OFFSET    9
#define ACPI_HDR_OEM_ID_LEN         6
#define ACPI_HDR_OEM_TABLE_ID_LEN   8
#define ACPI_HDR_OEM_REVISION       1       /* as QEMU */
#define ACPI_HDR_CREATOR_ID_LEN     4

/* ToUUID string "aabbccdd-eeff-gghh-iijj-kkllmmnnoopp" (ACPI 6.4 §19.6). */
#define AML_UUID_STRLEN             36
#define AML_UUID_LEN                16

/* ---- Low-level encodings ---- */

void aml_push_byte(GByteArray *out, uint8_t b)
{
    g_byte_array_append(out, &b, 1);
}

/* Largest value a PkgLength of @nbytes bytes can hold (§20.2.4). */
static uint32_t pkglen_max(unsigned nbytes)
{
    if (nbytes == 1) {
        return AML_PKGLEN_1BYTE_MAX;
    }
    return (1u << (4 + 8 * (nbytes - 1))) - 1;
}

void aml_pkglen_encode(GByteArray *out, uint32_t value)
{
    unsigned n = 1, i;

    while (value > pkglen_max(n)) {
        n++;
        g_assert(n <= AML_PKGLEN_MAX_BYTES);
    }
    if (n == 1) {
        aml_push_byte(out, value);
        return;
    }
    /* Lead byte: bits 7-6 count the bytes that follow, 3-0 the low nibble. */
    aml_push_byte(out, ((n - 1) << 6) | (value & 0x0F));
    for (i = 1; i < n; i++) {
        aml_push_byte(out, (value >> (4 + 8 * (i - 1))) & 0xFF);
    }
}

void aml_pkglen_encode_block(GByteArray *out, size_t len)
{
    unsigned n = 1;

    /* The encoded length counts the PkgLength bytes themselves. */
    while (len + n > pkglen_max(n)) {
        n++;
        g_assert(n <= AML_PKGLEN_MAX_BYTES);
    }
    aml_pkglen_encode(out, len + n);
}

static __attribute__((noreturn)) void aml_bad_name(const char *path)
{
    g_error("AML: invalid name \"%s\"", path);
}

static bool nameseg_char_ok(char c, bool lead)
{
    return c == '_' || (c >= 'A' && c <= 'Z') ||
           (!lead && c >= '0' && c <= '9');
}

static void nameseg_encode(GByteArray *out, const char *seg, size_t len,
                           const char *path)
{
    uint8_t s[AML_NAMESEG_LEN];
    size_t i;

    if (len == 0 || len > AML_NAMESEG_LEN) {
        aml_bad_name(path);
    }
    for (i = 0; i < AML_NAMESEG_LEN; i++) {
        if (i < len) {
            if (!nameseg_char_ok(seg[i], i == 0)) {
                aml_bad_name(path);
            }
            s[i] = seg[i];
        } else {
            s[i] = AML_NAMESEG_PAD;
        }
    }
    g_byte_array_append(out, s, sizeof(s));
}

void aml_namestring_encode(GByteArray *out, const char *path)
{
    const char *p = path;
    const char *seg;
    unsigned nsegs = 1;

    /* PrefixPath or RootChar (§20.2.2). */
    if (*p == '\\') {
        aml_push_byte(out, AML_ROOT_CHAR);
        p++;
    } else {
        for (; *p == '^'; p++) {
            aml_push_byte(out, AML_PARENT_PREFIX_CHAR);
        }
    }
    if (!*p) {
        aml_push_byte(out, AML_NULL_NAME);
        return;
    }
    for (seg = p; *seg; seg++) {
        nsegs += *seg == '.';
    }
    if (nsegs == 2) {
        aml_push_byte(out, AML_DUAL_NAME_PREFIX);
    } else if (nsegs > 2) {
        if (nsegs > 255) {
            aml_bad_name(path);
        }
        aml_push_byte(out, AML_MULTI_NAME_PREFIX);
        aml_push_byte(out, nsegs);
    }
    for (seg = p; ; ) {
        const char *dot = strchr(seg, '.');
        size_t len = dot ? (size_t)(dot - seg) : strlen(seg);

        nameseg_encode(out, seg, len, path);
        if (!dot) {
            break;
        }
        seg = dot + 1;
    }
}

void aml_int_encode(GByteArray *out, uint64_t v)
{
    if (v == 0) {
        aml_push_byte(out, AML_ZERO_OP);
    } else if (v == 1) {
        aml_push_byte(out, AML_ONE_OP);
    } else if (v <= UINT8_MAX) {
        aml_push_byte(out, AML_BYTE_PREFIX);
        acpi_push_le(out, v, 1);
    } else if (v <= UINT16_MAX) {
        aml_push_byte(out, AML_WORD_PREFIX);
        acpi_push_le(out, v, 2);
    } else if (v <= UINT32_MAX) {
        aml_push_byte(out, AML_DWORD_PREFIX);
        acpi_push_le(out, v, 4);
    } else {
        aml_push_byte(out, AML_QWORD_PREFIX);
        acpi_push_le(out, v, 8);
    }
}

/* ---- Tree ---- */

Aml *aml_node_new(AmlKind kind)
{
    Aml *a = g_new0(Aml, 1);

    a->kind = kind;
    a->buf = g_byte_array_new();
    return a;
}

Aml *aml_node_op(uint8_t op)
{
    Aml *a = aml_node_new(AML_KIND_BYTES);

    aml_push_byte(a->buf, op);
    return a;
}

Aml *aml_node_ext_op(uint8_t op)
{
    Aml *a = aml_node_op(AML_EXT_OP_PREFIX);

    aml_push_byte(a->buf, op);
    return a;
}

Aml *aml_node_block(AmlKind kind, uint8_t op, bool ext)
{
    Aml *a = aml_node_new(kind);

    if (ext) {
        a->op[a->oplen++] = AML_EXT_OP_PREFIX;
    }
    a->op[a->oplen++] = op;
    return a;
}

void aml_node_put(Aml *a, Aml *child)
{
    if (child) {
        aml_encode(a->buf, child);
    } else {
        aml_push_byte(a->buf, AML_NULL_NAME);
    }
}

void aml_free(Aml *node)
{
    if (node) {
        g_byte_array_unref(node->buf);
        g_free(node);
    }
}

void aml_append(Aml *parent, Aml *child)
{
    g_assert(parent->kind != AML_KIND_BYTES && parent->kind != AML_KIND_FIELD);
    if (parent->kind == AML_KIND_PACKAGE) {
        parent->count++;
    }
    aml_encode(parent->buf, child);
}

void aml_encode(GByteArray *out, Aml *node)
{
    g_autoptr(GByteArray) head = g_byte_array_new();

    switch (node->kind) {
    case AML_KIND_BYTES:
        break;
    case AML_KIND_BLOCK:
    case AML_KIND_FIELD:
        g_byte_array_append(out, node->op, node->oplen);
        aml_pkglen_encode_block(out, node->buf->len);
        break;
    case AML_KIND_PACKAGE:
        /* DefPackage, or DefVarPackage past 255 elements (§20.2.5.4). */
        if (node->count <= AML_PACKAGE_SHORT_MAX) {
            aml_push_byte(out, AML_PACKAGE_OP);
            aml_push_byte(head, node->count);
        } else {
            aml_push_byte(out, AML_VAR_PACKAGE_OP);
            aml_int_encode(head, node->count);
        }
        aml_pkglen_encode_block(out, head->len + node->buf->len);
        g_byte_array_append(out, head->data, head->len);
        break;
    case AML_KIND_RESOURCES:
        /* End Tag; a zero checksum means "no checksum" (§6.4.2.9). */
        aml_push_byte(node->buf, ACPI_RES_END_TAG);
        aml_push_byte(node->buf, 0);
        /* fall through */
    case AML_KIND_BUFFER:
        aml_push_byte(out, AML_BUFFER_OP);
        aml_int_encode(head, node->buf->len);
        aml_pkglen_encode_block(out, head->len + node->buf->len);
        g_byte_array_append(out, head->data, head->len);
        break;
    }
    g_byte_array_append(out, node->buf->data, node->buf->len);
    aml_free(node);
}

/* ---- Data objects ---- */

Aml *aml_int(uint64_t v)
{
    Aml *a = aml_node_new(AML_KIND_BYTES);

    aml_int_encode(a->buf, v);
    return a;
}

static Aml *aml_prefixed(uint8_t prefix, uint64_t v, unsigned size)
{
    Aml *a = aml_node_op(prefix);

    acpi_push_le(a->buf, v, size);
    return a;
}

Aml *aml_byte(uint8_t v)
{
    return aml_prefixed(AML_BYTE_PREFIX, v, 1);
}

Aml *aml_word(uint16_t v)
{
    return aml_prefixed(AML_WORD_PREFIX, v, 2);
}

Aml *aml_dword(uint32_t v)
{
    return aml_prefixed(AML_DWORD_PREFIX, v, 4);
}

Aml *aml_qword(uint64_t v)
{
    return aml_prefixed(AML_QWORD_PREFIX, v, 8);
}

Aml *aml_zero(void)
{
    return aml_node_op(AML_ZERO_OP);
}

Aml *aml_one(void)
{
    return aml_node_op(AML_ONE_OP);
}

Aml *aml_ones(void)
{
    return aml_node_op(AML_ONES_OP);
}

Aml *aml_string(const char *fmt, ...)
{
    Aml *a = aml_node_op(AML_STRING_PREFIX);
    g_autofree char *s = NULL;
    va_list ap;
    const char *p;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* AsciiCharList: 0x01-0x7F, then NullChar (§20.2.3). */
    for (p = s; *p; p++) {
        g_assert((unsigned char)*p <= 0x7F);
    }
    g_byte_array_append(a->buf, (const uint8_t *)s, strlen(s) + 1);
    return a;
}

Aml *aml_buffer(const uint8_t *data, size_t len)
{
    Aml *a = aml_node_new(AML_KIND_BUFFER);

    if (data) {
        g_byte_array_append(a->buf, data, len);
    } else {
        acpi_push_zeros(a->buf, len);
    }
    return a;
}

Aml *aml_package(void)
{
    return aml_node_new(AML_KIND_PACKAGE);
}

static int hex_digit(char c)
{
    return g_ascii_xdigit_value(c);
}

Aml *aml_touuid(const char *uuid)
{
    /*
     * Byte i of the buffer comes from the hex pair at string offset
     * uuid_pos[i]: the first three groups are stored little-endian.
     */
    static const uint8_t uuid_pos[AML_UUID_LEN] = {
        6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34,
    };
    uint8_t b[AML_UUID_LEN];
    unsigned i;

    g_assert(strlen(uuid) == AML_UUID_STRLEN);
    for (i = 0; i < AML_UUID_STRLEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        g_assert(dash ? uuid[i] == '-' : hex_digit(uuid[i]) >= 0);
    }
    for (i = 0; i < AML_UUID_LEN; i++) {
        b[i] = hex_digit(uuid[uuid_pos[i]]) << 4 |
               hex_digit(uuid[uuid_pos[i] + 1]);
    }
    return aml_buffer(b, sizeof(b));
}

uint32_t aml_eisaid_value(const char *id)
{
    uint32_t v = 0;
    unsigned i;

    /* Three letters of 5 bits each, four hex digits, big-endian. */
    g_assert(strlen(id) == 7);
    for (i = 0; i < 3; i++) {
        g_assert(id[i] >= 'A' && id[i] <= 'Z');
        v |= (uint32_t)(id[i] - '@') << (26 - 5 * i);
    }
    for (i = 3; i < 7; i++) {
        g_assert(hex_digit(id[i]) >= 0);
        v |= (uint32_t)hex_digit(id[i]) << (4 * (6 - i));
    }
    return GUINT32_SWAP_LE_BE(v);
}

Aml *aml_eisaid(const char *id)
{
    return aml_dword(aml_eisaid_value(id));
}

/* ---- Names, arguments and locals ---- */

static Aml *aml_name_v(const char *fmt, va_list ap)
{
    Aml *a = aml_node_new(AML_KIND_BYTES);
    g_autofree char *path = g_strdup_vprintf(fmt, ap);

    aml_namestring_encode(a->buf, path);
    return a;
}

Aml *aml_name(const char *fmt, ...)
{
    va_list ap;
    Aml *a;

    va_start(ap, fmt);
    a = aml_name_v(fmt, ap);
    va_end(ap);
    return a;
}

Aml *aml_arg(unsigned n)
{
    g_assert(n <= AML_ARG_MAX);
    return aml_node_op(AML_ARG0_OP + n);
}

Aml *aml_local(unsigned n)
{
    g_assert(n <= AML_LOCAL_MAX);
    return aml_node_op(AML_LOCAL0_OP + n);
}

/* ---- Namespace modifiers and named objects ---- */

Aml *aml_scope(const char *fmt, ...)
{
    Aml *a = aml_node_block(AML_KIND_BLOCK, AML_SCOPE_OP, false);
    va_list ap;

    va_start(ap, fmt);
    aml_node_put(a, aml_name_v(fmt, ap));
    va_end(ap);
    return a;
}

Aml *aml_device(const char *fmt, ...)
{
    Aml *a = aml_node_block(AML_KIND_BLOCK, AML_EXT_DEVICE_OP, true);
    va_list ap;

    va_start(ap, fmt);
    aml_node_put(a, aml_name_v(fmt, ap));
    va_end(ap);
    return a;
}

Aml *aml_method(const char *name, unsigned nargs, AmlSerializeFlag flag)
{
    Aml *a = aml_node_block(AML_KIND_BLOCK, AML_METHOD_OP, false);

    g_assert(nargs <= AML_METHOD_ARGS_MAX);
    aml_namestring_encode(a->buf, name);
    aml_push_byte(a->buf, nargs | (flag << AML_METHOD_SERIALIZED_SHIFT));
    return a;
}

Aml *aml_name_decl(const char *name, Aml *value)
{
    Aml *a = aml_node_op(AML_NAME_OP);

    aml_namestring_encode(a->buf, name);
    aml_node_put(a, value);
    return a;
}

Aml *aml_operation_region(const char *name, AmlRegionSpace space,
                          Aml *offset, Aml *len)
{
    Aml *a = aml_node_ext_op(AML_EXT_REGION_OP);

    aml_namestring_encode(a->buf, name);
    aml_push_byte(a->buf, space);
    aml_node_put(a, offset);
    aml_node_put(a, len);
    return a;
}

Aml *aml_field(const char *region, AmlAccessType access, AmlLockRule lock,
               AmlUpdateRule update)
{
    Aml *a = aml_node_block(AML_KIND_FIELD, AML_EXT_FIELD_OP, true);

    aml_namestring_encode(a->buf, region);
    aml_push_byte(a->buf, access | lock << AML_FIELD_LOCK_SHIFT |
                      update << AML_FIELD_UPDATE_SHIFT);
    return a;
}

void aml_field_named(Aml *field, const char *name, unsigned bits)
{
    g_assert(field->kind == AML_KIND_FIELD);
    nameseg_encode(field->buf, name, strlen(name), name);
    aml_pkglen_encode(field->buf, bits);
    field->count += bits;
}

void aml_field_reserved(Aml *field, unsigned bits)
{
    g_assert(field->kind == AML_KIND_FIELD);
    aml_push_byte(field->buf, AML_RESERVED_FIELD);
    aml_pkglen_encode(field->buf, bits);
    field->count += bits;
}

void aml_field_offset(Aml *field, unsigned byte_offset)
{
    unsigned bit = byte_offset * 8;

    g_assert(field->kind == AML_KIND_FIELD && bit >= field->count);
    if (bit > field->count) {
        aml_field_reserved(field, bit - field->count);
    }
}

Aml *aml_mutex(const char *name, uint8_t sync_level)
{
    Aml *a = aml_node_ext_op(AML_EXT_MUTEX_OP);

    aml_namestring_encode(a->buf, name);
    aml_push_byte(a->buf, sync_level & AML_MUTEX_SYNC_LEVEL_MASK);
    return a;
}

Aml *aml_create_dword_field(Aml *buf, Aml *byte_index, const char *name)
{
    Aml *a = aml_node_op(AML_CREATE_DWORD_FIELD_OP);

    aml_node_put(a, buf);
    aml_node_put(a, byte_index);
    aml_namestring_encode(a->buf, name);
    return a;
}

Aml *aml_create_field(Aml *buf, Aml *bit_index, Aml *num_bits,
                      const char *name)
{
    Aml *a = aml_node_ext_op(AML_EXT_CREATE_FIELD_OP);

    aml_node_put(a, buf);
    aml_node_put(a, bit_index);
    aml_node_put(a, num_bits);
    aml_namestring_encode(a->buf, name);
    return a;
}

/* ---- ACPI tables ---- */

void acpi_push_le(GByteArray *a, uint64_t v, unsigned size)
{
    uint8_t b[8];
    unsigned i;

    g_assert(size <= sizeof(b));
    for (i = 0; i < size; i++) {
        b[i] = v >> (8 * i);
    }
    g_byte_array_append(a, b, size);
}

void acpi_push_zeros(GByteArray *a, unsigned n)
{
    guint old = a->len;

    if (n) {
        g_byte_array_set_size(a, old + n);
        memset(a->data + old, 0, n);
    }
}

void acpi_push_padded_str(GByteArray *a, const char *s, unsigned width,
                          char pad)
{
    size_t len = strlen(s);
    unsigned i;

    g_assert(len <= width);
    g_byte_array_append(a, (const uint8_t *)s, len);
    for (i = len; i < width; i++) {
        aml_push_byte(a, pad);
    }
}

void acpi_patch_le(GByteArray *a, guint offset, uint64_t v, unsigned size)
{
    unsigned i;

    g_assert(offset + size <= a->len);
    for (i = 0; i < size; i++) {
        a->data[offset + i] = v >> (8 * i);
    }
}

void acpi_push_gas(GByteArray *a, uint8_t space, uint8_t bit_width,
                   uint8_t bit_offset, uint8_t access_size, uint64_t address)
{
    aml_push_byte(a, space);
    aml_push_byte(a, bit_width);
    aml_push_byte(a, bit_offset);
    aml_push_byte(a, access_size);
    acpi_push_le(a, address, 8);
}

uint8_t acpi_checksum(const uint8_t *data, size_t len)
{
    uint8_t sum = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        sum += data[i];
    }
    return -sum;
}

void acpi_table_begin(AcpiTable *t, GByteArray *data)
{
    g_assert(strlen(t->sig) == 4);
    t->data = data;
    t->start = data->len;
    acpi_push_padded_str(data, t->sig, 4, '\0');
    acpi_push_le(data, 0, 4);           /* Length: acpi_table_end() */
    acpi_push_le(data, t->rev, 1);
    acpi_push_le(data, 0, 1);           /* Checksum: acpi_table_end() */
    /* QEMU pads short OEM fields with NULs. */
    acpi_push_padded_str(data, ACPI_BUILD_OEM_ID, ACPI_HDR_OEM_ID_LEN, '\0');
    acpi_push_padded_str(data, t->oem_table_id ? t->oem_table_id
                                               : ACPI_BUILD_OEM_TABLE_ID,
                         ACPI_HDR_OEM_TABLE_ID_LEN, '\0');
    acpi_push_le(data, ACPI_HDR_OEM_REVISION, 4);
    acpi_push_padded_str(data, ACPI_BUILD_CREATOR_ID,
                         ACPI_HDR_CREATOR_ID_LEN, '\0');
    acpi_push_le(data, ACPI_BUILD_CREATOR_REVISION, 4);
    g_assert(data->len - t->start == ACPI_TABLE_HEADER_SIZE);
}

void acpi_table_end(AcpiTable *t)
{
    guint len = t->data->len - t->start;
    uint8_t *p = t->data->data + t->start;

    acpi_patch_le(t->data, t->start + ACPI_HDR_LENGTH_OFFSET, len, 4);
    p[ACPI_HDR_CHECKSUM_OFFSET] = 0;
    p[ACPI_HDR_CHECKSUM_OFFSET] = acpi_checksum(p, len);
}
