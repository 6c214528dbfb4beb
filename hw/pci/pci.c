/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conventional PCI: the bus and the device every PCI model starts from.
 * See include/hw/pci/pci.h.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"

#define PCI_ALL_ONES            0xFFFFFFFFu
#define PCI_MIN_MEM_BAR         16
/* Command bits the guest may change (PCI 3.0 §6.2.2). */
#define PCI_COMMAND_WMASK       (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | \
                                 PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
                                 PCI_COMMAND_SERR | \
                                 PCI_COMMAND_INTX_DISABLE)
/* Status bits that are write-1-to-clear. */
#define PCI_STATUS_W1C          (PCI_STATUS_PARITY | \
                                 PCI_STATUS_SIG_TARGET_ABORT | \
                                 PCI_STATUS_REC_TARGET_ABORT | \
                                 PCI_STATUS_REC_MASTER_ABORT | \
                                 PCI_STATUS_SIG_SYSTEM_ERROR | \
                                 PCI_STATUS_DETECTED_PARITY)

struct PCIBus {
    GMutex lock;                    /* devices[] */
    PCIDevice *devices[PCI_DEVFN_MAX];
    qemu_irq intx[PCI_NUM_INTX];
    int intx_count[PCI_NUM_INTX];   /* asserting devices per line */
};

static PCIBus *the_bus;

/* [a, a+alen) and [b, b+blen) intersect. */
static bool ranges_overlap_u32(uint32_t a, uint32_t alen, uint32_t b,
                               uint32_t blen)
{
    return a < b + blen && b < a + alen;
}

static int pci_intx_update_locked(PCIDevice *d);
static void pci_intx_apply(PCIDevice *d, int delta);

PCIBus *pci_bus_new(const qemu_irq intx[PCI_NUM_INTX])
{
    PCIBus *bus = g_new0(PCIBus, 1);

    g_mutex_init(&bus->lock);
    memcpy(bus->intx, intx, sizeof(bus->intx));
    the_bus = bus;
    return bus;
}

PCIBus *pci_bus_get(void)
{
    return the_bus;
}

PCIDevice *pci_bus_find(PCIBus *bus, unsigned devfn)
{
    PCIDevice *d;

    if (!bus || devfn >= PCI_DEVFN_MAX) {
        return NULL;
    }
    g_mutex_lock(&bus->lock);
    d = bus->devices[devfn];
    g_mutex_unlock(&bus->lock);
    return d;
}

GPtrArray *pci_bus_devices(PCIBus *bus)
{
    GPtrArray *list = g_ptr_array_new();
    unsigned i;

    if (!bus) {
        return list;
    }
    g_mutex_lock(&bus->lock);
    for (i = 0; i < PCI_DEVFN_MAX; i++) {
        if (bus->devices[i]) {
            g_ptr_array_add(list, bus->devices[i]);
        }
    }
    g_mutex_unlock(&bus->lock);
    return list;
}

/* ---- BAR mapping ---- */

