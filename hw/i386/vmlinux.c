/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bzImage booted from its payload, unpacked on the host: the vmlinux
 * ELF goes straight to where the kernel's decompressor would have put
 * it, relocated as that decompressor would have relocated it, and the
 * boot CPU starts at the kernel's own 64-bit entry (startup_64 of
 * arch/x86/kernel/head_64.S, "we come here either directly from a 64bit
 * bootloader, or from arch/x86/boot/compressed/head_64.S").
 *
 * KASLR is kept: the same choices as the decompressor's
 * choose_random_location() (arch/x86/boot/compressed/kaslr.c), made
 * here.  Unless the command line says "nokaslr", the loader flag
 * KASLR_FLAG is set, the physical address is a random kernel_alignment
 * slot at or above min(LOAD_PHYSICAL_ADDR, 512 MiB) in RAM, clear of the
 * initrd, and the virtual offset is a random slot from LOAD_PHYSICAL_ADDR
 * within the 1 GiB kernel image mapping (KERNEL_IMAGE_SIZE,
 * asm/page_64_types.h).  pmemvm picks physical slots below 4 GiB only
 * (its boot page tables map 0-4 GiB), the decompressor anywhere in RAM.
 *
 * Only the virtual offset needs relocation on x86_64: the kernel fixes
 * its page tables for any physical address itself.  The relocation table
 * follows the ELF in the payload and is read from its end backwards:
 * 32-bit entries up to a 0, then inverse 32-bit entries up to a 0, then
 * 64-bit entries up to a 0; each entry is the link-time virtual address
 * of a field, sign-extended from 32 bits (arch/x86/tools/relocs.c writes
 * it; handle_relocations() in arch/x86/boot/compressed/misc.c reads it).
 */
#include "qemu/osdep.h"
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"
#include "hw/core/memory.h"
#include "qemu/guarded-mem.h"

/* x86_64 KERNEL_IMAGE_SIZE when CONFIG_RANDOMIZE_BASE=y. */
#define VMLINUX_KERNEL_IMAGE_SIZE   (1ULL << 30)
/* The lowest start of the physical slots is at most this. */
#define KASLR_PHYS_MIN_CAP          (512ULL << 20)
#define RELOC_ENTRY_SIZE            4

bool vmlinux_cmdline_has_nokaslr(const char *cmdline)
{
    g_auto(GStrv) words = NULL;
    unsigned i;

    if (!cmdline) {
        return false;
    }
    /* Like the boot code's cmdline_find_option_bool(): a whole word. */
    words = g_strsplit_set(cmdline, " \t\n", -1);
    for (i = 0; words[i]; i++) {
        if (!strcmp(words[i], "nokaslr")) {
            return true;
        }
    }
    return false;
}

/* Slots of @align for @size bytes that start in [@lo, @hi - @size]. */
static uint64_t slots_in(uint64_t lo, uint64_t hi, uint64_t size,
                         uint64_t align)
{
    lo = QEMU_ALIGN_UP(lo, align);
    if (lo >= hi || hi - lo < size) {
        return 0;
    }
    return (hi - lo - size) / align + 1;
}

uint64_t kaslr_phys_addr(uint64_t lo, uint64_t hi, uint64_t size,
                         uint64_t align, uint64_t avoid_lo,
                         uint64_t avoid_hi, uint64_t rnd)
{
    uint64_t below, above, pick;

    if (avoid_hi <= avoid_lo) {
        avoid_lo = avoid_hi = hi;
    }
    below = slots_in(lo, MIN(avoid_lo, hi), size, align);
    above = slots_in(MAX(avoid_hi, lo), hi, size, align);
    if (below + above == 0) {
        return 0;
    }
    pick = rnd % (below + above);
    if (pick < below) {
        return QEMU_ALIGN_UP(lo, align) + pick * align;
    }
    return QEMU_ALIGN_UP(MAX(avoid_hi, lo), align) + (pick - below) * align;
}

uint64_t kaslr_virt_addr(uint64_t min, uint64_t size, uint64_t align,
                         uint64_t rnd)
{
    uint64_t slots;

    min = QEMU_ALIGN_UP(min, align);
    size = QEMU_ALIGN_UP(size, align);
    slots = slots_in(min, VMLINUX_KERNEL_IMAGE_SIZE, size, align);
    return slots ? min + (rnd % slots) * align : min;
}

