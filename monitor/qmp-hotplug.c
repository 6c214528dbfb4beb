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

/* The arguments object as options, with JSON types kept (object-add is
 * typed by QEMU's QAPI schema, as -object '{...}'). */
static QemuOpts *args_to_opts(JsonObject *args, Error **errp)
{
    return args ? json_opts_from_object(args, errp) : qemu_opts_new();
}

/*
 * device_add's arguments as QEMU 7.2 takes them (qemu_opts_from_qdict()):
 * untyped text, as -device key=value, whatever the JSON type: a string
 * as it is, a number printed ("2", "2.5"), a boolean "on"/"off".  Other
 * members (objects, arrays, null) are skipped, and so is an "id" that is
 * not a string.
 */
static QemuOpts *args_to_device_opts(JsonObject *args)
{
    QemuOpts *opts = qemu_opts_new();
    GList *members = json_object_get_members(args);

    for (GList *l = members; l; l = l->next) {
        const char *key = l->data;
        JsonNode *val = json_object_get_member(args, key);
        char num[G_ASCII_DTOSTR_BUF_SIZE];
        g_autofree char *text = NULL;

        if (!JSON_NODE_HOLDS_VALUE(val)) {
            continue;
        }
        switch (json_node_get_value_type(val)) {
        case G_TYPE_STRING:
            text = g_strdup(json_node_get_string(val));
            break;
        case G_TYPE_INT64:
            text = g_strdup_printf("%" PRId64, json_node_get_int(val));
            break;
        case G_TYPE_DOUBLE:
            /* QEMU's qnum_to_string(): "%.17g" */
            text = g_strdup(g_ascii_formatd(num, sizeof(num), "%.17g",
                                            json_node_get_double(val)));
            break;
        case G_TYPE_BOOLEAN:
            text = g_strdup(json_node_get_boolean(val) ? "on" : "off");
            break;
        default:
            continue;
        }
        if (!strcmp(key, "id") &&
            json_node_get_value_type(val) != G_TYPE_STRING) {
            continue;
        }
        qemu_opts_set(opts, key, text);
    }
    g_list_free(members);
    return opts;
}

static JsonNode *qmp_cmd_object_add(JsonObject *args, Error **errp)
{
    g_autoptr(QemuOpts) opts = args_to_opts(args, errp);

    if (opts) {
        user_creatable_add_opts(opts, errp);
    }
    return NULL;
}

static const char *const id_only[] = { "id", NULL };

static JsonNode *qmp_cmd_object_del(JsonObject *args, Error **errp)
{
    const char *id = NULL;

    if (qmp_arg_str(args, "id", true, &id, errp) &&
        qmp_args_check(args, id_only, errp)) {
        user_creatable_del(id, errp);
    }
    return NULL;
}

static JsonNode *qmp_cmd_device_add(JsonObject *args, Error **errp)
{
    g_autoptr(QemuOpts) opts = args_to_device_opts(args);

    qdev_device_add(opts, errp);
    return NULL;
}

static JsonNode *qmp_cmd_device_del(JsonObject *args, Error **errp)
{
    const char *id = NULL;

    if (!qmp_arg_str(args, "id", true, &id, errp) ||
        !qmp_args_check(args, id_only, errp)) {
        return NULL;
    }
    qdev_device_del(id, errp);
    return NULL;
}

static const QmpCommandDef qmp_hotplug_commands[] = {
    /* ObjectOptions: generated from the -object types (qom/) */
    { "object-add", qmp_cmd_object_add, .args = "ObjectOptions" },
    { "object-del", qmp_cmd_object_del, .args = "{id: str}" },
    /* Properties are flat and typed as on a JSON -device (QEMU's
     * json-cli, json-cli-hotplug). */
    { "device_add", qmp_cmd_device_add,
      .args = "{driver: str, bus?: str, id?: str}",
      .features = "json-cli json-cli-hotplug" },
    { "device_del", qmp_cmd_device_del, .args = "{id: str}" },
    { NULL }
};

void qmp_cmds_register_hotplug(void)
{
    qmp_register_commands(qmp_hotplug_commands);
}
