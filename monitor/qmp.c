/*
 * QMP: the JSON stream splitter, QEMU-style JSON output, request dispatch,
 * monitors on chardevs and event broadcast.
 */
#include "qemu/osdep.h"

#include "config-host.h"
#include "monitor/monitor.h"

/* QEMU's json-parser limits. */
#define JSON_MAX_SIZE (64 * MiB)
#define JSON_MAX_DEPTH 1024

/* ---- Stream splitter ---- */

struct JsonStreamer {
    JsonStreamerFunc *emit;
    void *opaque;
    GString *buf;
    int depth;          /* open brackets */
    char quote;         /* inside a string: its opening quote, else 0 */
    bool escape;        /* the previous string character was a backslash */
    bool bare;          /* inside a top-level token such as 12 or true */
};

JsonStreamer *json_streamer_new(JsonStreamerFunc *emit, void *opaque)
{
    JsonStreamer *js = g_new0(JsonStreamer, 1);

    js->emit = emit;
    js->opaque = opaque;
    js->buf = g_string_new(NULL);
    return js;
}

void json_streamer_reset(JsonStreamer *js)
{
    g_string_truncate(js->buf, 0);
    js->depth = 0;
    js->quote = 0;
    js->escape = false;
    js->bare = false;
}

void json_streamer_free(JsonStreamer *js)
{
    if (js) {
        g_string_free(js->buf, TRUE);
        g_free(js);
    }
}

/* Hand the collected text (or @error) on; the callback may reset @js. */
static void json_streamer_emit(JsonStreamer *js, const char *error)
{
    g_autofree char *text = error ? NULL : g_strdup(js->buf->str);

    json_streamer_reset(js);
    js->emit(js->opaque, text, error);
}

static bool json_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void json_streamer_string_char(JsonStreamer *js, char c)
{
    if (js->escape) {
        js->escape = false;
        if (c == '\'') {
            g_string_append_c(js->buf, '\'');
        } else {
            g_string_append_c(js->buf, '\\');
            g_string_append_c(js->buf, c);
        }
    } else if (c == '\\') {
        js->escape = true;
    } else if (c == js->quote) {
        g_string_append_c(js->buf, '"');
        js->quote = 0;
        if (js->depth == 0) {
            json_streamer_emit(js, NULL);
        }
    } else if (c == '"') {
        g_string_append(js->buf, "\\\"");    /* in a 'single-quoted' one */
    } else {
        g_string_append_c(js->buf, c);
    }
}

static void json_streamer_char(JsonStreamer *js, char c)
{
    if (js->quote) {
        json_streamer_string_char(js, c);
        return;
    }
    if (js->bare) {
        if (!json_is_space(c) && !strchr("{}[]\"':,", c)) {
            g_string_append_c(js->buf, c);
            return;
        }
        json_streamer_emit(js, NULL);
    }
    switch (c) {
    case '{':
    case '[':
        if (++js->depth > JSON_MAX_DEPTH) {
            json_streamer_emit(js, "JSON parse error, too many nested "
                               "containers");
            return;
        }
        g_string_append_c(js->buf, c);
        break;
    case '}':
    case ']':
        if (js->depth == 0) {
            json_streamer_emit(js, "JSON parse error, expecting value");
            return;
        }
        g_string_append_c(js->buf, c);
        if (--js->depth == 0) {
            json_streamer_emit(js, NULL);
        }
        break;
    case '"':
    case '\'':
        js->quote = c;
        g_string_append_c(js->buf, '"');
        break;
    default:
        if (js->depth == 0) {
            if (json_is_space(c)) {
                return;
            }
            js->bare = true;
        }
        g_string_append_c(js->buf, c);
        break;
    }
}

void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        json_streamer_char(js, buf[i]);
        if (js->buf->len > JSON_MAX_SIZE) {
            json_streamer_emit(js, "JSON parse error, input too large");
        }
    }
}

/* ---- Output in QEMU's format ---- */

static void json_append_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    while (*s) {
        gunichar cp = g_utf8_get_char_validated(s, -1);
        const char *next;

        if (cp == (gunichar)-1 || cp == (gunichar)-2) {
            cp = 0xfffd;
            next = s + 1;
        } else {
            next = g_utf8_next_char(s);
        }
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
        s = next;
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
        g_string_append_printf(out, "%" PRId64, json_node_get_int(node));
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

/* ---- Commands ---- */

static GHashTable *qmp_cmd_table;       /* name -> QmpCommandFunc */
static GPtrArray *qmp_cmd_order;        /* names (keys of the table) */
static QmpErrorClass qmp_cur_error_class;

static void qmp_table_ensure(void)
{
    if (qmp_cmd_table) {
        return;
    }
    qmp_cmd_table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          NULL);
    qmp_cmd_order = g_ptr_array_new();
    qmp_cmds_register_builtin();
}

