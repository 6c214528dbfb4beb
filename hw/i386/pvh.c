/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct boot of an uncompressed ELF kernel through its PVH entry point,
 * as QEMU does for an ELF -kernel: the image's PT_LOAD segments go to
 * their physical addresses, and the boot CPU starts in 32-bit protected
 * mode without paging at the address of the "Xen" ELF note
 * XEN_ELFNOTE_PHYS32_ENTRY, with EBX pointing to a struct hvm_start_info
 * (version 1: command line, initrd as module 0, RSDP and the e820 map).
 *
 * Facts from Xen's public header arch-x86/hvm/start_info.h and its PVH
 * boot ABI (docs/misc/pvh.pandoc); Linux reads them in
 * arch/x86/platform/pvh/enlighten.c.  No decompressor runs in the guest,
 * so a vmlinux boots seconds sooner than its bzImage.
 */
#include "qemu/osdep.h"
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"

/*
 * struct hvm_start_info (version 1), struct hvm_modlist_entry and struct
 * hvm_memmap_table_entry; little endian, 64-bit addresses.
 */
#define PVH_START_MAGIC             0x336EC578
#define PVH_START_VERSION           1

typedef struct QEMU_PACKED PvhStartInfo {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
} PvhStartInfo;

typedef struct QEMU_PACKED PvhModule {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
} PvhModule;

typedef struct QEMU_PACKED PvhMemmapEntry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;      /* e820 types */
    uint32_t reserved;
} PvhMemmapEntry;

G_STATIC_ASSERT(sizeof(PvhStartInfo) == 56);
G_STATIC_ASSERT(sizeof(PvhModule) == 32);
G_STATIC_ASSERT(sizeof(PvhMemmapEntry) == 24);
G_STATIC_ASSERT(LAYOUT_PVH_MODLIST >= LAYOUT_PVH_START_INFO +
                sizeof(PvhStartInfo));
G_STATIC_ASSERT(LAYOUT_PVH_MEMMAP >= LAYOUT_PVH_MODLIST + sizeof(PvhModule));
G_STATIC_ASSERT(LAYOUT_PVH_MEMMAP + E820_MAX_ENTRIES_ZEROPAGE *
                sizeof(PvhMemmapEntry) <= LAYOUT_BOOT_STACK_TOP - 0x100);

bool pvh_elf_parse(const uint8_t *buf, size_t len, ElfKernelInfo *info,
                   Error **errp)
{
    if (!elf_kernel_parse(buf, len, info, errp)) {
        return false;
    }
    if (!info->has_pvh_entry) {
        error_setg(errp, "an ELF kernel without a PVH entry point (no "
                   "XEN_ELFNOTE_PHYS32_ENTRY note)");
        error_append_hint(errp, "Build it with CONFIG_PVH=y, or pass the "
                          "bzImage instead.\n");
        return false;
    }
    return true;
}

bool pvh_load(const ElfKernelInfo *k, const uint8_t *buf, uint64_t below_4g,
              Error **errp)
{
    if (k->start < LAYOUT_HIGH_RAM_START || k->end > below_4g) {
        error_setg(errp, "its segments (0x%" PRIx64 "-0x%" PRIx64 ") are "
                   "not inside guest RAM from 1 MiB to 0x%" PRIx64,
                   k->start, k->end, below_4g);
        if (k->end > below_4g) {
            error_append_hint(errp, "Give the guest more memory (-m).\n");
        }
        return false;
    }
    if (k->pvh_entry < k->start || k->pvh_entry >= k->end) {
        error_setg(errp, "its PVH entry point 0x%" PRIx64 " is outside "
                   "its segments", k->pvh_entry);
        return false;
    }
    return elf_kernel_load(k, buf, k->start, errp);
}

bool pvh_write_start_info(const E820Table *e820, uint64_t cmdline_paddr,
                          uint64_t initrd_paddr, uint64_t initrd_size,
                          uint64_t rsdp_paddr, Error **errp)
{
    PvhStartInfo si = {
        .magic = GUINT32_TO_LE(PVH_START_MAGIC),
        .version = GUINT32_TO_LE(PVH_START_VERSION),
        .cmdline_paddr = GUINT64_TO_LE(cmdline_paddr),
        .rsdp_paddr = GUINT64_TO_LE(rsdp_paddr),
        .memmap_paddr = GUINT64_TO_LE(LAYOUT_PVH_MEMMAP),
        .memmap_entries = GUINT32_TO_LE(e820->count),
    };
    PvhMemmapEntry map[E820_MAX_ENTRIES_ZEROPAGE] = { 0 };
    PvhModule mod = {
        .paddr = GUINT64_TO_LE(initrd_paddr),
        .size = GUINT64_TO_LE(initrd_size),
    };
    unsigned i;

    if (initrd_size) {
        si.nr_modules = GUINT32_TO_LE(1);
        si.modlist_paddr = GUINT64_TO_LE(LAYOUT_PVH_MODLIST);
    }
    for (i = 0; i < e820->count; i++) {
        map[i].addr = GUINT64_TO_LE(e820->entries[i].addr);
        map[i].size = GUINT64_TO_LE(e820->entries[i].size);
        map[i].type = GUINT32_TO_LE(e820->entries[i].type);
    }
    if (!guest_memory_write(LAYOUT_PVH_START_INFO, &si, sizeof(si)) ||
        !guest_memory_write(LAYOUT_PVH_MODLIST, &mod, sizeof(mod)) ||
        !guest_memory_write(LAYOUT_PVH_MEMMAP, map,
                            e820->count * sizeof(map[0]))) {
        error_setg(errp, "cannot write the PVH start info into guest RAM");
        return false;
    }
    return true;
}