/* The address BAR @i decodes now, or PCI_BAR_UNMAPPED (lock held). */
static uint64_t pci_bar_address(PCIDevice *d, unsigned i)
{
    PCIBar *b = &d->bars[i];
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    uint64_t addr;

    if (!b->size || !(cmd & PCI_COMMAND_MEMORY) ||
        (b->type & PCI_BASE_ADDRESS_SPACE_IO)) {
        return PCI_BAR_UNMAPPED;
    }
    addr = pci_get_long(d->config + PCI_BASE_ADDRESS_0 + 4 * i) &
           PCI_BASE_ADDRESS_MEM_MASK;
    if (b->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr |= (uint64_t)pci_get_long(d->config + PCI_BASE_ADDRESS_0 +
                                       4 * (i + 1)) << 32;
    }
    /* 0 is "not assigned"; an address that wraps decodes nothing. */
    if (!addr || addr + b->size - 1 < addr) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

/* Make the mappings follow the BARs and the command register. */
static void pci_update_mappings(PCIDevice *d)
{
    unsigned i;

    for (i = 0; i < PCI_NUM_BARS; i++) {
        PCIBar *b = &d->bars[i];
        uint64_t addr = pci_bar_address(d, i);
        g_autofree char *name = NULL;

        if (addr == b->mapped_at) {
            continue;
        }
        if (b->mapped_at != PCI_BAR_UNMAPPED) {
            mmio_unregister(b->mapped_at);
            b->mapped_at = PCI_BAR_UNMAPPED;
            if (d->bar_moved) {
                d->bar_moved(d, i, PCI_BAR_UNMAPPED);
            }
        }
        if (addr == PCI_BAR_UNMAPPED) {
            continue;
        }
        name = g_strdup_printf("%s.bar%u", OBJECT(d)->type->name, i);
        if (mmio_register(name, addr, b->size, b->ops, b->opaque)) {
            b->mapped_at = addr;
            if (d->bar_moved) {
                d->bar_moved(d, i, addr);
            }
        } else {
            /* As on hardware, an overlapping BAR decodes nothing useful. */
            guest_error("PCI %02x.%x: BAR %u at 0x%" PRIx64 " (size 0x%"
                        PRIx64 ") overlaps other memory; not mapped",
                        PCI_DEVFN_SLOT(d->devfn), PCI_DEVFN_FUNC(d->devfn),
                        i, addr, b->size);
        }
    }
}

void pci_register_bar(PCIDevice *d, unsigned bar, uint64_t size,
                      uint8_t type, const MMIOOps *ops, void *opaque)
{
    PCIBar *b = &d->bars[bar];
    unsigned off = PCI_BASE_ADDRESS_0 + 4 * bar;
    uint64_t wmask = ~(size - 1);

    assert(bar < PCI_NUM_BARS && size >= PCI_MIN_MEM_BAR &&
           !(size & (size - 1)));
    assert(!(type & PCI_BASE_ADDRESS_MEM_TYPE_64) || bar + 1 < PCI_NUM_BARS);
    *b = (PCIBar) {
        .size = size, .type = type, .ops = ops, .opaque = opaque,
        .mapped_at = PCI_BAR_UNMAPPED,
    };
    pci_set_long(d->config + off, type);
    pci_set_long(d->wmask + off, (uint32_t)wmask & PCI_BASE_ADDRESS_MEM_MASK);
    if (type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        pci_set_long(d->wmask + off + 4, wmask >> 32);
    }
}

uint8_t pci_add_capability(PCIDevice *d, uint8_t cap_id, uint8_t len)
{
    uint8_t at = d->cap_end ? d->cap_end : PCI_STD_HEADER_SIZEOF;

    /* Bottom-up from 0x40, each linked in front: QEMU's offsets. */
    assert((unsigned)at + len <= PCI_CONFIG_SIZE);
    d->config[at + PCI_CAP_LIST_ID] = cap_id;
    d->config[at + PCI_CAP_LIST_NEXT] = d->config[PCI_CAPABILITY_LIST];
    d->config[PCI_CAPABILITY_LIST] = at;
    pci_set_word(d->config + PCI_STATUS,
                 pci_get_word(d->config + PCI_STATUS) | PCI_STATUS_CAP_LIST);
    d->cap_end = QEMU_ALIGN_UP(at + len, 4);
    return at;
}

/* ---- Configuration space ---- */

static uint32_t pci_device_config_read(PCIDevice *d, uint32_t addr,
                                       unsigned len)
{
    uint32_t val = 0;
    unsigned i;

    g_mutex_lock(&d->lock);
    if (d->config_reading) {
        d->config_reading(d, addr, len);
    }
    for (i = 0; i < len; i++) {
        val |= (uint32_t)d->config[addr + i] << (8 * i);
    }
    g_mutex_unlock(&d->lock);
    return val;
}

static void pci_device_config_write(PCIDevice *d, uint32_t addr,
                                    uint32_t val, unsigned len)
{
    int delta = 0;
    unsigned i;

    g_mutex_lock(&d->lock);
    for (i = 0; i < len; i++) {
        uint8_t b = val >> (8 * i), w = d->wmask[addr + i];
        uint8_t c = d->w1cmask[addr + i];

        d->config[addr + i] = (d->config[addr + i] & ~w) | (b & w);
        d->config[addr + i] &= ~(b & c);
    }
    if (d->config_written) {
        d->config_written(d, addr, val, len);
    }
    if (ranges_overlap_u32(addr, len, PCI_COMMAND, 2) ||
        ranges_overlap_u32(addr, len, PCI_BASE_ADDRESS_0,
                           4 * PCI_NUM_BARS)) {
        pci_update_mappings(d);
    }
    if (ranges_overlap_u32(addr, len, PCI_COMMAND, 2)) {
        delta = pci_intx_update_locked(d);
    }
    g_mutex_unlock(&d->lock);
    pci_intx_apply(d, delta);
}

uint32_t pci_bus_config_read(PCIBus *bus, unsigned devfn, uint32_t addr,
                             unsigned len)
{
    PCIDevice *d = pci_bus_find(bus, devfn);

    if (!d) {
        return len == 4 ? PCI_ALL_ONES : (1u << (8 * len)) - 1;
    }
    if (addr >= PCI_CONFIG_SIZE || len > PCI_CONFIG_SIZE - addr) {
        return 0;
    }
    return pci_device_config_read(d, addr, len);
}

void pci_bus_config_write(PCIBus *bus, unsigned devfn, uint32_t addr,
                          uint32_t val, unsigned len)
{
    PCIDevice *d = pci_bus_find(bus, devfn);

    if (d && addr < PCI_CONFIG_SIZE && len <= PCI_CONFIG_SIZE - addr) {
        pci_device_config_write(d, addr, val, len);
    }
}

/* ---- Plugging ---- */

/* The first free slot's function 0 (slot 0 is the host bridge's). */
static int pci_free_slot(PCIBus *bus)
{
    unsigned slot, fn;

    for (slot = 1; slot < PCI_SLOT_MAX; slot++) {
        for (fn = 0; fn < PCI_FUNC_MAX && !bus->devices[PCI_DEVFN(slot, fn)];
             fn++) {
        }
        if (fn == PCI_FUNC_MAX) {
            return PCI_DEVFN(slot, 0);
        }
    }
    return -1;
}

static void pci_device_header(PCIDevice *d, const PCIDeviceIds *ids)
{
    uint8_t *c = d->config;

    pci_set_word(c + PCI_VENDOR_ID, ids->vendor);
    pci_set_word(c + PCI_DEVICE_ID, ids->device);
    c[PCI_REVISION_ID] = ids->revision;
    c[PCI_CLASS_PROG] = ids->class_code;
    pci_set_word(c + PCI_CLASS_DEVICE, ids->class_code >> 8);
    c[PCI_HEADER_TYPE] = d->multifunction ? 0x80 : 0;
    pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID, ids->subsystem_vendor);
    pci_set_word(c + PCI_SUBSYSTEM_ID, ids->subsystem);
    c[PCI_INTERRUPT_PIN] = ids->intx_pin;
    pci_set_word(d->wmask + PCI_COMMAND, PCI_COMMAND_WMASK);
    pci_set_word(d->w1cmask + PCI_STATUS, PCI_STATUS_W1C);
    d->wmask[PCI_CACHE_LINE_SIZE] = 0xFF;
    d->wmask[PCI_LATENCY_TIMER] = 0xFF;
    d->wmask[PCI_INTERRUPT_LINE] = 0xFF;
}

