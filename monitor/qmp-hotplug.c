/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP object-add, object-del, device_add, device_del: the same paths as
 * -object and -device (user_creatable_add_opts, qdev_device_add), with
 * QEMU 7.2's argument shapes (flat properties) and messages.
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "monitor/monitor.h"
#include "qom/object_interfaces.h"
#include "qemu/option.h"
#include "hw/acpi/ospm.h"
#include "hw/qdev-core.h"
#include "hw/virtio/virtio-pci.h"
#include "sysemu/qdev-monitor.h"

/* The arguments object as options, with JSON types kept. */
static QemuOpts *args_to_opts(JsonObject *args, Error **errp)
{
    return args ? json_opts_from_object(args, errp) : qemu_opts_new();
}

static JsonNode *qmp_cmd_object_add(JsonObject *args, Error **errp)
{
    g_autoptr(QemuOpts) opts = args_to_opts(args, errp);

    if (opts) {
        user_creatable_add_opts(opts, errp);
    }
    return NULL;
}

static JsonNode *qmp_cmd_object_del(JsonObject *args, Error **errp)
{
    const char *id = NULL;

    if (qmp_arg_str(args, "id", true, &id, errp)) {
        user_creatable_del(id, errp);
    }
    return NULL;
}

static JsonNode *qmp_cmd_device_add(JsonObject *args, Error **errp)
{
    g_autoptr(QemuOpts) opts = args_to_opts(args, errp);

    if (opts) {
        qdev_device_add(opts, errp);
    }
    return NULL;
}

static JsonNode *qmp_cmd_device_del(JsonObject *args, Error **errp)
{
    const char *id = NULL;

    if (!qmp_arg_str(args, "id", true, &id, errp)) {
        return NULL;
    }
    if (!device_find_by_id(id)) {
        qmp_error_set_class(QMP_ERROR_CLASS_DEVICE_NOT_FOUND);
    }
    qdev_device_del(id, errp);
    return NULL;
}

/* QEMU's QOM path of a device made by -device or device_add. */
static char *device_path(Object *dev)
{
    if (dev->id) {
        return g_strdup_printf("/machine/peripheral/%s", dev->id);
    }
    return g_strdup_printf("/machine/peripheral-anon/device[%d]",
                           dev->anon_index);
}

/*
 * DEVICE_DELETED as QEMU 7.2 sends it: a virtio-pci proxy's virtio
 * device (its "virtio-backend" child) first, without an id; then the
 * device itself.
 */
static void device_deleted(Object *dev)
{
    g_autofree char *path = device_path(dev);

    if (type_is_a(dev->type, TYPE_VIRTIO_PCI)) {
        g_autofree char *child = g_strconcat(path, "/virtio-backend", NULL);

        qapi_event_send_device_deleted(NULL, child);
    }
    qapi_event_send_device_deleted(dev->id, path);
}

static void acpi_ost_event(const AcpiOstInfo *info)
{
    qapi_event_send_acpi_device_ost(info->device, info->slot,
                                    info->slot_type, info->source,
                                    info->status);
}

/* ACPIOSTInfo, QEMU's member order. */
static JsonObject *ost_info_object(const AcpiOstInfo *info)
{
    JsonObject *o = json_object_new();

    if (info->device) {
        json_object_set_string_member(o, "device", info->device);
    }
    json_object_set_string_member(o, "slot", info->slot);
    json_object_set_string_member(o, "slot-type", info->slot_type);
    json_object_set_int_member(o, "source", info->source);
    json_object_set_int_member(o, "status", info->status);
    return o;
}

static JsonNode *qmp_cmd_query_acpi_ospm_status(JsonObject *args,
                                                Error **errp)
{
    GPtrArray *list = acpi_ost_list();
    JsonArray *a = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);
    guint i;

    if (!qmp_args_check(args, NULL, errp)) {
        json_array_unref(a);
        json_node_free(node);
        return NULL;
    }
    for (i = 0; i < list->len; i++) {
        json_array_add_object_element(a, ost_info_object(
                                          g_ptr_array_index(list, i)));
    }
    json_node_take_array(node, a);
    return node;
}

void qmp_cmds_register_hotplug(void)
{
    qdev_set_deleted_listener(device_deleted);
    acpi_ost_set_listener(acpi_ost_event);
    qmp_register_command("query-acpi-ospm-status",
                         qmp_cmd_query_acpi_ospm_status);
    qmp_register_command("object-add", qmp_cmd_object_add);
    qmp_register_command("object-del", qmp_cmd_object_del);
    qmp_register_command("device_add", qmp_cmd_device_add);
    qmp_register_command("device_del", qmp_cmd_device_del);
}
