/*
 * The KVM accelerator: one VM with an in-kernel irqchip and PIT, a memory
 * slot per guest RAM region, one thread per vCPU running KVM_RUN and
 * dispatching port and MMIO exits to hw/core/memory.c.
 *
 * Order of use (system/vl.c):
 *   kvm_accel_init()   after pc_machine_init(): VM, slots, vCPUs, CPUID
 *   pc_boot_linux()    loads the kernel; calls kvm_set_boot_cpu_state()
 *   kvm_start_vcpus()  starts the threads, parked until vm_start()
 *   ... main loop; vm_start()/vm_stop() resume/park the vCPUs ...
 *   kvm_reset_vcpus()  on a guest reset, with the VM stopped (pc_reboot())
 *   kvm_stop_vcpus()   at exit: stops and joins the threads
 *   kvm_guest_failed() true if a vCPU hit an error KVM cannot continue
 *                      from (exit status 1)
 */
#ifndef SYSEMU_KVM_H
#define SYSEMU_KVM_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/i386/pc.h"

/* The -cpu models pmemvm accepts (see kvm_cpu_model_names in kvm-cpu.c). */
#define KVM_CPU_MODEL_DEFAULT   "qemu64"

/*
 * Register state of the boot CPU at the 64-bit Linux entry point
 * (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol") or at the
 * PVH entry of an ELF kernel (Xen's docs/misc/pvh.pandoc).
 */
typedef struct X86BootCPUState {
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
} X86BootCPUState;

/* Open /dev/kvm, create the VM and its vCPUs (-smp), and map guest RAM. */
bool kvm_accel_init(PCMachineState *pcms, const char *cpu_model,
                    Error **errp);
/* True once kvm_accel_init() succeeded. */
bool kvm_enabled(void);

/* Load the boot CPU's registers (the others wait for INIT/SIPI). */
bool kvm_set_boot_cpu_state(const X86BootCPUState *s, Error **errp);

/* Start the vCPU threads; they run once vm_start() is called. */
void kvm_start_vcpus(void);
/*
 * Power-on state for every vCPU, the in-kernel PICs, IOAPIC and PIT; the
 * BSP then needs kvm_set_boot_cpu_state() again.  Call with the VM
 * stopped (vm_stop()); a vCPU that stopped itself (triple fault) runs
 * again at the next vm_start().
 */
bool kvm_reset_vcpus(Error **errp);
/* Stop and join the vCPU threads (at exit). */
void kvm_stop_vcpus(void);
/* A vCPU stopped on an error (internal error, failed entry, emulation
 * failure): the VMM should exit with status 1. */
bool kvm_guest_failed(void);

/*
 * Set the level of an interrupt line (GSI) of the in-kernel IOAPIC/PIC.
 * Thread-safe; a no-op without KVM (qtest).
 */
void kvm_set_irq(unsigned gsi, bool level);
/* Raise and lower @gsi (an edge). */
void kvm_pulse_irq(unsigned gsi);

#endif