void qmp_register_command(const char *name, QmpCommandFunc fn)
{
    qmp_table_ensure();
    if (!g_hash_table_contains(qmp_cmd_table, name)) {
        char *key = g_strdup(name);

        g_hash_table_insert(qmp_cmd_table, key, fn);
        g_ptr_array_add(qmp_cmd_order, key);
    } else {
        g_hash_table_insert(qmp_cmd_table, g_strdup(name), fn);
    }
}

char **qmp_command_names(void)
{
    char **names;

    qmp_table_ensure();
    names = g_new0(char *, qmp_cmd_order->len + 1);
    for (guint i = 0; i < qmp_cmd_order->len; i++) {
        names[i] = g_strdup(g_ptr_array_index(qmp_cmd_order, i));
    }
    return names;
}

void qmp_error_set_class(QmpErrorClass cls)
{
    qmp_cur_error_class = cls;
}

const char *qmp_error_class_name(QmpErrorClass cls)
{
    static const char *const names[] = {
        [QMP_ERROR_CLASS_GENERIC_ERROR] = "GenericError",
        [QMP_ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
        [QMP_ERROR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
        [QMP_ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
        [QMP_ERROR_CLASS_KVM_MISSING_CAP] = "KVMMissingCap",
    };

    return cls < ARRAY_SIZE(names) ? names[cls] : "GenericError";
}

/* ---- Dispatch ---- */

static JsonObject *qmp_error_response(QmpErrorClass cls, const char *desc,
                                      JsonNode *id)
{
    JsonObject *rsp = json_object_new();
    JsonObject *err = json_object_new();

    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    json_object_set_string_member(err, "class", qmp_error_class_name(cls));
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(rsp, "error", err);
    return rsp;
}

/* Check the request's members as QEMU does; sets the error text. */
static bool qmp_check_request(JsonObject *req, const char **cmd,
                              bool *oob, char **desc)
{
    GList *members = json_object_get_members(req);
    bool ok = true;

    *cmd = NULL;
    *oob = false;
    for (GList *l = members; l && ok; l = l->next) {
        const char *key = l->data;
        JsonNode *val = json_object_get_member(req, key);
        bool is_str = JSON_NODE_HOLDS_VALUE(val) &&
                      json_node_get_value_type(val) == G_TYPE_STRING;

        if (!strcmp(key, "execute") || !strcmp(key, "exec-oob")) {
            if (!is_str) {
                *desc = g_strdup_printf("QMP input member '%s' must be a "
                                        "string", key);
                ok = false;
            } else if (*cmd) {
                *desc = g_strdup("QMP input must not contain both 'execute' "
                                 "and 'exec-oob'");
                ok = false;
            } else {
                *cmd = json_node_get_string(val);
                *oob = key[4] == '-';
            }
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(val)) {
                *desc = g_strdup("QMP input member 'arguments' must be an "
                                 "object");
                ok = false;
            }
        } else if (strcmp(key, "id") != 0) {
            *desc = g_strdup_printf("QMP input member '%s' is unexpected",
                                    key);
            ok = false;
        }
    }
    g_list_free(members);
    if (ok && !*cmd) {
        *desc = g_strdup("QMP input lacks member 'execute'");
        ok = false;
    }
    return ok;
}

/* qmp_capabilities needs the session, so it is handled here. */
static bool qmp_capabilities(QmpSession *session, JsonObject *args,
                             Error **errp)
{
    static const char *const allowed[] = { "enable", NULL };
    JsonNode *enable;
    bool oob = false;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    enable = json_object_get_member(args, "enable");
    if (enable && !JSON_NODE_HOLDS_ARRAY(enable)) {
        error_setg(errp, "Invalid parameter type for 'enable', expected: "
                   "array");
        return false;
    }
    for (guint i = 0; enable && i < json_array_get_length(
             json_node_get_array(enable)); i++) {
        JsonNode *cap = json_array_get_element(json_node_get_array(enable),
                                               i);
        const char *name = JSON_NODE_HOLDS_VALUE(cap) &&
            json_node_get_value_type(cap) == G_TYPE_STRING ?
            json_node_get_string(cap) : NULL;

        if (g_strcmp0(name, "oob") != 0) {
            error_setg(errp, "Parameter 'enable' does not accept value '%s'",
                       name ? name : "(not a string)");
            return false;
        }
        oob = true;
    }
    session->oob = oob;
    session->command_mode = true;
    return true;
}

JsonObject *qmp_dispatch(QmpSession *session, const char *json,
                         const char *error)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autofree char *desc = NULL;
    g_autoptr(JsonObject) args = NULL;
    JsonObject *req, *rsp;
    JsonNode *id, *ret;
    const char *cmd;
    bool oob;
    QmpCommandFunc fn;
    Error *err = NULL;

    if (error) {
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, error, NULL);
    }
    parser = json_parser_new();
    if (!json_parser_load_from_data(parser, json, -1, &gerr)) {
        /* json-glib says "<data>:1:7: Parse error: unexpected ..." */
        const char *why = strstr(gerr->message, "error: ");

        desc = g_strdup_printf("JSON parse error, %s",
                               why ? why + strlen("error: ") : gerr->message);
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, desc, NULL);
    }
    if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR,
                                  "QMP input must be a JSON object", NULL);
    }
    req = json_node_get_object(json_parser_get_root(parser));
    id = json_object_get_member(req, "id");
    if (!qmp_check_request(req, &cmd, &oob, &desc)) {
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, desc, id);
    }
    if (oob) {
        desc = g_strdup_printf("The command %s does not support OOB", cmd);
        return qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR, desc, id);
    }
    args = json_object_has_member(req, "arguments") ?
        json_object_ref(json_object_get_object_member(req, "arguments")) :
        json_object_new();

    qmp_table_ensure();
    if (!strcmp(cmd, "qmp_capabilities")) {
        if (session->command_mode) {
            return qmp_error_response(QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
                                      "Capabilities negotiation is already "
                                      "complete, command ignored", id);
        }
        if (!qmp_capabilities(session, args, &err)) {
            rsp = qmp_error_response(QMP_ERROR_CLASS_GENERIC_ERROR,
                                     error_get_pretty(err), id);
            error_free(err);
            return rsp;
        }
        ret = NULL;
    } else if (!session->command_mode) {
        return qmp_error_response(QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
                                  "Expecting capabilities negotiation with "
                                  "'qmp_capabilities'", id);
    } else {
        fn = g_hash_table_lookup(qmp_cmd_table, cmd);
        if (!fn) {
            desc = g_strdup_printf("The command %s has not been found", cmd);
            return qmp_error_response(QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
                                      desc, id);
        }
        qmp_cur_error_class = QMP_ERROR_CLASS_GENERIC_ERROR;
        ret = fn(args, &err);
        if (err) {
            if (ret) {
                json_node_unref(ret);
            }
            rsp = qmp_error_response(qmp_cur_error_class,
                                     error_get_pretty(err), id);
            error_free(err);
            return rsp;
        }
    }
    rsp = json_object_new();
    if (!ret) {
        ret = json_node_init_object(json_node_alloc(), json_object_new());
    }
    json_object_set_member(rsp, "return", ret);
    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    return rsp;
}

