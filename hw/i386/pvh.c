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
#include <elf.h>
#include "hw/i386/boot.h"
#include "hw/i386/layout.h"

#define XEN_ELFNOTE_PHYS32_ENTRY    18
#define PVH_NOTE_NAME               "Xen"

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

bool pvh_is_elf(const uint8_t *buf, size_t len)
{
    return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

/* @len bytes at @off lie inside a file of @size bytes. */
static bool in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

/* One program header, either class, widened to the ELF64 form. */
static bool elf_phdr(const uint8_t *buf, size_t len, bool is64,
                     uint64_t phoff, unsigned i, Elf64_Phdr *ph)
{
    if (is64) {
        uint64_t at = phoff + (uint64_t)i * sizeof(Elf64_Phdr);

        if (!in_file(at, sizeof(Elf64_Phdr), len)) {
            return false;
        }
        memcpy(ph, buf + at, sizeof(*ph));
    } else {
        uint64_t at = phoff + (uint64_t)i * sizeof(Elf32_Phdr);
        Elf32_Phdr p;

        if (!in_file(at, sizeof(Elf32_Phdr), len)) {
            return false;
        }
        memcpy(&p, buf + at, sizeof(p));
        memset(ph, 0, sizeof(*ph));
        ph->p_type = p.p_type;
        ph->p_offset = p.p_offset;
        ph->p_vaddr = p.p_vaddr;
        ph->p_paddr = p.p_paddr;
        ph->p_filesz = p.p_filesz;
        ph->p_memsz = p.p_memsz;
    }
    return true;
}

/*
 * Look through one PT_NOTE segment for the PVH entry note; its value is a
 * 32- or 64-bit little-endian physical address (Linux writes 64 bits).
 */
static bool pvh_find_entry_note(const uint8_t *n, uint64_t size,
                                uint64_t *entry)
{
    uint64_t at = 0;

    /* Elf32_Nhdr and Elf64_Nhdr are the same three 32-bit words. */
    while (size - at >= sizeof(Elf32_Nhdr)) {
        Elf32_Nhdr nh;
        uint64_t name_at, desc_at, next;

        memcpy(&nh, n + at, sizeof(nh));
        name_at = at + sizeof(nh);
        desc_at = name_at + QEMU_ALIGN_UP((uint64_t)nh.n_namesz, 4);
        next = desc_at + QEMU_ALIGN_UP((uint64_t)nh.n_descsz, 4);
        if (desc_at > size || next > size) {
            return false;
        }
        if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY &&
            nh.n_namesz == sizeof(PVH_NOTE_NAME) &&
            memcmp(n + name_at, PVH_NOTE_NAME, sizeof(PVH_NOTE_NAME)) == 0) {
            if (nh.n_descsz == 4) {
                uint32_t v;

                memcpy(&v, n + desc_at, 4);
                *entry = GUINT32_FROM_LE(v);
                return true;
            }
            if (nh.n_descsz == 8) {
                uint64_t v;

                memcpy(&v, n + desc_at, 8);
                *entry = GUINT64_FROM_LE(v);
                return true;
            }
            return false;
        }
        at = next;
    }
    return false;
}

