/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ACPI tables of the pc machine: hardware-reduced ACPI, written by the
 * VMM straight into guest memory (no firmware, no table loader).
 *
 *   RSDP (LAYOUT_ACPI_RSDP) -> XSDT -> FADT -> DSDT
 *                                   -> MADT, SRAT, [NVDIMM SSDT], [NFIT]
 *
 * The tables are laid out one after another from LAYOUT_ACPI_TABLES, each
 * 8-byte aligned, with every pointer computed for that address.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/acpi/acpi-build.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/ged.h"
#include "hw/i386/layout.h"

#define ACPI_TABLE_ALIGN                8

/* RSDP, ACPI 6.4 §5.2.5.3 (Table 5.3). */
#define ACPI_RSDP_SIGNATURE             "RSD PTR "
#define ACPI_RSDP_REVISION              2
#define ACPI_RSDP_CHECKSUM_OFFSET       8
#define ACPI_RSDP_V1_LEN                20  /* covered by Checksum */
#define ACPI_RSDP_EXT_CHECKSUM_OFFSET   32
#define ACPI_RSDP_LEN                   36  /* covered by Extended Checksum */
#define ACPI_RSDP_RESERVED_LEN          3

/* Table revisions: XSDT §5.2.8; DSDT §5.2.11.1 (2: 64-bit integers); the
 * MADT and SRAT revisions QEMU 7.2 uses. */
#define ACPI_XSDT_REVISION              1
#define ACPI_DSDT_REVISION              2
#define ACPI_MADT_REVISION              1
#define ACPI_SRAT_REVISION              1

/* FADT, ACPI 6.4 §5.2.9 (Table 5.9); flags Table 5.10 and §5.2.9.3. */
#define ACPI_FADT_REVISION              6
#define ACPI_FADT_MINOR_VERSION         4   /* ACPI 6.4 */
#define ACPI_FADT_LEN                   276
#define ACPI_FADT_PM_BLOCKS             8   /* PM1a_EVT_BLK..GPE1_BLK */
#define ACPI_FADT_PM_LENGTHS            8   /* PM1_EVT_LEN..CST_CNT */
#define ACPI_FADT_X_PM_BLOCKS           8   /* X_PM1a_EVT_BLK..X_GPE1_BLK */
#define ACPI_FADT_C2_NOT_SUPPORTED      0x0FFF  /* P_LVL2_LAT > 100 */
#define ACPI_FADT_C3_NOT_SUPPORTED      0x0FFF  /* P_LVL3_LAT > 1000 */
#define ACPI_FADT_F_RESET_REG_SUP       (1u << 10)
#define ACPI_FADT_F_HW_REDUCED_ACPI     (1u << 20)
#define ACPI_IAPC_BOOT_VGA_NOT_PRESENT  (1u << 2)
#define ACPI_IAPC_BOOT_CMOS_RTC_NOT_PRESENT (1u << 5)
#define ACPI_SLEEP_REG_BITS             8

/* \_S5 (ACPI 6.4 §7.4.2): SLP_TYP written to the sleep control register. */
#define ACPI_SLP_TYP_S5                 5

/* MADT, ACPI 6.4 §5.2.12. */
#define ACPI_MADT_PCAT_COMPAT           (1u << 0)   /* as QEMU */
#define ACPI_MADT_LAPIC                 0   /* §5.2.12.2, 8 bytes */
#define ACPI_MADT_LAPIC_LEN             8
#define ACPI_MADT_IOAPIC                1   /* §5.2.12.3, 12 bytes */
#define ACPI_MADT_IOAPIC_LEN            12
#define ACPI_MADT_ISO                   2   /* §5.2.12.5, 10 bytes */
#define ACPI_MADT_ISO_LEN               10
#define ACPI_MADT_LAPIC_NMI             4   /* §5.2.12.7, 6 bytes */
#define ACPI_MADT_LAPIC_NMI_LEN         6
#define ACPI_MADT_X2APIC                9   /* §5.2.12.12, 16 bytes */
#define ACPI_MADT_X2APIC_LEN            16
#define ACPI_MADT_X2APIC_NMI            10  /* §5.2.12.13, 12 bytes */
#define ACPI_MADT_X2APIC_NMI_LEN        12
#define ACPI_MADT_ENABLED               1
#define ACPI_MADT_ALL_PROCESSORS        0xFF
#define ACPI_MADT_ALL_X2_PROCESSORS     0xFFFFFFFFu
#define ACPI_MADT_NMI_LINT              1
#define ACPI_MADT_ISA_BUS               0
/* Largest xAPIC id; 0xFF is the broadcast id, so higher CPUs use x2APIC. */
#define ACPI_XAPIC_ID_MAX               0xFE
/* QEMU's IOAPIC id (the in-kernel IOAPIC also resets its id to 0). */
#define ACPI_IOAPIC_ID                  0
#define ACPI_IOAPIC_GSI_BASE            0
/* Interrupt source overrides as QEMU's pc: IRQ0 -> GSI2, SCI level/high. */
#define ACPI_ISA_IRQ_TIMER              0
#define ACPI_GSI_TIMER                  2
#define ACPI_MPS_INTI_CONFORMS          0x0000
#define ACPI_MPS_INTI_ACTIVE_HIGH       0x0001
#define ACPI_MPS_INTI_LEVEL             (0x3 << 2)

