/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model: type registry, typed properties, the /objects
 * container, and creation from options.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qemu/cutils.h"

static GHashTable *types;           /* name -> const TypeInfo* */
static GPtrArray *objects;          /* /objects, creation order */
static GPtrArray *devices;          /* every device, creation order */

void type_register(const TypeInfo *info)
{
    if (!types) {
        types = g_hash_table_new(g_str_hash, g_str_equal);
    }
    assert(!g_hash_table_contains(types, info->name));
    g_hash_table_insert(types, (gpointer)info->name, (gpointer)info);
}

const TypeInfo *type_lookup(const char *name)
{
    return types ? g_hash_table_lookup(types, name) : NULL;
}

static const TypeInfo *type_parent(const TypeInfo *type)
{
    return type->parent ? type_lookup(type->parent) : NULL;
}

bool type_is_a(const TypeInfo *type, const char *ancestor)
{
    for (; type; type = type_parent(type)) {
        if (!strcmp(type->name, ancestor)) {
            return true;
        }
    }
    return false;
}

static gint type_cmp_name(gconstpointer a, gconstpointer b)
{
    const TypeInfo *ta = *(const TypeInfo **)a;
    const TypeInfo *tb = *(const TypeInfo **)b;

    return strcmp(ta->name, tb->name);
}

/* Registered types, sorted by name: all, or those of one kind. */
static GPtrArray *type_collect(bool all, ObjectKind kind)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    if (types) {
        g_hash_table_iter_init(&it, types);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            const TypeInfo *t = value;

            if (all || t->kind == kind) {
                g_ptr_array_add(list, value);
            }
        }
    }
    g_ptr_array_sort(list, type_cmp_name);
    return list;
}

GPtrArray *type_list(ObjectKind kind)
{
    return type_collect(false, kind);
}

GPtrArray *type_list_all(void)
{
    return type_collect(true, OBJECT_KIND_OBJECT);
}

static void type_foreach_prop_rec(const TypeInfo *type,
                                  void (*fn)(const PropDef *, void *),
                                  void *opaque)
{
    const PropDef *p;

    if (!type) {
        return;
    }
    type_foreach_prop_rec(type_parent(type), fn, opaque);
    for (p = type->props; p && p->name; p++) {
        fn(p, opaque);
    }
}

void type_foreach_prop(const TypeInfo *type,
                       void (*fn)(const PropDef *prop, void *opaque),
                       void *opaque)
{
    type_foreach_prop_rec(type, fn, opaque);
}

