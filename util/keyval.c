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

#include <json-glib/json-glib.h>

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

/* Skip blanks and C comments, which json-glib tolerates between tokens. */
static const char *json_skip_blanks(const char *p)
{
    for (;;) {
        while (g_ascii_isspace(*p)) {
            p++;
        }
        if (p[0] != '/' || p[1] != '*') {
            return p;
        }
        p = strstr(p + 2, "*/");
        if (!p) {
            return "";
        }
        p += 2;
    }
}

/*
 * Check one number token: plain JSON integers must fit in int64_t and
 * must not have leading zeros; fractions and exponents are left for the
 * type check.
 */
static bool json_number_ok(const char *num, const char *key, Error **errp)
{
    const char *digits = num[0] == '-' ? num + 1 : num;
    gint64 unused;

    if (digits[0] == '0' && digits[1] && !strchr(".eE", digits[1])) {
        /* json-glib would read these as octal, hex or binary */
        error_setg(errp, "Parameter '%s': invalid number '%s'",
                   key ? key : "", num);
        return false;
    }
    if (strpbrk(num, ".eE")) {
        return true;
    }
    if (!g_ascii_string_to_signed(num, 10, G_MININT64, G_MAXINT64,
                                  &unused, NULL)) {
        error_setg(errp, "Parameter '%s': integer %s is out of range",
                   key ? key : "", num);
        return false;
    }
    return true;
}

/*
 * json-glib is lax where QEMU's JSON parser is strict: it reads integers
 * as unsigned 64-bit and silently wraps the ones that do not fit int64_t
 * (2^63 becomes negative, 2^64 becomes -1), it accepts octal, hex and
 * binary literals, and it ignores a second value after the first.  Walk
 * the text that json-glib accepted and check those points ourselves.
 */
static bool json_check_tokens(const char *json, Error **errp)
{
    g_autofree char *key = NULL;
    const char *p = json_skip_blanks(json);
    int depth = 0;

    while (*p) {
        if (*p == '"' || *p == '\'') {
            /* json-glib knows no escapes in single-quoted strings */
            char quote = *p++;
            const char *start = p;
            char *str;

            while (*p && *p != quote) {
                if (quote == '"' && *p == '\\' && p[1]) {
                    p++;
                }
                p++;
            }
            str = g_strndup(start, p - start);
            if (*p) {
                p++;
            }
            p = json_skip_blanks(p);
            if (*p == ':') {
                g_free(key);
                key = str;
            } else {
                g_free(str);
            }
            continue;
        }
        if (*p == '-' || *p == '.' || g_ascii_isdigit(*p)) {
            const char *start = p;
            g_autofree char *num = NULL;

            while (*p && (g_ascii_isalnum(*p) || strchr(".+-", *p))) {
                p++;
            }
            num = g_strndup(start, p - start);
            if (!json_number_ok(num, key, errp)) {
                return false;
            }
            continue;
        }
        if (g_ascii_isalpha(*p) || *p == '_') {
            while (g_ascii_isalnum(*p) || *p == '_') {
                p++;
            }
            continue;
        }
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (--depth == 0) {
                p = json_skip_blanks(p + 1);
                if (*p) {
                    error_setg(errp, "Invalid JSON: unexpected text '%s' "
                               "after the object", p);
                    return false;
                }
                return true;
            }
        }
        p = json_skip_blanks(p + 1);
    }
    return true;
}

/* The index of the first item of @arr that is not an integer, or its
 * length when they all are. */
static guint json_array_first_non_int(JsonArray *arr)
{
    guint i;

    for (i = 0; i < json_array_get_length(arr); i++) {
        JsonNode *e = json_array_get_element(arr, i);

        if (!JSON_NODE_HOLDS_VALUE(e) ||
            json_node_get_value_type(e) != G_TYPE_INT64) {
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
        g_string_append_printf(out, "%s%" PRId64, i ? "," : "",
                               json_node_get_int(json_array_get_element(arr,
                                                                       i)));
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

int json_text_first_non_int(const char *json)
{
    g_autoptr(JsonNode) node = json_from_string(json, NULL);

    if (!node || !JSON_NODE_HOLDS_ARRAY(node)) {
        return -1;
    }
    return (int)json_array_first_non_int(json_node_get_array(node));
}

QemuOpts *json_opts_parse(const char *json, Error **errp)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    g_autoptr(QemuOpts) opts = NULL;
    g_autoptr(GList) members = NULL;
    JsonObject *obj;
    JsonNode *root;
    GList *l;

    if (!json) {
        json = "";
    }
    if (!json_parser_load_from_data(parser, json, -1, &gerr)) {
        error_setg(errp, "Invalid JSON: %s", gerr->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root) {
        error_setg(errp, "Invalid JSON: empty input");
        return NULL;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "JSON options must be an object, not %s",
                   json_node_kind(root));
        return NULL;
    }
    if (!json_check_tokens(json, errp)) {
        return NULL;
    }

    opts = qemu_opts_new();
    obj = json_node_get_object(root);
    members = json_object_get_members(obj);
    for (l = members; l; l = l->next) {
        const char *key = l->data;
        JsonNode *node = json_object_get_member(obj, key);
        QemuOptKind kind = QEMU_OPT_UNTYPED;
        char *value = NULL;

        if (!opt_name_valid(key, strlen(key))) {
            error_setg(errp, "Invalid parameter name '%s'", key);
            return NULL;
        }
        if (JSON_NODE_HOLDS_VALUE(node)) {
            switch (json_node_get_value_type(node)) {
            case G_TYPE_STRING:
                value = g_strdup(json_node_get_string(node));
                kind = QEMU_OPT_STRING;
                break;
            case G_TYPE_BOOLEAN:
                value = g_strdup(json_node_get_boolean(node) ? "on" : "off");
                kind = QEMU_OPT_BOOL;
                break;
            case G_TYPE_INT64:
                value = g_strdup_printf("%" PRId64, json_node_get_int(node));
                kind = QEMU_OPT_INT;
                break;
            default:
                break;
            }
        }
        if (!value && JSON_NODE_HOLDS_ARRAY(node)) {
            value = json_int_list(json_node_get_array(node));
            kind = QEMU_OPT_INT_LIST;
        }
        if (!value) {
            /* Refused later by the property, as QEMU's visitor does, so
             * that 'qom-type' and 'id' are checked first. */
            value = json_to_string(node, FALSE);
            kind = QEMU_OPT_OTHER;
        }
        qemu_opts_take_kind(opts, g_strdup(key), value, kind);
    }
    return g_steal_pointer(&opts);
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
