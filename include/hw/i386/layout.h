/*
 * Every guest-physical address and I/O port of the pc machine, in one place.
 *
 *   0x00000000 - 0x0009FBFF   RAM (usable)
 *   0x0009FC00 - 0x0009FFFF   reserved (EBDA)
 *   0x000A0000 - 0x000DEFFF   reserved (legacy VGA/ROM hole, backed by RAM)
 *   0x000DF000 - 0x000DFFFF   NVDIMM _DSM page ("MEMA"), reserved
 *   0x000E0000 - 0x000FFFFF   ACPI: RSDP at the start, then the tables
 *   0x00100000 - below_4g     RAM
 *   PCI hole   - 0xFEBFFFFF   32-bit MMIO (virtio-pci BARs, later)
 *   0xFEC00000                IOAPIC
 *   0xFED00000                Generic Event Device registers
 *   0xFEE00000                LAPIC
 *   4 GiB      - ...          RAM above 4 GiB
 *   device_mem_base - ...     device-memory window (NVDIMMs, virtio-pmem)
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

/* NVDIMM _DSM page: 4 KiB, below 4 GiB, e820-reserved (guest-abi.md §2). */
#define LAYOUT_NVDIMM_DSM_PAGE      0x000DF000ULL
#define LAYOUT_NVDIMM_DSM_PAGE_SIZE 0x1000ULL

/* ACPI: RSDP must lie in 0xE0000-0xFFFFF (ACPI 6.4 §5.2.5.1). */
#define LAYOUT_ACPI_RSDP            0x000E0000ULL
#define LAYOUT_ACPI_RSDP_SIZE       0x100ULL
#define LAYOUT_ACPI_TABLES          0x000E0100ULL
#define LAYOUT_ACPI_TABLES_END      0x00100000ULL   /* exclusive */

/*
 * RAM below 4 GiB.  As QEMU's i440fx pc with gigabyte alignment: all of it
 * when RAM < 3.5 GiB, else 3 GiB below and the rest above 4 GiB.
 */
#define LAYOUT_LOWMEM_SPLIT_THRESHOLD 0xE0000000ULL
#define LAYOUT_LOWMEM_SPLIT           0xC0000000ULL
#define LAYOUT_4G                     0x100000000ULL

/* 32-bit MMIO. */
#define LAYOUT_PCI_HOLE_END         0xFEC00000ULL
#define LAYOUT_IOAPIC_BASE          0xFEC00000ULL
#define LAYOUT_GED_BASE             0xFED00000ULL
#define LAYOUT_GED_SIZE             0x10ULL
#define LAYOUT_LAPIC_BASE           0xFEE00000ULL

/* Device-memory window (guest-abi.md §3). */
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
/* NVDIMM _DSM notification port, 4 bytes (guest-abi.md §2, QEMU's 0x0A18). */
#define LAYOUT_PORT_NVDIMM_DSM      0x0A18
#define LAYOUT_PORT_NVDIMM_DSM_LEN  4

#endif