bool pci_device_attach(PCIDevice *d, const PCIDeviceIds *ids, Error **errp)
{
    PCIBus *bus = the_bus;
    int devfn = d->devfn;
    PCIDevice *other;

    if (d->bus_name && strcmp(d->bus_name, PCI_BUS_NAME)) {
        error_setg(errp, "Bus '%s' not found", d->bus_name);
        return false;
    }
    if (!bus) {
        error_setg(errp, "No 'PCI' bus found for device '%s'",
                   OBJECT(d)->type->name);
        return false;
    }
    g_mutex_lock(&bus->lock);
    if (devfn == PCI_DEVFN_AUTO) {
        devfn = pci_free_slot(bus);
        if (devfn < 0) {
            g_mutex_unlock(&bus->lock);
            error_setg(errp, "PCI: no slot/function available for %s, all "
                       "in use or reserved", OBJECT(d)->type->name);
            return false;
        }
    }
    other = bus->devices[devfn];
    if (other) {
        g_mutex_unlock(&bus->lock);
        /* QEMU's words, "(null)" for a device without an id included */
        error_setg(errp, "PCI: slot %d function %d not available for %s, in "
                   "use by %s,id=%s", PCI_DEVFN_SLOT(devfn),
                   PCI_DEVFN_FUNC(devfn), OBJECT(d)->type->name,
                   OBJECT(other)->type->name,
                   OBJECT(other)->id ? OBJECT(other)->id : "(null)");
        return false;
    }
    g_mutex_init(&d->lock);
    d->devfn = devfn;
    d->bus = bus;
    memset(d->config, 0, sizeof(d->config));
    memset(d->wmask, 0, sizeof(d->wmask));
    memset(d->w1cmask, 0, sizeof(d->w1cmask));
    d->cap_end = 0;
    pci_device_header(d, ids);
    if (ids->intx_pin) {
        d->intx = bus->intx[(PCI_DEVFN_SLOT(devfn) + ids->intx_pin - 1) %
                            PCI_NUM_INTX];
    }
    bus->devices[devfn] = d;
    g_mutex_unlock(&bus->lock);
    return true;
}

