/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI tables of the pc machine: structure, checksums and pointers, then
 * what ACPICA's own tools make of them (iasl disassembles and recompiles
 * them, acpiexec runs the NVDIMM label methods).  Tests that need a tool
 * are skipped when it is not installed (Debian: acpica-tools).
 */
#include "qemu/osdep.h"
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "qapi/error.h"
#include "hw/acpi/acpi-build.h"
#include "hw/acpi/aml-build.h"
#include "hw/i386/layout.h"

#define GiB_U   ((uint64_t)GiB)
#define NCPUS   4
#define SLOTS   4
#define HDR     ACPI_TABLE_HEADER_SIZE

/* Two 4 GiB NVDIMMs with 2 MiB labels at the start of the window. */
static const AcpiSratMemEntry test_nvdimms[] = {
    { 5 * GiB_U, 4 * GiB_U - 2 * MiB, 0,
      ACPI_SRAT_MEM_ENABLED | ACPI_SRAT_MEM_NON_VOLATILE },
    { 9 * GiB_U, 4 * GiB_U - 2 * MiB, 0,
      ACPI_SRAT_MEM_ENABLED | ACPI_SRAT_MEM_NON_VOLATILE },
};

static uint16_t rd16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
    return rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t sum8(const uint8_t *p, size_t len)
{
    uint8_t s = 0;

    while (len--) {
        s += *p++;
    }
    return s;
}

/* A FIT as hw/acpi/nvdimm.c builds it: SPA, memdev, DCR per DIMM. */
static GByteArray *make_fit(void)
{
    GByteArray *f = g_byte_array_new();
    unsigned slot;

    for (slot = 0; slot < ARRAY_SIZE(test_nvdimms); slot++) {
        const AcpiSratMemEntry *d = &test_nvdimms[slot];
        uint16_t spa = 2 * (slot + 1);

        acpi_push_le(f, 0, 2);              /* SPA Range */
        acpi_push_le(f, 56, 2);
        acpi_push_le(f, spa, 2);
        acpi_push_le(f, 3, 2);
        acpi_push_le(f, 0, 4);
        acpi_push_le(f, d->node, 4);
        /* 66F0D379-B4F3-4074-AC43-0D3318B78CDB, persistent memory */
        acpi_push_le(f, 0x66F0D379, 4);
        acpi_push_le(f, 0x4074B4F3, 4);
        acpi_push_le(f, 0x330D43AC, 4);
        acpi_push_le(f, 0xDB8CB718, 4);
        acpi_push_le(f, d->base, 8);
        acpi_push_le(f, d->size, 8);
        acpi_push_le(f, 0x8008, 8);

        acpi_push_le(f, 1, 2);              /* Memory Device to SPA */
        acpi_push_le(f, 48, 2);
        acpi_push_le(f, slot + 1, 4);
        acpi_push_le(f, 0, 4);
        acpi_push_le(f, spa, 2);
        acpi_push_le(f, spa + 1, 2);
        acpi_push_le(f, d->size, 8);
        acpi_push_zeros(f, 16);
        acpi_push_le(f, 0, 2);
        acpi_push_le(f, 1, 2);
        acpi_push_zeros(f, 4);

        acpi_push_le(f, 4, 2);              /* Control Region */
        acpi_push_le(f, 80, 2);
        acpi_push_le(f, spa + 1, 2);
        acpi_push_le(f, 0x8086, 2);
        acpi_push_le(f, 1, 2);
        acpi_push_le(f, 1, 2);
        acpi_push_zeros(f, 12);
        acpi_push_le(f, 0x123456 + slot, 4);
        acpi_push_le(f, 0x301, 2);
        acpi_push_zeros(f, 50);
    }
    return f;
}

static AcpiBuildParams test_params(const GByteArray *fit)
{
    AcpiBuildParams p = {
        .ncpus = NCPUS,
        .below_4g_mem_size = 3 * GiB_U,
        .above_4g_mem_size = 1 * GiB_U,
        .device_mem_base = 5 * GiB_U,
        .device_mem_size = 28 * GiB_U + SLOTS * GiB_U,
        .nvdimm_enabled = true,
        .nvdimm_slots = SLOTS,
        .dsm_page_gpa = LAYOUT_NVDIMM_DSM_PAGE,
        .nfit_body = fit,
        .nvdimm_srat = test_nvdimms,
        .nvdimm_srat_count = ARRAY_SIZE(test_nvdimms),
        .pci_ecam_base = LAYOUT_PCI_ECAM_BASE,
        .pci_config_port = LAYOUT_PORT_PCI_CONFIG_ADDR,
        .pci_io_base = LAYOUT_PCI_IO_BASE,
        .pci_io_end = LAYOUT_PCI_IO_END,
        .pci_mmio32_base = LAYOUT_PCI_MMIO32_BASE,
        .pci_mmio32_end = LAYOUT_PCI_MMIO32_END,
        .pci_mmio64_base = 64 * GiB_U,
        .pci_mmio64_size = 32 * GiB_U,
        .pci_gsi_base = LAYOUT_GSI_PCI_INTX,
        .pci_hotplug_base = LAYOUT_PCI_HOTPLUG_BASE,
    };

    return p;
}