const PropDef *object_find_prop(const TypeInfo *type, const char *name)
{
    for (; type; type = type_parent(type)) {
        const PropDef *p;
        for (p = type->props; p && p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

const char *object_prop_type_name(const PropDef *p)
{
    switch (p->type) {
    case PROP_TYPE_BOOL:
        return "bool";
    case PROP_TYPE_INT32:
        return "int32";
    case PROP_TYPE_UINT32:
        return "uint32";
    case PROP_TYPE_UINT64:
        return "uint64";
    case PROP_TYPE_SIZE:
        return "size";
    case PROP_TYPE_STRING:
        return "str";
    case PROP_TYPE_ENUM:
        return "enum";
    case PROP_TYPE_UUID:
        return "str";
    case PROP_TYPE_PCI_DEVFN:
        return "int32";
    }
    return "?";
}

static bool uuid_parse(const char *str, uint8_t out[16])
{
    static const int dash_at[] = { 8, 13, 18, 23 };
    int i, j = 0, d = 0;

    if (strlen(str) != 36) {
        return false;
    }
    for (i = 0; i < 36; i++) {
        if (d < 4 && i == dash_at[d]) {
            if (str[i] != '-') {
                return false;
            }
            d++;
            continue;
        }
        if (!g_ascii_isxdigit(str[i]) || !g_ascii_isxdigit(str[i + 1])) {
            return false;
        }
        out[j++] = (g_ascii_xdigit_value(str[i]) << 4) |
                   g_ascii_xdigit_value(str[i + 1]);
        i++;
    }
    return j == 16;
}

/*
 * An unsigned property's text as QEMU's parsers read it: "-N" is accepted
 * and wraps around (its string and QObject visitors keep that for
 * backward compatibility), so addr=-1 is 2^64-1 and node=-1 is out of
 * range rather than malformed.
 */
/* A size property: QEMU 7.2 warns about hex with a suffix ("0x10M"). */
static bool parse_size_warn(const char *value, uint64_t *u64)
{
    bool hex_suffix;
    int r = parse_size_full(value, u64, &hex_suffix);

    if (hex_suffix) {
        warn_report(SIZE_HEX_SUFFIX_WARNING, value);
    }
    return r == 0;
}

static bool parse_uint64_wrapping(const char *value, uint64_t *u64)
{
    int64_t i64;

    if (parse_uint64(value, u64)) {
        return true;
    }
    if (parse_int64(value, &i64) && i64 < 0) {
        *u64 = (uint64_t)i64;
        return true;
    }
    return false;
}

/*
 * A JSON value (-object '{...}', -device '{...}') must have the type of
 * the property: QEMU's QObject input visitor does not convert strings,
 * booleans and integers into each other.  Its messages, word for word
 * (qapi/qobject-input-visitor.c, QERR_INVALID_PARAMETER_TYPE/_VALUE).
 */
static bool prop_uint16_list_ok(const PropDef *p, QemuOptKind kind,
                                const char *value, Error **errp);

static bool prop_check_kind(const PropDef *p, QemuOptKind kind,
                            const char *value, Error **errp)
{
    if (kind == QEMU_OPT_UNTYPED) {
        return true;
    }
    if (kind == QEMU_OPT_QAPI_TEXT) {
        /* text is parsed, except for a list, which text cannot be */
        return !p->uint16_list || prop_uint16_list_ok(p, kind, value, errp);
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        if (kind != QEMU_OPT_BOOL) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "boolean", p->name);
            return false;
        }
        return true;
    case PROP_TYPE_INT32:
        if (kind != QEMU_OPT_INT) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "integer", p->name);
            return false;
        }
        return true;
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        if (kind != QEMU_OPT_INT && kind != QEMU_OPT_UINT) {
            error_setg(errp, "Parameter '%s' expects uint64", p->name);
            return false;
        }
        return true;
    case PROP_TYPE_STRING:
        if (p->uint16_list && kind != QEMU_OPT_UNTYPED) {
            /* QEMU's uint16List: a JSON array, never a string */
            return prop_uint16_list_ok(p, kind, value, errp);
        }
        /* fall through */
    case PROP_TYPE_ENUM:
    case PROP_TYPE_UUID:
        if (kind != QEMU_OPT_STRING) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "string", p->name);
            return false;
        }
        return true;
    case PROP_TYPE_PCI_DEVFN:
        /* QEMU's set_pci_devfn: a string, else an int32 */
        if (kind != QEMU_OPT_STRING && kind != QEMU_OPT_INT) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "integer", p->name);
            return false;
        }
        return true;
    }
    g_assert_not_reached();
}

/*
 * A uint16 list property (host-nodes) given in JSON: @kind INT_LIST (an
 * array of integers, @value "N,N,...") or anything else (@value its JSON
 * text).  QEMU's messages word for word, including the 'null' its visitor
 * names an out-of-range item with.
 */
