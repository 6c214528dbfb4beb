/*
 * Direct Linux boot of the pc machine: bzImage loading, the zero page
 * (boot_params) with its e820 map, and the boot CPU's 64-bit entry state;
 * or an ELF vmlinux through its PVH entry (32-bit, hvm_start_info).
 *
 * Linux x86 boot protocol: Documentation/arch/x86/boot.rst (the setup
 * header at file offset 0x1F1, "64-bit Boot Protocol"); the structures
 * are the kernel's own uapi <asm/bootparam.h>.
 */
#ifndef HW_I386_BOOT_H
#define HW_I386_BOOT_H

#include "qemu/osdep.h"
#include <asm/bootparam.h>
#include "qapi/error.h"
#include "hw/i386/pc.h"

/* Setup header (boot.rst "The Real-Mode Kernel Header"). */
#define BZIMAGE_HDR_OFFSET          0x1F1   /* struct setup_header */
#define BZIMAGE_JUMP_OFFSET         0x201   /* byte: header end - 0x202 */
#define BZIMAGE_HDR_END_BASE        0x202
#define BZIMAGE_MAGIC               0x53726448  /* "HdrS" */
#define BZIMAGE_BOOT_FLAG           0xAA55
#define BZIMAGE_SECTOR_SIZE         512
#define BZIMAGE_DEFAULT_SETUP_SECTS 4       /* when setup_sects is 0 */
#define BZIMAGE_MIN_SIZE            1024    /* boot sector + header */
#define BZIMAGE_MIN_VERSION         0x0206  /* cmdline_size, 2.06 */
#define BZIMAGE_VERSION_INIT_SIZE   0x020A  /* init_size, 2.10 */
#define BZIMAGE_VERSION_XLOADFLAGS  0x020C  /* xloadflags, 2.12 */
#define BZIMAGE_VERSION_RSDP        0x020E  /* acpi_rsdp_addr, 2.14 */
#define BZIMAGE_ENTRY64_OFFSET      0x200   /* 64-bit entry from load addr */
#define BZIMAGE_LOADER_UNDEFINED    0xFF    /* type_of_loader: no id */
#define BZIMAGE_VID_MODE_NORMAL     0xFFFF

/* Boot GDT selectors (boot.rst: __BOOT_CS, __BOOT_DS); the 32-bit code
 * segment is the PVH entry's. */
#define BOOT_GDT_CS32               0x08
#define BOOT_GDT_CS                 0x10
#define BOOT_GDT_DS                 0x18
#define BOOT_GDT_TSS                0x20

/* e820 address range types (ACPI 6.4 §15, Table 15.1). */
#define E820_TYPE_RAM               1
#define E820_TYPE_RESERVED          2
#define E820_TYPE_ACPI              3
#define E820_TYPE_NVS               4

typedef struct E820Table {
    unsigned count;
    struct boot_e820_entry entries[E820_MAX_ENTRIES_ZEROPAGE];
} E820Table;

/* Append a range; false when the table is full or @size is 0. */
bool e820_add(E820Table *t, uint64_t addr, uint64_t size, uint32_t type);
/*
 * The pc machine's map: RAM below the EBDA, the reserved low area (EBDA,
 * legacy hole, _DSM page, ACPI tables: found through the RSDP pointer),
 * RAM from 1 MiB to @below_4g and from 4 GiB.  NVDIMMs are not in it:
 * the NFIT describes them.
 */
void pc_e820_build(E820Table *t, uint64_t below_4g, uint64_t above_4g);

/* What the loader needs from a bzImage's setup header. */
typedef struct BzImageInfo {
    struct setup_header hdr;    /* as in the file */
    size_t hdr_len;             /* bytes from 0x1F1 to copy to boot_params */
    uint16_t version;
    size_t setup_size;          /* real-mode part, skipped */
    size_t kernel_size;         /* protected-mode part, loaded */
    uint64_t init_size;         /* memory the kernel needs from its start */
} BzImageInfo;

/* Check and parse the header of the bzImage in @buf. */
bool bzimage_parse(const uint8_t *buf, size_t len, BzImageInfo *info,
                   Error **errp);
/*
 * Where an initrd of @size bytes goes: as high as possible below
 * min(initrd_addr_max + 1, @below_4g), 4 KiB aligned, above the kernel.
 */
bool pc_initrd_place(const BzImageInfo *k, uint64_t below_4g, uint64_t size,
                     uint64_t *addr, Error **errp);

/* An uncompressed ELF kernel booted through its PVH entry (pvh.c). */
#define PVH_MAX_SEGMENTS            16

typedef struct PvhSegment {
    uint64_t paddr, offset, filesz, memsz;
} PvhSegment;

typedef struct PvhImageInfo {
    uint64_t entry;             /* XEN_ELFNOTE_PHYS32_ENTRY */
    uint64_t start, end;        /* lowest and highest loaded address */
    unsigned nsegs;
    PvhSegment segs[PVH_MAX_SEGMENTS];
} PvhImageInfo;

/* The file starts with the ELF magic. */
bool pvh_is_elf(const uint8_t *buf, size_t len);
/* Check an x86 ELF image: its PT_LOAD segments and its PVH entry note. */
bool pvh_elf_parse(const uint8_t *buf, size_t len, PvhImageInfo *info,
                   Error **errp);
/* Copy the segments of @buf to their physical addresses, zero-filled. */
bool pvh_load(const PvhImageInfo *k, const uint8_t *buf, uint64_t below_4g,
              Error **errp);
/* Where the initrd goes: as high as possible below @below_4g, 4 KiB
 * aligned, above the kernel. */
bool pvh_initrd_place(const PvhImageInfo *k, uint64_t below_4g,
                      uint64_t size, uint64_t *addr, Error **errp);
/* hvm_start_info v1, the module list and the memory map, at
 * LAYOUT_PVH_*; @initrd_size 0: no module. */
bool pvh_write_start_info(const E820Table *e820, uint64_t cmdline_paddr,
                          uint64_t initrd_paddr, uint64_t initrd_size,
                          uint64_t rsdp_paddr, Error **errp);

/*
 * Load -kernel/-initrd/-append into guest RAM, write the zero page, GDT
 * and page tables, and (under KVM) set the boot CPU for the 64-bit entry.
 * Without -kernel: an error under KVM (there is no firmware), else nothing.
 */
bool pc_boot_linux(PCMachineState *pcms, Error **errp);
/*
 * A guest reset (reboot, triple fault): the vCPUs, in-kernel irqchip,
 * COM1 and GED go back to power-on state and the kernel is loaded and
 * started again, as firmware would.  Call between vm_stop() and
 * vm_start().
 */
bool pc_reboot(PCMachineState *pcms, Error **errp);

#endif
