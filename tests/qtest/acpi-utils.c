/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI helpers for qtests (see acpi-utils.h).
 */
#include "qemu/osdep.h"

#include "acpi-utils.h"

/* RSDP (ACPI 6.4 §5.2.5.3). */
#define RSDP_SIG                "RSD PTR "
#define RSDP_V1_LEN             20
#define RSDP_V2_LEN             36
#define RSDP_OFF_REVISION       15
#define RSDP_OFF_RSDT           16
#define RSDP_OFF_LENGTH         20
#define RSDP_OFF_XSDT           24
#define RSDP_ALIGN              16

/* Table header (§5.2.6) and the FADT fields that lead to the DSDT. */
#define HDR_OFF_LENGTH          4
#define HDR_OFF_OEM_TABLE_ID    16
#define FADT_OFF_DSDT           40
#define FADT_OFF_X_DSDT         140

/* Beyond this a "table" is garbage from a half-written area. */
#define ACPI_TEST_MAX_TABLE_LEN (1u << 20)
#define ACPI_TEST_POLL_MS       50

/* AML opcodes (ACPI 6.4 §20.3). */
#define AML_ZERO_OP             0x00
#define AML_ONE_OP              0x01
#define AML_NAME_OP             0x08
#define AML_BYTE_PREFIX         0x0A
#define AML_WORD_PREFIX         0x0B
#define AML_DWORD_PREFIX        0x0C
#define AML_QWORD_PREFIX        0x0E
#define AML_ONES_OP             0xFF
#define AML_EXT_OP_PREFIX       0x5B
#define AML_DEVICE_OP           0x82
#define AML_ROOT_CHAR           '\\'

uint8_t acpi_test_sum(const uint8_t *data, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum += data[i];
    }
    return sum;
}

uint16_t acpi_get16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

uint32_t acpi_get32(const uint8_t *p)
{
    return acpi_get16(p) | (uint32_t)acpi_get16(p + 2) << 16;
}

uint64_t acpi_get64(const uint8_t *p)
{
    return acpi_get32(p) | (uint64_t)acpi_get32(p + 4) << 32;
}

static void acpi_test_table_free(gpointer p)
{
    AcpiTestTable *t = p;

    g_free(t->data);
    g_free(t);
}

void acpi_test_tables_free(AcpiTestTables *t)
{
    if (t) {
        g_ptr_array_free(t->tables, TRUE);
        g_free(t);
    }
}

/* A 16-byte aligned RSDP whose first 20 bytes sum to 0, or false. */
static bool acpi_scan_rsdp(QTestState *qts, AcpiTestTables *t)
{
    size_t size = ACPI_RSDP_AREA_END - ACPI_RSDP_AREA_START;
    g_autofree uint8_t *area = g_malloc(size);

    qtest_bufread(qts, ACPI_RSDP_AREA_START, area, size);
    for (size_t off = 0; off + RSDP_V2_LEN <= size; off += RSDP_ALIGN) {
        const uint8_t *p = area + off;

        if (memcmp(p, RSDP_SIG, strlen(RSDP_SIG)) ||
            acpi_test_sum(p, RSDP_V1_LEN)) {
            continue;
        }
        t->rsdp_addr = ACPI_RSDP_AREA_START + off;
        if (p[RSDP_OFF_REVISION] >= 2) {
            t->rsdp_len = acpi_get32(p + RSDP_OFF_LENGTH);
            if (t->rsdp_len != RSDP_V2_LEN ||
                acpi_test_sum(p, RSDP_V2_LEN)) {
                continue;
            }
        } else {
            t->rsdp_len = RSDP_V1_LEN;
        }
        memcpy(t->rsdp, p, t->rsdp_len);
        return true;
    }
    return false;
}

/* Read the table at @addr; NULL unless its length and checksum are sane. */
static AcpiTestTable *acpi_read_one(QTestState *qts, uint64_t addr,
                                    char **why)
{
    uint8_t hdr[ACPI_TABLE_HEADER_LEN];
    AcpiTestTable *t;
    uint32_t len;

    if (!addr) {
        *why = g_strdup("a table pointer is 0");
        return NULL;
    }
    qtest_bufread(qts, addr, hdr, sizeof(hdr));
    len = acpi_get32(hdr + HDR_OFF_LENGTH);
    if (len < ACPI_TABLE_HEADER_LEN || len > ACPI_TEST_MAX_TABLE_LEN) {
        *why = g_strdup_printf("table at 0x%" PRIx64 " has length %u", addr,
                               len);
        return NULL;
    }
    t = g_new0(AcpiTestTable, 1);
    t->addr = addr;
    t->len = len;
    t->data = g_malloc(len);
    qtest_bufread(qts, addr, t->data, len);
    memcpy(t->sig, t->data, 4);
    memcpy(t->oem_table_id, t->data + HDR_OFF_OEM_TABLE_ID, 8);
    if (acpi_test_sum(t->data, len)) {
        *why = g_strdup_printf("%s at 0x%" PRIx64 ": bad checksum", t->sig,
                               addr);
        acpi_test_table_free(t);
        return NULL;
    }
    return t;
}

