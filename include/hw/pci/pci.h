/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conventional PCI (PCI Local Bus 3.0): one bus, pci.0, behind the pc
 * machine's host bridge (hw/pci/pci-host.c), and the PCI device every
 * PCI model starts from: 256 bytes of configuration space with the
 * standard header, a capability list, up to six BARs that the machine
 * assigns (there is no firmware) and that are mapped into the guest while
 * the command register enables decoding, and one INTx pin.
 *
 * Register names are Linux's <linux/pci_regs.h>.
 *
 * Threads: configuration accesses come from vCPU threads (the host
 * bridge's ports and ECAM) and the main loop (QMP, plug); each device's
 * configuration space is behind its own lock.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include <linux/pci_regs.h>
#include "qom/object.h"
#include "hw/irq.h"
#include "hw/core/memory.h"

#define TYPE_PCI_DEVICE         "pci-device"
#define PCI_BUS_NAME            "pci.0"

#define PCI_SLOT_MAX            32
#define PCI_FUNC_MAX            8
#define PCI_DEVFN_MAX           (PCI_SLOT_MAX * PCI_FUNC_MAX)
#define PCI_DEVFN(slot, fn)     (((slot) << 3) | (fn))
#define PCI_DEVFN_SLOT(devfn)   ((devfn) >> 3)
#define PCI_DEVFN_FUNC(devfn)   ((devfn) & 7)
#define PCI_DEVFN_AUTO          (-1)
#define PCI_CONFIG_SIZE         256
#define PCI_NUM_BARS            6
#define PCI_NUM_INTX            4       /* INTA..INTD */
#define PCI_BAR_UNMAPPED        UINT64_MAX

/* Property names of every PCI device. */
#define PCI_PROP_ADDR           "addr"
#define PCI_PROP_MULTIFUNCTION  "multifunction"
#define PCI_PROP_BUS            "bus"

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;
typedef struct MSIXState MSIXState;

typedef struct PCIBar {
    uint64_t size;                  /* 0: no BAR; else a power of two */
    uint8_t type;                   /* PCI_BASE_ADDRESS_* flag bits */
    const MMIOOps *ops;             /* memory BARs */
    void *opaque;
    uint64_t mapped_at;             /* PCI_BAR_UNMAPPED or the address */
} PCIBar;

struct PCIDevice {
    Object parent_obj;
    /* properties */
    int32_t devfn;                  /* "addr": PCI_DEVFN_AUTO or slot.fn */
    bool multifunction;
    char *bus_name;                 /* "bus": must be pci.0 */
    /* QEMU's, kept (qom-get, info qtree show them) but no effect here */
    char *ignored_romfile;
    char *ignored_str;
    uint32_t ignored_rombar;
    uint32_t ignored_romsize;
    uint32_t ignored_acpi_index;
    /* state */
    GMutex lock;                    /* config, wmask, w1cmask, bars */
    uint8_t config[PCI_CONFIG_SIZE];
    uint8_t wmask[PCI_CONFIG_SIZE];     /* bits the guest may write */
    uint8_t w1cmask[PCI_CONFIG_SIZE];   /* bits a 1 clears (status) */
    PCIBar bars[PCI_NUM_BARS];
    PCIBus *bus;
    qemu_irq intx;                  /* the bus line the pin is wired to */
    bool intx_level;                /* the device asserts its pin */
    bool intx_on_bus;               /* ... and it counts on the line */
    uint8_t cap_end;                /* where the next capability goes */
    MSIXState *msix;                /* hw/pci/msix.c, or NULL */
    /*
     * A device with registers of its own in configuration space (MSI-X
     * control, virtio's PCI config access capability) sees writes after
     * they were stored, and reads before they are answered; both with
     * the lock held.  Either may be NULL.
     */
    void (*config_written)(PCIDevice *d, uint32_t addr, uint32_t val,
                           unsigned len);
    void (*config_reading)(PCIDevice *d, uint32_t addr, unsigned len);
    /* BAR @bar now decodes at @addr, or no longer (PCI_BAR_UNMAPPED);
     * lock held.  May be NULL. */
    void (*bar_moved)(PCIDevice *d, unsigned bar, uint64_t addr);
};

#define PCI_DEVICE(obj) ((PCIDevice *)(obj))

/* ---- The bus (owned by the host bridge) ---- */

/*
 * The bus, with @intx[0..3] the machine's lines for INTA..INTD of slot 0
 * (a device's pin reaches line (slot + pin - 1) % 4, the usual swizzle).
 */
PCIBus *pci_bus_new(const qemu_irq intx[PCI_NUM_INTX]);
PCIBus *pci_bus_get(void);
/* The device at @devfn, or NULL. */
PCIDevice *pci_bus_find(PCIBus *bus, unsigned devfn);
/* Every device in devfn order (g_ptr_array_unref). */
GPtrArray *pci_bus_devices(PCIBus *bus);

/*
 * Configuration space through the host bridge: reads of a function that
 * is not there return all ones; offsets past 255 read 0 and ignore
 * writes (conventional PCI through ECAM).
 */
uint32_t pci_bus_config_read(PCIBus *bus, unsigned devfn, uint32_t addr,
                             unsigned len);
void pci_bus_config_write(PCIBus *bus, unsigned devfn, uint32_t addr,
                          uint32_t val, unsigned len);

/* ---- A device's side ---- */

/*
 * Put @d on its bus: "bus" must name pci.0, "addr" a free slot.function
 * (QEMU's messages), or the first free slot with @d->devfn auto.  Sets
 * up the header (vendor, device, class, revision, subsystem ids, pin).
 */
typedef struct PCIDeviceIds {
    uint16_t vendor, device;
    uint16_t subsystem_vendor, subsystem;
    uint32_t class_code;            /* base << 16 | sub << 8 | prog-if */
    uint8_t revision;
    uint8_t intx_pin;               /* 0 none, 1 INTA .. 4 INTD */
} PCIDeviceIds;

bool pci_device_attach(PCIDevice *d, const PCIDeviceIds *ids, Error **errp);
void pci_device_detach(PCIDevice *d);

/* A memory BAR of @size bytes (a power of two >= 16); @type adds
 * PCI_BASE_ADDRESS_MEM_TYPE_64 and PCI_BASE_ADDRESS_MEM_PREFETCH. */
void pci_register_bar(PCIDevice *d, unsigned bar, uint64_t size,
                      uint8_t type, const MMIOOps *ops, void *opaque);
/* Append a capability of @len bytes with id @cap_id; its offset. */
uint8_t pci_add_capability(PCIDevice *d, uint8_t cap_id, uint8_t len);
/* Assert or deassert the INTx pin (sets the status bit too). */
void pci_set_irq(PCIDevice *d, int level);
/* Bus mastering enabled (the device may write guest memory, send MSI). */
bool pci_bus_master_enabled(PCIDevice *d);

/* Little-endian accessors of config space (caller holds d->lock). */
static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}

static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | (uint32_t)pci_get_word(p + 2) << 16;
}

/* ---- The machine's side (firmware-less) ---- */

/*
 * Give every unassigned BAR of @d an address, naturally aligned, from the
 * 32-bit window [@lo32, @hi32) or, for 64-bit BARs that do not fit there,
 * [@lo64, @hi64); enable memory decoding.  False if a window is full.
 */
/* The bus line (0..3, INTA of slot 0 is 0) @d's pin reaches, or -1. */
int pci_device_intx_line(PCIDevice *d);

/*
 * Write Interrupt Line as firmware does: the GSI of @d's bus line, the
 * lines being wired to GSIs @gsi_base..@gsi_base+3 (0xFF without a pin).
 * Linux routes by _PRT and does not read it; tools print it.
 */
void pci_device_set_interrupt_line(PCIDevice *d, unsigned gsi_base);

bool pci_device_assign_bars(PCIDevice *d, uint64_t lo32, uint64_t hi32,
                            uint64_t lo64, uint64_t hi64, Error **errp);

#endif
