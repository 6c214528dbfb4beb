/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor's commands: the table, QEMU's argument parsing and
 * messages, help, and the commands that change the VM.  Each calls the
 * C function its QMP twin calls: object_add and object_del
 * user_creatable_add_opts() / user_creatable_del(), device_add and
 * device_del qdev_device_add() / qdev_device_del(), the rest the
 * registered QMP command itself (qmp_command_call()).
 */
#include "qemu/osdep.h"

#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "qobject/json-writer.h"
#include "qom/object_interfaces.h"
#include "sysemu/qdev-monitor.h"
#include "sysemu/vl.h"
#include "hmp-internal.h"

/* ---- Shared helpers ---- */

JsonNode *hmp_qmp_call(const char *name, JsonObject *args, Error **errp)
{
    return qmp_command_call(name, args, errp);
}

void hmp_handle_error(Monitor *mon, Error *err)
{
    if (err) {
        monitor_printf(mon, "Error: %s\n", error_get_pretty(err));
        if (error_get_hint(err)) {
            monitor_puts(mon, error_get_hint(err));
        }
        error_free(err);
    }
}

/* Run a QMP twin that returns nothing; its error as HMP prints it. */
static void hmp_call_void(Monitor *mon, const char *name)
{
    Error *err = NULL;
    JsonNode *ret = hmp_qmp_call(name, NULL, &err);

    if (ret) {
        json_node_unref(ret);
    }
    hmp_handle_error(mon, err);
}

/* ---- Commands ---- */

static void hmp_stop(Monitor *mon, char **argv)
{
    hmp_call_void(mon, "stop");
}

static void hmp_cont(Monitor *mon, char **argv)
{
    hmp_call_void(mon, "cont");
}

static void hmp_system_powerdown(Monitor *mon, char **argv)
{
    hmp_call_void(mon, "system_powerdown");
}

static void hmp_system_reset(Monitor *mon, char **argv)
{
    hmp_call_void(mon, "system_reset");
}

static void hmp_quit(Monitor *mon, char **argv)
{
    hmp_call_void(mon, "quit");
}

/* "driver=help" or a "help" key: the list of devices, or a device's. */
static bool hmp_device_help(Monitor *mon, const QemuOpts *opts)
{
    const char *driver = qemu_opts_get(opts, "driver");
    g_autofree char *text = NULL;
    const TypeInfo *t;
    Error *err = NULL;

    if (!g_strcmp0(driver, "help") || !g_strcmp0(driver, "?")) {
        text = type_help_list(OBJECT_KIND_DEVICE);
    } else if (driver && (qemu_opts_get(opts, "help") ||
                          qemu_opts_get(opts, "?"))) {
        t = type_lookup_user(OBJECT_KIND_DEVICE, driver, &err);
        if (!t) {
            hmp_handle_error(mon, err);
            return true;
        }
        text = type_help_props(t);
    } else {
        return false;
    }
    monitor_puts(mon, text);
    return true;
}

static void hmp_device_add(Monitor *mon, char **argv)
{
    g_autoptr(QemuOpts) opts = NULL;
    Error *err = NULL;

    /* The argument parser checked that it parses. */
    opts = keyval_parse(argv[0] ? argv[0] : "", "driver", &error_abort);
    if (!hmp_device_help(mon, opts)) {
        qdev_device_add(opts, &err);
        hmp_handle_error(mon, err);
    }
}

static void hmp_device_del(Monitor *mon, char **argv)
{
    Error *err = NULL;

    qdev_device_del(argv[0], &err);
    hmp_handle_error(mon, err);
}

/*
 * object_add's text is strict key=value: after the type, every item
 * needs a '=' (QEMU's keyval_parse(); ",," is a comma inside a value).
 */
static bool object_add_check_syntax(const char *s, Error **errp)
{
    bool first = true;

    while (*s) {
        const char *key = s;

        while (*s && *s != '=' && *s != ',') {
            s++;
        }
        if (*s != '=' && !first) {
            error_setg(errp, "Expected '=' after parameter '%.*s'",
                       (int)(s - key), key);
            return false;
        }
        /* the value, up to a single comma */
        while (*s) {
            if (*s == ',' && s[1] == ',') {
                s += 2;
            } else if (*s == ',') {
                break;
            } else {
                s++;
            }
        }
        if (*s == ',') {
            s++;
        }
        first = false;
    }
    return true;
}

