/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in QMP commands and the argument helpers commands share.
 * Reply shapes follow QEMU 7.2's qapi schema (qapi/misc.json,
 * qapi/machine.json, qapi/control.json, qapi/run-state.json).
 */
#include "qemu/osdep.h"

#include "hw/mem/memory-device.h"
#include "monitor/monitor.h"
#include "monitor/qmp-schema.h"
#include "qobject/qjson.h"
#include "sysemu/hostmem.h"
#include "sysemu/runstate.h"
#include "sysemu/vl.h"

/* ---- Reply values ---- */

JsonNode *qmp_node_take_object(JsonObject *obj)
{
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(node, obj);
    return node;
}

JsonNode *qmp_node_take_array(JsonArray *arr)
{
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    json_node_take_array(node, arr);
    return node;
}

/* ---- Arguments ---- */

bool qmp_args_check(JsonObject *args, const char *const *allowed,
                    Error **errp)
{
    GList *members = json_object_get_members(args);
    bool ok = true;

    for (GList *l = members; l; l = l->next) {
        if (!allowed || !g_strv_contains(allowed, l->data)) {
            error_setg(errp, "Parameter '%s' is unexpected",
                       (const char *)l->data);
            ok = false;
            break;
        }
    }
    g_list_free(members);
    return ok;
}

/*
 * *node = the member @name, if it has @type (NULL if it is absent and
 * not @required).  False, with *errp set, if it is missing or not a
 * @type_name.
 */
static bool qmp_arg_lookup(JsonObject *args, const char *name,
                           bool required, GType type, const char *type_name,
                           JsonNode **node, Error **errp)
{
    *node = json_object_get_member(args, name);
    if (!*node) {
        if (required) {
            error_setg(errp, "Parameter '%s' is missing", name);
            return false;
        }
        return true;
    }
    if (!JSON_NODE_HOLDS_VALUE(*node) ||
        json_node_get_value_type(*node) != type ||
        (type == G_TYPE_INT64 && qjson_is_uint64(*node))) {
        /* QEMU's int64 arguments take no integer beyond INT64_MAX */
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   name, type_name);
        return false;
    }
    return true;
}

bool qmp_arg_str(JsonObject *args, const char *name, bool required,
                 const char **val, Error **errp)
{
    JsonNode *node;

    if (!qmp_arg_lookup(args, name, required, G_TYPE_STRING, "string",
                        &node, errp)) {
        return false;
    }
    if (node) {
        *val = json_node_get_string(node);
    }
    return true;
}

bool qmp_arg_bool(JsonObject *args, const char *name, bool required,
                  bool *val, Error **errp)
{
    JsonNode *node;

    if (!qmp_arg_lookup(args, name, required, G_TYPE_BOOLEAN, "boolean",
                        &node, errp)) {
        return false;
    }
    if (node) {
        *val = json_node_get_boolean(node);
    }
    return true;
}

bool qmp_arg_int(JsonObject *args, const char *name, bool required,
                 int64_t *val, Error **errp)
{
    JsonNode *node;

    if (!qmp_arg_lookup(args, name, required, G_TYPE_INT64, "integer",
                        &node, errp)) {
        return false;
    }
    if (node) {
        *val = json_node_get_int(node);
    }
    return true;
}

static JsonNode *node_from_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

static JsonNode *node_from_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}

/* ---- Commands ---- */

/* Only registered so that query-commands lists it; qmp.c handles it. */
static JsonNode *qmp_cmd_capabilities(JsonObject *args, Error **errp)
{
    error_setg(errp, "Capabilities negotiation is already complete, "
               "command ignored");
    qmp_error_set_class(QMP_ERROR_CLASS_COMMAND_NOT_FOUND);
    return NULL;
}

static JsonNode *qmp_cmd_query_version(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    return node_from_object(qmp_version_info());
}

static JsonNode *qmp_cmd_query_status(JsonObject *args, Error **errp)
{
    JsonObject *info;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    info = json_object_new();
    json_object_set_string_member(info, "status",
                                  runstate_name(runstate_get()));
    json_object_set_boolean_member(info, "singlestep", false);
    json_object_set_boolean_member(info, "running", runstate_is_running());
    return node_from_object(info);
}

static JsonNode *qmp_cmd_query_commands(JsonObject *args, Error **errp)
{
    g_auto(GStrv) names = NULL;
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    names = qmp_command_names();
    list = json_array_new();
    for (int i = 0; names[i]; i++) {
        JsonObject *cmd = json_object_new();

        json_object_set_string_member(cmd, "name", names[i]);
        json_array_add_object_element(list, cmd);
    }
    return node_from_array(list);
}

