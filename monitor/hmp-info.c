/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor's info commands: each calls its QMP twin and prints
 * the answer as QEMU 7.2's hmp_info_*() do (include/monitor/hmp-format.h).
 */
#include "qemu/osdep.h"

#include "monitor/hmp-format.h"
#include "hmp-internal.h"

static const char *str_member(JsonObject *o, const char *name)
{
    return json_object_has_member(o, name) ?
           json_object_get_string_member(o, name) : "";
}

static gint64 int_member(JsonObject *o, const char *name)
{
    return json_object_has_member(o, name) ?
           json_object_get_int_member(o, name) : 0;
}

static const char *bool_member(JsonObject *o, const char *name)
{
    return json_object_has_member(o, name) &&
           json_object_get_boolean_member(o, name) ? "true" : "false";
}

char *hmp_format_status(JsonNode *ret)
{
    JsonObject *info = json_node_get_object(ret);
    bool running = json_object_get_boolean_member(info, "running");
    const char *status = str_member(info, "status");
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "VM status: %s%s",
                           running ? "running" : "paused",
                           !g_strcmp0(bool_member(info, "singlestep"),
                                      "true") ?
                           " (single step mode)" : "");
    if (!running && strcmp(status, "paused")) {
        g_string_append_printf(s, " (%s)", status);
    }
    g_string_append_c(s, '\n');
    return g_string_free(s, FALSE);
}

char *hmp_format_version(JsonNode *ret)
{
    JsonObject *info = json_node_get_object(ret);
    JsonObject *qemu = json_object_get_object_member(info, "qemu");

    return g_strdup_printf("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%"
                           G_GINT64_FORMAT "%s\n", int_member(qemu, "major"),
                           int_member(qemu, "minor"),
                           int_member(qemu, "micro"),
                           str_member(info, "package"));
}

char *hmp_format_name(JsonNode *ret)
{
    JsonObject *info = json_node_get_object(ret);

    return json_object_has_member(info, "name") ?
           g_strdup_printf("%s\n", str_member(info, "name")) : g_strdup("");
}

/* A list of integers as QEMU's string output visitor writes it: runs of
 * consecutive values as "A-B", joined by commas. */
static void append_int_ranges(GString *s, JsonArray *list)
{
    guint n = list ? json_array_get_length(list) : 0;

    for (guint i = 0; i < n;) {
        gint64 first = json_array_get_int_element(list, i), last = first;

        g_string_append_printf(s, "%s%" G_GINT64_FORMAT, i ? "," : "",
                               first);
        while (i + 1 < n && json_array_get_int_element(list, i + 1) ==
               last + 1) {
            last++;
            i++;
        }
        i++;
        if (last != first) {
            g_string_append_printf(s, "-%" G_GINT64_FORMAT, last);
        }
    }
}

char *hmp_format_memdev(JsonNode *ret)
{
    JsonArray *list = json_node_get_array(ret);
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *m = json_array_get_object_element(list, i);

        g_string_append_printf(s, "memory backend: %s\n", str_member(m, "id"));
        g_string_append_printf(s, "  size:  %" G_GINT64_FORMAT "\n",
                               int_member(m, "size"));
        g_string_append_printf(s, "  merge: %s\n", bool_member(m, "merge"));
        g_string_append_printf(s, "  dump: %s\n", bool_member(m, "dump"));
        g_string_append_printf(s, "  prealloc: %s\n",
                               bool_member(m, "prealloc"));
        g_string_append_printf(s, "  share: %s\n", bool_member(m, "share"));
        if (json_object_has_member(m, "reserve")) {
            g_string_append_printf(s, "  reserve: %s\n",
                                   bool_member(m, "reserve"));
        }
        g_string_append_printf(s, "  policy: %s\n", str_member(m, "policy"));
        g_string_append(s, "  host nodes: ");
        append_int_ranges(s, json_object_get_array_member(m, "host-nodes"));
        g_string_append_c(s, '\n');
    }
    g_string_append_c(s, '\n');
    return g_string_free(s, FALSE);
}

