/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP commands and request dispatch, without a transport: the command
 * table, error classes, the checks QEMU makes on a request, capabilities
 * negotiation, the greeting and version data.  monitor/qmp.c feeds it
 * from a chardev; HMP calls the same command functions.
 */
#include "qemu/osdep.h"

#include "config-host.h"
#include "monitor/monitor.h"
#include "monitor/monitor-internal.h"
#include "monitor/qmp-schema.h"
#include "qobject/qjson.h"

typedef struct QmpCommand {
    QmpCommandFunc fn;
    QmpCommandDef def;          /* name, args, ret, features; fn unused */
    bool has_schema;
} QmpCommand;

typedef struct QmpEventDef {
    const char *name;
    const char *data;
} QmpEventDef;

static GHashTable *qmp_cmd_table;       /* name -> QmpCommand */
static GPtrArray *qmp_cmd_order;        /* names (keys of the table) */
static GArray *qmp_events;              /* QmpEventDef, registration order */
static QmpErrorClass qmp_cur_error_class;

void qmp_table_ensure(void)
{
    if (qmp_cmd_table) {
        return;
    }
    qmp_cmd_table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          g_free);
    qmp_cmd_order = g_ptr_array_new();
    qmp_events = g_array_new(FALSE, TRUE, sizeof(QmpEventDef));
    qmp_cmds_register_builtin();
    qmp_events_init();
}

static void qmp_register(const char *name, QmpCommandFunc fn,
                         const QmpCommandDef *def)
{
    QmpCommand *cmd = g_new0(QmpCommand, 1);
    char *key = g_strdup(name);

    qmp_table_ensure();
    cmd->fn = fn;
    if (def) {
        cmd->def = *def;
        cmd->has_schema = true;
    }
    cmd->def.name = key;
    if (!g_hash_table_contains(qmp_cmd_table, name)) {
        g_ptr_array_add(qmp_cmd_order, key);
        g_hash_table_insert(qmp_cmd_table, key, cmd);
    } else {
        /* keep the key that qmp_cmd_order points to */
        QmpCommand *old = g_hash_table_lookup(qmp_cmd_table, name);

        cmd->def.name = old->def.name;
        g_free(key);
        *old = *cmd;
        g_free(cmd);
    }
}

void qmp_register_command(const char *name, QmpCommandFunc fn)
{
    qmp_register(name, fn, NULL);
}

void qmp_register_commands(const QmpCommandDef *defs)
{
    for (; defs->name; defs++) {
        qmp_register(defs->name, defs->fn, defs);
    }
}

void qmp_register_event(const char *name, const char *data)
{
    QmpEventDef ev = { name, data };

    qmp_table_ensure();
    for (guint i = 0; i < qmp_events->len; i++) {
        QmpEventDef *e = &g_array_index(qmp_events, QmpEventDef, i);

        if (!strcmp(e->name, name)) {
            *e = ev;
            return;
        }
    }
    g_array_append_val(qmp_events, ev);
}

JsonNode *qmp_command_call(const char *name, JsonObject *args, Error **errp)
{
    g_autoptr(JsonObject) empty = NULL;
    QmpCommand *cmd;
    QmpCommandFunc fn;

    qmp_table_ensure();
    cmd = g_hash_table_lookup(qmp_cmd_table, name);
    fn = cmd ? cmd->fn : NULL;
    if (!fn) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (!args) {
        empty = json_object_new();
        args = empty;
    }
    return fn(args, errp);
}

char **qmp_command_names(void)
{
    char **names;

    qmp_table_ensure();
    names = g_new0(char *, qmp_cmd_order->len + 1);
    for (guint i = 0; i < qmp_cmd_order->len; i++) {
        names[i] = g_strdup(g_ptr_array_index(qmp_cmd_order, i));
    }
    return names;
}

