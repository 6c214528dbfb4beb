/* SPDX-License-Identifier: GPL-2.0-or-later */
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
/*
 * What QEMU's loader (x86_load_linux) writes into the header, and pmemvm
 * with it, so that the guest finds the same boot_params: type_of_loader
 * 0xB0 (boot.rst's loader id 0xB, QEMU, version 0), CAN_USE_HEAP with
 * heap_end_ptr = its command line address (real-mode base + 0x10000)
 * minus the real-mode base minus 0x200, and vid_mode from "vga=" on the
 * command line (normal, ext, ask or a number), else the file's.
 */
#define BZIMAGE_LOADER_QEMU         0xB0
#define BZIMAGE_QEMU_HEAP_END_PTR   0xFE00
#define BZIMAGE_VID_MODE_NORMAL     0xFFFF
#define BZIMAGE_VID_MODE_EXT        0xFFFE
#define BZIMAGE_VID_MODE_ASK        0xFFFD

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
 * Where an initrd of @size bytes goes: as high as possible below @limit
 * (min(initrd_addr_max + 1, RAM below 4 GiB)), 4 KiB aligned, not below
 * @kernel_end.
 */
bool pc_initrd_place(uint64_t kernel_end, uint64_t limit, uint64_t size,
                     uint64_t *addr, Error **errp);

/* An x86 ELF kernel: a vmlinux, or what a bzImage's payload unpacks to. */
#define ELF_KERNEL_MAX_SEGMENTS     16

typedef struct ElfSegment {
    uint64_t paddr, vaddr, offset, filesz, memsz;
} ElfSegment;

typedef struct ElfKernelInfo {
    bool is64;
    uint64_t e_entry;           /* the ELF header's entry point */
    bool has_pvh_entry;
    uint64_t pvh_entry;         /* XEN_ELFNOTE_PHYS32_ENTRY */
    uint64_t start, end;        /* lowest and highest loaded address */
    uint64_t file_end;          /* end of what the ELF headers describe */
    unsigned nsegs;
    ElfSegment segs[ELF_KERNEL_MAX_SEGMENTS];
} ElfKernelInfo;

/* The file starts with the ELF magic. */
bool elf_kernel_is_elf(const uint8_t *buf, size_t len);
/* Check an x86 ELF image: its headers and PT_LOAD segments. */
bool elf_kernel_parse(const uint8_t *buf, size_t len, ElfKernelInfo *info,
                      Error **errp);
/*
 * Copy the segments of @buf into guest RAM, zero-filled to p_memsz, the
 * lowest one (k->start) at @base and the others at the same distances.
 */
bool elf_kernel_load(const ElfKernelInfo *k, const uint8_t *buf,
                     uint64_t base, Error **errp);

/* elf_kernel_parse() plus the PVH entry note, which must be there. */
bool pvh_elf_parse(const uint8_t *buf, size_t len, ElfKernelInfo *info,
                   Error **errp);
/* Copy the segments to their physical addresses, zero-filled. */
bool pvh_load(const ElfKernelInfo *k, const uint8_t *buf, uint64_t below_4g,
              Error **errp);
/*
 * Host-side unpacking of a bzImage (kernel-unpack.c): the payload
 * decompressed into a new buffer of *@out_len bytes.  NULL without an
 * error for what the guest's decompressor must do (protocol before 2.08,
 * an unknown compression, or bzip2, lzo, lz4); NULL with @errp set when
 * the payload is outside the file or does not decompress.
 */
uint8_t *bzimage_unpack(const uint8_t *image, size_t len,
                        const BzImageInfo *k, size_t *out_len, Error **errp);
/*
 * The same through the cache of unpacked kernels: the directory in
 * $PMEMVM_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/pmemvm
 * (~/.cache/pmemvm), one file per payload.  A cache that cannot be read
 * or written is skipped.
 */
#define KERNEL_CACHE_ENV            "PMEMVM_CACHE_DIR"
GBytes *bzimage_unpack_cached(const uint8_t *image, size_t len,
                              const BzImageInfo *k, Error **errp);
/* "gzip", "xz", "lzma", "zstd", "bzip2", "lzo", "lz4", or NULL. */
const char *bzimage_payload_format(const uint8_t *p, size_t len);

/* The unpacked payload as a kernel to place and relocate (vmlinux.c). */
#define VMLINUX_RELOC_RUNS          3   /* 32-bit, inverse 32-bit, 64-bit */