JsonObject *qmp_version_info(void)
{
    JsonObject *info = json_object_new();
    JsonObject *qemu = json_object_new();
    int major = 0, minor = 0, micro = 0;

    sscanf(QEMU_COMPAT_VERSION, "%d.%d.%d", &major, &minor, &micro);
    json_object_set_int_member(qemu, "micro", micro);
    json_object_set_int_member(qemu, "minor", minor);
    json_object_set_int_member(qemu, "major", major);
    json_object_set_object_member(info, "qemu", qemu);
    json_object_set_string_member(info, "package", "pmemvm-" PMEMVM_VERSION);
    return info;
}

JsonObject *qmp_greeting(void)
{
    JsonObject *greeting = json_object_new();
    JsonObject *qmp = json_object_new();
    JsonArray *caps = json_array_new();

    json_array_add_string_element(caps, "oob");
    json_object_set_object_member(qmp, "version", qmp_version_info());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp);
    return greeting;
}

/* ---- Monitors ---- */

typedef struct MonitorQMP {
    Chardev *chr;
    bool pretty;
    QmpSession session;
    gint events_on;             /* atomic: command mode reached */
    JsonStreamer *js;
} MonitorQMP;

static GMutex qmp_monitors_lock;
static GPtrArray *qmp_monitors;

