/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine as hotplug handler (QEMU's pc_machine_device_*_cb):
 * NVDIMMs and virtio-pmem-pci get their slot, their place in the
 * device-memory window and their mapping; PCI devices their BARs; and
 * after the machine is up, the guest hears of them through the GED:
 * NVDIMMs by the NFIT's "FIT changed" notification
 * (docs/specs/acpi_nvdimm.md), PCI devices by the ACPI PCI hotplug
 * registers (docs/specs/pci-hotplug.md).
 *
 * Unplug of a PCI device (device_del) is a request to the guest.  Only
 * when the guest has released the device and evaluated its slot's _EJ0
 * does the machine take it away: on the main loop, with the vCPUs
 * parked so that none is inside one of the device's handlers or can
 * reach its memory, the region leaves the guest's address space (the
 * accelerator's memory slot goes), its window range, PCI slot and
 * backend are freed, and DEVICE_DELETED is sent (qdev's listener).
 */
#include "qemu/osdep.h"
#include "hw/i386/pc.h"
#include "hw/i386/layout.h"
#include "hw/acpi/ospm.h"
#include "hw/acpi/pci-hotplug.h"
#include "hw/char/isa-serial.h"
#include "hw/mem/memory-device.h"
#include "hw/mem/nvdimm.h"
#include "hw/qdev-core.h"
#include "hw/virtio/virtio-pmem-pci.h"
#include "sysemu/accel.h"
#include "sysemu/runstate.h"

/* What the guest wrote to the hotplug registers, for the main loop. */
typedef struct PcHotplugOp {
    unsigned slot;
    gint gen;                       /* the slot's plug count then */
    bool eject;                     /* else an _OST report */
    uint32_t event, status;
} PcHotplugOp;

typedef struct PcPciSlot {
    char *dev_id;                   /* last device in the slot (_OST) */
    bool unplug_requested;
    gint gen;                       /* plugs so far (atomic) */
} PcPciSlot;

struct PcHotplug {
    GMutex lock;                    /* ops, source */
    GArray *ops;                    /* PcHotplugOp, in the guest's order */
    GSource *source;                /* main-loop work scheduled */
    PcPciSlot slots[PCI_HOTPLUG_SLOTS];  /* main thread only */
};

/* ---- Plug ---- */

/* QEMU's pc_memory_pre_plug(): can this machine take memory devices? */
static bool pc_memory_pre_plug(PCMachineState *pcms, Error **errp)
{
    if (!pc_acpi_enabled(pcms)) {
        error_setg(errp, "memory hotplug is not enabled: missing acpi "
                   "device or acpi disabled");
        return false;
    }
    if (!pcms->nvdimm) {
        error_setg(errp, "nvdimm is not enabled: missing 'nvdimm' in '-M'");
        return false;
    }
    return true;
}

/*
 * Firmware's job: BAR addresses from the host bridge's windows, and the
 * Interrupt Line register.
 */
static bool pc_pci_assign(PCMachineState *pcms, PCIDevice *d, Error **errp)
{
    pci_device_set_interrupt_line(d, LAYOUT_GSI_PCI_INTX);
    return pci_device_assign_bars(d, LAYOUT_PCI_MMIO32_BASE,
                                  LAYOUT_PCI_MMIO32_END,
                                  pcms->pci_mmio64_base,
                                  pcms->pci_mmio64_base +
                                  pcms->pci_mmio64_size, errp);
}

/*
 * "Are my guest's writes persistent?": one line per memory backend that a
 * pmem device maps, when it is plugged (docs/system/nvdimm.md).
 */
static void pc_report_persistence(const char *what, const char *id,
                                  HostMemoryBackend *b, bool guest_flushes)
{
    HostMemPersistence p;
    const char *file = object_is_memory_backend_file(OBJECT(b)) ?
                       MEMORY_BACKEND_FILE(b)->mem_path : NULL;
    const char *flush;

    host_memory_backend_get_persistence(b, &p);
    /* virtio-pmem: a guest flush is an fdatasync of the file. */
    flush = guest_flushes && p.level == HOSTMEM_PERSIST_PAGE_CACHE ?
            "; what the guest flushed (fsync, sync) survives a host crash "
            "too: each guest flush is an fdatasync of the file" : "";
    info_report("%s '%s' on memory backend '%s'%s%s%s: %s%s (%s)", what,
                id ? id : "(anonymous)", OBJECT(b)->id, file ? " (" : "",
                file ? file : "", file ? ")" : "",
                hostmem_persistence_survival(&p), flush, p.detail);
}

/*
 * A realized NVDIMM: its NUMA node, a slot, a place in the device-memory
 * window, the KVM mapping, then the NFIT.  A failure leaves the slot, the
 * range and the guest address space as they were.
 */
static bool pc_nvdimm_plug(PCMachineState *pcms, NVDIMMDevice *nv,
                           Error **errp)
{
    Object *obj = OBJECT(nv);
    int64_t slot = nv->slot;
    uint64_t addr = nv->addr;
    uint64_t align = host_memory_backend_get_align(nv->hostmem);

    /* pmemvm has one NUMA node. */
    if (nv->node >= 1) {
        error_setg(errp, "'DIMM property node has value %" PRIu32 "' which "
                   "exceeds the number of numa nodes: %d", nv->node, 1);
        return false;
    }
    if (!memory_device_claim_slot(&slot, errp)) {
        return false;
    }
    if (!memory_device_claim_range(&addr, nv->region_size, align, obj->id,
                                   errp)) {
        memory_device_release_slot(slot);
        return false;
    }
    nv->guest_region = guest_ram_add(obj->id ? obj->id : "nvdimm", addr,
                                     nv->region_size, nv->hostmem->ptr,
                                     host_memory_backend_is_readonly(
                                         nv->hostmem), errp);
    if (!nv->guest_region) {
        memory_device_release_range(addr, nv->region_size);
        memory_device_release_slot(slot);
        return false;
    }
    nv->slot = slot;
    nv->addr = addr;
    memory_device_plug(nv, addr, nv->region_size, nvdimm_memory_device_info);
    /* Hot-added: the FIT changes and the GED tells the guest (notify). */
    nvdimm_acpi_plug(&pcms->nvdimm_state, nvdimm_acpi_dimm(nv),
                     obj->hotplugged);
    pc_report_persistence("nvdimm", obj->id, nv->hostmem, false);
    return true;
}

/*
 * A realized virtio-pmem-pci: its region in the device-memory window
 * (memaddr or the first fit; QEMU counts it against maxmem, not slots),
 * mapped from the backend; then its BARs.  A failure undoes it all.
 */
static bool pc_virtio_pmem_plug(PCMachineState *pcms, VirtIOPMEMPCI *vp,
                                Error **errp)
{
    Object *obj = OBJECT(vp);
    HostMemoryBackend *b = vp->pmem.hostmem;
    uint64_t addr = vp->pmem.memaddr;

    if (!memory_device_claim_range(&addr, vp->pmem.size,
                                   host_memory_backend_get_align(b), obj->id,
                                   errp)) {
        return false;
    }
    vp->guest_region = guest_ram_add(obj->id ? obj->id : "virtio-pmem",
                                     addr, vp->pmem.size, b->ptr,
                                     host_memory_backend_is_readonly(b),
                                     errp);
    if (!vp->guest_region) {
        memory_device_release_range(addr, vp->pmem.size);
        return false;
    }
    virtio_pmem_set_start(&vp->pmem, addr);
    if (!pc_pci_assign(pcms, &vp->proxy.pci_dev, errp)) {
        guest_ram_del(vp->guest_region);
        vp->guest_region = NULL;
        memory_device_release_range(addr, vp->pmem.size);
        return false;
    }
    /* As QEMU's memory_device_set_addr(): qom-get memaddr shows it. */
    vp->pmem.memaddr = addr;
    memory_device_plug(vp, addr, vp->pmem.size,
                       virtio_pmem_pci_memory_device_info);
    pc_report_persistence("virtio-pmem", obj->id, b, true);
    return true;
}

/* The region leaves the guest, then its range is free again. */
static void pc_virtio_pmem_unplug(VirtIOPMEMPCI *vp)
{
    memory_device_unplug(vp);
    guest_ram_del(vp->guest_region);
    vp->guest_region = NULL;
    memory_device_release_range(vp->pmem.start, vp->pmem.size);
}

/* -device isa-serial: COM1 on its chardev, if COM1 is free. */
static bool pc_serial_pre_plug(PCMachineState *pcms, ISASerialState *s,
                               Error **errp)
{
    if (s->index != 0) {
        error_setg(errp, "isa-serial: index %u: pmemvm has one serial port "
                   "(COM1, index 0)", s->index);
        return false;
    }
    if (pcms->serial) {
        error_setg(errp, "isa-serial: COM1 is in use (-serial); pmemvm has "
                   "one serial port");
        return false;
    }
    if (s->chardev && !qemu_chr_find(s->chardev)) {
        error_setg(errp, "Property 'isa-serial.chardev' can't find value "
                   "'%s'", s->chardev);
        return false;
    }
    return true;
}

static bool pc_serial_plug(PCMachineState *pcms, ISASerialState *s,
                           Error **errp)
{
    Chardev *chr = s->chardev ? qemu_chr_find(s->chardev) : NULL;

    pcms->serial = serial_init(LAYOUT_PORT_COM1, pcms->gsi[LAYOUT_IRQ_COM1],
                               chr, errp);
    return pcms->serial != NULL;
}

/* A PCI device is in its slot: remember it; tell a running guest. */
static void pc_pci_plugged(PCMachineState *pcms, PCIDevice *d)
{
    PcPciSlot *ps = &pcms->hotplug->slots[PCI_DEVFN_SLOT(d->devfn)];

    g_free(ps->dev_id);
    ps->dev_id = g_strdup(OBJECT(d)->id);
    ps->unplug_requested = false;
    g_atomic_int_inc(&ps->gen);
    if (OBJECT(d)->hotplugged && pcms->pci_hotplug) {
        pci_hotplug_device_check(pcms->pci_hotplug,
                                 PCI_DEVFN_SLOT(d->devfn));
    }
}

static bool pc_machine_pre_plug(void *opaque, Object *dev, Error **errp)
{
    PCMachineState *pcms = opaque;

    if (type_is_a(dev->type, TYPE_ISA_SERIAL)) {
        return pc_serial_pre_plug(pcms, ISA_SERIAL(dev), errp);
    }
    if (type_is_a(dev->type, TYPE_NVDIMM)) {
        return pc_memory_pre_plug(pcms, errp);
    }
    if (type_is_a(dev->type, TYPE_PCI_DEVICE) && dev->hotplugged &&
        !pcms->pci_hotplug) {
        /* QEMU's words when the bus has no hotplug controller. */
        error_setg(errp, "Bus '%s' does not support hotplugging",
                   PCI_BUS_NAME);
        return false;
    }
    if (type_is_a(dev->type, TYPE_VIRTIO_PMEM_PCI)) {
        return memory_device_check_enabled(errp);
    }
    return true;
}

static bool pc_machine_plug(void *opaque, Object *dev, Error **errp)
{
    PCMachineState *pcms = opaque;

    if (type_is_a(dev->type, TYPE_ISA_SERIAL)) {
        return pc_serial_plug(pcms, ISA_SERIAL(dev), errp);
    }
    if (type_is_a(dev->type, TYPE_NVDIMM)) {
        return pc_nvdimm_plug(pcms, NVDIMM(dev), errp);
    }
    if (type_is_a(dev->type, TYPE_VIRTIO_PMEM_PCI)) {
        if (!pc_virtio_pmem_plug(pcms, VIRTIO_PMEM_PCI(dev), errp)) {
            return false;
        }
    } else if (type_is_a(dev->type, TYPE_PCI_DEVICE)) {
        if (!pc_pci_assign(pcms, PCI_DEVICE(dev), errp)) {
            return false;
        }
    }
    if (type_is_a(dev->type, TYPE_PCI_DEVICE)) {
        pc_pci_plugged(pcms, PCI_DEVICE(dev));
    }
    return true;
}

/* ---- Unplug ---- */

/* device_del of a PCI device: ask the guest to release its slot. */
static bool pc_pci_unplug_request(PCMachineState *pcms, PCIDevice *d,
                                  Error **errp)
{
    PcPciSlot *ps = &pcms->hotplug->slots[PCI_DEVFN_SLOT(d->devfn)];

    if (!pcms->pci_hotplug) {
        error_setg(errp, "Bus '%s' does not support hotplugging",
                   PCI_BUS_NAME);
        return false;
    }
    /*
     * As QEMU 7.2: a second request waits until the guest ran since the
     * first (QEMU: 1 ms of virtual time), so a stopped guest's request
     * is not repeated; a running guest gets the event again (one sent
     * before its ACPI was up is lost).
     */
    if (ps->unplug_requested && !runstate_is_running()) {
        error_setg(errp, "Device %s is already in the process of unplug",
                   OBJECT(d)->id);
        return false;
    }
    ps->unplug_requested = true;
    pci_hotplug_eject_request(pcms->pci_hotplug, PCI_DEVFN_SLOT(d->devfn));
    return true;
}

static bool pc_machine_unplug_request(void *opaque, Object *dev,
                                      Error **errp)
{
    PCMachineState *pcms = opaque;

    if (type_is_a(dev->type, TYPE_NVDIMM)) {
        /* Neither QEMU nor Linux's NFIT driver can unplug an NVDIMM. */
        error_setg(errp, "nvdimm device hot unplug is not supported yet.");
        return false;
    }
    if (type_is_a(dev->type, TYPE_PCI_DEVICE)) {
        return pc_pci_unplug_request(pcms, PCI_DEVICE(dev), errp);
    }
    error_setg(errp, "Device '%s' does not support hot-unplug",
               dev->type->name);
    return false;
}

/* The guest let go: unwire what plug wired. */
static void pc_machine_unplug(void *opaque, Object *dev)
{
    PCMachineState *pcms = opaque;

    if (type_is_a(dev->type, TYPE_VIRTIO_PMEM_PCI)) {
        pc_virtio_pmem_unplug(VIRTIO_PMEM_PCI(dev));
    }
    if (type_is_a(dev->type, TYPE_PCI_DEVICE)) {
        PCIDevice *d = PCI_DEVICE(dev);

        pcms->hotplug->slots[PCI_DEVFN_SLOT(d->devfn)].unplug_requested =
            false;
    }
}

static const HotplugHandlerOps pc_hotplug_ops = {
    .pre_plug = pc_machine_pre_plug,
    .plug = pc_machine_plug,
    .unplug_request = pc_machine_unplug_request,
    .unplug = pc_machine_unplug,
};

/*
 * Take @d away (main thread).  A running guest's vCPUs are parked
 * meanwhile: none is in one of the device's MMIO handlers or can touch
 * its region while they go.
 */
static void pc_pci_remove(PCMachineState *pcms, PCIDevice *d)
{
    bool running = runstate_is_running();

    if (running) {
        accel_pause_vcpus();
    }
    qdev_unplug_complete(OBJECT(d));
    if (running) {
        accel_resume_vcpus();
    }
}

/* The guest evaluated _EJ0 of @slot. */
static void pc_pci_eject(PCMachineState *pcms, unsigned slot)
{
    PCIDevice *d = pci_bus_find(pcms->pci_bus, PCI_DEVFN(slot, 0));

    if (!d) {
        guest_error("PCI hotplug: eject of empty slot %u ignored", slot);
        return;
    }
    if (!OBJECT(d)->type->hotpluggable) {
        guest_error("PCI hotplug: slot %u holds %s, which cannot be "
                    "unplugged; eject ignored", slot, OBJECT(d)->type->name);
        return;
    }
    /* Without a request too: the guest may give a device up itself. */
    pc_pci_remove(pcms, d);
}

static gboolean pc_hotplug_run(gpointer opaque)
{
    PCMachineState *pcms = opaque;
    PcHotplug *hp = pcms->hotplug;
    g_autoptr(GArray) ops = NULL;
    guint i;

    g_mutex_lock(&hp->lock);
    ops = hp->ops;
    hp->ops = g_array_new(FALSE, FALSE, sizeof(PcHotplugOp));
    g_source_unref(hp->source);
    hp->source = NULL;
    g_mutex_unlock(&hp->lock);
    for (i = 0; i < ops->len; i++) {
        PcHotplugOp *op = &g_array_index(ops, PcHotplugOp, i);
        g_autofree char *slot = g_strdup_printf("%u", op->slot);

        if (op->eject) {
            /*
             * An eject the guest wrote before the device now in the slot
             * was plugged was meant for the one before (already gone).
             */
            if (op->gen == g_atomic_int_get(&hp->slots[op->slot].gen)) {
                pc_pci_eject(pcms, op->slot);
            } else {
                guest_error("PCI hotplug: eject of slot %u ignored: a "
                            "device was plugged there since", op->slot);
            }
        } else {
            acpi_ost_report(ACPI_OST_SLOT_PCI, slot,
                            hp->slots[op->slot].dev_id, op->event,
                            op->status);
        }
    }
    return G_SOURCE_REMOVE;
}

/* vCPU thread: queue what the guest wrote for the main loop. */
static void pc_hotplug_queue(PCMachineState *pcms, PcHotplugOp *op)
{
    PcHotplug *hp = pcms->hotplug;

    op->gen = g_atomic_int_get(&hp->slots[op->slot].gen);
    g_mutex_lock(&hp->lock);
    g_array_append_val(hp->ops, *op);
    if (!hp->source) {
        hp->source = g_idle_source_new();
        g_source_set_callback(hp->source, pc_hotplug_run, pcms, NULL);
        g_source_attach(hp->source, qemu_main_context());
    }
    g_mutex_unlock(&hp->lock);
}

static void pc_hotplug_notify(void *opaque)
{
    PCMachineState *pcms = opaque;

    ged_raise_event(pcms->ged, GED_EVENT_PCI_HOTPLUG);
}

static void pc_hotplug_eject_cb(void *opaque, unsigned slot)
{
    PcHotplugOp op = { .slot = slot, .eject = true };

    pc_hotplug_queue(opaque, &op);
}

static void pc_hotplug_ost_cb(void *opaque, unsigned slot, uint32_t event,
                              uint32_t status)
{
    PcHotplugOp op = { .slot = slot, .event = event, .status = status };

    pc_hotplug_queue(opaque, &op);
}

static const PciHotplugOps pc_pci_hotplug_ops = {
    .notify = pc_hotplug_notify,
    .eject = pc_hotplug_eject_cb,
    .ost = pc_hotplug_ost_cb,
};

/* A hot-added NVDIMM changed the FIT: the GED's _EVT notifies NVDR. */
static void pc_nvdimm_notify(void *opaque)
{
    PCMachineState *pcms = opaque;

    ged_raise_event(pcms->ged, GED_EVENT_NVDIMM_HOTPLUG);
}

void pc_hotplug_reset(PCMachineState *pcms)
{
    unsigned slot;

    /* A reset guest cannot answer the requests its old kernel got. */
    for (slot = PCI_HOTPLUG_FIRST_SLOT; slot < PCI_HOTPLUG_SLOTS; slot++) {
        PCIDevice *d = pci_bus_find(pcms->pci_bus, PCI_DEVFN(slot, 0));

        if (d && pcms->hotplug->slots[slot].unplug_requested) {
            qdev_unplug_complete(OBJECT(d));
        }
    }
}

bool pc_hotplug_init(PCMachineState *pcms, Error **errp)
{
    PcHotplug *hp = g_new0(PcHotplug, 1);

    G_STATIC_ASSERT(LAYOUT_PCI_HOTPLUG_SIZE == PCI_HOTPLUG_REGS_SIZE);
    g_mutex_init(&hp->lock);
    hp->ops = g_array_new(FALSE, FALSE, sizeof(PcHotplugOp));
    pcms->hotplug = hp;
    pcms->nvdimm_state.notify = pc_nvdimm_notify;
    pcms->nvdimm_state.notify_opaque = pcms;
    /* As QEMU: no ACPI, no hotplug controller on the bus. */
    if (pc_acpi_enabled(pcms)) {
        pcms->pci_hotplug = pci_hotplug_init(LAYOUT_PCI_HOTPLUG_BASE,
                                             &pc_pci_hotplug_ops, pcms,
                                             errp);
        if (!pcms->pci_hotplug) {
            return false;
        }
    }
    qdev_set_hotplug_handler(&pc_hotplug_ops, pcms);
    return true;
}
