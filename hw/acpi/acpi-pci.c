/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI for the PCI host bridge: \_SB.PCI0 in the DSDT and the MCFG table
 * (docs/specs/pci.md).  There is no firmware to assign BARs, so the
 * windows in _CRS are where pmemvm put them, and Linux takes them as
 * they are.
 *
 *   Device (PCI0) {
 *       Name (_HID, EisaId ("PNP0A08"))     // PCI Express root bridge
 *       Name (_CID, EisaId ("PNP0A03"))     // ... a PCI one
 *       Name (_ADR, Zero)  Name (_UID, Zero)  Name (_SEG, Zero)
 *       Name (_BBN, Zero)
 *       Name (_CRS, ResourceTemplate () {
 *           WordBusNumber (0-0), IO (0xCF8, 8)   // its config ports
 *           WordIO, DWordMemory, QWordMemory     // windows for BARs
 *       })
 *       Name (_PRT, Package () {                 // ACPI 6.4 §6.2.13
 *           Package () { 0xSSSSFFFF, PIN, Zero, GSI }, ...
 *       })
 *   }
 */
#include "qemu/osdep.h"
#include "hw/acpi/acpi-build.h"
#include "hw/acpi/aml-build.h"

#define ACPI_MCFG_REVISION      1
#define ACPI_MCFG_RESERVED_LEN  8
#define PCI_CONFIG_PORTS_LEN    8       /* 0xCF8-0xCFF */
#define PCI_SLOTS               32
#define PCI_PINS                4
/* _PRT address: device (slot) in the high word, any function. */
#define ACPI_PRT_ANY_FUNCTION   0xFFFF

static Aml *build_prt(uint32_t gsi_base)
{
    Aml *prt = aml_package();
    unsigned slot, pin;

    for (slot = 0; slot < PCI_SLOTS; slot++) {
        for (pin = 0; pin < PCI_PINS; pin++) {
            Aml *e = aml_package();

            aml_append(e, aml_int((uint64_t)slot << 16 |
                                  ACPI_PRT_ANY_FUNCTION));
            aml_append(e, aml_int(pin));
            aml_append(e, aml_zero());          /* Source: a GSI */
            aml_append(e, aml_int(gsi_base + (slot + pin) % PCI_PINS));
            aml_append(prt, e);
        }
    }
    return prt;
}

Aml *acpi_build_pci0(const AcpiBuildParams *p)
{
    Aml *dev = aml_device("PCI0");
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0A08")));
    aml_append(dev, aml_name_decl("_CID", aml_eisaid("PNP0A03")));
    aml_append(dev, aml_name_decl("_ADR", aml_zero()));
    aml_append(dev, aml_name_decl("_UID", aml_zero()));
    aml_append(dev, aml_name_decl("_SEG", aml_zero()));
    aml_append(dev, aml_name_decl("_BBN", aml_zero()));
    aml_append(crs, aml_word_bus_number(0, 0));
    aml_append(crs, aml_io(p->pci_config_port, p->pci_config_port, 1,
                           PCI_CONFIG_PORTS_LEN));
    aml_append(crs, aml_word_io(p->pci_io_base, p->pci_io_end - 1));
    aml_append(crs, aml_dword_memory(p->pci_mmio32_base,
                                     p->pci_mmio32_end - 1));
    if (p->pci_mmio64_size) {
        aml_append(crs, aml_qword_memory(p->pci_mmio64_base,
                                         p->pci_mmio64_base +
                                         p->pci_mmio64_size - 1));
    }
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(dev, aml_name_decl("_PRT", build_prt(p->pci_gsi_base)));
    return dev;
}

void acpi_build_mcfg(GByteArray *t, const AcpiBuildParams *p)
{
    AcpiTable tbl = { .sig = "MCFG", .rev = ACPI_MCFG_REVISION };

    acpi_table_begin(&tbl, t);
    acpi_push_zeros(t, ACPI_MCFG_RESERVED_LEN);
    /* One Configuration Space Base Address Allocation Structure. */
    acpi_push_le(t, p->pci_ecam_base, 8);
    acpi_push_le(t, 0, 2);                      /* PCI segment group */
    acpi_push_le(t, 0, 1);                      /* start bus */
    acpi_push_le(t, 0, 1);                      /* end bus */
    acpi_push_le(t, 0, 4);                      /* reserved */
    acpi_table_end(&tbl);
}