char *hmp_format_memory_devices(JsonNode *ret)
{
    JsonArray *list = json_node_get_array(ret);
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *dev = json_array_get_object_element(list, i);
        JsonObject *d = json_object_get_object_member(dev, "data");
        const char *type = str_member(dev, "type");

        g_string_append_printf(s, "Memory device [%s]: \"%s\"\n", type,
                               str_member(d, "id"));
        if (!strcmp(type, "virtio-pmem") || !strcmp(type, "virtio-mem")) {
            g_string_append_printf(s, "  memaddr: 0x%" G_GINT64_MODIFIER "x\n"
                                   "  size: %" G_GUINT64_FORMAT "\n"
                                   "  memdev: %s\n",
                                   int_member(d, "memaddr"),
                                   (guint64)int_member(d, "size"),
                                   str_member(d, "memdev"));
            continue;
        }
        g_string_append_printf(s, "  addr: 0x%" G_GINT64_MODIFIER "x\n"
                               "  slot: %" G_GINT64_FORMAT "\n"
                               "  node: %" G_GINT64_FORMAT "\n"
                               "  size: %" G_GUINT64_FORMAT "\n"
                               "  memdev: %s\n"
                               "  hotplugged: %s\n"
                               "  hotpluggable: %s\n",
                               int_member(d, "addr"), int_member(d, "slot"),
                               int_member(d, "node"),
                               (guint64)int_member(d, "size"),
                               str_member(d, "memdev"),
                               bool_member(d, "hotplugged"),
                               bool_member(d, "hotpluggable"));
    }
    return g_string_free(s, FALSE);
}

char *hmp_format_memory_size_summary(JsonNode *ret)
{
    JsonObject *info = json_node_get_object(ret);
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "base memory: %" G_GUINT64_FORMAT "\n",
                           (guint64)int_member(info, "base-memory"));
    if (json_object_has_member(info, "plugged-memory")) {
        g_string_append_printf(s, "plugged memory: %" G_GUINT64_FORMAT "\n",
                               (guint64)int_member(info, "plugged-memory"));
    }
    return g_string_free(s, FALSE);
}

/* The monitor's current CPU is the first one (pmemvm has no "cpu"). */
char *hmp_format_cpus(JsonNode *ret)
{
    JsonArray *list = json_node_get_array(ret);
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *cpu = json_array_get_object_element(list, i);
        gint64 index = int_member(cpu, "cpu-index");

        g_string_append_printf(s, "%c CPU #%" G_GINT64_FORMAT ":",
                               index == 0 ? '*' : ' ', index);
        g_string_append_printf(s, " thread_id=%" G_GINT64_FORMAT "\n",
                               int_member(cpu, "thread-id"));
    }
    return g_string_free(s, FALSE);
}

static void format_pci_device(GString *s, JsonObject *dev)
{
    JsonObject *cls = json_object_get_object_member(dev, "class_info");
    JsonObject *id = json_object_get_object_member(dev, "id");
    JsonArray *regions = json_object_get_array_member(dev, "regions");

    g_string_append_printf(s, "  Bus %2" G_GINT64_FORMAT ", device %3"
                           G_GINT64_FORMAT ", function %" G_GINT64_FORMAT
                           ":\n", int_member(dev, "bus"),
                           int_member(dev, "slot"),
                           int_member(dev, "function"));
    g_string_append(s, "    ");
    if (json_object_has_member(cls, "desc")) {
        g_string_append(s, str_member(cls, "desc"));
    } else {
        g_string_append_printf(s, "Class %04" G_GINT64_FORMAT,
                               int_member(cls, "class"));
    }
    g_string_append_printf(s, ": PCI device %04" G_GINT64_MODIFIER "x:%04"
                           G_GINT64_MODIFIER "x\n", int_member(id, "vendor"),
                           int_member(id, "device"));
    if (json_object_has_member(id, "subsystem-vendor")) {
        g_string_append_printf(s, "      PCI subsystem %04" G_GINT64_MODIFIER
                               "x:%04" G_GINT64_MODIFIER "x\n",
                               int_member(id, "subsystem-vendor"),
                               int_member(id, "subsystem"));
    }
    if (json_object_has_member(dev, "irq")) {
        g_string_append_printf(s, "      IRQ %" G_GINT64_FORMAT ", pin %c\n",
                               int_member(dev, "irq"),
                               (char)('A' + int_member(dev, "irq_pin") - 1));
    }
    for (guint i = 0; regions && i < json_array_get_length(regions); i++) {
        JsonObject *r = json_array_get_object_element(regions, i);
        guint64 addr = int_member(r, "address");
        guint64 end = addr + int_member(r, "size") - 1;

        if (!strcmp(str_member(r, "type"), "io")) {
            g_string_append_printf(s, "      BAR%" G_GINT64_FORMAT ": I/O at "
                                   "0x%04" G_GINT64_MODIFIER "x [0x%04"
                                   G_GINT64_MODIFIER "x].\n",
                                   int_member(r, "bar"), addr, end);
        } else {
            g_string_append_printf(s, "      BAR%" G_GINT64_FORMAT ": %d bit%s "
                                   "memory at 0x%08" G_GINT64_MODIFIER "x "
                                   "[0x%08" G_GINT64_MODIFIER "x].\n",
                                   int_member(r, "bar"),
                                   !strcmp(bool_member(r, "mem_type_64"),
                                           "true") ? 64 : 32,
                                   !strcmp(bool_member(r, "prefetch"),
                                           "true") ? " prefetchable" : "",
                                   addr, end);
        }
    }
    g_string_append_printf(s, "      id \"%s\"\n", str_member(dev, "qdev_id"));
}