static void hmp_object_add(Monitor *mon, char **argv)
{
    g_autoptr(QemuOpts) opts = NULL;
    g_autofree char *text = NULL;
    const char *type;
    const TypeInfo *t;
    Error *err = NULL;

    if (!object_add_check_syntax(argv[0], &err) ||
        !(opts = keyval_parse(argv[0], "qom-type", &err))) {
        hmp_handle_error(mon, err);
        return;
    }
    type = qemu_opts_get(opts, "qom-type");
    if (!g_strcmp0(type, "help") || !g_strcmp0(type, "?")) {
        text = type_help_list(OBJECT_KIND_OBJECT);
    } else if (type && qemu_opts_get(opts, "help")) {
        t = type_lookup_user(OBJECT_KIND_OBJECT, type, &err);
        text = t ? type_help_props(t) : NULL;
    }
    if (text || err) {
        monitor_puts(mon, text ? text : "");
        hmp_handle_error(mon, err);
        return;
    }
    /* QEMU types object_add's members by its QAPI schema. */
    for (guint i = 0; i < opts->list->len; i++) {
        ((QemuOpt *)g_ptr_array_index(opts->list, i))->kind =
            QEMU_OPT_QAPI_TEXT;
    }
    user_creatable_add_opts(opts, &err);
    hmp_handle_error(mon, err);
}

static void hmp_object_del(Monitor *mon, char **argv)
{
    Error *err = NULL;

    user_creatable_del(argv[0], &err);
    hmp_handle_error(mon, err);
}

static void hmp_qom_list(Monitor *mon, char **argv)
{
    g_autoptr(JsonObject) args = json_object_new();
    JsonNode *ret;
    JsonArray *list;
    Error *err = NULL;

    if (!argv[0]) {
        monitor_puts(mon, "/\n");
        return;
    }
    json_object_set_string_member(args, "path", argv[0]);
    ret = hmp_qmp_call("qom-list", args, &err);
    if (!ret) {
        hmp_handle_error(mon, err);
        return;
    }
    list = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *p = json_array_get_object_element(list, i);

        monitor_printf(mon, "%s (%s)\n",
                       json_object_get_string_member(p, "name"),
                       json_object_get_string_member(p, "type"));
    }
    json_node_unref(ret);
}

static void hmp_qom_get(Monitor *mon, char **argv)
{
    g_autoptr(JsonObject) args = json_object_new();
    g_autofree char *text = NULL;
    JsonNode *ret;
    Error *err = NULL;

    json_object_set_string_member(args, "path", argv[0]);
    json_object_set_string_member(args, "property", argv[1]);
    ret = hmp_qmp_call("qom-get", args, &err);
    if (!ret) {
        hmp_handle_error(mon, err);
        return;
    }
    text = qmp_json_to_string(ret, true);
    monitor_printf(mon, "%s\n", text);
    json_node_unref(ret);
}

static void hmp_help(Monitor *mon, char **argv);

static void hmp_info(Monitor *mon, char **argv)
{
    char *help_info[] = { (char *)"info", NULL };

    hmp_help(mon, help_info);
}

/* Sorted by name, as QEMU sorts its table; help prints this order. */
static const HMPCommand hmp_cmds[] = {
    { "cont|c", "", "", "resume emulation", hmp_cont },
    { "device_add", "O", "driver[,prop=value][,...]",
      "add device, like -device on the command line", hmp_device_add },
    { "device_del", "s", "device", "remove device", hmp_device_del },
    { "help|?", "S?", "[cmd]", "show the help", hmp_help },
    { "info", "", "[subcommand]",
      "show various information about the system state", hmp_info,
      hmp_info_cmds },
    { "object_add", "S", "[qom-type=]type,id=str[,prop=value][,...]",
      "create QOM object", hmp_object_add },
    { "object_del", "s", "id", "destroy QOM object", hmp_object_del },
    { "qom-get", "ss", "path property", "print QOM property", hmp_qom_get },
    { "qom-list", "s?", "path", "list QOM properties", hmp_qom_list },
    { "quit|q", "", "", "quit the emulator", hmp_quit },
    { "stop|s", "", "", "stop emulation", hmp_stop },
    { "system_powerdown", "", "", "send system power down event",
      hmp_system_powerdown },
    { "system_reset", "", "", "reset the system", hmp_system_reset },
    { NULL },
};