/* MemoryDeviceInfo of qapi/machine.json, members in schema order. */
static JsonObject *memory_device_to_json(const MemoryDeviceInfo *mdi)
{
    JsonObject *dev = json_object_new();
    JsonObject *data = json_object_new();
    g_autofree char *memdev = g_strdup_printf("/objects/%s",
                                              mdi->memdev ?: "");
    bool virtio = g_str_has_prefix(mdi->type, "virtio-");

    if (virtio) {
        /* VirtioPMEMDeviceInfo, in the order QEMU 7.2 prints it */
        json_object_set_string_member(data, "memdev", memdev);
        json_object_set_int_member(data, "memaddr", mdi->addr);
        json_object_set_int_member(data, "size", mdi->size);
        if (mdi->id) {
            json_object_set_string_member(data, "id", mdi->id);
        }
    } else {
        if (mdi->id) {
            json_object_set_string_member(data, "id", mdi->id);
        }
        /* PCDIMMDeviceInfo */
        json_object_set_int_member(data, "addr", mdi->addr);
        json_object_set_int_member(data, "size", mdi->size);
        json_object_set_int_member(data, "slot", mdi->slot);
        json_object_set_int_member(data, "node", mdi->node);
        json_object_set_string_member(data, "memdev", memdev);
        json_object_set_boolean_member(data, "hotplugged", mdi->hotplugged);
        json_object_set_boolean_member(data, "hotpluggable",
                                       mdi->hotpluggable);
    }
    json_object_set_string_member(dev, "type", mdi->type);
    json_object_set_object_member(dev, "data", data);
    return dev;
}

static JsonNode *qmp_cmd_query_memory_devices(JsonObject *args, Error **errp)
{
    GArray *devs;
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    devs = memory_device_info_list();
    for (guint i = 0; devs && i < devs->len; i++) {
        json_array_add_object_element(list, memory_device_to_json(
            &g_array_index(devs, MemoryDeviceInfo, i)));
    }
    if (devs) {
        g_array_unref(devs);
    }
    return node_from_array(list);
}

/* pmemvm's answer to "are my guest's writes persistent?". */
static JsonObject *persistence_to_json(const HostMemPersistence *p)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "level", p->name);
    json_object_set_boolean_member(o, "survives-exit", p->survives_exit);
    json_object_set_boolean_member(o, "survives-host-reboot",
                                   p->survives_host_reboot);
    json_object_set_boolean_member(o, "survives-host-crash",
                                   p->survives_host_crash);
    json_object_set_string_member(o, "detail", p->detail);
    return o;
}

/*
 * QEMU's Memdev (qapi/machine.json), members in the order QEMU 7.2 prints
 * them, then pmemvm's x-persistence.  @host_nodes: "N,N,..." or NULL.
 */
static JsonObject *memdev_to_json(const char *id, uint64_t size, bool merge,
                                  bool dump, bool prealloc, bool share,
                                  bool reserve, const char *policy,
                                  const char *host_nodes,
                                  const HostMemPersistence *p)
{
    JsonObject *m = json_object_new();

    json_object_set_boolean_member(m, "share", share);
    json_object_set_boolean_member(m, "reserve", reserve);
    json_object_set_boolean_member(m, "prealloc", prealloc);
    json_object_set_member(m, "host-nodes", qmp_uint16_list_node(host_nodes));
    json_object_set_int_member(m, "size", size);
    json_object_set_boolean_member(m, "merge", merge);
    json_object_set_boolean_member(m, "dump", dump);
    json_object_set_string_member(m, "policy", policy);
    json_object_set_string_member(m, "id", id);
    json_object_set_object_member(m, "x-persistence", persistence_to_json(p));
    return m;
}

/*
 * Every memory backend: the machine's own RAM first when no backend holds
 * it (QEMU calls that one pc.ram), then the objects in creation order.
 */
static JsonNode *qmp_cmd_query_memdev(JsonObject *args, Error **errp)
{
    GPtrArray *objs = object_list_objects();
    PCMachineState *pcms = current_machine;
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    if (pcms && !pcms->ram_backend) {
        HostMemPersistFacts f = { .mapped = true };
        HostMemPersistence p;

        hostmem_persistence_decide(&f, &p);
        json_array_add_object_element(list, memdev_to_json(
            "pc.ram", pcms->ram_size, pcms->mem_merge, pcms->dump_guest_core,
            false, false, true, "default", NULL, &p));
    }
    for (guint i = 0; i < objs->len; i++) {
        Object *o = g_ptr_array_index(objs, i);
        HostMemoryBackend *b;
        g_autofree char *policy = NULL;
        HostMemPersistence p;
        JsonObject *m;

        if (!object_is_memory_backend(o)) {
            continue;
        }
        b = MEMORY_BACKEND(o);
        policy = object_property_print(o, HOSTMEM_PROP_POLICY);
        host_memory_backend_get_persistence(b, &p);
        m = memdev_to_json(o->id, b->size, b->merge, b->dump, b->prealloc,
                           b->share, b->reserve, policy, b->host_nodes, &p);
        /* The guest's flushes (virtio-pmem) made durable so far. */
        json_object_set_int_member(
            json_object_get_object_member(m, "x-persistence"), "syncs",
            host_memory_backend_sync_count(b));
        json_array_add_object_element(list, m);
    }
    return node_from_array(list);
}

