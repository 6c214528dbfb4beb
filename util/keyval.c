/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option lists parsed from QEMU's key=value syntax or from JSON objects.
 *
 * The key=value rules follow QemuOpts (-machine, -device, -object, -m):
 * items are separated by ',', a doubled ",," inside a value is one literal
 * comma, a first item without '=' may stand for the value of an implied
 * key, a later item without '=' is a boolean flag set to "on", and a
 * single trailing comma is ignored.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"

#include "qemu/unicode.h"
#include "qobject/json-writer.h"
#include "qobject/qjson.h"

static void qemu_opt_free(gpointer data)
{
    QemuOpt *opt = data;

    g_free(opt->key);
    g_free(opt->value);
    g_free(opt);
}

QemuOpts *qemu_opts_new(void)
{
    QemuOpts *opts = g_new0(QemuOpts, 1);

    opts->list = g_ptr_array_new_with_free_func(qemu_opt_free);
    return opts;
}

void qemu_opts_free(QemuOpts *opts)
{
    if (!opts) {
        return;
    }
    g_ptr_array_unref(opts->list);
    g_free(opts);
}

/* Append, taking ownership of both strings. */
static void qemu_opts_take_kind(QemuOpts *opts, char *key, char *value,
                                QemuOptKind kind)
{
    QemuOpt *opt = g_new0(QemuOpt, 1);

    opt->key = key;
    opt->value = value;
    opt->kind = kind;
    g_ptr_array_add(opts->list, opt);
}

static void qemu_opts_take(QemuOpts *opts, char *key, char *value)
{
    qemu_opts_take_kind(opts, key, value, QEMU_OPT_UNTYPED);
}

void qemu_opts_set(QemuOpts *opts, const char *key, const char *value)
{
    assert(key);
    qemu_opts_take(opts, g_strdup(key), g_strdup(value ? value : ""));
}

const char *qemu_opts_get(const QemuOpts *opts, const char *key)
{
    guint i;

    /* Search backwards: the last setting of a key wins. */
    for (i = opts->list->len; i > 0; i--) {
        const QemuOpt *opt = g_ptr_array_index(opts->list, i - 1);

        if (!strcmp(opt->key, key)) {
            return opt->value;
        }
    }
    return NULL;
}

bool qemu_opts_del(QemuOpts *opts, const char *key)
{
    bool found = false;
    guint i = 0;

    while (i < opts->list->len) {
        const QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!strcmp(opt->key, key)) {
            g_ptr_array_remove_index(opts->list, i);
            found = true;
        } else {
            i++;
        }
    }
    return found;
}

/* Parameter names are one or more of [A-Za-z0-9_.-]. */
bool qemu_opts_check_keys(const QemuOpts *opts, const char *const *allowed,
                          Error **errp)
{
    guint i;

    for (i = 0; i < opts->list->len; i++) {
        const QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!g_strv_contains(allowed, opt->key)) {
            error_setg(errp, "Invalid parameter '%s'", opt->key);
            return false;
        }
    }
    return true;
}

static bool opt_name_valid(const char *name, size_t len)
{
    size_t i;

    if (len == 0) {
        return false;
    }
    for (i = 0; i < len; i++) {
        char c = name[i];

        if (!g_ascii_isalnum(c) && c != '_' && c != '.' && c != '-') {
            return false;
        }
    }
    return true;
}

/*
 * Read a value starting at @p up to the next single ',' or the end,
 * turning each ",," into ','.  Returns a pointer to the terminating ','
 * or '\0'.
 */
static const char *scan_opt_value(const char *p, char **value)
{
    GString *buf = g_string_new(NULL);

    while (*p) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        }
        g_string_append_c(buf, *p);
        p++;
    }
    *value = g_string_free(buf, FALSE);
    return p;
}

QemuOpts *keyval_parse(const char *params, const char *implied_key,
                       Error **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    const char *p = params ? params : "";
    bool first = true;

    while (*p) {
        size_t len = strcspn(p, "=,");
        char *key, *value;

        if (first && implied_key && p[len] != '=') {
            /* "pc,accel=kvm": the whole first item, ",," included */
            key = g_strdup(implied_key);
            p = scan_opt_value(p, &value);
        } else {
            if (!opt_name_valid(p, len)) {
                if (len == 0) {
                    error_setg(errp, "Empty parameter name in '%s'", params);
                } else {
                    error_setg(errp, "Invalid parameter name '%.*s' in '%s'",
                               (int)len, p, params);
                }
                return NULL;
            }
            key = g_strndup(p, len);
            p += len;
            if (*p == '=') {
                p = scan_opt_value(p + 1, &value);
            } else {
                /* "share" alone means "share=on" */
                value = g_strdup("on");
            }
        }
        qemu_opts_take(opts, key, value);
        if (*p == ',') {
            p++;
        }
        first = false;
    }
    return g_steal_pointer(&opts);
}

static const char *json_node_kind(JsonNode *node)
{
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT:
        return "an object";
    case JSON_NODE_ARRAY:
        return "an array";
    case JSON_NODE_NULL:
        return "null";
    case JSON_NODE_VALUE:
        break;
    }
    switch (json_node_get_value_type(node)) {
    case G_TYPE_STRING:
        return "a string";
    case G_TYPE_BOOLEAN:
        return "a boolean";
    case G_TYPE_INT64:
        return "an integer";
    case G_TYPE_DOUBLE:
        return "a floating-point number";
    default:
        return "a value of unknown type";
    }
}

