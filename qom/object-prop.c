/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed property values (qom/object.c's properties): the text or JSON
 * value of a property checked against its type, as QEMU's visitors check
 * it, and stored in the object.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qemu/cutils.h"
#include "object-internal.h"

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

bool object_prop_store(Object *obj, const PropDef *p, const char *value,
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
        if (p->uint16_list) {
            char *list = uint16_list_merge(name, *(char **)field, value,
                                           kind == QEMU_OPT_UNTYPED, errp);

            if (!list) {
                return false;
            }
            g_free(*(char **)field);
            *(char **)field = list;
            return true;
        }
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
