/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An x86 ELF kernel image: its PT_LOAD segments, its entry point and the
 * PVH entry note when it has one.  Two loaders use it: the PVH boot of an
 * ELF -kernel (pvh.c) and the host-unpacked bzImage (vmlinux.c), whose
 * payload is the kernel's own stripped vmlinux.
 *
 * Facts: the System V ELF gABI (program headers, notes); the PVH note is
 * Xen's XEN_ELFNOTE_PHYS32_ENTRY (public/elfnote.h), which Linux emits
 * from arch/x86/platform/pvh/head.S.
 */
#include "qemu/osdep.h"
#include <elf.h>
#include "hw/i386/boot.h"
#include "hw/core/memory.h"
#include "qemu/guarded-mem.h"

#define XEN_ELFNOTE_PHYS32_ENTRY    18
#define PVH_NOTE_NAME               "Xen"

bool elf_kernel_is_elf(const uint8_t *buf, size_t len)
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
static bool elf_find_pvh_note(const uint8_t *n, uint64_t size,
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

/* The ELF header fields the loaders need, either class. */
typedef struct ElfHeaderFields {
    uint16_t machine;
    uint64_t entry, phoff, shoff;
    unsigned phnum, phentsize, shnum, shentsize;
} ElfHeaderFields;

static bool elf_header(const uint8_t *buf, size_t len, bool is64,
                       ElfHeaderFields *f, Error **errp)
{
    size_t want = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

    if (is64) {
        Elf64_Ehdr eh;

        if (len < sizeof(eh)) {
            error_setg(errp, "truncated ELF header");
            return false;
        }
        memcpy(&eh, buf, sizeof(eh));
        *f = (ElfHeaderFields) {
            eh.e_machine, eh.e_entry, eh.e_phoff, eh.e_shoff,
            eh.e_phnum, eh.e_phentsize, eh.e_shnum, eh.e_shentsize,
        };
    } else {
        Elf32_Ehdr eh;

        memcpy(&eh, buf, sizeof(eh));
        *f = (ElfHeaderFields) {
            eh.e_machine, eh.e_entry, eh.e_phoff, eh.e_shoff,
            eh.e_phnum, eh.e_phentsize, eh.e_shnum, eh.e_shentsize,
        };
    }
    if (f->phentsize != want) {
        error_setg(errp, "bad ELF program header size %u", f->phentsize);
        return false;
    }
    return true;
}

bool elf_kernel_parse(const uint8_t *buf, size_t len, ElfKernelInfo *info,
                      Error **errp)
{
    const unsigned char *id = buf;
    ElfHeaderFields f;
    unsigned i;

    memset(info, 0, sizeof(*info));
    if (len < sizeof(Elf32_Ehdr) || !elf_kernel_is_elf(buf, len)) {
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
    info->is64 = id[EI_CLASS] == ELFCLASS64;
    if (!elf_header(buf, len, info->is64, &f, errp)) {
        return false;
    }
    if (f.machine != EM_X86_64 && f.machine != EM_386) {
        error_setg(errp, "an ELF file for machine %u, not x86", f.machine);
        return false;
    }
    info->e_entry = f.entry;
    info->file_end = (info->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr));
    if (f.shnum && in_file(f.shoff, (uint64_t)f.shnum * f.shentsize, len)) {
        info->file_end = MAX(info->file_end,
                             f.shoff + (uint64_t)f.shnum * f.shentsize);
    }
    for (i = 0; i < f.phnum; i++) {
        Elf64_Phdr ph;
        ElfSegment *s;

        if (!elf_phdr(buf, len, info->is64, f.phoff, i, &ph)) {
            error_setg(errp, "ELF program header %u is outside the file",
                       i);
            return false;
        }
        if (ph.p_type == PT_NOTE && !info->has_pvh_entry) {
            if (!in_file(ph.p_offset, ph.p_filesz, len)) {
                error_setg(errp, "ELF note segment %u is outside the file",
                           i);
                return false;
            }
            info->file_end = MAX(info->file_end, ph.p_offset + ph.p_filesz);
            info->has_pvh_entry = elf_find_pvh_note(buf + ph.p_offset,
                                                    ph.p_filesz,
                                                    &info->pvh_entry);
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        if (info->nsegs == ELF_KERNEL_MAX_SEGMENTS) {
            error_setg(errp, "more than %u loadable ELF segments",
                       ELF_KERNEL_MAX_SEGMENTS);
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
        s = &info->segs[info->nsegs++];
        *s = (ElfSegment) {
            .paddr = ph.p_paddr, .vaddr = ph.p_vaddr, .offset = ph.p_offset,
            .filesz = ph.p_filesz, .memsz = ph.p_memsz,
        };
        info->file_end = MAX(info->file_end, ph.p_offset + ph.p_filesz);
    }
    /* Every program header was read, so this lies in the file. */
    info->file_end = MAX(info->file_end,
                         f.phoff + (uint64_t)f.phnum * f.phentsize);
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

bool elf_kernel_load(const ElfKernelInfo *k, const uint8_t *buf,
                     uint64_t base, Error **errp)
{
    unsigned i;

    for (i = 0; i < k->nsegs; i++) {
        const ElfSegment *s = &k->segs[i];
        uint64_t gpa = base + (s->paddr - k->start);
        uint8_t *dst = guest_ram_ptr(gpa, s->memsz, true);
        MemFault f;

        if (!dst) {
            error_setg(errp, "no guest RAM at 0x%" PRIx64, gpa);
            return false;
        }
        /* .bss, and on a reboot whatever the last kernel left there. */
        if (!guarded_memcpy(dst, buf + s->offset, s->filesz, &f) ||
            !guarded_memset(dst + s->filesz, 0, s->memsz - s->filesz, &f)) {
            g_autofree char *why = mem_fault_describe(&f);

            error_setg(errp, "cannot write guest RAM at 0x%" PRIx64 ": %s",
                       gpa + ((uint8_t *)f.addr - dst), why);
            return false;
        }
    }
    return true;
}
