/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds every ACPI table of the pc machine into two blobs that the
 * machine copies into guest memory at init: the RSDP (at
 * LAYOUT_ACPI_RSDP) and the tables (at LAYOUT_ACPI_TABLES), with all
 * pointers already set for those addresses and every checksum filled.
 *
 * Tables: RSDP (rev 2) -> XSDT -> FADT (hardware-reduced, rev 6) -> DSDT
 * (with \_SB.PCI0); MADT, SRAT, MCFG, and when NVDIMMs are enabled the
 * NVDIMM SSDT and (if at least one NVDIMM is present) the NFIT.
 */
#ifndef HW_ACPI_ACPI_BUILD_H
#define HW_ACPI_ACPI_BUILD_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/* Header fields as QEMU's pc machine fills them. */
#define ACPI_BUILD_OEM_ID           "BOCHS "
#define ACPI_BUILD_OEM_TABLE_ID     "BXPC    "
#define ACPI_BUILD_CREATOR_ID       "BXPC"
#define ACPI_BUILD_CREATOR_REVISION 1

typedef struct AcpiSratMemEntry {
    uint64_t base;
    uint64_t size;
    uint32_t node;
    uint32_t flags;             /* ACPI 6.4 Table 5.60 */
} AcpiSratMemEntry;

#define ACPI_SRAT_MEM_ENABLED       (1u << 0)
#define ACPI_SRAT_MEM_HOTPLUGGABLE  (1u << 1)
#define ACPI_SRAT_MEM_NON_VOLATILE  (1u << 2)

typedef struct AcpiBuildParams {
    unsigned ncpus;
    uint64_t below_4g_mem_size;
    uint64_t above_4g_mem_size;
    uint64_t device_mem_base;   /* 0 size: no device-memory window */
    uint64_t device_mem_size;
    bool nvdimm_enabled;        /* -machine nvdimm=on */
    uint32_t nvdimm_slots;      /* NVxx children in the SSDT (= slots) */
    uint64_t dsm_page_gpa;      /* MEMA */
    const GByteArray *nfit_body; /* FIT; NULL or empty: no NFIT */
    const AcpiSratMemEntry *nvdimm_srat;    /* one per present NVDIMM */
    unsigned nvdimm_srat_count;
    /* The PCI host bridge (hw/acpi/acpi-pci.c); ends are exclusive. */
    uint64_t pci_ecam_base;
    uint16_t pci_config_port;
    uint16_t pci_io_base;
    uint32_t pci_io_end;
    uint64_t pci_mmio32_base, pci_mmio32_end;
    uint64_t pci_mmio64_base, pci_mmio64_size;  /* size 0: no window */
    uint32_t pci_gsi_base;      /* INTA of slot 0 */
    /* ACPI PCI hotplug registers (hw/acpi/pci-hotplug.c); 0: none */
    uint64_t pci_hotplug_base;
} AcpiBuildParams;

typedef struct AcpiBuildBlobs {
    GByteArray *rsdp;           /* placed at LAYOUT_ACPI_RSDP */
    GByteArray *tables;         /* placed at LAYOUT_ACPI_TABLES */
} AcpiBuildBlobs;

/* Fails only if the tables do not fit below LAYOUT_ACPI_TABLES_END. */
bool acpi_build(const AcpiBuildParams *p, AcpiBuildBlobs *out, Error **errp);
void acpi_build_blobs_free(AcpiBuildBlobs *b);

/*
 * \_SB.PCI0 (with the hotplug slots when @p has PCI hotplug registers),
 * \_SB.PHPR and the MCFG (hw/acpi/acpi-pci.c).
 */
typedef struct Aml Aml;
Aml *acpi_build_pci0(const AcpiBuildParams *p);
Aml *acpi_build_phpr(const AcpiBuildParams *p);
void acpi_build_mcfg(GByteArray *t, const AcpiBuildParams *p);

/* The NVDIMM SSDT (NVDR, NVxx, _DSM, _FIT, _LSI/_LSR/_LSW, MEMA). */
void nvdimm_build_ssdt(GByteArray *table_data, uint32_t nvdimm_slots,
                       uint64_t dsm_page_gpa);
/* The NFIT: header, 4 reserved bytes, then @fit. */
void nvdimm_build_nfit(GByteArray *table_data, const GByteArray *fit);

#endif
