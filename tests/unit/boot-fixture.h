/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A machine for pc_boot_linux() without KVM: the kernel and initrd in
 * temporary files, guest RAM a zeroed buffer at 0, all of it below 4 GiB.
 * Shared by the boot unit tests.
 */
#ifndef TESTS_UNIT_BOOT_FIXTURE_H
#define TESTS_UNIT_BOOT_FIXTURE_H

#include "qemu/osdep.h"
#include "hw/i386/pc.h"
#include "hw/core/memory.h"
#include "hw/i386/boot.h"

typedef struct BootFixture {
    PCMachineState pcms;
    uint8_t *ram;
    GuestRamRegion *region;
    char *kernel_path;
    char *initrd_path;          /* NULL: no -initrd */
} BootFixture;

/*
 * The setup header a 64-bit bzImage of boot protocol @version starts
 * with, in @buf (at least 1 KiB): setup sectors, magic numbers, loaded
 * high, initrd anywhere below 2 GiB, a 2047-byte command line, and the
 * short jump that ends the header at 0x26C.
 */
void boot_fixture_setup_header(uint8_t *buf, uint8_t setup_sects,
                               uint16_t version);
/* @data in a new temporary file; its path. */
char *boot_fixture_write_tmp(const void *data, size_t len);
/* @initrd NULL: no initrd. */
void boot_fixture_init(BootFixture *f, uint64_t ram_size, const void *kernel,
                       size_t kernel_len, const void *initrd,
                       size_t initrd_len, const char *append);
/* Remove the files and the RAM region. */
void boot_fixture_free(BootFixture *f);

/*
 * Call @fn with each readable /boot/vmlinuz-*, its bytes and its parsed
 * setup header (which must parse); the number of calls that returned true.
 */
typedef bool (*HostKernelFn)(const char *path, const uint8_t *buf,
                             size_t len, const BzImageInfo *k);
unsigned boot_fixture_host_kernels(HostKernelFn fn);

#endif
