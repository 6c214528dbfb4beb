/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the kernel loaders of -kernel (hw/i386/boot.c, elf-kernel.c,
 * pvh.c, kernel-unpack.c, vmlinux.c) on a file's bytes: a bzImage's setup
 * header, the host-side unpacking of its payload, the unpacked vmlinux
 * with its relocation table (placed and relocated into guest RAM), and
 * an ELF vmlinux through its PVH note.  Guest RAM is 64 MiB at 0.
 */
#include "qemu/osdep.h"
#include "hw/core/memory.h"
#include "hw/i386/boot.h"

#define RAM_SIZE (64 * 1024 * 1024)

static void try_vmlinux(const uint8_t *buf, size_t len, const BzImageInfo *k)
{
    VmlinuxImage v;
    Error *err = NULL;

    if (!vmlinux_parse(buf, len, k, &v, &err)) {
        error_free(err);
        return;
    }
    if (v.size <= RAM_SIZE && v.link_phys + v.size <= RAM_SIZE &&
        !vmlinux_load(&v, v.link_phys, v.link_phys, &err)) {
        error_free(err);
    }
}

static void try_bzimage(const uint8_t *data, size_t size)
{
    BzImageInfo k;
    Error *err = NULL;
    g_autofree uint8_t *out = NULL;
    size_t out_len = 0;

    if (!bzimage_parse(data, size, &k, &err)) {
        error_free(err);
        return;
    }
    out = bzimage_unpack(data, size, &k, &out_len, &err);
    if (!out) {
        error_free(err);
        return;
    }
    try_vmlinux(out, out_len, &k);
}

static void try_pvh(const uint8_t *data, size_t size)
{
    ElfKernelInfo k;
    Error *err = NULL;

    if (!pvh_elf_parse(data, size, &k, &err) ||
        !pvh_load(&k, data, RAM_SIZE, &err)) {
        error_free(err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;

    if (!ram) {
        ram = g_malloc0(RAM_SIZE);
        guest_ram_add("fuzz.ram", 0, RAM_SIZE, ram, false, &error_abort);
    }
    if (elf_kernel_is_elf(data, size)) {
        /* An ELF is a PVH vmlinux, or what a bzImage's payload holds. */
        BzImageInfo k = {
            .version = BZIMAGE_VERSION_RSDP,
            .hdr = {
                .pref_address = 0x1000000,
                .kernel_alignment = 0x200000,
                .relocatable_kernel = 1,
            },
        };

        try_pvh(data, size);
        try_vmlinux(data, size, &k);
    } else {
        try_bzimage(data, size);
    }
    return 0;
}