static bool prop_uint16_list_ok(const PropDef *p, QemuOptKind kind,
                                const char *value, Error **errp)
{
    g_auto(GStrv) items = NULL;
    int bad;
    guint i;

    if (kind == QEMU_OPT_INT_LIST) {
        items = g_strsplit(value, ",", -1);
        for (i = 0; items[i] && items[i][0]; i++) {
            gint64 v = g_ascii_strtoll(items[i], NULL, 10);

            if (v < 0 || v > UINT16_MAX) {
                error_setg(errp, "Parameter 'null' expects uint16_t");
                return false;
            }
        }
        return true;
    }
    bad = json_text_first_non_int(value);
    if (bad >= 0) {
        error_setg(errp, "Parameter '%s[%d]' expects uint64", p->name, bad);
        return false;
    }
    error_setg(errp, "Invalid parameter type for '%s', expected: array",
               p->name);
    return false;
}

/*
 * A PCI address as QEMU takes it: "SLOT" or "SLOT.FN" in hexadecimal
 * (slot 0-1f, function 0-7), or in JSON a devfn integer from -1 to 255.
 */
static bool prop_store_pci_devfn(Object *obj, const PropDef *p,
                                 const char *value, QemuOptKind kind,
                                 int32_t *field, Error **errp)
{
    unsigned long slot, fn = 0;
    const char *s = value;
    char *end;
    int64_t i64;

    if (kind == QEMU_OPT_INT) {
        if (!parse_int64(value, &i64) || i64 < -1 || i64 > 255) {
            error_setg(errp, "Parameter '%s' expects a value between -1 "
                       "and 255", p->name);
            return false;
        }
        *field = i64;
        return true;
    }
    slot = strtoul(s, &end, 16);
    if (end == s || slot > 0x1f) {
        goto invalid;
    }
    if (*end == '.') {
        s = end + 1;
        fn = strtoul(s, &end, 16);
        if (end == s || fn > 7) {
            goto invalid;
        }
    }
    if (*end) {
        goto invalid;
    }
    *field = slot << 3 | fn;
    return true;

invalid:
    error_setg(errp, "Property '%s.%s' doesn't take value '%s'",
               obj->type->name, p->name, value);
    return false;
}

