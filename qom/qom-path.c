/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QOM paths: see include/qom/qom-path.h.  The tree is small, so every
 * lookup walks the whole of it.
 */
#include "qemu/osdep.h"
#include "qom/qom-path.h"

#define QOM_MACHINE         "/machine"
#define QOM_PERIPHERAL      "/machine/peripheral"
#define QOM_PERIPHERAL_ANON "/machine/peripheral-anon"
#define QOM_UNATTACHED      "/machine/unattached"
#define QOM_OBJECTS         "/objects"

static Object *qom_machine;

void qom_set_machine(Object *machine)
{
    qom_machine = machine;
}

void qom_node_clear(QomNode *node)
{
    g_free(node->path);
    *node = (QomNode) { 0 };
}

static bool is_device(Object *obj)
{
    return obj->type->kind == OBJECT_KIND_DEVICE;
}

char *qom_object_path(Object *obj)
{
    if (obj == qom_machine) {
        return g_strdup(QOM_MACHINE);
    }
    if (!is_device(obj)) {
        return g_strdup_printf(QOM_OBJECTS "/%s", obj->id);
    }
    if (obj->id) {
        return g_strdup_printf(QOM_PERIPHERAL "/%s", obj->id);
    }
    return g_strdup_printf(QOM_PERIPHERAL_ANON "/device[%d]",
                           obj->anon_index);
}

static void add_node(GPtrArray *nodes, QomNodeKind kind, char *path,
                     Object *obj)
{
    QomNode *n = g_new0(QomNode, 1);

    n->kind = kind;
    n->path = path;
    n->obj = obj;
    g_ptr_array_add(nodes, n);
}

static void free_node(gpointer p)
{
    qom_node_clear(p);
    g_free(p);
}

/* Every node of the tree, parents before children. */
static GPtrArray *qom_all_nodes(void)
{
    GPtrArray *nodes = g_ptr_array_new_with_free_func(free_node);
    GPtrArray *objs = object_list_objects();
    GPtrArray *devs = device_list();

    add_node(nodes, QOM_NODE_ROOT, g_strdup("/"), NULL);
    /* Devices have their place even before a machine exists (tests). */
    if (qom_machine) {
        add_node(nodes, QOM_NODE_OBJECT, g_strdup(QOM_MACHINE), qom_machine);
    }
    add_node(nodes, QOM_NODE_CONTAINER, g_strdup(QOM_PERIPHERAL), NULL);
    add_node(nodes, QOM_NODE_CONTAINER, g_strdup(QOM_PERIPHERAL_ANON), NULL);
    add_node(nodes, QOM_NODE_CONTAINER, g_strdup(QOM_UNATTACHED), NULL);
    for (guint i = 0; i < devs->len; i++) {
        Object *d = g_ptr_array_index(devs, i);

        add_node(nodes, QOM_NODE_OBJECT, qom_object_path(d), d);
    }
    add_node(nodes, QOM_NODE_CONTAINER, g_strdup(QOM_OBJECTS), NULL);
    for (guint i = 0; i < objs->len; i++) {
        Object *o = g_ptr_array_index(objs, i);

        add_node(nodes, QOM_NODE_OBJECT, qom_object_path(o), o);
    }
    return nodes;
}

static void copy_node(const QomNode *from, QomNode *to)
{
    to->kind = from->kind;
    to->path = g_strdup(from->path);
    to->obj = from->obj;
}

/* "/a/b/" and "/a//b" name "/a/b", as QEMU splits paths on '/'. */
static char *normalize(const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    GString *s = g_string_new(NULL);

    for (int i = 0; parts[i]; i++) {
        if (*parts[i]) {
            g_string_append_printf(s, "/%s", parts[i]);
        }
    }
    if (!s->len) {
        g_string_append_c(s, '/');
    }
    return g_string_free(s, FALSE);
}

static bool resolve_absolute(const char *path, QomNode *node)
{
    g_autoptr(GPtrArray) nodes = qom_all_nodes();
    g_autofree char *want = normalize(path);

    for (guint i = 0; i < nodes->len; i++) {
        const QomNode *n = g_ptr_array_index(nodes, i);

        if (!strcmp(n->path, want)) {
            copy_node(n, node);
            return true;
        }
    }
    return false;
}

bool qom_resolve(const char *path, QomNode *node)
{
    g_autoptr(GPtrArray) nodes = NULL;
    g_autofree char *tail = NULL;
    const QomNode *found = NULL;

    *node = (QomNode) { 0 };
    if (path[0] == '/') {
        return resolve_absolute(path, node);
    }
    if (!path[0]) {
        return false;
    }
    nodes = qom_all_nodes();
    tail = g_strconcat("/", path, NULL);
    for (guint i = 0; i < nodes->len; i++) {
        const QomNode *n = g_ptr_array_index(nodes, i);

        if (g_str_has_suffix(n->path, tail)) {
            if (found) {
                return false;           /* ambiguous */
            }
            found = n;
        }
    }
    if (found) {
        copy_node(found, node);
    }
    return found != NULL;
}

