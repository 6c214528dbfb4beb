/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nvdimm-acpi: the ACPI tables pmemvm writes into guest memory, read back
 * through qtest the way a guest would find them, checked against
 * docs/specs/acpi_nvdimm.md (NFIT, SRAT, the NVDIMM SSDT) and disassembled with
 * iasl.
 *
 * Every test starts pmemvm with a command line, finds the RSDP at 0xE0000,
 * follows RSDP -> XSDT -> tables (and FADT -> DSDT), checks every checksum
 * and then looks at one aspect.
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <glib/gstdio.h>

#include "acpi-utils.h"
#include "libqtest.h"
#include "qtest-util.h"

/* Numbers from docs/specs/acpi_nvdimm.md. */
#define PMEMVM_RSDP             0xE0000ULL
#define PMEMVM_DSM_PAGE         0xDF000ULL
#define NFIT_HEADER_LEN         40
#define NFIT_SPA_LEN            56
#define NFIT_MAP_LEN            48
#define NFIT_DCR_LEN            80
#define NFIT_CAPS_LEN           16
#define NFIT_PER_DIMM_LEN       (NFIT_SPA_LEN + NFIT_MAP_LEN + NFIT_DCR_LEN)
#define NFIT_SERIAL_BASE        0x123456u
#define NFIT_MEM_ATTR           0x8008ULL
#define SRAT_MEMORY             1
#define SRAT_MEMORY_LEN         40
#define SRAT_HEADER_LEN         48
#define WINDOW_BASE             0x100000000ULL  /* RAM < 3.5 GiB */

/* 66F0D379-B4F3-4074-AC43-0D3318B78CDB as stored in ACPI tables. */
static const uint8_t pm_guid[16] = {
    0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
    0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb,
};

static char *tmp_dir;

/* A sparse backing file of @size bytes in the test's directory. */
static char *backing_file(const char *name, uint64_t size)
{
    char *path = g_build_filename(tmp_dir, name, NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, size), ==, 0);
    close(fd);
    return path;
}

/*
 * The RSDP must be at 0xE0000, revision 2 with both checksums good; every
 * table it leads to must checksum to 0 (acpi_read_tables insists).
 */
static AcpiTestTables *read_tables(QTestState *qts)
{
    AcpiTestTables *t = acpi_read_tables(qts, 2000);

    g_assert_nonnull(t);
    g_assert_cmphex(t->rsdp_addr, ==, PMEMVM_RSDP);
    g_assert_cmpuint(t->rsdp[15], ==, 2);
    g_assert_cmpuint(t->rsdp_len, ==, 36);
    g_assert_cmpuint(acpi_test_sum(t->rsdp, 20), ==, 0);
    g_assert_cmpuint(acpi_test_sum(t->rsdp, 36), ==, 0);
    g_assert_cmpuint(acpi_get32(t->rsdp + 16), ==, 0);     /* no RSDT */
    for (guint i = 0; i < t->tables->len; i++) {
        const AcpiTestTable *e = g_ptr_array_index(t->tables, i);

        g_test_message("%s @0x%" PRIx64 " len %u oem table id '%.8s'",
                       e->sig, e->addr, e->len, e->oem_table_id);
        g_assert_cmpuint(acpi_test_sum(e->data, e->len), ==, 0);
    }
    return t;
}

static JsonArray *query_memory_devices(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                        "{'execute': 'query-memory-devices'}");
    JsonArray *arr = json_array_ref(json_node_get_array(ret));

    json_node_unref(ret);
    return arr;
}

/* What the NFIT must say of one DIMM. */
typedef struct ExpectDimm {
    const char *id;
    uint32_t slot;
    uint64_t region_size;
    bool unarmed;
    uint64_t addr;              /* filled from query-memory-devices */
} ExpectDimm;