uint64_t vmlinux_kaslr_phys_min(const VmlinuxImage *v)
{
    return MAX(MIN(v->link_phys, KASLR_PHYS_MIN_CAP),
               LAYOUT_HIGH_RAM_START);
}

/* Where a relocation entry points, as an offset into the image. */
static bool reloc_target(const VmlinuxImage *v, uint32_t entry,
                         unsigned width, uint64_t *off)
{
    uint64_t va = (uint64_t)(int64_t)(int32_t)entry;
    uint64_t image = v->elf.end - v->elf.start;

    *off = va - v->kernel_map - v->link_phys;
    return *off < image && width <= image - *off;
}

static const char *const reloc_kinds[VMLINUX_RELOC_RUNS] = {
    "32-bit", "inverse 32-bit", "64-bit",
};
static const unsigned reloc_widths[VMLINUX_RELOC_RUNS] = { 4, 4, 8 };

/* Find the three runs of the table and check every entry's target. */
static bool vmlinux_check_relocs(VmlinuxImage *v, Error **errp)
{
    size_t at = v->len;
    unsigned run;

    for (run = 0; run < VMLINUX_RELOC_RUNS; run++) {
        v->reloc_end[run] = at;
        for (;;) {
            uint32_t entry;
            uint64_t off;

            if (at < v->elf.file_end + RELOC_ENTRY_SIZE) {
                error_setg(errp, "the relocation table has no end of its "
                           "%s run", reloc_kinds[run]);
                return false;
            }
            at -= RELOC_ENTRY_SIZE;
            memcpy(&entry, v->buf + at, sizeof(entry));
            entry = GUINT32_FROM_LE(entry);
            if (entry == 0) {
                break;
            }
            if (!reloc_target(v, entry, reloc_widths[run], &off)) {
                error_setg(errp, "relocation 0x%08x (%s) points outside "
                           "the kernel", entry, reloc_kinds[run]);
                return false;
            }
        }
        v->reloc_start[run] = at + RELOC_ENTRY_SIZE;
    }
    return true;
}

/* Apply the checked table to the image at @img for virtual offset @virt. */
typedef struct VmlinuxReloc {
    const VmlinuxImage *v;
    uint8_t *img;
    uint64_t virt;
} VmlinuxReloc;

/* A GuardedFn: it only reads and writes memory, no allocation. */
static void vmlinux_relocate(void *opaque)
{
    const VmlinuxReloc *r = opaque;
    const VmlinuxImage *v = r->v;
    uint8_t *img = r->img;
    uint64_t delta = r->virt - v->link_phys;
    unsigned run;
    size_t at;

    for (run = 0; run < VMLINUX_RELOC_RUNS; run++) {
        for (at = v->reloc_start[run]; at < v->reloc_end[run];
             at += RELOC_ENTRY_SIZE) {
            uint32_t entry, v32;
            uint64_t off, v64;

            memcpy(&entry, v->buf + at, sizeof(entry));
            reloc_target(v, GUINT32_FROM_LE(entry), reloc_widths[run], &off);
            if (reloc_widths[run] == 8) {
                memcpy(&v64, img + off, sizeof(v64));
                v64 = GUINT64_TO_LE(GUINT64_FROM_LE(v64) + delta);
                memcpy(img + off, &v64, sizeof(v64));
                continue;
            }
            memcpy(&v32, img + off, sizeof(v32));
            v32 = GUINT32_FROM_LE(v32);
            /* Inverse entries hold "minus an address". */
            v32 = run == 0 ? v32 + (uint32_t)delta : v32 - (uint32_t)delta;
            v32 = GUINT32_TO_LE(v32);
            memcpy(img + off, &v32, sizeof(v32));
        }
    }
}