bool pvh_elf_parse(const uint8_t *buf, size_t len, PvhImageInfo *info,
                   Error **errp)
{
    const unsigned char *id = buf;
    bool is64, found = false;
    uint64_t phoff;
    unsigned phnum, i;
    uint16_t machine;

    memset(info, 0, sizeof(*info));
    if (len < sizeof(Elf32_Ehdr) || !pvh_is_elf(buf, len)) {
        error_setg(errp, "not an ELF file");
        return false;
    }
    if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) {
        error_setg(errp, "unknown ELF class %u", id[EI_CLASS]);
        return false;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "not a little-endian ELF file");
        return false;
    }
    is64 = id[EI_CLASS] == ELFCLASS64;
    if (is64) {
        Elf64_Ehdr eh;

        if (len < sizeof(eh)) {
            error_setg(errp, "truncated ELF header");
            return false;
        }
        memcpy(&eh, buf, sizeof(eh));
        machine = eh.e_machine;
        phoff = eh.e_phoff;
        phnum = eh.e_phnum;
        if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
            error_setg(errp, "bad ELF program header size %u",
                       eh.e_phentsize);
            return false;
        }
    } else {
        Elf32_Ehdr eh;

        memcpy(&eh, buf, sizeof(eh));
        machine = eh.e_machine;
        phoff = eh.e_phoff;
        phnum = eh.e_phnum;
        if (eh.e_phentsize != sizeof(Elf32_Phdr)) {
            error_setg(errp, "bad ELF program header size %u",
                       eh.e_phentsize);
            return false;
        }
    }
    if (machine != EM_X86_64 && machine != EM_386) {
        error_setg(errp, "an ELF file for machine %u, not x86", machine);
        return false;
    }
    for (i = 0; i < phnum; i++) {
        Elf64_Phdr ph;

        if (!elf_phdr(buf, len, is64, phoff, i, &ph)) {
            error_setg(errp, "ELF program header %u is outside the file",
                       i);
            return false;
        }
        if (ph.p_type == PT_NOTE && !found) {
            if (!in_file(ph.p_offset, ph.p_filesz, len)) {
                error_setg(errp, "ELF note segment %u is outside the file",
                           i);
                return false;
            }
            found = pvh_find_entry_note(buf + ph.p_offset, ph.p_filesz,
                                        &info->entry);
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        if (info->nsegs == PVH_MAX_SEGMENTS) {
            error_setg(errp, "more than %u loadable ELF segments",
                       PVH_MAX_SEGMENTS);
            return false;
        }
        if (ph.p_filesz > ph.p_memsz ||
            !in_file(ph.p_offset, ph.p_filesz, len)) {
            error_setg(errp, "ELF segment %u is outside the file", i);
            return false;
        }
        if (ph.p_paddr > UINT64_MAX - ph.p_memsz) {
            error_setg(errp, "ELF segment %u wraps around", i);
            return false;
        }
        info->segs[info->nsegs].paddr = ph.p_paddr;
        info->segs[info->nsegs].offset = ph.p_offset;
        info->segs[info->nsegs].filesz = ph.p_filesz;
        info->segs[info->nsegs].memsz = ph.p_memsz;
        info->nsegs++;
    }
    if (!found) {
        error_setg(errp, "an ELF kernel without a PVH entry point (no "
                   "XEN_ELFNOTE_PHYS32_ENTRY note)");
        error_append_hint(errp, "Build it with CONFIG_PVH=y, or pass the "
                          "bzImage instead.\n");
        return false;
    }
    if (info->nsegs == 0) {
        error_setg(errp, "an ELF kernel with nothing to load");
        return false;
    }
    info->start = UINT64_MAX;
    for (i = 0; i < info->nsegs; i++) {
        info->start = MIN(info->start, info->segs[i].paddr);
        info->end = MAX(info->end,
                        info->segs[i].paddr + info->segs[i].memsz);
    }
    return true;
}

bool pvh_load(const PvhImageInfo *k, const uint8_t *buf, uint64_t below_4g,
              Error **errp)
{
    unsigned i;

    if (k->start < LAYOUT_HIGH_RAM_START || k->end > below_4g) {
        error_setg(errp, "its segments (0x%" PRIx64 "-0x%" PRIx64 ") are "
                   "not inside guest RAM from 1 MiB to 0x%" PRIx64,
                   k->start, k->end, below_4g);
        if (k->end > below_4g) {
            error_append_hint(errp, "Give the guest more memory (-m).\n");
        }
        return false;
    }
    if (k->entry < k->start || k->entry >= k->end) {
        error_setg(errp, "its PVH entry point 0x%" PRIx64 " is outside "
                   "its segments", k->entry);
        return false;
    }
    for (i = 0; i < k->nsegs; i++) {
        const PvhSegment *s = &k->segs[i];
        uint8_t *dst = guest_ram_ptr(s->paddr, s->memsz, true);

        if (!dst) {
            error_setg(errp, "no guest RAM at 0x%" PRIx64, s->paddr);
            return false;
        }
        memcpy(dst, buf + s->offset, s->filesz);
        /* .bss, and on a reboot whatever the last kernel left there. */
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
    }
    return true;
}

bool pvh_initrd_place(const PvhImageInfo *k, uint64_t below_4g,
                      uint64_t size, uint64_t *addr, Error **errp)
{
    if (size > below_4g ||
        QEMU_ALIGN_DOWN(below_4g - size, LAYOUT_INITRD_ALIGN) < k->end) {
        error_setg(errp, "initrd of %" PRIu64 " bytes does not fit between "
                   "the kernel's end (0x%" PRIx64 ") and 0x%" PRIx64,
                   size, k->end, below_4g);
        error_append_hint(errp, "Give the guest more memory (-m).\n");
        return false;
    }
    *addr = QEMU_ALIGN_DOWN(below_4g - size, LAYOUT_INITRD_ALIGN);
    return true;
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