char **qmp_commands_without_schema(void)
{
    GPtrArray *out = g_ptr_array_new();

    qmp_table_ensure();
    for (guint i = 0; i < qmp_cmd_order->len; i++) {
        QmpCommand *cmd = g_hash_table_lookup(
            qmp_cmd_table, g_ptr_array_index(qmp_cmd_order, i));

        if (!cmd->has_schema) {
            g_ptr_array_add(out, g_strdup(cmd->def.name));
        }
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

JsonNode *qmp_schema_build(Error **errp)
{
    QmpSchemaBuilder *b = qmp_schema_builder_new();

    qmp_table_ensure();
    for (guint i = 0; i < qmp_cmd_order->len; i++) {
        QmpCommand *cmd = g_hash_table_lookup(
            qmp_cmd_table, g_ptr_array_index(qmp_cmd_order, i));

        if (cmd->has_schema &&
            !qmp_schema_add_command(b, cmd->def.name, cmd->def.args,
                                    cmd->def.ret, cmd->def.features, errp)) {
            qmp_schema_builder_free(b);
            return NULL;
        }
    }
    for (guint i = 0; i < qmp_events->len; i++) {
        QmpEventDef *e = &g_array_index(qmp_events, QmpEventDef, i);

        if (!qmp_schema_add_event(b, e->name, e->data, errp)) {
            qmp_schema_builder_free(b);
            return NULL;
        }
    }
    return qmp_schema_builder_finish(b);
}

void qmp_error_set_class(QmpErrorClass cls)
{
    qmp_cur_error_class = cls;
}

const char *qmp_error_class_name(QmpErrorClass cls)
{
    static const char *const names[] = {
        [QMP_ERROR_CLASS_GENERIC_ERROR] = "GenericError",
        [QMP_ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
        [QMP_ERROR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
        [QMP_ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
        [QMP_ERROR_CLASS_KVM_MISSING_CAP] = "KVMMissingCap",
    };

    return cls < ARRAY_SIZE(names) ? names[cls] : "GenericError";
}

/* ---- Dispatch ---- */

static JsonObject *qmp_error_response(QmpErrorClass cls, const char *desc,
                                      JsonNode *id)
{
    JsonObject *rsp = json_object_new();
    JsonObject *err = json_object_new();

    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    json_object_set_string_member(err, "class", qmp_error_class_name(cls));
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(rsp, "error", err);
    return rsp;
}

/* Check the request's members as QEMU does; sets the error text. */
static bool qmp_check_request(JsonObject *req, const char **cmd,
                              bool *oob, char **desc)
{
    GList *members = json_object_get_members(req);
    bool ok = true;

    *cmd = NULL;
    *oob = false;
    for (GList *l = members; l && ok; l = l->next) {
        const char *key = l->data;
        JsonNode *val = json_object_get_member(req, key);
        bool is_str = JSON_NODE_HOLDS_VALUE(val) &&
                      json_node_get_value_type(val) == G_TYPE_STRING;

        if (!strcmp(key, "execute") || !strcmp(key, "exec-oob")) {
            if (!is_str) {
                *desc = g_strdup_printf("QMP input member '%s' must be a "
                                        "string", key);
                ok = false;
            } else if (*cmd) {
                *desc = g_strdup("QMP input must not contain both 'execute' "
                                 "and 'exec-oob'");
                ok = false;
            } else {
                *cmd = json_node_get_string(val);
                *oob = key[4] == '-';
            }
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(val)) {
                *desc = g_strdup("QMP input member 'arguments' must be an "
                                 "object");
                ok = false;
            }
        } else if (strcmp(key, "id") != 0) {
            *desc = g_strdup_printf("QMP input member '%s' is unexpected",
                                    key);
            ok = false;
        }
    }
    g_list_free(members);
    if (ok && !*cmd) {
        *desc = g_strdup("QMP input lacks member 'execute'");
        ok = false;
    }
    return ok;
}

/* qmp_capabilities needs the session, so it is handled here. */
static bool qmp_capabilities(QmpSession *session, JsonObject *args,
                             Error **errp)
{
    static const char *const allowed[] = { "enable", NULL };
    JsonNode *enable;
    bool oob = false;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    enable = json_object_get_member(args, "enable");
    if (enable && !JSON_NODE_HOLDS_ARRAY(enable)) {
        error_setg(errp, "Invalid parameter type for 'enable', expected: "
                   "array");
        return false;
    }
    for (guint i = 0; enable && i < json_array_get_length(
             json_node_get_array(enable)); i++) {
        JsonNode *cap = json_array_get_element(json_node_get_array(enable),
                                               i);
        const char *name = JSON_NODE_HOLDS_VALUE(cap) &&
            json_node_get_value_type(cap) == G_TYPE_STRING ?
            json_node_get_string(cap) : NULL;

        if (g_strcmp0(name, "oob") != 0) {
            error_setg(errp, "Parameter 'enable' does not accept value '%s'",
                       name ? name : "(not a string)");
            return false;
        }
        oob = true;
    }
    session->oob = oob;
    session->command_mode = true;
    return true;
}

JsonObject *qmp_dispatch(QmpSession *session, const char *json,
                         const char *error)
{
    g_autoptr(JsonNode) req = NULL;
    Error *err = NULL;
    JsonObject *rsp;

    if (!error) {
        req = qjson_parse(json, &err);
        if (!req) {
            rsp = qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR,
                                     error_get_pretty(err), NULL);
            error_free(err);
            return rsp;
        }
    }
    return qmp_dispatch_value(session, req, error);
}

JsonObject *qmp_dispatch_value(QmpSession *session, JsonNode *request,
                               const char *error)
{
    g_autofree char *desc = NULL;
    g_autoptr(JsonObject) args = NULL;
    JsonObject *req, *rsp;
    JsonNode *id, *ret;
    const char *cmd;
    bool oob;
    QmpCommandFunc fn;
    Error *err = NULL;

    if (error) {
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, error, NULL);
    }
    if (!JSON_NODE_HOLDS_OBJECT(request)) {
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR,
                                  "QMP input must be a JSON object", NULL);
    }
    req = json_node_get_object(request);
    id = json_object_get_member(req, "id");
    if (!qmp_check_request(req, &cmd, &oob, &desc)) {
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, desc, id);
    }
    if (oob) {
        desc = g_strdup_printf("The command %s does not support OOB", cmd);
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, desc, id);
    }
    args = json_object_has_member(req, "arguments") ?
        json_object_ref(json_object_get_object_member(req, "arguments")) :
        json_object_new();

    qmp_table_ensure();
    if (!strcmp(cmd, "qmp_capabilities")) {
        if (session->command_mode) {
            return qmp_error_response(QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
                                      "Capabilities negotiation is already "
                                      "complete, command ignored", id);
        }
        if (!qmp_capabilities(session, args, &err)) {
            rsp = qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR,
                                     error_get_pretty(err), id);
            error_free(err);
            return rsp;
        }
        ret = NULL;
    } else if (!session->command_mode) {
        return qmp_error_response(QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
                                  "Expecting capabilities negotiation with "
                                  "'qmp_capabilities'", id);
    } else {
        QmpCommand *c = g_hash_table_lookup(qmp_cmd_table, cmd);

        fn = c ? c->fn : NULL;
        if (!fn) {
            desc = g_strdup_printf("The command %s has not been found", cmd);
            return qmp_error_response(QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
                                      desc, id);
        }
        qmp_cur_error_class = QMP_ERROR_CLASS_GENERIC_ERROR;
        ret = fn(args, &err);
        if (err) {
            if (ret) {
                json_node_unref(ret);
            }
            rsp = qmp_error_response(
                error_get_class(err) != ERROR_CLASS_GENERIC_ERROR ?
                error_get_class(err) : qmp_cur_error_class,
                error_get_pretty(err), id);
            error_free(err);
            return rsp;
        }
    }
    rsp = json_object_new();
    if (!ret) {
        ret = json_node_init_object(json_node_alloc(), json_object_new());
    }
    json_object_set_member(rsp, "return", ret);
    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    return rsp;
}

JsonObject *qmp_version_info(void)
{
    JsonObject *info = json_object_new();
    JsonObject *qemu = json_object_new();
    int major = 0, minor = 0, micro = 0;

    sscanf(QEMU_COMPAT_VERSION, "%d.%d.%d", &major, &minor, &micro);
    json_object_set_int_member(qemu, "micro", micro);
    json_object_set_int_member(qemu, "minor", minor);
    json_object_set_int_member(qemu, "major", major);
    json_object_set_object_member(info, "qemu", qemu);
    json_object_set_string_member(info, "package", "pmemvm-" PMEMVM_VERSION);
    return info;
}

JsonObject *qmp_greeting(void)
{
    JsonObject *greeting = json_object_new();
    JsonObject *qmp = json_object_new();
    JsonArray *caps = json_array_new();

    json_array_add_string_element(caps, "oob");
    json_object_set_object_member(qmp, "version", qmp_version_info());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp);
    return greeting;
}