/* The table at guest address @addr, checked to lie inside the blob. */
static const uint8_t *table_at(const AcpiBuildBlobs *b, uint64_t addr)
{
    uint64_t off;

    g_assert_cmphex(addr, >=, LAYOUT_ACPI_TABLES);
    g_assert_cmphex(addr % 8, ==, 0);
    off = addr - LAYOUT_ACPI_TABLES;
    g_assert_cmpuint(off + HDR, <=, b->tables->len);
    g_assert_cmpuint(off + rd32(b->tables->data + off + 4), <=,
                     b->tables->len);
    return b->tables->data + off;
}

static const uint8_t *xsdt_of(const AcpiBuildBlobs *b)
{
    return table_at(b, rd64(b->rsdp->data + 24));
}

/* The one table with @sig (DSDT through the FADT), or NULL. */
static const uint8_t *find_table(const AcpiBuildBlobs *b, const char *sig)
{
    const uint8_t *xsdt = xsdt_of(b);
    const uint8_t *found = NULL;
    unsigned i, n = (rd32(xsdt + 4) - HDR) / 8;

    if (!strcmp(sig, "DSDT")) {
        return table_at(b, rd64(find_table(b, "FACP") + 140));
    }
    for (i = 0; i < n; i++) {
        const uint8_t *t = table_at(b, rd64(xsdt + HDR + 8 * i));

        if (!memcmp(t, sig, 4)) {
            g_assert_null(found);
            found = t;
        }
    }
    return found;
}

static void build_ok(const AcpiBuildParams *p, AcpiBuildBlobs *b)
{
    g_assert_true(acpi_build(p, b, &error_abort));
    g_assert_nonnull(b->rsdp);
    g_assert_nonnull(b->tables);
    g_assert_cmpuint(LAYOUT_ACPI_TABLES + b->tables->len, <=,
                     LAYOUT_ACPI_TABLES_END);
}

static void test_rsdp(void)
{
    g_autoptr(GByteArray) fit = make_fit();
    AcpiBuildParams p = test_params(fit);
    AcpiBuildBlobs b;
    const uint8_t *r;

    build_ok(&p, &b);
    r = b.rsdp->data;
    g_assert_cmpuint(b.rsdp->len, ==, 36);
    g_assert_cmpuint(b.rsdp->len, <=, LAYOUT_ACPI_RSDP_SIZE);
    g_assert_cmpmem(r, 8, "RSD PTR ", 8);
    g_assert_cmpuint(sum8(r, 20), ==, 0);
    g_assert_cmpuint(sum8(r, 36), ==, 0);
    g_assert_cmpmem(r + 9, 6, ACPI_BUILD_OEM_ID, 6);
    g_assert_cmpuint(r[15], ==, 2);
    g_assert_cmpuint(rd32(r + 16), ==, 0);          /* no RSDT */
    g_assert_cmpuint(rd32(r + 20), ==, 36);
    g_assert_cmpmem(xsdt_of(&b), 4, "XSDT", 4);
    acpi_build_blobs_free(&b);
    g_assert_null(b.rsdp);
    g_assert_null(b.tables);
}

static void test_checksums_and_xsdt(void)
{
    static const char *const sigs[] = {
        "FACP", "APIC", "SRAT", "MCFG", "SSDT", "NFIT", "DSDT",
    };
    g_autoptr(GByteArray) fit = make_fit();
    AcpiBuildParams p = test_params(fit);
    AcpiBuildBlobs b;
    const uint8_t *xsdt;
    unsigned i;

    build_ok(&p, &b);
    xsdt = xsdt_of(&b);
    g_assert_cmpuint(sum8(xsdt, rd32(xsdt + 4)), ==, 0);
    g_assert_cmpuint((rd32(xsdt + 4) - HDR) / 8, ==, 6);
    for (i = 0; i < ARRAY_SIZE(sigs); i++) {
        const uint8_t *t = find_table(&b, sigs[i]);

        g_assert_nonnull(t);
        g_assert_cmpuint(sum8(t, rd32(t + 4)), ==, 0);
        g_assert_cmpmem(t + 10, 6, ACPI_BUILD_OEM_ID, 6);
        g_assert_cmpmem(t + 28, 4, ACPI_BUILD_CREATOR_ID, 4);
    }
    /* The DSDT is reached through the FADT only; the tables come first. */
    g_assert_true(find_table(&b, "DSDT") == b.tables->data);
    acpi_build_blobs_free(&b);
}