/* query-memory-devices knows @e: take its address, check slot and size. */
static void fill_from_qmp(QTestState *qts, ExpectDimm *e, unsigned n)
{
    g_autoptr(JsonArray) devs = query_memory_devices(qts);

    g_assert_cmpuint(json_array_get_length(devs), ==, n);
    for (unsigned i = 0; i < n; i++) {
        bool found = false;

        for (guint j = 0; j < json_array_get_length(devs); j++) {
            JsonObject *dev = json_array_get_object_element(devs, j);
            JsonObject *data = json_object_get_object_member(dev, "data");

            if (g_strcmp0(json_object_get_string_member(data, "id"),
                          e[i].id)) {
                continue;
            }
            g_assert_cmpstr(json_object_get_string_member(dev, "type"), ==,
                            "nvdimm");
            g_assert_cmpuint(json_object_get_int_member(data, "slot"), ==,
                             e[i].slot);
            g_assert_cmpuint(json_object_get_int_member(data, "size"), ==,
                             e[i].region_size);
            e[i].addr = json_object_get_int_member(data, "addr");
            found = true;
        }
        g_assert_true(found);
    }
}

/* Check the three structures of @e at @p, field by field (§1). */
static void check_dimm_structs(const uint8_t *p, const ExpectDimm *e)
{
    const uint8_t *spa = p, *map = p + NFIT_SPA_LEN;
    const uint8_t *dcr = map + NFIT_MAP_LEN;
    uint16_t spa_index = 2 * (e->slot + 1);
    uint16_t dcr_index = spa_index + 1;
    static const uint8_t zeros[NFIT_DCR_LEN];

    g_test_message("NFIT structures of %s: slot %u at 0x%" PRIx64
                   " size 0x%" PRIx64, e->id, e->slot, e->addr,
                   e->region_size);
    /* SPA Range */
    g_assert_cmpuint(acpi_get16(spa + 0), ==, 0);
    g_assert_cmpuint(acpi_get16(spa + 2), ==, NFIT_SPA_LEN);
    g_assert_cmpuint(acpi_get16(spa + 4), ==, spa_index);
    g_assert_cmphex(acpi_get16(spa + 6), ==, 0x3);
    g_assert_cmpuint(acpi_get32(spa + 8), ==, 0);
    g_assert_cmpuint(acpi_get32(spa + 12), ==, 0);         /* node */
    g_assert_cmpmem(spa + 16, 16, pm_guid, 16);
    g_assert_cmphex(acpi_get64(spa + 32), ==, e->addr);
    g_assert_cmphex(acpi_get64(spa + 40), ==, e->region_size);
    g_assert_cmphex(acpi_get64(spa + 48), ==, NFIT_MEM_ATTR);

    /* Memory Device to SPA Range map */
    g_assert_cmpuint(acpi_get16(map + 0), ==, 1);
    g_assert_cmpuint(acpi_get16(map + 2), ==, NFIT_MAP_LEN);
    g_assert_cmphex(acpi_get32(map + 4), ==, e->slot + 1);  /* handle */
    g_assert_cmpuint(acpi_get16(map + 8), ==, 0);           /* phys id */
    g_assert_cmpuint(acpi_get16(map + 10), ==, 0);          /* region id */
    g_assert_cmpuint(acpi_get16(map + 12), ==, spa_index);
    g_assert_cmpuint(acpi_get16(map + 14), ==, dcr_index);
    g_assert_cmphex(acpi_get64(map + 16), ==, e->region_size);
    g_assert_cmphex(acpi_get64(map + 24), ==, 0);           /* offset */
    g_assert_cmphex(acpi_get64(map + 32), ==, 0);           /* DPA */
    g_assert_cmpuint(acpi_get16(map + 40), ==, 0);          /* il index */
    g_assert_cmpuint(acpi_get16(map + 42), ==, 1);          /* il ways */
    g_assert_cmphex(acpi_get16(map + 44), ==, e->unarmed ? 0x8 : 0);
    g_assert_cmpuint(acpi_get16(map + 46), ==, 0);

    /* Control Region */
    g_assert_cmpuint(acpi_get16(dcr + 0), ==, 4);
    g_assert_cmpuint(acpi_get16(dcr + 2), ==, NFIT_DCR_LEN);
    g_assert_cmpuint(acpi_get16(dcr + 4), ==, dcr_index);
    g_assert_cmphex(acpi_get16(dcr + 6), ==, 0x8086);
    g_assert_cmphex(acpi_get16(dcr + 8), ==, 0x0001);
    g_assert_cmphex(acpi_get16(dcr + 10), ==, 0x0001);
    g_assert_cmpmem(dcr + 12, 12, zeros, 12);   /* subsystem ids .. rsvd */
    g_assert_cmphex(acpi_get32(dcr + 24), ==, NFIT_SERIAL_BASE + e->slot);
    g_assert_cmphex(acpi_get16(dcr + 28), ==, 0x0301);
    g_assert_cmpuint(acpi_get16(dcr + 30), ==, 0); /* block windows */
    g_assert_cmpmem(dcr + 32, 48, zeros, 48);   /* sizes, offsets, flags */
}