/* One attempt: everything consistent, or false (and @t->tables emptied). */
static bool acpi_try_read(QTestState *qts, AcpiTestTables *t, char **why)
{
    bool xsdt;
    uint32_t entry_size;
    AcpiTestTable *root, *fadt = NULL, *dsdt;
    uint64_t dsdt_addr = 0;

    g_ptr_array_set_size(t->tables, 0);
    if (!acpi_scan_rsdp(qts, t)) {
        *why = g_strdup("no RSDP with good checksums in 0xE0000-0xFFFFF");
        return false;
    }
    xsdt = t->rsdp[RSDP_OFF_REVISION] >= 2 &&
           acpi_get64(t->rsdp + RSDP_OFF_XSDT);
    entry_size = xsdt ? 8 : 4;
    root = acpi_read_one(qts, xsdt ? acpi_get64(t->rsdp + RSDP_OFF_XSDT) :
                                     acpi_get32(t->rsdp + RSDP_OFF_RSDT),
                         why);
    if (!root || strcmp(root->sig, xsdt ? "XSDT" : "RSDT")) {
        if (root) {
            *why = g_strdup_printf("root table is %s", root->sig);
            acpi_test_table_free(root);
        }
        return false;
    }
    g_ptr_array_add(t->tables, root);
    for (uint32_t off = ACPI_TABLE_HEADER_LEN; off + entry_size <= root->len;
         off += entry_size) {
        uint64_t addr = xsdt ? acpi_get64(root->data + off) :
                               acpi_get32(root->data + off);
        AcpiTestTable *e = acpi_read_one(qts, addr, why);

        if (!e) {
            return false;
        }
        g_ptr_array_add(t->tables, e);
        if (!strcmp(e->sig, "FACP")) {
            fadt = e;
        }
    }
    if (!fadt) {
        *why = g_strdup("no FACP");
        return false;
    }
    if (fadt->len >= FADT_OFF_X_DSDT + 8) {
        dsdt_addr = acpi_get64(fadt->data + FADT_OFF_X_DSDT);
    }
    if (!dsdt_addr) {
        dsdt_addr = acpi_get32(fadt->data + FADT_OFF_DSDT);
    }
    dsdt = acpi_read_one(qts, dsdt_addr, why);
    if (!dsdt || strcmp(dsdt->sig, "DSDT")) {
        if (dsdt) {
            *why = g_strdup_printf("the FADT's DSDT is %s", dsdt->sig);
            acpi_test_table_free(dsdt);
        }
        return false;
    }
    g_ptr_array_add(t->tables, dsdt);
    return true;
}

AcpiTestTables *acpi_read_tables(QTestState *qts, unsigned timeout_ms)
{
    AcpiTestTables *t = g_new0(AcpiTestTables, 1);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    t->tables = g_ptr_array_new_with_free_func(acpi_test_table_free);
    for (;;) {
        g_autofree char *why = NULL;

        if (acpi_try_read(qts, t, &why)) {
            return t;
        }
        if (g_get_monotonic_time() >= deadline) {
            g_test_message("ACPI tables not found in %u ms: %s", timeout_ms,
                           why ? why : "?");
            acpi_test_tables_free(t);
            return NULL;
        }
        g_usleep(ACPI_TEST_POLL_MS * 1000);
    }
}

static bool acpi_oem_id_equal(const char *padded, const char *want)
{
    size_t n = strlen(want);

    if (n > 8 || strncmp(padded, want, n)) {
        return false;
    }
    for (; n < 8; n++) {
        if (padded[n] != ' ' && padded[n] != '\0') {
            return false;
        }
    }
    return true;
}

const AcpiTestTable *acpi_find_table(const AcpiTestTables *t,
                                     const char *sig,
                                     const char *oem_table_id)
{
    for (guint i = 0; i < t->tables->len; i++) {
        const AcpiTestTable *e = g_ptr_array_index(t->tables, i);

        if (!strcmp(e->sig, sig) &&
            (!oem_table_id ||
             acpi_oem_id_equal(e->oem_table_id, oem_table_id))) {
            return e;
        }
    }
    return NULL;
}

unsigned acpi_count_tables(const AcpiTestTables *t, const char *sig)
{
    unsigned n = 0;

    for (guint i = 0; i < t->tables->len; i++) {
        const AcpiTestTable *e = g_ptr_array_index(t->tables, i);

        n += !strcmp(e->sig, sig);
    }
    return n;
}

