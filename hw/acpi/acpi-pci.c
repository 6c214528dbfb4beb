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
 *       // ACPI PCI hotplug (docs/specs/pci-hotplug.md), with \_SB.PHPR:
 *       Method (PCNT) { DVNT (\_SB.PHPR.PCIU, 1); DVNT (\_SB.PHPR.PCID, 3) }
 *       Method (DVNT, 2) { If (Arg0 & (1 << slot)) { Notify (Snn, Arg1) } ... }
 *       Device (S08) {                           // slot 1 (Snn: devfn)
 *           Name (_ADR, 0x00010000)  Name (_SUN, 1)
 *           Method (_EJ0, 1) { \_SB.PHPR.PCEJ (_SUN) }
 *           Method (_OST, 3) { \_SB.PHPR.POST (_SUN, Arg0, Arg1) }
 *       }  ... one per slot 1-31
 *   }
 *   Device (PHPR) {                              // the registers
 *       Name (_HID, EisaId ("PNP0A06"))  _UID, _CRS (the MMIO block)
 *       Mutex (BLCK)  OperationRegion (PCST)  Field { PCIU, PCID, B0EJ,
 *           OSLT, OEVT, OSTS }
 *       Method (PCEJ, 1)  Method (POST, 3)  Method (PSCN)   // under BLCK
 *   }
 */
#include "qemu/osdep.h"
#include "hw/acpi/acpi-build.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/pci-hotplug.h"

#define ACPI_MCFG_REVISION      1
#define ACPI_MCFG_RESERVED_LEN  8
#define PCI_CONFIG_PORTS_LEN    8       /* 0xCF8-0xCFF */
#define PCI_SLOTS               32
#define PCI_PINS                4
/* _PRT address: device (slot) in the high word, any function. */
#define ACPI_PRT_ANY_FUNCTION   0xFFFF
/* _ADR of a PCI device: slot in the high word, function in the low. */
#define ACPI_PCI_ADR_SLOT_SHIFT 16
/* Notify values (ACPI 6.4 §5.6.6, Table 5.166). */
#define ACPI_NOTIFY_DEVICE_CHECK    0x01
#define ACPI_NOTIFY_EJECT_REQUEST   0x03
/* Acquire's timeout that never expires. */
#define ACPI_WAIT_FOREVER       0xFFFF
#define PHPR_PATH               "\\_SB.PHPR"

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

/* Device (Snn): the slot's function 0 (names as QEMU's: S + devfn). */
static Aml *build_slot(unsigned slot)
{
    Aml *dev = aml_device("S%02X", slot << 3);
    Aml *ej0 = aml_method("_EJ0", 1, AML_NOTSERIALIZED);
    Aml *ost = aml_method("_OST", 3, AML_NOTSERIALIZED);

    aml_append(dev, aml_name_decl("_ADR", aml_int((uint64_t)slot <<
                                                  ACPI_PCI_ADR_SLOT_SHIFT)));
    aml_append(dev, aml_name_decl("_SUN", aml_int(slot)));
    aml_append(ej0, aml_call(PHPR_PATH ".PCEJ", 1, aml_name("_SUN")));
    aml_append(dev, ej0);
    aml_append(ost, aml_call(PHPR_PATH ".POST", 3, aml_name("_SUN"),
                             aml_arg(0), aml_arg(1)));
    aml_append(dev, ost);
    return dev;
}

/*
 * PCNT: device check for the slots in PCIU, eject request for those in
 * PCID (each register read once: reading clears it).
 */