bool qom_resolve_at(const char *base, const char *path, QomNode *node)
{
    g_autofree char *full = NULL;

    *node = (QomNode) { 0 };
    if (path[0] == '/') {
        return resolve_absolute(path, node);
    }
    full = g_strconcat(base, "/", path, NULL);
    return resolve_absolute(full, node);
}

/* ---- qom-list ---- */

static void add_info(GPtrArray *list, const char *name, const char *type,
                     char *child_path)
{
    QomPropInfo *p = g_new0(QomPropInfo, 1);

    p->name = g_strdup(name);
    p->type = g_strdup(type);
    p->child_path = child_path;
    g_ptr_array_add(list, p);
}

static void free_info(gpointer data)
{
    QomPropInfo *p = data;

    g_free(p->name);
    g_free(p->type);
    g_free(p->child_path);
    g_free(p);
}

static void add_child(GPtrArray *list, const char *name, const char *type,
                      const char *parent)
{
    g_autofree char *t = g_strdup_printf("child<%s>", type);

    add_info(list, name, t, g_strconcat(strcmp(parent, "/") ? parent : "",
                                        "/", name, NULL));
}

/* QEMU's name for a property's type (see the header). */
static const char *prop_qom_type(const PropDef *p, bool device)
{
    if (p->qom_type) {
        return p->qom_type;
    }
    switch (p->type) {
    case PROP_TYPE_BOOL:
        return "bool";
    case PROP_TYPE_INT32:
    case PROP_TYPE_PCI_DEVFN:
        return device ? "int32" : "int";
    case PROP_TYPE_UINT32:
        return device ? "uint32" : "int";
    case PROP_TYPE_UINT64:
        return device ? "uint64" : "int";
    case PROP_TYPE_SIZE:
        return device ? "size" : "int";
    case PROP_TYPE_UUID:
        return "QemuUUID";
    case PROP_TYPE_STRING:
    case PROP_TYPE_ENUM:
        break;
    }
    return device ? "str" : "string";
}

typedef struct PropListCtx {
    GPtrArray *list;
    bool device;
} PropListCtx;

static void list_prop(const PropDef *p, void *opaque)
{
    PropListCtx *ctx = opaque;

    if (!p->hidden) {
        add_info(ctx->list, p->name, prop_qom_type(p, ctx->device), NULL);
    }
}

static void list_container(GPtrArray *list, const char *path)
{
    GPtrArray *devs = device_list();
    GPtrArray *objs = object_list_objects();

    if (!strcmp(path, QOM_OBJECTS)) {
        for (guint i = 0; i < objs->len; i++) {
            Object *o = g_ptr_array_index(objs, i);

            add_child(list, o->id, o->type->name, path);
        }
        return;
    }
    for (guint i = 0; i < devs->len; i++) {
        Object *d = g_ptr_array_index(devs, i);
        g_autofree char *dpath = qom_object_path(d);
        g_autofree char *dir = g_path_get_dirname(dpath);
        g_autofree char *base = g_path_get_basename(dpath);

        if (!strcmp(dir, path)) {
            add_child(list, base, d->type->name, path);
        }
    }
}

GPtrArray *qom_list(const QomNode *node)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(free_info);
    PropListCtx ctx = { .list = list };

    add_info(list, "type", "string", NULL);
    switch (node->kind) {
    case QOM_NODE_ROOT:
        if (qom_machine) {
            add_child(list, "machine", qom_machine->type->name, "/");
        }
        add_child(list, "objects", "container", "/");
        break;
    case QOM_NODE_CONTAINER:
        list_container(list, node->path);
        break;
    case QOM_NODE_OBJECT:
        ctx.device = is_device(node->obj);
        if (ctx.device) {
            add_info(list, "realized", "bool", NULL);
            add_info(list, "hotplugged", "bool", NULL);
            add_info(list, "hotpluggable", "bool", NULL);
        }
        type_foreach_prop(node->obj->type, list_prop, &ctx);
        if (node->obj == qom_machine) {
            add_child(list, "peripheral", "container", QOM_MACHINE);
            add_child(list, "peripheral-anon", "container", QOM_MACHINE);
            add_child(list, "unattached", "container", QOM_MACHINE);
        }
        break;
    }
    return list;
}

const QomPropInfo *qom_list_find(GPtrArray *list, const char *name)
{
    for (guint i = 0; i < list->len; i++) {
        const QomPropInfo *p = g_ptr_array_index(list, i);

        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}
