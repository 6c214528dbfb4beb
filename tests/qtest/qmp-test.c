/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the QMP monitor, story by story.
 *
 * Each story runs against pmemvm (/qmp/pmemvm/...).  Where QEMU 7.2 can
 * play the same story (qemu-system-x86_64 -accel tcg -S -nodefaults), it
 * runs against both and the answers must have the same shape: the same
 * keys and value types everywhere, and the same values where a story
 * says so (/qmp/qemu/...).
 */
#include "qemu/osdep.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "libqtest.h"
#include "libqos/nvdimm-dsm.h"
#include "hw/i386/layout.h"

typedef enum Vmm { PMEMVM, QEMU } Vmm;

static char *qemu_bin;          /* NULL: QEMU 7.2 is not installed */
static char *tmp_dir;

/* ---- Starting either VMM ---- */

static QTestState *vmm_start(Vmm vmm, bool handshake, const char *args)
{
    g_autofree char *full = NULL;
    QTestState *qts;

    if (vmm == QEMU) {
        g_setenv("QTEST_QEMU_BINARY", qemu_bin, TRUE);
        full = g_strdup_printf("-accel tcg -S -nodefaults %s", args);
    } else {
        g_unsetenv("QTEST_QEMU_BINARY");
        full = g_strdup(args);
    }
    qts = handshake ? qtest_init(full) : qtest_init_without_qmp_handshake(full);
    g_unsetenv("QTEST_QEMU_BINARY");
    return qts;
}

static QTestState *G_GNUC_PRINTF(2, 3) vmm_startf(Vmm vmm, const char *fmt,
                                                  ...)
{
    g_autofree char *args = NULL;
    va_list ap;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return vmm_start(vmm, true, args);
}

static char *tmp_path(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

/* A 4 MiB zero-filled backing file. */
static char *make_backing(const char *name)
{
    char *path = tmp_path(name);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, 4 * MiB), ==, 0);
    close(fd);
    return path;
}

static pid_t read_pidfile(const char *path)
{
    g_autofree char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_true(g_str_has_suffix(text, "\n"));
    return (pid_t)atoi(text);
}

/* Gone, or a zombie nobody reaped yet. */
static bool pid_gone(pid_t pid)
{
    g_autofree char *stat_path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *stat = NULL;
    const char *paren;

    if (kill(pid, 0) < 0 && errno == ESRCH) {
        return true;
    }
    if (!g_file_get_contents(stat_path, &stat, NULL, NULL)) {
        return true;
    }
    paren = strrchr(stat, ')');
    return paren && (paren[2] == 'Z' || paren[2] == 'X');
}

static void wait_pid_gone(pid_t pid)
{
    gint64 end = g_get_monotonic_time() + qtest_timeout() * G_USEC_PER_SEC;

    while (!pid_gone(pid)) {
        if (g_get_monotonic_time() > end) {
            kill(pid, SIGKILL);
            g_assert_not_reached();
        }
        g_usleep(10 * 1000);
    }
}

/* ---- Reply helpers ---- */

static JsonObject *ret_obj(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "return"));
    return json_object_get_object_member(rsp, "return");
}

static JsonArray *ret_array(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "return"));
    return json_object_get_array_member(rsp, "return");
}

static void assert_error(JsonObject *rsp, const char *cls, const char *desc)
{
    g_assert_false(json_object_has_member(rsp, "return"));
    g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, cls);
    if (desc) {
        g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, desc);
    }
}

static void assert_empty_return(JsonObject *rsp)
{
    g_assert_cmpuint(json_object_get_size(ret_obj(rsp)), ==, 0);
}

/*
 * "quit" in a single write: qtest_qmp() sends the request and its "\n"
 * separately, and a VMM that has already quit makes the second send fail
 * with EPIPE.
 */
static JsonObject *qmp_quit(QTestState *qts)
{
    qtest_qmp_send_raw(qts, "{\"execute\": \"quit\"}\n");
    return qtest_qmp_receive(qts);
}

/* ---- Transcripts: what a story saw, for the comparison with QEMU ---- */

typedef struct Entry {
    char *label;
    JsonObject *msg;
    bool exact;                 /* values must be equal, not only shapes */
} Entry;

typedef struct Transcript {
    GPtrArray *entries;
} Transcript;

static void entry_free(gpointer p)
{
    Entry *e = p;

    g_free(e->label);
    json_object_unref(e->msg);
    g_free(e);
}

static void transcript_init(Transcript *t)
{
    t->entries = g_ptr_array_new_with_free_func(entry_free);
}

