/*
 * The pc machine: RAM, the device-memory window, NVDIMM ACPI state and
 * the ACPI tables written into guest memory at init.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "qom/object.h"
#include "hw/acpi/nvdimm.h"
#include "hw/core/memory.h"
#include "sysemu/hostmem.h"

#define TYPE_PC_MACHINE         "pc-i440fx-7.2-machine"
#define TYPE_Q35_MACHINE        "pc-q35-7.2-machine"
#define TYPE_MACHINE_BASE       "x86-machine"

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
    /* -m */
    uint64_t ram_size;
    uint64_t maxram_size;           /* maxmem; == ram_size when unset */
    uint32_t ram_slots;
    /* -smp */
    unsigned smp_cpus;
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
    /* set by pc_boot_linux(): the boot CPU's entry point and, for a
     * kernel unpacked on the host, where it went (vmlinux.c) */
    uint64_t boot_entry;
    uint64_t kernel_phys;           /* 0: the guest decompressed it */
    uint64_t kernel_virt_offset;    /* KASLR's virtual offset */
} PCMachineState;

#define PC_MACHINE(obj) ((PCMachineState *)(obj))

extern PCMachineState *current_machine;

/* Map a -machine type name (pc, pc-i440fx-*, q35, pc-q35-*) to a type. */
const char *pc_machine_resolve_type(const char *name);
void pc_machine_register_types(void);

/* Check -m/-machine settings; allocate RAM; register the DSM port. */
bool pc_machine_init(PCMachineState *pcms, Error **errp);
/* After cold-plugged devices: build ACPI tables into guest memory. */
bool pc_machine_done(PCMachineState *pcms, Error **errp);
bool pc_acpi_enabled(const PCMachineState *pcms);
/* Flush what the VMM wrote to file backends (labels); on exit. */
void pc_machine_flush(PCMachineState *pcms);

#endif
