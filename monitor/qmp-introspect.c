/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the binary is made of, as QEMU 7.2's QMP tells it: the schema of
 * every command and event (query-qmp-schema), the types (qom-list-types)
 * and their properties (device-list-properties, qom-list-properties).
 * Every answer comes from pmemvm's own tables: the command table with its
 * schemas (monitor/qmp-dispatch.c), the QOM type registry with each
 * type's PropDefs (qom/object.c) and the accelerators built in
 * (accel/accel.c).  A type pmemvm does not have is not listed, so that a
 * management tool (libvirt) does not use it.
 */
#include "qemu/osdep.h"

#include "monitor/monitor.h"
#include "qemu/cutils.h"
#include "monitor/qmp-schema.h"
#include "qom/object.h"
#include "sysemu/accel.h"

/* Accelerators as QOM types (QEMU's "kvm-accel", "qtest-accel"). */
#define TYPE_ACCEL "accel"
static const char *const accel_names[] = { "kvm", "qtest", "tcg", NULL };

static JsonNode *qmp_cmd_query_qmp_schema(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    return qmp_schema_build(errp);
}

/* ---- qom-list-types ---- */

static void add_type_info(JsonArray *list, const char *name,
                          const char *parent, bool abstract)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    if (abstract) {
        json_object_set_boolean_member(o, "abstract", true);
    }
    if (parent) {
        json_object_set_string_member(o, "parent", parent);
    }
    json_array_add_object_element(list, o);
}

static bool type_implements(const TypeInfo *t, const char *implements)
{
    return !implements || type_is_a(t, implements);
}

static JsonNode *qmp_cmd_qom_list_types(JsonObject *args, Error **errp)
{
    static const char *const allowed[] = { "implements", "abstract", NULL };
    const char *implements = NULL;
    bool abstract = false;
    g_autoptr(GPtrArray) types = NULL;
    JsonArray *list;

    if (!qmp_args_check(args, allowed, errp) ||
        !qmp_arg_str(args, "implements", false, &implements, errp) ||
        !qmp_arg_bool(args, "abstract", false, &abstract, errp)) {
        return NULL;
    }
    list = json_array_new();
    types = type_list_all();
    for (guint i = 0; i < types->len; i++) {
        const TypeInfo *t = g_ptr_array_index(types, i);
        bool is_abstract = t->kind == OBJECT_KIND_ABSTRACT;

        if ((is_abstract && !abstract) || !type_implements(t, implements)) {
            continue;
        }
        add_type_info(list, t->name, t->parent, is_abstract);
    }
    /* the accelerators: only those built in */
    if (!implements || !strcmp(implements, TYPE_ACCEL)) {
        if (abstract) {
            add_type_info(list, TYPE_ACCEL, NULL, true);
        }
        for (int i = 0; accel_names[i]; i++) {
            if (accel_find(accel_names[i])) {
                g_autofree char *name = g_strdup_printf("%s-" TYPE_ACCEL,
                                                        accel_names[i]);

                add_type_info(list, name, TYPE_ACCEL, false);
            }
        }
    }
    return qmp_node_take_array(list);
}

/* ---- device-list-properties, qom-list-properties ---- */

/* A property's default as QEMU types it (ObjectPropertyInfo). */
static void set_default_value(JsonObject *o, const PropDef *p)
{
    bool b;
    uint64_t u;
    int64_t i;

    if (!p->defval) {
        return;
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        if (parse_bool(p->defval, &b)) {
            json_object_set_boolean_member(o, "default-value", b);
        }
        break;
    case PROP_TYPE_INT32:
    case PROP_TYPE_PCI_DEVFN:
        if (parse_int64(p->defval, &i)) {
            json_object_set_int_member(o, "default-value", i);
        }
        break;
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        if (parse_size(p->defval, &u)) {
            json_object_set_int_member(o, "default-value", (gint64)u);
        }
        break;
    case PROP_TYPE_STRING:
    case PROP_TYPE_ENUM:
    case PROP_TYPE_UUID:
        json_object_set_string_member(o, "default-value", p->defval);
        break;
    }
}

static void add_prop_info(const PropDef *p, void *opaque)
{
    JsonArray *list = opaque;
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", p->name);
    json_object_set_string_member(o, "type", object_prop_type_name(p));
    if (p->desc) {
        json_object_set_string_member(o, "description", p->desc);
    }
    set_default_value(o, p);
    json_array_add_object_element(list, o);
}

static JsonNode *list_props(const TypeInfo *t)
{
    JsonArray *list = json_array_new();

    type_foreach_prop(t, add_prop_info, list);
    return qmp_node_take_array(list);
}

/*
 * The type named by the "typename" argument.  NULL with *errp set on bad
 * arguments; NULL with *name set to the name when no such type exists.
 */
static const TypeInfo *typename_arg(JsonObject *args, const char **name,
                                    Error **errp)
{
    static const char *const allowed[] = { "typename", NULL };

    *name = NULL;
    if (!qmp_args_check(args, allowed, errp) ||
        !qmp_arg_str(args, "typename", true, name, errp)) {
        *name = NULL;
        return NULL;
    }
    return type_lookup(*name);
}