static const AcpiTestTable *get_nfit(const AcpiTestTables *t)
{
    const AcpiTestTable *nfit = acpi_find_table(t, "NFIT", NULL);

    g_assert_nonnull(nfit);
    g_assert_cmpuint(acpi_count_tables(t, "NFIT"), ==, 1);
    g_assert_cmpuint(nfit->data[8], ==, 1);                 /* revision */
    g_assert_cmpmem(nfit->data + 10, 6, "BOCHS ", 6);
    g_assert_cmpmem(nfit->data + 16, 8, "BXPC    ", 8);
    g_assert_cmpuint(acpi_get32(nfit->data + 36), ==, 0);   /* reserved */
    return nfit;
}

/*
 * Boot with @n DIMMs, check the NFIT holds exactly their structures (and
 * a Platform Capabilities structure when @caps != 0), in creation order.
 */
static void check_nfit(const char *args, ExpectDimm *e, unsigned n,
                       uint32_t caps, uint8_t highest_bit)
{
    QTestState *qts = qtest_init(args);
    g_autoptr(AcpiTestTables) t = read_tables(qts);
    const AcpiTestTable *nfit = get_nfit(t);
    const uint8_t *p = nfit->data + NFIT_HEADER_LEN;

    fill_from_qmp(qts, e, n);
    g_assert_cmpuint(nfit->len, ==, NFIT_HEADER_LEN + n * NFIT_PER_DIMM_LEN +
                     (caps ? NFIT_CAPS_LEN : 0));
    for (unsigned i = 0; i < n; i++) {
        check_dimm_structs(p, &e[i]);
        p += NFIT_PER_DIMM_LEN;
    }
    if (caps) {
        g_assert_cmpuint(acpi_get16(p + 0), ==, 7);
        g_assert_cmpuint(acpi_get16(p + 2), ==, NFIT_CAPS_LEN);
        g_assert_cmpuint(p[4], ==, highest_bit);
        g_assert_cmpuint(p[5] | p[6] | p[7], ==, 0);
        g_assert_cmphex(acpi_get32(p + 8), ==, caps);
        g_assert_cmpuint(acpi_get32(p + 12), ==, 0);
    }
    qtest_quit(qts);
}

#define MACHINE     "-machine pc,nvdimm=on"
#define MEM_SLOTS   "-m 128M,slots=4,maxmem=4G"

/* One backend + one DIMM, as a command-line fragment. */
static char *dimm_args(const char *id, uint64_t size, const char *backend_opts,
                       const char *dimm_opts)
{
    g_autofree char *name = g_strdup_printf("%s.img", id);
    g_autofree char *path = backing_file(name, size);

    return g_strdup_printf(" -object memory-backend-file,id=mem-%s,"
                           "mem-path=%s,size=%" PRIu64 "%s"
                           " -device nvdimm,id=%s,memdev=mem-%s%s",
                           id, path, size, backend_opts, id, id, dimm_opts);
}

/* ---- Tables present ---- */