static JsonNode *qmp_cmd_query_memory_size_summary(JsonObject *args,
                                                   Error **errp)
{
    JsonObject *info;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    info = json_object_new();
    json_object_set_int_member(info, "base-memory",
                               memory_device_base_memory());
    json_object_set_int_member(info, "plugged-memory",
                               memory_device_plugged_memory());
    return node_from_object(info);
}

static JsonNode *qmp_cmd_quit(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    /* Sends the SHUTDOWN event too. */
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return NULL;
}

static JsonNode *qmp_cmd_stop(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    /* As QEMU: stopping a VM that is not running changes nothing. */
    if (runstate_is_running()) {
        vm_stop();
        qapi_event_send_stop();
    }
    return NULL;
}

static JsonNode *qmp_cmd_cont(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    if (runstate_needs_reset()) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        return NULL;
    }
    if (!runstate_is_running()) {
        vm_start();
        qapi_event_send_resume();
    }
    return NULL;
}

/* QEMU 7.2's shapes, limited to what pmemvm fills in. */
static void qmp_cmds_define_types(void)
{
    qmp_schema_define("VersionInfo",
                      "{qemu: {major: int, minor: int, micro: int}, "
                      "package: str}");
    qmp_schema_define("RunState", "enum(prelaunch|paused|running|shutdown)");
    qmp_schema_define("PCDIMMDeviceInfo",
                      "{id?: str, addr: int, size: int, slot: int, "
                      "node: int, memdev: str, hotplugged: bool, "
                      "hotpluggable: bool}");
    qmp_schema_define("VirtioPMEMDeviceInfo",
                      "{id?: str, memaddr: int, size: int, memdev: str}");
    qmp_schema_define("MemoryDeviceInfo",
                      "union(type, {type: enum(nvdimm|virtio-pmem)}, "
                      "nvdimm: {data: PCDIMMDeviceInfo}, "
                      "virtio-pmem: {data: VirtioPMEMDeviceInfo})");
    qmp_schema_define("Memdev",
                      "{id?: str, size: int, merge: bool, dump: bool, "
                      "prealloc: bool, share: bool, reserve?: bool, "
                      "host-nodes: [int], "
                      "policy: enum(default|preferred|bind|interleave), "
                      "x-persistence: {level: str, survives-exit: bool, "
                      "survives-host-reboot: bool, "
                      "survives-host-crash: bool, detail: str, "
                      "syncs?: int}}");
}

static const QmpCommandDef qmp_builtin_commands[] = {
    { "qmp_capabilities", qmp_cmd_capabilities,
      .args = "{enable?: [enum(oob)]}" },
    { "query-version", qmp_cmd_query_version, .ret = "VersionInfo" },
    { "query-commands", qmp_cmd_query_commands, .ret = "[{name: str}]" },
    { "query-status", qmp_cmd_query_status,
      .ret = "{running: bool, singlestep: bool, status: RunState}" },
    { "query-memory-devices", qmp_cmd_query_memory_devices,
      .ret = "[MemoryDeviceInfo]" },
    { "query-memory-size-summary", qmp_cmd_query_memory_size_summary,
      .ret = "{base-memory: int, plugged-memory?: int}" },
    { "query-memdev", qmp_cmd_query_memdev, .ret = "[Memdev]" },
    { "quit", qmp_cmd_quit },
    { "stop", qmp_cmd_stop },
    { "cont", qmp_cmd_cont },
    { NULL }
};

void qmp_cmds_register_builtin(void)
{
    qmp_cmds_define_types();
    qmp_register_commands(qmp_builtin_commands);
    qmp_events_register();
    qmp_cmds_register_hotplug();
    qmp_cmds_register_pci();
    qmp_cmds_register_introspect();
    qmp_cmds_register_probe();
    qmp_cmds_register_block();
    qmp_cmds_register_char();
    qmp_cmds_register_machine();
    qmp_cmds_register_qom();
    qmp_cmds_register_hmp();
}
