/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small object model in QEMU's image: named types with a parent, typed
 * properties stored at offsets in the instance, and a "complete" step
 * (realize) that validates and can fail through Error **errp.
 *
 * One path creates objects from the command line (key=value or JSON) and
 * from QMP/HMP (object_add, device_add): object_create_from_opts().
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/option.h"

typedef struct Object Object;
typedef struct TypeInfo TypeInfo;

typedef enum PropType {
    PROP_TYPE_BOOL,     /* bool */
    PROP_TYPE_INT32,    /* int32_t */
    PROP_TYPE_UINT32,   /* uint32_t */
    PROP_TYPE_UINT64,   /* uint64_t */
    PROP_TYPE_SIZE,     /* uint64_t, accepts K/M/G/T suffixes */
    PROP_TYPE_STRING,   /* char *, owned by the object */
    PROP_TYPE_ENUM,     /* int, index into enum_names */
    PROP_TYPE_UUID,     /* uint8_t[16] */
    PROP_TYPE_PCI_DEVFN,/* int32_t: "SLOT[.FN]" in hex or a JSON devfn,
                         * -1 when unset (QEMU's "addr" of PCI devices) */
} PropType;

typedef struct PropDef {
    const char *name;
    PropType type;
    size_t offset;
    const char *const *enum_names;  /* NULL-terminated, PROP_TYPE_ENUM */
    const char *defval;             /* default as text, or NULL for zero */
    const char *desc;               /* one line for "help" */
    /* PROP_TYPE_STRING holding QEMU's uint16 list (host-nodes): a JSON
     * array of integers (QEMU_OPT_INT_LIST) is taken too, as "N,N,...". */
    bool uint16_list;
    /* Taken but not listed by help (QEMU's generic "bus" of -device). */
    bool hidden;
    /*
     * The type qom-list reports, where QEMU's differs from what @type
     * implies (include/qom/qom-path.h): "link<memory-backend>" for a
     * property naming a backend by id (qom-get then gives its path),
     * "HostMemPolicy" for an enum, ...  NULL: derived from @type.
     */
    const char *qom_type;
} PropDef;

#define PROP_END { .name = NULL }

#define DEFINE_PROP(_name, _state, _field, _type, _def, _desc) \
    { .name = (_name), .type = (_type), \
      .offset = offsetof(_state, _field), .defval = (_def), .desc = (_desc) }

#define DEFINE_PROP_ENUM(_name, _state, _field, _names, _def, _desc) \
    { .name = (_name), .type = PROP_TYPE_ENUM, \
      .offset = offsetof(_state, _field), .enum_names = (_names), \
      .defval = (_def), .desc = (_desc) }

typedef enum ObjectKind {
    OBJECT_KIND_OBJECT,     /* -object / object_add (user creatable) */
    OBJECT_KIND_DEVICE,     /* -device / device_add */
    OBJECT_KIND_MACHINE,    /* -machine */
    OBJECT_KIND_ABSTRACT,   /* base type only */
} ObjectKind;

struct TypeInfo {
    const char *name;
    const char *parent;             /* NULL for a root type */
    ObjectKind kind;
    size_t instance_size;
    const PropDef *props;           /* terminated by PROP_END, may be NULL */
    const char *desc;               /* one line for "-device help" */
    bool hotpluggable;              /* device_add after machine init */
    /*
     * -object types: this type's own members in the order of QEMU's QAPI
     * schema (qapi/qom.json), and the mandatory ones among them.  QEMU
     * checks members in that order (ancestors first), a missing mandatory
     * one at its place, and unknown keys last; so does
     * object_create_from_opts() where these are set.
     */
    const char *const *qapi_members;
    const char *const *qapi_required;
    /* Called after defaults are applied, before user properties. */
    void (*instance_init)(Object *obj);
    /* Validate and bring up the object (QEMU's realize / complete). */
    bool (*complete)(Object *obj, Error **errp);
    /*
     * Undo complete() (QEMU's unrealize): release what it took, so that
     * the object could be completed again.  object_unrealize() calls the
     * most derived one, as object_complete() does for complete().
     */
    void (*unrealize)(Object *obj);
    /* -object types: false while something uses it (object-del refuses). */
    bool (*can_be_deleted)(Object *obj);
    /* Free what the instance owns; called by object_destroy(). */
    void (*finalize)(Object *obj);
};