static void build_pci_hotplug_methods(Aml *pci0)
{
    Aml *pcnt = aml_method("PCNT", 0, AML_NOTSERIALIZED);
    Aml *dvnt = aml_method("DVNT", 2, AML_NOTSERIALIZED);
    unsigned slot;

    aml_append(pcnt, aml_call("DVNT", 2, aml_name(PHPR_PATH ".PCIU"),
                              aml_int(ACPI_NOTIFY_DEVICE_CHECK)));
    aml_append(pcnt, aml_call("DVNT", 2, aml_name(PHPR_PATH ".PCID"),
                              aml_int(ACPI_NOTIFY_EJECT_REQUEST)));
    aml_append(pci0, pcnt);
    for (slot = PCI_HOTPLUG_FIRST_SLOT; slot < PCI_HOTPLUG_SLOTS; slot++) {
        Aml *ifc = aml_if(aml_and(aml_arg(0), aml_int(1u << slot), NULL));

        aml_append(ifc, aml_notify(aml_name("S%02X", slot << 3),
                                   aml_arg(1)));
        aml_append(dvnt, ifc);
    }
    aml_append(pci0, dvnt);
    for (slot = PCI_HOTPLUG_FIRST_SLOT; slot < PCI_HOTPLUG_SLOTS; slot++) {
        aml_append(pci0, build_slot(slot));
    }
}

Aml *acpi_build_phpr(const AcpiBuildParams *p)
{
    Aml *dev = aml_device("PHPR");
    Aml *crs = aml_resource_template();
    Aml *field, *m;

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0A06")));
    aml_append(dev, aml_name_decl("_UID",
                                  aml_string("PCI Hotplug Controller")));
    aml_append(crs, aml_memory32_fixed(p->pci_hotplug_base,
                                       PCI_HOTPLUG_REGS_SIZE, true));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(dev, aml_mutex("BLCK", 0));
    aml_append(dev, aml_operation_region("PCST", AML_SYSTEM_MEMORY,
                                         aml_int(p->pci_hotplug_base),
                                         aml_int(PCI_HOTPLUG_REGS_SIZE)));
    field = aml_field("PCST", AML_DWORD_ACC, AML_NOLOCK,
                      AML_WRITE_AS_ZEROS);
    G_STATIC_ASSERT(PCI_HOTPLUG_REG_UP == 0 &&
                    PCI_HOTPLUG_REG_DOWN == 4 &&
                    PCI_HOTPLUG_REG_EJECT == 8 &&
                    PCI_HOTPLUG_REG_OST_SLOT == 12 &&
                    PCI_HOTPLUG_REG_OST_EVENT == 16 &&
                    PCI_HOTPLUG_REG_OST_STATUS == 20);
    aml_field_named(field, "PCIU", 32);
    aml_field_named(field, "PCID", 32);
    aml_field_named(field, "B0EJ", 32);
    aml_field_named(field, "OSLT", 32);
    aml_field_named(field, "OEVT", 32);
    aml_field_named(field, "OSTS", 32);
    aml_append(dev, field);

    /* PCEJ (slot): the guest released it. */
    m = aml_method("PCEJ", 1, AML_NOTSERIALIZED);
    aml_append(m, aml_acquire(aml_name("BLCK"), ACPI_WAIT_FOREVER));
    aml_append(m, aml_store(aml_shiftleft(aml_one(), aml_arg(0), NULL),
                            aml_name("B0EJ")));
    aml_append(m, aml_release(aml_name("BLCK")));
    aml_append(m, aml_return(aml_zero()));
    aml_append(dev, m);

    /* POST (slot, source event, status): the slot's _OST. */
    m = aml_method("POST", 3, AML_NOTSERIALIZED);
    aml_append(m, aml_acquire(aml_name("BLCK"), ACPI_WAIT_FOREVER));
    aml_append(m, aml_store(aml_arg(0), aml_name("OSLT")));
    aml_append(m, aml_store(aml_arg(1), aml_name("OEVT")));
    aml_append(m, aml_store(aml_arg(2), aml_name("OSTS")));
    aml_append(m, aml_release(aml_name("BLCK")));
    aml_append(dev, m);

    /* PSCN: the GED's _EVT saw the PCI hotplug event. */
    m = aml_method("PSCN", 0, AML_SERIALIZED);
    aml_append(m, aml_acquire(aml_name("BLCK"), ACPI_WAIT_FOREVER));
    aml_append(m, aml_call("\\_SB.PCI0.PCNT", 0));
    aml_append(m, aml_release(aml_name("BLCK")));
    aml_append(dev, m);
    return dev;
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
    if (p->pci_hotplug_base) {
        build_pci_hotplug_methods(dev);
    }
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
