/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP "info qtree", short form: the buses pmemvm has and the devices on
 * them, in QEMU 7.2's layout and property format.  The system bus holds
 * the PCI host; its bus pci.0 holds the PCI functions; a virtio-*-pci
 * function holds its virtio-bus with the virtio device.  Devices on no
 * bus (nvdimm) are not listed, as in QEMU; neither are the ISA and
 * platform devices QEMU's pc has and pmemvm does not.
 */
#include "qemu/osdep.h"

#include "hw/pci/pci-info.h"
#include "hw/virtio/virtio-pmem-pci.h"
#include "hmp-internal.h"

/* QEMU's size_to_str(): "2 GiB", "128 KiB", "1.5 MiB". */
static char *size_to_str(uint64_t val)
{
    static const char *const suffixes[] = { "", "Ki", "Mi", "Gi", "Ti",
                                            "Pi", "Ei" };
    unsigned i = 0;

    while (i + 1 < G_N_ELEMENTS(suffixes) && val >= 1024ULL << (i * 10)) {
        i++;
    }
    return g_strdup_printf("%0.3g %sB", (double)val / (1ULL << (i * 10)),
                           suffixes[i]);
}

/* One property line, in the format of QEMU's qdev_print_props(). */
static void print_prop(Monitor *mon, int indent, Object *obj,
                       const PropDef *p)
{
    g_autofree char *text = object_property_print(obj, p->name);
    g_autofree char *human = NULL;
    int64_t i64;

    monitor_printf(mon, "%*s%s = ", indent, "", p->name);
    switch (p->type) {
    case PROP_TYPE_BOOL:
        monitor_printf(mon, "%s\n", !g_strcmp0(text, "on") ? "true" :
                       "false");
        break;
    case PROP_TYPE_INT32:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
        i64 = p->type == PROP_TYPE_INT32 ?
              g_ascii_strtoll(text, NULL, 10) :
              (int64_t)g_ascii_strtoull(text, NULL, 10);
        monitor_printf(mon, "%s (0x%" PRIx64 ")\n", text, (uint64_t)i64);
        break;
    case PROP_TYPE_SIZE:
        human = size_to_str(g_ascii_strtoull(text, NULL, 10));
        monitor_printf(mon, "%s (%s)\n", text, human);
        break;
    case PROP_TYPE_PCI_DEVFN:
        monitor_printf(mon, "%s\n", text);
        break;
    case PROP_TYPE_STRING:
    case PROP_TYPE_ENUM:
    case PROP_TYPE_UUID:
        monitor_printf(mon, "\"%s\"\n", text ? text : "");
        break;
    }
}

/*
 * The properties of @obj, its own type's first (QEMU's order), leaving
 * out links and hidden ones, and @skip (printed elsewhere).
 */
static void print_props(Monitor *mon, int indent, Object *obj,
                        const char *skip)
{
    for (const TypeInfo *t = obj->type; t;
         t = t->parent ? type_lookup(t->parent) : NULL) {
        for (const PropDef *p = t->props; p && p->name; p++) {
            if (p->hidden || (skip && !strcmp(p->name, skip)) ||
                (p->qom_type && g_str_has_prefix(p->qom_type, "link<"))) {
                continue;
            }
            print_prop(mon, indent, obj, p);
        }
    }
}

static void print_pci_function(Monitor *mon, int indent, PCIDevice *d)
{
    Object *obj = OBJECT(d);
    bool virtio_pmem = type_is_a(obj->type, TYPE_VIRTIO_PMEM_PCI);
    PCIDeviceInfo info;

    pci_device_get_info(d, &info);
    monitor_printf(mon, "%*sdev: %s, id \"%s\"\n", indent, "",
                   obj->type->name, obj->id ? obj->id : "");
    print_props(mon, indent + 2, obj,
                virtio_pmem ? VIRTIO_PMEM_PROP_MEMADDR : NULL);
    monitor_printf(mon, "%*sclass ", indent + 2, "");
    if (info.class_desc) {
        monitor_printf(mon, "%s", info.class_desc);
    } else {
        monitor_printf(mon, "Class %04x", info.class_code);
    }
    monitor_printf(mon, ", addr %02x:%02x.%x, pci id %04x:%04x (sub "
                   "%04x:%04x)\n", info.bus, info.slot, info.function,
                   info.vendor, info.device, info.subsystem_vendor,
                   info.subsystem);
    for (unsigned i = 0; i < info.nr_regions; i++) {
        const PCIRegionInfo *r = &info.regions[i];

        monitor_printf(mon, "%*sbar %u: %s at 0x%" PRIx64 " [0x%" PRIx64
                       "]\n", indent + 2, "", r->bar, r->io ? "i/o" : "mem",
                       r->address, r->address + r->size - 1);
    }
    if (virtio_pmem) {
        const PropDef *memaddr = object_find_prop(obj->type,
                                                  VIRTIO_PMEM_PROP_MEMADDR);

        monitor_printf(mon, "%*sbus: virtio-bus\n", indent + 2, "");
        monitor_printf(mon, "%*stype virtio-pci-bus\n", indent + 4, "");
        monitor_printf(mon, "%*sdev: virtio-pmem, id \"\"\n", indent + 4,
                       "");
        print_prop(mon, indent + 6, obj, memaddr);
    }
}

void hmp_info_qtree(Monitor *mon, char **argv)
{
    PCIBus *bus = pci_bus_get();
    g_autoptr(GPtrArray) devs = NULL;

    monitor_puts(mon, "bus: main-system-bus\n");
    monitor_puts(mon, "  type System\n");
    if (!bus) {
        return;
    }
    monitor_puts(mon, "  dev: pci-host, id \"\"\n");
    monitor_printf(mon, "    bus: %s\n", PCI_BUS_NAME);
    monitor_puts(mon, "      type PCI\n");
    devs = pci_bus_devices(bus);
    for (guint i = 0; i < devs->len; i++) {
        print_pci_function(mon, 6, devs->pdata[i]);
    }
}