void pci_device_detach(PCIDevice *d)
{
    PCIBus *bus = d->bus;
    unsigned i;

    if (!bus) {
        return;
    }
    pci_set_irq(d, 0);
    g_mutex_lock(&bus->lock);
    bus->devices[d->devfn] = NULL;
    g_mutex_unlock(&bus->lock);
    g_mutex_lock(&d->lock);
    for (i = 0; i < PCI_NUM_BARS; i++) {
        if (d->bars[i].mapped_at != PCI_BAR_UNMAPPED) {
            mmio_unregister(d->bars[i].mapped_at);
            d->bars[i].mapped_at = PCI_BAR_UNMAPPED;
            if (d->bar_moved) {
                d->bar_moved(d, i, PCI_BAR_UNMAPPED);
            }
        }
    }
    g_mutex_unlock(&d->lock);
    g_mutex_clear(&d->lock);
    d->bus = NULL;
}

/* ---- INTx ---- */

/*
 * The pin's effect on its bus line: asserted when the device says so and
 * the command register does not disable INTx.  Lock held; returns the
 * change (+1, -1, 0) for pci_intx_apply(), called without the lock.
 */
static int pci_intx_update_locked(PCIDevice *d)
{
    int delta;
    bool on = d->intx_level &&
              !(pci_get_word(d->config + PCI_COMMAND) &
                PCI_COMMAND_INTX_DISABLE);

    pci_set_word(d->config + PCI_STATUS,
                 (pci_get_word(d->config + PCI_STATUS) &
                  ~PCI_STATUS_INTERRUPT) |
                 (d->intx_level ? PCI_STATUS_INTERRUPT : 0));
    delta = on != d->intx_on_bus ? (on ? 1 : -1) : 0;
    d->intx_on_bus = on;
    return delta;
}

int pci_device_intx_line(PCIDevice *d)
{
    uint8_t pin = d->config[PCI_INTERRUPT_PIN];

    if (pin < 1 || pin > PCI_NUM_INTX) {
        return -1;
    }
    return (PCI_DEVFN_SLOT(d->devfn) + pin - 1) % PCI_NUM_INTX;
}

void pci_device_set_interrupt_line(PCIDevice *d, unsigned gsi_base)
{
    int line = pci_device_intx_line(d);

    g_mutex_lock(&d->lock);
    d->config[PCI_INTERRUPT_LINE] = line < 0 ? 0xFF : gsi_base + line;
    g_mutex_unlock(&d->lock);
}

/* Lines are shared: a line is high while any device asserts it. */
static void pci_intx_apply(PCIDevice *d, int delta)
{
    PCIBus *bus = d->bus;
    int line, count;

    line = pci_device_intx_line(d);
    if (!delta || !d->intx || line < 0) {
        return;
    }
    g_mutex_lock(&bus->lock);
    count = bus->intx_count[line] += delta;
    g_mutex_unlock(&bus->lock);
    qemu_set_irq(d->intx, count > 0);
}

void pci_set_irq(PCIDevice *d, int level)
{
    int delta;

    if (!d->bus || !d->intx) {
        return;
    }

    g_mutex_lock(&d->lock);
    d->intx_level = !!level;
    delta = pci_intx_update_locked(d);
    g_mutex_unlock(&d->lock);
    pci_intx_apply(d, delta);
}

bool pci_bus_master_enabled(PCIDevice *d)
{
    bool on;

    g_mutex_lock(&d->lock);
    on = pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_MASTER;
    g_mutex_unlock(&d->lock);
    return on;
}

/* ---- Firmware's job: BAR addresses ---- */