static void test_tables_walk(void)
{
    g_autofree char *d = dimm_args("nv0", 64 * MiB, ",share=on", "");
    g_autofree char *args = g_strdup_printf(MACHINE " " MEM_SLOTS "%s", d);
    QTestState *qts = qtest_init(args);
    g_autoptr(AcpiTestTables) t = read_tables(qts);
    static const char *const want[] = {
        "XSDT", "FACP", "APIC", "SRAT", "MCFG", "SSDT", "NFIT", "DSDT",
    };

    /* XSDT first, then its entries, DSDT (via FADT X_DSDT) last. */
    g_assert_cmpuint(t->tables->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_nonnull(acpi_find_table(t, want[i], NULL));
        g_assert_cmpuint(acpi_count_tables(t, want[i]), ==, 1);
    }
    g_assert_cmpstr(((AcpiTestTable *)t->tables->pdata[0])->sig, ==, "XSDT");
    g_assert_nonnull(acpi_find_table(t, "SSDT", "NVDIMM"));
    qtest_quit(qts);
}

static void test_nfit_absent_without_nvdimm(void)
{
    QTestState *qts = qtest_init(MEM_SLOTS);
    g_autoptr(AcpiTestTables) t = read_tables(qts);

    g_assert_null(acpi_find_table(t, "NFIT", NULL));
    g_assert_null(acpi_find_table(t, "SSDT", "NVDIMM"));
    qtest_quit(qts);
}

static void test_nfit_absent_without_dimm(void)
{
    QTestState *qts = qtest_init(MACHINE " " MEM_SLOTS);
    g_autoptr(AcpiTestTables) t = read_tables(qts);

    /* The SSDT (and its NVxx) exists for hotplug; the NFIT does not. */
    g_assert_null(acpi_find_table(t, "NFIT", NULL));
    g_assert_nonnull(acpi_find_table(t, "SSDT", "NVDIMM"));
    qtest_quit(qts);
}

static void test_nfit_absent_without_dimm_with_caps(void)
{
    QTestState *qts = qtest_init(MACHINE ",nvdimm-persistence=cpu " MEM_SLOTS);
    g_autoptr(AcpiTestTables) t = read_tables(qts);

    g_assert_null(acpi_find_table(t, "NFIT", NULL));
    qtest_quit(qts);
}

/* ---- NFIT contents and Platform Capabilities ---- */

/* One DIMM of an NFIT case: its command line, what the NFIT must say. */
typedef struct NfitDimm {
    const char *id;
    uint64_t file_size;
    const char *backend_opts, *dimm_opts;
    uint32_t slot;
    uint64_t region_size;
    bool unarmed;
    uint64_t addr;              /* 0: wherever query-memory-devices says */
} NfitDimm;

typedef struct NfitCase {
    const char *name;           /* the test path after "/nvdimm-acpi/nfit/" */
    const char *machine_opt;    /* appended to MACHINE */
    NfitDimm dimms[2];          /* in creation order; id NULL ends them */
    uint32_t caps;              /* Platform Capabilities; 0: none */
    uint8_t highest_bit;
} NfitCase;

#define DIMM_64M { "nv0", 64 * MiB, ",share=on", "", 0, 64 * MiB, false, 0 }