/* An integer of @node in decimal (either kind, see qobject/qjson.h). */
static char *json_int_text(JsonNode *node)
{
    uint64_t u;
    int64_t i;

    if (qjson_get_int(node, &i)) {
        return g_strdup_printf("%" PRId64, i);
    }
    g_assert(qjson_get_uint(node, &u));
    return g_strdup_printf("%" PRIu64, u);
}

/* The index of the first item of @arr that is not an integer, or its
 * length when they all are. */
static guint json_array_first_non_int(JsonArray *arr)
{
    guint i;

    for (i = 0; i < json_array_get_length(arr); i++) {
        if (!qjson_is_integer(json_array_get_element(arr, i))) {
            break;
        }
    }
    return i;
}

/* "N,N,..." for an array of integers only, else NULL. */
static char *json_int_list(JsonArray *arr)
{
    g_autoptr(GString) out = g_string_new(NULL);
    guint i, n = json_array_get_length(arr);

    if (json_array_first_non_int(arr) < n) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        g_autofree char *item = json_int_text(json_array_get_element(arr,
                                                                     i));

        g_string_append_printf(out, "%s%s", i ? "," : "", item);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

int json_text_first_non_int(const char *json)
{
    g_autoptr(JsonNode) node = qjson_parse(json, NULL);

    if (!node || !JSON_NODE_HOLDS_ARRAY(node)) {
        return -1;
    }
    return (int)json_array_first_non_int(json_node_get_array(node));
}

/* One member's value as option text, with its JSON kind. */
static char *json_opt_value(const char *key, JsonNode *node,
                            QemuOptKind *kind, Error **errp)
{
    char *value = NULL;

    if (JSON_NODE_HOLDS_VALUE(node)) {
        switch (json_node_get_value_type(node)) {
        case G_TYPE_STRING:
            if (strstr(json_node_get_string(node), UTF8M_NUL)) {
                /* never let a path or an id end early, nor name a file
                 * the user did not write (docs/specs/json.md) */
                error_setg(errp, "Parameter '%s' must not contain a NUL "
                           "character (\\u0000)", key);
                return NULL;
            }
            *kind = QEMU_OPT_STRING;
            return g_strdup(json_node_get_string(node));
        case G_TYPE_BOOLEAN:
            *kind = QEMU_OPT_BOOL;
            return g_strdup(json_node_get_boolean(node) ? "on" : "off");
        case G_TYPE_INT64:
            *kind = qjson_is_uint64(node) ? QEMU_OPT_UINT : QEMU_OPT_INT;
            return json_int_text(node);
        default:
            break;
        }
    }
    if (JSON_NODE_HOLDS_ARRAY(node)) {
        value = json_int_list(json_node_get_array(node));
        *kind = QEMU_OPT_INT_LIST;
    }
    if (!value) {
        /* Refused later by the property, as QEMU's visitor does, so
         * that 'qom-type' and 'id' are checked first. */
        value = qmp_json_to_string(node, false);
        *kind = QEMU_OPT_OTHER;
    }
    return value;
}

QemuOpts *json_opts_from_object(JsonObject *obj, Error **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    g_autoptr(GList) members = json_object_get_members(obj);
    GList *l;

    for (l = members; l; l = l->next) {
        const char *key = l->data;
        QemuOptKind kind = QEMU_OPT_UNTYPED;
        char *value;

        if (!opt_name_valid(key, strlen(key))) {
            error_setg(errp, "Invalid parameter name '%s'", key);
            return NULL;
        }
        value = json_opt_value(key, json_object_get_member(obj, key), &kind,
                               errp);
        if (!value) {
            return NULL;
        }
        qemu_opts_take_kind(opts, g_strdup(key), value, kind);
    }
    return g_steal_pointer(&opts);
}

QemuOpts *json_opts_parse(const char *json, Error **errp)
{
    g_autoptr(JsonNode) root = NULL;
    const char *p = json ? json : "";

    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (!*p) {
        error_setg(errp, "Invalid JSON: empty input");
        return NULL;
    }
    root = qjson_parse(json, errp);
    if (!root) {
        return NULL;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "JSON options must be an object, not %s",
                   json_node_kind(root));
        return NULL;
    }
    return json_opts_from_object(json_node_get_object(root), errp);
}

QemuOpts *qemu_opts_parse_any(const char *params, const char *implied_key,
                              Error **errp)
{
    const char *p = params ? params : "";

    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p == '{') {
        return json_opts_parse(params, errp);
    }
    return keyval_parse(params, implied_key, errp);
}

char *qemu_opts_to_string(const QemuOpts *opts)
{
    GString *buf = g_string_new(NULL);
    guint i;

    for (i = 0; i < opts->list->len; i++) {
        const QemuOpt *opt = g_ptr_array_index(opts->list, i);
        const char *v;

        if (i) {
            g_string_append_c(buf, ',');
        }
        g_string_append(buf, opt->key);
        g_string_append_c(buf, '=');
        for (v = opt->value; *v; v++) {
            if (*v == ',') {
                g_string_append_c(buf, ',');
            }
            g_string_append_c(buf, *v);
        }
    }
    return g_string_free(buf, FALSE);
}