static bool window_conflicts(PCIBus *bus, uint64_t addr, uint64_t size)
{
    g_autoptr(GPtrArray) devs = pci_bus_devices(bus);
    guint i;
    unsigned b;

    for (i = 0; i < devs->len; i++) {
        PCIDevice *o = g_ptr_array_index(devs, i);

        g_mutex_lock(&o->lock);
        for (b = 0; b < PCI_NUM_BARS; b++) {
            uint64_t lo = pci_get_long(o->config + PCI_BASE_ADDRESS_0 + 4 * b)
                          & PCI_BASE_ADDRESS_MEM_MASK;

            if (!o->bars[b].size) {
                continue;
            }
            if (o->bars[b].type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
                lo |= (uint64_t)pci_get_long(o->config + PCI_BASE_ADDRESS_0 +
                                             4 * (b + 1)) << 32;
            }
            if (lo && addr < lo + o->bars[b].size && lo < addr + size) {
                g_mutex_unlock(&o->lock);
                return true;
            }
        }
        g_mutex_unlock(&o->lock);
    }
    return false;
}

static uint64_t window_find(PCIBus *bus, uint64_t lo, uint64_t hi,
                            uint64_t size)
{
    uint64_t a;

    for (a = QEMU_ALIGN_UP(lo, size); a && a + size <= hi && a + size > a;
         a += size) {
        if (!window_conflicts(bus, a, size)) {
            return a;
        }
    }
    return 0;
}

bool pci_device_assign_bars(PCIDevice *d, uint64_t lo32, uint64_t hi32,
                            uint64_t lo64, uint64_t hi64, Error **errp)
{
    unsigned i;

    for (i = 0; i < PCI_NUM_BARS; i++) {
        PCIBar *b = &d->bars[i];
        unsigned off = PCI_BASE_ADDRESS_0 + 4 * i;
        uint64_t addr;

        if (!b->size) {
            continue;
        }
        addr = window_find(d->bus, lo32, hi32, b->size);
        if (!addr && (b->type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
            addr = window_find(d->bus, lo64, hi64, b->size);
        }
        if (!addr) {
            error_setg(errp, "PCI %02x.%x: no room for BAR %u (0x%" PRIx64
                       " bytes) in the host bridge's windows",
                       PCI_DEVFN_SLOT(d->devfn), PCI_DEVFN_FUNC(d->devfn), i,
                       b->size);
            return false;
        }
        g_mutex_lock(&d->lock);
        pci_set_long(d->config + off, (uint32_t)addr | b->type);
        if (b->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
            pci_set_long(d->config + off + 4, addr >> 32);
        }
        g_mutex_unlock(&d->lock);
    }
    g_mutex_lock(&d->lock);
    pci_set_word(d->config + PCI_COMMAND,
                 pci_get_word(d->config + PCI_COMMAND) | PCI_COMMAND_MEMORY);
    pci_update_mappings(d);
    g_mutex_unlock(&d->lock);
    return true;
}

/* ---- The abstract type every PCI device derives from ---- */

static const PropDef pci_device_props[] = {
    { .name = PCI_PROP_ADDR, .type = PROP_TYPE_PCI_DEVFN,
      .offset = offsetof(PCIDevice, devfn), .defval = "-1",
      .desc = "Slot and optional function number, example: 06.0 or 06" },
    DEFINE_PROP(PCI_PROP_MULTIFUNCTION, PCIDevice, multifunction,
                PROP_TYPE_BOOL, "off", "on/off"),
    { .name = PCI_PROP_BUS, .type = PROP_TYPE_STRING,
      .offset = offsetof(PCIDevice, bus_name), .hidden = true },
    /* QEMU's, taken for its command lines; pmemvm has no option ROMs. */
    DEFINE_PROP("romfile", PCIDevice, ignored_romfile, PROP_TYPE_STRING,
                NULL, "pmemvm: ignored (no option ROMs)"),
    DEFINE_PROP("rombar", PCIDevice, ignored_rombar, PROP_TYPE_UINT32, "1",
                "pmemvm: ignored (no option ROMs)"),
    DEFINE_PROP("romsize", PCIDevice, ignored_romsize, PROP_TYPE_UINT32,
                "4294967295", "pmemvm: ignored (no option ROMs)"),
    DEFINE_PROP("acpi-index", PCIDevice, ignored_acpi_index,
                PROP_TYPE_UINT32, "0",
                "pmemvm: ignored"),
    DEFINE_PROP("failover_pair_id", PCIDevice, ignored_str, PROP_TYPE_STRING,
                NULL, "pmemvm: ignored"),
    PROP_END,
};

static const TypeInfo pci_device_type = {
    .name = TYPE_PCI_DEVICE,
    .kind = OBJECT_KIND_ABSTRACT,
    .instance_size = sizeof(PCIDevice),
    .props = pci_device_props,
};

static void pci_register_types(void)
{
    type_register(&pci_device_type);
}

type_init(pci_register_types)