static void test_fadt(void)
{
    AcpiBuildParams p = test_params(NULL);
    AcpiBuildBlobs b;
    const uint8_t *f;
    uint32_t flags;

    build_ok(&p, &b);
    f = find_table(&b, "FACP");
    g_assert_cmpuint(rd32(f + 4), ==, 276);
    g_assert_cmpuint(f[8], ==, 6);                  /* revision */
    g_assert_cmpuint(f[131], ==, 4);                /* minor version */
    g_assert_cmpuint(rd32(f + 36), ==, 0);          /* no FACS */
    g_assert_cmpuint(rd64(f + 132), ==, 0);
    g_assert_cmpuint(rd16(f + 46), ==, LAYOUT_IRQ_SCI);
    flags = rd32(f + 112);
    g_assert_cmphex(flags & (1u << 20), !=, 0);     /* HW_REDUCED_ACPI */
    g_assert_cmphex(flags & (1u << 10), !=, 0);     /* RESET_REG_SUP */
    g_assert_cmpmem(table_at(&b, rd64(f + 140)), 4, "DSDT", 4);
    /* RESET_REG, SLEEP_CONTROL_REG, SLEEP_STATUS_REG: 8-bit SystemIO */
    g_assert_cmpuint(f[116], ==, ACPI_GAS_SYSTEM_IO);
    g_assert_cmpuint(f[117], ==, 8);
    g_assert_cmphex(rd64(f + 120), ==, LAYOUT_PORT_ACPI_RESET);
    g_assert_cmpuint(f[128], ==, LAYOUT_ACPI_RESET_VALUE);
    g_assert_cmpuint(f[244], ==, ACPI_GAS_SYSTEM_IO);
    g_assert_cmpuint(f[245], ==, 8);
    g_assert_cmphex(rd64(f + 248), ==, LAYOUT_PORT_ACPI_SLEEP_CTL);
    g_assert_cmpuint(f[256], ==, ACPI_GAS_SYSTEM_IO);
    g_assert_cmpuint(f[257], ==, 8);
    g_assert_cmphex(rd64(f + 260), ==, LAYOUT_PORT_ACPI_SLEEP_STS);
    /* No legacy PM1/GPE blocks. */
    g_assert_cmpuint(rd32(f + 56), ==, 0);
    g_assert_cmpuint(rd32(f + 64), ==, 0);
    g_assert_cmpuint(rd32(f + 80), ==, 0);
    acpi_build_blobs_free(&b);
}

static void test_madt(void)
{
    AcpiBuildParams p = test_params(NULL);
    AcpiBuildBlobs b;
    const uint8_t *m, *e, *end;
    unsigned lapics = 0, ioapics = 0, isos = 0;

    build_ok(&p, &b);
    m = find_table(&b, "APIC");
    g_assert_cmphex(rd32(m + 36), ==, LAYOUT_LAPIC_BASE);
    end = m + rd32(m + 4);
    for (e = m + 44; e < end; e += e[1]) {
        g_assert_cmpuint(e[1], >=, 2);
        switch (e[0]) {
        case 0:
            g_assert_cmpuint(e[3], ==, lapics);     /* APIC id */
            g_assert_cmpuint(rd32(e + 4), ==, 1);   /* enabled */
            lapics++;
            break;
        case 1:
            g_assert_cmphex(rd32(e + 4), ==, LAYOUT_IOAPIC_BASE);
            g_assert_cmpuint(rd32(e + 8), ==, 0);   /* GSI base */
            ioapics++;
            break;
        case 2:
            if (e[3] == 0) {
                g_assert_cmpuint(rd32(e + 4), ==, 2);
            } else {
                g_assert_cmpuint(e[3], ==, LAYOUT_IRQ_SCI);
                g_assert_cmpuint(rd32(e + 4), ==, LAYOUT_IRQ_SCI);
                g_assert_cmphex(rd16(e + 8), ==, 0xD);  /* level, high */
            }
            isos++;
            break;
        }
    }
    g_assert_true(e == end);
    g_assert_cmpuint(lapics, ==, NCPUS);
    g_assert_cmpuint(ioapics, ==, 1);
    g_assert_cmpuint(isos, ==, 2);
    acpi_build_blobs_free(&b);
}

