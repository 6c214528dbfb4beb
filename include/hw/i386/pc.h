/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine: RAM, the device-memory window, its interrupt lines
 * (GSIs), the devices it creates itself (GED, COM1), NVDIMM ACPI state,
 * the hotplug handler every device is plugged through, and the ACPI
 * tables written into guest memory once cold plug is done.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "qom/object.h"
#include "chardev/char.h"
#include "hw/irq.h"
#include "hw/acpi/ged.h"
#include "hw/acpi/nvdimm.h"
#include "hw/acpi/pci-hotplug.h"
#include "hw/char/serial.h"
#include "hw/pci/pci.h"
#include "hw/core/memory.h"
#include "sysemu/hostmem.h"

#define TYPE_PC_MACHINE         "pc-i440fx-7.2-machine"
#define TYPE_Q35_MACHINE        "pc-q35-7.2-machine"
#define TYPE_MACHINE_BASE       "x86-machine"
#define TYPE_NONE_MACHINE       "none-machine"
/* -smp limit of the pc machines (QEMU 7.2's pc-i440fx: 255) */
#define PC_MAX_CPUS             255

/* -machine property names. */
#define PC_MACHINE_NVDIMM               "nvdimm"
#define PC_MACHINE_NVDIMM_PERSISTENCE   "nvdimm-persistence"
#define PC_MACHINE_NVDIMM_CAP           "nvdimm-cap"
#define PC_MACHINE_ACCEL                "accel"
#define PC_MACHINE_ACPI                 "acpi"
#define PC_MACHINE_MEMORY_BACKEND       "memory-backend"
/* pmemvm's own: who decompresses a bzImage, the host or the guest. */
#define PC_MACHINE_KERNEL_UNPACK        "kernel-unpack"

typedef enum OnOffAuto {
    ON_OFF_AUTO_AUTO,
    ON_OFF_AUTO_ON,
    ON_OFF_AUTO_OFF,
} OnOffAuto;

typedef enum KernelUnpack {
    KERNEL_UNPACK_HOST,             /* the default */
    KERNEL_UNPACK_GUEST,
} KernelUnpack;

typedef struct PCMachineState {
    Object parent_obj;
    /* -machine properties */
    char *accel;
    bool nvdimm;
    char *nvdimm_persistence;       /* NULL, "cpu" or "mem-ctrl" */
    uint32_t nvdimm_cap;            /* older integer form; 0 = unset */
    int acpi;                       /* OnOffAuto */
    char *memory_backend;
    bool numa_memdev;               /* memory_backend came from -numa */
    bool usb;
    bool dump_guest_core;
    bool mem_merge;
    int kernel_irqchip;             /* on | off | split */
    int vmport;                     /* OnOffAuto */
    int smm;                        /* OnOffAuto */
    bool hpet;
    bool graphics;
    char *kernel;
    char *initrd;
    char *append;
    int kernel_unpack;              /* KernelUnpack */
    /* -m: every -m merges into these, key by key, as in QEMU */
    char *ram_size_arg;             /* size= as typed; NULL: default */
    uint64_t ram_size;              /* from it, by pc_machine_check_memory() */
    bool ram_size_given;            /* size= not 0: a backend's size is not
                                       taken instead */
    uint64_t maxram_size;           /* maxmem; == ram_size when unset */
    uint64_t ram_slots;
    bool mem_slots_given;           /* some -m had slots= / maxmem= */
    bool maxmem_given;
    /* -smp: the vCPUs, and the topology QEMU 7.2 derives from the counts
     * given (cores are preferred), reported by query-cpus-fast */
    unsigned smp_cpus;
    unsigned smp_sockets;
    unsigned smp_dies;
    unsigned smp_cores;
    unsigned smp_threads;
    /* -numa node given: the vCPUs and DIMMs have a node (node 0) */
    bool numa_node;
    /* layout, set by pc_machine_init() */
    HostMemoryBackend *ram_backend; /* memory-backend=ID or -numa memdev */
    void *ram;
    uint64_t below_4g_mem_size;
    uint64_t above_4g_mem_size;
    uint64_t device_mem_base;
    uint64_t device_mem_size;
    uint32_t nvdimm_capabilities;   /* from persistence or nvdimm-cap */
    NVDIMMState nvdimm_state;
    bool machine_done;              /* cold-plug finished, tables written */
    /* COM1: none (-serial none, -nodefaults), or a UART whose output goes
     * to @serial_chr (NULL: nowhere); set before pc_machine_init() */
    bool serial_enabled;
    Chardev *serial_chr;
    /* created by pc_machine_init() */
    qemu_irq *gsi;                  /* LAYOUT_GSI_COUNT IOAPIC inputs */
    GEDState *ged;
    SerialState *serial;
    PCIBus *pci_bus;
    /* ACPI PCI hotplug registers (NULL without ACPI) and the hotplug
     * handler's state (hw/i386/pc-hotplug.c) */
    PciHotplugState *pci_hotplug;
    struct PcHotplug *hotplug;
    /* PCI 64-bit window after the device-memory window; 0: none (it
     * would pass the vCPUs' physical address width) */
    uint64_t pci_mmio64_base;
    uint64_t pci_mmio64_size;
    /* set by pc_boot_linux(): the boot CPU's entry point and, for a
     * kernel unpacked on the host, where it went (vmlinux.c) */
    uint64_t boot_entry;
    uint64_t kernel_phys;           /* 0: the guest decompressed it */
    uint64_t kernel_virt_offset;    /* KASLR's virtual offset */
} PCMachineState;

