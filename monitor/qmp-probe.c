/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a management tool asks about the binary and the host before it
 * runs a guest (libvirt's capability probe, src/qemu/qemu_capabilities.c
 * in libvirt 9.0): the target, KVM, the machines, the CPU models, the
 * command-line options and the migration capabilities.  Shapes are QEMU
 * 7.2's (qapi/machine.json, qapi/machine-target.json, qapi/misc.json,
 * qapi/migration.json); every value comes from pmemvm's own tables.
 */
#include "qemu/osdep.h"

#include "hw/i386/pc.h"
#include "monitor/monitor.h"
#include "monitor/qmp-schema.h"
#include "qom/object.h"
#include "sysemu/accel.h"
#include "system/cmdline.h"

#define TARGET_ARCH             "x86_64"
#define CPU_TYPE_SUFFIX         "-" TARGET_ARCH "-cpu"
/* the kvm accelerator's default -cpu (accel/kvm/kvm-internal.h) */
#define DEFAULT_CPU_MODEL       "qemu64"
#define MACHINE_TYPE_SUFFIX     "-machine"
/* What pmemvm calls the machine's own RAM (query-memdev), and the id a
 * memory-backend=ID given for it may take, as QEMU's pc machines. */
#define PC_RAM_ID               "pc.ram"

static JsonNode *qmp_cmd_query_target(JsonObject *args, Error **errp)
{
    JsonObject *o;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    o = json_object_new();
    json_object_set_string_member(o, "arch", TARGET_ARCH);
    return qmp_node_take_object(o);
}

/* present: KVM support is built in; enabled: KVM is this VM's accel. */
static JsonNode *qmp_cmd_query_kvm(JsonObject *args, Error **errp)
{
    JsonObject *o;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    o = json_object_new();
    json_object_set_boolean_member(o, "enabled",
                                   !g_strcmp0(accel_name(), "kvm"));
    json_object_set_boolean_member(o, "present", accel_find("kvm") != NULL);
    return qmp_node_take_object(o);
}

static JsonNode *qmp_cmd_query_machines(JsonObject *args, Error **errp)
{
    g_autoptr(GPtrArray) types = NULL;
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    types = type_list(OBJECT_KIND_MACHINE);
    for (guint i = 0; i < types->len; i++) {
        const TypeInfo *t = g_ptr_array_index(types, i);
        bool none = !strcmp(t->name, TYPE_NONE_MACHINE);
        const char *alias = pc_machine_alias(t->name);
        g_autofree char *name = g_strndup(t->name, strlen(t->name) -
                                          (g_str_has_suffix(t->name,
                                              MACHINE_TYPE_SUFFIX) ?
                                           strlen(MACHINE_TYPE_SUFFIX) : 0));
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", name);
        if (alias) {
            json_object_set_string_member(o, "alias", alias);
        }
        if (!strcmp(t->name, PC_DEFAULT_MACHINE)) {
            json_object_set_boolean_member(o, "is-default", true);
        }
        /* QEMU's null machine takes one CPU */
        json_object_set_int_member(o, "cpu-max", none ? 1 : PC_MAX_CPUS);
        json_object_set_boolean_member(o, "hotpluggable-cpus", false);
        json_object_set_boolean_member(o, "numa-mem-supported", false);
        json_object_set_boolean_member(o, "deprecated", false);
        if (!none) {
            json_object_set_string_member(o, "default-cpu-type",
                                          DEFAULT_CPU_MODEL CPU_TYPE_SUFFIX);
            json_object_set_string_member(o, "default-ram-id", PC_RAM_ID);
        }
        json_array_add_object_element(list, o);
    }
    return qmp_node_take_array(list);
}

/*
 * The -cpu models of the KVM accelerator.  pmemvm gives every model the
 * CPUID KVM supports, so none is "static" or migration-safe; whether a
 * model lacks features on this host is not known without a VM, so
 * unavailable-features is left out (libvirt then says "unknown").
 */
static JsonNode *qmp_cmd_query_cpu_definitions(JsonObject *args,
                                               Error **errp)
{
    const char *const *models = accel_cpu_models("kvm");
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    for (int i = 0; models && models[i]; i++) {
        JsonObject *o = json_object_new();
        g_autofree char *type = g_strconcat(models[i], CPU_TYPE_SUFFIX,
                                            NULL);

        json_object_set_string_member(o, "name", models[i]);
        json_object_set_string_member(o, "typename", type);
        json_object_set_boolean_member(o, "static", false);
        json_object_set_boolean_member(o, "deprecated", false);
        json_array_add_object_element(list, o);
    }
    return qmp_node_take_array(list);
}

static JsonObject *option_info(const CmdlineOptionInfo *info)
{
    JsonObject *o = json_object_new();
    JsonArray *params = json_array_new();

    for (int i = 0; info->params && info->params[i].name; i++) {
        JsonObject *p = json_object_new();

        json_object_set_string_member(p, "name", info->params[i].name);
        json_object_set_string_member(p, "type", info->params[i].type);
        json_array_add_object_element(params, p);
    }
    json_object_set_array_member(o, "parameters", params);
    json_object_set_string_member(o, "option", info->option);
    return o;
}