static void transcript_free(Transcript *t)
{
    g_ptr_array_free(t->entries, TRUE);
}

/* Remember @msg (a new reference is taken) under @label; NULL @t: no-op. */
static void record(Transcript *t, const char *label, JsonObject *msg,
                   bool exact)
{
    Entry *e;

    if (!t) {
        return;
    }
    e = g_new0(Entry, 1);
    e->label = g_strdup(label);
    e->msg = json_object_ref(msg);
    e->exact = exact;
    g_ptr_array_add(t->entries, e);
}

static const char *node_kind(JsonNode *n)
{
    if (JSON_NODE_HOLDS_OBJECT(n)) {
        return "object";
    }
    if (JSON_NODE_HOLDS_ARRAY(n)) {
        return "array";
    }
    if (JSON_NODE_HOLDS_NULL(n)) {
        return "null";
    }
    switch (json_node_get_value_type(n)) {
    case G_TYPE_BOOLEAN:
        return "boolean";
    case G_TYPE_INT64:
        return "integer";
    case G_TYPE_DOUBLE:
        return "number";
    default:
        return "string";
    }
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(a, b);
}

/* Sorted, comma-separated member names of @obj. */
static char *object_keys(JsonObject *obj)
{
    GList *keys = g_list_sort(json_object_get_members(obj), cmp_str);
    GString *s = g_string_new(NULL);

    for (GList *l = keys; l; l = l->next) {
        g_string_append_printf(s, "%s%s", l == keys ? "" : ",",
                               (char *)l->data);
    }
    g_list_free(keys);
    return g_string_free(s, FALSE);
}

/* Strings with @path in front, so that a failure says where. */
static void assert_same_shape(JsonNode *a, JsonNode *b, bool exact,
                              const char *path)
{
    g_autofree char *ka = g_strdup_printf("%s: %s", path, node_kind(a));
    g_autofree char *kb = g_strdup_printf("%s: %s", path, node_kind(b));

    g_assert_cmpstr(ka, ==, kb);
    if (JSON_NODE_HOLDS_OBJECT(a)) {
        JsonObject *oa = json_node_get_object(a);
        JsonObject *ob = json_node_get_object(b);
        g_autofree char *keys_a = object_keys(oa);
        g_autofree char *keys_b = object_keys(ob);
        g_autofree char *pa = g_strdup_printf("%s: {%s}", path, keys_a);
        g_autofree char *pb = g_strdup_printf("%s: {%s}", path, keys_b);
        GList *members;

        g_assert_cmpstr(pa, ==, pb);
        members = json_object_get_members(oa);
        for (GList *l = members; l; l = l->next) {
            g_autofree char *sub = g_strdup_printf("%s.%s", path,
                                                   (char *)l->data);

            assert_same_shape(json_object_get_member(oa, l->data),
                              json_object_get_member(ob, l->data), exact,
                              sub);
        }
        g_list_free(members);
    } else if (JSON_NODE_HOLDS_ARRAY(a)) {
        JsonArray *aa = json_node_get_array(a);
        JsonArray *ab = json_node_get_array(b);
        g_autofree char *la = g_strdup_printf("%s: %u elements", path,
                                              json_array_get_length(aa));
        g_autofree char *lb = g_strdup_printf("%s: %u elements", path,
                                              json_array_get_length(ab));

        g_assert_cmpstr(la, ==, lb);
        for (guint i = 0; i < json_array_get_length(aa); i++) {
            g_autofree char *sub = g_strdup_printf("%s[%u]", path, i);

            assert_same_shape(json_array_get_element(aa, i),
                              json_array_get_element(ab, i), exact, sub);
        }
    } else if (exact && JSON_NODE_HOLDS_VALUE(a)) {
        g_autofree char *va = NULL, *vb = NULL;

        switch (json_node_get_value_type(a)) {
        case G_TYPE_BOOLEAN:
            va = g_strdup_printf("%s = %d", path, json_node_get_boolean(a));
            vb = g_strdup_printf("%s = %d", path, json_node_get_boolean(b));
            break;
        case G_TYPE_INT64:
            va = g_strdup_printf("%s = %" PRId64, path, json_node_get_int(a));
            vb = g_strdup_printf("%s = %" PRId64, path, json_node_get_int(b));
            break;
        default:
            va = g_strdup_printf("%s = %s", path, json_node_get_string(a));
            vb = g_strdup_printf("%s = %s", path, json_node_get_string(b));
            break;
        }
        g_assert_cmpstr(va, ==, vb);
    }
}