static const NfitCase nfit_cases[] = {
    { "one-dimm", "", {
        { "nv0", 64 * MiB, ",share=on", "", 0, 64 * MiB, false,
          WINDOW_BASE },
    } },
    /* First free addresses in the window, one after the other. */
    { "two-dimms", "", {
        { "nv0", 64 * MiB, ",share=on", "", 0, 64 * MiB, false,
          WINDOW_BASE },
        { "nv1", 32 * MiB, ",share=on", ",node=0", 1, 32 * MiB, false,
          WINDOW_BASE + 64 * MiB },
    } },
    /* Slot 1 created first: its structures come first. */
    { "creation-order", "", {
        { "nv0", 32 * MiB, ",share=on", ",slot=1", 1, 32 * MiB, false, 0 },
        { "nv1", 64 * MiB, ",share=on", ",slot=0", 0, 64 * MiB, false, 0 },
    } },
    { "unarmed", "", {
        { "nv0", 64 * MiB, ",readonly=on", ",unarmed=on", 0, 64 * MiB, true,
          0 },
    } },
    /* 64 MiB + 100 KiB backend, 128 KiB labels: 64 MiB - 28 KiB left. */
    { "label-size", "", {
        { "nv0", 64 * MiB + 100 * KiB, ",share=on", ",label-size=128K", 0,
          64 * MiB - 28 * KiB, false, 0 },
    } },
    /*
     * 67 MiB + 128 KiB labels, 2 MiB alignment: 66 MiB.  The second DIMM
     * starts at the next 2 MiB boundary after the first.
     */
    { "align-2m", "", {
        { "nv0", 67 * MiB + 128 * KiB, ",share=on,align=2M",
          ",label-size=128K", 0, 66 * MiB, false, 0 },
        { "nv1", 5 * MiB, ",share=on,align=2M", "", 1, 4 * MiB, false,
          WINDOW_BASE + 66 * MiB },
    } },
    { "caps/cpu", ",nvdimm-persistence=cpu", { DIMM_64M }, 3, 1 },
    { "caps/mem-ctrl", ",nvdimm-persistence=mem-ctrl", { DIMM_64M }, 2, 1 },
    { "caps/cap-2", ",nvdimm-cap=2", { DIMM_64M }, 2, 1 },
    { "caps/cap-4", ",nvdimm-cap=4", { DIMM_64M }, 4, 2 },
    { "caps/cap-7", ",nvdimm-cap=7", { DIMM_64M }, 7, 2 },
    { "caps/unset", "", { DIMM_64M }, 0, 0 },
};

static void test_nfit(gconstpointer data)
{
    const NfitCase *c = data;
    g_autoptr(GString) args = g_string_new(NULL);
    ExpectDimm e[G_N_ELEMENTS(c->dimms)];
    unsigned n;

    g_string_printf(args, MACHINE "%s " MEM_SLOTS, c->machine_opt);
    for (n = 0; n < G_N_ELEMENTS(c->dimms) && c->dimms[n].id; n++) {
        const NfitDimm *d = &c->dimms[n];
        g_autofree char *dimm = dimm_args(d->id, d->file_size,
                                          d->backend_opts, d->dimm_opts);

        g_string_append(args, dimm);
        e[n] = (ExpectDimm) { d->id, d->slot, d->region_size, d->unarmed };
    }
    check_nfit(args->str, e, n, c->caps, c->highest_bit);
    for (unsigned i = 0; i < n; i++) {
        if (c->dimms[i].addr) {
            g_assert_cmphex(e[i].addr, ==, c->dimms[i].addr);
        }
    }
}

/* ---- SRAT ---- */

