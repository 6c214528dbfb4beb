/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP query-chardev (QEMU 7.2's ChardevInfo, qapi/char.json): every
 * chardev's id, what it is connected to ("pty:/dev/pts/N" for a pty, as
 * libvirt reads it for <serial type='pty'>) and whether a frontend (a
 * serial port, a monitor) uses it.
 */
#include "qemu/osdep.h"

#include "chardev/char.h"
#include "monitor/monitor.h"

static gint compare_label(gconstpointer a, gconstpointer b)
{
    return strcmp(qemu_chr_label(*(Chardev *const *)a),
                  qemu_chr_label(*(Chardev *const *)b));
}

static JsonNode *qmp_cmd_query_chardev(JsonObject *args, Error **errp)
{
    g_autoptr(GPtrArray) chrs = NULL;
    JsonArray *list;
    JsonNode *node;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    chrs = qemu_chr_list();
    g_ptr_array_sort(chrs, compare_label);
    for (guint i = 0; i < chrs->len; i++) {
        Chardev *chr = g_ptr_array_index(chrs, i);
        JsonObject *o = json_object_new();

        json_object_set_boolean_member(o, "frontend-open",
                                       qemu_chr_has_frontend(chr));
        json_object_set_string_member(o, "filename",
                                      qemu_chr_describe(chr) ?: "");
        json_object_set_string_member(o, "label", qemu_chr_label(chr));
        json_array_add_object_element(list, o);
    }
    node = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(node, list);
    return node;
}

static const QmpCommandDef qmp_char_commands[] = {
    { "query-chardev", qmp_cmd_query_chardev,
      .ret = "[{label: str, filename: str, frontend-open: bool}]" },
    { NULL }
};

void qmp_cmds_register_char(void)
{
    qmp_register_commands(qmp_char_commands);
}