static void assert_same_transcripts(Transcript *ours, Transcript *qemu)
{
    g_assert_cmpuint(ours->entries->len, ==, qemu->entries->len);
    for (guint i = 0; i < ours->entries->len; i++) {
        Entry *a = g_ptr_array_index(ours->entries, i);
        Entry *b = g_ptr_array_index(qemu->entries, i);
        JsonNode *na = json_node_init_object(json_node_alloc(), a->msg);
        JsonNode *nb = json_node_init_object(json_node_alloc(), b->msg);
        g_autofree char *ta = qmp_to_string(a->msg);
        g_autofree char *tb = qmp_to_string(b->msg);

        g_assert_cmpstr(a->label, ==, b->label);
        g_test_message("%s\n  pmemvm: %s\n  QEMU:   %s", a->label, ta, tb);
        assert_same_shape(na, nb, a->exact, a->label);
        json_node_unref(na);
        json_node_unref(nb);
    }
}

/* An event's "timestamp" changes; keep the rest for the comparison. */
static void record_event(Transcript *t, const char *label, JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    g_assert_nonnull(ts);
    g_assert_true(json_object_has_member(ts, "seconds"));
    g_assert_true(json_object_has_member(ts, "microseconds"));
    if (t) {
        JsonObject *copy = json_object_new();
        GList *members = json_object_get_members(ev);

        for (GList *l = members; l; l = l->next) {
            if (strcmp(l->data, "timestamp")) {
                json_object_set_member(copy, l->data, json_node_copy(
                    json_object_get_member(ev, l->data)));
            }
        }
        g_list_free(members);
        record(t, label, copy, true);
        json_object_unref(copy);
    }
}

/* A "version" member: {"qemu": {7, 2, micro}, "package": ...}. */
static void assert_version_7_2(JsonObject *version)
{
    JsonObject *qemu = json_object_get_object_member(version, "qemu");

    g_assert_cmpint(json_object_get_int_member(qemu, "major"), ==, 7);
    g_assert_cmpint(json_object_get_int_member(qemu, "minor"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(qemu, "micro"), >=, 0);
    g_assert_nonnull(json_object_get_string_member(version, "package"));
}

/* Wait for SHUTDOWN, check who and why, record it (NULL @t: no-op). */
static void wait_shutdown(QTestState *qts, Transcript *t, bool guest,
                          const char *reason)
{
    JsonObject *ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpint(json_object_get_boolean_member(data, "guest"), ==,
                    guest);
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    reason);
    record_event(t, "SHUTDOWN", ev);
    json_object_unref(ev);
}

/* ---- Stories ---- */

typedef void (*Story)(Vmm vmm, Transcript *t);

static void story_greeting(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, false, "");
    JsonObject *greeting = qtest_qmp_receive(qts);
    JsonObject *qmp;
    JsonArray *caps;
    JsonObject *rsp;

    /* {"QMP": {"version": {"qemu": {...}, "package": ...}, "capabilities": ["oob"]}} */
    g_assert_cmpuint(json_object_get_size(greeting), ==, 1);
    qmp = json_object_get_object_member(greeting, "QMP");
    g_assert_nonnull(qmp);
    assert_version_7_2(json_object_get_object_member(qmp, "version"));
    caps = json_object_get_array_member(qmp, "capabilities");
    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");
    record(t, "greeting", greeting, false);
    json_object_unref(greeting);

    rsp = qtest_qmp(qts, "{'execute': 'qmp_capabilities'}");
    assert_empty_return(rsp);
    record(t, "qmp_capabilities", rsp, true);
    json_object_unref(rsp);

    /* Once is enough. */
    rsp = qtest_qmp(qts, "{'execute': 'qmp_capabilities'}");
    assert_error(rsp, "CommandNotFound", "Capabilities negotiation is "
                 "already complete, command ignored");
    record(t, "qmp_capabilities again", rsp, true);
    json_object_unref(rsp);
    qtest_quit(qts);
}

static void story_before_capabilities(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, false, "");
    JsonObject *rsp;

    json_object_unref(qtest_qmp_receive(qts));         /* greeting */
    rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    assert_error(rsp, "CommandNotFound", "Expecting capabilities "
                 "negotiation with 'qmp_capabilities'");
    record(t, "query-status first", rsp, true);
    json_object_unref(rsp);

    /* Even unknown commands, and with the caller's id echoed. */
    rsp = qtest_qmp(qts, "{'execute': 'no-such-command', 'id': 'x1'}");
    assert_error(rsp, "CommandNotFound", "Expecting capabilities "
                 "negotiation with 'qmp_capabilities'");
    g_assert_cmpstr(json_object_get_string_member(rsp, "id"), ==, "x1");
    record(t, "unknown first", rsp, true);
    json_object_unref(rsp);

    /* Negotiation then opens command mode. */
    qtest_qmp_assert_success(qts, "{'execute': 'qmp_capabilities'}");
    rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    g_assert_nonnull(json_object_get_string_member(ret_obj(rsp), "status"));
    json_object_unref(rsp);
    qtest_quit(qts);
}