struct Object {
    const TypeInfo *type;
    char *id;                       /* may be NULL for anonymous devices */
    bool realized;
    bool hotplugged;                /* devices: realized after cold plug */
    /* Devices without an id: N of /machine/peripheral-anon/device[N]
     * (the first N free when it was added, as QEMU numbers them). */
    int anon_index;
    GHashTable *set_props;          /* names set explicitly by the user */
};

void type_register(const TypeInfo *info);
/*
 * Register a type (or several: a function) when the program loads, so
 * that no list of every type exists: type_init(my_register_types).
 */
#define type_init(fn)                                                   \
    static void __attribute__((constructor)) type_init_##fn(void)       \
    {                                                                   \
        fn();                                                           \
    }
const TypeInfo *type_lookup(const char *name);
/* True if type @name is @ancestor or derives from it. */
bool type_is_a(const TypeInfo *type, const char *ancestor);
/* Every registered type of @kind that is not abstract, sorted by name. */
GPtrArray *type_list(ObjectKind kind);
/* Every registered type, abstract ones too, sorted by name. */
GPtrArray *type_list_all(void);
/* A property's type as help and QMP name it ("bool", "uint32", "str"). */
const char *object_prop_type_name(const PropDef *p);

/* QEMU's rule for ids: a letter, then letters, digits, '-', '.', '_'. */
bool id_wellformed(const char *id);

/*
 * The user-creatable type @typename of @kind (-device/-object, their help
 * and QMP), or NULL with QEMU's message for an unknown one.
 */
const TypeInfo *type_lookup_user(ObjectKind kind, const char *typename,
                                 Error **errp);

/* Resolve a property of the object's type or its ancestors. */
const PropDef *object_find_prop(const TypeInfo *type, const char *name);
/* Call @fn for each property, ancestors first. */
void type_foreach_prop(const TypeInfo *type,
                       void (*fn)(const PropDef *prop, void *opaque),
                       void *opaque);

/* Allocate an instance of @typename with its defaults applied. */
Object *object_new(const char *typename, Error **errp);
/* Parse @value as the property's type and store it. */
bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp);
/* Format a property's current value as text (g_free the result). */
/*
 * A uint16 list property's new value (qom/uint16-list.c): @value is
 * key=value text (@keyval: "N" or "N-M", added to @old, since each
 * repeated key is one item) or a checked JSON array's "N,N,...".  Returns
 * the values ascending without repeats, "N,N,...", or NULL with @errp.
 */
char *uint16_list_merge(const char *name, const char *old, const char *value,
                        bool keyval, Error **errp);
char *object_property_print(Object *obj, const char *name);
bool object_property_is_set(Object *obj, const char *name);
/* Run the type's complete hook(s) and mark realized. */
bool object_complete(Object *obj, Error **errp);
/* Run the unrealize hook of a realized object and mark it unrealized. */
void object_unrealize(Object *obj);
/* finalize hooks, then free. */
void object_destroy(Object *obj);

/*
 * Create an object from options.  @type_key is "qom-type" for -object and
 * "driver" for -device; the "id" key names it.  Unknown keys are errors
 * naming the property.  The object is allocated and its properties set,
 * but it is not completed: the caller adds it to its container first.
 */
Object *object_create_from_opts(ObjectKind kind, const char *type_key,
                                const QemuOpts *opts, Error **errp);

/* The /objects container (user-creatable objects by id). */
bool object_add_to_objects(Object *obj, Error **errp);
Object *object_find_by_id(const char *id);
void object_remove_from_objects(Object *obj);
/* Objects in creation order. */
GPtrArray *object_list_objects(void);

/*
 * Every device (-device, device_add), in creation order, for "Duplicate
 * device ID" and device_del; one without an id gets its anon_index.
 */
bool device_add_to_list(Object *dev, Error **errp);
Object *device_find_by_id(const char *id);
void device_remove_from_list(Object *dev);
GPtrArray *device_list(void);

/* Text for "-object help", "-device help", "-device TYPE,help". */
char *type_help_list(ObjectKind kind);
char *type_help_props(const TypeInfo *type);

#define OBJECT(p) ((Object *)(p))

#endif