static JsonNode *qmp_cmd_query_command_line_options(JsonObject *args,
                                                    Error **errp)
{
    static const char *const allowed[] = { "option", NULL };
    const char *option = NULL;
    g_autoptr(GPtrArray) infos = NULL;
    JsonArray *list;

    if (!qmp_args_check(args, allowed, errp) ||
        !qmp_arg_str(args, "option", false, &option, errp)) {
        return NULL;
    }
    list = json_array_new();
    infos = cmdline_option_infos();
    for (guint i = 0; i < infos->len; i++) {
        const CmdlineOptionInfo *info = g_ptr_array_index(infos, i);

        if (!option || !strcmp(option, info->option)) {
            json_array_add_object_element(list, option_info(info));
        }
    }
    if (option && !json_array_get_length(list)) {
        json_array_unref(list);
        error_setg(errp, "invalid option name: %s", option);
        return NULL;
    }
    return qmp_node_take_array(list);
}

/*
 * Migration capabilities.  pmemvm cannot migrate a guest; of QEMU's
 * capabilities it has only "events" (send MIGRATION events on each state
 * change), which libvirt 9.0 turns on for every domain it starts.  It is
 * kept as set; as no migration ever starts, no such event is sent.
 */
static bool migrate_events;

static JsonNode *qmp_cmd_query_migrate_capabilities(JsonObject *args,
                                                    Error **errp)
{
    JsonArray *list;
    JsonObject *cap;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    cap = json_object_new();
    json_object_set_string_member(cap, "capability", "events");
    json_object_set_boolean_member(cap, "state", migrate_events);
    json_array_add_object_element(list, cap);
    return qmp_node_take_array(list);
}

static JsonNode *qmp_cmd_migrate_set_capabilities(JsonObject *args,
                                                  Error **errp)
{
    static const char *const allowed[] = { "capabilities", NULL };
    static const char *const cap_allowed[] = { "capability", "state", NULL };
    JsonNode *caps;
    JsonArray *a;
    bool events = migrate_events;

    if (!qmp_args_check(args, allowed, errp)) {
        return NULL;
    }
    caps = json_object_get_member(args, "capabilities");
    if (!caps) {
        error_setg(errp, "Parameter 'capabilities' is missing");
        return NULL;
    }
    if (!JSON_NODE_HOLDS_ARRAY(caps)) {
        error_setg(errp, "Invalid parameter type for 'capabilities', "
                   "expected: array");
        return NULL;
    }
    a = json_node_get_array(caps);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        JsonObject *c;
        const char *name = NULL;

        if (!JSON_NODE_HOLDS_OBJECT(n)) {
            error_setg(errp, "Invalid parameter type for 'capabilities[%u]', "
                       "expected: object", i);
            return NULL;
        }
        c = json_node_get_object(n);
        if (!qmp_args_check(c, cap_allowed, errp) ||
            !qmp_arg_str(c, "capability", true, &name, errp)) {
            return NULL;
        }
        if (strcmp(name, "events")) {
            error_setg(errp, "Parameter 'capability' does not accept value "
                       "'%s'", name);
            return NULL;
        }
        if (!qmp_arg_bool(c, "state", true, &events, errp)) {
            return NULL;
        }
    }
    migrate_events = events;
    return NULL;
}

/* pmemvm has no TPM: no model, no backend type. */
static JsonNode *qmp_cmd_query_tpm_none(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    return qmp_node_take_array(json_array_new());
}

static const QmpCommandDef qmp_probe_commands[] = {
    { "query-target", qmp_cmd_query_target,
      .ret = "{arch: enum(" TARGET_ARCH ")}" },
    { "query-kvm", qmp_cmd_query_kvm,
      .ret = "{enabled: bool, present: bool}" },
    { "query-machines", qmp_cmd_query_machines,
      .ret = "[{name: str, alias?: str, is-default?: bool, cpu-max: int, "
             "hotpluggable-cpus: bool, numa-mem-supported: bool, "
             "deprecated: bool, default-cpu-type?: str, "
             "default-ram-id?: str}]" },
    { "query-cpu-definitions", qmp_cmd_query_cpu_definitions,
      .ret = "[{name: str, static: bool, typename: str, "
             "deprecated: bool}]" },
    { "query-command-line-options", qmp_cmd_query_command_line_options,
      .args = "{option?: str}",
      .ret = "[{option: str, parameters: [{name: str, "
             "type: enum(string|boolean|number|size), help?: str, "
             "default?: str}]}]" },
    { "query-migrate-capabilities", qmp_cmd_query_migrate_capabilities,
      .ret = "[{capability: enum(events), state: bool}]" },
    { "migrate-set-capabilities", qmp_cmd_migrate_set_capabilities,
      .args = "{capabilities: [{capability: enum(events), state: bool}]}" },
    { "query-tpm-models", qmp_cmd_query_tpm_none, .ret = "[enum()]" },
    { "query-tpm-types", qmp_cmd_query_tpm_none, .ret = "[enum()]" },
    { NULL }
};

void qmp_cmds_register_probe(void)
{
    qmp_register_commands(qmp_probe_commands);
}