static bool prop_store(Object *obj, const PropDef *p, const char *value,
                       QemuOptKind kind, Error **errp)
{
    void *field = (char *)obj + p->offset;
    const char *name = p->name;
    /* QEMU's -object key=value visitor words it its own way. */
    bool keyval_object = kind == QEMU_OPT_UNTYPED &&
                         obj->type->kind == OBJECT_KIND_OBJECT;
    int64_t i64;
    uint64_t u64;
    bool b;
    int i;

    if (!prop_check_kind(p, kind, value, errp)) {
        return false;
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        if (!parse_bool(value, &b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
            return false;
        }
        *(bool *)field = b;
        return true;
    case PROP_TYPE_INT32:
        if (!parse_int64(value, &i64)) {
            error_setg(errp, "Parameter '%s' expects %s", name,
                       keyval_object ? "an int64 value" : "integer");
            return false;
        }
        if (i64 < INT32_MIN || i64 > INT32_MAX) {
            error_setg(errp, "Parameter '%s' expects int32_t", name);
            return false;
        }
        *(int32_t *)field = i64;
        return true;
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
        if (!parse_uint64_wrapping(value, &u64)) {
            error_setg(errp, "Parameter '%s' expects %s", name,
                       keyval_object ? "a uint64 value" : "integer");
            return false;
        }
        if (p->type == PROP_TYPE_UINT64) {
            *(uint64_t *)field = u64;
            return true;
        }
        if (u64 > UINT32_MAX) {
            error_setg(errp, "Parameter '%s' expects uint32_t", name);
            return false;
        }
        *(uint32_t *)field = u64;
        return true;
    case PROP_TYPE_SIZE:
        if (kind == QEMU_OPT_INT || kind == QEMU_OPT_UINT) {
            /* A JSON integer is taken as is, negative ones wrapping. */
            if (!parse_uint64_wrapping(value, &u64)) {
                error_setg(errp, "Parameter '%s' expects uint64", name);
                return false;
            }
        } else if (!parse_size_warn(value, &u64)) {
            /* QEMU words it differently for -object and the rest. */
            error_setg(errp, "Parameter '%s' expects %s", name,
                       keyval_object ? "a size value" : "size");
            return false;
        }
        *(uint64_t *)field = u64;
        return true;
    case PROP_TYPE_STRING:
        g_free(*(char **)field);
        *(char **)field = g_strdup(value);
        return true;
    case PROP_TYPE_ENUM:
        for (i = 0; p->enum_names[i]; i++) {
            if (!strcmp(p->enum_names[i], value)) {
                *(int *)field = i;
                return true;
            }
        }
        error_setg(errp, "Parameter '%s' does not accept value '%s'",
                   name, value);
        return false;
    case PROP_TYPE_UUID:
        if (!uuid_parse(value, field)) {
            error_setg(errp, "Property '%s.%s' has invalid value",
                       obj->type->name, name);
            return false;
        }
        return true;
    case PROP_TYPE_PCI_DEVFN:
        return prop_store_pci_devfn(obj, p, value, kind, field, errp);
    }
    g_assert_not_reached();
}

static void apply_default(const PropDef *p, void *opaque)
{
    Object *obj = opaque;

    if (p->defval) {
        /* A devfn default (-1) is a number, not "SLOT.FN" text. */
        prop_store(obj, p, p->defval, p->type == PROP_TYPE_PCI_DEVFN ?
                   QEMU_OPT_INT : QEMU_OPT_UNTYPED, &error_abort);
    }
}

Object *object_new(const char *typename, Error **errp)
{
    const TypeInfo *type = type_lookup(typename);
    const TypeInfo *t;
    GPtrArray *chain;
    Object *obj;
    int i;

    if (!type || type->kind == OBJECT_KIND_ABSTRACT) {
        error_setg(errp, "Invalid object type '%s'", typename);
        return NULL;
    }
    obj = g_malloc0(type->instance_size);
    obj->type = type;
    obj->set_props = g_hash_table_new_full(g_str_hash, g_str_equal,
                                           g_free, NULL);
    type_foreach_prop(type, apply_default, obj);
    /* instance_init hooks run base first. */
    chain = g_ptr_array_new();
    for (t = type; t; t = type_parent(t)) {
        g_ptr_array_insert(chain, 0, (gpointer)t);
    }
    for (i = 0; i < chain->len; i++) {
        t = g_ptr_array_index(chain, i);
        if (t->instance_init) {
            t->instance_init(obj);
        }
    }
    g_ptr_array_free(chain, TRUE);
    return obj;
}

static bool object_property_parse_kind(Object *obj, const char *name,
                                      const char *value, QemuOptKind kind,
                                      Error **errp)
{
    const PropDef *p = object_find_prop(obj->type, name);

    if (!p) {
        if (obj->type->kind == OBJECT_KIND_OBJECT &&
            kind != QEMU_OPT_UNTYPED) {
            /* QAPI's ObjectOptions visitor on a JSON -object */
            error_setg(errp, "Parameter '%s' is unexpected", name);
        } else if (obj->type->kind == OBJECT_KIND_OBJECT) {
            error_setg(errp, "Invalid parameter '%s'", name);
        } else {
            error_setg(errp, "Property '%s.%s' not found", obj->type->name,
                       name);
        }
        return false;
    }
    if (obj->realized) {
        error_setg(errp, "Attempt to set property '%s' on device '%s' "
                   "(type '%s') after it was realized", name,
                   obj->id ? obj->id : "<anonymous>", obj->type->name);
        return false;
    }
    if (!prop_store(obj, p, value, kind, errp)) {
        return false;
    }
    g_hash_table_add(obj->set_props, g_strdup(name));
    return true;
}

bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp)
{
    return object_property_parse_kind(obj, name, value, QEMU_OPT_UNTYPED,
                                      errp);
}

