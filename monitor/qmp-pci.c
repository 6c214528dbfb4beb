/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP query-pci: QEMU 7.2's PciInfo list (qapi/pci.json) for pci.0,
 * members in the order QEMU prints them.  The values are the config space
 * the guest sees; a BAR's address is where it decodes now (-1 when it
 * does not, as in QEMU).  pmemvm has no PCI bridges, so there is one bus
 * and no pci_bridge member.
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "hw/pci/pci-info.h"
#include "monitor/monitor.h"

static JsonObject *region_to_json(const PCIRegionInfo *r)
{
    JsonObject *o = json_object_new();

    if (!r->io) {
        json_object_set_boolean_member(o, "prefetch", r->prefetch);
        json_object_set_boolean_member(o, "mem_type_64", r->mem64);
    }
    json_object_set_int_member(o, "bar", r->bar);
    json_object_set_int_member(o, "size", (gint64)r->size);
    json_object_set_int_member(o, "address", (gint64)r->address);
    json_object_set_string_member(o, "type", r->io ? "io" : "memory");
    return o;
}

static JsonObject *pci_device_to_json(const PCIDeviceInfo *info)
{
    JsonObject *o = json_object_new();
    JsonObject *cls = json_object_new();
    JsonObject *id = json_object_new();
    JsonArray *regions = json_array_new();

    json_object_set_int_member(o, "irq_pin", info->irq_pin);
    json_object_set_int_member(o, "bus", info->bus);
    json_object_set_string_member(o, "qdev_id", info->qdev_id);
    if (info->irq_pin) {
        json_object_set_int_member(o, "irq", info->irq_line);
    }
    json_object_set_int_member(o, "slot", info->slot);
    json_object_set_int_member(cls, "class", info->class_code);
    if (info->class_desc) {
        json_object_set_string_member(cls, "desc", info->class_desc);
    }
    json_object_set_object_member(o, "class_info", cls);
    json_object_set_int_member(id, "device", info->device);
    if (info->has_subsystem) {
        json_object_set_int_member(id, "subsystem-vendor",
                                   info->subsystem_vendor);
    }
    json_object_set_int_member(id, "vendor", info->vendor);
    if (info->has_subsystem) {
        json_object_set_int_member(id, "subsystem", info->subsystem);
    }
    json_object_set_object_member(o, "id", id);
    json_object_set_int_member(o, "function", info->function);
    for (unsigned i = 0; i < info->nr_regions; i++) {
        json_array_add_object_element(regions,
                                      region_to_json(&info->regions[i]));
    }
    json_object_set_array_member(o, "regions", regions);
    return o;
}

static JsonNode *qmp_cmd_query_pci(JsonObject *args, Error **errp)
{
    PCIBus *bus = pci_bus_get();
    g_autoptr(GPtrArray) devs = NULL;
    JsonArray *list, *devices;
    JsonObject *pci0;
    JsonNode *node;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    if (bus) {
        devs = pci_bus_devices(bus);
        devices = json_array_new();
        for (guint i = 0; i < devs->len; i++) {
            PCIDeviceInfo info;

            pci_device_get_info(devs->pdata[i], &info);
            json_array_add_object_element(devices, pci_device_to_json(&info));
        }
        pci0 = json_object_new();
        json_object_set_int_member(pci0, "bus", 0);
        json_object_set_array_member(pci0, "devices", devices);
        json_array_add_object_element(list, pci0);
    }
    node = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(node, list);
    return node;
}

/* QEMU 7.2's PciInfo without pci_bridge: pmemvm has no bridges. */
static const QmpCommandDef qmp_pci_commands[] = {
    { "query-pci", qmp_cmd_query_pci,
      .ret = "[{bus: int, devices: [{bus: int, slot: int, function: int, "
             "class_info: {desc?: str, class: int}, "
             "id: {device: int, vendor: int, subsystem?: int, "
             "subsystem-vendor?: int}, irq?: int, irq_pin: int, "
             "qdev_id: str, regions: [{bar: int, type: str, address: int, "
             "size: int, prefetch?: bool, mem_type_64?: bool}]}]}]" },
    { NULL }
};

void qmp_cmds_register_pci(void)
{
    qmp_register_commands(qmp_pci_commands);
}