static void story_query_version(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, true, "");
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-version', "
                                "'id': 42}");

    assert_version_7_2(ret_obj(rsp));
    g_assert_cmpint(json_object_get_int_member(rsp, "id"), ==, 42);
    record(t, "query-version", rsp, false);
    json_object_unref(rsp);

    /* Arguments are refused as QEMU refuses them. */
    rsp = qtest_qmp(qts, "{'execute': 'query-version', "
                    "'arguments': {'verbose': true}}");
    assert_error(rsp, "GenericError", "Parameter 'verbose' is unexpected");
    record(t, "query-version with an argument", rsp, true);
    json_object_unref(rsp);
    qtest_quit(qts);
}

static void assert_status(QTestState *qts, Transcript *t, const char *label,
                          const char *status, bool running)
{
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-status'}");

    g_assert_cmpstr(json_object_get_string_member(ret_obj(rsp), "status"),
                    ==, status);
    g_assert_cmpint(json_object_get_boolean_member(ret_obj(rsp), "running"),
                    ==, running);
    record(t, label, rsp, true);
    json_object_unref(rsp);
}

/* @cmd returns {} and sends @event; query-status then says @status. */
static void change_status(QTestState *qts, Transcript *t, const char *cmd,
                          const char *event, const char *status,
                          bool running)
{
    g_autofree char *label = g_strdup_printf("status after %s", cmd);
    JsonObject *rsp = qtest_qmp(qts, "{'execute': %s}", cmd);
    JsonObject *ev;

    assert_empty_return(rsp);
    record(t, cmd, rsp, true);
    json_object_unref(rsp);
    ev = qtest_qmp_eventwait_ref(qts, event);
    record_event(t, event, ev);
    json_object_unref(ev);
    assert_status(qts, t, label, status, running);
}

/* -S: prelaunch; cont: running; stop: paused; cont again: running. */
static void story_status(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, true, "-S");

    assert_status(qts, t, "status with -S", "prelaunch", false);
    change_status(qts, t, "cont", "RESUME", "running", true);
    change_status(qts, t, "stop", "STOP", "paused", false);

    /* Stopping a stopped VM changes nothing and sends no event. */
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    assert_status(qts, t, "status after stop again", "paused", false);
    g_assert_null(qtest_qmp_event_ref(qts, "STOP"));

    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    json_object_unref(qtest_qmp_eventwait_ref(qts, "RESUME"));
    assert_status(qts, t, "status after cont again", "running", true);
    qtest_quit(qts);
}

/* pmemvm only: QEMU is always started with -S here. */
static void test_status_running_without_S(void)
{
    QTestState *qts = vmm_start(PMEMVM, true, "");

    assert_status(qts, NULL, "status", "running", true);
    qtest_quit(qts);
}

/* What pmemvm implements, each of which QEMU 7.2 has too. */
static const char *const our_commands[] = {
    "qmp_capabilities", "query-version", "query-commands", "query-status",
    "query-memory-devices", "query-memory-size-summary", "quit", "stop",
    "cont", NULL,
};

static GHashTable *command_names(QTestState *qts)
{
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-commands'}");
    JsonArray *list = ret_array(rsp);
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal,
                                              g_free, NULL);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *cmd = json_array_get_object_element(list, i);
        const char *name = json_object_get_string_member(cmd, "name");

        g_assert_nonnull(name);
        /* Each listed once. */
        g_assert_false(g_hash_table_contains(names, name));
        g_hash_table_add(names, g_strdup(name));
    }
    json_object_unref(rsp);
    return names;
}