static JsonNode *qmp_cmd_device_list_properties(JsonObject *args,
                                                Error **errp)
{
    const char *name;
    const TypeInfo *t = typename_arg(args, &name, errp);

    if (!t && name) {
        qmp_error_set_class(QMP_ERROR_CLASS_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", name);
        return NULL;
    }
    if (t && t->kind != OBJECT_KIND_DEVICE) {
        error_setg(errp, "Parameter 'typename' expects a non-abstract "
                   "device type");
        return NULL;
    }
    return t ? list_props(t) : NULL;
}

static JsonNode *qmp_cmd_qom_list_properties(JsonObject *args, Error **errp)
{
    const char *name;
    const TypeInfo *t = typename_arg(args, &name, errp);

    if (!t && name) {
        error_setg(errp, "Class '%s' not found", name);
    }
    return t ? list_props(t) : NULL;
}

/* ---- ObjectOptions, object-add's arguments ---- */

static void append_member_type(GString *s, const PropDef *p)
{
    switch (p->type) {
    case PROP_TYPE_BOOL:
        g_string_append(s, "bool");
        break;
    case PROP_TYPE_INT32:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
    case PROP_TYPE_PCI_DEVFN:
        g_string_append(s, "int");
        break;
    case PROP_TYPE_STRING:
    case PROP_TYPE_UUID:
        g_string_append(s, p->uint16_list ? "[int]" : "str");
        break;
    case PROP_TYPE_ENUM:
        g_string_append(s, "enum(");
        for (int i = 0; p->enum_names[i]; i++) {
            g_string_append_printf(s, "%s%s", i ? "|" : "", p->enum_names[i]);
        }
        g_string_append_c(s, ')');
        break;
    }
}

typedef struct BranchText {
    GString *s;
    const TypeInfo *type;
    bool first;
} BranchText;

static bool type_requires(const TypeInfo *t, const char *name)
{
    for (; t; t = t->parent ? type_lookup(t->parent) : NULL) {
        if (t->qapi_required && g_strv_contains(t->qapi_required, name)) {
            return true;
        }
    }
    return false;
}

static void append_branch_member(const PropDef *p, void *opaque)
{
    BranchText *b = opaque;

    if (p->hidden) {
        return;
    }
    g_string_append_printf(b->s, "%s%s%s: ", b->first ? "" : ", ", p->name,
                           type_requires(b->type, p->name) ? "" : "?");
    append_member_type(b->s, p);
    b->first = false;
}

/*
 * union(qom-type, {qom-type: enum(T1|T2...), id: str}, T1: {props}, ...)
 * over the -object types, each branch with the type's properties.
 */
static char *object_options_schema(void)
{
    g_autoptr(GPtrArray) types = type_list(OBJECT_KIND_OBJECT);
    GString *s = g_string_new("union(qom-type, {qom-type: enum(");

    for (guint i = 0; i < types->len; i++) {
        const TypeInfo *t = g_ptr_array_index(types, i);

        g_string_append_printf(s, "%s%s", i ? "|" : "", t->name);
    }
    g_string_append(s, "), id: str}");
    for (guint i = 0; i < types->len; i++) {
        BranchText b = { s, g_ptr_array_index(types, i), true };

        g_string_append_printf(s, ", %s: {", b.type->name);
        type_foreach_prop(b.type, append_branch_member, &b);
        g_string_append_c(s, '}');
    }
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

static const QmpCommandDef qmp_introspect_commands[] = {
    { "query-qmp-schema", qmp_cmd_query_qmp_schema,
      .ret = "[SchemaInfo]" },
    { "qom-list-types", qmp_cmd_qom_list_types,
      .args = "{implements?: str, abstract?: bool}",
      .ret = "[{name: str, abstract?: bool, parent?: str}]" },
    { "device-list-properties", qmp_cmd_device_list_properties,
      .args = "{typename: str}", .ret = "[ObjectPropertyInfo]" },
    { "qom-list-properties", qmp_cmd_qom_list_properties,
      .args = "{typename: str}", .ret = "[ObjectPropertyInfo]" },
    { NULL }
};

void qmp_cmds_register_introspect(void)
{
    /* qapi/introspect.json in QEMU 7.2 */
    qmp_schema_define("SchemaInfo",
        "union(meta-type, {name: str, meta-type: enum(builtin|enum|array|"
        "object|alternate|command|event), features?: [str]}, "
        "builtin: {json-type: enum(string|number|int|boolean|null|object|"
        "array|value)}, "
        "enum: {members: [{name: str, features?: [str]}], values: [str]}, "
        "array: {element-type: str}, "
        "object: {members: [{name: str, type: str, default?: any, "
        "features?: [str]}], tag?: str, variants?: [{case: str, "
        "type: str}]}, "
        "alternate: {members: [{type: str}]}, "
        "command: {arg-type: str, ret-type: str, allow-oob?: bool}, "
        "event: {arg-type: str})");
    qmp_schema_define("ObjectPropertyInfo",
                      "{name: str, type: str, description?: str, "
                      "default-value?: any}");
    qmp_schema_define_fn("ObjectOptions", object_options_schema);
    qmp_register_commands(qmp_introspect_commands);
}