/* A JSON member that must be a string (QAPI's 'str' members). */
static bool opt_is_string(const QemuOpts *opts, const char *key)
{
    guint i;

    for (i = opts->list->len; i > 0; i--) {
        const QemuOpt *o = g_ptr_array_index(opts->list, i - 1);

        if (!strcmp(o->key, key)) {
            return o->kind == QEMU_OPT_UNTYPED || o->kind == QEMU_OPT_STRING ||
                   o->kind == QEMU_OPT_QAPI_TEXT;
        }
    }
    return true;
}

char *object_property_print(Object *obj, const char *name)
{
    const PropDef *p = object_find_prop(obj->type, name);
    void *field;

    if (!p) {
        return NULL;
    }
    field = (char *)obj + p->offset;
    switch (p->type) {
    case PROP_TYPE_BOOL:
        return g_strdup(*(bool *)field ? "on" : "off");
    case PROP_TYPE_INT32:
        return g_strdup_printf("%" PRId32, *(int32_t *)field);
    case PROP_TYPE_UINT32:
        return g_strdup_printf("%" PRIu32, *(uint32_t *)field);
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return g_strdup_printf("%" PRIu64, *(uint64_t *)field);
    case PROP_TYPE_STRING:
        return g_strdup(*(char **)field);
    case PROP_TYPE_ENUM:
        return g_strdup(p->enum_names[*(int *)field]);
    case PROP_TYPE_PCI_DEVFN: {
        int32_t devfn = *(int32_t *)field;

        return devfn < 0 ? g_strdup("-1") :
               g_strdup_printf("%02x.%x", devfn >> 3, devfn & 7);
    }
    case PROP_TYPE_UUID: {
        const uint8_t *u = field;
        return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-"
                               "%02x%02x-%02x%02x%02x%02x%02x%02x",
                               u[0], u[1], u[2], u[3], u[4], u[5], u[6],
                               u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                               u[14], u[15]);
    }
    }
    return NULL;
}

bool object_property_is_set(Object *obj, const char *name)
{
    return g_hash_table_contains(obj->set_props, name);
}

bool object_complete(Object *obj, Error **errp)
{
    const TypeInfo *t;

    if (obj->realized) {
        return true;
    }
    /* The most derived complete() hook is responsible for its parent's. */
    for (t = obj->type; t; t = type_parent(t)) {
        if (t->complete) {
            if (!t->complete(obj, errp)) {
                return false;
            }
            break;
        }
    }
    obj->realized = true;
    return true;
}

void object_unrealize(Object *obj)
{
    const TypeInfo *t;

    if (!obj->realized) {
        return;
    }
    for (t = obj->type; t; t = type_parent(t)) {
        if (t->unrealize) {
            t->unrealize(obj);
            break;
        }
    }
    obj->realized = false;
}

static void free_string_prop(const PropDef *p, void *opaque)
{
    if (p->type == PROP_TYPE_STRING) {
        char **field = (char **)((char *)opaque + p->offset);
        g_free(*field);
        *field = NULL;
    }
}

void object_destroy(Object *obj)
{
    const TypeInfo *t;

    if (!obj) {
        return;
    }
    for (t = obj->type; t; t = type_parent(t)) {
        if (t->finalize) {
            t->finalize(obj);
        }
    }
    type_foreach_prop(obj->type, free_string_prop, obj);
    g_hash_table_destroy(obj->set_props);
    g_free(obj->id);
    g_free(obj);
}

/* QEMU's id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
bool id_wellformed(const char *id)
{
    int i;

    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (i = 1; id[i]; i++) {
        if (!g_ascii_isalnum(id[i]) && !strchr("-._", id[i])) {
            return false;
        }
    }
    return true;
}

const TypeInfo *type_lookup_user(ObjectKind kind, const char *typename,
                                 Error **errp)
{
    const TypeInfo *type = type_lookup(typename);

    if (type && type->kind == kind) {
        return type;
    }
    if (kind == OBJECT_KIND_DEVICE) {
        error_setg(errp, "'%s' is not a valid device model name", typename);
    } else {
        error_setg(errp, "Parameter 'qom-type' does not accept value '%s'",
                   typename);
    }
    if (!type) {
        error_append_hint(errp, "pmemvm models only the devices and "
                          "objects listed by '-%s help'.\n",
                          kind == OBJECT_KIND_DEVICE ? "device" : "object");
    }
    return NULL;
}

/*
 * Set @opts on @obj: first the members its types list in QAPI order
 * (ancestors first; a mandatory one that is missing fails there), then
 * the rest in the order given, where unknown keys fail.
 */
