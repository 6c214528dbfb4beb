/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI PCI hotplug registers: see include/hw/acpi/pci-hotplug.h and
 * docs/specs/pci-hotplug.md (the layout follows cloud-hypervisor's
 * PHPR block, with _OST registers added and no segment select).
 *
 * The guest's DSDT reads PCIU and PCID from the GED's _EVT (one method
 * at a time, under the PHPR mutex); reading returns the bits latched
 * since the last read and clears them, so an event is seen once.  Bits
 * set while the guest is not looking stay until it does.
 */
#include "qemu/osdep.h"
#include "hw/acpi/pci-hotplug.h"
#include "hw/core/memory.h"
#include "hw/core/reset.h"

/* Bits of slots that can be hot-plugged (all but the host bridge's). */
#define PCI_HOTPLUG_SLOT_MASK       (~(uint32_t)((1u << PCI_HOTPLUG_FIRST_SLOT) - 1))

struct PciHotplugState {
    GMutex lock;
    uint64_t base;
    const PciHotplugOps *ops;
    void *opaque;
    uint32_t up;                    /* PCIU */
    uint32_t down;                  /* PCID */
    uint32_t ost_slot;              /* OSLT */
    uint32_t ost_event;             /* OEVT */
};

static uint64_t pci_hotplug_read(void *opaque, uint64_t offset,
                                 unsigned size)
{
    PciHotplugState *s = opaque;
    uint32_t val = 0;

    if (size != PCI_HOTPLUG_REG_WIDTH || offset % PCI_HOTPLUG_REG_WIDTH) {
        guest_error("PCI hotplug: %u-byte read at offset 0x%" PRIx64
                    " (registers are 32-bit)", size, offset);
        return 0;
    }
    g_mutex_lock(&s->lock);
    switch (offset) {
    case PCI_HOTPLUG_REG_UP:
        val = s->up;
        s->up = 0;
        break;
    case PCI_HOTPLUG_REG_DOWN:
        val = s->down;
        s->down = 0;
        break;
    default:
        break;                      /* write-only registers read 0 */
    }
    g_mutex_unlock(&s->lock);
    return val;
}

/* B0EJ: each slot bit is an _EJ0 of that slot. */
static void pci_hotplug_eject(PciHotplugState *s, uint32_t bits)
{
    unsigned slot;

    if (bits & ~PCI_HOTPLUG_SLOT_MASK) {
        guest_error("PCI hotplug: eject of slot 0 (the host bridge) "
                    "ignored");
    }
    bits &= PCI_HOTPLUG_SLOT_MASK;
    for (slot = PCI_HOTPLUG_FIRST_SLOT; slot < PCI_HOTPLUG_SLOTS; slot++) {
        if (bits & (1u << slot)) {
            s->ops->eject(s->opaque, slot);
        }
    }
}

static void pci_hotplug_write(void *opaque, uint64_t offset, uint64_t val,
                              unsigned size)
{
    PciHotplugState *s = opaque;
    uint32_t slot, event;

    if (size != PCI_HOTPLUG_REG_WIDTH || offset % PCI_HOTPLUG_REG_WIDTH) {
        guest_error("PCI hotplug: %u-byte write at offset 0x%" PRIx64
                    " (registers are 32-bit)", size, offset);
        return;
    }
    switch (offset) {
    case PCI_HOTPLUG_REG_EJECT:
        pci_hotplug_eject(s, val);
        break;
    case PCI_HOTPLUG_REG_OST_SLOT:
        g_mutex_lock(&s->lock);
        s->ost_slot = val;
        g_mutex_unlock(&s->lock);
        break;
    case PCI_HOTPLUG_REG_OST_EVENT:
        g_mutex_lock(&s->lock);
        s->ost_event = val;
        g_mutex_unlock(&s->lock);
        break;
    case PCI_HOTPLUG_REG_OST_STATUS:
        g_mutex_lock(&s->lock);
        slot = s->ost_slot;
        event = s->ost_event;
        g_mutex_unlock(&s->lock);
        if (slot < PCI_HOTPLUG_FIRST_SLOT || slot >= PCI_HOTPLUG_SLOTS) {
            guest_error("PCI hotplug: _OST for slot %" PRIu32 " ignored "
                        "(slots are %u-%u)", slot, PCI_HOTPLUG_FIRST_SLOT,
                        PCI_HOTPLUG_SLOTS - 1);
            break;
        }
        s->ops->ost(s->opaque, slot, event, val);
        break;
    default:
        guest_error("PCI hotplug: write of 0x%" PRIx64 " to read-only "
                    "offset 0x%" PRIx64 " ignored", val, offset);
        break;
    }
}

static const MMIOOps pci_hotplug_mmio_ops = {
    .read = pci_hotplug_read,
    .write = pci_hotplug_write,
};

static void pci_hotplug_set(PciHotplugState *s, uint32_t *reg, unsigned slot)
{
    if (slot < PCI_HOTPLUG_FIRST_SLOT || slot >= PCI_HOTPLUG_SLOTS) {
        return;
    }
    g_mutex_lock(&s->lock);
    *reg |= 1u << slot;
    g_mutex_unlock(&s->lock);
    s->ops->notify(s->opaque);
}

void pci_hotplug_device_check(PciHotplugState *s, unsigned slot)
{
    pci_hotplug_set(s, &s->up, slot);
}

void pci_hotplug_eject_request(PciHotplugState *s, unsigned slot)
{
    pci_hotplug_set(s, &s->down, slot);
}

void pci_hotplug_pending(PciHotplugState *s, uint32_t *up, uint32_t *down)
{
    g_mutex_lock(&s->lock);
    *up = s->up;
    *down = s->down;
    g_mutex_unlock(&s->lock);
}

/* A reset guest enumerates the bus afresh: nothing is pending. */
static void pci_hotplug_reset(void *opaque)
{
    PciHotplugState *s = opaque;

    g_mutex_lock(&s->lock);
    s->up = s->down = 0;
    s->ost_slot = s->ost_event = 0;
    g_mutex_unlock(&s->lock);
}

PciHotplugState *pci_hotplug_init(uint64_t base, const PciHotplugOps *ops,
                                  void *opaque, Error **errp)
{
    PciHotplugState *s = g_new0(PciHotplugState, 1);

    g_mutex_init(&s->lock);
    s->base = base;
    s->ops = ops;
    s->opaque = opaque;
    if (!mmio_register("acpi-pci-hotplug", base, PCI_HOTPLUG_REGS_SIZE,
                       &pci_hotplug_mmio_ops, s)) {
        error_setg(errp, "PCI hotplug: MMIO 0x%" PRIx64 " is already in "
                   "use", base);
        g_mutex_clear(&s->lock);
        g_free(s);
        return NULL;
    }
    qemu_register_reset(pci_hotplug_reset, s);
    return s;
}
