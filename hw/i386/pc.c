/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine (QEMU's pc-i440fx / pc-q35 command-line names): guest
 * RAM, the device-memory window (docs/specs/acpi_nvdimm.md), the GSI
 * lines and the devices wired to them (GED, COM1, the PCI host bridge),
 * NVDIMM ACPI state, and the ACPI tables written into guest memory once
 * cold plug is done.  The hotplug handler is hw/i386/pc-hotplug.c.
 */
#include "qemu/osdep.h"
#include <cpuid.h>
#include <sys/mman.h>
#include "hw/i386/pc.h"
#include "hw/i386/layout.h"
#include "hw/acpi/acpi-build.h"
#include "hw/mem/memory-device.h"
#include "hw/mem/nvdimm.h"
#include "hw/qdev-core.h"
#include "hw/pci/pci-host.h"
#include "hw/virtio/virtio-pmem-pci.h"
#include "hw/core/reset.h"
#include "hw/i386/boot.h"
#include "sysemu/accel.h"
#include "sysemu/runstate.h"

static const char *const on_off_auto_names[] = { "auto", "on", "off", NULL };
static const char *const irqchip_names[] = { "on", "off", "split", NULL };
static const char *const kernel_unpack_names[] = { "host", "guest", NULL };

#define QEMU_DEFAULT_RAM_SIZE   (128 * MiB)
/* CPUID leaf with the physical address width (Intel SDM vol. 2A, CPUID) */
#define CPUID_LEAF_ADDR_SIZES   0x80000008
/* Width the SDM implies when that leaf is missing */
#define CPUID_DEFAULT_PHYS_BITS 36

/*
 * The vCPUs' physical address width: pmemvm passes the host's through
 * (CPUID 0x80000008 is not masked, as QEMU's host-phys-bits=on).
 */
static unsigned pc_phys_bits(void)
{
    unsigned eax, ebx, ecx, edx;

    if (__get_cpuid_max(0x80000000, NULL) < CPUID_LEAF_ADDR_SIZES ||
        !__get_cpuid(CPUID_LEAF_ADDR_SIZES, &eax, &ebx, &ecx, &edx)) {
        return CPUID_DEFAULT_PHYS_BITS;
    }
    return eax & 0xff;
}

static const PropDef pc_machine_props[] = {
    DEFINE_PROP(PC_MACHINE_ACCEL, PCMachineState, accel, PROP_TYPE_STRING,
                NULL, "accelerator: kvm or qtest"),
    DEFINE_PROP(PC_MACHINE_NVDIMM, PCMachineState, nvdimm, PROP_TYPE_BOOL,
                "off", "enable NVDIMM support (ACPI NFIT and _DSM)"),
    DEFINE_PROP(PC_MACHINE_NVDIMM_PERSISTENCE, PCMachineState,
                nvdimm_persistence, PROP_TYPE_STRING, NULL,
                "persistence domain the NFIT reports: cpu or mem-ctrl"),
    DEFINE_PROP(PC_MACHINE_NVDIMM_CAP, PCMachineState, nvdimm_cap,
                PROP_TYPE_UINT32, "0",
                "older form: Platform Capabilities bits (1 CPU flush, "
                "2 memory-controller flush, 4 mirroring)"),
    DEFINE_PROP_ENUM(PC_MACHINE_ACPI, PCMachineState, acpi,
                     on_off_auto_names, "auto", "build ACPI tables"),
    DEFINE_PROP(PC_MACHINE_MEMORY_BACKEND, PCMachineState, memory_backend,
                PROP_TYPE_STRING, NULL, "id of the backend for guest RAM"),
    DEFINE_PROP("usb", PCMachineState, usb, PROP_TYPE_BOOL, "off",
                "USB controller (only off is supported)"),
    DEFINE_PROP("dump-guest-core", PCMachineState, dump_guest_core,
                PROP_TYPE_BOOL, "on", "include guest RAM in core dumps"),
    DEFINE_PROP("mem-merge", PCMachineState, mem_merge, PROP_TYPE_BOOL, "on",
                "allow KSM to merge guest RAM"),
    DEFINE_PROP_ENUM("kernel-irqchip", PCMachineState, kernel_irqchip,
                     irqchip_names, "on", "in-kernel irqchip (on only)"),
    DEFINE_PROP_ENUM("vmport", PCMachineState, vmport, on_off_auto_names,
                     "auto", "VMware port (not modelled; accepted off/auto)"),
    DEFINE_PROP_ENUM("smm", PCMachineState, smm, on_off_auto_names, "auto",
                     "system management mode (not modelled)"),
    DEFINE_PROP("hpet", PCMachineState, hpet, PROP_TYPE_BOOL, "on",
                "HPET (not modelled)"),
    DEFINE_PROP("graphics", PCMachineState, graphics, PROP_TYPE_BOOL, "on",
                "graphics (pmemvm has none)"),
    DEFINE_PROP("kernel", PCMachineState, kernel, PROP_TYPE_STRING, NULL,
                "Linux kernel image (same as -kernel)"),
    DEFINE_PROP("initrd", PCMachineState, initrd, PROP_TYPE_STRING, NULL,
                "initial ramdisk (same as -initrd)"),
    DEFINE_PROP("append", PCMachineState, append, PROP_TYPE_STRING, NULL,
                "kernel command line (same as -append)"),
    DEFINE_PROP_ENUM(PC_MACHINE_KERNEL_UNPACK, PCMachineState, kernel_unpack,
                     kernel_unpack_names, "host",
                     "pmemvm only: decompress a bzImage on the host (and "
                     "place it with KASLR) or let the guest do it"),
    PROP_END,
};

static const TypeInfo pc_machine_base_type = {
    .name = TYPE_MACHINE_BASE,
    .kind = OBJECT_KIND_ABSTRACT,
    .instance_size = sizeof(PCMachineState),
    .props = pc_machine_props,
};

static const TypeInfo pc_i440fx_type = {
    .name = TYPE_PC_MACHINE,
    .parent = TYPE_MACHINE_BASE,
    .kind = OBJECT_KIND_MACHINE,
    .instance_size = sizeof(PCMachineState),
    .desc = "Standard PC (pmemvm: firmware-less, hardware-reduced ACPI) "
            "(alias of pc, pc-i440fx-*)",
};

static const TypeInfo pc_q35_type = {
    .name = TYPE_Q35_MACHINE,
    .parent = TYPE_MACHINE_BASE,
    .kind = OBJECT_KIND_MACHINE,
    .instance_size = sizeof(PCMachineState),
    .desc = "Standard PC (pmemvm: same machine as pc) (alias of q35, "
            "pc-q35-*)",
};

static void pc_machine_register_types(void)
{
    type_register(&pc_machine_base_type);
    type_register(&pc_i440fx_type);
    type_register(&pc_q35_type);
}

type_init(pc_machine_register_types)

/*
 * QEMU's null machine: no RAM, CPUs or devices, a QMP monitor only
 * (libvirt's capability probe).  system/vl.c never builds this machine;
 * it keeps the generic machine options (accel, ...) as pc does.
 */
static const TypeInfo none_machine_type = {
    .name = TYPE_NONE_MACHINE,
    .parent = TYPE_MACHINE_BASE,
    .kind = OBJECT_KIND_MACHINE,
    .instance_size = sizeof(PCMachineState),
    .desc = "empty machine",
};

static void none_machine_register_types(void)
{
    type_register(&none_machine_type);
}

type_init(none_machine_register_types)

const char *pc_machine_alias(const char *type)
{
    if (!strcmp(type, TYPE_PC_MACHINE)) {
        return "pc";
    }
    return !strcmp(type, TYPE_Q35_MACHINE) ? "q35" : NULL;
}

const char *pc_machine_resolve_type(const char *name)
{
    if (!strcmp(name, "none") || !strcmp(name, TYPE_NONE_MACHINE)) {
        return TYPE_NONE_MACHINE;
    }
    if (!strcmp(name, "pc") || g_str_has_prefix(name, "pc-i440fx-") ||
        !strcmp(name, TYPE_PC_MACHINE)) {
        return TYPE_PC_MACHINE;
    }
    if (!strcmp(name, "q35") || g_str_has_prefix(name, "pc-q35-") ||
        !strcmp(name, TYPE_Q35_MACHINE)) {
        return TYPE_Q35_MACHINE;
    }
    return NULL;
}

bool pc_acpi_enabled(const PCMachineState *pcms)
{
    return pcms->acpi != ON_OFF_AUTO_OFF;
}

static bool pc_machine_check_props(PCMachineState *pcms, Error **errp)
{
    uint32_t cap = 0;

    if (pcms->nvdimm_persistence) {
        if (!strcmp(pcms->nvdimm_persistence, "cpu")) {
            cap = NVDIMM_CAP_CPU_FLUSH | NVDIMM_CAP_MEM_FLUSH;
        } else if (!strcmp(pcms->nvdimm_persistence, "mem-ctrl")) {
            cap = NVDIMM_CAP_MEM_FLUSH;
        } else {
            error_setg(errp, "-machine nvdimm-persistence=%s: unsupported "
                       "option", pcms->nvdimm_persistence);
            error_append_hint(errp, "Valid values are 'cpu' and "
                              "'mem-ctrl'.\n");
            return false;
        }
    }
    if (object_property_is_set(OBJECT(pcms), PC_MACHINE_NVDIMM_CAP)) {
        uint32_t all = NVDIMM_CAP_CPU_FLUSH | NVDIMM_CAP_MEM_FLUSH |
                       NVDIMM_CAP_MIRRORING;
        if (!pcms->nvdimm_cap || (pcms->nvdimm_cap & ~all)) {
            error_setg(errp, "-machine nvdimm-cap=%" PRIu32 ": unsupported "
                       "capabilities", pcms->nvdimm_cap);
            error_append_hint(errp, "Valid bits: 1 (CPU cache flush), 2 "
                              "(memory controller flush), 4 (hardware "
                              "mirroring); at least one.\n");
            return false;
        }
        if (cap && cap != pcms->nvdimm_cap) {
            error_setg(errp, "-machine nvdimm-cap=%" PRIu32 " conflicts with "
                       "nvdimm-persistence=%s", pcms->nvdimm_cap,
                       pcms->nvdimm_persistence);
            return false;
        }
        cap = pcms->nvdimm_cap;
    }
    pcms->nvdimm_capabilities = cap;
    if (pcms->usb) {
        error_setg(errp, "-machine usb=on: pmemvm has no USB controller");
        return false;
    }
    if (pcms->kernel_irqchip != 0) {
        error_setg(errp, "-machine kernel-irqchip=%s: pmemvm supports only "
                   "kernel-irqchip=on", irqchip_names[pcms->kernel_irqchip]);
        return false;
    }
    if (pcms->vmport == ON_OFF_AUTO_ON) {
        error_setg(errp, "-machine vmport=on: pmemvm does not model the "
                   "VMware port");
        return false;
    }
    if (pcms->smm == ON_OFF_AUTO_ON) {
        error_setg(errp, "-machine smm=on: pmemvm does not model system "
                   "management mode");
        return false;
    }
    return true;
}

static bool pc_machine_alloc_ram(PCMachineState *pcms, Error **errp)
{
    if (pcms->memory_backend) {
        Object *b = object_find_by_id(pcms->memory_backend);
        if (!b || !object_is_memory_backend(b)) {
            error_setg(errp, "Memory backend '%s' not found",
                       pcms->memory_backend);
            return false;
        }
        pcms->ram_backend = MEMORY_BACKEND(b);
        /*
         * QEMU 7.2: without a size from -m, memory-backend= gives the RAM
         * its size (once maxmem was checked against the default); a NUMA
         * node's memdev must match the RAM, with a message of its own.
         */
        if (pcms->numa_memdev) {
            if (pcms->ram_backend->size != pcms->ram_size) {
                error_setg(errp, "total memory for NUMA nodes (0x%" PRIx64
                           ") should equal RAM size (0x%" PRIx64 ")",
                           pcms->ram_backend->size, pcms->ram_size);
                return false;
            }
        } else if (!pcms->ram_size_given) {
            pcms->ram_size = pcms->ram_backend->size;
            if (!pcms->maxmem_given) {
                pcms->maxram_size = pcms->ram_size;
            }
        }
        if (pcms->ram_backend->size != pcms->ram_size) {
            error_setg(errp, "Machine memory size does not match the size of "
                       "the memory backend");
            return false;
        }
        if (host_memory_backend_is_used(pcms->ram_backend)) {
            error_setg(errp, "memory backend %s can't be used multiple times.",
                       pcms->memory_backend);
            return false;
        }
        host_memory_backend_set_used(pcms->ram_backend, true);
        pcms->ram = pcms->ram_backend->ptr;
        return true;
    }
    pcms->ram = host_ram_alloc(pcms->ram_size, pcms->mem_merge,
                               pcms->dump_guest_core);
    if (!pcms->ram) {
        error_setg_errno(errp, errno, "cannot set up guest memory 'pc.ram'");
        return false;
    }
    return true;
}

/*
 * QEMU's pc_memory_init(): refuse a layout the vCPUs cannot address
 * (libvirt's maxmem of 1 PiB, for one).  The numbers differ from QEMU's,
 * whose qemu64 vCPU has 40 bits and a PCI hole above the window.
 */
static bool pc_check_phys_bits(PCMachineState *pcms, Error **errp)
{
    uint64_t max_used = (pcms->device_mem_size ?
                         pcms->device_mem_base + pcms->device_mem_size :
                         LAYOUT_4G + pcms->above_4g_mem_size) - 1;
    unsigned bits = pc_phys_bits();
    uint64_t max_phys = bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
    uint64_t pci64 = QEMU_ALIGN_UP(max_used + 1, LAYOUT_PCI_MMIO64_ALIGN);

    if (max_phys < max_used) {
        error_setg(errp, "Address space limit 0x%" PRIx64 " < 0x%" PRIx64
                   " phys-bits too low (%u)", max_phys, max_used, bits);
        return false;
    }
    /* The PCI 64-bit window only where the vCPUs can reach it all. */
    pcms->pci_mmio64_base = pcms->pci_mmio64_size = 0;
    if (pci64 > max_used && pci64 - 1 + LAYOUT_PCI_MMIO64_SIZE <= max_phys) {
        pcms->pci_mmio64_base = pci64;
        pcms->pci_mmio64_size = LAYOUT_PCI_MMIO64_SIZE;
    }
    return true;
}

/* system_powerdown: the ACPI power button, through the GED's _EVT. */
static void pc_powerdown(void *opaque)
{
    PCMachineState *pcms = opaque;

    ged_raise_event(pcms->ged, GED_EVENT_POWER_DOWN);
}

/* A GSI line: the level goes to the accelerator's interrupt controller. */
static void pc_gsi_handler(void *opaque, int n, int level)
{
    accel_set_irq(n, level);
}

/* The GED, COM1 and the PCI host bridge, on their GSI lines. */
static bool pc_create_devices(PCMachineState *pcms, Error **errp)
{
    pcms->gsi = qemu_allocate_irqs(pc_gsi_handler, pcms, LAYOUT_GSI_COUNT);
    pcms->ged = ged_init(pcms->gsi[LAYOUT_IRQ_SCI], errp);
    if (!pcms->ged) {
        return false;
    }
    qemu_set_powerdown_handler(pc_powerdown, pcms);
    pcms->pci_bus = pci_host_init(&pcms->gsi[LAYOUT_GSI_PCI_INTX],
                                  LAYOUT_PORT_PCI_CONFIG_ADDR,
                                  LAYOUT_PORT_PCI_CONFIG_DATA,
                                  LAYOUT_PCI_ECAM_BASE, LAYOUT_PCI_ECAM_SIZE,
                                  errp);
    if (!pcms->pci_bus) {
        return false;
    }
    if (pcms->serial_enabled) {
        pcms->serial = serial_init(LAYOUT_PORT_COM1,
                                   pcms->gsi[LAYOUT_IRQ_COM1],
                                   pcms->serial_chr, errp);
        if (!pcms->serial) {
            return false;
        }
    }
    return true;
}

/*
 * RAM that ends below 1 MiB (-m 513K: QEMU 7.2 starts with any size).  A
 * PC has its BIOS area below 1 MiB whatever its RAM; pmemvm, without
 * firmware, keeps its own tables there: the NVDIMM _DSM page, the ACPI
 * RSDP and tables and the reset-vector stub.  That area, from the _DSM
 * page (or the end of RAM) to 1 MiB, then gets memory of its own, as
 * e820-reserved as ever (docs/specs/pc-machine.md, "Memory map").
 */
static bool pc_add_low_tables_area(PCMachineState *pcms, Error **errp)
{
    uint64_t start = MAX(pcms->below_4g_mem_size, LAYOUT_LOW_TABLES_START);
    uint64_t size = LAYOUT_LOW_TABLES_END - start;
    void *host;

    if (pcms->below_4g_mem_size >= LAYOUT_LOW_TABLES_END) {
        return true;
    }
    host = host_ram_alloc(size, false, true);
    if (!host) {
        error_setg_errno(errp, errno, "cannot set up guest memory "
                         "'pc.low-tables'");
        return false;
    }
    return guest_ram_add("pc.low-tables", start, size, host, false,
                         errp) != NULL;
}

bool pc_machine_init(PCMachineState *pcms, Error **errp)
{
    uint64_t device_mem_size;

    if (!pc_machine_check_props(pcms, errp)) {
        return false;
    }
    if (!pcms->ram_size) {
        pcms->ram_size = QEMU_DEFAULT_RAM_SIZE;
    }
    if (pcms->maxram_size < pcms->ram_size) {
        pcms->maxram_size = pcms->ram_size;
    }
    if (!pc_machine_alloc_ram(pcms, errp)) {
        return false;
    }
    if (pcms->ram_size >= LAYOUT_LOWMEM_SPLIT_THRESHOLD) {
        pcms->below_4g_mem_size = LAYOUT_LOWMEM_SPLIT;
    } else {
        pcms->below_4g_mem_size = pcms->ram_size;
    }
    pcms->above_4g_mem_size = pcms->ram_size - pcms->below_4g_mem_size;
    if (!guest_ram_add("pc.ram", 0, pcms->below_4g_mem_size, pcms->ram,
                       false, errp)) {
        return false;
    }
    if (pcms->above_4g_mem_size &&
        !guest_ram_add("pc.ram-above-4g", LAYOUT_4G, pcms->above_4g_mem_size,
                       (uint8_t *)pcms->ram + pcms->below_4g_mem_size,
                       false, errp)) {
        return false;
    }
    if (!pc_add_low_tables_area(pcms, errp)) {
        return false;
    }

    /*
     * Device-memory window: QEMU's pc_memory_init(), its checks in its
     * order: the vCPUs' address width first (with the size as computed,
     * wrapping), then slots and maxmem alignment, then the wrap itself.
     */
    pcms->device_mem_base = QEMU_ALIGN_UP(LAYOUT_4G + pcms->above_4g_mem_size,
                                          LAYOUT_DEVICE_MEM_ALIGN);
    device_mem_size = 0;
    if (pcms->maxram_size > pcms->ram_size) {
        device_mem_size = pcms->maxram_size - pcms->ram_size +
                          LAYOUT_DEVICE_MEM_PER_SLOT * pcms->ram_slots;
    }
    pcms->device_mem_size = device_mem_size;
    if (!pc_check_phys_bits(pcms, errp) ||
        !pc_machine_check_device_memory(pcms, errp)) {
        return false;
    }
    if (pcms->device_mem_base + device_mem_size < device_mem_size) {
        /* QEMU's RAM_ADDR_FMT: hex without 0x */
        error_setg(errp, "unsupported amount of maximum memory: %" PRIx64,
                   pcms->maxram_size);
        return false;
    }
    memory_device_window_init(pcms->device_mem_base, device_mem_size,
                              pcms->ram_slots,
                              pcms->maxram_size - pcms->ram_size);
    memory_device_set_base_memory(pcms->ram_size);

    nvdimm_state_init(&pcms->nvdimm_state, LAYOUT_NVDIMM_DSM_PAGE);
    pcms->nvdimm_state.capabilities = pcms->nvdimm_capabilities;
    if (pcms->nvdimm) {
        nvdimm_dsm_register_port(&pcms->nvdimm_state);
    }
    if (!pc_create_devices(pcms, errp)) {
        return false;
    }
    return pc_hotplug_init(pcms, errp);
}

/* SRAT memory-affinity entries for the NVDIMMs present now. */
static GArray *pc_nvdimm_srat_entries(PCMachineState *pcms)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(AcpiSratMemEntry));
    GPtrArray *dimms = pcms->nvdimm_state.dimms;
    int i;

    for (i = 0; dimms && i < dimms->len; i++) {
        const NvdimmAcpiDimm *d = g_ptr_array_index(dimms, i);
        AcpiSratMemEntry e = {
            .base = d->addr,
            .size = d->region_size,
            .node = d->node,
            .flags = ACPI_SRAT_MEM_ENABLED | ACPI_SRAT_MEM_NON_VOLATILE,
        };
        g_array_append_val(a, e);
    }
    return a;
}