static void test_srat(void)
{
    const struct {
        uint64_t base, size;
        uint32_t flags;
    } want[] = {
        { 0, 3 * GiB_U, 1 },
        { 4 * GiB_U, 1 * GiB_U, 1 },
        { test_nvdimms[0].base, test_nvdimms[0].size, 5 },
        { test_nvdimms[1].base, test_nvdimms[1].size, 5 },
        { 5 * GiB_U, 32 * GiB_U, 3 },               /* hotpluggable */
    };
    AcpiBuildParams p = test_params(NULL);
    AcpiBuildBlobs b;
    const uint8_t *s, *e, *end;
    unsigned cpus = 0, mems = 0;

    build_ok(&p, &b);
    s = find_table(&b, "SRAT");
    g_assert_cmpuint(rd32(s + 36), ==, 1);
    end = s + rd32(s + 4);
    for (e = s + 48; e < end; e += e[1]) {
        if (e[0] == 0) {
            g_assert_cmpuint(e[1], ==, 16);
            g_assert_cmpuint(e[3], ==, cpus);
            g_assert_cmpuint(rd32(e + 4), ==, 1);
            cpus++;
        } else {
            g_assert_cmpuint(e[0], ==, 1);
            g_assert_cmpuint(e[1], ==, 40);
            g_assert_cmpuint(mems, <, ARRAY_SIZE(want));
            g_assert_cmpuint(rd32(e + 2), ==, 0);       /* node */
            g_assert_cmphex(rd64(e + 8), ==, want[mems].base);
            g_assert_cmphex(rd64(e + 16), ==, want[mems].size);
            g_assert_cmphex(rd32(e + 28), ==, want[mems].flags);
            mems++;
        }
    }
    g_assert_true(e == end);
    g_assert_cmpuint(cpus, ==, NCPUS);
    g_assert_cmpuint(mems, ==, ARRAY_SIZE(want));
    acpi_build_blobs_free(&b);
}

static void test_nfit(void)
{
    g_autoptr(GByteArray) fit = make_fit();
    g_autoptr(GByteArray) t = g_byte_array_new();
    AcpiBuildParams p = test_params(fit);
    AcpiBuildBlobs b;
    const uint8_t *n;

    nvdimm_build_nfit(t, fit);
    g_assert_cmpuint(t->len, ==, 40 + fit->len);
    g_assert_cmpmem(t->data, 4, "NFIT", 4);
    g_assert_cmpuint(rd32(t->data + 4), ==, t->len);
    g_assert_cmpuint(t->data[8], ==, 1);
    g_assert_cmpuint(rd32(t->data + 36), ==, 0);
    g_assert_cmpmem(t->data + 40, fit->len, fit->data, fit->len);
    g_assert_cmpuint(sum8(t->data, t->len), ==, 0);

    build_ok(&p, &b);
    n = find_table(&b, "NFIT");
    g_assert_cmpmem(n, rd32(n + 4), t->data, t->len);
    acpi_build_blobs_free(&b);
}

static bool contains(const uint8_t *t, const char *s)
{
    return memmem(t, rd32(t + 4), s, strlen(s)) != NULL;
}

/* MCFG: one allocation for segment 0, bus 0, at the ECAM base. */
static void test_mcfg(void)
{
    AcpiBuildParams p = test_params(NULL);
    AcpiBuildBlobs b;
    const uint8_t *m;

    build_ok(&p, &b);
    m = find_table(&b, "MCFG");
    g_assert_cmpuint(rd32(m + 4), ==, HDR + 8 + 16);
    g_assert_cmpuint(m[8], ==, 1);                  /* revision */
    g_assert_cmphex(rd64(m + HDR + 8), ==, LAYOUT_PCI_ECAM_BASE);
    g_assert_cmpuint(rd16(m + HDR + 16), ==, 0);    /* segment */
    g_assert_cmpuint(m[HDR + 18], ==, 0);           /* start bus */
    g_assert_cmpuint(m[HDR + 19], ==, 0);           /* end bus */
    acpi_build_blobs_free(&b);
    /* Without a 64-bit window, _CRS has no QWordMemory. */
    p.pci_mmio64_size = 0;
    build_ok(&p, &b);
    g_assert_true(contains(find_table(&b, "DSDT"), "PCI0"));
    acpi_build_blobs_free(&b);
}

static void test_without_nvdimm(void)
{
    g_autoptr(GByteArray) empty = g_byte_array_new();
    AcpiBuildParams p = test_params(empty);
    AcpiBuildBlobs b;
    const uint8_t *dsdt;

    p.nvdimm_enabled = false;
    p.nvdimm_srat_count = 0;
    build_ok(&p, &b);
    g_assert_null(find_table(&b, "SSDT"));
    g_assert_null(find_table(&b, "NFIT"));
    dsdt = find_table(&b, "DSDT");
    g_assert_true(contains(dsdt, "ACPI0013"));
    g_assert_true(contains(dsdt, "PWRB"));
    g_assert_false(contains(dsdt, "NVDR"));
    acpi_build_blobs_free(&b);

    /* nvdimm=on: the SSDT, and the GED notifies NVDR; no NFIT yet. */
    p.nvdimm_enabled = true;
    build_ok(&p, &b);
    g_assert_nonnull(find_table(&b, "SSDT"));
    g_assert_null(find_table(&b, "NFIT"));
    g_assert_true(contains(find_table(&b, "DSDT"), "NVDR"));
    acpi_build_blobs_free(&b);
}

