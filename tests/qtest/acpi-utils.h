/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI helpers for qtests: find the RSDP in guest memory, read every table
 * it leads to, and pick apart the little AML the NVDIMM tests need.
 *
 * Works on pmemvm (tables written at init, RSDP rev 2 -> XSDT) and on a
 * QEMU whose firmware places them after a while (RSDP rev 0 -> RSDT):
 * acpi_read_tables() polls until it finds a consistent set.
 */
#ifndef TESTS_QTEST_ACPI_UTILS_H
#define TESTS_QTEST_ACPI_UTILS_H

#include "libqtest.h"

#define ACPI_RSDP_AREA_START    0xE0000ULL
#define ACPI_RSDP_AREA_END      0x100000ULL     /* exclusive */
#define ACPI_TABLE_HEADER_LEN   36

typedef struct AcpiTestTable {
    char sig[5];                /* NUL-terminated signature */
    char oem_table_id[9];       /* NUL-terminated, trailing spaces kept */
    uint64_t addr;              /* guest-physical address */
    uint8_t *data;              /* the whole table, header included */
    uint32_t len;
} AcpiTestTable;

typedef struct AcpiTestTables {
    uint64_t rsdp_addr;
    uint8_t rsdp[36];           /* 20 bytes valid when revision < 2 */
    uint32_t rsdp_len;
    /* The root (XSDT or RSDT) first, then its entries in order, then the
     * DSDT (from the FADT) last. */
    GPtrArray *tables;          /* AcpiTestTable* */
} AcpiTestTables;

/* Sum of @len bytes modulo 256 (0 for a good ACPI checksum). */
uint8_t acpi_test_sum(const uint8_t *data, size_t len);

uint16_t acpi_get16(const uint8_t *p);
uint32_t acpi_get32(const uint8_t *p);
uint64_t acpi_get64(const uint8_t *p);

/*
 * Read the RSDP and every table, polling for up to @timeout_ms until the
 * RSDP, the root table and every listed table have good checksums.
 * Returns NULL on timeout.  Free with acpi_test_tables_free().
 */
AcpiTestTables *acpi_read_tables(QTestState *qts, unsigned timeout_ms);
void acpi_test_tables_free(AcpiTestTables *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AcpiTestTables, acpi_test_tables_free)

/* First table with @sig (and @oem_table_id, trailing spaces ignored, when
 * not NULL), or NULL. */
const AcpiTestTable *acpi_find_table(const AcpiTestTables *t,
                                     const char *sig,
                                     const char *oem_table_id);
/* How many tables carry @sig. */
unsigned acpi_count_tables(const AcpiTestTables *t, const char *sig);

/*
 * AML: the value of "Name (@name, <integer>)" declared anywhere in the
 * table's AML (ZeroOp, OneOp, Byte/Word/DWord/QWord constants).
 */
bool acpi_aml_find_name_int(const AcpiTestTable *t, const char *name,
                            uint64_t *value);
/*
 * AML: whether a "Device (@name)" is declared; if so and @adr is not
 * NULL, *adr is its _ADR integer (or UINT64_MAX if it has none).
 */
bool acpi_aml_find_device(const AcpiTestTable *t, const char *name,
                          uint64_t *adr);

/* Write every table to @dir as SIG.dat (a second SSDT as SSDT2.dat ...);
 * returns the file names (g_strfreev). */
char **acpi_write_tables(const AcpiTestTables *t, const char *dir);

#endif