/* SRAT, ACPI 6.4 §5.2.16. */
#define ACPI_SRAT_RESERVED1             1   /* "must be 1" */
#define ACPI_SRAT_RESERVED2_LEN         8
#define ACPI_SRAT_CPU_APIC              0   /* §5.2.16.1, 16 bytes */
#define ACPI_SRAT_CPU_APIC_LEN          16
#define ACPI_SRAT_MEMORY                1   /* §5.2.16.2, 40 bytes */
#define ACPI_SRAT_MEMORY_LEN            40
#define ACPI_SRAT_CPU_X2APIC            2   /* §5.2.16.3, 24 bytes */
#define ACPI_SRAT_CPU_X2APIC_LEN        24
#define ACPI_SRAT_CPU_ENABLED           1
#define ACPI_SRAT_NODE                  0   /* RAM and CPUs: one node */

/* DSDT devices. */
#define ACPI_COM1_IO_LEN                8   /* 8250 registers */
#define ACPI_COM1_UID                   1
/*
 * Generic Event Device (ACPI 6.4 §5.6.9, hw/acpi/ged.c): its event
 * selector register at LAYOUT_GED_BASE; reading it returns (and clears)
 * the GED_EVENT_* bits pending.  The interrupt is the SCI: level, active
 * high, as the MADT's override says (Linux refuses a GSI whose trigger
 * differs from the one already set up for it).
 */
#define ACPI_GED_EVT_SEL_OFFSET         0
#define ACPI_GED_EVT_SEL_LEN            4
/* Notify values: power button pressed; NFIT update (ACPI 6.4 §5.6.6). */
#define ACPI_NOTIFY_BUTTON_PRESSED      0x80
#define ACPI_NOTIFY_NFIT_UPDATE         0x80

#define ACPI_XSDT_MAX_ENTRIES           8

/* Pad @t so the next table starts aligned; return its guest address. */
static uint64_t next_table(GByteArray *t)
{
    while ((LAYOUT_ACPI_TABLES + t->len) % ACPI_TABLE_ALIGN) {
        acpi_push_zeros(t, 1);
    }
    return LAYOUT_ACPI_TABLES + t->len;
}