/* A DSDT without hotplug registers has no PHPR, slots or GED branch. */
static void test_pci_hotplug_off(void)
{
    g_autoptr(GByteArray) fit = make_fit();
    AcpiBuildParams p = test_params(fit);
    AcpiBuildBlobs b;
    const uint8_t *dsdt;

    p.pci_hotplug_base = 0;
    build_ok(&p, &b);
    dsdt = find_table(&b, "DSDT");
    g_assert_null(memmem(dsdt, rd32(dsdt + 4), "PHPR", 4));
    g_assert_null(memmem(dsdt, rd32(dsdt + 4), "PCNT", 4));
    g_assert_null(memmem(dsdt, rd32(dsdt + 4), "S08_", 4));
    acpi_build_blobs_free(&b);
    /* With them: the names are there. */
    p.pci_hotplug_base = LAYOUT_PCI_HOTPLUG_BASE;
    build_ok(&p, &b);
    dsdt = find_table(&b, "DSDT");
    g_assert_nonnull(memmem(dsdt, rd32(dsdt + 4), "PHPR", 4));
    g_assert_nonnull(memmem(dsdt, rd32(dsdt + 4), "S08_", 4));
    acpi_build_blobs_free(&b);
}

static void test_too_big(void)
{
    g_autoptr(GByteArray) fit = g_byte_array_new();
    AcpiBuildParams p = test_params(fit);
    AcpiBuildBlobs b;
    Error *err = NULL;

    acpi_push_zeros(fit, LAYOUT_ACPI_TABLES_END - LAYOUT_ACPI_TABLES);
    g_assert_false(acpi_build(&p, &b, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), "slots=4"));
    g_assert_null(b.rsdp);
    g_assert_null(b.tables);
    error_free(err);

    /* The most slots QEMU allows still fit. */
    p.nfit_body = NULL;
    p.nvdimm_slots = 256;
    build_ok(&p, &b);
    acpi_build_blobs_free(&b);
}

/* ---- ACPICA tools ---- */

typedef struct ToolDir {
    char *path;
    AcpiBuildBlobs b;
} ToolDir;

static bool have_tool(const char *tool)
{
    g_autofree char *path = g_find_program_in_path(tool);

    if (!path) {
        g_autofree char *why = g_strdup_printf(
            "%s not found (Debian package acpica-tools)", tool);

        g_test_skip(why);
        return false;
    }
    return true;
}

static void write_table(ToolDir *d, const char *sig, const char *file)
{
    const uint8_t *t = strcmp(sig, "XSDT") ? find_table(&d->b, sig)
                                           : xsdt_of(&d->b);
    g_autofree char *name = g_build_filename(d->path, file, NULL);

    if (!t) {
        g_error("no %s table", sig);
    }
    g_assert_true(g_file_set_contents(name, (const char *)t, rd32(t + 4),
                                      NULL));
}

/* The tables of test_params() with @slots slots, as NAME.dat files. */
static void tool_dir_init(ToolDir *d, GByteArray *fit, uint32_t slots)
{
    AcpiBuildParams p = test_params(fit);

    p.nvdimm_slots = slots;
    d->path = g_dir_make_tmp("pmemvm-acpi-XXXXXX", NULL);
    g_assert_nonnull(d->path);
    build_ok(&p, &d->b);
    write_table(d, "DSDT", "dsdt.dat");
    write_table(d, "SSDT", "ssdt.dat");
    write_table(d, "FACP", "facp.dat");
    write_table(d, "APIC", "apic.dat");
    write_table(d, "SRAT", "srat.dat");
    write_table(d, "MCFG", "mcfg.dat");
    write_table(d, "NFIT", "nfit.dat");
    write_table(d, "XSDT", "xsdt.dat");
}

static void rm_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir) {
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);

            if (g_file_test(child, G_FILE_TEST_IS_DIR)) {
                rm_tree(child);
            } else {
                g_remove(child);
            }
        }
        g_dir_close(dir);
    }
    g_rmdir(path);
}

static void tool_dir_cleanup(ToolDir *d)
{
    acpi_build_blobs_free(&d->b);
    rm_tree(d->path);
    g_free(d->path);
}