typedef struct VmlinuxImage {
    ElfKernelInfo elf;
    const uint8_t *buf;         /* the unpacked payload, not owned */
    size_t len;
    uint64_t link_phys;         /* LOAD_PHYSICAL_ADDR (pref_address) */
    uint64_t kernel_map;        /* __START_KERNEL_map: vaddr - paddr */
    uint64_t align;             /* kernel_alignment */
    uint64_t size;              /* room it takes, aligned */
    uint64_t entry_off;         /* 64-bit entry, from the image start */
    bool relocatable;
    bool has_relocs;            /* a relocation table follows the ELF */
    size_t reloc_start[VMLINUX_RELOC_RUNS], reloc_end[VMLINUX_RELOC_RUNS];
} VmlinuxImage;

/*
 * Check the unpacked payload @buf of the bzImage described by @bz: a
 * 64-bit ELF linked at pref_address, its entry, and every entry of its
 * relocation table.
 */
bool vmlinux_parse(const uint8_t *buf, size_t len, const BzImageInfo *bz,
                   VmlinuxImage *v, Error **errp);
/* The command line has the word "nokaslr". */
bool vmlinux_cmdline_has_nokaslr(const char *cmdline);
/* Lowest physical KASLR slot start: min(pref_address, 512 MiB). */
uint64_t vmlinux_kaslr_phys_min(const VmlinuxImage *v);
/*
 * Slot number @rnd modulo the slots of @align for @size bytes in
 * [@lo, @hi) clear of [@avoid_lo, @avoid_hi); 0 when there is none.
 */
uint64_t kaslr_phys_addr(uint64_t lo, uint64_t hi, uint64_t size,
                         uint64_t align, uint64_t avoid_lo,
                         uint64_t avoid_hi, uint64_t rnd);
/* Virtual offset slot @rnd (modulo) from @min inside the 1 GiB mapping. */
uint64_t kaslr_virt_addr(uint64_t min, uint64_t size, uint64_t align,
                         uint64_t rnd);
/*
 * Copy the kernel to guest-physical @phys (aligned) and relocate it for
 * virtual offset @virt (link_phys: none).  The 64-bit entry is then
 * @phys + entry_off.
 */
bool vmlinux_load(const VmlinuxImage *v, uint64_t phys, uint64_t virt,
                  Error **errp);

/* hvm_start_info v1, the module list and the memory map, at
 * LAYOUT_PVH_*; @initrd_size 0: no module. */
bool pvh_write_start_info(const E820Table *e820, uint64_t cmdline_paddr,
                          uint64_t initrd_paddr, uint64_t initrd_size,
                          uint64_t rsdp_paddr, Error **errp);

/* What the files are called in messages (QEMU 7.2's words). */
#define PC_BOOT_KERNEL              "kernel"
#define PC_BOOT_INITRD              "initial ram disk"

/*
 * Open the -kernel or -initrd file @path (@what: PC_BOOT_KERNEL or
 * PC_BOOT_INITRD) for reading: without blocking (a FIFO would stall
 * start-up for ever, as it does QEMU 7.2), only a regular file (not a
 * FIFO, a device, a directory), and at most the guest's RAM below 4 GiB
 * in size, which is all a kernel or an initrd can be loaded into (a
 * 1 TiB sparse file would otherwise be read into a 1 TiB buffer).  The
 * fd and *@size, or -1 with "could not load WHAT 'PATH': WHY".
 */
int pc_boot_open_file(PCMachineState *pcms, const char *what,
                      const char *path, uint64_t *size, Error **errp);
/*
 * pc_boot_open_file() and close: start-up checks -kernel and -initrd this
 * way for every accelerator (the qtest accelerator loads nothing, but a
 * bad file is refused as QEMU refuses it), once the machine knows its RAM
 * (after pc_machine_init()).
 */
bool pc_boot_check_file(PCMachineState *pcms, const char *what,
                        const char *path, Error **errp);

/*
 * Load -kernel/-initrd/-append into guest RAM, write the zero page, GDT
 * and page tables, and set the boot CPU for the kernel's entry
 * (accel_set_boot_cpu_state()).  Without -kernel: an error (there is no
 * firmware).
 */
bool pc_boot_linux(PCMachineState *pcms, Error **errp);

#endif
