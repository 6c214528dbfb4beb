/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP about block devices: query-block and query-named-block-nodes, with
 * QEMU 7.2's arguments and reply shapes (qapi/block-core.json,
 * qapi/block.json).  pmemvm has no block layer (its memory backends are
 * not block nodes), so both lists are empty, which is what QEMU 7.2
 * answers for a machine without drives (-nodefaults).  libvirt 9.0 asks
 * both while it starts a domain (qemuProcessLaunch, after the vCPUs).
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "monitor/monitor.h"

static JsonNode *empty_list(void)
{
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    json_node_take_array(node, json_array_new());
    return node;
}

/* No block device: no BlockInfo. */
static JsonNode *qmp_cmd_query_block(JsonObject *args, Error **errp)
{
    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    return empty_list();
}

/* No block node: no BlockDeviceInfo, flat (children omitted) or not. */
static JsonNode *qmp_cmd_query_named_block_nodes(JsonObject *args,
                                                 Error **errp)
{
    static const char *const allowed[] = { "flat", NULL };
    bool flat = false;

    if (!qmp_arg_bool(args, "flat", false, &flat, errp) ||
        !qmp_args_check(args, allowed, errp)) {
        return NULL;
    }
    return empty_list();
}

/*
 * QEMU 7.2's BlockInfo, and BlockDeviceInfo's scalar members that are not
 * optional (its image and cache objects left out): nothing fills them
 * here, the lists being empty.
 */
static const QmpCommandDef qmp_block_commands[] = {
    { "query-block", qmp_cmd_query_block,
      .ret = "[{device: str, qdev?: str, type: str, removable: bool, "
             "locked: bool}]" },
    { "query-named-block-nodes", qmp_cmd_query_named_block_nodes,
      .args = "{flat?: bool}",
      .ret = "[{file: str, node-name?: str, ro: bool, drv: str, "
             "backing_file_depth: int, encrypted: bool, "
             "detect_zeroes: enum(off|on|unmap), bps: int, bps_rd: int, "
             "bps_wr: int, iops: int, iops_rd: int, iops_wr: int, "
             "write_threshold: int}]" },
    { NULL }
};

void qmp_cmds_register_block(void)
{
    qmp_register_commands(qmp_block_commands);
}
