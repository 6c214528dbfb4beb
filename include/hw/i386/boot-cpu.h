/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot CPU's registers at the kernel's entry, as the pc machine's
 * loader (hw/i386/boot.c) decides them and the accelerator loads them
 * (accel_set_boot_cpu_state()).
 */
#ifndef HW_I386_BOOT_CPU_H
#define HW_I386_BOOT_CPU_H

#include "qemu/osdep.h"

/*
 * Register state of the boot CPU at the 64-bit Linux entry point
 * (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol") or at the
 * PVH entry of an ELF kernel (Xen's docs/misc/pvh.pandoc).
 */
struct X86BootCPUState {
    uint64_t rip;           /* entry point */
    uint64_t rsi;           /* boot_params (zero page) */
    uint64_t rsp;           /* stack, also RBP */
    uint64_t cr3;           /* PML4 of the identity map */
    uint64_t gdt_base;
    uint16_t gdt_limit;
    uint64_t idt_base;
    uint16_t idt_limit;
    uint16_t code_selector; /* __BOOT_CS */
    uint16_t data_selector; /* __BOOT_DS */
    uint16_t tss_selector;
    /*
     * PVH entry instead: 32-bit protected mode, paging off, EBX = the
     * hvm_start_info; cr3 and rsi unused, code_selector a 32-bit segment.
     */
    bool pvh32;
    uint64_t rbx;
};

typedef struct X86BootCPUState X86BootCPUState;

#endif