static void test_srat(void)
{
    g_autofree char *d0 = dimm_args("nv0", 64 * MiB, ",share=on", "");
    g_autofree char *d1 = dimm_args("nv1", 32 * MiB + 128 * KiB,
                                    ",share=on", ",label-size=128K");
    g_autofree char *args = g_strdup_printf(MACHINE " " MEM_SLOTS "%s%s",
                                            d0, d1);
    QTestState *qts = qtest_init(args);
    g_autoptr(AcpiTestTables) t = read_tables(qts);
    const AcpiTestTable *srat = acpi_find_table(t, "SRAT", NULL);
    ExpectDimm e[] = {
        { "nv0", 0, 64 * MiB, false },
        { "nv1", 1, 32 * MiB, false },
    };
    /* (4 GiB - 128 MiB) + 1 GiB per slot */
    uint64_t window_size = 4 * GiB - 128 * MiB + 4 * GiB;
    unsigned nv_found = 0, hp_found = 0;

    fill_from_qmp(qts, e, 2);
    g_assert_nonnull(srat);
    for (uint32_t off = SRAT_HEADER_LEN; off + 2 <= srat->len;) {
        const uint8_t *p = srat->data + off;
        uint32_t node, flags;
        uint64_t base, size;

        g_assert_cmpuint(p[1], >=, 2);
        g_assert_cmpuint(off + p[1], <=, srat->len);
        off += p[1];
        if (p[0] != SRAT_MEMORY) {
            continue;
        }
        g_assert_cmpuint(p[1], ==, SRAT_MEMORY_LEN);
        node = acpi_get32(p + 2);
        base = acpi_get64(p + 8);
        size = acpi_get64(p + 16);
        flags = acpi_get32(p + 28);
        g_test_message("SRAT memory 0x%" PRIx64 " +0x%" PRIx64
                       " node %u flags 0x%x", base, size, node, flags);
        if (flags == 0x3) {                 /* enabled | hotpluggable */
            g_assert_cmphex(base, ==, WINDOW_BASE);
            g_assert_cmphex(size, ==, window_size);
            g_assert_cmpuint(node, ==, 0);
            hp_found++;
        } else if (flags == 0x5) {          /* enabled | non-volatile */
            g_assert_cmpuint(nv_found, <, 2);
            /* In creation order, as the NFIT. */
            g_assert_cmphex(base, ==, e[nv_found].addr);
            g_assert_cmphex(size, ==, e[nv_found].region_size);
            g_assert_cmpuint(node, ==, 0);
            nv_found++;
        } else {
            g_assert_cmphex(flags, ==, 0x1);    /* RAM */
        }
    }
    g_assert_cmpuint(nv_found, ==, 2);
    g_assert_cmpuint(hp_found, ==, 1);
    qtest_quit(qts);
}

/* ---- NVDIMM SSDT ---- */

static void check_ssdt(unsigned slots)
{
    QTestState *qts = qtest_initf(MACHINE " -m 128M,slots=%u,maxmem=4G", slots);
    g_autoptr(AcpiTestTables) t = read_tables(qts);
    const AcpiTestTable *ssdt = acpi_find_table(t, "SSDT", "NVDIMM");
    uint64_t mema = 0, adr;

    g_assert_nonnull(ssdt);
    g_assert_cmpuint(ssdt->data[8], ==, 1);         /* revision */
    g_assert_true(acpi_aml_find_name_int(ssdt, "MEMA", &mema));
    g_assert_cmphex(mema, ==, PMEMVM_DSM_PAGE);
    g_assert_true(acpi_aml_find_device(ssdt, "NVDR", NULL));
    g_assert_nonnull(memmem(ssdt->data, ssdt->len, "ACPI0012", 8));
    for (unsigned slot = 0; slot < slots; slot++) {
        g_autofree char *name = g_strdup_printf("NV%02X", slot);

        g_assert_true(acpi_aml_find_device(ssdt, name, &adr));
        g_assert_cmphex(adr, ==, slot + 1);
    }
    {
        g_autofree char *past = g_strdup_printf("NV%02X", slots);

        g_assert_false(acpi_aml_find_device(ssdt, past, NULL));
    }
    qtest_quit(qts);
}

static void test_ssdt_4_slots(void)
{
    check_ssdt(4);
}

static void test_ssdt_16_slots(void)
{
    check_ssdt(16);     /* NV0A..NV0F: upper-case hex */
}

/* ---- iasl ---- */

/* Run iasl in @dir; its output must be free of errors. */
static void run_iasl(const char *dir, const char *const *iasl_args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GError) gerr = NULL;
    g_auto(GStrv) lines = NULL;
    int status;

    g_ptr_array_add(argv, (gpointer)"iasl");
    for (; *iasl_args; iasl_args++) {
        g_ptr_array_add(argv, (gpointer)*iasl_args);
    }
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_sync(dir, (char **)argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                               &status, &gerr));
    {
        g_autofree char *cmd = g_strjoinv(" ", (char **)argv->pdata);

        g_test_message("%s:\n%s%s", cmd, out, err);
    }
    {
        g_autofree char *all = g_strconcat(out, err, NULL);

        lines = g_strsplit(all, "\n", -1);
    }
    for (char **l = lines; *l; l++) {
        g_assert_null(strstr(*l, "Error"));
    }
    g_assert_true(g_spawn_check_wait_status(status, NULL));
}

