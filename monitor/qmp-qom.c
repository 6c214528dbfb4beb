/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP qom-list and qom-get over the QOM paths of include/qom/qom-path.h,
 * with QEMU 7.2's replies (qapi/qom.json: ObjectPropertyInfo {name,
 * type}, and the property's value in its JSON type) and messages.
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "monitor/monitor.h"
#include "qom/qom-path.h"

static bool resolve_or_fail(const char *path, QomNode *node, Error **errp)
{
    if (!qom_resolve(path, node)) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  path);
        return false;
    }
    return true;
}

static JsonNode *qmp_cmd_qom_list(JsonObject *args, Error **errp)
{
    static const char *const allowed[] = { "path", NULL };
    const char *path = NULL;
    g_autoptr(GPtrArray) props = NULL;
    QomNode node;
    JsonArray *list;
    JsonNode *ret;

    if (!qmp_arg_str(args, "path", true, &path, errp) ||
        !qmp_args_check(args, allowed, errp) ||
        !resolve_or_fail(path, &node, errp)) {
        return NULL;
    }
    props = qom_list(&node);
    qom_node_clear(&node);
    list = json_array_new();
    for (guint i = 0; i < props->len; i++) {
        const QomPropInfo *p = g_ptr_array_index(props, i);
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", p->name);
        json_object_set_string_member(o, "type", p->type);
        json_array_add_object_element(list, o);
    }
    ret = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(ret, list);
    return ret;
}

static JsonNode *value_int(gint64 v)
{
    JsonNode *n = json_node_new(JSON_NODE_VALUE);

    json_node_set_int(n, v);
    return n;
}

static JsonNode *value_str(const char *s)
{
    JsonNode *n = json_node_new(JSON_NODE_VALUE);

    json_node_set_string(n, s ? s : "");
    return n;
}

static JsonNode *value_bool(bool b)
{
    JsonNode *n = json_node_new(JSON_NODE_VALUE);

    json_node_set_boolean(n, b);
    return n;
}

JsonNode *qmp_uint16_list_node(const char *text)
{
    g_auto(GStrv) items = g_strsplit(text ? text : "", ",", -1);
    JsonArray *arr = json_array_new();

    for (int i = 0; items[i]; i++) {
        if (*items[i]) {
            json_array_add_int_element(arr, g_ascii_strtoll(items[i], NULL,
                                                            10));
        }
    }
    return qmp_node_take_array(arr);
}

/* A property of the object's type, in its JSON type, as QEMU gives it. */
static JsonNode *prop_value(Object *obj, const PropDef *p)
{
    g_autofree char *text = object_property_print(obj, p->name);
    unsigned slot, fn;

    if (p->qom_type && g_str_has_prefix(p->qom_type, "link<")) {
        /* a link: the linked object's path, "" when unset */
        g_autofree char *path = text && *text ?
                                g_strdup_printf("/objects/%s", text) : NULL;

        return value_str(path);
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        return value_bool(!g_strcmp0(text, "on"));
    case PROP_TYPE_INT32:
        return value_int(g_ascii_strtoll(text, NULL, 10));
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return value_int((gint64)g_ascii_strtoull(text, NULL, 10));
    case PROP_TYPE_PCI_DEVFN:
        /* "SS.F" -> the devfn QEMU stores; -1 when unset */
        if (sscanf(text, "%x.%x", &slot, &fn) == 2) {
            return value_int(slot << 3 | fn);
        }
        return value_int(-1);
    case PROP_TYPE_STRING:
        if (p->uint16_list) {
            return qmp_uint16_list_node(text);
        }
        /* fall through */
    case PROP_TYPE_ENUM:
    case PROP_TYPE_UUID:
        break;
    }
    return value_str(text);
}

static JsonNode *qmp_cmd_qom_get(JsonObject *args, Error **errp)
{
    static const char *const allowed[] = { "path", "property", NULL };
    const char *path = NULL, *name = NULL;
    g_autoptr(GPtrArray) props = NULL;
    const QomPropInfo *info;
    const PropDef *p;
    QomNode node;
    JsonNode *ret = NULL;

    if (!qmp_arg_str(args, "path", true, &path, errp) ||
        !qmp_arg_str(args, "property", true, &name, errp) ||
        !qmp_args_check(args, allowed, errp) ||
        !resolve_or_fail(path, &node, errp)) {
        return NULL;
    }
    props = qom_list(&node);
    info = qom_list_find(props, name);
    if (!info) {
        error_setg(errp, "Property '%s.%s' not found",
                   node.obj ? node.obj->type->name : "container", name);
    } else if (info->child_path) {
        ret = value_str(info->child_path);
    } else if (!strcmp(name, "type")) {
        /* the root and the containers are QEMU's "container" objects */
        ret = value_str(node.obj ? node.obj->type->name : "container");
    } else if (!strcmp(name, "realized")) {
        ret = value_bool(node.obj->realized);
    } else if (!strcmp(name, "hotplugged")) {
        ret = value_bool(node.obj->hotplugged);
    } else if (!strcmp(name, "hotpluggable")) {
        ret = value_bool(node.obj->type->hotpluggable);
    } else {
        p = object_find_prop(node.obj->type, name);
        ret = prop_value(node.obj, p);
    }
    qom_node_clear(&node);
    return ret;
}

/* QEMU 7.2's qom-list and qom-get (qapi/qom.json). */
static const QmpCommandDef qmp_qom_commands[] = {
    { "qom-list", qmp_cmd_qom_list, .args = "{path: str}",
      .ret = "[{name: str, type: str, description?: str, "
             "default-value?: any}]" },
    { "qom-get", qmp_cmd_qom_get, .args = "{path: str, property: str}",
      .ret = "any" },
    { NULL }
};

void qmp_cmds_register_qom(void)
{
    qmp_register_commands(qmp_qom_commands);
}