/* An AML integer constant at @p (at most @avail bytes); false if none. */
static bool aml_decode_int(const uint8_t *p, size_t avail, uint64_t *value)
{
    if (!avail) {
        return false;
    }
    switch (p[0]) {
    case AML_ZERO_OP:
        *value = 0;
        return true;
    case AML_ONE_OP:
        *value = 1;
        return true;
    case AML_ONES_OP:
        *value = UINT64_MAX;
        return true;
    case AML_BYTE_PREFIX:
        if (avail < 2) {
            return false;
        }
        *value = p[1];
        return true;
    case AML_WORD_PREFIX:
        if (avail < 3) {
            return false;
        }
        *value = acpi_get16(p + 1);
        return true;
    case AML_DWORD_PREFIX:
        if (avail < 5) {
            return false;
        }
        *value = acpi_get32(p + 1);
        return true;
    case AML_QWORD_PREFIX:
        if (avail < 9) {
            return false;
        }
        *value = acpi_get64(p + 1);
        return true;
    }
    return false;
}

/* "Name (@name, integer)" within [start, end); @name a 4-char NameSeg. */
static bool aml_find_name_int(const uint8_t *start, const uint8_t *end,
                              const char *name, uint64_t *value)
{
    for (const uint8_t *p = start; p + 1 + 4 < end; p++) {
        const uint8_t *seg = p + 1;

        if (*p != AML_NAME_OP) {
            continue;
        }
        if (*seg == AML_ROOT_CHAR) {
            seg++;
        }
        if (seg + 4 < end && !memcmp(seg, name, 4) &&
            aml_decode_int(seg + 4, end - (seg + 4), value)) {
            return true;
        }
    }
    return false;
}

bool acpi_aml_find_name_int(const AcpiTestTable *t, const char *name,
                            uint64_t *value)
{
    g_assert(strlen(name) == 4);
    return aml_find_name_int(t->data + ACPI_TABLE_HEADER_LEN,
                             t->data + t->len, name, value);
}

/* PkgLength (§20.2.4) at @p: its value, and its own size in *size. */
static bool aml_pkg_length(const uint8_t *p, size_t avail, uint32_t *len,
                           unsigned *size)
{
    unsigned follow = p[0] >> 6;

    if (!avail || avail < 1 + follow) {
        return false;
    }
    if (!follow) {
        *len = p[0] & 0x3F;
    } else {
        *len = p[0] & 0x0F;
        for (unsigned i = 0; i < follow; i++) {
            *len |= (uint32_t)p[1 + i] << (4 + 8 * i);
        }
    }
    *size = 1 + follow;
    return true;
}

bool acpi_aml_find_device(const AcpiTestTable *t, const char *name,
                          uint64_t *adr)
{
    const uint8_t *end = t->data + t->len;

    g_assert(strlen(name) == 4);
    for (const uint8_t *p = t->data + ACPI_TABLE_HEADER_LEN; p + 2 < end;
         p++) {
        uint32_t pkg_len;
        unsigned pkg_size;
        const uint8_t *body_end;

        if (p[0] != AML_EXT_OP_PREFIX || p[1] != AML_DEVICE_OP ||
            !aml_pkg_length(p + 2, end - (p + 2), &pkg_len, &pkg_size) ||
            p + 2 + pkg_size + 4 > end ||
            memcmp(p + 2 + pkg_size, name, 4)) {
            continue;
        }
        body_end = MIN(p + 2 + pkg_len, end);
        if (adr && !aml_find_name_int(p + 2 + pkg_size + 4, body_end, "_ADR",
                                      adr)) {
            *adr = UINT64_MAX;
        }
        return true;
    }
    return false;
}

char **acpi_write_tables(const AcpiTestTables *t, const char *dir)
{
    GPtrArray *names = g_ptr_array_new();
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; i < t->tables->len; i++) {
        const AcpiTestTable *e = g_ptr_array_index(t->tables, i);
        unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, e->sig)) + 1;
        g_autofree char *base = n == 1 ?
            g_strdup_printf("%s.dat", e->sig) :
            g_strdup_printf("%s%u.dat", e->sig, n);
        g_autofree char *path = g_build_filename(dir, base, NULL);
        g_autoptr(GError) err = NULL;

        g_hash_table_insert(seen, (gpointer)e->sig, GUINT_TO_POINTER(n));
        if (!g_file_set_contents(path, (const char *)e->data, e->len, &err)) {
            g_error("cannot write %s: %s", path, err->message);
        }
        g_ptr_array_add(names, g_steal_pointer(&base));
    }
    g_hash_table_destroy(seen);
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, FALSE);
}
