/*
 * QMP object-add, object-del, device_add, device_del: the same creation
 * path as -object and -device (object_create_from_opts, vl_device_add),
 * with QEMU 7.2's argument shapes (flat properties) and messages.
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "monitor/monitor.h"
#include "qom/object.h"
#include "qemu/option.h"
#include "sysemu/hostmem.h"
#include "sysemu/vl.h"
#include "hw/mem/nvdimm.h"

/* The arguments object as options, with JSON types kept. */
static QemuOpts *args_to_opts(JsonObject *args, Error **errp)
{
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
    g_autofree char *text = NULL;

    json_node_set_object(node, args ? args : json_object_new());
    text = json_to_string(node, FALSE);
    return json_opts_parse(text, errp);
}

static JsonNode *qmp_cmd_object_add(JsonObject *args, Error **errp)
{
    g_autoptr(QemuOpts) opts = args_to_opts(args, errp);
    Object *obj;

    if (!opts) {
        return NULL;
    }
    obj = object_create_from_opts(OBJECT_KIND_OBJECT, "qom-type", opts,
                                  errp);
    if (!obj) {
        return NULL;
    }
    if (!object_add_to_objects(obj, errp)) {
        object_destroy(obj);
        return NULL;
    }
    if (!object_complete(obj, errp)) {
        object_remove_from_objects(obj);
        object_destroy(obj);
        return NULL;
    }
    return NULL;
}

static JsonNode *qmp_cmd_object_del(JsonObject *args, Error **errp)
{
    const char *id = NULL;
    Object *obj;

    if (!qmp_arg_str(args, "id", true, &id, errp)) {
        return NULL;
    }
    obj = object_find_by_id(id);
    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return NULL;
    }
    if (object_is_memory_backend(obj) &&
        host_memory_backend_is_used(MEMORY_BACKEND(obj))) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return NULL;
    }
    object_remove_from_objects(obj);
    object_destroy(obj);
    return NULL;
}

static JsonNode *qmp_cmd_device_add(JsonObject *args, Error **errp)
{
    g_autoptr(QemuOpts) opts = args_to_opts(args, errp);

    if (!opts) {
        return NULL;
    }
    vl_device_add(opts, errp);
    return NULL;
}

static JsonNode *qmp_cmd_device_del(JsonObject *args, Error **errp)
{
    const char *id = NULL;
    Object *dev;

    if (!qmp_arg_str(args, "id", true, &id, errp)) {
        return NULL;
    }
    dev = device_find_by_id(id);
    if (!dev) {
        qmp_error_set_class(QMP_ERROR_CLASS_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", id);
        return NULL;
    }
    if (type_is_a(dev->type, TYPE_NVDIMM)) {
        /* Neither QEMU nor Linux's NFIT driver can unplug an NVDIMM. */
        error_setg(errp, "nvdimm device hot unplug is not supported yet.");
        return NULL;
    }
    error_setg(errp, "Device '%s' does not support hot-unplug",
               dev->type->name);
    return NULL;
}

void qmp_cmds_register_hotplug(void)
{
    qmp_register_command("object-add", qmp_cmd_object_add);
    qmp_register_command("object-del", qmp_cmd_object_del);
    qmp_register_command("device_add", qmp_cmd_device_add);
    qmp_register_command("device_del", qmp_cmd_device_del);
}