/* iasl wrote @dir/@dat with .dsl for .dat, not empty. */
static void check_dsl(const char *dir, const char *dat)
{
    g_autofree char *base = g_strndup(dat, strlen(dat) - strlen(".dat"));
    g_autofree char *dsl = g_strdup_printf("%s/%s.dsl", dir, base);
    g_autofree char *text = NULL;
    gsize len = 0;

    g_assert_true(g_file_get_contents(dsl, &text, &len, NULL));
    g_assert_cmpuint(len, >, 0);
}

static void test_iasl(void)
{
    g_autofree char *iasl = g_find_program_in_path("iasl");
    g_autofree char *d0 = NULL, *d1 = NULL, *args = NULL, *dir = NULL;
    g_auto(GStrv) files = NULL;
    g_autoptr(AcpiTestTables) t = NULL;
    QTestState *qts;

    if (!iasl) {
        g_test_skip("iasl not found (install acpica-tools)");
        return;
    }
    d0 = dimm_args("nv0", 64 * MiB + 128 * KiB, ",share=on",
                   ",label-size=128K");
    d1 = dimm_args("nv1", 32 * MiB, ",share=on", "");
    args = g_strdup_printf(MACHINE ",nvdimm-persistence=cpu " MEM_SLOTS
                           "%s%s", d0, d1);
    qts = qtest_init(args);
    t = read_tables(qts);
    qtest_quit(qts);

    dir = g_build_filename(tmp_dir, "iasl", NULL);
    g_assert_cmpint(g_mkdir(dir, 0700), ==, 0);
    files = acpi_write_tables(t, dir);
    g_assert_cmpuint(g_strv_length(files), ==, t->tables->len);
    for (char **f = files; *f; f++) {
        if (!strcmp(*f, "DSDT.dat")) {
            /* The DSDT's GED notifies \_SB.NVDR, defined in the SSDT. */
            const char *a[] = { "-e", "SSDT.dat", "-d", *f, NULL };

            run_iasl(dir, a);
        } else if (!strcmp(*f, "SSDT.dat")) {
            const char *a[] = { "-e", "DSDT.dat", "-d", *f, NULL };

            run_iasl(dir, a);
        } else {
            const char *a[] = { "-d", *f, NULL };

            run_iasl(dir, a);
        }
        check_dsl(dir, *f);
    }
    /* Not the RSDP: iasl disassembles it only from acpidump text. */
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    /* These checks are of pmemvm's tables; nvdimm-compare runs QEMU. */
    g_unsetenv("QTEST_QEMU_BINARY");
    tmp_dir = g_dir_make_tmp("nvdimm-acpi-XXXXXX", &err);
    g_assert_nonnull(tmp_dir);

    g_test_add_func("/nvdimm-acpi/tables/rsdp-xsdt-checksums", test_tables_walk);
    g_test_add_func("/nvdimm-acpi/nfit/absent-without-nvdimm",
                   test_nfit_absent_without_nvdimm);
    g_test_add_func("/nvdimm-acpi/nfit/absent-without-dimm",
                   test_nfit_absent_without_dimm);
    g_test_add_func("/nvdimm-acpi/nfit/absent-without-dimm-with-caps",
                   test_nfit_absent_without_dimm_with_caps);
    for (guint i = 0; i < G_N_ELEMENTS(nfit_cases); i++) {
        g_autofree char *path = g_strdup_printf("/nvdimm-acpi/nfit/%s",
                                                nfit_cases[i].name);

        g_test_add_data_func(path, &nfit_cases[i], test_nfit);
    }
    g_test_add_func("/nvdimm-acpi/srat", test_srat);
    g_test_add_func("/nvdimm-acpi/ssdt/4-slots", test_ssdt_4_slots);
    g_test_add_func("/nvdimm-acpi/ssdt/16-slots", test_ssdt_16_slots);
    g_test_add_func("/nvdimm-acpi/iasl", test_iasl);

    ret = g_test_run();
    remove_dir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
