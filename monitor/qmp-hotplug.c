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

void qmp_cmds_register_hotplug(void)
{
    qmp_register_command("object-add", qmp_cmd_object_add);
    qmp_register_command("object-del", qmp_cmd_object_del);
    qmp_register_command("device_add", qmp_cmd_device_add);
    qmp_register_command("device_del", qmp_cmd_device_del);
}