char *hmp_format_pci(JsonNode *ret)
{
    JsonArray *buses = json_node_get_array(ret);
    GString *s = g_string_new(NULL);

    for (guint b = 0; b < json_array_get_length(buses); b++) {
        JsonArray *devs = json_object_get_array_member(
            json_array_get_object_element(buses, b), "devices");

        for (guint i = 0; i < json_array_get_length(devs); i++) {
            format_pci_device(s, json_array_get_object_element(devs, i));
        }
    }
    return g_string_free(s, FALSE);
}

/* ---- The info commands ---- */

/* Print what @format makes of the answer to @qmp_cmd, or the error. */
static void info_from_qmp(Monitor *mon, const char *qmp_cmd,
                          char *(*format)(JsonNode *ret))
{
    Error *err = NULL;
    JsonNode *ret = hmp_qmp_call(qmp_cmd, NULL, &err);
    g_autofree char *text = NULL;

    if (!ret) {
        hmp_handle_error(mon, err);
        return;
    }
    text = format(ret);
    monitor_puts(mon, text);
    json_node_unref(ret);
}

#define HMP_INFO(fn, qmp, formatter)                            \
    static void fn(Monitor *mon, char **argv)                   \
    {                                                           \
        info_from_qmp(mon, qmp, formatter);                     \
    }

HMP_INFO(hmp_info_cpus, "query-cpus-fast", hmp_format_cpus)
HMP_INFO(hmp_info_memdev, "query-memdev", hmp_format_memdev)
HMP_INFO(hmp_info_memory_devices, "query-memory-devices",
         hmp_format_memory_devices)
HMP_INFO(hmp_info_memory_size_summary, "query-memory-size-summary",
         hmp_format_memory_size_summary)
HMP_INFO(hmp_info_name, "query-name", hmp_format_name)
HMP_INFO(hmp_info_pci, "query-pci", hmp_format_pci)
HMP_INFO(hmp_info_status, "query-status", hmp_format_status)
HMP_INFO(hmp_info_version, "query-version", hmp_format_version)

/* Sorted by name, as QEMU's; "help info" prints this order. */
const HMPCommand hmp_info_cmds[] = {
    { "cpus", "", "", "show infos for each CPU", hmp_info_cpus },
    { "memdev", "", "", "show memory backends", hmp_info_memdev },
    { "memory-devices", "", "", "show memory devices",
      hmp_info_memory_devices },
    { "memory_size_summary", "", "", "show the amount of initially "
      "allocated and present hotpluggable (if enabled) memory in bytes.",
      hmp_info_memory_size_summary },
    { "name", "", "", "show the current VM name", hmp_info_name },
    { "pci", "", "", "show PCI info", hmp_info_pci },
    { "qtree", "", "", "show device tree", hmp_info_qtree },
    { "status", "", "", "show the current VM status (running|paused)",
      hmp_info_status },
    { "version", "", "", "show the version of QEMU", hmp_info_version },
    { NULL },
};