/* Run @argv in @dir; returns its exit code, output in *out. */
static int run(const char *dir, const char *const *argv, char **out)
{
    g_autofree char *so = NULL;
    g_autofree char *se = NULL;
    int status;

    g_assert_true(g_spawn_sync(dir, (char **)argv, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &so, &se,
                               &status, NULL));
    *out = g_strconcat(so, se, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* No line mentions @word (lower case), but for iasl's clean summary. */
static void assert_no_line_with(const char *text, const char *word)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    unsigned i;

    for (i = 0; lines[i]; i++) {
        g_autofree char *lower = g_ascii_strdown(lines[i], -1);

        if (g_str_has_prefix(lower, "compilation successful. 0 errors,")) {
            continue;
        }
        if (strstr(lower, word)) {
            g_error("unexpected \"%s\" line: %s", word, lines[i]);
        }
    }
}

static void run_clean(const char *dir, const char *const *argv)
{
    g_autofree char *out = NULL;
    int rc = run(dir, argv, &out);

    if (rc) {
        g_error("%s exited with %d:\n%s", argv[0], rc, out);
    }
    assert_no_line_with(out, "error");
}

static char *read_file(const char *dir, const char *file)
{
    g_autofree char *name = g_build_filename(dir, file, NULL);
    char *text = NULL;

    g_assert_true(g_file_get_contents(name, &text, NULL, NULL));
    return text;
}

static void test_iasl_disassemble(void)
{
    static const char *const data[] = {
        "iasl", "-d", "facp.dat", "apic.dat", "srat.dat", "nfit.dat",
        "xsdt.dat", "mcfg.dat", NULL,
    };
    static const char *const dsdt[] = {
        "iasl", "-e", "ssdt.dat", "-d", "dsdt.dat", NULL,
    };
    static const char *const ssdt[] = {
        "iasl", "-e", "dsdt.dat", "-d", "ssdt.dat", NULL,
    };
    static const char *const dsl[] = {
        "facp.dsl", "apic.dsl", "srat.dsl", "nfit.dsl", "xsdt.dsl",
        "mcfg.dsl",
    };
    /* What Linux needs of the DSDT (see acpi-build.c). */
    static const char *const dsdt_text[] = {
        "Name (_S5, Package (0x04)",
        "Name (_HID, EisaId (\"PNP0501\")",
        "IO (Decode16,\n                    0x03F8,",
        "IRQNoFlags ()\n                    {4}",
        "Name (_HID, EisaId (\"PNP0C0C\")",
        "Name (_HID, \"ACPI0013\"",
        "Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive, ,, )\n"
        "                {\n                    0x00000009,",
        "OperationRegion (EREG, SystemMemory, 0xFED00000, 0x04)",
        "Method (_EVT, 1, Serialized)",
        "If (((Local0 & 0x02) == 0x02))\n                {\n"
        "                    Notify (\\_SB.PWRB, 0x80)",
        "If (((Local0 & 0x10) == 0x10))\n                {\n"
        "                    Notify (\\_SB.NVDR, 0x80)",
        /* The PCI host bridge, its windows and interrupt routing. */
        "Device (PCI0)",
        "Name (_HID, EisaId (\"PNP0A08\")",
        "Name (_CID, EisaId (\"PNP0A03\")",
        "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,\n"
        "                    0x0000,             // Granularity\n"
        "                    0x0000,             // Range Minimum\n"
        "                    0x0000,             // Range Maximum",
        "IO (Decode16,\n                    0x0CF8,",
        "                    0xC000,             // Range Minimum\n"
        "                    0xFFFF,             // Range Maximum",
        "                    0xE1000000,         // Range Minimum\n"
        "                    0xFEBFFFFF,         // Range Maximum",
        "                    0x0000001000000000, // Range Minimum\n"
        "                    0x00000017FFFFFFFF, // Range Maximum",
        /* slot 5, INTC: GSI 16 + (5 + 2) % 4 */
        "                    0x0005FFFF, \n                    0x02, \n"
        "                    Zero, \n                    0x13\n",
        /* ACPI PCI hotplug (docs/specs/pci-hotplug.md) */
        "If (((Local0 & 0x20) == 0x20))\n                {\n"
        "                    \\_SB.PHPR.PSCN ()",
        "Device (PHPR)",
        "Name (_HID, EisaId (\"PNP0A06\")",
        "Memory32Fixed (ReadWrite,\n                    0xFED01000,",
        "OperationRegion (PCST, SystemMemory, 0xFED01000, 0x18)",
        "PCIU,   32, \n                PCID,   32, \n                B0EJ,   32, "
        "\n                OSLT,   32, \n                OEVT,   32, \n"
        "                OSTS,   32",
        "B0EJ = (One << Arg0)",
        "OSLT = Arg0\n                OEVT = Arg1\n                OSTS = Arg2",
        "\\_SB.PCI0.PCNT ()",
        "DVNT (\\_SB.PHPR.PCIU, One)\n                DVNT (\\_SB.PHPR.PCID, 0x03)",
        "If ((Arg0 & 0x02))\n                {\n"
        "                    Notify (S08, Arg1)",
        "If ((Arg0 & 0x80000000))\n                {\n"
        "                    Notify (SF8, Arg1)",
        "Device (S08)\n            {\n"
        "                Name (_ADR, 0x00010000)  // _ADR: Address\n"
        "                Name (_SUN, One)",
        "Device (SF8)\n            {\n"
        "                Name (_ADR, 0x001F0000)  // _ADR: Address\n"
        "                Name (_SUN, 0x1F)",
        "Method (_EJ0, 1, NotSerialized)  // _EJx: Eject Device, x=0-9\n"
        "                {\n                    \\_SB.PHPR.PCEJ (_SUN)",
        "Method (_OST, 3, NotSerialized)  // _OST: OSPM Status Indication\n"
        "                {\n                    \\_SB.PHPR.POST (_SUN, Arg0, Arg1)",
    };
    g_autoptr(GByteArray) fit = make_fit();
    g_autofree char *dsdt_dsl = NULL;
    ToolDir d;
    unsigned i;

    if (!have_tool("iasl")) {
        return;
    }
    tool_dir_init(&d, fit, SLOTS);
    run_clean(d.path, data);
    run_clean(d.path, dsdt);
    run_clean(d.path, ssdt);
    dsdt_dsl = read_file(d.path, "dsdt.dsl");
    for (i = 0; i < ARRAY_SIZE(dsl); i++) {
        g_autofree char *text = read_file(d.path, dsl[i]);

        assert_no_line_with(text, "invalid");
    }
    for (i = 0; i < ARRAY_SIZE(dsdt_text); i++) {
        if (!strstr(dsdt_dsl, dsdt_text[i])) {
            g_error("dsdt.dsl lacks %s", dsdt_text[i]);
        }
    }
    /* Slot 0 is the host bridge's: not ejectable. */
    g_assert_null(strstr(dsdt_dsl, "Device (S00)"));
    tool_dir_cleanup(&d);
}

static void test_iasl_ssdt_names(void)
{
    static const char *const names[] = {
        "Name (MEMA, 0x000DF000)", "Device (NVDR)", "\"ACPI0012\"",
        "Device (NV00)", "Device (NVFF)", "Name (_ADR, 0x0100)",
        "Method (_DSM, 4", "Method (_FIT, 0", "Method (_LSI, 0",
        "Method (_LSR, 2", "Method (_LSW, 3", "Method (NCAL, 5, Serialized)",
        "OperationRegion (NPIO, SystemIO, 0x0A18, 0x04)",
        "OperationRegion (NRAM, SystemMemory, \\MEMA, 0x1000)",
        "FARG,   32672", "ODAT,   32736",
    };
    static const char *const argv[] = { "iasl", "-d", "ssdt.dat", NULL };
    g_autoptr(GByteArray) fit = make_fit();
    g_autofree char *text = NULL;
    ToolDir d;
    unsigned i;

    if (!have_tool("iasl")) {
        return;
    }
    tool_dir_init(&d, fit, 256);
    run_clean(d.path, argv);
    text = read_file(d.path, "ssdt.dsl");
    g_assert_nonnull(strstr(text, "DefinitionBlock (\"\", \"SSDT\", 1, "
                                  "\"BOCHS \", \"NVDIMM\""));
    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strstr(text, names[i])) {
            g_error("ssdt.dsl lacks %s", names[i]);
        }
    }
    g_assert_null(strstr(text, "NV100"));
    tool_dir_cleanup(&d);
}