/* Write @text with QEMU's "\r\n" line ends (pretty output included). */
static void monitor_qmp_write(MonitorQMP *mon, const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 16);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    g_string_append(out, "\r\n");
    qemu_chr_write_all(mon->chr, out->str, out->len);
    g_string_free(out, TRUE);
}

static void monitor_qmp_send(MonitorQMP *mon, JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);
    g_autofree char *text = qmp_json_to_string(node, mon->pretty);

    monitor_qmp_write(mon, text);
    json_node_unref(node);
}

static void monitor_qmp_request(void *opaque, const char *json,
                                const char *error)
{
    MonitorQMP *mon = opaque;
    JsonObject *rsp = qmp_dispatch(&mon->session, json, error);

    g_atomic_int_set(&mon->events_on, mon->session.command_mode);
    monitor_qmp_send(mon, rsp);
    json_object_unref(rsp);
}

static void monitor_qmp_read(void *opaque, const uint8_t *buf, size_t len)
{
    MonitorQMP *mon = opaque;

    json_streamer_feed(mon->js, (const char *)buf, len);
}

static void monitor_qmp_event(void *opaque, QEMUChrEvent event)
{
    MonitorQMP *mon = opaque;
    JsonObject *greeting;

    json_streamer_reset(mon->js);
    mon->session = (QmpSession) { 0 };
    g_atomic_int_set(&mon->events_on, 0);
    if (event == CHR_EVENT_OPENED) {
        greeting = qmp_greeting();
        monitor_qmp_send(mon, greeting);
        json_object_unref(greeting);
    }
}

bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp)
{
    MonitorQMP *mon = g_new0(MonitorQMP, 1);

    mon->chr = chr;
    mon->pretty = pretty;
    mon->js = json_streamer_new(monitor_qmp_request, mon);
    qmp_table_ensure();
    g_mutex_lock(&qmp_monitors_lock);
    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
    }
    g_ptr_array_add(qmp_monitors, mon);
    g_mutex_unlock(&qmp_monitors_lock);
    qemu_chr_set_handlers(chr, monitor_qmp_read, monitor_qmp_event, mon);
    return true;
}

/* ---- Events ---- */

void qmp_send_event(const char *name, JsonObject *data)
{
    JsonObject *ev = json_object_new();
    JsonObject *ts = json_object_new();
    JsonNode *node;
    char *text[2] = { NULL, NULL };     /* compact, pretty */
    gint64 now = g_get_real_time();

    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(ev, "timestamp", ts);
    json_object_set_string_member(ev, "event", name);
    if (data) {
        json_object_set_object_member(ev, "data", json_object_ref(data));
    }
    node = json_node_init_object(json_node_alloc(), ev);

    g_mutex_lock(&qmp_monitors_lock);
    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        MonitorQMP *mon = g_ptr_array_index(qmp_monitors, i);

        if (!g_atomic_int_get(&mon->events_on)) {
            continue;
        }
        if (!text[mon->pretty]) {
            text[mon->pretty] = qmp_json_to_string(node, mon->pretty);
        }
        monitor_qmp_write(mon, text[mon->pretty]);
    }
    g_mutex_unlock(&qmp_monitors_lock);

    g_free(text[0]);
    g_free(text[1]);
    json_node_unref(node);
    json_object_unref(ev);
}

static const char *shutdown_cause_name(ShutdownCause cause)
{
    switch (cause) {
    case SHUTDOWN_CAUSE_HOST_QMP_QUIT:
        return "host-qmp-quit";
    case SHUTDOWN_CAUSE_HOST_SIGNAL:
    case SHUTDOWN_CAUSE_HOST_QTEST:
        return "host-signal";
    case SHUTDOWN_CAUSE_GUEST_SHUTDOWN:
        return "guest-shutdown";
    case SHUTDOWN_CAUSE_GUEST_RESET:
        return "guest-reset";
    case SHUTDOWN_CAUSE_NONE:
    default:
        return "none";
    }
}

void qapi_event_send_shutdown(bool guest, ShutdownCause cause)
{
    JsonObject *data = json_object_new();

    json_object_set_boolean_member(data, "guest", guest);
    json_object_set_string_member(data, "reason", shutdown_cause_name(cause));
    qmp_send_event("SHUTDOWN", data);
    json_object_unref(data);
}

void qapi_event_send_stop(void)
{
    qmp_send_event("STOP", NULL);
}

void qapi_event_send_resume(void)
{
    qmp_send_event("RESUME", NULL);
}