static void test_query_commands(void)
{
    QTestState *qts = vmm_start(PMEMVM, true, "");
    g_autoptr(GHashTable) names = command_names(qts);
    GHashTableIter iter;
    gpointer name;

    for (int i = 0; our_commands[i]; i++) {
        g_test_message("%s", our_commands[i]);
        g_assert_true(g_hash_table_contains(names, our_commands[i]));
    }
    /*
     * Everything listed is really there: with an argument no command
     * takes, each one answers "unexpected parameter", not "not found"
     * (and does nothing).
     */
    g_hash_table_iter_init(&iter, names);
    while (g_hash_table_iter_next(&iter, &name, NULL)) {
        JsonObject *rsp = qtest_qmp(qts, "{'execute': %s, 'arguments': "
                                    "{'x-no-such-argument': 1}}",
                                    (const char *)name);

        g_test_message("%s", (const char *)name);
        g_assert_nonnull(qmp_rsp_error_class(rsp));
        if (!strcmp(name, "qmp_capabilities")) {
            /* QEMU's answer once negotiation is over. */
            assert_error(rsp, "CommandNotFound", "Capabilities negotiation "
                         "is already complete, command ignored");
        } else {
            g_assert_cmpstr(qmp_rsp_error_class(rsp), !=, "CommandNotFound");
        }
        json_object_unref(rsp);
    }
    g_assert_true(qtest_probe_child(qts));
    qtest_quit(qts);
}

static void test_qemu_has_our_commands(void)
{
    g_autoptr(GHashTable) ours = NULL;
    g_autoptr(GHashTable) theirs = NULL;
    GHashTableIter iter;
    gpointer name;
    QTestState *qts;

    if (!qemu_bin) {
        g_test_skip("qemu-system-x86_64 (QEMU 7.2) is not installed");
        return;
    }
    qts = vmm_start(PMEMVM, true, "");
    ours = command_names(qts);
    qtest_quit(qts);
    qts = vmm_start(QEMU, true, "");
    theirs = command_names(qts);
    qtest_quit(qts);

    /* pmemvm invents no command of its own. */
    g_hash_table_iter_init(&iter, ours);
    while (g_hash_table_iter_next(&iter, &name, NULL)) {
        g_test_message("%s", (const char *)name);
        g_assert_true(g_hash_table_contains(theirs, name));
    }
}

#define TWO_DIMMS \
    "-machine pc,nvdimm=on -m 256M,slots=4,maxmem=4G " \
    "-object memory-backend-file,id=mem0,share=on,mem-path=%s,size=4M " \
    "-device nvdimm,id=nv0,memdev=mem0,label-size=128K " \
    "-object memory-backend-file,id=mem1,share=on,mem-path=%s,size=4M " \
    "-device nvdimm,id=nv1,memdev=mem1"

static void assert_dimm(JsonObject *dev, const char *id, uint64_t addr,
                        uint64_t size, int slot, const char *memdev)
{
    JsonObject *data = json_object_get_object_member(dev, "data");

    g_assert_cmpstr(json_object_get_string_member(dev, "type"), ==,
                    "nvdimm");
    g_assert_cmpstr(json_object_get_string_member(data, "id"), ==, id);
    g_assert_cmphex(json_object_get_int_member(data, "addr"), ==, addr);
    g_assert_cmphex(json_object_get_int_member(data, "size"), ==, size);
    g_assert_cmpint(json_object_get_int_member(data, "slot"), ==, slot);
    g_assert_cmpint(json_object_get_int_member(data, "node"), ==, 0);
    g_assert_cmpstr(json_object_get_string_member(data, "memdev"), ==,
                    memdev);
    g_assert_false(json_object_get_boolean_member(data, "hotplugged"));
    g_assert_true(json_object_get_boolean_member(data, "hotpluggable"));
    g_assert_cmpuint(json_object_get_size(data), ==, 8);
}

static void story_memory_devices(Vmm vmm, Transcript *t)
{
    g_autofree char *f0 = make_backing("md0.img");
    g_autofree char *f1 = make_backing("md1.img");
    /* nv0 gives 128 KiB to its labels; nv1 follows nv0's region. */
    const uint64_t region0 = 4 * MiB - 128 * KiB, region1 = 4 * MiB;
    QTestState *qts = vmm_startf(vmm, TWO_DIMMS, f0, f1);
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-memory-devices'}");
    JsonArray *devs = ret_array(rsp);
    JsonObject *sum;

    g_assert_cmpuint(json_array_get_length(devs), ==, 2);
    assert_dimm(json_array_get_object_element(devs, 0), "nv0",
                LAYOUT_4G, region0, 0, "/objects/mem0");
    assert_dimm(json_array_get_object_element(devs, 1), "nv1",
                LAYOUT_4G + region0, region1, 1, "/objects/mem1");
    record(t, "query-memory-devices", rsp, true);
    json_object_unref(rsp);

    rsp = qtest_qmp(qts, "{'execute': 'query-memory-size-summary'}");
    sum = ret_obj(rsp);
    g_assert_cmpuint(json_object_get_int_member(sum, "base-memory"), ==,
                     256 * MiB);
    g_assert_cmpuint(json_object_get_int_member(sum, "plugged-memory"), ==,
                     region0 + region1);
    g_assert_cmpuint(json_object_get_size(sum), ==, 2);
    record(t, "query-memory-size-summary", rsp, true);
    json_object_unref(rsp);
    qtest_quit(qts);
    unlink(f0);
    unlink(f1);
}

