/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP events raised below the monitor: DEVICE_DELETED when an unplug
 * completes (hw/core/qdev.c's deleted listener) and ACPI_DEVICE_OST when
 * the guest's OSPM reports on a hotplug slot (hw/acpi/ospm.c's
 * listener).  Their data is QEMU 7.2's (qapi/qdev.json, qapi/acpi.json).
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "hw/acpi/ospm.h"
#include "hw/qdev-core.h"
#include "hw/virtio/virtio-pci.h"
#include "monitor/monitor.h"
#include "qom/qom-path.h"

JsonObject *acpi_ost_info_to_json(const AcpiOstInfo *info)
{
    JsonObject *o = json_object_new();

    if (info->device) {
        json_object_set_string_member(o, "device", info->device);
    }
    json_object_set_string_member(o, "slot", info->slot ? info->slot : "");
    json_object_set_string_member(o, "slot-type",
                                  info->slot_type ? info->slot_type : "");
    json_object_set_int_member(o, "source", info->source);
    json_object_set_int_member(o, "status", info->status);
    return o;
}

void qapi_event_send_device_deleted(const char *device, const char *path)
{
    JsonObject *data = json_object_new();

    if (device) {
        json_object_set_string_member(data, "device", device);
    }
    json_object_set_string_member(data, "path", path);
    qmp_send_event("DEVICE_DELETED", data);
    json_object_unref(data);
}

/*
 * As QEMU 7.2: a virtio-pci proxy's virtio device (its "virtio-backend"
 * child) goes first, without an id; then the device itself.
 */
static void device_deleted(Object *dev)
{
    g_autofree char *path = qom_object_path(dev);

    if (type_is_a(dev->type, TYPE_VIRTIO_PCI)) {
        g_autofree char *child = g_strconcat(path, "/virtio-backend", NULL);

        qapi_event_send_device_deleted(NULL, child);
    }
    qapi_event_send_device_deleted(dev->id, path);
}

static void acpi_device_ost(const AcpiOstInfo *info)
{
    JsonObject *data = json_object_new();

    json_object_set_object_member(data, "info", acpi_ost_info_to_json(info));
    qmp_send_event("ACPI_DEVICE_OST", data);
    json_object_unref(data);
}

void qmp_events_init(void)
{
    qdev_set_deleted_listener(device_deleted);
    acpi_ost_set_listener(acpi_device_ost);
}
