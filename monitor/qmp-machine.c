/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP commands about the machine as a whole: query-name, query-cpus-fast,
 * query-acpi-ospm-status, system_powerdown, system_reset.  Replies are
 * QEMU 7.2's (qapi/misc.json, qapi/machine.json, qapi/acpi.json).
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "hw/acpi/ospm.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"
#include "sysemu/runstate.h"
#include "sysemu/vl.h"

static JsonNode *qmp_cmd_query_name(JsonObject *args, Error **errp)
{
    JsonObject *info;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    info = json_object_new();
    if (qemu_name) {
        json_object_set_string_member(info, "name", qemu_name);
    }
    return qmp_node_take_object(info);
}

/*
 * NUMA as QEMU 7.2's pc machine has it: node 0 exists when -numa is given
 * or when memory can be hot-plugged (slots or maxmem), and then every
 * vCPU belongs to it.
 */
static bool machine_has_numa_node(const PCMachineState *pcms)
{
    return pcms->numa_node || pcms->ram_slots ||
           pcms->maxram_size > pcms->ram_size;
}

/*
 * One CpuInfoFast: the topology ids QEMU derives from the index
 * (x86_topo_ids_from_idx()), and the QOM path QEMU 7.2 gives vCPU N
 * (device[1] is the first vCPU's kvmvapic there; pmemvm has no objects
 * for its vCPUs, so the path does not resolve).
 */
static JsonObject *cpu_info(const PCMachineState *pcms, unsigned index)
{
    unsigned threads = MAX(pcms->smp_threads, 1);
    unsigned cores = pcms->smp_cores ? pcms->smp_cores :
                     MAX(pcms->smp_cpus, 1);
    unsigned dies = MAX(pcms->smp_dies, 1);
    JsonObject *cpu = json_object_new();
    JsonObject *props = json_object_new();
    g_autofree char *path = g_strdup_printf("/machine/unattached/device[%u]",
                                            index ? index + 1 : 0);

    json_object_set_int_member(cpu, "thread-id",
                               accel_vcpu_thread_id(index));
    json_object_set_int_member(props, "core-id", index / threads % cores);
    json_object_set_int_member(props, "thread-id", index % threads);
    if (machine_has_numa_node(pcms)) {
        json_object_set_int_member(props, "node-id", 0);
    }
    if (dies > 1) {
        json_object_set_int_member(props, "die-id",
                                   index / (threads * cores) % dies);
    }
    json_object_set_int_member(props, "socket-id",
                               index / (threads * cores * dies));
    json_object_set_object_member(cpu, "props", props);
    json_object_set_string_member(cpu, "qom-path", path);
    json_object_set_int_member(cpu, "cpu-index", index);
    json_object_set_string_member(cpu, "target", "x86_64");
    return cpu;
}

static JsonNode *qmp_cmd_query_cpus_fast(JsonObject *args, Error **errp)
{
    PCMachineState *pcms = current_machine;
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    for (unsigned i = 0; pcms && i < MAX(pcms->smp_cpus, 1); i++) {
        json_array_add_object_element(list, cpu_info(pcms, i));
    }
    return qmp_node_take_array(list);
}

static JsonNode *qmp_cmd_query_acpi_ospm_status(JsonObject *args,
                                               Error **errp)
{
    GPtrArray *records = acpi_ost_list();
    JsonArray *list;

    if (!qmp_args_check(args, NULL, errp)) {
        return NULL;
    }
    list = json_array_new();
    for (guint i = 0; i < records->len; i++) {
        json_array_add_object_element(list, acpi_ost_info_to_json(
            g_ptr_array_index(records, i)));
    }
    return qmp_node_take_array(list);
}

static JsonNode *qmp_cmd_system_powerdown(JsonObject *args, Error **errp)
{
    if (qmp_args_check(args, NULL, errp)) {
        qemu_system_powerdown_request();
    }
    return NULL;
}

static JsonNode *qmp_cmd_system_reset(JsonObject *args, Error **errp)
{
    if (qmp_args_check(args, NULL, errp)) {
        qemu_system_reset_request_cause(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    }
    return NULL;
}

/* QEMU 7.2's shapes (qapi/machine.json, qapi/acpi.json), as filled here. */
static const QmpCommandDef qmp_machine_commands[] = {
    { "query-name", qmp_cmd_query_name, .ret = "{name?: str}" },
    { "query-cpus-fast", qmp_cmd_query_cpus_fast,
      .ret = "[union(target, {cpu-index: int, qom-path: str, thread-id: int, "
             "props?: {node-id?: int, socket-id?: int, die-id?: int, "
             "core-id?: int, thread-id?: int}, target: enum(x86_64)}, "
             "x86_64: {})]" },
    { "query-acpi-ospm-status", qmp_cmd_query_acpi_ospm_status,
      .ret = "[ACPIOSTInfo]" },
    { "system_powerdown", qmp_cmd_system_powerdown },
    { "system_reset", qmp_cmd_system_reset },
    { NULL }
};

void qmp_cmds_register_machine(void)
{
    qmp_register_commands(qmp_machine_commands);
}