static bool object_set_opts(Object *obj, const char *type_key,
                            const QemuOpts *opts, Error **errp)
{
    g_autofree bool *done = g_new0(bool, opts->list->len + 1);
    g_autoptr(GPtrArray) chain = g_ptr_array_new();
    const TypeInfo *t;
    guint i, j;

    for (t = obj->type; t; t = type_parent(t)) {
        g_ptr_array_insert(chain, 0, (gpointer)t);
    }
    for (j = 0; j < chain->len; j++) {
        const char *const *m;

        t = g_ptr_array_index(chain, j);
        for (m = t->qapi_members; m && *m; m++) {
            bool found = false;

            for (i = 0; i < opts->list->len; i++) {
                const QemuOpt *o = g_ptr_array_index(opts->list, i);

                if (strcmp(o->key, *m)) {
                    continue;
                }
                found = done[i] = true;
                if (!object_property_parse_kind(obj, o->key, o->value,
                                                o->kind, errp)) {
                    return false;
                }
            }
            if (!found && t->qapi_required &&
                g_strv_contains(t->qapi_required, *m)) {
                error_setg(errp, "Parameter '%s' is missing", *m);
                return false;
            }
        }
    }
    for (i = 0; i < opts->list->len; i++) {
        const QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (done[i] || !strcmp(o->key, type_key) || !strcmp(o->key, "id")) {
            continue;
        }
        if (!object_property_parse_kind(obj, o->key, o->value, o->kind,
                                        errp)) {
            return false;
        }
    }
    return true;
}

Object *object_create_from_opts(ObjectKind kind, const char *type_key,
                                const QemuOpts *opts, Error **errp)
{
    const char *typename = qemu_opts_get(opts, type_key);
    const char *id = qemu_opts_get(opts, "id");
    const TypeInfo *type;
    Object *obj;

    if (typename && !opt_is_string(opts, type_key)) {
        if (kind == OBJECT_KIND_DEVICE) {
            /* qdev_device_add_from_qdict() looks for a string only */
            typename = NULL;
        } else {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "string", type_key);
            return NULL;
        }
    }
    if (!typename) {
        error_setg(errp, "Parameter '%s' is missing", type_key);
        return NULL;
    }
    type = type_lookup_user(kind, typename, errp);
    if (!type) {
        return NULL;
    }
    if (kind == OBJECT_KIND_OBJECT && !id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (kind == OBJECT_KIND_OBJECT && !opt_is_string(opts, "id")) {
        error_setg(errp, "Invalid parameter type for 'id', expected: string");
        return NULL;
    }
    if (id && !id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return NULL;
    }
    obj = object_new(typename, errp);
    if (!obj) {
        return NULL;
    }
    obj->id = g_strdup(id);
    if (!object_set_opts(obj, type_key, opts, errp)) {
        object_destroy(obj);
        return NULL;
    }
    return obj;
}

bool object_add_to_objects(Object *obj, Error **errp)
{
    if (!objects) {
        objects = g_ptr_array_new();
    }
    if (object_find_by_id(obj->id)) {
        /* QEMU's object_property_try_add_child() on /objects; the
         * command line checks its key=value options earlier. */
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type 'container')", obj->id);
        return false;
    }
    g_ptr_array_add(objects, obj);
    return true;
}