bool vmlinux_parse(const uint8_t *buf, size_t len, const BzImageInfo *bz,
                   VmlinuxImage *v, Error **errp)
{
    const ElfKernelInfo *e = &v->elf;
    uint64_t entry = UINT64_MAX;
    unsigned i;

    memset(v, 0, sizeof(*v));
    if (!elf_kernel_parse(buf, len, &v->elf, errp)) {
        error_prepend(errp, "the unpacked payload: ");
        return false;
    }
    if (!e->is64) {
        error_setg(errp, "the unpacked payload is not a 64-bit kernel");
        return false;
    }
    if (bz->version < BZIMAGE_VERSION_INIT_SIZE) {
        error_setg(errp, "boot protocol %u.%02u has no pref_address",
                   bz->version >> 8, bz->version & 0xFF);
        return false;
    }
    v->buf = buf;
    v->len = len;
    v->link_phys = bz->hdr.pref_address;
    v->relocatable = bz->hdr.relocatable_kernel;
    v->align = bz->hdr.kernel_alignment;
    if (!v->relocatable || v->align == 0) {
        v->align = LAYOUT_PAGE_SIZE;
    }
    if (e->start != v->link_phys) {
        error_setg(errp, "the vmlinux starts at 0x%" PRIx64 ", not at the "
                   "header's pref_address 0x%" PRIx64, e->start,
                   v->link_phys);
        return false;
    }
    if (v->align & (v->align - 1) || v->link_phys & (v->align - 1)) {
        error_setg(errp, "kernel_alignment 0x%" PRIx64 " is not a power "
                   "of two dividing pref_address", v->align);
        return false;
    }
    /* __START_KERNEL_map, from the segment that starts the image. */
    for (i = 0; i < e->nsegs; i++) {
        if (e->segs[i].paddr == e->start) {
            v->kernel_map = e->segs[i].vaddr - e->segs[i].paddr;
        }
    }
    /*
     * The entry is physical (ENTRY(phys_startup_64)) or else virtual in
     * the kernel mapping; the per-cpu segment, linked at 0, is neither.
     */
    for (i = 0; i < e->nsegs; i++) {
        const ElfSegment *s = &e->segs[i];

        if (e->e_entry >= s->paddr && e->e_entry - s->paddr < s->filesz) {
            entry = e->e_entry;
        } else if (entry == UINT64_MAX &&
                   s->vaddr - s->paddr == v->kernel_map &&
                   e->e_entry >= s->vaddr &&
                   e->e_entry - s->vaddr < s->filesz) {
            entry = s->paddr + (e->e_entry - s->vaddr);
        }
    }
    if (entry == UINT64_MAX) {
        error_setg(errp, "the vmlinux entry point 0x%" PRIx64 " is not in "
                   "its segments", e->e_entry);
        return false;
    }
    v->entry_off = entry - v->link_phys;
    /* As the decompressor: room for the unpacked bytes or the image. */
    v->size = QEMU_ALIGN_UP(MAX((uint64_t)len, e->end - e->start),
                            v->align);
    v->has_relocs = len > e->file_end;
    return !v->has_relocs || vmlinux_check_relocs(v, errp);
}

bool vmlinux_load(const VmlinuxImage *v, uint64_t phys, uint64_t virt,
                  Error **errp)
{
    uint64_t image = v->elf.end - v->elf.start;
    uint8_t *img;

    if (virt != v->link_phys && !v->has_relocs) {
        error_setg(errp, "the kernel has no relocation table");
        return false;
    }
    img = guest_ram_ptr(phys, image, true);
    if (!img) {
        error_setg(errp, "no guest RAM for the kernel at 0x%" PRIx64
                   "-0x%" PRIx64, phys, phys + image);
        return false;
    }
    if (!elf_kernel_load(&v->elf, v->buf, phys, errp)) {
        return false;
    }
    /* x86_64 relocates only for a virtual offset (misc.c). */
    if (virt != v->link_phys) {
        VmlinuxReloc r = { .v = v, .img = img, .virt = virt };
        MemFault f;

        if (!guarded_run(vmlinux_relocate, &r, &f)) {
            g_autofree char *why = mem_fault_describe(&f);

            error_setg(errp, "cannot relocate the kernel in guest RAM at 0x%"
                       PRIx64 ": %s", phys + ((uint8_t *)f.addr - img), why);
            return false;
        }
    }
    return true;
}