bool pc_machine_done(PCMachineState *pcms, Error **errp)
{
    g_autoptr(GArray) srat = NULL;
    AcpiBuildParams p = { 0 };
    AcpiBuildBlobs blobs = { 0 };
    bool ok;

    pcms->machine_done = true;
    qdev_machine_creation_done();
    if (!pc_acpi_enabled(pcms)) {
        return true;
    }
    srat = pc_nvdimm_srat_entries(pcms);
    p.ncpus = pcms->smp_cpus ? pcms->smp_cpus : 1;
    p.below_4g_mem_size = pcms->below_4g_mem_size;
    p.above_4g_mem_size = pcms->above_4g_mem_size;
    p.device_mem_base = pcms->device_mem_base;
    p.device_mem_size = pcms->device_mem_size;
    p.nvdimm_enabled = pcms->nvdimm;
    p.nvdimm_slots = pcms->ram_slots;
    p.dsm_page_gpa = pcms->nvdimm_state.dsm_page_gpa;
    p.nfit_body = pcms->nvdimm_state.fit;
    p.nvdimm_srat = (const AcpiSratMemEntry *)srat->data;
    p.nvdimm_srat_count = srat->len;
    p.pci_ecam_base = LAYOUT_PCI_ECAM_BASE;
    p.pci_config_port = LAYOUT_PORT_PCI_CONFIG_ADDR;
    p.pci_io_base = LAYOUT_PCI_IO_BASE;
    p.pci_io_end = LAYOUT_PCI_IO_END;
    p.pci_mmio32_base = LAYOUT_PCI_MMIO32_BASE;
    p.pci_mmio32_end = LAYOUT_PCI_MMIO32_END;
    p.pci_mmio64_base = pcms->pci_mmio64_base;
    p.pci_mmio64_size = pcms->pci_mmio64_size;
    p.pci_gsi_base = LAYOUT_GSI_PCI_INTX;
    p.pci_hotplug_base = pcms->pci_hotplug ? LAYOUT_PCI_HOTPLUG_BASE : 0;
    if (!acpi_build(&p, &blobs, errp)) {
        return false;
    }
    ok = guest_memory_write(LAYOUT_ACPI_RSDP, blobs.rsdp->data,
                            blobs.rsdp->len) &&
         guest_memory_write(LAYOUT_ACPI_TABLES, blobs.tables->data,
                            blobs.tables->len);
    acpi_build_blobs_free(&blobs);
    if (!ok) {
        error_setg(errp, "cannot write the ACPI tables into guest memory");
        return false;
    }
    return true;
}

bool pc_machine_reset(PCMachineState *pcms, Error **errp)
{
    pc_hotplug_reset(pcms);
    qemu_devices_reset();
    if (!accel_reset_vcpus(errp) || !pc_boot_linux(pcms, errp)) {
        error_prepend(errp, "guest reset failed: ");
        return false;
    }
    return true;
}
