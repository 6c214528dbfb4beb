/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model: type registry, typed properties, the /objects
 * container, and creation from options.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qemu/cutils.h"
#include "object-internal.h"

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

static void apply_default(const PropDef *p, void *opaque)
{
    Object *obj = opaque;

    if (p->defval) {
        /* A devfn default (-1) is a number, not "SLOT.FN" text. */
        object_prop_store(obj, p, p->defval, p->type == PROP_TYPE_PCI_DEVFN ?
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
    if (!object_prop_store(obj, p, value, kind, errp)) {
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
    /* a uint16 list is a list of ints: QEMU says <int> */
    g_string_append_printf(line, "  %s=<%s>", p->name,
                           p->uint16_list ? "int" : object_prop_type_name(p));
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