static void story_no_memory_devices(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, true, "-m 512M");
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'query-memory-devices'}");
    JsonObject *sum;

    g_assert_cmpuint(json_array_get_length(ret_array(rsp)), ==, 0);
    record(t, "query-memory-devices", rsp, true);
    json_object_unref(rsp);

    rsp = qtest_qmp(qts, "{'execute': 'query-memory-size-summary'}");
    sum = ret_obj(rsp);
    g_assert_cmpuint(json_object_get_int_member(sum, "base-memory"), ==,
                     512 * MiB);
    g_assert_cmpuint(json_object_get_int_member(sum, "plugged-memory"), ==,
                     0);
    record(t, "query-memory-size-summary", rsp, true);
    json_object_unref(rsp);
    qtest_quit(qts);
}

static void story_unknown_command(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, true, "");
    JsonObject *rsp = qtest_qmp(qts, "{'execute': 'no-such-command', "
                                "'id': 'abc'}");

    assert_error(rsp, "CommandNotFound",
                 "The command no-such-command has not been found");
    g_assert_cmpstr(json_object_get_string_member(rsp, "id"), ==, "abc");
    record(t, "unknown command", rsp, true);
    json_object_unref(rsp);

    /* A request without "execute". */
    rsp = qtest_qmp(qts, "{'arguments': {}}");
    assert_error(rsp, "GenericError", "QMP input lacks member 'execute'");
    record(t, "no execute", rsp, true);
    json_object_unref(rsp);

    /* And the monitor still answers. */
    rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    ret_obj(rsp);
    json_object_unref(rsp);
    qtest_quit(qts);
}

static void story_malformed_json(Vmm vmm, Transcript *t)
{
    /* Each one line, each answered by exactly one error. */
    static const struct {
        const char *text, *desc;        /* NULL: the parser's own words */
    } bad[] = {
        { "{\"execute\": }\n", NULL },
        { "}\n", "JSON parse error, expecting value" },
        { "[1, 2]\n", "QMP input must be a JSON object" },
        { "{\"execute\": 1}\n", "QMP input member 'execute' must be a string" },
        { "{\"execute\": \"query-status\", \"bogus\": 1}\n",
          "QMP input member 'bogus' is unexpected" },
        { "{\"execute\": \"query-status\", \"arguments\": []}\n",
          "QMP input member 'arguments' must be an object" },
    };
    QTestState *qts = vmm_start(vmm, true, "");

    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        JsonObject *rsp;
        g_autofree char *label = g_strdup_printf("malformed %u", i);

        g_test_message("sending %s", bad[i].text);
        qtest_qmp_send_raw(qts, bad[i].text);
        rsp = qtest_qmp_receive(qts);
        assert_error(rsp, "GenericError", bad[i].desc);
        if (!bad[i].desc) {
            g_assert_true(g_str_has_prefix(qmp_rsp_error_desc(rsp),
                                           "JSON parse error, "));
        }
        record(t, label, rsp, bad[i].desc != NULL);
        json_object_unref(rsp);

        /* The monitor keeps working. */
        rsp = qtest_qmp(qts, "{'execute': 'query-version', 'id': %u}", i);
        g_assert_cmpint(json_object_get_int_member(rsp, "id"), ==, i);
        ret_obj(rsp);
        json_object_unref(rsp);
    }
    qtest_quit(qts);
}

static void story_several_in_one_write(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_start(vmm, true, "");

    qtest_qmp_send_raw(qts,
                       "{\"execute\": \"query-status\", \"id\": 1}"
                       "{\"execute\": \"no-such-command\", \"id\": 2}"
                       "{\"execute\": \"query-version\", \"id\": 3}\n");
    /* Answered one by one, in order. */
    for (int i = 1; i <= 3; i++) {
        JsonObject *rsp = qtest_qmp_receive(qts);
        g_autofree char *label = g_strdup_printf("reply %d", i);

        g_assert_cmpint(json_object_get_int_member(rsp, "id"), ==, i);
        g_assert_cmpint(json_object_has_member(rsp, "return"), ==, i != 2);
        record(t, label, rsp, false);
        json_object_unref(rsp);
    }
    qtest_quit(qts);
}