/* ---- Lookup and help ---- */

/* Is @name (@len bytes) one of the '|'-separated names of @cmd? */
static bool cmd_matches(const HMPCommand *cmd, const char *name, size_t len)
{
    const char *p = cmd->name;

    while (*p) {
        size_t n = strcspn(p, "|");

        if (n == len && !strncmp(p, name, len)) {
            return true;
        }
        p += n + (p[n] == '|');
    }
    return false;
}

static const HMPCommand *cmd_find(const HMPCommand *table, const char *name,
                                  size_t len)
{
    for (; table->name; table++) {
        if (cmd_matches(table, name, len)) {
            return table;
        }
    }
    return NULL;
}

static void help_one(Monitor *mon, const char *prefix, const HMPCommand *cmd)
{
    monitor_printf(mon, "%s%s %s -- %s\n", prefix, cmd->name, cmd->params,
                   cmd->help);
}

static void help_table(Monitor *mon, const char *prefix,
                       const HMPCommand *table)
{
    for (; table->name; table++) {
        help_one(mon, prefix, table);
    }
}

/* help [cmd [subcmd]]: QEMU's help_cmd(). */
static void hmp_help(Monitor *mon, char **argv)
{
    g_auto(GStrv) words = g_strsplit_set(argv[0] ? argv[0] : "", " \t", -1);
    const HMPCommand *table = hmp_cmds, *cmd = NULL;
    g_autoptr(GString) seen = g_string_new(NULL);
    const char *prefix = "";

    for (int i = 0; words[i]; i++) {
        if (!*words[i]) {
            continue;
        }
        g_string_append_printf(seen, "%s%s", seen->len ? " " : "",
                               words[i]);
        cmd = cmd_find(table, words[i], strlen(words[i]));
        if (!cmd) {
            monitor_printf(mon, "unknown command: '%s'\n", seen->str);
            return;
        }
        if (!cmd->sub) {
            help_one(mon, prefix, cmd);
            return;
        }
        table = cmd->sub;
        prefix = "info ";
    }
    help_table(mon, prefix, table);
}

/* ---- Parsing ---- */

static void skip_spaces(const char **p)
{
    while (g_ascii_isspace(**p)) {
        (*p)++;
    }
}

/*
 * QEMU's get_str(): a word up to a space, or a "quoted string" with the
 * escapes \n \r \\ \' \".  NULL at the end of the line or on an error,
 * which QEMU prints on stderr (the monitor then says what was expected).
 */
