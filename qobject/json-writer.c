/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON text exactly as QEMU prints it: see include/qobject/json-writer.h.
 */
#include "qemu/osdep.h"
#include "qemu/unicode.h"
#include "qobject/json-writer.h"
#include "qobject/qjson.h"

static void json_append_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    while (*s) {
        size_t used;
        int32_t cp = utf8m_decode(s, 6, &used);

        if (cp < 0) {
            cp = 0xfffd;            /* QEMU prints U+FFFD for bad bytes */
        }
        s += used;
        switch (cp) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (cp >= 0x20 && cp <= 0x7e) {
                g_string_append_c(out, cp);
            } else if (cp < 0x10000) {
                g_string_append_printf(out, "\\u%04X", cp);
            } else {
                cp -= 0x10000;
                g_string_append_printf(out, "\\u%04X\\u%04X",
                                       0xd800 | (cp >> 10),
                                       0xdc00 | (cp & 0x3ff));
            }
        }
    }
    g_string_append_c(out, '"');
}

static void json_indent(GString *out, bool pretty, int level)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        for (int i = 0; i < level; i++) {
            g_string_append(out, "    ");
        }
    }
}

static void json_append_node(GString *out, JsonNode *node, bool pretty,
                             int level);

static void json_append_object(GString *out, JsonObject *obj, bool pretty,
                               int level)
{
    GList *members = json_object_get_members(obj);

    g_string_append_c(out, '{');
    for (GList *l = members; l; l = l->next) {
        json_indent(out, pretty, level + 1);
        json_append_string(out, l->data);
        g_string_append(out, ": ");
        json_append_node(out, json_object_get_member(obj, l->data), pretty,
                         level + 1);
        if (l->next) {
            g_string_append(out, pretty ? "," : ", ");
        }
    }
    json_indent(out, pretty, level);
    g_string_append_c(out, '}');
    g_list_free(members);
}

static void json_append_array(GString *out, JsonArray *arr, bool pretty,
                              int level)
{
    guint n = json_array_get_length(arr);

    g_string_append_c(out, '[');
    for (guint i = 0; i < n; i++) {
        json_indent(out, pretty, level + 1);
        json_append_node(out, json_array_get_element(arr, i), pretty,
                         level + 1);
        if (i + 1 < n) {
            g_string_append(out, pretty ? "," : ", ");
        }
    }
    json_indent(out, pretty, level);
    g_string_append_c(out, ']');
}

static void json_append_node(GString *out, JsonNode *node, bool pretty,
                             int level)
{
    char num[G_ASCII_DTOSTR_BUF_SIZE];

    if (!node || JSON_NODE_HOLDS_NULL(node)) {
        g_string_append(out, "null");
        return;
    }
    if (JSON_NODE_HOLDS_OBJECT(node)) {
        json_append_object(out, json_node_get_object(node), pretty, level);
        return;
    }
    if (JSON_NODE_HOLDS_ARRAY(node)) {
        json_append_array(out, json_node_get_array(node), pretty, level);
        return;
    }
    switch (json_node_get_value_type(node)) {
    case G_TYPE_BOOLEAN:
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
        break;
    case G_TYPE_INT64:
        if (qjson_is_uint64(node)) {
            g_string_append_printf(out, "%" PRIu64,
                                   (uint64_t)json_node_get_int(node));
        } else {
            g_string_append_printf(out, "%" PRId64, json_node_get_int(node));
        }
        break;
    case G_TYPE_DOUBLE:
        g_string_append(out, g_ascii_formatd(num, sizeof(num), "%.17g",
                                             json_node_get_double(node)));
        break;
    default:
        json_append_string(out, json_node_get_string(node) ?: "");
        break;
    }
}

char *qmp_json_to_string(JsonNode *node, bool pretty)
{
    GString *out = g_string_new(NULL);

    json_append_node(out, node, pretty, 0);
    return g_string_free(out, FALSE);
}