static void story_quit(Vmm vmm, Transcript *t)
{
    g_autofree char *f0 = make_backing("quit0.img");
    g_autofree char *f1 = make_backing("quit1.img");
    QTestState *qts = vmm_startf(vmm, TWO_DIMMS, f0, f1);
    uint8_t label[64];
    JsonObject *rsp;

    for (unsigned i = 0; i < sizeof(label); i++) {
        label[i] = 0xA0 + i;
    }
    if (vmm == PMEMVM) {
        g_assert_cmpuint(qdsm_label_write(qts, qdsm_handle(0), 100,
                                          sizeof(label), label), ==,
                         QDSM_ST_OK);
    }

    rsp = qmp_quit(qts);
    assert_empty_return(rsp);
    record(t, "quit", rsp, true);
    json_object_unref(rsp);
    wait_shutdown(qts, t, false, "host-qmp-quit");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    qtest_quit(qts);

    if (vmm == PMEMVM) {
        /* The labels are the last 128 KiB of the backend. */
        g_autofree uint8_t *file = NULL;
        gsize len;

        g_assert_true(g_file_get_contents(f0, (char **)&file, &len, NULL));
        g_assert_cmpuint(len, ==, 4 * MiB);
        g_assert_cmpmem(file + 4 * MiB - 128 * KiB + 100, sizeof(label),
                        label, sizeof(label));
    }
    unlink(f0);
    unlink(f1);
}

static void story_sigterm(Vmm vmm, Transcript *t)
{
    g_autofree char *pidfile = tmp_path("sigterm.pid");
    QTestState *qts = vmm_startf(vmm, "-pidfile %s", pidfile);
    pid_t pid = read_pidfile(pidfile);

    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    wait_shutdown(qts, t, false, "host-signal");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    qtest_quit(qts);
    /* The pidfile goes with the process. */
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
}

/* The guest resets the machine through the PIIX reset control register
 * (RST_CPU | SYS_RST): with -no-reboot that is a shutdown, and exit 0. */
static void story_guest_reset_no_reboot(Vmm vmm, Transcript *t)
{
    QTestState *qts = vmm_startf(vmm, "-no-reboot");

    qtest_outb(qts, LAYOUT_PORT_RESET_CTRL, 0x06);
    wait_shutdown(qts, t, true, "guest-reset");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    qtest_quit(qts);
}

/* A failing assertion must not leave the daemon behind. */
static pid_t daemon_pid;
static struct sigaction libqtest_abort;

static void kill_daemon_on_abort(int sig)
{
    if (daemon_pid > 0) {
        kill(daemon_pid, SIGKILL);
    }
    sigaction(SIGABRT, &libqtest_abort, NULL);
    raise(SIGABRT);
}

static void story_daemonize(Vmm vmm, Transcript *t)
{
    g_autofree char *pidfile = tmp_path("daemon.pid");
    g_autofree char *status_path = NULL;
    g_autofree char *status = NULL;
    QTestState *qts;
    JsonObject *rsp;
    pid_t pid;
    char *ppid;

    unlink(pidfile);
    qts = vmm_startf(vmm, "-daemonize -pidfile %s", pidfile);
    /* The process we started exits 0 once the daemon is ready... */
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    /* ... leaving the daemon, whose pid is in the pidfile, running. */
    pid = read_pidfile(pidfile);
    g_assert_cmpint(pid, >, 0);
    daemon_pid = pid;
    sigaction(SIGABRT, &(struct sigaction) {
        .sa_handler = kill_daemon_on_abort }, &libqtest_abort);
    g_assert_false(pid_gone(pid));
    /* In its own session (QEMU forks once more: it needn't lead it). */
    g_assert_cmpint(getsid(pid), !=, getsid(0));
    status_path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_assert_true(g_file_get_contents(status_path, &status, NULL, NULL));
    ppid = strstr(status, "\nPPid:\t");
    g_assert_nonnull(ppid);
    g_assert_cmpint(atoi(ppid + strlen("\nPPid:\t")), !=, getpid());

    /* QMP still works: it was the daemon that connected. */
    rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    g_assert_nonnull(json_object_get_string_member(ret_obj(rsp), "status"));
    record(t, "query-status", rsp, false);
    json_object_unref(rsp);

    rsp = qmp_quit(qts);
    assert_empty_return(rsp);
    record(t, "quit", rsp, true);
    json_object_unref(rsp);
    wait_pid_gone(pid);
    daemon_pid = 0;
    sigaction(SIGABRT, &libqtest_abort, NULL);
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    qtest_quit(qts);
}

