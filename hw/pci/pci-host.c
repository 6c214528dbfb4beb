/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI host bridge: see include/hw/pci/pci-host.h.
 *
 * Mechanism #1 (PCI 3.0 §3.2.2.3.2): a 32-bit write to 0xCF8 latches
 * enable (bit 31), bus (23:16), device/function (15:8) and register
 * (7:2); 0xCFC-0xCFF then read or write that dword's bytes.  Only 32-bit
 * accesses reach the address latch: a byte at 0xCF9 is the machine's
 * reset control register (hw/acpi/ged.c).  ECAM (PCI Express 4.0 §7.2.2):
 * offset = bus << 20 | devfn << 12 | register, here bus 0 only.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci-host.h"

#define CONFIG_ADDR_ENABLE      0x80000000u
#define CONFIG_ADDR_BUS(v)      (((v) >> 16) & 0xFF)
#define CONFIG_ADDR_DEVFN(v)    (((v) >> 8) & 0xFF)
#define CONFIG_ADDR_REG(v)      ((v) & 0xFC)
#define ECAM_DEVFN_SHIFT        12
#define ECAM_FUNC_SIZE          (1u << ECAM_DEVFN_SHIFT)

typedef struct PCIHost {
    PCIBus *bus;
    GMutex lock;
    uint32_t config_addr;
    PCIDevice bridge;
} PCIHost;

static const TypeInfo pci_host_bridge_type = {
    .name = "pci-host-bridge",
    .kind = OBJECT_KIND_ABSTRACT,       /* made here, never by a user */
    .instance_size = sizeof(PCIDevice),
};

static uint32_t config_addr_read(void *opaque, uint16_t off, unsigned size)
{
    PCIHost *h = opaque;
    uint32_t v;

    if (size != 4) {
        return UINT32_MAX >> (32 - 8 * size);
    }
    g_mutex_lock(&h->lock);
    v = h->config_addr;
    g_mutex_unlock(&h->lock);
    return v;
}

static void config_addr_write(void *opaque, uint16_t off, uint32_t val,
                              unsigned size)
{
    PCIHost *h = opaque;

    if (size == 4) {
        g_mutex_lock(&h->lock);
        h->config_addr = val;
        g_mutex_unlock(&h->lock);
    }
}

static const IOPortOps config_addr_ops = {
    .read = config_addr_read,
    .write = config_addr_write,
};

/* The latched function and register, or false when disabled/bus != 0. */
static bool config_target(PCIHost *h, unsigned *devfn, uint32_t *reg)
{
    uint32_t a;

    g_mutex_lock(&h->lock);
    a = h->config_addr;
    g_mutex_unlock(&h->lock);
    *devfn = CONFIG_ADDR_DEVFN(a);
    *reg = CONFIG_ADDR_REG(a);
    return (a & CONFIG_ADDR_ENABLE) && CONFIG_ADDR_BUS(a) == 0;
}

static uint32_t config_data_read(void *opaque, uint16_t off, unsigned size)
{
    PCIHost *h = opaque;
    unsigned devfn;
    uint32_t reg;

    if (!config_target(h, &devfn, &reg) || off + size > 4) {
        return UINT32_MAX >> (32 - 8 * size);
    }
    return pci_bus_config_read(h->bus, devfn, reg + off, size);
}

static void config_data_write(void *opaque, uint16_t off, uint32_t val,
                              unsigned size)
{
    PCIHost *h = opaque;
    unsigned devfn;
    uint32_t reg;

    if (config_target(h, &devfn, &reg) && off + size <= 4) {
        pci_bus_config_write(h->bus, devfn, reg + off, val, size);
    }
}

static const IOPortOps config_data_ops = {
    .read = config_data_read,
    .write = config_data_write,
};

static uint64_t ecam_read(void *opaque, uint64_t off, unsigned size)
{
    PCIHost *h = opaque;
    uint32_t reg = off & (ECAM_FUNC_SIZE - 1);

    if (size > 4 || reg % size) {
        guest_error("PCI ECAM: %u-byte read at 0x%" PRIx64 " (misaligned "
                    "or wider than 4 bytes)", size, off);
        return UINT64_MAX >> (64 - 8 * size);
    }
    return pci_bus_config_read(h->bus, off >> ECAM_DEVFN_SHIFT, reg, size);
}

static void ecam_write(void *opaque, uint64_t off, uint64_t val,
                       unsigned size)
{
    PCIHost *h = opaque;
    uint32_t reg = off & (ECAM_FUNC_SIZE - 1);

    if (size > 4 || reg % size) {
        guest_error("PCI ECAM: %u-byte write at 0x%" PRIx64 " (misaligned "
                    "or wider than 4 bytes)", size, off);
        return;
    }
    pci_bus_config_write(h->bus, off >> ECAM_DEVFN_SHIFT, reg, val, size);
}

static const MMIOOps ecam_ops = {
    .read = ecam_read,
    .write = ecam_write,
};

PCIBus *pci_host_init(const qemu_irq intx[PCI_NUM_INTX],
                      uint16_t config_addr_port, uint16_t config_data_port,
                      uint64_t ecam, uint64_t ecam_size, Error **errp)
{
    static const PCIDeviceIds ids = {
        .vendor = PCI_HOST_VENDOR_ID,
        .device = PCI_HOST_DEVICE_ID,
        .class_code = PCI_HOST_CLASS,
        .subsystem_vendor = PCI_HOST_SUBSYSTEM_VENDOR_ID,
        .subsystem = PCI_HOST_SUBSYSTEM_ID,
    };
    PCIHost *h = g_new0(PCIHost, 1);

    g_mutex_init(&h->lock);
    h->bus = pci_bus_new(intx);
    h->bridge.parent_obj.type = &pci_host_bridge_type;
    h->bridge.devfn = PCI_DEVFN(0, 0);
    if (!pci_device_attach(&h->bridge, &ids, errp)) {
        return NULL;
    }
    /* Byte-wide to leave 0xCF9 (reset control) to its owner. */
    if (!ioport_register("pci-config-address", config_addr_port, 1,
                         &config_addr_ops, h) ||
        !ioport_register("pci-config-data", config_data_port, 4,
                         &config_data_ops, h) ||
        !mmio_register("pci-ecam", ecam, ecam_size, &ecam_ops, h)) {
        error_setg(errp, "PCI host bridge: ports 0x%x/0x%x or ECAM at 0x%"
                   PRIx64 " already in use", config_addr_port,
                   config_data_port, ecam);
        return NULL;
    }
    return h->bus;
}
