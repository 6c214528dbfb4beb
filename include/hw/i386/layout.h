/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every guest-physical address and I/O port of the pc machine, in one place.
 *
 *   0x00000000 - 0x0009FBFF   RAM (usable)
 *   0x0009FC00 - 0x0009FFFF   reserved (EBDA)
 *   0x000A0000 - 0x000DEFFF   reserved (legacy VGA/ROM hole, backed by RAM)
 *   0x000DF000 - 0x000DFFFF   NVDIMM _DSM page ("MEMA"), reserved
 *   0x000E0000 - 0x000FFFFF   ACPI: RSDP at the start, then the tables
 *   0x00100000 - below_4g     RAM
 *   0xE0000000 - 0xE00FFFFF   PCI ECAM (MCFG), bus 0, e820-reserved
 *   0xE1000000 - 0xFEBFFFFF   PCI 32-bit MMIO window (BARs)
 *   0xFEC00000                IOAPIC
 *   0xFED00000                Generic Event Device registers
 *   0xFED01000                ACPI PCI hotplug registers
 *   0xFEE00000                LAPIC
 *   4 GiB      - ...          RAM above 4 GiB
 *   device_mem_base - ...     device-memory window (NVDIMMs, virtio-pmem)
 *   after it, 1 GiB aligned   PCI 64-bit MMIO window (when phys-bits allow)
 */
#ifndef HW_I386_LAYOUT_H
#define HW_I386_LAYOUT_H

#include "qemu/osdep.h"

#define LAYOUT_PAGE_SIZE            0x1000ULL

/* Low memory, as the e820 map describes it. */
#define LAYOUT_EBDA_START           0x0009FC00ULL
#define LAYOUT_LOW_RESERVED_START   LAYOUT_EBDA_START
#define LAYOUT_LOW_RESERVED_END     0x00100000ULL   /* exclusive */
#define LAYOUT_HIGH_RAM_START       0x00100000ULL

/* NVDIMM _DSM page: 4 KiB, below 4 GiB, e820-reserved
 * (docs/specs/acpi_nvdimm.md). */
#define LAYOUT_NVDIMM_DSM_PAGE      0x000DF000ULL
#define LAYOUT_NVDIMM_DSM_PAGE_SIZE 0x1000ULL

/*
 * The machine's own tables below 1 MiB: the _DSM page, the ACPI area and
 * the reset vector.  In RAM as a rule; with less than 1 MiB of RAM the
 * part above RAM's end is backed on its own (hw/i386/pc.c).
 */
#define LAYOUT_LOW_TABLES_START     LAYOUT_NVDIMM_DSM_PAGE
#define LAYOUT_LOW_TABLES_END       LAYOUT_LOW_RESERVED_END

/* ACPI: RSDP must lie in 0xE0000-0xFFFFF (ACPI 6.4 §5.2.5.1). */
#define LAYOUT_ACPI_RSDP            0x000E0000ULL
#define LAYOUT_ACPI_RSDP_SIZE       0x100ULL
#define LAYOUT_ACPI_TABLES          0x000E0100ULL
#define LAYOUT_ACPI_TABLES_END      0x000FFFF0ULL   /* exclusive; reset vector next */

/*
 * RAM below 4 GiB.  As QEMU's i440fx pc with gigabyte alignment: all of it
 * when RAM < 3.5 GiB, else 3 GiB below and the rest above 4 GiB.
 */
#define LAYOUT_LOWMEM_SPLIT_THRESHOLD 0xE0000000ULL
#define LAYOUT_LOWMEM_SPLIT           0xC0000000ULL
#define LAYOUT_4G                     0x100000000ULL

/*
 * PCI (hw/pci/, docs/specs/pci.md).  ECAM covers bus 0 only (1 MiB: 32
 * slots x 8 functions x 4 KiB); it and the 32-bit window start where RAM
 * below 4 GiB ends at the latest (LAYOUT_LOWMEM_SPLIT_THRESHOLD).
 */
#define LAYOUT_PCI_ECAM_BASE        0xE0000000ULL
#define LAYOUT_PCI_ECAM_SIZE        0x00100000ULL
#define LAYOUT_PCI_MMIO32_BASE      0xE1000000ULL
#define LAYOUT_PCI_MMIO32_END       0xFEC00000ULL   /* exclusive */
#define LAYOUT_PCI_MMIO64_ALIGN     (1ULL << 30)
#define LAYOUT_PCI_MMIO64_SIZE      (32ULL << 30)
/* I/O window for BARs; the ports below it are the machine's own. */
#define LAYOUT_PCI_IO_BASE          0xC000
#define LAYOUT_PCI_IO_END           0x10000         /* exclusive */
/* Configuration mechanism #1 (PCI 3.0 §3.2.2.3.2). */
#define LAYOUT_PORT_PCI_CONFIG_ADDR 0xCF8
#define LAYOUT_PORT_PCI_CONFIG_DATA 0xCFC
/* INTA..INTD of slot 0 (swizzled by slot): GSIs 16-19, level. */
#define LAYOUT_GSI_PCI_INTX         16