#define PC_MACHINE(obj) ((PCMachineState *)(obj))

/* -m, -smp, -numa (hw/i386/pc-opts.c); see there for the two kinds. */
bool pc_machine_parse_memory(PCMachineState *pcms, const QemuOpts *opts,
                             Error **errp);
bool pc_machine_check_memory(PCMachineState *pcms, Error **errp);
/* Slots and maxmem alignment, once maxmem exceeds RAM (machine init). */
bool pc_machine_check_device_memory(PCMachineState *pcms, Error **errp);
bool pc_machine_parse_smp(PCMachineState *pcms, const QemuOpts *opts,
                          Error **errp);
bool pc_machine_parse_numa(PCMachineState *pcms, const QemuOpts *opts,
                           Error **errp);

/* Map a -machine type name (pc, pc-i440fx-*, q35, pc-q35-*) to a type. */
const char *pc_machine_resolve_type(const char *name);
/* The short name of machine type @type ("pc" for pc-i440fx-7.2-machine),
 * or NULL; and the default machine's type. */
const char *pc_machine_alias(const char *type);
#define PC_DEFAULT_MACHINE      TYPE_PC_MACHINE

/*
 * Check -m/-machine settings; allocate RAM; create the GSI lines, the GED
 * and COM1; register the DSM port; become the hotplug handler.
 */
bool pc_machine_init(PCMachineState *pcms, Error **errp);
/* After cold-plugged devices: build ACPI tables into guest memory. */
bool pc_machine_done(PCMachineState *pcms, Error **errp);
bool pc_acpi_enabled(const PCMachineState *pcms);
/*
 * A guest reset (reboot, triple fault): every device on the reset list,
 * the vCPUs and the in-kernel irqchip go back to power-on state and the
 * kernel is loaded and started again, as firmware would.  Call between
 * vm_stop() and vm_start().
 */
bool pc_machine_reset(PCMachineState *pcms, Error **errp);
/*
 * The hotplug handler (hw/i386/pc-hotplug.c): the PCI hotplug registers
 * when ACPI is on, the GED notifications, qdev's handler.  At a guest
 * reset, unplugs the guest was asked for and never answered complete.
 */
typedef struct PcHotplug PcHotplug;
bool pc_hotplug_init(PCMachineState *pcms, Error **errp);
void pc_hotplug_reset(PCMachineState *pcms);

#endif