static char *get_word(const char **pp)
{
    const char *p = *pp;
    GString *s;

    skip_spaces(&p);
    if (!*p) {
        return NULL;
    }
    s = g_string_new(NULL);
    if (*p != '"') {
        while (*p && !g_ascii_isspace(*p)) {
            g_string_append_c(s, *p++);
        }
        *pp = p;
        return g_string_free(s, FALSE);
    }
    for (p++; *p && *p != '"'; p++) {
        if (*p != '\\') {
            g_string_append_c(s, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n':
            g_string_append_c(s, '\n');
            break;
        case 'r':
            g_string_append_c(s, '\r');
            break;
        case '\\':
        case '\'':
        case '"':
            g_string_append_c(s, *p);
            break;
        default:
            error_report("unsupported escape code: '\\%c'", *p);
            g_string_free(s, TRUE);
            return NULL;
        }
    }
    if (*p != '"') {
        error_report("unterminated string");
        g_string_free(s, TRUE);
        return NULL;
    }
    *pp = p + 1;
    return g_string_free(s, FALSE);
}

/*
 * -device's options as QEMU's "device" QemuOpts check them while the
 * arguments are parsed (a bad id is reported on stderr, as QEMU does).
 */
static bool device_opts_ok(const char *text)
{
    g_autoptr(QemuOpts) opts = NULL;
    const char *id;
    Error *err = NULL;

    opts = keyval_parse(text, "driver", &err);
    if (!opts) {
        error_report_err(err);
        return false;
    }
    id = qemu_opts_get(opts, "id");
    if (id && !id_wellformed(id)) {
        error_setg(&err, "Parameter 'id' expects an identifier");
        error_append_hint(&err, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        error_report_err(err);
        return false;
    }
    return true;
}

/* The arguments of @cmd from @p into @argv; false after the message. */
static bool parse_args(Monitor *mon, const HMPCommand *cmd, const char *p,
                       GPtrArray *argv)
{
    for (const char *t = cmd->args; *t; t++) {
        bool optional = t[1] == '?';
        char *arg = NULL;

        skip_spaces(&p);
        if (*t == 'S') {
            if (*p) {
                arg = g_strdup(p);
                p += strlen(p);
            }
        } else if (*p) {
            arg = get_word(&p);
            if (*t == 'O' && (!arg || !device_opts_ok(arg))) {
                g_free(arg);
                return false;
            }
        }
        if (!arg && !optional && *t != 'O') {
            monitor_printf(mon, "%s: string expected\n", cmd->name);
            return false;
        }
        g_ptr_array_add(argv, arg);
        t += optional;
    }
    skip_spaces(&p);
    if (*p) {
        monitor_printf(mon, "%s: extraneous characters at the end of line\n",
                       cmd->name);
        return false;
    }
    return true;
}

bool hmp_handle_command(Monitor *mon, const char *line)
{
    const HMPCommand *table = hmp_cmds, *cmd;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    const char *p = line, *start, *name;

    skip_spaces(&p);
    if (!*p) {
        return false;
    }
    start = p;
    for (;;) {
        name = p;
        while (*p && !g_ascii_isspace(*p)) {
            p++;
        }
        cmd = cmd_find(table, name, p - name);
        if (!cmd) {
            monitor_printf(mon, "unknown command: '%.*s'\n",
                           (int)(p - start), start);
            return false;
        }
        if (!cmd->sub) {
            break;
        }
        skip_spaces(&p);
        if (!*p) {
            break;              /* "info" alone: its help */
        }
        table = cmd->sub;
    }
    if (!parse_args(mon, cmd, p, argv)) {
        monitor_printf(mon, "Try \"help %.*s\" for more information\n",
                       (int)(name - start) + (int)strcspn(name, " \t"),
                       start);
        return false;
    }
    g_ptr_array_add(argv, NULL);
    cmd->handler(mon, (char **)argv->pdata);
    return cmd->handler == hmp_quit;
}

/* ---- QMP human-monitor-command ---- */

static JsonNode *qmp_cmd_human_monitor_command(JsonObject *args,
                                               Error **errp)
{
    static const char *const allowed[] = {
        "command-line", "cpu-index", NULL,
    };
    const char *line = NULL;
    int64_t cpu = 0;
    g_autofree char *out = NULL;
    JsonNode *ret;

    if (!qmp_arg_str(args, "command-line", true, &line, errp) ||
        !qmp_arg_int(args, "cpu-index", false, &cpu, errp) ||
        !qmp_args_check(args, allowed, errp)) {
        return NULL;
    }
    /* HMP commands run on a CPU; pmemvm's take none, but it must exist. */
    if (cpu < 0 || !current_machine ||
        cpu >= MAX(current_machine->smp_cpus, 1)) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        return NULL;
    }
    out = hmp_run_command_line(line);
    ret = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(ret, out);
    return ret;
}

static const QmpCommandDef qmp_hmp_commands[] = {
    { "human-monitor-command", qmp_cmd_human_monitor_command,
      .args = "{command-line: str, cpu-index?: int}", .ret = "str" },
    { NULL }
};

void qmp_cmds_register_hmp(void)
{
    qmp_register_commands(qmp_hmp_commands);
}