/* 32-bit MMIO. */
#define LAYOUT_IOAPIC_BASE          0xFEC00000ULL
#define LAYOUT_GED_BASE             0xFED00000ULL
#define LAYOUT_GED_SIZE             0x10ULL
/* ACPI PCI hotplug registers, \_SB.PHPR (docs/specs/pci-hotplug.md). */
#define LAYOUT_PCI_HOTPLUG_BASE     0xFED01000ULL
#define LAYOUT_PCI_HOTPLUG_SIZE     0x18ULL
#define LAYOUT_LAPIC_BASE           0xFEE00000ULL

/* Device-memory window (docs/specs/acpi_nvdimm.md). */
#define LAYOUT_DEVICE_MEM_ALIGN     (1ULL << 30)
#define LAYOUT_DEVICE_MEM_PER_SLOT  (1ULL << 30)

/* I/O ports. */
#define LAYOUT_PORT_COM1            0x3F8
#define LAYOUT_IRQ_COM1             4
/* ACPI hardware-reduced sleep control/status and reset (FADT, ACPI 6.4 §4.8.3.7). */
#define LAYOUT_PORT_ACPI_SLEEP_CTL  0x3C0
#define LAYOUT_PORT_ACPI_SLEEP_STS  0x3C1
#define LAYOUT_PORT_ACPI_RESET      0x3C2
#define LAYOUT_ACPI_RESET_VALUE     0x1
/* SCI / GED interrupt (GSI). */
#define LAYOUT_IRQ_SCI              9
/* GSIs: the in-kernel IOAPIC's 24 inputs (ISA IRQs 0-15 among them). */
#define LAYOUT_GSI_COUNT            24
/* NVDIMM _DSM notification port, 4 bytes (QEMU's 0x0A18;
 * docs/specs/acpi_nvdimm.md). */
#define LAYOUT_PORT_NVDIMM_DSM      0x0A18
#define LAYOUT_PORT_NVDIMM_DSM_LEN  4

/*
 * ---- Direct kernel boot and KVM (hw/i386/boot.c, accel/kvm/) ----
 * Linux x86 boot protocol (Documentation/arch/x86/boot.rst): the 64-bit
 * entry needs a zero page, a command line, a GDT with __BOOT_CS/__BOOT_DS
 * and identity page tables; all live in usable low RAM below the EBDA and
 * are dead once the kernel has copied its boot data.
 */
#define LAYOUT_BOOT_GDT             0x00000500ULL   /* 6 descriptors, 48 B */
#define LAYOUT_BOOT_GDT_SIZE        0x30ULL
#define LAYOUT_BOOT_IDT             0x00000540ULL   /* one empty gate */
#define LAYOUT_BOOT_IDT_SIZE        0x8ULL
#define LAYOUT_BOOT_PARAMS          0x00007000ULL   /* zero page, 4 KiB */
/* PVH boot (ELF -kernel) uses the zero page's place instead. */
#define LAYOUT_PVH_START_INFO       0x00007000ULL   /* struct hvm_start_info */
#define LAYOUT_PVH_MODLIST          0x00007040ULL   /* the initrd, module 0 */
#define LAYOUT_PVH_MEMMAP           0x00007080ULL   /* e820 map, 24 B each */
#define LAYOUT_BOOT_STACK_TOP       0x00008FF0ULL   /* RSP/RBP at entry */
#define LAYOUT_BOOT_PML4            0x00009000ULL
#define LAYOUT_BOOT_PDPT            0x0000A000ULL
#define LAYOUT_BOOT_PD              0x0000B000ULL   /* LAYOUT_BOOT_PD_COUNT pages */
#define LAYOUT_BOOT_PD_COUNT        4               /* 2 MiB pages, 0-4 GiB */
#define LAYOUT_BOOT_CMDLINE         0x00020000ULL
#define LAYOUT_BOOT_CMDLINE_MAX     0x00010000ULL   /* incl. the NUL */
#define LAYOUT_KERNEL_LOAD          LAYOUT_HIGH_RAM_START /* bzImage 32/64-bit part */
#define LAYOUT_INITRD_ALIGN         LAYOUT_PAGE_SIZE
/* Intel VMX needs these two (KVM_SET_IDENTITY_MAP_ADDR, KVM_SET_TSS_ADDR):
 * 1 + 3 pages below the IOAPIC window's end, where QEMU puts them. */
#define LAYOUT_KVM_IDENTITY_MAP     0xFEFFC000ULL
#define LAYOUT_KVM_TSS              0xFEFFD000ULL
#define LAYOUT_KVM_PAGES_SIZE       0x4000ULL       /* both, e820-reserved */
/*
 * The real-mode reset vector F000:FFF0, where Linux jumps when it reboots
 * "through the BIOS" (its choice on hardware-reduced ACPI machines, after
 * EFI): boot.c puts a stub there that writes the ACPI reset register.
 */
#define LAYOUT_RESET_VECTOR         0x000FFFF0ULL
#define LAYOUT_RESET_VECTOR_SIZE    0x10ULL
/* Legacy reset paths Linux tries (arch/x86/kernel/reboot.c). */
#define LAYOUT_PORT_KBD_CTRL        0x64    /* i8042 command/status */
#define LAYOUT_PORT_RESET_CTRL      0xCF9   /* PIIX/ICH reset control */
/* ---- end of boot/KVM block ---- */

#endif