/* The disassembled DSDT and SSDT compile again; the SSDT to the same AML. */
static void test_iasl_recompile(void)
{
    static const char *const dis_dsdt[] = {
        "iasl", "-e", "ssdt.dat", "-d", "dsdt.dat", NULL,
    };
    static const char *const dis_ssdt[] = {
        "iasl", "-e", "dsdt.dat", "-d", "ssdt.dat", NULL,
    };
    static const char *const cc_dsdt[] = {
        "iasl", "-p", "dsdt-rt", "dsdt.dsl", NULL,
    };
    static const char *const cc_ssdt[] = {
        "iasl", "-p", "ssdt-rt", "ssdt.dsl", NULL,
    };
    g_autoptr(GByteArray) fit = make_fit();
    g_autofree char *aml = NULL;
    g_autofree char *name = NULL;
    const uint8_t *ssdt;
    gsize len;
    ToolDir d;

    if (!have_tool("iasl")) {
        return;
    }
    tool_dir_init(&d, fit, SLOTS);
    run_clean(d.path, dis_dsdt);
    run_clean(d.path, dis_ssdt);
    run_clean(d.path, cc_dsdt);
    run_clean(d.path, cc_ssdt);

    name = g_build_filename(d.path, "ssdt-rt.aml", NULL);
    g_assert_true(g_file_get_contents(name, &aml, &len, NULL));
    ssdt = find_table(&d.b, "SSDT");
    g_assert_cmpmem(aml + HDR, len - HDR, ssdt + HDR, rd32(ssdt + 4) - HDR);
    tool_dir_cleanup(&d);
}