/* pmemvm only: the guest's ACPI S5 write (QEMU's pc has other ports). */
static void test_guest_shutdown_no_shutdown(void)
{
    QTestState *qts = vmm_start(PMEMVM, true, "-no-shutdown");
    JsonObject *rsp;

    /* SLP_TYP = S5 (5 << 2) | SLP_EN (1 << 5) */
    qtest_outb(qts, LAYOUT_PORT_ACPI_SLEEP_CTL, 0x34);
    wait_shutdown(qts, NULL, true, "guest-shutdown");

    /* -no-shutdown: the VMM stays, stopped, until the host says quit. */
    assert_status(qts, NULL, "after guest shutdown", "shutdown", false);
    g_assert_true(qtest_probe_child(qts));
    rsp = qmp_quit(qts);
    assert_empty_return(rsp);
    json_object_unref(rsp);
    wait_shutdown(qts, NULL, false, "host-qmp-quit");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    qtest_quit(qts);
}

/* ---- Registration ---- */

typedef struct StoryCase {
    const char *name;
    Story story;
} StoryCase;

static const StoryCase stories[] = {
    { "greeting", story_greeting },
    { "before-capabilities", story_before_capabilities },
    { "query-version", story_query_version },
    { "status", story_status },
    { "memory-devices", story_memory_devices },
    { "no-memory-devices", story_no_memory_devices },
    { "unknown-command", story_unknown_command },
    { "malformed-json", story_malformed_json },
    { "several-in-one-write", story_several_in_one_write },
    { "quit", story_quit },
    { "sigterm", story_sigterm },
    { "guest-reset-no-reboot", story_guest_reset_no_reboot },
    { "daemonize", story_daemonize },
};

static void run_on_pmemvm(gconstpointer data)
{
    const StoryCase *c = data;

    c->story(PMEMVM, NULL);
}

static void run_on_both(gconstpointer data)
{
    const StoryCase *c = data;
    Transcript ours, theirs;

    if (!qemu_bin) {
        g_test_skip("qemu-system-x86_64 (QEMU 7.2) is not installed");
        return;
    }
    transcript_init(&ours);
    transcript_init(&theirs);
    c->story(PMEMVM, &ours);
    c->story(QEMU, &theirs);
    assert_same_transcripts(&ours, &theirs);
    transcript_free(&ours);
    transcript_free(&theirs);
}

/* The installed QEMU, if it is 7.2 (its answers are the reference). */
static char *find_qemu(void)
{
    g_autofree char *path = g_find_program_in_path("qemu-system-x86_64");
    g_autofree char *out = NULL;
    const char *argv[] = { NULL, "--version", NULL };
    int wstatus;

    if (!path) {
        return NULL;
    }
    argv[0] = path;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, &wstatus, NULL) ||
        !strstr(out, "version 7.2.")) {
        return NULL;
    }
    return g_steal_pointer(&path);
}

int main(int argc, char **argv)
{
    const char *outer = g_getenv("QTEST_QEMU_BINARY");
    int ret;

    g_test_init(&argc, &argv, NULL);
    /* This test picks the binary per story; pmemvm comes from meson. */
    if (outer && *outer) {
        g_printerr("qmp-test: ignoring QTEST_QEMU_BINARY=%s\n", outer);
    }
    qemu_bin = find_qemu();
    tmp_dir = g_dir_make_tmp("qmp-test-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);

    for (unsigned i = 0; i < ARRAY_SIZE(stories); i++) {
        g_autofree char *ours = g_strdup_printf("/qmp/pmemvm/%s",
                                                stories[i].name);
        g_autofree char *both = g_strdup_printf("/qmp/qemu/%s",
                                                stories[i].name);

        g_test_add_data_func(ours, &stories[i], run_on_pmemvm);
        g_test_add_data_func(both, &stories[i], run_on_both);
    }
    g_test_add_func("/qmp/pmemvm/status-running-without-S",
                    test_status_running_without_S);
    g_test_add_func("/qmp/pmemvm/query-commands", test_query_commands);
    g_test_add_func("/qmp/pmemvm/guest-shutdown-no-shutdown",
                    test_guest_shutdown_no_shutdown);
    g_test_add_func("/qmp/qemu/query-commands-subset",
                    test_qemu_has_our_commands);

    ret = g_test_run();
    rmdir(tmp_dir);
    g_free(tmp_dir);
    g_free(qemu_bin);
    return ret;
}