static Aml *build_com1(void)
{
    Aml *dev = aml_device("COM1");
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0501")));
    aml_append(dev, aml_name_decl("_UID", aml_int(ACPI_COM1_UID)));
    aml_append(crs, aml_io(LAYOUT_PORT_COM1, LAYOUT_PORT_COM1, 0,
                           ACPI_COM1_IO_LEN));
    aml_append(crs, aml_irq_no_flags(LAYOUT_IRQ_COM1));
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

static Aml *build_pwrb(void)
{
    Aml *dev = aml_device("PWRB");

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0C0C")));
    aml_append(dev, aml_name_decl("_UID", aml_zero()));
    return dev;
}

/* If ((Local0 & @bit) == @bit) { Notify (@target, @value) } */
static Aml *ged_event(uint32_t bit, const char *target, uint8_t value)
{
    Aml *ifc = aml_if(aml_lequal(aml_and(aml_local(0), aml_int(bit), NULL),
                                 aml_int(bit)));

    aml_append(ifc, aml_notify(aml_name("%s", target), aml_int(value)));
    return ifc;
}

static Aml *build_ged(bool nvdimm, bool pci_hotplug)
{
    const uint32_t irq = LAYOUT_IRQ_SCI;
    Aml *dev = aml_device("GED");
    Aml *crs = aml_resource_template();
    Aml *field, *evt;

    aml_append(dev, aml_name_decl("_HID", aml_string("ACPI0013")));
    aml_append(dev, aml_name_decl("_UID", aml_zero()));
    aml_append(crs, aml_interrupt(AML_LEVEL, AML_ACTIVE_HIGH, AML_EXCLUSIVE,
                                  &irq, 1));
    aml_append(dev, aml_name_decl("_CRS", crs));

    aml_append(dev, aml_operation_region("EREG", AML_SYSTEM_MEMORY,
                    aml_int(LAYOUT_GED_BASE + ACPI_GED_EVT_SEL_OFFSET),
                    aml_int(ACPI_GED_EVT_SEL_LEN)));
    field = aml_field("EREG", AML_DWORD_ACC, AML_NOLOCK, AML_WRITE_AS_ZEROS);
    aml_field_named(field, "ESEL", ACPI_GED_EVT_SEL_LEN * 8);
    aml_append(dev, field);

    evt = aml_method("_EVT", 1, AML_SERIALIZED);
    aml_append(evt, aml_store(aml_name("ESEL"), aml_local(0)));
    aml_append(evt, ged_event(GED_EVENT_POWER_DOWN, "\\_SB.PWRB",
                              ACPI_NOTIFY_BUTTON_PRESSED));
    if (nvdimm) {
        aml_append(evt, ged_event(GED_EVENT_NVDIMM_HOTPLUG, "\\_SB.NVDR",
                                  ACPI_NOTIFY_NFIT_UPDATE));
    }
    if (pci_hotplug) {
        Aml *ifc = aml_if(aml_lequal(aml_and(aml_local(0),
                                             aml_int(GED_EVENT_PCI_HOTPLUG),
                                             NULL),
                                     aml_int(GED_EVENT_PCI_HOTPLUG)));

        aml_append(ifc, aml_call("\\_SB.PHPR.PSCN", 0));
        aml_append(evt, ifc);
    }
    aml_append(dev, evt);
    return dev;
}

static void build_dsdt(GByteArray *t, bool nvdimm, const AcpiBuildParams *p)
{
    AcpiTable tbl = { .sig = "DSDT", .rev = ACPI_DSDT_REVISION };
    Aml *s5 = aml_package();
    Aml *sb;

    acpi_table_begin(&tbl, t);
    /* SLP_TYPa, SLP_TYPb, two reserved. */
    aml_append(s5, aml_int(ACPI_SLP_TYP_S5));
    aml_append(s5, aml_zero());
    aml_append(s5, aml_zero());
    aml_append(s5, aml_zero());
    aml_encode(t, aml_name_decl("_S5", s5));

    sb = aml_scope("\\_SB");
    aml_append(sb, build_com1());
    aml_append(sb, build_pwrb());
    aml_append(sb, build_ged(nvdimm, p->pci_hotplug_base != 0));
    aml_append(sb, acpi_build_pci0(p));
    if (p->pci_hotplug_base) {
        aml_append(sb, acpi_build_phpr(p));
    }
    aml_encode(t, sb);
    acpi_table_end(&tbl);
}

static void push_io_reg(GByteArray *t, uint16_t port)
{
    acpi_push_gas(t, ACPI_GAS_SYSTEM_IO, ACPI_SLEEP_REG_BITS, 0,
                  ACPI_GAS_ACCESS_BYTE, port);
}

static void build_fadt(GByteArray *t, uint64_t dsdt)
{
    AcpiTable tbl = { .sig = "FACP", .rev = ACPI_FADT_REVISION };
    guint start = t->len;

    acpi_table_begin(&tbl, t);
    acpi_push_le(t, 0, 4);                  /* FIRMWARE_CTRL: no FACS */
    acpi_push_le(t, 0, 4);                  /* DSDT: X_DSDT is used */
    acpi_push_le(t, 0, 1);                  /* reserved */
    acpi_push_le(t, 0, 1);                  /* Preferred_PM_Profile */
    acpi_push_le(t, LAYOUT_IRQ_SCI, 2);     /* SCI_INT */
    acpi_push_le(t, 0, 4);                  /* SMI_CMD: none */
    acpi_push_zeros(t, 4);      /* ACPI_ENABLE, _DISABLE, S4BIOS, PSTATE */
    acpi_push_zeros(t, 4 * ACPI_FADT_PM_BLOCKS);   /* no legacy blocks */
    acpi_push_zeros(t, ACPI_FADT_PM_LENGTHS);
    acpi_push_le(t, ACPI_FADT_C2_NOT_SUPPORTED, 2);    /* P_LVL2_LAT */
    acpi_push_le(t, ACPI_FADT_C3_NOT_SUPPORTED, 2);    /* P_LVL3_LAT */
    acpi_push_zeros(t, 4);      /* FLUSH_SIZE, FLUSH_STRIDE */
    acpi_push_zeros(t, 5);      /* DUTY_*, DAY_ALRM, MON_ALRM, CENTURY */
    acpi_push_le(t, ACPI_IAPC_BOOT_VGA_NOT_PRESENT |
                    ACPI_IAPC_BOOT_CMOS_RTC_NOT_PRESENT, 2);
    acpi_push_le(t, 0, 1);                  /* reserved */
    acpi_push_le(t, ACPI_FADT_F_HW_REDUCED_ACPI | ACPI_FADT_F_RESET_REG_SUP,
                 4);
    push_io_reg(t, LAYOUT_PORT_ACPI_RESET); /* RESET_REG */
    acpi_push_le(t, LAYOUT_ACPI_RESET_VALUE, 1);
    acpi_push_le(t, 0, 2);                  /* ARM_BOOT_ARCH */
    acpi_push_le(t, ACPI_FADT_MINOR_VERSION, 1);
    acpi_push_le(t, 0, 8);                  /* X_FIRMWARE_CTRL */
    acpi_push_le(t, dsdt, 8);               /* X_DSDT */
    acpi_push_zeros(t, ACPI_GAS_SIZE * ACPI_FADT_X_PM_BLOCKS);
    push_io_reg(t, LAYOUT_PORT_ACPI_SLEEP_CTL);    /* SLEEP_CONTROL_REG */
    push_io_reg(t, LAYOUT_PORT_ACPI_SLEEP_STS);    /* SLEEP_STATUS_REG */
    acpi_push_le(t, 0, 8);                  /* Hypervisor Vendor Identity */
    g_assert(t->len - start == ACPI_FADT_LEN);
    acpi_table_end(&tbl);
}

static void push_iso(GByteArray *t, uint8_t irq, uint32_t gsi, uint16_t flags)
{
    acpi_push_le(t, ACPI_MADT_ISO, 1);
    acpi_push_le(t, ACPI_MADT_ISO_LEN, 1);
    acpi_push_le(t, ACPI_MADT_ISA_BUS, 1);
    acpi_push_le(t, irq, 1);
    acpi_push_le(t, gsi, 4);
    acpi_push_le(t, flags, 2);
}

/* vCPU i has APIC id i. */
static void build_madt(GByteArray *t, const AcpiBuildParams *p)
{
    AcpiTable tbl = { .sig = "APIC", .rev = ACPI_MADT_REVISION };
    unsigned i;

    acpi_table_begin(&tbl, t);
    acpi_push_le(t, LAYOUT_LAPIC_BASE, 4);
    acpi_push_le(t, ACPI_MADT_PCAT_COMPAT, 4);
    for (i = 0; i < p->ncpus; i++) {
        if (i <= ACPI_XAPIC_ID_MAX) {
            acpi_push_le(t, ACPI_MADT_LAPIC, 1);
            acpi_push_le(t, ACPI_MADT_LAPIC_LEN, 1);
            acpi_push_le(t, i, 1);          /* ACPI Processor UID */
            acpi_push_le(t, i, 1);          /* APIC ID */
            acpi_push_le(t, ACPI_MADT_ENABLED, 4);
        } else {
            acpi_push_le(t, ACPI_MADT_X2APIC, 1);
            acpi_push_le(t, ACPI_MADT_X2APIC_LEN, 1);
            acpi_push_le(t, 0, 2);          /* reserved */
            acpi_push_le(t, i, 4);          /* x2APIC ID */
            acpi_push_le(t, ACPI_MADT_ENABLED, 4);
            acpi_push_le(t, i, 4);          /* ACPI Processor UID */
        }
    }

    acpi_push_le(t, ACPI_MADT_IOAPIC, 1);
    acpi_push_le(t, ACPI_MADT_IOAPIC_LEN, 1);
    acpi_push_le(t, ACPI_IOAPIC_ID, 1);
    acpi_push_le(t, 0, 1);                  /* reserved */
    acpi_push_le(t, LAYOUT_IOAPIC_BASE, 4);
    acpi_push_le(t, ACPI_IOAPIC_GSI_BASE, 4);

    push_iso(t, ACPI_ISA_IRQ_TIMER, ACPI_GSI_TIMER, ACPI_MPS_INTI_CONFORMS);
    push_iso(t, LAYOUT_IRQ_SCI, LAYOUT_IRQ_SCI,
             ACPI_MPS_INTI_ACTIVE_HIGH | ACPI_MPS_INTI_LEVEL);

    /* LINT1 is NMI on every processor. */
    acpi_push_le(t, ACPI_MADT_LAPIC_NMI, 1);
    acpi_push_le(t, ACPI_MADT_LAPIC_NMI_LEN, 1);
    acpi_push_le(t, ACPI_MADT_ALL_PROCESSORS, 1);
    acpi_push_le(t, ACPI_MPS_INTI_CONFORMS, 2);
    acpi_push_le(t, ACPI_MADT_NMI_LINT, 1);
    if (p->ncpus > ACPI_XAPIC_ID_MAX + 1) {
        acpi_push_le(t, ACPI_MADT_X2APIC_NMI, 1);
        acpi_push_le(t, ACPI_MADT_X2APIC_NMI_LEN, 1);
        acpi_push_le(t, ACPI_MPS_INTI_CONFORMS, 2);
        acpi_push_le(t, ACPI_MADT_ALL_X2_PROCESSORS, 4);
        acpi_push_le(t, ACPI_MADT_NMI_LINT, 1);
        acpi_push_zeros(t, 3);              /* reserved */
    }
    acpi_table_end(&tbl);
}

static void push_srat_memory(GByteArray *t, uint64_t base, uint64_t size,
                             uint32_t node, uint32_t flags)
{
    acpi_push_le(t, ACPI_SRAT_MEMORY, 1);
    acpi_push_le(t, ACPI_SRAT_MEMORY_LEN, 1);
    acpi_push_le(t, node, 4);               /* Proximity Domain */
    acpi_push_le(t, 0, 2);                  /* reserved */
    acpi_push_le(t, base, 8);               /* Base Address Low, High */
    acpi_push_le(t, size, 8);               /* Length Low, High */
    acpi_push_le(t, 0, 4);                  /* reserved */
    acpi_push_le(t, flags, 4);
    acpi_push_le(t, 0, 8);                  /* reserved */
}

static void build_srat(GByteArray *t, const AcpiBuildParams *p)
{
    AcpiTable tbl = { .sig = "SRAT", .rev = ACPI_SRAT_REVISION };
    unsigned i;

    acpi_table_begin(&tbl, t);
    acpi_push_le(t, ACPI_SRAT_RESERVED1, 4);
    acpi_push_zeros(t, ACPI_SRAT_RESERVED2_LEN);

    for (i = 0; i < p->ncpus; i++) {
        if (i <= ACPI_XAPIC_ID_MAX) {
            acpi_push_le(t, ACPI_SRAT_CPU_APIC, 1);
            acpi_push_le(t, ACPI_SRAT_CPU_APIC_LEN, 1);
            acpi_push_le(t, ACPI_SRAT_NODE & 0xFF, 1);  /* domain [7:0] */
            acpi_push_le(t, i, 1);                      /* APIC ID */
            acpi_push_le(t, ACPI_SRAT_CPU_ENABLED, 4);
            acpi_push_le(t, 0, 1);                      /* SAPIC EID */
            acpi_push_le(t, ACPI_SRAT_NODE >> 8, 3);    /* domain [31:8] */
            acpi_push_le(t, 0, 4);                      /* clock domain */
        } else {
            acpi_push_le(t, ACPI_SRAT_CPU_X2APIC, 1);
            acpi_push_le(t, ACPI_SRAT_CPU_X2APIC_LEN, 1);
            acpi_push_le(t, 0, 2);                      /* reserved */
            acpi_push_le(t, ACPI_SRAT_NODE, 4);
            acpi_push_le(t, i, 4);                      /* x2APIC ID */
            acpi_push_le(t, ACPI_SRAT_CPU_ENABLED, 4);
            acpi_push_le(t, 0, 4);                      /* clock domain */
            acpi_push_le(t, 0, 4);                      /* reserved */
        }
    }

    /* RAM, then each NVDIMM, then the hotpluggable window, as QEMU. */
    if (p->below_4g_mem_size) {
        push_srat_memory(t, 0, p->below_4g_mem_size, ACPI_SRAT_NODE,
                         ACPI_SRAT_MEM_ENABLED);
    }
    if (p->above_4g_mem_size) {
        push_srat_memory(t, LAYOUT_4G, p->above_4g_mem_size, ACPI_SRAT_NODE,
                         ACPI_SRAT_MEM_ENABLED);
    }
    for (i = 0; i < p->nvdimm_srat_count; i++) {
        const AcpiSratMemEntry *e = &p->nvdimm_srat[i];

        push_srat_memory(t, e->base, e->size, e->node, e->flags);
    }
    if (p->device_mem_size) {
        push_srat_memory(t, p->device_mem_base, p->device_mem_size,
                         ACPI_SRAT_NODE,
                         ACPI_SRAT_MEM_HOTPLUGGABLE | ACPI_SRAT_MEM_ENABLED);
    }
    acpi_table_end(&tbl);
}

static void build_xsdt(GByteArray *t, const uint64_t *entries, unsigned n)
{
    AcpiTable tbl = { .sig = "XSDT", .rev = ACPI_XSDT_REVISION };
    unsigned i;

    acpi_table_begin(&tbl, t);
    for (i = 0; i < n; i++) {
        acpi_push_le(t, entries[i], 8);
    }
    acpi_table_end(&tbl);
}

static GByteArray *build_rsdp(uint64_t xsdt)
{
    GByteArray *r = g_byte_array_new();

    acpi_push_padded_str(r, ACPI_RSDP_SIGNATURE, 8, '\0');
    acpi_push_le(r, 0, 1);                  /* Checksum */
    acpi_push_padded_str(r, ACPI_BUILD_OEM_ID, 6, '\0');
    acpi_push_le(r, ACPI_RSDP_REVISION, 1);
    acpi_push_le(r, 0, 4);                  /* RsdtAddress: no RSDT */
    acpi_push_le(r, ACPI_RSDP_LEN, 4);
    acpi_push_le(r, xsdt, 8);
    acpi_push_le(r, 0, 1);                  /* Extended Checksum */
    acpi_push_zeros(r, ACPI_RSDP_RESERVED_LEN);
    g_assert(r->len == ACPI_RSDP_LEN && r->len <= LAYOUT_ACPI_RSDP_SIZE);

    r->data[ACPI_RSDP_CHECKSUM_OFFSET] = acpi_checksum(r->data,
                                                       ACPI_RSDP_V1_LEN);
    r->data[ACPI_RSDP_EXT_CHECKSUM_OFFSET] = acpi_checksum(r->data,
                                                           ACPI_RSDP_LEN);
    return r;
}

bool acpi_build(const AcpiBuildParams *p, AcpiBuildBlobs *out, Error **errp)
{
    GByteArray *t = g_byte_array_new();
    uint64_t entries[ACPI_XSDT_MAX_ENTRIES];
    uint64_t dsdt, xsdt, avail;
    unsigned n = 0;
    /* As QEMU: no NVDIMM SSDT when no slot could hold one. */
    bool nvdimm = p->nvdimm_enabled && p->nvdimm_slots > 0;

    out->rsdp = NULL;
    out->tables = NULL;

    dsdt = next_table(t);
    build_dsdt(t, nvdimm, p);
    entries[n++] = next_table(t);
    build_fadt(t, dsdt);
    entries[n++] = next_table(t);
    build_madt(t, p);
    entries[n++] = next_table(t);
    build_srat(t, p);
    entries[n++] = next_table(t);
    acpi_build_mcfg(t, p);
    if (nvdimm) {
        entries[n++] = next_table(t);
        nvdimm_build_ssdt(t, p->nvdimm_slots, p->dsm_page_gpa);
    }
    if (p->nfit_body && p->nfit_body->len) {
        entries[n++] = next_table(t);
        nvdimm_build_nfit(t, p->nfit_body);
    }
    g_assert(n <= ACPI_XSDT_MAX_ENTRIES);
    xsdt = next_table(t);
    build_xsdt(t, entries, n);

    avail = LAYOUT_ACPI_TABLES_END - LAYOUT_ACPI_TABLES;
    if (t->len > avail) {
        error_setg(errp, "ACPI tables need %u bytes but only %" PRIu64
                   " fit at 0x%" PRIx64 "; reduce -m slots=%" PRIu32
                   " or the number of NVDIMMs", t->len, avail,
                   (uint64_t)LAYOUT_ACPI_TABLES, p->nvdimm_slots);
        g_byte_array_unref(t);
        return false;
    }
    out->tables = t;
    out->rsdp = build_rsdp(xsdt);
    return true;
}

void acpi_build_blobs_free(AcpiBuildBlobs *b)
{
    if (b->rsdp) {
        g_byte_array_unref(b->rsdp);
        b->rsdp = NULL;
    }
    if (b->tables) {
        g_byte_array_unref(b->tables);
        b->tables = NULL;
    }
}