/*
 * acpiexec runs the methods with a simulated DSM page (nothing answers
 * the port write), which is enough to check the types Linux expects:
 * _LSI Package {Integer x3}, _LSR Package {Integer, Buffer}, _LSW
 * Integer, _FIT Buffer; and that no method hits an AML error.
 */
static void test_acpiexec_methods(void)
{
    static const char *const argv[] = {
        "acpiexec", "-b",
        "evaluate \\_SB.NVDR.NV01._LSI; "
        "evaluate \\_SB.NVDR.NV01._LSR 0 8; "
        "evaluate \\_SB.NVDR.NV01._LSW 0 4 (61 62 63 64); "
        "evaluate \\_SB.NVDR._FIT; "
        "evaluate \\_SB.GED._EVT 9; "
        "evaluate \\_SB.PHPR.PSCN; "
        "evaluate \\_SB.PCI0.S08._EJ0 1; "
        "evaluate \\_SB.PCI0.SF8._OST 3 0 (00)",
        "dsdt.dat", "ssdt.dat", NULL,
    };
    g_autoptr(GByteArray) fit = make_fit();
    g_autofree char *out = NULL;
    g_autoptr(GRegex) lsi = NULL;
    g_autoptr(GRegex) lsr = NULL;
    g_autoptr(GRegex) lsw = NULL;
    g_autoptr(GRegex) fitre = NULL;
    ToolDir d;

    if (!have_tool("acpiexec")) {
        return;
    }
    tool_dir_init(&d, fit, SLOTS);
    g_assert_cmpint(run(d.path, argv, &out), ==, 0);
    assert_no_line_with(out, "error");
    assert_no_line_with(out, "warning");

    lsi = g_regex_new("_LSI returned.*\\n.*\\[Package\\] Contains 3 Elements:"
                      "\\n.*\\[Integer\\].*\\n.*\\[Integer\\].*\\n"
                      ".*\\[Integer\\]", 0, 0, NULL);
    lsr = g_regex_new("_LSR returned.*\\n.*\\[Package\\] Contains 2 Elements:"
                      "\\n.*\\[Integer\\].*\\n.*\\[Buffer\\] Length 08",
                      0, 0, NULL);
    lsw = g_regex_new("_LSW returned.*\\n.*\\[Integer\\]", 0, 0, NULL);
    /* The hotplug methods ran (an AML error would be an "error" line). */
    g_assert_nonnull(strstr(out, "No object was returned from evaluation "
                                 "of \\_SB.PHPR.PSCN"));
    g_assert_nonnull(strstr(out, "No object was returned from evaluation "
                                 "of \\_SB.PCI0.S08._EJ0"));
    g_assert_nonnull(strstr(out, "No object was returned from evaluation "
                                 "of \\_SB.PCI0.SF8._OST"));
    fitre = g_regex_new("_FIT returned.*\\n.*\\[Buffer\\]", 0, 0, NULL);
    g_assert_true(g_regex_match(lsi, out, 0, NULL));
    g_assert_true(g_regex_match(lsr, out, 0, NULL));
    g_assert_true(g_regex_match(lsw, out, 0, NULL));
    g_assert_true(g_regex_match(fitre, out, 0, NULL));
    tool_dir_cleanup(&d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi-build/rsdp", test_rsdp);
    g_test_add_func("/acpi-build/checksums-xsdt", test_checksums_and_xsdt);
    g_test_add_func("/acpi-build/fadt", test_fadt);
    g_test_add_func("/acpi-build/madt", test_madt);
    g_test_add_func("/acpi-build/srat", test_srat);
    g_test_add_func("/acpi-build/nfit", test_nfit);
    g_test_add_func("/acpi-build/mcfg", test_mcfg);
    g_test_add_func("/acpi-build/without-nvdimm", test_without_nvdimm);
    g_test_add_func("/acpi-build/pci-hotplug-off", test_pci_hotplug_off);
    g_test_add_func("/acpi-build/too-big", test_too_big);
    g_test_add_func("/acpi-build/iasl/disassemble", test_iasl_disassemble);
    g_test_add_func("/acpi-build/iasl/ssdt-names", test_iasl_ssdt_names);
    g_test_add_func("/acpi-build/iasl/recompile", test_iasl_recompile);
    g_test_add_func("/acpi-build/acpiexec/methods", test_acpiexec_methods);
    return g_test_run();
}