Object *object_find_by_id(const char *id)
{
    int i;

    if (!objects || !id) {
        return NULL;
    }
    for (i = 0; i < objects->len; i++) {
        Object *o = g_ptr_array_index(objects, i);
        if (!g_strcmp0(o->id, id)) {
            return o;
        }
    }
    return NULL;
}

void object_remove_from_objects(Object *obj)
{
    if (objects) {
        g_ptr_array_remove(objects, obj);
    }
}

GPtrArray *object_list_objects(void)
{
    if (!objects) {
        objects = g_ptr_array_new();
    }
    return objects;
}

/* QEMU's "device[*]" child names: the first index no device holds. */
static int device_first_free_anon_index(void)
{
    for (int n = 0;; n++) {
        bool taken = false;

        for (guint i = 0; i < devices->len && !taken; i++) {
            Object *d = g_ptr_array_index(devices, i);

            taken = !d->id && d->anon_index == n;
        }
        if (!taken) {
            return n;
        }
    }
}

bool device_add_to_list(Object *dev, Error **errp)
{
    if (!devices) {
        devices = g_ptr_array_new();
    }
    if (dev->id && device_find_by_id(dev->id)) {
        /* QEMU's qdev_set_id(); -device key=value checks earlier. */
        error_setg(errp, "Duplicate device ID '%s'", dev->id);
        return false;
    }
    dev->anon_index = dev->id ? -1 : device_first_free_anon_index();
    g_ptr_array_add(devices, dev);
    return true;
}

Object *device_find_by_id(const char *id)
{
    int i;

    for (i = 0; devices && id && i < devices->len; i++) {
        Object *d = g_ptr_array_index(devices, i);
        if (!g_strcmp0(d->id, id)) {
            return d;
        }
    }
    return NULL;
}

void device_remove_from_list(Object *dev)
{
    if (devices) {
        g_ptr_array_remove(devices, dev);
    }
}

GPtrArray *device_list(void)
{
    if (!devices) {
        devices = g_ptr_array_new();
    }
    return devices;
}

char *type_help_list(ObjectKind kind)
{
    g_autoptr(GPtrArray) list = type_list(kind);
    GString *s = g_string_new(NULL);
    int i;

    g_string_append(s, kind == OBJECT_KIND_DEVICE ?
                    "Available devices:\n" :
                    "List of user creatable objects:\n");
    for (i = 0; i < list->len; i++) {
        const TypeInfo *t = g_ptr_array_index(list, i);
        if (kind == OBJECT_KIND_DEVICE) {
            g_string_append_printf(s, "name \"%s\"%s%s%s\n", t->name,
                                   t->desc ? ", desc \"" : "",
                                   t->desc ? t->desc : "",
                                   t->desc ? "\"" : "");
        } else {
            g_string_append_printf(s, "  %s\n", t->name);
        }
    }
    return g_string_free(s, FALSE);
}

static void help_prop(const PropDef *p, void *opaque)
{
    GString *s = opaque;
    GString *line;
    int i;

    if (p->hidden) {
        return;
    }
    line = g_string_new(NULL);
    g_string_append_printf(line, "  %s=<%s>", p->name,
                           object_prop_type_name(p));
    while (line->len < 26) {
        g_string_append_c(line, ' ');
    }
    g_string_append(line, " - ");
    if (p->desc) {
        g_string_append(line, p->desc);
    }
    if (p->type == PROP_TYPE_ENUM) {
        g_string_append(line, " (");
        for (i = 0; p->enum_names[i]; i++) {
            g_string_append_printf(line, "%s%s", i ? "/" : "",
                                   p->enum_names[i]);
        }
        g_string_append(line, ")");
    }
    if (p->defval) {
        g_string_append_printf(line, " (default: %s)", p->defval);
    }
    g_string_append_printf(s, "%s\n", line->str);
    g_string_free(line, TRUE);
}

char *type_help_props(const TypeInfo *type)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "%s options:\n", type->name);
    type_foreach_prop(type, help_prop, s);
    return g_string_free(s, FALSE);
}
