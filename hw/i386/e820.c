/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The e820 memory map handed to Linux in the zero page.
 */
#include "qemu/osdep.h"
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"

bool e820_add(E820Table *t, uint64_t addr, uint64_t size, uint32_t type)
{
    struct boot_e820_entry *e;

    if (!size || t->count >= ARRAY_SIZE(t->entries)) {
        return false;
    }
    e = &t->entries[t->count++];
    e->addr = addr;
    e->size = size;
    e->type = type;
    return true;
}

void pc_e820_build(E820Table *t, uint64_t below_4g, uint64_t above_4g)
{
    memset(t, 0, sizeof(*t));
    e820_add(t, 0, MIN(below_4g, LAYOUT_LOW_RESERVED_START), E820_TYPE_RAM);
    /*
     * EBDA, the legacy VGA/ROM hole, the NVDIMM _DSM page
     * (docs/specs/acpi_nvdimm.md: must be reserved) and the ACPI tables, which Linux finds
     * through boot_params.acpi_rsdp_addr or its scan of 0xE0000-0xFFFFF
     * and maps whatever their e820 type.
     */
    e820_add(t, LAYOUT_LOW_RESERVED_START,
             LAYOUT_LOW_RESERVED_END - LAYOUT_LOW_RESERVED_START,
             E820_TYPE_RESERVED);
    if (below_4g > LAYOUT_HIGH_RAM_START) {
        e820_add(t, LAYOUT_HIGH_RAM_START, below_4g - LAYOUT_HIGH_RAM_START,
                 E820_TYPE_RAM);
    }
    /*
     * PCI ECAM: Linux uses the MCFG's region only if the firmware
     * reserved it (arch/x86/pci/mmconfig-shared.c), as QEMU's q35 does.
     */
    e820_add(t, LAYOUT_PCI_ECAM_BASE, LAYOUT_PCI_ECAM_SIZE,
             E820_TYPE_RESERVED);
    /* KVM's identity-map and TSS pages (Intel VMX), as QEMU reserves. */
    e820_add(t, LAYOUT_KVM_IDENTITY_MAP, LAYOUT_KVM_PAGES_SIZE,
             E820_TYPE_RESERVED);
    e820_add(t, LAYOUT_4G, above_4g, E820_TYPE_RAM);
}
